/**
 * The documents of the read models: what the projector writes under the keys of ./keys.ts and
 * readers get back. A series' schedule and a member's registrations (with the roster entries
 * of each series) are the folds of events/projections/; the others are shaped here.
 */
import type { ReminderSeries, ReminderSession } from '../../events/delivery/reminders.js';

export type { MemberRegistrations, RosterEntry } from '../../events/projections/member-registrations.js';
export type { SeriesSchedule } from '../../events/projections/schedule.js';

/**
 * A series' timing, all its reminders and recordings need: kept small, as the dispatcher and the
 * publisher read every one each tick.
 */
export interface SeriesTimetable extends ReminderSeries {
  readonly seriesId: string;
  readonly sessions: readonly TimetableSession[];
}

export interface TimetableSession extends ReminderSession {
  readonly endsAt: string;
  /** A publication scheduled for later (the publisher posts it then). */
  readonly recordingPublishAt?: string;
  /** While the recording is published: when (its "recording available" mail goes out after). */
  readonly recordingPublishedAt?: string;
  /** Uploads announced and not arrived (the publisher expires them). */
  readonly pendingUploads?: readonly { readonly uploadId: string; readonly expiresAt: string }[];
}

/** A stream that changed since the dispatcher last reconciled it. */
export interface MailQueueItem {
  readonly streamId: string;
}

/** The reminder offsets a member chose for the series they are registered for. */
export interface CustomOffsets {
  readonly memberId: string;
  readonly offsets: readonly string[];
}

/** A stream of a series that no longer folds: its first unreadable event, and why. */
export interface ProjectionFailure {
  readonly streamId: string;
  /** The first event that cannot be read, and its type when known. */
  readonly version: number;
  readonly eventType?: string;
  readonly reason: string;
  readonly at: string;
}

/** A certificate of participation as its verification page shows it (the member's name is read from the directory then). */
export interface CertificateDocument {
  readonly certificateId: string;
  readonly memberId: string;
  readonly seriesId: string;
  readonly sessionsAttended: number;
  readonly sessionsTotal: number;
  readonly hours: number;
  readonly issuedAt: string;
  readonly revokedAt?: string;
  readonly revocationReason?: string;
}
