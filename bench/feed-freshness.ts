/**
 * Feed freshness: how long after an organiser reschedules a session through the admin API the
 * served feeds show the new time, as a calendar client polling them would see it. The whole
 * chain as `npm start` runs it, in this process: the admin API,
 * the projector on the event table's stream, the feed renderer on the read-model and directory
 * streams (stream pollers at npm start's 100 ms), the feeds bucket in s3rver, and the local
 * feed edge serving `/feeds/*` from it. The load generator (the reschedules and the polling
 * calendars) runs in a process of its own (./support/load-worker.ts).
 *
 * A series of SESSIONS sessions with MEMBERS members registered for all of it (a reschedule
 * re-renders the public feed and every member's). Each round moves one session by an hour
 * (PATCH, timed from just before the request), then polls a member's personal feed and the
 * public feed every POLL_MS with If-None-Match until each shows the new DTSTART. Aim: p99 ≤ 5 s.
 * Not a test: prints a table and writes bench/results/feed-freshness.{json,md}.
 */
import { DateTime } from 'luxon';
import { removingRotatedFeeds } from '../functions/adapters/feeds/rotated-feeds.js';
import { createProjectorHandler } from '../functions/projector/handler.js';
import { localClients, localFeedRemover } from '../infra/local/clients.js';
import { feedEdge } from '../infra/local/feed-edge.js';
import { startLocalFeedRenderer } from '../infra/local/feed-renderer.js';
import { mintOrganiserToken } from '../infra/local/organiser-token.js';
import { startLocalStack } from '../infra/local/stack.js';
import { startStreamPoller } from '../infra/local/stream-poller.js';
import { eventTable } from '../functions/tables.js';
import { runBenchmark, writeResult, type Headline } from './support/measure.js';
import { startBenchApi } from './support/local-api.js';
import { runLoad } from './support/load-process.js';

const ROUNDS = Number(process.env.FRESHNESS_BENCH_ROUNDS ?? 100);
const MEMBERS = Number(process.env.FRESHNESS_BENCH_MEMBERS ?? 50);
const SESSIONS = Number(process.env.FRESHNESS_BENCH_SESSIONS ?? 20);
const POLL_MS = 20;
const AIM_MS = 5_000;
const ZONE = 'America/New_York';

const quantile = (xs: readonly number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil(q * xs.length) - 1)]!;

