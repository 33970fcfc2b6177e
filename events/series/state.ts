/** The state of a series stream, folded from its events. */
import type { CertificateRule } from '../certificates/rule.js';
import { definedOnly } from '../shared/objects.js';
import type { LocalizedText } from '../shared/values.js';
import type { DialogueWindow, RecordingAsset, SeriesEvent, SeriesKind } from './events.js';

export interface UploadState {
  readonly uploadId: string;
  readonly asset: RecordingAsset;
  readonly fileName: string;
  readonly contentType: string;
  readonly size: number;
  readonly objectKey: string;
  readonly expiresAt: string;
  readonly status: 'requested' | 'archived' | 'rejected' | 'expired';
  readonly checksum?: string;
  /** Why it was rejected. */
  readonly reason?: string;
  /** The S3 version archived, where the bucket keeps versions. */
  readonly versionId?: string;
}

export interface PublicationState {
  readonly status: 'unpublished' | 'scheduled' | 'published' | 'withdrawn';
  readonly publishAt?: string;
  readonly publishedAt?: string;
}

export interface SessionState {
  readonly sessionId: string;
  readonly status: 'scheduled' | 'cancelled';
  readonly title: LocalizedText;
  readonly description?: LocalizedText;
  readonly startsAt: string;
  readonly endsAt: string;
  readonly timeZone: string;
  readonly language: string;
  readonly speakers: readonly { name: string; affiliation?: string; bio?: string }[];
  readonly joinUrl?: string;
  readonly capacity?: number;
  /** What the organiser said when cancelling it (members read it in the cancellation and the feeds). */
  readonly cancellationReason?: string;
  /** Bumped by every change a calendar must show (the iCalendar SEQUENCE). */
  readonly sequence: number;
  readonly uploads: Readonly<Record<string, UploadState>>;
  readonly publication: PublicationState;
}

export interface SeriesDetails {
  readonly seriesId: string;
  readonly kind: SeriesKind;
  readonly title: LocalizedText;
  readonly description: LocalizedText;
  readonly timeZone: string;
  readonly languages: readonly string[];
  /** `email` private; `contactEmail`, when set, is what the public sees. */
  readonly organiser: { readonly name: string; readonly email: string; readonly contactEmail?: string };
  readonly reminderOffsets: readonly string[];
  readonly window?: DialogueWindow;
  /** Members who meet it get a certificate of participation. */
  readonly certificateRule?: CertificateRule;
}

export type SeriesState =
  | { readonly status: 'absent' }
  | (SeriesDetails & { readonly status: 'active'; readonly sessions: Readonly<Record<string, SessionState>> });

export type ActiveSeries = Extract<SeriesState, { status: 'active' }>;

/** What a session's VEVENT shows of its details (its times and status are bumped where they change). */
const CALENDAR_FIELDS = ['title', 'description', 'language', 'speakers', 'joinUrl'] as const satisfies readonly (keyof SessionState)[];

export const initialSeriesState = (): SeriesState => ({ status: 'absent' });

