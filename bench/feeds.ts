/**
 * A member's personal feed of 200 sessions over HTTP: median and p99 latency of a full
 * response and of a 304, next to serving the same bytes as a plain static response from the
 * same machine in the same run. Not a test: prints a table and writes bench/results/feeds.{json,md}.
 */
import { writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { randomBytes } from 'node:crypto';
import { serve } from '@hono/node-server';
import { memberDecider, memberStreamId } from '../events/member/index.js';
import { inSequence } from '../events/shared/decider.js';
import { seriesDecider, seriesStreamId, type SeriesCommand } from '../events/series/index.js';
import { documentClient } from '../functions/adapters/dynamodb-client.js';
import { conveneEventStore } from '../functions/adapters/event-store/index.js';
import { createMemberDirectory } from '../functions/adapters/members/member-directory.js';
import { createReadModelStore } from '../functions/adapters/read-models/read-model-store.js';
import { createRecordingStore } from '../functions/adapters/recordings/recording-store.js';
import { createApi } from '../functions/api/app.js';
import { createTokenVerifier } from '../functions/api/auth.js';
import { runCommand } from '../functions/commands/run-command.js';
import { rebuildReadModels } from '../functions/projector/rebuild.js';
import { createTokenSigner } from '../functions/security/signed-token.js';
import { localClients } from '../infra/local/clients.js';
import { freePort } from '../infra/local/free-port.js';
import { LOCAL_ISSUER, newSigningKey } from '../infra/local/organiser-token.js';
import { startLocalStack } from '../infra/local/stack.js';
import { eventTable, membersTable, readModelTable, tableEnvironment } from '../infra/tables.js';

const SESSIONS = 200;
const REQUESTS = Number(process.env.FEED_BENCH_REQUESTS ?? 300);
const context = { actor: { kind: 'system', id: 'bench' }, correlationId: 'bench' } as const;

const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))]!;

async function timeRequests(url: string, headers: Record<string, string>, expectStatus: number): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < REQUESTS + 20; i++) {
    const started = performance.now();
    const res = await fetch(url, { headers });
    await res.arrayBuffer();
    if (res.status !== expectStatus) throw new Error(`${url} answered ${res.status}, expected ${expectStatus}`);
    if (i >= 20) times.push(performance.now() - started); // the first 20 warm up
  }
  return times;
}

async function main() {
  const stack = await startLocalStack({ tablePrefix: 'benchfeeds' });
  const servers: Server[] = [];
  try {
    const clients = localClients(stack.info);
    const doc = documentClient(clients.dynamodb);
    const store = conveneEventStore(tableEnvironment(stack.info.tables), doc);
    const readModels = createReadModelStore(doc, stack.info.tables[readModelTable.id]!);
    const members = createMemberDirectory(doc, stack.info.tables[membersTable.id]!);

    // A lecture series with 200 sessions, one a day from 1 January 2027 (across both DST changes).
    const seriesId = 'bench-series';
    const commands: SeriesCommand[] = [
      { type: 'CreateSeries', seriesId, kind: 'lecture-series', title: { en: 'Care Economy Lecture Series', es: 'Economía del cuidado' }, timeZone: 'America/New_York', languages: ['en', 'es'], organiser: { name: 'Training Centre', email: 'training@example.org' } },
      ...Array.from({ length: SESSIONS }, (_, i): SeriesCommand => {
        const day = new Date(Date.UTC(2027, 0, 1 + i)).toISOString().slice(0, 10);
        return { type: 'ScheduleSession', seriesId, sessionId: `s${i}`, title: { en: `Lecture ${i + 1}: care work, economies and policy` }, start: `${day}T15:00`, durationMinutes: 90, speakers: [{ name: 'Guest speaker', affiliation: 'University' }], joinUrl: `https://webinar.example.org/${i}` };
      }),
    ];
    for (let i = 0; i < commands.length; i += 90) {
      await runCommand(store, inSequence(seriesDecider), seriesStreamId(seriesId), commands.slice(i, i + 90), context);
    }
    const { member } = await members.findOrCreate('bench@example.org', 'Bench Member', new Date());
    await runCommand(store, memberDecider, memberStreamId(member.memberId), { type: 'RequestRegistration', memberId: member.memberId, seriesId, registrationId: 'r1', sessions: 'all', language: 'en', timeZone: 'Asia/Kolkata', source: 'organiser' }, context);
    await rebuildReadModels({ store, readModels, client: doc, eventsTable: stack.info.tables[eventTable.id]! });
    const token = await members.rotateFeedToken(member.memberId);

    const port = await freePort();
    const key = await newSigningKey();
    const app = createApi({
      store,
      readModels,
      members,
      baseUrl: `http://127.0.0.1:${port}`,
      signer: createTokenSigner([randomBytes(32).toString('base64url')]),
      sendConfirmation: async () => {},
      recordings: createRecordingStore(localClients(stack.info).s3, stack.info.s3.bucket),
      verifyOrganiserToken: createTokenVerifier({ issuer: LOCAL_ISSUER, publicJwk: key.publicJwk }),
    });
    servers.push(await new Promise<Server>((resolve) => { const s = serve({ fetch: app.fetch, port, hostname: '127.0.0.1' }, () => resolve(s as Server)) as Server; }));
    const feedUrl = `http://127.0.0.1:${port}/feeds/members/${token}.ics`;
    const first = await fetch(feedUrl);
    const bytes = Buffer.from(await first.arrayBuffer());
    const etag = first.headers.get('etag')!;
    const events = bytes.toString('utf8').split('BEGIN:VEVENT').length - 1;

    // The baseline: the same bytes, as a static file server would send them.
    const staticPort = await freePort();
    const staticServer = createServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/calendar; charset=utf-8', ETag: etag, 'Content-Length': bytes.length });
      res.end(bytes);
    });
    await new Promise<void>((resolve) => staticServer.listen(staticPort, '127.0.0.1', resolve));
    servers.push(staticServer);

    const full = await timeRequests(feedUrl, {}, 200);
    const notModified = await timeRequests(feedUrl, { 'If-None-Match': etag }, 304);
    const staticTimes = await timeRequests(`http://127.0.0.1:${staticPort}/feed.ics`, {}, 200);

    const row = (what: string, xs: number[]) => ({ what, medianMs: Number(quantile(xs, 0.5).toFixed(2)), p99Ms: Number(quantile(xs, 0.99).toFixed(2)) });
    const rows = [row('static: the same bytes from a plain Node server (baseline)', staticTimes), row('personal feed, full response', full), row('personal feed, 304 (If-None-Match)', notModified)];
    const base = rows[0]!.medianMs;
    const result = { date: new Date().toISOString(), sessions: SESSIONS, eventsInFeed: events, feedBytes: bytes.length, requests: REQUESTS, rows: rows.map((r) => ({ ...r, medianRatioToStatic: Number((r.medianMs / base).toFixed(2)) })) };
    const md = [
      `| request (${REQUESTS} sequential, feed of ${events} events, ${Math.round(bytes.length / 1024)} KiB) | median ms | p99 ms | median vs static |`,
      '|---|---:|---:|---:|',
      ...result.rows.map((r) => `| ${r.what} | ${r.medianMs} | ${r.p99Ms} | ${r.medianRatioToStatic.toFixed(2)} |`),
    ].join('\n');
    writeFileSync(new URL('./results/feeds.json', import.meta.url), `${JSON.stringify(result, null, 2)}\n`);
    writeFileSync(new URL('./results/feeds.md', import.meta.url), `${md}\n`);
    console.log(md);
    clients.dynamodb.destroy();
  } finally {
    for (const s of servers) s.close();
    await stack.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
