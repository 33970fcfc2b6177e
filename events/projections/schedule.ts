/**
 * The schedule of a series: what members, feeds and mail see of it, folded from the series
 * stream's recorded events. Pure; the projector stores it, `npm run rebuild` recomputes it.
 * Unlike the decider's state it knows when things changed (for DTSTAMP, LAST-MODIFIED, ETags).
 */
import type { CertificateRule } from '../certificates/rule.js';
import type { RecordedEvent } from '../shared/event.js';
import type { RecordingAsset, SeriesEvent } from '../series/events.js';
import { evolveSeries, initialSeriesState, type SeriesState, type SessionState } from '../series/state.js';

/** One file of a published recording: the latest archived upload of its asset. */
export interface RecordingFile {
  readonly asset: RecordingAsset;
  readonly uploadId: string;
  readonly fileName: string;
  readonly contentType: string;
  readonly size: number;
  /** Where it is stored (private): served only through a short-lived presigned link. */
  readonly objectKey: string;
  /** The verified S3 version, where the bucket keeps versions. */
  readonly versionId?: string;
}

export interface PublishedRecording {
  readonly publishedAt: string;
  /** Recording first, then captions, transcript, slides. */
  readonly files: readonly RecordingFile[];
}

export interface ScheduledSession extends Omit<SessionState, 'uploads'> {
  /** When the session was first scheduled (UTC). */
  readonly createdAt: string;
  /** When a change a calendar must show last touched it (UTC): DTSTAMP and LAST-MODIFIED. */
  readonly updatedAt: string;
  /** When the session got its current start (scheduled or last rescheduled): reminders due before it are not sent. */
  readonly timingSetAt: string;
  /** Present only while the recording is published. */
  readonly recording?: PublishedRecording;
  /** Uploads announced and not yet arrived: each expires at its instant. */
  readonly pendingUploads?: readonly { readonly uploadId: string; readonly expiresAt: string }[];
}

export interface SeriesSchedule {
  readonly seriesId: string;
  /** The last series-stream version folded in. */
  readonly version: number;
  readonly kind: 'lecture-series' | 'virtual-dialogue';
  readonly title: Readonly<Record<string, string>>;
  readonly description: Readonly<Record<string, string>>;
  readonly timeZone: string;
  readonly languages: readonly string[];
  /** `email` private (members' mail and calendars); `contactEmail`, when set, is what the public schedule and feed show. */
  readonly organiser: { readonly name: string; readonly email: string; readonly contactEmail?: string };
  readonly reminderOffsets: readonly string[];
  readonly window?: { readonly opens: string; readonly closes: string };
  /** Members who meet it get a certificate of participation (events/certificates/rule.ts). */
  readonly certificateRule?: CertificateRule;
  /** The window's SEQUENCE: raised by each change its VEVENT shows (dates, title, description, languages, organiser). */
  readonly windowSequence?: number;
  /** When such a change last touched the window (its DTSTAMP and LAST-MODIFIED). */
  readonly windowUpdatedAt?: string;
  readonly createdAt: string;
  readonly updatedAt: string;
  /** By start, then id. */
  readonly sessions: readonly ScheduledSession[];
}

export interface ScheduleFold {
  readonly state: SeriesState;
  readonly version: number;
  readonly createdAt?: string;
  readonly updatedAt?: string;
  readonly sessionTimes: Readonly<Record<string, SessionTimes>>;
  readonly windowTimes?: { readonly sequence: number; readonly updatedAt: string };
}

interface SessionTimes {
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly sequence: number;
  readonly startsAt: string;
  readonly timingSetAt: string;
}

export const initialScheduleFold = (): ScheduleFold => ({ state: initialSeriesState(), version: 0, sessionTimes: {} });

/** Fold one recorded event; events at or below the folded version are ignored (redelivery). */
export function evolveSchedule(fold: ScheduleFold, event: RecordedEvent<SeriesEvent>): ScheduleFold {
  const { version, recordedAt } = event.metadata;
  if (version <= fold.version) return fold;
  if (version !== fold.version + 1) {
    throw new RangeError(`schedule of ${event.metadata.streamId} is at version ${fold.version}; cannot fold version ${version}`);
  }
  const state = evolveSeries(fold.state, event);
  const sessionTimes = { ...fold.sessionTimes };
  if (state.status === 'active') {
    for (const session of Object.values(state.sessions)) {
      const known = sessionTimes[session.sessionId];
      const { sessionId, sequence, startsAt } = session;
      if (!known) sessionTimes[sessionId] = { createdAt: recordedAt, updatedAt: recordedAt, sequence, startsAt, timingSetAt: recordedAt };
      else if (known.sequence !== sequence) {
        sessionTimes[sessionId] = { ...known, updatedAt: recordedAt, sequence, startsAt, timingSetAt: known.startsAt === startsAt ? known.timingSetAt : recordedAt };
      }
    }
  }
  const windowTimes = nextWindowTimes(fold, state, recordedAt);
  return { state, version, createdAt: fold.createdAt ?? recordedAt, updatedAt: recordedAt, sessionTimes, ...(windowTimes ? { windowTimes } : {}) };
}

