/**
 * Runs a benchmark's load (./load-worker.ts) in a child process and returns what it measured:
 * the clients get an event loop (and a CPU share) of their own, apart from the system measured.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Throughput } from './measure.js';

interface Common {
  readonly n: number;
  readonly concurrency: number;
  /** Addresses or stream ids are `${prefix}${i}`. */
  readonly prefix: string;
  readonly seriesId: string;
  readonly sessions: readonly string[];
}
export type LoadJob =
  | (Common & { readonly kind: 'register'; readonly url: string })
  | (Common & { readonly kind: 'putEvent'; readonly endpoint: string; readonly region: string; readonly table: string });

export interface LoadResult extends Throughput {
  /** HTTP status (or `put`) -> count. */
  readonly statuses: Record<string, number>;
}

const WORKER = fileURLToPath(new URL('./load-worker.ts', import.meta.url));

export function runLoad(job: LoadJob): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', WORKER, JSON.stringify(job)], { stdio: ['ignore', 'pipe', 'inherit'], env: process.env });
    let out = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => (out += chunk));
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      if (code !== 0) return reject(new Error(`load worker (${job.kind}) exited ${code ?? signal}`));
      try {
        resolve(JSON.parse(out.trim().split('\n').pop()!) as LoadResult);
      } catch (error) {
        reject(error);
      }
    });
  });
}
