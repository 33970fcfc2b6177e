/**
 * A benchmark's load generator, in a process of its own (./load-process.ts starts it), so the
 * system measured does not share its event loop with its clients. Reads one job as JSON from
 * stdin, runs it, prints one line of JSON with what it measured.
 *
 * - `timeInTurns`: requests timed one at a time, in turns (bench/feeds.ts);
 * - `freshness`: reschedules, each timed until the feeds show it (bench/feed-freshness.ts).
 */
import type { FreshnessJob, FreshnessResult, LoadJob, TimedRequest, TimedResult } from './load-process.js';
import { timeInTurns } from './measure.js';

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

function run(job: LoadJob): Promise<TimedResult | FreshnessResult> {
  return job.kind === 'timeInTurns' ? timedRequests(job) : freshness(job);
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
