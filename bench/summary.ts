/**
 * The table `npm run bench` ends with: every benchmark's headline rows (each results JSON
 * carries them under `headlines`), in bench/results/summary.{md,json}. Run after the
 * benchmarks; a benchmark whose results are missing is listed as not run.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { HEADLINES_KEY, writeResult, type Headline } from './support/measure.js';
import { BENCHMARKS } from './summary-rows.js';


const rows: (Headline & { ranAt?: string })[] = [];
for (const name of BENCHMARKS) {
  const file = new URL(`./results/${name}.json`, import.meta.url);
  if (!existsSync(file)) {
    rows.push({ benchmark: name, figure: 'not run', baseline: '', aim: '', met: false });
    continue;
  }
  const result = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  const headlines = (result[HEADLINES_KEY] ?? []) as Headline[];
  const ranAt = typeof result.date === 'string' ? result.date : statSync(file).mtime.toISOString();
  for (const h of headlines) rows.push({ ...h, ranAt });
}

const cell = (s: string) => s.replaceAll('|', '\\|');
const md = [
  '| benchmark | Convene | raw service, same run | ratio | aim | met |',
  '|---|---:|---:|---:|---|:-:|',
  ...rows.map((r) => `| ${cell(r.benchmark)} | ${cell(r.figure)} | ${cell(r.baseline)} | ${r.ratio === undefined ? '' : r.ratio.toFixed(2)} | ${cell(r.aim)} | ${r.met ? 'yes' : '**no**'} |`),
  '',
  ...rows.filter((r) => r.checked).map((r) => `- ${r.benchmark}: ${r.checked}`),
].join('\n');
writeResult('summary', { date: new Date().toISOString(), machine: { cpus: cpus().length, node: process.version, loadAverage: loadavg()[0] }, rows }, md);
