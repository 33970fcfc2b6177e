/**
 * Public routes: a series' schedule as a page (for a browser), as JSON and as an iCalendar feed, served from the read
 * model the projector keeps. No personal data, and no join links: those go to registrants.
 * The organiser is shown by name, and by the public contact address if the organiser set one
 * (`organiser.contactEmail`); the organiser's own address never (the feed's rule is the same:
 * functions/feeds/ical.ts `seriesFeed`).
 */
import { Hono, type Context } from 'hono';
import { DateTime } from 'luxon';
import type { ScheduledSession, SeriesSchedule } from '../../../events/projections/schedule.js';
import type { ReadModelStore } from '../../read-models/read-model-store.js';
import { feedEtag, feedLastModified } from '../../feeds/ical.js';
import { publicSeriesFeedBody } from '../../feeds/feed-bodies.js';
import { getSchedule } from '../../read-models/queries.js';
import { NotFoundProblem } from '../problems.js';
import { boundedCache } from '../../bounded-cache.js';
import { isNotModified, pathId } from '../request.js';
import { publicFiles, recordingsArchiveUrl } from '../../recordings/links.js';
import { mount } from '../mount-route.js';
import { seriesPageRenderer } from '../series-page-view.js';
import { PAGE_VARY, wantsPage } from '../negotiation.js';

const FEED_CACHE_ENTRIES = 200;

export interface PublicDeps {
  readonly readModels: ReadModelStore;
  /** Public base URL of this API, for links in feeds. */
  readonly baseUrl: string;
}

/** What anyone may see of a schedule. */
export function publicSchedule(schedule: SeriesSchedule, baseUrl: string) {
  return {
    id: schedule.seriesId,
    version: schedule.version,
    kind: schedule.kind,
    title: schedule.title,
    description: schedule.description,
    timeZone: schedule.timeZone,
    languages: schedule.languages,
    organiser: publicOrganiser(schedule.organiser),
    ...(schedule.window ? { window: schedule.window } : {}),
    updatedAt: schedule.updatedAt,
    sessions: schedule.sessions.map((s) => ({
      sessionId: s.sessionId,
      status: s.status,
      ...publicSessionFacts(s),
      ...(s.capacity !== undefined ? { capacity: s.capacity } : {}),
      sequence: s.sequence,
      ...(s.recording ? { recording: { publishedAt: s.recording.publishedAt, files: publicFiles(baseUrl, schedule.seriesId, s.sessionId, s.recording) } } : {}),
    })),
    recordingsUrl: recordingsArchiveUrl(baseUrl, schedule.seriesId),
  };
}

/** What anyone may see of the organiser: the name, and the public contact address if there is one. */
export function publicOrganiser(organiser: SeriesSchedule['organiser']): { name: string; contactEmail?: string } {
  return { name: organiser.name, ...(organiser.contactEmail ? { contactEmail: organiser.contactEmail } : {}) };
}

/** What anyone may see of a session: what it is, when (UTC, its zone, the local start), in which language, by whom. */
export function publicSessionFacts(s: ScheduledSession) {
  return {
    title: s.title,
    ...(s.description ? { description: s.description } : {}),
    startsAt: s.startsAt,
    endsAt: s.endsAt,
    timeZone: s.timeZone,
    localStart: DateTime.fromISO(s.startsAt, { zone: s.timeZone }).toISO({ suppressMilliseconds: true })!,
    language: s.language,
    speakers: s.speakers,
  };
}

export function publicSeriesRoutes(deps: PublicDeps) {
  const app = new Hono();

  const load = async (seriesId: string): Promise<SeriesSchedule> => {
    const stored = await getSchedule(deps.readModels, pathId(seriesId, 'series'));
    if (!stored) throw new NotFoundProblem(`There is no series ${seriesId}.`);
    return stored.doc;
  };

  /** Sets the validators and says whether the client already holds this representation. */
  const notModified = (c: Context, tag: string, lastModified: string) => {
    c.header('ETag', tag);
    c.header('Last-Modified', lastModified);
    c.header('Cache-Control', 'public, max-age=60');
    return isNotModified(c, tag, lastModified);
  };

  const seriesPage = seriesPageRenderer(deps);

  // One URL for people and programs: a browser gets the page, a program JSON (as the
  // "More information" link of every calendar event and mail opens it).
  mount(app, 'publicSeries', async (c) => {
    const schedule = await load(c.req.param('seriesId'));
    if (wantsPage(c)) return seriesPage(c, schedule);
    c.header('Vary', PAGE_VARY);
    const body = publicSchedule(schedule, deps.baseUrl);
    if (notModified(c, `"s${schedule.version}"`, new Date(schedule.updatedAt).toUTCString())) return c.body(null, 304);
    return c.json(body);
  });

  // Rendering a feed of 200 sessions takes a few hundred milliseconds: keep the latest renders,
  // keyed by series and version, so polling calendar clients are served from memory.
  const rendered = boundedCache<{ ics: string; etag: string }>(FEED_CACHE_ENTRIES);
  const render = (schedule: SeriesSchedule) =>
    rendered.get(`${schedule.seriesId}@${schedule.version}`, () => {
      const ics = publicSeriesFeedBody(schedule, deps.baseUrl);
      return { ics, etag: feedEtag(ics) };
    });

  mount(app, 'seriesFeed', async (c) => {
    const seriesId = c.req.param('file').replace(/\.ics$/, '');
    const schedule = await load(seriesId);
    const { ics, etag } = render(schedule);
    if (notModified(c, etag, feedLastModified([schedule]))) return c.body(null, 304);
    return c.body(ics, 200, { 'Content-Type': 'text/calendar; charset=utf-8', 'Content-Disposition': `inline; filename="${seriesId}.ics"` });
  });

  return app;
}
