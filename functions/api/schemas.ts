/**
 * Request and response bodies of the admin API as zod schemas: the API validates with them
 * and /openapi.json is generated from them. Field formats reuse the domain's value schemas;
 * unknown fields are refused.
 */
// A namespace import: esbuild then keeps only the parts of zod in use (not its 64 locales).
import * as z from 'zod';
import { FAILURE_CODES, MAIL_KINDS } from '../adapters/deliveries/delivery-failures.js';
import { CertificateRuleSchema, DialogueWindow, Organiser, RecordingAsset, SeriesKind, Sha256Base64, Speaker } from '../../events/series/events.js';
import {
  LanguageTag,
  LocalizedDescription,
  LocalizedTitle,
  MultiLine,
  ReminderOffset,
  SingleLine,
  TimeZone,
  WebUrl,
} from '../../events/shared/values.js';

const Start = z
  .string()
  .max(40)
  .describe('A wall-clock time in the home zone (2027-05-03T10:00) or an instant with offset (2027-05-03T14:00:00Z)');

export const CreateSeriesBody = z.strictObject({
  kind: SeriesKind,
  title: LocalizedTitle.describe('Title per BCP 47 language tag; needs the first language'),
  description: LocalizedDescription.optional(),
  timeZone: TimeZone.describe('Home IANA time zone, e.g. America/New_York'),
  languages: z.array(LanguageTag).min(1).max(20).describe('Languages the series is held in; the first is the fallback'),
  organiser: z.strictObject(Organiser.shape),
  reminderOffsets: z.array(ReminderOffset).max(10).optional().describe('ISO 8601 durations before each session: P7D, P1D, PT1H'),
  window: z.strictObject(DialogueWindow.shape).optional().describe('A virtual dialogue: the dates it is open, both included'),
  certificateRule: CertificateRuleSchema.optional().describe('Certificates of participation for who attends at least {"sessions": N} (or "all") or {"hours": H}'),
});

export const ChangeSeriesBody = z
  .strictObject({
    title: LocalizedTitle,
    description: LocalizedDescription,
    timeZone: TimeZone,
    languages: z.array(LanguageTag).min(1).max(20),
    organiser: z.strictObject(Organiser.shape),
    reminderOffsets: z.array(ReminderOffset).max(10),
    window: z.strictObject(DialogueWindow.shape),
    certificateRule: CertificateRuleSchema,
  })
  .partial()
  .refine((body) => Object.keys(body).length > 0, 'name at least one field to change');

const SpeakerBody = z.strictObject(Speaker.shape);
const Capacity = z.number().int().positive().max(1_000_000);

export const ScheduleSessionBody = z
  .strictObject({
    title: LocalizedTitle,
    description: LocalizedDescription.optional(),
    start: Start,
    durationMinutes: z.number().int().optional().describe('Give durationMinutes or end'),
    end: Start.optional(),
    language: LanguageTag.optional().describe("Defaults to the series' first language"),
    speakers: z.array(SpeakerBody).max(50).optional(),
    joinUrl: WebUrl.optional().describe('https link to the meeting (at most 900 characters)'),
    capacity: Capacity.optional().describe('Seats; unlimited when absent'),
  })
  .refine((b) => b.durationMinutes !== undefined || b.end !== undefined, { message: 'give durationMinutes or end', path: ['durationMinutes'] });

export const ChangeSessionBody = z
  .strictObject({
    start: Start,
    durationMinutes: z.number().int(),
    end: Start,
    title: LocalizedTitle,
    description: LocalizedDescription.nullable(),
    language: LanguageTag,
    speakers: z.array(SpeakerBody).max(50),
    joinUrl: WebUrl.nullable(),
    capacity: Capacity.nullable(),
  })
  .partial()
  .refine((body) => Object.keys(body).length > 0, 'name at least one field to change');

export const CancelSessionBody = z.strictObject({
  reason: MultiLine(2000).refine((r) => r.trim().length > 0, 'say why the session is cancelled'),
});

export const AsOfQuery = z.iso.datetime({ offset: true, message: 'asOf must be an ISO 8601 instant, e.g. 2027-05-01T12:00:00Z' });

const Instant = z.string().describe('UTC instant, ISO 8601');

