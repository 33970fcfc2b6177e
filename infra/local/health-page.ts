/**
 * The local stack's front page: where everything is (mailbox page, S3 folder, tables) and
 * whether each service answers. `GET /` is HTML for a person, `GET /health` JSON for scripts.
 */
import { Hono } from 'hono';
import { ListTablesCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { HeadBucketCommand } from '@aws-sdk/client-s3';
import { DateTime } from 'luxon';
import { seriesDecider, type SeriesEvent } from '../../events/series/index.js';
import type { ConveneEvent } from '../../events/registry.js';
import type { EventStore } from '../../functions/adapters/event-store/event-store.js';
import type { LocalClients } from './clients.js';
import type { LocalStackInfo } from './stack.js';

export interface HealthReport {
  status: 'ok' | 'degraded';
  services: Record<'dynamodb' | 'ses' | 's3', { endpoint: string; ok: boolean; error?: string }>;
  mailbox: string;
  s3Folder: string;
  tables: Record<string, { name: string; items?: number }>;
}

export async function healthReport(info: LocalStackInfo, clients: LocalClients): Promise<HealthReport> {
  const probe = async (fn: () => Promise<unknown>) => {
    try {
      await Promise.race([fn(), new Promise((_, reject) => setTimeout(() => reject(new Error('no answer within 3 s')), 3000).unref())]);
      return { ok: true };
    } catch (error) {
      return { ok: false, error: error instanceof Error ? error.message : String(error) };
    }
  };
  const [dynamodb, ses, s3] = await Promise.all([
    probe(() => clients.dynamodb.send(new ListTablesCommand({}))),
    // aws-ses-v2-local does not answer GetSendQuota; its mailbox API shows it is up.
    probe(() => fetch(`${info.ses.endpoint}/store`, { signal: AbortSignal.timeout(3000) }).then((r) => r.ok || Promise.reject(new Error(`HTTP ${r.status}`)))),
    probe(() => clients.s3.send(new HeadBucketCommand({ Bucket: info.s3.bucket }))),
  ]);
  const tables: HealthReport['tables'] = {};
  for (const [id, name] of Object.entries(info.tables)) {
    const count = dynamodb.ok ? await clients.dynamodb.send(new ScanCommand({ TableName: name, Select: 'COUNT' })).catch(() => undefined) : undefined;
    tables[id] = { name, ...(count?.Count !== undefined ? { items: count.Count } : {}) };
  }
  return {
    status: dynamodb.ok && ses.ok && s3.ok ? 'ok' : 'degraded',
    services: {
      dynamodb: { endpoint: info.dynamodb.endpoint, ...dynamodb },
      ses: { endpoint: info.ses.endpoint, ...ses },
      s3: { endpoint: info.s3.endpoint, ...s3 },
    },
    mailbox: info.ses.mailboxUrl,
    s3Folder: info.s3.directory,
    tables,
  };
}

/** `GET /` (HTML) and `GET /health` (JSON), mounted beside the API by `npm start`. */
export function healthRoutes(options: {
  info: LocalStackInfo;
  clients: LocalClients;
  store: EventStore<ConveneEvent>;
  seriesStreams: readonly string[];
}) {
  const app = new Hono();
  app.get('/health', async (c) => {
    const report = await healthReport(options.info, options.clients);
    return c.json(report, report.status === 'ok' ? 200 : 503);
  });
  app.get('/', async (c) => {
    const report = await healthReport(options.info, options.clients);
    const series = await Promise.all(options.seriesStreams.map((s) => options.store.read(s)));
    return c.html(page(report, series as SeriesEvent[][]));
  });
  return app;
}

// Style attributes only: the API's page policy (functions/api/http-app.ts) allows no <style> element.
const TD = ' style="padding:.2rem .8rem;border-bottom:1px solid #ddd"';

const esc = (text: unknown) =>
  String(text).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

function page(report: HealthReport, streams: SeriesEvent[][]): string {
  const services = Object.entries(report.services)
    .map(([name, s]) => `<tr><td${TD}>${esc(name)}</td><td${TD}><a href="${esc(s.endpoint)}">${esc(s.endpoint)}</a></td><td${TD}>${s.ok ? 'ok' : `down: ${esc(s.error)}`}</td></tr>`)
    .join('');
  const tables = Object.entries(report.tables)
    .map(([id, t]) => `<tr><td${TD}>${esc(id)}</td><td${TD}>${esc(t.name)}</td><td${TD}>${t.items ?? '?'}</td></tr>`)
    .join('');
  const series = streams
    .map((events) => {
      let state = seriesDecider.initialState();
      for (const e of events) state = seriesDecider.evolve(state, e);
      if (state.status !== 'active') return '';
      const lang = state.languages[0]!;
      const sessions = Object.values(state.sessions)
        .map((s) => {
          const local = DateTime.fromISO(s.startsAt, { zone: s.timeZone });
          return `<li>${esc(s.title[s.language] ?? Object.values(s.title)[0])} (${esc(s.language)}): ${esc(local.toFormat("cccc d LLLL yyyy, HH:mm"))} ${esc(s.timeZone)} = ${esc(s.startsAt)}${s.status === 'cancelled' ? ' <b>cancelled</b>' : ''}</li>`;
        })
        .join('');
      const window = state.window ? `<p>Open for discussion ${esc(state.window.opens)} to ${esc(state.window.closes)}</p>` : '';
      return `<h3>${esc(state.title[lang])}</h3><p>${esc(state.kind)}, ${events.length} events, home zone ${esc(state.timeZone)}</p>${window}<ul>${sessions}</ul>`;
    })
    .join('');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Convene local stack</title></head>
<body style="font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem"><h1>Convene local stack: ${esc(report.status)}</h1>
<h2>Services</h2><table>${services}</table>
<p>Mailbox (every mail sent through SES): <a href="${esc(report.mailbox)}">${esc(report.mailbox)}</a></p>
<p>S3 folder: <code>${esc(report.s3Folder)}</code></p>
<h2>Tables</h2><table><tr><th>table</th><th>name</th><th>items</th></tr>${tables}</table>
<h2>Demo series</h2>${series}
<p><a href="/health">/health</a> as JSON</p></body></html>`;
}
