/**
 * Public routes: a series' schedule as JSON and as an iCalendar feed, served from the read
 * model the projector keeps. No personal data, and no join links: those go to registrants.
 */
import { Hono, type Context } from 'hono';
import { DateTime } from 'luxon';
import type { SeriesSchedule } from '../../../events/projections/schedule.js';
import { Id } from '../../../events/shared/values.js';
import type { ReadModelStore } from '../../adapters/read-models/read-model-store.js';
import { feedEtag, feedLastModified, seriesFeed } from '../../feeds/ical.js';
import { scheduleKey } from '../../projector/projections.js';
import { NotFoundProblem } from '../problems.js';

const FEED_CACHE_ENTRIES = 200;

export interface PublicDeps {
  readonly readModels: ReadModelStore;
  /** Public base URL of this API, for links in feeds. */
  readonly baseUrl: string;
}

/** What anyone may see of a schedule. */
export function publicSchedule(schedule: SeriesSchedule) {
  return {
    id: schedule.seriesId,
    version: schedule.version,
    kind: schedule.kind,
    title: schedule.title,
    description: schedule.description,
    timeZone: schedule.timeZone,
    languages: schedule.languages,
    organiser: { name: schedule.organiser.name },
    ...(schedule.window ? { window: schedule.window } : {}),
    updatedAt: schedule.updatedAt,
    sessions: schedule.sessions.map((s) => ({
      sessionId: s.sessionId,
      status: s.status,
      title: s.title,
      ...(s.description ? { description: s.description } : {}),
      startsAt: s.startsAt,
      endsAt: s.endsAt,
      timeZone: s.timeZone,
      localStart: DateTime.fromISO(s.startsAt, { zone: s.timeZone }).toISO({ suppressMilliseconds: true })!,
      language: s.language,
      speakers: s.speakers,
      ...(s.capacity !== undefined ? { capacity: s.capacity } : {}),
      sequence: s.sequence,
    })),
  };
}

/** The schedule without what only registrants get (join links). */
function withoutJoinLinks(schedule: SeriesSchedule): SeriesSchedule {
  return { ...schedule, sessions: schedule.sessions.map(({ joinUrl: _j, ...s }) => s) };
}

export function publicSeriesRoutes(deps: PublicDeps) {
  const app = new Hono();

  const load = async (seriesId: string): Promise<SeriesSchedule> => {
    if (!Id.safeParse(seriesId).success) throw new NotFoundProblem(`There is no series ${JSON.stringify(seriesId.slice(0, 80))}.`);
    const stored = await deps.readModels.get<SeriesSchedule>(scheduleKey(seriesId));
    if (!stored) throw new NotFoundProblem(`There is no series ${seriesId}.`);
    return stored.doc;
  };

  /** 304 when the client has this representation already (If-None-Match wins over If-Modified-Since). */
  const notModified = (c: Context, tag: string, lastModified: string) => {
    c.header('ETag', tag);
    c.header('Last-Modified', lastModified);
    c.header('Cache-Control', 'public, max-age=60');
    const inm = c.req.header('if-none-match');
    if (inm !== undefined) return inm.split(',').some((t) => t.trim().replace(/^W\//, '') === tag || t.trim() === '*');
    const ims = c.req.header('if-modified-since');
    return ims !== undefined && !Number.isNaN(Date.parse(ims)) && Date.parse(lastModified) <= Date.parse(ims);
  };

  app.get('/series/:seriesId', async (c) => {
    const schedule = await load(c.req.param('seriesId'));
    const body = publicSchedule(schedule);
    if (notModified(c, `"s${schedule.version}"`, new Date(schedule.updatedAt).toUTCString())) return c.body(null, 304);
    return c.json(body);
  });

  // Rendering a feed of 200 sessions takes a few hundred milliseconds: keep the latest renders,
  // keyed by series and version, so polling calendar clients are served from memory.
  const rendered = new Map<string, { ics: string; etag: string }>();
  const render = (schedule: SeriesSchedule) => {
    const key = `${schedule.seriesId}@${schedule.version}`;
    let hit = rendered.get(key);
    if (!hit) {
      const ics = seriesFeed(withoutJoinLinks(schedule), { baseUrl: deps.baseUrl });
      hit = { ics, etag: feedEtag(ics) };
      rendered.set(key, hit);
      if (rendered.size > FEED_CACHE_ENTRIES) rendered.delete(rendered.keys().next().value!);
    }
    return hit;
  };

  app.get('/feeds/series/:file{[^/]+\\.ics}', async (c) => {
    const seriesId = c.req.param('file').replace(/\.ics$/, '');
    const schedule = await load(seriesId);
    const { ics, etag } = render(schedule);
    if (notModified(c, etag, feedLastModified([schedule]))) return c.body(null, 304);
    return c.body(ics, 200, { 'Content-Type': 'text/calendar; charset=utf-8', 'Content-Disposition': `inline; filename="${seriesId}.ics"` });
  });

  return app;
}
