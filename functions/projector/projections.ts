/**
 * Which read models each stream category feeds, and how: a projection folds a whole stream
 * (events/projections/) into its documents (keys and document types: functions/read-models/).
 * The projector is their only writer.
 */
import type { ConveneEvent } from '../../events/registry.js';
import type { MemberEvent } from '../../events/member/events.js';
import { memberRegistrationsFromEvents, rosterEntries } from '../../events/projections/member-registrations.js';
import { scheduleFromEvents } from '../../events/projections/schedule.js';
import type { SeriesEvent } from '../../events/series/events.js';
import type { RecordedEvent } from '../../events/shared/event.js';
import type { ReadModelKey } from '../read-models/read-model-store.js';
import type { CertificateDocument, CustomOffsets, MailQueueItem, SeriesSchedule, SeriesTimetable } from '../read-models/documents.js';
import { certificateKey, customOffsetsKey, mailQueueKey, memberRegistrationsKey, rosterKey, scheduleKey, timetableKey } from '../read-models/keys.js';

export interface Projection {
  /** The stream's main document (its version says how far the stream was folded). */
  readonly key: (id: string) => ReadModelKey;
  /** Every document the stream feeds, the main one first. */
  readonly project: (events: readonly RecordedEvent<ConveneEvent>[]) => { key: ReadModelKey; doc: unknown }[];
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
              key: customOffsetsKey(seriesId, doc.memberId),
              doc: { memberId: doc.memberId, offsets: doc.preferences.reminderOffsets ?? [] } satisfies CustomOffsets,
            }))
          : []),
        ...Object.entries(doc.certificates ?? {}).map(([seriesId, certificate]) => ({
          key: certificateKey(certificate.certificateId),
          doc: { memberId: doc.memberId, seriesId, ...certificate } satisfies CertificateDocument,
        })),
        { key: mailQueueKey(streamId), doc: { streamId } satisfies MailQueueItem },
      ];
    },
  },
};
