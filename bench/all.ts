/**
 * `npm run bench`: every benchmark of the summary, one after the other (each starts and stops
 * its own local stack, so none measures another's leftovers), then the summary table.
 * A benchmark that fails (or whose checks fail) is reported; the others still run.
 */
import { spawnSync } from 'node:child_process';
import { BENCHMARKS } from './summary-rows.js';

const failed: string[] = [];
for (const name of BENCHMARKS) {
  console.log(`\n=== bench:${name} ===`);
  const started = Date.now();
  const run = spawnSync(process.execPath, ['--import', 'tsx', `bench/${name}.ts`], { stdio: 'inherit', env: process.env });
  console.log(`=== bench:${name}: ${run.status === 0 ? 'done' : 'FAILED'} in ${Math.round((Date.now() - started) / 1000)} s ===`);
  if (run.status !== 0) failed.push(name);
}
const summary = spawnSync(process.execPath, ['--import', 'tsx', 'bench/summary.ts'], { stdio: 'inherit', env: process.env });
if (failed.length > 0 || summary.status !== 0) {
  console.error(`failed: ${failed.join(', ') || 'summary'}`);
  process.exitCode = 1;
}
