/**
 * Which read model each stream category feeds, and how: a projection folds a whole stream
 * (events/projections/) into one document, keyed by the stream.
 */
import type { ConveneEvent } from '../../events/registry.js';
import type { MemberEvent } from '../../events/member/events.js';
import { memberRegistrationsFromEvents, rosterEntries } from '../../events/projections/member-registrations.js';
import { scheduleFromEvents } from '../../events/projections/schedule.js';
import type { SeriesEvent } from '../../events/series/events.js';
import type { RecordedEvent } from '../../events/shared/event.js';
import type { ReadModelKey } from '../adapters/read-models/read-model-store.js';
import type { SeriesSchedule } from '../../events/projections/schedule.js';
import type { ReminderSeries, ReminderSession } from '../../events/delivery/reminders.js';

export interface Projection {
  /** The stream's main document (its version says how far the stream was folded). */
  readonly key: (id: string) => ReadModelKey;
  /** Every document the stream feeds, the main one first. */
  readonly project: (events: readonly RecordedEvent<ConveneEvent>[]) => { key: ReadModelKey; doc: unknown }[];
}

export const scheduleKey = (seriesId: string): ReadModelKey => ({ pk: `series#${seriesId}`, sk: 'schedule' });
export const memberRegistrationsKey = (memberId: string): ReadModelKey => ({ pk: `member#${memberId}`, sk: 'registrations' });
/** A series' roster: one item per registered member, queried by series. */
export const rosterPk = (seriesId: string) => `roster#${seriesId}`;
export const rosterKey = (seriesId: string, memberId: string): ReadModelKey => ({ pk: rosterPk(seriesId), sk: `member#${memberId}` });

/**
 * What the dispatcher finds its work through (functions/dispatcher/): the mail queue holds one
 * item per stream that changed since the dispatcher last reconciled it (series: everyone's
 * invites; member: theirs); the timetable one small item per series (when its reminders can
 * fall due); custom offsets one item per member who chose their own reminder offsets.
 */
export const MAIL_QUEUE_PK = 'mail-queue';
export const mailQueueKey = (streamId: string): ReadModelKey => ({ pk: MAIL_QUEUE_PK, sk: streamId });
export const TIMETABLE_PK = 'timetable';
export const timetableKey = (seriesId: string): ReadModelKey => ({ pk: TIMETABLE_PK, sk: seriesId });
export const customOffsetsPk = (seriesId: string) => `offsets#${seriesId}`;

/**
 * Streams of a series whose events no longer fold (one fails its schema on read): one item per
 * stream, written by the projector when it sets such a record aside, shown to the series'
 * organisers until the stream projects past it (its main document reaches `version`).
 */
export const projectionFailuresPk = (seriesId: string) => `projection-failures#${seriesId}`;
export const projectionFailureKey = (seriesId: string, streamId: string): ReadModelKey => ({ pk: projectionFailuresPk(seriesId), sk: streamId });

export interface ProjectionFailure {
  readonly streamId: string;
  /** The first event that cannot be read, and its type when known. */
  readonly version: number;
  readonly eventType?: string;
  readonly reason: string;
  readonly at: string;
}

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

export interface MailQueueItem {
  readonly streamId: string;
}

export interface CustomOffsets {
  readonly memberId: string;
  readonly offsets: readonly string[];
}

function timetableOf(schedule: SeriesSchedule): SeriesTimetable {
  return {
    seriesId: schedule.seriesId,
    kind: schedule.kind,
    timeZone: schedule.timeZone,
    reminderOffsets: schedule.reminderOffsets,
    ...(schedule.window ? { window: schedule.window } : {}),
    sessions: schedule.sessions.map(({ sessionId, status, startsAt, endsAt, timingSetAt, publication, recording, pendingUploads }) => ({
      sessionId,
      status,
      startsAt,
      endsAt,
      timingSetAt,
      ...(publication.status === 'scheduled' ? { recordingPublishAt: publication.publishAt! } : {}),
      ...(recording ? { recordingPublishedAt: recording.publishedAt } : {}),
      ...(pendingUploads ? { pendingUploads } : {}),
    })),
  };
}

/** By stream category (`series-<id>` -> `series`). */
export const projections: Readonly<Record<string, Projection>> = {
  series: {
    key: scheduleKey,
    project: (events) => {
      const schedule = scheduleFromEvents(events as RecordedEvent<SeriesEvent>[]);
      if (!schedule) return [];
      const streamId = events[0]!.metadata.streamId;
      return [
        { key: scheduleKey(schedule.seriesId), doc: schedule },
        { key: timetableKey(schedule.seriesId), doc: timetableOf(schedule) },
        { key: mailQueueKey(streamId), doc: { streamId } satisfies MailQueueItem },
      ];
    },
  },
  member: {
    key: memberRegistrationsKey,
    project: (events) => {
      const doc = memberRegistrationsFromEvents(events as RecordedEvent<MemberEvent>[]);
      if (!doc) return [];
      const streamId = events[0]!.metadata.streamId;
      // Only members who ever chose their own offsets have an item (an empty list once they go back to the defaults).
      const chose = events.some((e) => e.type === 'MemberPreferencesChanged' && e.data.reminderOffsets !== undefined);
      return [
        { key: memberRegistrationsKey(doc.memberId), doc },
        ...rosterEntries(doc).map((entry) => ({ key: rosterKey(entry.seriesId, entry.memberId), doc: entry })),
        ...(chose
          ? Object.keys(doc.registrations).map((seriesId) => ({
              key: { pk: customOffsetsPk(seriesId), sk: doc.memberId },
              doc: { memberId: doc.memberId, offsets: doc.preferences.reminderOffsets ?? [] } satisfies CustomOffsets,
            }))
          : []),
        { key: mailQueueKey(streamId), doc: { streamId } satisfies MailQueueItem },
      ];
    },
  },
};
