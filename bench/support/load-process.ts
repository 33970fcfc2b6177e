/**
 * Runs a benchmark's load (./load-worker.ts) in a child process and returns what it measured:
 * the clients get an event loop (and a CPU share) of their own, apart from the system measured.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** One request of a `timeInTurns` job, and the status it must answer. */
export interface TimedRequest {
  readonly url: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly status: number;
}

export type LoadJob =
  /** Each request `rounds` times after `warmup` rounds, one at a time, taking turns (one of each per round). */
  | { readonly kind: 'timeInTurns'; readonly requests: Readonly<Record<string, TimedRequest>>; readonly rounds: number; readonly warmup: number }
  | FreshnessJob
  | StormJob;

/**
 * bench/registrations.ts: warm-ups, then raw conditional PutItems of one event item (`raw.item`
 * under a fresh stream id each), the storm of self-service registrations over HTTP, and raw
 * PutItems again, each phase `n` operations with `clients` in flight.
 */
export interface StormJob {
  readonly kind: 'storm';
  readonly url: string;
  readonly seriesId: string;
  readonly sessionId: string;
  readonly n: number;
  readonly clients: number;
  readonly run: string;
  readonly raw: {
    readonly endpoint: string;
    readonly region: string;
    readonly table: string;
    readonly streamIdKey: string;
    readonly versionKey: string;
    /** The event item without its stream id and version. */
    readonly item: Readonly<Record<string, unknown>>;
  };
}

export interface StormResult {
  readonly rawBefore: { readonly seconds: number; readonly perSecond: number };
  readonly storm: { readonly seconds: number; readonly perSecond: number };
  readonly rawAfter: { readonly seconds: number; readonly perSecond: number };
  /** How many storm requests answered each status. */
  readonly statuses: Record<string, number>;
}

/**
 * bench/feed-freshness.ts: every feed of `prime` polled once (its ETag kept, as a calendar
 * would), then for each round the session rescheduled through the admin API and both feeds
 * polled every `pollMs` with If-None-Match until they show the round's DTSTART.
 */
export interface FreshnessJob {
  readonly kind: 'freshness';
  readonly url: string;
  readonly organiserToken: string;
  readonly seriesId: string;
  readonly pollMs: number;
  readonly timeoutMs: number;
  readonly prime: readonly string[];
  readonly publicPath: string;
  readonly rounds: readonly { readonly sessionId: string; readonly start: string; readonly dtstart: string; readonly personalPath: string }[];
}

export interface FreshnessResult {
  /** Milliseconds from the reschedule's request to the feed showing it, per round. */
  readonly personal: number[];
  readonly publicFeed: number[];
}

export interface TimedResult {
  /** Milliseconds of each request, by name, in the order taken. */
  readonly times: Record<string, number[]>;
}

type ResultOf<J extends LoadJob> = J extends { kind: 'timeInTurns' } ? TimedResult : J extends { kind: 'storm' } ? StormResult : FreshnessResult;

const WORKER = fileURLToPath(new URL('./load-worker.ts', import.meta.url));

export function runLoad<J extends LoadJob>(job: J): Promise<ResultOf<J>> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', WORKER], { stdio: ['pipe', 'pipe', 'inherit'], env: process.env });
    let out = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => (out += chunk));
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      if (code !== 0) return reject(new Error(`load worker (${job.kind}) exited ${code ?? signal}`));
      try {
        resolve(JSON.parse(out.trim().split('\n').pop()!) as ResultOf<J>);
      } catch (error) {
        reject(error);
      }
    });
    // The job on stdin: a timed job's URLs hold a feed token, which stays off the process list.
    child.stdin.end(JSON.stringify(job));
  });
}