export const SessionView = z.object({
  sessionId: z.string(),
  status: z.enum(['scheduled', 'cancelled']),
  title: z.record(z.string(), z.string()),
  description: z.record(z.string(), z.string()).optional(),
  startsAt: Instant,
  endsAt: Instant,
  timeZone: z.string(),
  localStart: z.string().describe('Start in the session time zone, with its offset'),
  localEnd: z.string(),
  durationMinutes: z.number(),
  language: z.string(),
  speakers: z.array(z.object({ name: z.string(), affiliation: z.string().optional(), bio: z.string().optional() })),
  joinUrl: z.string().optional(),
  capacity: z.number().optional(),
  sequence: z.number().describe('iCalendar SEQUENCE: bumped by every change a calendar must show'),
});

export const SeriesView = z.object({
  id: z.string(),
  version: z.number(),
  kind: SeriesKind,
  title: z.record(z.string(), z.string()),
  description: z.record(z.string(), z.string()),
  timeZone: z.string(),
  languages: z.array(z.string()),
  organiser: z.object({ name: z.string(), email: z.string(), contactEmail: z.string().optional() }),
  reminderOffsets: z.array(z.string()),
  window: z.object({ opens: z.string(), closes: z.string() }).optional(),
  certificateRule: CertificateRuleSchema.optional(),
  sessions: z.array(SessionView),
  createdAt: Instant,
  updatedAt: Instant,
});

export const ScheduledSessionView = SessionView.extend({ seriesId: z.string(), version: z.number() });

/** What anyone sees of the organiser (routes/public-series.ts): never the organiser's own address. */
export const PublicOrganiserView = z.strictObject({
  name: z.string(),
  contactEmail: z.string().optional().describe('The public contact address, if the organiser set one'),
});

/** GET /series/{seriesId}: the public schedule (no personal data, no join links). */
export const PublicSeriesView = z.object({
  id: z.string(),
  version: z.number(),
  kind: SeriesKind,
  title: z.record(z.string(), z.string()),
  description: z.record(z.string(), z.string()),
  timeZone: z.string(),
  languages: z.array(z.string()),
  organiser: PublicOrganiserView,
  window: z.object({ opens: z.string(), closes: z.string() }).optional(),
  updatedAt: Instant,
  sessions: z.array(
    z.strictObject({
      sessionId: z.string(),
      status: z.enum(['scheduled', 'cancelled']),
      title: z.record(z.string(), z.string()),
      description: z.record(z.string(), z.string()).optional(),
      startsAt: Instant,
      endsAt: Instant,
      timeZone: z.string(),
      localStart: z.string().describe('Start in the session time zone, with its offset'),
      language: z.string(),
      speakers: z.array(z.object({ name: z.string(), affiliation: z.string().optional(), bio: z.string().optional() })),
      capacity: z.number().optional(),
      sequence: z.number(),
      recording: z
        .object({
          publishedAt: Instant,
          files: z.array(z.object({ asset: RecordingAsset, fileName: z.string(), contentType: z.string(), size: z.number(), url: z.string() })),
        })
        .optional(),
    }),
  ),
  recordingsUrl: z.string(),
});

export const HistoryView = z.object({
  id: z.string(),
  version: z.number(),
  events: z.array(
    z.object({
      version: z.number(),
      type: z.string(),
      recordedAt: Instant,
      actor: z.object({ kind: z.string(), id: z.string() }),
      eventId: z.string(),
      correlationId: z.string(),
      causationId: z.string(),
      data: z.record(z.string(), z.unknown()),
    }),
  ),
});

export const SeriesListView = z.object({
  series: z.array(SeriesView.pick({ id: true, version: true, kind: true, title: true, timeZone: true, languages: true, window: true, createdAt: true, updatedAt: true }).extend({ sessionCount: z.number() })),
  unreadable: z.array(z.object({ id: z.string(), detail: z.string() })).optional().describe('Series whose stored events cannot be read right now'),
});

const MemberRef = z.object({ memberId: z.string(), name: z.string().optional().describe('Never the address') });

export const UndeliverableView = z.object({
  seriesId: z.string(),
  mail: z.array(
    z.object({
      kind: z.enum(MAIL_KINDS),
      member: MemberRef,
      sessionId: z.string().optional(),
      slot: z.string().optional().describe('The reminder slot or recording announcement'),
      code: z.enum(FAILURE_CODES),
      reason: z.string(),
      retry: z.enum(['after-change', 'next-tick', 'never']).describe('after-change: held until the series or the member changes; next-tick: tried again within a minute; never: not while the reason holds'),
      firstFailedAt: Instant,
      lastFailedAt: Instant,
      attempts: z.number(),
    }),
  ),
  streams: z
    .array(
      z.object({
        streamId: z.string(),
        member: MemberRef.optional(),
        version: z.number().describe('The first event that cannot be read'),
        eventType: z.string().optional(),
        reason: z.string(),
        at: Instant,
      }),
    )
    .describe("Streams of the series' data the projector set aside: changes from that event on do not reach members"),
});

