/** How a series and its history look over HTTP. */
import { DateTime } from 'luxon';
import type { z } from 'zod';
import type { RecordedEvent } from '../../events/shared/event.js';
import type { ActiveSeries, SessionState } from '../../events/series/index.js';
import type { HistoryView, SeriesListView, SeriesView, SessionView } from './schemas.js';

const local = (instant: string, zone: string) =>
  DateTime.fromISO(instant, { zone }).toISO({ suppressMilliseconds: true, includeOffset: true })!;

export function sessionView(session: SessionState): z.infer<typeof SessionView> {
  return {
    sessionId: session.sessionId,
    status: session.status,
    title: session.title,
    ...(session.description ? { description: session.description } : {}),
    startsAt: session.startsAt,
    endsAt: session.endsAt,
    timeZone: session.timeZone,
    localStart: local(session.startsAt, session.timeZone),
    localEnd: local(session.endsAt, session.timeZone),
    durationMinutes: (Date.parse(session.endsAt) - Date.parse(session.startsAt)) / 60_000,
    language: session.language,
    speakers: [...session.speakers],
    ...(session.joinUrl ? { joinUrl: session.joinUrl } : {}),
    ...(session.capacity !== undefined ? { capacity: session.capacity } : {}),
    sequence: session.sequence,
  };
}

export function seriesView(series: ActiveSeries, events: readonly RecordedEvent[]): z.infer<typeof SeriesView> {
  const sessions = Object.values(series.sessions).sort((a, b) => a.startsAt.localeCompare(b.startsAt) || a.sessionId.localeCompare(b.sessionId));
  return {
    id: series.seriesId,
    version: events.at(-1)!.metadata.version,
    kind: series.kind,
    title: series.title,
    description: series.description,
    timeZone: series.timeZone,
    languages: [...series.languages],
    organiser: series.organiser,
    reminderOffsets: [...series.reminderOffsets],
    ...(series.window ? { window: series.window } : {}),
    ...(series.certificateRule ? { certificateRule: series.certificateRule } : {}),
    sessions: sessions.map(sessionView),
    createdAt: events[0]!.metadata.recordedAt,
    updatedAt: events.at(-1)!.metadata.recordedAt,
  };
}

export function seriesSummary(view: z.infer<typeof SeriesView>): z.infer<typeof SeriesListView>['series'][number] {
  const { sessions, description: _d, organiser: _o, reminderOffsets: _r, certificateRule: _c, ...rest } = view;
  return { ...rest, sessionCount: sessions.length };
}

export function historyView(seriesId: string, events: readonly RecordedEvent[]): z.infer<typeof HistoryView> {
  return {
    id: seriesId,
    version: events.at(-1)?.metadata.version ?? 0,
    events: events.map((e) => ({
      version: e.metadata.version,
      type: e.type,
      recordedAt: e.metadata.recordedAt,
      actor: e.metadata.actor,
      eventId: e.metadata.eventId,
      correlationId: e.metadata.correlationId,
      causationId: e.metadata.causationId,
      data: e.data as Record<string, unknown>,
    })),
  };
}
