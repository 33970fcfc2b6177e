/**
 * A member's personal feed of 200 sessions over HTTP: median and p99 latency of a full
 * response and of a 304, next to serving the same bytes as a plain static response from the
 * same machine in the same run, and next to the one DynamoDB round trip a warm feed request
 * needs (the BatchGetItem it sends, timed alone): the floor the feed cannot go below. The HTTP
 * client runs in a process of its own.
 * Not a test: prints a table and writes bench/results/feeds.{json,md}.
 */
import { createServer, type Server } from 'node:http';
import { randomBytes } from 'node:crypto';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { BatchGetCommand } from '@aws-sdk/lib-dynamodb';
import { memberDecider, memberStreamId } from '../events/member/index.js';
import { inSequence } from '../events/shared/decider.js';
import { seriesDecider, seriesStreamId, type SeriesCommand } from '../events/series/index.js';
import { documentClient } from '../functions/adapters/dynamodb-client.js';
import { conveneEventStore } from '../functions/adapters/event-store/index.js';
import { createMemberDirectory, sha256 } from '../functions/adapters/members/member-directory.js';
import { batchedFeedReads, feedReadsFrom, type FeedReads } from '../functions/read-models/member-feed-reads.js';
import { createReadModelStore } from '../functions/read-models/read-model-store.js';
import { createRecordingStore } from '../functions/adapters/recordings/recording-store.js';
import { createApi } from '../functions/api/app.js';
import { handleCommand } from '../functions/commands/command-handler.js';
import { rebuildReadModels } from '../functions/projector/rebuild.js';
import { memberRegistrationsKey, scheduleKey } from '../functions/read-models/keys.js';
import { createTokenSigner } from '../functions/security/signed-token.js';
import { localClients } from '../infra/local/clients.js';
import { feedEdge } from '../infra/local/feed-edge.js';
import { startLocalFeedRenderer } from '../infra/local/feed-renderer.js';
import { memberFeedKey } from '../functions/feeds/feed-objects.js';
import { freePort } from '../infra/local/free-port.js';
import { localTokenVerifier, newSigningKey } from '../infra/local/organiser-token.js';
import { startLocalStack } from '../infra/local/stack.js';
import { deliveryTable, EVENT_STREAM_ID, EVENT_VERSION, MEMBER_PK, READ_MODEL_PK, READ_MODEL_SK, eventTable, idempotencyTable, membersTable, readModelTable, tableEnvironment } from '../functions/tables.js';
import { createRateLimitCounter } from '../functions/adapters/rate-limits/rate-limit-counter.js';
import { createFailureReader } from '../functions/adapters/deliveries/delivery-failures.js';

import { timeInTurns, writeResult, type Headline, runBenchmark } from './support/measure.js';
import { runLoad } from './support/load-process.js';

const SESSIONS = 200;
const REQUESTS = Number(process.env.FEED_BENCH_REQUESTS ?? 300);
const context = { actor: { kind: 'system', id: 'bench' }, correlationId: 'bench' } as const;