export const Problem = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number(),
  detail: z.string(),
  errors: z.array(z.object({ field: z.string(), pointer: z.string(), detail: z.string() })).optional(),
});

export const RecordingUploadBody = z.strictObject({
  fileName: SingleLine(255).describe('The name the file has on the organiser\'s machine; downloads are offered under it'),
  contentType: z
    .string()
    .max(255)
    .regex(/^[\w.+-]+\/[\w.+-]+(?:\s*;\s*[\w.+-]+=(?:"[^"\\\p{Cc}]*"|[\w.+-]+))*$/u, 'must be a content type such as video/mp4, with parameters such as ; codecs="avc1" at most')
    .describe('video/* or audio/* (the recording), text/vtt (captions), text/plain (transcript), application/pdf (slides)'),
  size: z.number().int().positive().describe('Bytes; what arrives must be exactly this size'),
  checksum: Sha256Base64.optional().describe('SHA-256 of the file in base64: what arrives must match it'),
  asset: RecordingAsset.optional().describe('recording, captions, transcript or slides; by default what the content type is'),
});

const UploadAnnounced = z.object({
  seriesId: z.string(),
  sessionId: z.string(),
  version: z.number(),
  uploadId: z.string(),
  asset: RecordingAsset,
  fileName: z.string(),
  contentType: z.string(),
  size: z.number().describe('Bytes: storage takes exactly this many'),
  status: z.literal('requested'),
  linksExpireAt: Instant.describe('The upload form or part URLs stop working then'),
  expiresAt: Instant.describe('A file not arrived by then expires'),
  maxBytes: z.number().describe('The largest file of this asset'),
});

/**
 * The answer to an announced upload: what storage takes the file through. Storage refuses anything
 * else before it stores it: the form's signed policy holds the announced size, type, key and checksum
 * exactly; each part URL signs its part's Content-Length.
 */
export const RecordingUploadView = z.discriminatedUnion('method', [
  UploadAnnounced.extend({
    method: z.literal('POST').describe('Below the multipart threshold: one presigned POST (a browser form upload)'),
    uploadUrl: z.string().describe('POST a multipart/form-data body here'),
    fields: z
      .record(z.string(), z.string())
      .describe(
        'Form fields to send as given, before the file, which goes last as the field `file`. Their signed policy holds the announced size (content-length-range), Content-Type, key and checksum (x-amz-checksum-sha256, when announced) exactly: storage refuses another (403, or 400 for the checksum) and stores nothing',
      ),
  }),
  UploadAnnounced.extend({
    method: z.literal('multipart').describe('From the multipart threshold: one presigned PUT per part, then complete'),
    multipart: z.object({
      multipartId: z.string().describe('Give it back to completeUrl'),
      partSize: z.number().describe('Every part but the last'),
      parts: z
        .array(
          z.object({
            partNumber: z.number(),
            url: z.string().describe('PUT exactly `size` bytes here: the URL signs Content-Length, storage refuses another size (403)'),
            size: z.number(),
          }),
        )
        .describe('Keep each answer\'s ETag header for completeUrl'),
      completeUrl: z.string().describe('POST {"multipartId", "parts": [{"partNumber", "etag"}]} here once every part is up'),
    }),
  }),
]);

export const CompleteUploadBody = z.strictObject({
  multipartId: z.string().min(1).max(1024).describe('The multipartId the upload request returned'),
  parts: z
    .array(z.strictObject({ partNumber: z.number().int().min(1).max(10_000), etag: z.string().min(1).max(200) }))
    .min(1)
    .max(10_000)
    .describe('Every part uploaded, with the ETag S3 answered for it'),
});

export const PublishRecordingBody = z.strictObject({
  at: Start.optional().describe('When to post it (home-zone wall time or an instant); now when omitted or past'),
});

export const WithdrawRecordingBody = z.strictObject({
  reason: MultiLine(2000).refine((r) => r.trim().length > 0, 'say why the recording is taken down'),
});
