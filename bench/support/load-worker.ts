/**
 * A benchmark's load generator, in a process of its own (./load-process.ts starts it), so the
 * system measured does not share its event loop with its clients. Reads one job as JSON from
 * stdin, runs it, prints one line of JSON with what it measured.
 *
 * - `timeInTurns`: requests timed one at a time, in turns (bench/feeds.ts);
 * - `freshness`: reschedules, each timed until the feeds show it (bench/feed-freshness.ts);
 * - `storm`: the registration storm's 50 clients and its raw PutItem baseline (bench/registrations.ts).
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '../../functions/adapters/dynamodb-client.js';
import { LOCAL_CREDENTIALS } from '../../infra/local/clients.js';
import type { FreshnessJob, FreshnessResult, LoadJob, StormJob, StormResult, TimedRequest, TimedResult } from './load-process.js';
import { measure, timeInTurns } from './measure.js';

async function timedRequests(job: Extract<LoadJob, { kind: 'timeInTurns' }>): Promise<TimedResult> {
  const request = (name: string, { url, headers, status }: TimedRequest) => async () => {
    const res = await fetch(url, { headers: { ...headers } });
    await res.arrayBuffer();
    if (res.status !== status) throw new Error(`${name} answered ${res.status}, expected ${status}`);
  };
  const ops = Object.fromEntries(Object.entries(job.requests).map(([name, r]) => [name, request(name, r)]));
  return { times: await timeInTurns(ops, job) };
}

async function freshness(job: FreshnessJob): Promise<FreshnessResult> {
  const etags = new Map<string, string>();
  /** Polls until the feed holds `text`; the milliseconds since `from`. */
  const waitFor = async (path: string, text: string, from: number) => {
    for (;;) {
      const res = await fetch(`${job.url}${path}`, { headers: etags.has(path) ? { 'if-none-match': etags.get(path)! } : {} });
      const body = res.status === 200 ? await res.text() : (await res.arrayBuffer(), '');
      if (res.status === 200) etags.set(path, res.headers.get('etag')!);
      if (body.includes(text)) return performance.now() - from;
      if (performance.now() - from > job.timeoutMs) throw new Error(`${path.replace(/members\/[^.]+/, 'members/<token>')} did not show ${text} within ${job.timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, job.pollMs));
    }
  };
  for (const path of [...job.prime, job.publicPath]) await waitFor(path, 'BEGIN:VCALENDAR', performance.now());
  const personal: number[] = [];
  const publicFeed: number[] = [];
  for (const round of job.rounds) {
    const from = performance.now();
    const res = await fetch(`${job.url}/admin/series/${job.seriesId}/sessions/${round.sessionId}`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${job.organiserToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ start: round.start }),
    });
    if (!res.ok) throw new Error(`PATCH ${round.sessionId}: ${res.status} ${await res.text()}`);
    await res.arrayBuffer();
    const [p, s] = await Promise.all([waitFor(round.personalPath, round.dtstart, from), waitFor(job.publicPath, round.dtstart, from)]);
    personal.push(p);
    publicFeed.push(s);
  }
  return { personal, publicFeed };
}

async function storm(job: StormJob): Promise<StormResult> {
  const { raw } = job;
  const dynamodb = new DynamoDBClient({ region: raw.region, endpoint: raw.endpoint, credentials: LOCAL_CREDENTIALS });
  const doc = documentClient(dynamodb);
  const rawPut = (streamId: string) =>
    doc.send(
      new PutCommand({
        TableName: raw.table,
        Item: { ...raw.item, [raw.streamIdKey]: streamId, [raw.versionKey]: 1, eventId: crypto.randomUUID(), recordedAt: new Date().toISOString() },
        ConditionExpression: `attribute_not_exists(${raw.streamIdKey})`,
      }),
    );
  const statuses: Record<string, number> = {};
  const register = async (email: string) => {
    const res = await fetch(`${job.url}/series/${job.seriesId}/registrations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, name: `Member ${email.split('@')[0]}`, language: email.length % 2 ? 'es' : 'en', timeZone: 'America/Bogota', sessions: [job.sessionId] }),
    });
    await res.arrayBuffer();
    statuses[res.status] = (statuses[res.status] ?? 0) + 1;
  };
  try {
    // Warm the JVM and the API (DynamoDB Local is slow right after start).
    await measure(2000, job.clients, (i) => rawPut(`warm-${job.run}-${i}`));
    await measure(200, job.clients, (i) => register(`warm-${i}@example.org`));
    for (const status of Object.keys(statuses)) delete statuses[status];
    // Raw before and after the storm: DynamoDB Local drifts as its tables grow.
    const rawBefore = await measure(job.n, job.clients, (i) => rawPut(`raw-${job.run}-a-${i}`));
    const stormed = await measure(job.n, job.clients, (i) => register(`storm-${i}@example.org`));
    const stormStatuses = { ...statuses };
    const rawAfter = await measure(job.n, job.clients, (i) => rawPut(`raw-${job.run}-b-${i}`));
    return { rawBefore, storm: stormed, rawAfter, statuses: stormStatuses };
  } finally {
    dynamodb.destroy();
  }
}

function run(job: LoadJob): Promise<TimedResult | FreshnessResult | StormResult> {
  if (job.kind === 'timeInTurns') return timedRequests(job);
  if (job.kind === 'storm') return storm(job);
  return freshness(job);
}

const chunks: Buffer[] = [];
for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
const job = JSON.parse(Buffer.concat(chunks).toString('utf8')) as LoadJob;
run(job).then(
  (result) => {
    process.stdout.write(`${JSON.stringify(result)}\n`);
    process.exit(0);
  },
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  },
);