/** What a dialogue's window VEVENT shows, to tell whether an event changed it. */
const windowShows = (state: SeriesState) =>
  state.status === 'active' && state.window ? JSON.stringify([state.window, state.title, state.description, state.languages, state.organiser]) : undefined;

function nextWindowTimes(fold: ScheduleFold, state: SeriesState, recordedAt: string): ScheduleFold['windowTimes'] {
  const shows = windowShows(state);
  if (shows === undefined) return fold.windowTimes;
  if (!fold.windowTimes) return { sequence: 0, updatedAt: recordedAt };
  return shows === windowShows(fold.state) ? fold.windowTimes : { sequence: fold.windowTimes.sequence + 1, updatedAt: recordedAt };
}

/** The schedule as read models keep it; undefined while the series does not exist. */
export function scheduleOf(fold: ScheduleFold): SeriesSchedule | undefined {
  const { state } = fold;
  if (state.status !== 'active') return undefined;
  const sessions = Object.values(state.sessions)
    .map(({ uploads, ...session }): ScheduledSession => {
      const recording = publishedRecording(session.publication, uploads);
      const pending = Object.values(uploads)
        .filter((u) => u.status === 'requested')
        .map(({ uploadId, expiresAt }) => ({ uploadId, expiresAt }));
      return {
        ...session,
        createdAt: fold.sessionTimes[session.sessionId]!.createdAt,
        updatedAt: fold.sessionTimes[session.sessionId]!.updatedAt,
        timingSetAt: fold.sessionTimes[session.sessionId]!.timingSetAt,
        ...(recording ? { recording } : {}),
        ...(pending.length > 0 ? { pendingUploads: pending } : {}),
      };
    })
    .sort((a, b) => a.startsAt.localeCompare(b.startsAt) || a.sessionId.localeCompare(b.sessionId));
  return {
    seriesId: state.seriesId,
    version: fold.version,
    kind: state.kind,
    title: state.title,
    description: state.description,
    timeZone: state.timeZone,
    languages: state.languages,
    organiser: state.organiser,
    reminderOffsets: state.reminderOffsets,
    ...(state.window ? { window: state.window } : {}),
    ...(state.certificateRule ? { certificateRule: state.certificateRule } : {}),
    ...(state.window && fold.windowTimes ? { windowSequence: fold.windowTimes.sequence, windowUpdatedAt: fold.windowTimes.updatedAt } : {}),
    createdAt: fold.createdAt!,
    updatedAt: fold.updatedAt!,
    sessions,
  };
}

const ASSET_ORDER: readonly RecordingAsset[] = ['recording', 'captions', 'transcript', 'slides'];

/** The files a published recording shows: per asset, the last archived upload (a replacement wins). */
function publishedRecording(publication: SessionState['publication'], uploads: SessionState['uploads']): PublishedRecording | undefined {
  if (publication.status !== 'published') return undefined;
  return { publishedAt: publication.publishedAt!, files: archivedFiles(uploads) };
}

/** Per asset, the last archived upload (a replacement wins): recording first, then captions, transcript, slides. */
export function archivedFiles(uploads: SessionState['uploads']): RecordingFile[] {
  const latest = new Map<RecordingAsset, RecordingFile>();
  for (const u of Object.values(uploads)) {
    if (u.status !== 'archived') continue;
    const { asset, uploadId, fileName, contentType, size, objectKey, versionId } = u;
    latest.set(asset, { asset, uploadId, fileName, contentType, size, objectKey, ...(versionId ? { versionId } : {}) });
  }
  return ASSET_ORDER.flatMap((asset) => latest.get(asset) ?? []);
}

export function scheduleFromEvents(events: readonly RecordedEvent<SeriesEvent>[]): SeriesSchedule | undefined {
  return scheduleOf(events.reduce(evolveSchedule, initialScheduleFold()));
}
