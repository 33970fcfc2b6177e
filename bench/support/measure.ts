/** What every benchmark shares: running operations with a fixed number in flight, and writing results. */
import { writeFileSync } from 'node:fs';

export interface Throughput {
  readonly seconds: number;
  readonly perSecond: number;
}

/** Run `n` operations with `concurrency` in flight (each slot one after the other). */
export async function measure(n: number, concurrency: number, op: (i: number, slot: number) => Promise<unknown>): Promise<Throughput> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async (_, slot) => {
      for (let i = next++; i < n; i = next++) await op(i, slot);
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  return { seconds, perSecond: n / seconds };
}

/**
 * Each operation `rounds` times after `warmup` rounds, one at a time, taking turns (one of each
 * per round), so that load from elsewhere on the machine falls on every row alike: milliseconds
 * by operation, the warm-up left out.
 */
export async function timeInTurns(ops: Record<string, () => Promise<unknown>>, { rounds, warmup }: { readonly rounds: number; readonly warmup: number }): Promise<Record<string, number[]>> {
  const times: Record<string, number[]> = Object.fromEntries(Object.keys(ops).map((name) => [name, []]));
  for (let i = 0; i < warmup + rounds; i++) {
    for (const [name, op] of Object.entries(ops)) {
      const started = performance.now();
      await op();
      if (i >= warmup) times[name]!.push(performance.now() - started);
    }
  }
  return times;
}

/** The middle value (the upper one of an even count). */
export const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export const ratio = (figure: number, baseline: number) => Number((figure / baseline).toFixed(2));

/** bench/results/<name>.json and .md, and the table on stdout. */
export function writeResult(name: string, result: unknown, markdown: string): void {
  writeFileSync(new URL(`../results/${name}.json`, import.meta.url), `${JSON.stringify(result, null, 2)}\n`);
  writeFileSync(new URL(`../results/${name}.md`, import.meta.url), `${markdown}\n`);
  console.log(markdown);
}

/**
 * One row of the summary table (bench/results/summary.md): the project's figure next to the
 * same run's baseline of the raw service, their ratio, and the aim for it.
 */
export interface Headline {
  readonly benchmark: string;
  /** The project's figure, with its unit ("412 registrations/s"). */
  readonly figure: string;
  /** The raw service in the same run ("798 PutItem/s"); empty where there is none. */
  readonly baseline: string;
  /** Project over baseline for rates, project over baseline for times (then lower is better). */
  readonly ratio?: number;
  /** The aim, as the issue words it ("ratio ≥ 0.5"). */
  readonly aim: string;
  readonly met: boolean;
  /** What else was checked (nothing lost, nothing twice...). */
  readonly checked?: string;
}

export const HEADLINES_KEY = 'headlines';

/** Runs a benchmark's main: a failure is printed and makes the exit code 1. */
export function runBenchmark(main: () => Promise<void>): void {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
