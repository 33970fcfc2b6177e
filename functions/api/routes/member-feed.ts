/**
 * A member's personal calendar feed: `GET /feeds/members/{token}.ics`, every session the member
 * is confirmed (and seated) for, across series.
 */
import { Hono } from 'hono';
import { createHash } from 'node:crypto';
import type { MemberRegistrations, RosterEntry } from '../../../events/projections/member-registrations.js';
import type { SeriesSchedule } from '../../../events/projections/schedule.js';
import { seatsFor } from '../../../events/projections/seats.js';
import type { MemberDirectory } from '../../adapters/members/member-directory.js';
import type { ReadModelStore } from '../../adapters/read-models/read-model-store.js';
import { feedLastModified, memberFeed } from '../../feeds/ical.js';
import { memberRegistrationsKey, rosterPk, scheduleKey } from '../../projector/projections.js';
import { boundedCache } from '../bounded-cache.js';
import { NotFoundProblem } from '../problems.js';
import { isNotModified } from '../request.js';

export interface MemberFeedDeps {
  readonly readModels: ReadModelStore;
  readonly members: MemberDirectory;
  readonly baseUrl: string;
}

/** Bump when the feed renderer changes what it writes, so clients' cached ETags go stale. */
const FEED_RENDERING = 'feed-1';
/** Rendered personal feeds kept in memory, by ETag (a 200-session feed takes ~300 ms to render). */
const RENDERED_FEEDS = 500;

export function memberFeedRoutes(deps: MemberFeedDeps) {
  const app = new Hono();
  const renderedFeeds = boundedCache<string>(RENDERED_FEEDS);

  const loadRoster = async (seriesId: string): Promise<RosterEntry[]> =>
    (await deps.readModels.query<RosterEntry>(rosterPk(seriesId))).map((d) => d.doc);

  app.get('/feeds/members/:file{[^/]+\\.ics}', async (c) => {
    const token = c.req.param('file').replace(/\.ics$/, '');
    const memberId = await deps.members.memberIdForFeedToken(token);
    if (!memberId) throw new NotFoundProblem('There is no such feed.');
    const registrations = (await deps.readModels.get<MemberRegistrations>(memberRegistrationsKey(memberId)))?.doc;
    const active = Object.values(registrations?.registrations ?? {}).filter((r) => r.status === 'confirmed');
    const entries = (
      await Promise.all(
        active.map(async (r) => {
          const schedule = (await deps.readModels.get<SeriesSchedule>(scheduleKey(r.seriesId)))?.doc;
          if (!schedule) return undefined;
          const covered = r.sessions === 'all' ? schedule.sessions.filter((s) => !r.declined.includes(s.sessionId)).map((s) => s.sessionId) : r.sessions;
          // A member waiting for a seat does not get the session in their calendar until promoted.
          const limited = schedule.sessions.filter((s) => s.capacity !== undefined && covered.includes(s.sessionId));
          const roster = limited.length > 0 ? await loadRoster(r.seriesId) : [];
          const waiting = new Set(limited.filter((s) => !seatsFor(s, roster).seated.includes(memberId)).map((s) => s.sessionId));
          return { schedule, sessionIds: covered.filter((id) => !waiting.has(id)) };
        }),
      )
    ).filter((e) => e !== undefined);
    const language = registrations?.preferences.language ?? active[0]?.language ?? 'en';
    // The feed is a function of these inputs: its ETag is their hash, so a 304 costs no
    // rendering, and any change (a version, a seat, the language) gives a new ETag.
    const inputs = JSON.stringify([FEED_RENDERING, language, deps.baseUrl, entries.map((e) => [e.schedule.seriesId, e.schedule.version, e.sessionIds])]);
    const etag = `"${createHash('sha256').update(inputs).digest('base64url')}"`;
    const lastModified = feedLastModified([...entries.map((e) => e.schedule), ...(registrations ? [registrations] : [])]);
    c.header('ETag', etag);
    c.header('Last-Modified', lastModified);
    c.header('Cache-Control', 'private, max-age=60');
    if (isNotModified(c, etag, lastModified)) return c.body(null, 304);
    const ics = renderedFeeds.get(etag, () => memberFeed(entries, { baseUrl: deps.baseUrl, memberLanguage: language, calendarName: 'Convene' }));
    return c.body(ics, 200, { 'Content-Type': 'text/calendar; charset=utf-8' });
  });

  return app;
}