export function evolveSeries(state: SeriesState, event: SeriesEvent): SeriesState {
  if (event.type === 'SeriesCreated') {
    const { seriesId, kind, title, description, timeZone, languages, organiser, reminderOffsets, window, certificateRule } = event.data;
    return {
      status: 'active',
      seriesId,
      kind,
      title,
      description,
      timeZone,
      languages,
      organiser,
      reminderOffsets,
      ...(window ? { window } : {}),
      ...(certificateRule ? { certificateRule } : {}),
      sessions: {},
    };
  }
  if (state.status !== 'active') return state;

  switch (event.type) {
    case 'SeriesDetailsChanged': {
      const { seriesId: _id, ...changes } = event.data;
      return { ...state, ...definedOnly(changes) };
    }
    case 'SessionScheduled': {
      const { seriesId: _s, ...session } = event.data;
      return withSession(state, {
        ...session,
        status: 'scheduled',
        sequence: 0,
        uploads: {},
        publication: { status: 'unpublished' },
      });
    }
    case 'SessionRescheduled':
      return updateSession(state, event.data.sessionId, (s) => ({
        ...s,
        startsAt: event.data.startsAt,
        endsAt: event.data.endsAt,
        timeZone: event.data.timeZone,
        sequence: s.sequence + 1,
      }));
    case 'SessionDetailsChanged': {
      const { seriesId: _s, sessionId, ...changes } = event.data;
      return updateSession(state, sessionId, (s) => {
        const next: Record<string, unknown> = { ...s };
        for (const [key, value] of Object.entries(changes)) {
          if (value === null) delete next[key];
          else if (value !== undefined) next[key] = value;
        }
        // Only a change a calendar shows raises SEQUENCE (and sends an update): not the capacity.
        const shown = CALENDAR_FIELDS.some((key) => JSON.stringify(next[key]) !== JSON.stringify(s[key]));
        return { ...(next as unknown as SessionState), sequence: shown ? s.sequence + 1 : s.sequence };
      });
    }
    case 'SessionCancelled':
      return updateSession(state, event.data.sessionId, (s) => ({ ...s, status: 'cancelled', cancellationReason: event.data.reason, sequence: s.sequence + 1 }));
    case 'RecordingUploadRequested': {
      const { seriesId: _s, sessionId, ...upload } = event.data;
      return updateUpload(state, sessionId, upload.uploadId, () => ({ ...upload, status: 'requested' }));
    }
    case 'RecordingArchived': {
      // A file added to (or replacing one of) a published recording changes what calendars show.
      const published = state.sessions[event.data.sessionId]?.publication.status === 'published';
      const bumped = published ? updateSession(state, event.data.sessionId, (s) => ({ ...s, sequence: s.sequence + 1 })) : state;
      return updateUpload(bumped, event.data.sessionId, event.data.uploadId, (u) => ({
        ...u!,
        status: 'archived',
        checksum: event.data.checksum,
        ...(event.data.versionId ? { versionId: event.data.versionId } : {}),
      }));
    }
    case 'RecordingRejected':
      return updateUpload(state, event.data.sessionId, event.data.uploadId, (u) => ({ ...u!, status: 'rejected', reason: event.data.reason }));
    case 'RecordingUploadExpired':
      return updateUpload(state, event.data.sessionId, event.data.uploadId, (u) => ({ ...u!, status: 'expired' }));
    case 'RecordingPublicationScheduled':
      return updateSession(state, event.data.sessionId, (s) => ({
        ...s,
        publication: { status: 'scheduled', publishAt: event.data.publishAt },
      }));
    case 'RecordingPublished':
      return updateSession(state, event.data.sessionId, (s) => ({
        ...s,
        sequence: s.sequence + 1,
        publication: { status: 'published', publishedAt: event.data.publishedAt },
      }));
    case 'RecordingWithdrawn':
      return updateSession(state, event.data.sessionId, (s) => ({
        ...s,
        sequence: s.publication.status === 'published' ? s.sequence + 1 : s.sequence,
        publication: { status: 'withdrawn' },
      }));
  }
}

function withSession(state: ActiveSeries, session: SessionState): ActiveSeries {
  return { ...state, sessions: { ...state.sessions, [session.sessionId]: session } };
}

function updateSession(state: ActiveSeries, sessionId: string, update: (s: SessionState) => SessionState): ActiveSeries {
  const session = state.sessions[sessionId];
  return session ? withSession(state, update(session)) : state;
}

function updateUpload(
  state: ActiveSeries,
  sessionId: string,
  uploadId: string,
  update: (u: UploadState | undefined) => UploadState,
): ActiveSeries {
  return updateSession(state, sessionId, (s) => ({
    ...s,
    uploads: { ...s.uploads, [uploadId]: update(s.uploads[uploadId]) },
  }));
}
