/**
 * Events of a series stream (`series-<seriesId>`): a lecture series or a virtual dialogue,
 * its sessions, and the recordings of those sessions.
 */
// A namespace import: esbuild then keeps only the parts of zod in use (not its 64 locales).
import * as z from 'zod';
import { defineEvent, type EventOf } from '../shared/event.js';
import {
  CalendarDate,
  Email,
  HttpUrl,
  Id,
  LanguageTag,
  LocalizedDescription,
  LocalizedTitle,
  MultiLine,
  ReminderOffset,
  SingleLine,
  TimeZone,
  UtcInstant,
} from '../shared/values.js';

export const SeriesKind = z.enum(['lecture-series', 'virtual-dialogue']);
export type SeriesKind = z.infer<typeof SeriesKind>;

/**
 * Who organises a series. `email` is private: members' mail replies to it and their calendars
 * get it as ORGANIZER (iTIP), but nothing public shows it. `contactEmail`, if the organiser
 * sets one, is the address the public schedule and feed show (optional, so events written
 * before it existed read as they were: no public contact).
 */
export const Organiser = z.object({
  name: SingleLine(200),
  email: Email,
  contactEmail: Email.optional().describe('A public contact address: the public schedule and feed show it (never `email`)'),
});
export type Organiser = z.infer<typeof Organiser>;

/** A dialogue's discussion window: dates in the home time zone, both days included. */
export const DialogueWindow = z.object({ opens: CalendarDate, closes: CalendarDate });
export type DialogueWindow = z.infer<typeof DialogueWindow>;

export const Speaker = z.object({
  name: SingleLine(200),
  affiliation: SingleLine(200).optional(),
  bio: MultiLine(2000).optional(),
});

/** A series' rule for certificates of participation (events/certificates/rule.ts). */
export const CertificateRuleSchema = z.union([
  z.strictObject({ sessions: z.union([z.literal('all'), z.number().int().min(1).max(500)]) }),
  z.strictObject({ hours: z.number().positive().max(10_000) }),
]);

const seriesFields = {
  title: LocalizedTitle,
  description: LocalizedDescription,
  timeZone: TimeZone,
  /** Languages the series is held in; the first is the fallback for mail and feeds. */
  languages: z.array(LanguageTag).min(1),
  organiser: Organiser,
  reminderOffsets: z.array(ReminderOffset).max(10),
  window: DialogueWindow.optional(),
  /** Members who meet it get a certificate of participation. */
  certificateRule: CertificateRuleSchema.optional(),
};

export const SeriesCreated = defineEvent(
  'SeriesCreated',
  z.object({ seriesId: Id, kind: SeriesKind, ...seriesFields }),
);

/** Only the fields that changed are present. */
export const SeriesDetailsChanged = defineEvent(
  'SeriesDetailsChanged',
  z.object({ seriesId: Id, ...z.object(seriesFields).partial().shape }),
);

/** Start and end as UTC instants, with the zone the organiser scheduled them in. */
const sessionTiming = { startsAt: UtcInstant, endsAt: UtcInstant, timeZone: TimeZone };

const sessionDetails = {
  title: LocalizedTitle,
  description: LocalizedDescription.optional(),
  language: LanguageTag,
  speakers: z.array(Speaker).max(50),
  joinUrl: HttpUrl.optional(),
  /** Seats; absent means unlimited. */
  capacity: z.number().int().positive().optional(),
};

export const SessionScheduled = defineEvent(
  'SessionScheduled',
  z.object({ seriesId: Id, sessionId: Id, ...sessionTiming, ...sessionDetails }),
);

export const SessionRescheduled = defineEvent(
  'SessionRescheduled',
  z.object({
    seriesId: Id,
    sessionId: Id,
    ...sessionTiming,
    previousStartsAt: UtcInstant,
    previousEndsAt: UtcInstant,
  }),
);

/** Only the fields that changed are present; `null` removes an optional field. */
export const SessionDetailsChanged = defineEvent(
  'SessionDetailsChanged',
  z.object({
    seriesId: Id,
    sessionId: Id,
    title: sessionDetails.title.optional(),
    description: LocalizedDescription.nullable().optional(),
    language: LanguageTag.optional(),
    speakers: sessionDetails.speakers.optional(),
    joinUrl: HttpUrl.nullable().optional(),
    capacity: z.number().int().positive().nullable().optional(),
  }),
);

export const SessionCancelled = defineEvent(
  'SessionCancelled',
  z.object({ seriesId: Id, sessionId: Id, reason: MultiLine(2000) }),
);

/** What a file of a session's archive is. */
/** A SHA-256 digest in base64 (44 characters). */
export const Sha256Base64 = z.string().regex(/^[A-Za-z0-9+/]{43}=$/, 'must be a SHA-256 digest in base64 (44 characters)');

export const RecordingAsset = z.enum(['recording', 'captions', 'transcript', 'slides']);
export type RecordingAsset = z.infer<typeof RecordingAsset>;

export const RecordingUploadRequested = defineEvent(
  'RecordingUploadRequested',
  z.object({
    seriesId: Id,
    sessionId: Id,
    uploadId: Id,
    asset: RecordingAsset,
    fileName: SingleLine(255),
    contentType: SingleLine(255),
    size: z.number().int().positive(),
    objectKey: SingleLine(1024),
    /** The upload URL stops working then; a file not arrived by then expires. */
    expiresAt: UtcInstant,
    /** SHA-256 of the file, base64, when the organiser announced it: what arrives must match. */
    checksum: Sha256Base64.optional(),
  }),
);

export const RecordingArchived = defineEvent(
  'RecordingArchived',
  z.object({
    seriesId: Id,
    sessionId: Id,
    uploadId: Id,
    objectKey: SingleLine(1024),
    size: z.number().int().positive(),
    contentType: SingleLine(255),
    /** SHA-256 of the stored bytes, base64. */
    checksum: Sha256Base64,
    /** The S3 version that was verified: downloads serve exactly it, whatever is put on the key later. */
    versionId: SingleLine(1024).optional(),
  }),
);

export const RecordingRejected = defineEvent(
  'RecordingRejected',
  z.object({ seriesId: Id, sessionId: Id, uploadId: Id, reason: MultiLine(2000) }),
);

export const RecordingUploadExpired = defineEvent(
  'RecordingUploadExpired',
  z.object({ seriesId: Id, sessionId: Id, uploadId: Id }),
);

export const RecordingPublicationScheduled = defineEvent(
  'RecordingPublicationScheduled',
  z.object({ seriesId: Id, sessionId: Id, publishAt: UtcInstant }),
);

export const RecordingPublished = defineEvent(
  'RecordingPublished',
  z.object({ seriesId: Id, sessionId: Id, publishedAt: UtcInstant }),
);

export const RecordingWithdrawn = defineEvent(
  'RecordingWithdrawn',
  z.object({ seriesId: Id, sessionId: Id, reason: MultiLine(2000) }),
);

export const seriesEventDefinitions = [
  SeriesCreated,
  SeriesDetailsChanged,
  SessionScheduled,
  SessionRescheduled,
  SessionDetailsChanged,
  SessionCancelled,
  RecordingUploadRequested,
  RecordingArchived,
  RecordingRejected,
  RecordingUploadExpired,
  RecordingPublicationScheduled,
  RecordingPublished,
  RecordingWithdrawn,
] as const;

export type SeriesEvent = EventOf<(typeof seriesEventDefinitions)[number]>;
export type SeriesEventOfType<T extends SeriesEvent['type']> = Extract<SeriesEvent, { type: T }>;