async function main() {
  const stack = await startLocalStack({ tablePrefix: 'benchfresh' });
  const stops: (() => Promise<void>)[] = [];
  try {
    const clients = localClients(stack.info);
    const feedsBucket = stack.info.s3.feedsBucket;
    // The API as npm start serves it: rotated tokens' objects removed at once, feeds from the bucket through the local feed edge.
    const bench = await startBenchApi(stack, {
      members: (plain) => removingRotatedFeeds(plain, localFeedRemover(stack.info, feedsBucket)),
      front: (api) => feedEdge({ s3: clients.s3, bucket: feedsBucket, api }),
    });
    stops.push(() => bench.stop());
    const { url, store, readModels, members, streams } = bench;
    const organiser = await mintOrganiserToken(bench.key, { sub: 'bench-organiser' });
    const projector = await startStreamPoller({ dynamodb: clients.dynamodb, streams, table: stack.info.tables[eventTable.id]!, handler: createProjectorHandler({ store, readModels }) });
    stops.push(() => projector.stop());
    const renderer = await startLocalFeedRenderer({ info: stack.info, clients, baseUrl: url, ...(process.env.FRESHNESS_DEBUG ? { onReport: (r) => console.log(Math.round(performance.now()), 'REPORT', r.rendered.length, JSON.stringify(r.rendered.filter((x) => x.feed.startsWith('series') || x.outcome !== 'written')).slice(0, 200)), log: (l, m, d) => console.log(l, m, JSON.stringify(d)) } : {}) });
    stops.push(() => renderer.stop());

    const admin = async (method: string, path: string, body: unknown) => {
      const res = await fetch(`${url}${path}`, { method, headers: { authorization: `Bearer ${organiser}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
      const json = (await res.json()) as Record<string, any>;
      if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
      return json;
    };

    // The series, its sessions (one a week from May 2027, 15:00 New York), and its members.
    const series = await admin('POST', '/admin/series', {
      kind: 'lecture-series',
      title: { en: 'Care Economy Lecture Series', es: 'Economía del cuidado' },
      timeZone: ZONE,
      languages: ['en', 'es'],
      organiser: { name: 'Training Centre', email: 'training@example.org' },
    });
    const seriesId = series.id as string;
    const sessionIds: string[] = [];
    for (let i = 0; i < SESSIONS; i++) {
      const start = DateTime.fromISO('2027-05-03T15:00', { zone: ZONE }).plus({ weeks: i }).toFormat("yyyy-MM-dd'T'HH:mm");
      sessionIds.push((await admin('POST', `/admin/series/${seriesId}/sessions`, { title: { en: `Lecture ${i + 1}` }, start, durationMinutes: 60 })).sessionId);
    }
    const registered = await admin('POST', `/admin/series/${seriesId}/registrations`, {
      members: Array.from({ length: MEMBERS }, (_, i) => ({ email: `fresh-${i}@example.org`, name: `Member ${i}`, language: i % 2 ? 'es' : 'en', timeZone: 'Asia/Kolkata' })),
      sessions: 'all',
    });
    const tokens: string[] = [];
    for (const m of registered.members as { memberId: string }[]) tokens.push(await members.rotateFeedToken(m.memberId));
    await projector.drain(60_000);
    await renderer.drain(60_000);

    // The reschedules and the polling calendars in a process of their own (./support/load-worker.ts).
    const starts = new Map(sessionIds.map((id, i) => [id, DateTime.fromISO('2027-05-03T15:00', { zone: ZONE }).plus({ weeks: i })]));
    const rounds = Array.from({ length: ROUNDS }, (_, round) => {
      const sessionId = sessionIds[round % SESSIONS]!;
      const moved = starts.get(sessionId)!.plus({ hours: round % 2 === 0 ? 1 : -1 });
      starts.set(sessionId, moved);
      return { sessionId, start: moved.toFormat("yyyy-MM-dd'T'HH:mm"), dtstart: `DTSTART;TZID=${ZONE}:${moved.toFormat("yyyyMMdd'T'HHmmss")}`, personalPath: `/feeds/members/${tokens[round % tokens.length]!}.ics` };
    });
    const { personal, publicFeed } = await runLoad({
      kind: 'freshness',
      url,
      organiserToken: organiser,
      seriesId,
      pollMs: POLL_MS,
      timeoutMs: 30_000,
      prime: tokens.map((token) => `/feeds/members/${token}.ics`),
      publicPath: `/feeds/series/${seriesId}.ics`,
      rounds,
    });

    const row = (name: string, xs: number[]) => ({ feed: name, n: xs.length, p50: quantile(xs, 0.5), p95: quantile(xs, 0.95), p99: quantile(xs, 0.99), max: Math.max(...xs) });
    const rows = [row('personal feed (a member of the roster)', personal), row('public series feed', publicFeed)];
    const p99 = Math.max(...rows.map((r) => r.p99));
    const met = p99 <= AIM_MS;
    const ms = (x: number) => `${Math.round(x)} ms`;
    const headline: Headline = {
      benchmark: `feed freshness: a reschedule shown in the served feeds (${MEMBERS} members, ${SESSIONS} sessions)`,
      figure: `p99 ${ms(p99)}`,
      baseline: '',
      aim: 'p99 ≤ 5 s',
      met,
      checked: `${ROUNDS} reschedules through the admin API, each seen in a member's feed and the public feed at its new DTSTART`,
    };
    const markdown = [
      `# Feed freshness (${new Date().toISOString().slice(0, 10)})`,
      '',
      `${ROUNDS} reschedules through the admin API; ${MEMBERS} members registered for all ${SESSIONS} sessions (each reschedule re-renders ${MEMBERS + 1} feeds); stream pollers at 100 ms; feeds polled every ${POLL_MS} ms with If-None-Match. Aim: p99 ≤ 5 s: ${met ? 'met' : 'MISSED'}.`,
      '',
      '| feed | n | p50 | p95 | p99 | max |',
      '|---|---:|---:|---:|---:|---:|',
      ...rows.map((r) => `| ${r.feed} | ${r.n} | ${ms(r.p50)} | ${ms(r.p95)} | ${ms(r.p99)} | ${ms(r.max)} |`),
    ].join('\n');
    writeResult('feed-freshness', { rounds: ROUNDS, members: MEMBERS, sessions: SESSIONS, pollMs: POLL_MS, rows, headlines: [headline] }, markdown);
    if (!met) process.exitCode = 1;
  } finally {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
    await stack.stop();
  }
}

runBenchmark(main);