const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))]!;

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
      await handleCommand({ store, decider: inSequence(seriesDecider), streamId: seriesStreamId(seriesId), command: commands.slice(i, i + 90), context });
    }
    // The feed renderer follows the read-model and directory streams from here on, as on AWS: the
    // rebuild's documents and the token below become objects in the feeds bucket.
    const baseUrl = 'https://convene.example.org';
    const renderer = await startLocalFeedRenderer({ info: stack.info, clients, baseUrl });
    const { member } = await members.findOrCreate('bench@example.org', 'Bench Member', new Date());
    await handleCommand({ store, decider: memberDecider, streamId: memberStreamId(member.memberId), command: { type: 'RequestRegistration', memberId: member.memberId, seriesId, registrationId: 'r1', sessions: 'all', language: 'en', timeZone: 'Asia/Kolkata', source: 'organiser' }, context });
    await rebuildReadModels({ store, readModels });
    const token = await members.rotateFeedToken(member.memberId);
    await renderer.drain(120_000);
    await renderer.stop();

    const key = await newSigningKey();
    const tables = { members: stack.info.tables[membersTable.id]!, readModels: stack.info.tables[readModelTable.id]!, events: stack.info.tables[eventTable.id]! };
    // Both apps and the renderer link to the same base URL, so they serve the same bytes.
    const serveApi = async (feedReads: FeedReads) => {
      const port = await freePort();
      const app = createApi({
        store,
        readModels,
        failures: createFailureReader(doc, stack.info.tables[deliveryTable.id]!),
        members,
        baseUrl,
        signer: createTokenSigner([randomBytes(32).toString('base64url')]),
        manageAttempts: { note: async () => {} },
        // Only feeds are read here: nobody registers.
        intake: { accept: async () => {}, read: async () => undefined, taken: async () => {} },
        recordings: createRecordingStore(localClients(stack.info).s3, stack.info.s3.bucket),
        verifyOrganiserToken: localTokenVerifier(key.publicJwk),
        feedReads,
        // Only feeds are read here: nothing is counted.
        rateLimit: { counter: createRateLimitCounter(doc, stack.info.tables[idempotencyTable.id]!) },
      });
      servers.push(await new Promise<Server>((resolve) => { const s = serve({ fetch: app.fetch, port, hostname: '127.0.0.1' }, () => resolve(s as Server)) as Server; }));
      return `http://127.0.0.1:${port}/feeds/members/${token}.ics`;
    };
    // As the API Lambda should run it (one BatchGetItem), and as createApi does without it (the stores' reads in parallel).
    const feedUrl = await serveApi(batchedFeedReads(doc, tables, { readModels, store }));
    const storesFeedUrl = await serveApi(feedReadsFrom({ members, readModels, store }));
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

    // The reads of a warm feed request (token item, registrations, the schedule's next event), alone.
    const scheduleVersion = (await readModels.get(scheduleKey(seriesId)))!.version;
    const warmReads = new BatchGetCommand({
      RequestItems: {
        [tables.members]: { Keys: [{ [MEMBER_PK]: `feed#${sha256(token)}` }], ConsistentRead: true },
        [tables.readModels]: { Keys: [{ [READ_MODEL_PK]: memberRegistrationsKey(member.memberId).pk, [READ_MODEL_SK]: memberRegistrationsKey(member.memberId).sk }], ConsistentRead: true },
        [tables.events]: { Keys: [{ [EVENT_STREAM_ID]: seriesStreamId(seriesId), [EVENT_VERSION]: scheduleVersion + 1 }], ConsistentRead: true },
      },
    });
    if ((await fetch(storesFeedUrl)).headers.get('etag') !== etag) throw new Error('the two apps disagree on the feed');

    // The feed as members get it: the object in the feeds bucket, through the local feed edge
    // (the CloudFront Function's token -> hash, then S3's GetObject), as CloudFront serves it.
    const edgePort = await freePort();
    const edge = feedEdge({ s3: clients.s3, bucket: stack.info.s3.feedsBucket, api: new Hono() });
    servers.push(await new Promise<Server>((resolve) => { const s = serve({ fetch: edge.fetch, port: edgePort, hostname: '127.0.0.1' }, () => resolve(s as Server)) as Server; }));
    const edgeUrl = `http://127.0.0.1:${edgePort}/feeds/members/${token}.ics`;
    const fromEdge = await fetch(edgeUrl);
    if (!Buffer.from(await fromEdge.arrayBuffer()).equals(bytes)) throw new Error('the feeds bucket holds other bytes than the API serves');
    const edgeEtag = fromEdge.headers.get('etag')!;
    const rawGet = async () => {
      const object = await clients.s3.send(new GetObjectCommand({ Bucket: stack.info.s3.feedsBucket, Key: memberFeedKey(token) }));
      await object.Body!.transformToByteArray();
    };

    // The HTTP client in a process of its own (./support/load-worker.ts): the servers measured
    // (static, edge, API) and s3rver keep this process's event loop to themselves.
    const http = await runLoad({
      kind: 'timeInTurns',
      rounds: REQUESTS,
      warmup: 20,
      requests: {
        static: { url: `http://127.0.0.1:${staticPort}/feed.ics`, status: 200 },
        edgeFull: { url: edgeUrl, status: 200 },
        edgeNotModified: { url: edgeUrl, headers: { 'If-None-Match': edgeEtag }, status: 304 },
        full: { url: feedUrl, status: 200 },
        notModified: { url: feedUrl, headers: { 'If-None-Match': etag }, status: 304 },
        storesNotModified: { url: storesFeedUrl, headers: { 'If-None-Match': etag }, status: 304 },
      },
    });
    // The floors, without HTTP, from here: S3's GetObject and DynamoDB's round trip alone.
    const times = { ...http.times, ...(await timeInTurns({ rawGet, roundTrip: () => doc.send(warmReads) }, { rounds: REQUESTS, warmup: 20 })) };

    type Row = ReturnType<typeof row> & { medianRatioToStatic: number };
    const row = (what: string, xs: number[]) => ({ what, medianMs: Number(quantile(xs, 0.5).toFixed(2)), p99Ms: Number(quantile(xs, 0.99).toFixed(2)) });
    const rows = [
      row('static: the same bytes from a plain Node server (baseline)', times.static!),
      row('personal feed from the feeds bucket, through the local feed edge, full response', times.edgeFull!),
      row('personal feed from the feeds bucket, through the local feed edge, 304', times.edgeNotModified!),
      row("the bucket's GetObject of that object alone (s3rver, no edge)", times.rawGet!),
      row('personal feed, full response', times.full!),
      row('personal feed, 304 (If-None-Match)', times.notModified!),
      row('personal feed, 304, reads through the stores in parallel (createApi without feedReads)', times.storesNotModified!),
      row('its one DynamoDB round trip alone: the BatchGetItem of a warm request, no HTTP', times.roundTrip!),
    ];
    const base = rows[0]!.medianMs;
    const result = { date: new Date().toISOString(), sessions: SESSIONS, eventsInFeed: events, feedBytes: bytes.length, requests: REQUESTS, rows: rows.map((r) => ({ ...r, medianRatioToStatic: Number((r.medianMs / base).toFixed(2)) })) };
    const md = [
      `| request (${REQUESTS} each, in turns, feed of ${events} events, ${Math.round(bytes.length / 1024)} KiB) | median ms | p99 ms | median vs static |`,
      '|---|---:|---:|---:|',
      ...result.rows.map((r) => `| ${r.what} | ${r.medianMs} | ${r.p99Ms} | ${r.medianRatioToStatic.toFixed(2)} |`),
    ].join('\n');
    const [staticRow, edgeFullRow, edgeNotModifiedRow, rawGetRow, fullRow, notModifiedRow, , roundTripRow] = result.rows as Row[] as [Row, Row, Row, Row, Row, Row, Row, Row];
    const AIM = 1.5;
    const headlines: Headline[] = [
      {
        benchmark: `personal feed of ${events} sessions (${Math.round(bytes.length / 1024)} KiB) from the feeds bucket, full response`,
        figure: `${edgeFullRow.medianMs} ms median`,
        baseline: `${staticRow.medianMs} ms (same bytes, static)`,
        ratio: edgeFullRow.medianRatioToStatic,
        aim: `at most ${AIM}x static`,
        met: edgeFullRow.medianRatioToStatic <= AIM,
        checked: `the bucket's GetObject alone ${rawGetRow.medianMs} ms (${rawGetRow.medianRatioToStatic.toFixed(2)}x static); the API's feed route (local fallback) full ${fullRow.medianMs} ms (${fullRow.medianRatioToStatic.toFixed(2)}x), 304 ${notModifiedRow.medianMs} ms (${notModifiedRow.medianRatioToStatic.toFixed(2)}x), its DynamoDB round trip alone ${roundTripRow.medianMs} ms`,
      },
      {
        benchmark: `personal feed of ${events} sessions from the feeds bucket, 304 Not Modified`,
        figure: `${edgeNotModifiedRow.medianMs} ms median`,
        baseline: `${staticRow.medianMs} ms (same bytes, static)`,
        ratio: edgeNotModifiedRow.medianRatioToStatic,
        aim: `at most ${AIM}x static`,
        met: edgeNotModifiedRow.medianRatioToStatic <= AIM,
      },
    ];
    writeResult('feeds', { ...result, headlines }, md);
    clients.dynamodb.destroy();
  } finally {
    for (const s of servers) s.close();
    await stack.stop();
  }
}

runBenchmark(main);
