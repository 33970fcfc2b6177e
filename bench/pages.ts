/**
 * The series page against its JSON: `GET /series/{id}` of a lecture series of 20 sessions,
 * once as a browser asks (Accept: text/html, Arabic) and once as a program (JSON), timed one
 * at a time in turns from a process of its own, on the API `npm start` serves. Also the
 * page's size. Not a test: prints a table and writes bench/results/pages.{json,md}.
 *
 *   npm run bench:pages   (PAGES_BENCH_REQUESTS=300)
 */
import { cpus } from 'node:os';
import { inSequence } from '../events/shared/decider.js';
import { seriesDecider, seriesStreamId, type SeriesCommand } from '../events/series/index.js';
import { handleCommand } from '../functions/commands/command-handler.js';
import { rebuildReadModels } from '../functions/projector/rebuild.js';
import { STREAMED_TABLE_IDS } from '../infra/local/create-tables.js';
import { startLocalStack } from '../infra/local/stack.js';
import { runLoad } from './support/load-process.js';
import { startBenchApi } from './support/local-api.js';
import { median, ratio, runBenchmark, writeResult, type Headline } from './support/measure.js';

const SESSIONS = 20;
const REQUESTS = Number(process.env.PAGES_BENCH_REQUESTS ?? 300);
const context = { actor: { kind: 'system', id: 'bench' }, correlationId: 'bench' } as const;

async function main() {
  const stack = await startLocalStack({ tablePrefix: 'benchpages', withoutStreams: STREAMED_TABLE_IDS });
  const api = await startBenchApi(stack);
  try {
    const seriesId = 'care-2028';
    const commands: SeriesCommand[] = [
      {
        type: 'CreateSeries',
        seriesId,
        kind: 'lecture-series',
        title: { en: 'Care Economy Lecture Series', ar: 'سلسلة محاضرات اقتصاد الرعاية', es: 'Economía del cuidado' },
        description: { en: 'Twenty lectures on care work.', ar: 'عشرون محاضرة عن أعمال الرعاية.' },
        timeZone: 'Asia/Hebron',
        languages: ['en', 'ar', 'es'],
        organiser: { name: 'Training Centre', email: 'training@example.org' },
      },
      ...Array.from({ length: SESSIONS }, (_, i): SeriesCommand => {
        const day = new Date(Date.UTC(2028, 2, 1 + 7 * i)).toISOString().slice(0, 10);
        return { type: 'ScheduleSession', seriesId, sessionId: `s${i}`, title: { en: `Lecture ${i + 1}: care work and policy`, ar: `المحاضرة ${i + 1}: أعمال الرعاية والسياسات` }, start: `${day}T18:00`, durationMinutes: 90, language: i % 2 ? 'ar' : 'en', capacity: 100, speakers: [{ name: 'Amal Haddad' }, { name: 'Lucía Pérez' }], joinUrl: `https://webinar.example.org/${i}` };
      }),
    ];
    await handleCommand({ store: api.store, decider: inSequence(seriesDecider), streamId: seriesStreamId(seriesId), command: commands, context });
    await rebuildReadModels({ store: api.store, readModels: api.readModels });
    const url = `${api.url}/series/${seriesId}`;
    const page = await fetch(url, { headers: { accept: 'text/html', 'accept-language': 'ar' } });
    const pageBytes = (await page.arrayBuffer()).byteLength;
    if (page.status !== 200) throw new Error(`the page answered ${page.status}`);
    const { times } = await runLoad({
      kind: 'timeInTurns',
      rounds: REQUESTS,
      warmup: 30,
      requests: {
        page: { url, headers: { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8', 'accept-language': 'ar' }, status: 200 },
        json: { url, headers: { accept: 'application/json' }, status: 200 },
      },
    });
    const pageMs = median(times.page!);
    const jsonMs = median(times.json!);
    const result = {
      date: new Date().toISOString(),
      machine: { cpus: cpus().length, node: process.version },
      sessions: SESSIONS,
      requests: REQUESTS,
      pageMedianMs: Number(pageMs.toFixed(2)),
      jsonMedianMs: Number(jsonMs.toFixed(2)),
      pageBytes,
      ratio: ratio(pageMs, jsonMs),
    };
    const headlines: Headline[] = [
      {
        benchmark: `series page of ${SESSIONS} sessions (Arabic, ${Math.round(pageBytes / 1024)} KiB) against its JSON, same URL`,
        figure: `${result.pageMedianMs} ms median`,
        baseline: `${result.jsonMedianMs} ms (JSON)`,
        ratio: result.ratio,
        aim: 'at most 2x the JSON; page under 50 KB',
        met: result.ratio <= 2 && pageBytes < 50 * 1024,
        checked: `${REQUESTS} of each, one at a time in turns, from a process of its own; the page ${pageBytes} bytes`,
      },
    ];
    const md = [
      `| GET /series/{id}, ${SESSIONS} sessions, ${REQUESTS} each | median | ratio | aim |`,
      '|---|---:|---:|---:|',
      `| as JSON (baseline) | ${result.jsonMedianMs} ms | 1.00 | |`,
      `| as the Arabic page (${pageBytes} bytes) | ${result.pageMedianMs} ms | ${result.ratio.toFixed(2)} | ≤ 2 |`,
    ].join('\n');
    writeResult('pages', { ...result, headlines }, md);
  } finally {
    await api.stop();
    await stack.stop();
  }
}

runBenchmark(main);
