/**
 * Registration storm: 5,000 self-service registrations to one session from 50 concurrent HTTP
 * clients, next to raw conditional PutItems of one event item on the same DynamoDB Local in
 * the same run; the clients and the raw writes run in a process of their own
 * (support/load-worker.ts). The confirmation mails then go from the dispatcher (ticks until none is left),
 * and the time from the storm's end to the last mail is reported. Then it checks what users
 * would: every request answered 202 (no 5xx), every address one member with one registration,
 * every confirmation mail sent once, the roster complete. Last, the answer time of a request
 * for a new, a pending and a confirmed address, one request at a time (timing must not tell
 * who is registered). Not a test: prints a table and writes bench/results/registrations.{json,md}.
 *
 *   npm run bench:registrations   (REGISTRATION_BENCH_N=5000 REGISTRATION_BENCH_CLIENTS=50)
 */
import { cpus } from 'node:os';
import { randomBytes } from 'node:crypto';
import { memberDecider, memberStreamId } from '../events/member/index.js';
import { dispatcherFromEnvironment } from '../functions/dispatcher/environment.js';
import { MAIL_SEND_RATE_ENV } from '../functions/dispatcher/send-rate.js';
import { MAIL_FROM_ENV, PUBLIC_BASE_URL_ENV, SIGNING_SECRETS_ENV } from '../functions/api/route-table.js';
import { seriesDecider, seriesStreamId } from '../events/series/index.js';
import { inSequence } from '../events/shared/decider.js';
import { handleCommand } from '../functions/commands/command-handler.js';
import { rebuildReadModels } from '../functions/projector/rebuild.js';
import { getRosterEntries } from '../functions/read-models/queries.js';
import type { RosterEntry } from '../events/projections/member-registrations.js';
import { startLocalStack } from '../infra/local/stack.js';
import { EVENT_STREAM_ID, EVENT_VERSION, eventTable, intakeTable, tableEnvironment } from '../functions/tables.js';
import { STREAMED_TABLE_IDS } from '../infra/local/create-tables.js';
import { startBenchApi } from './support/local-api.js';
import { runLoad } from './support/load-process.js';
import { startIntakePoller } from '../infra/local/intake-poller.js';
import { median, ratio, writeResult, type Headline, runBenchmark } from './support/measure.js';

const N = Number(process.env.REGISTRATION_BENCH_N ?? 5000);
const CLIENTS = Number(process.env.REGISTRATION_BENCH_CLIENTS ?? 50);
const TIMING_ROUNDS = Math.min(200, Math.max(10, Math.floor(N / 25)));
const context = { actor: { kind: 'system', id: 'bench' }, correlationId: 'bench' } as const;

async function main() {
  // Only the intake's stream has a consumer here (the read models come from a rebuild): DynamoDB
  // Local slows down with every stream it keeps (infra/local/create-tables.ts).
  const stack = await startLocalStack({ tablePrefix: 'benchreg', withoutStreams: STREAMED_TABLE_IDS.filter((id) => id !== intakeTable.id) });
  const api = await startBenchApi(stack);
  try {
    const table = stack.info.tables[eventTable.id]!;
    const run = `${Date.now()}`;
    const seriesId = 'storm-2027';
    await handleCommand({
      store: api.store,
      decider: inSequence(seriesDecider),
      streamId: seriesStreamId(seriesId),
      command: [
        { type: 'CreateSeries', seriesId, kind: 'lecture-series', title: { en: 'Care Economy: the keynote', es: 'Economía del cuidado' }, timeZone: 'Europe/Rome', languages: ['en', 'es'], organiser: { name: 'Training Centre', email: 'training@example.org' } },
        { type: 'ScheduleSession', seriesId, sessionId: 'keynote', title: { en: 'Keynote: care work and the economy' }, start: '2027-03-25T15:00', durationMinutes: 90, speakers: [{ name: 'Guest speaker' }], joinUrl: 'https://webinar.example.org/keynote' },
      ],
      context,
    });

    // The clients and the raw baseline in a process of their own: the raw PutItem writes the item
    // the event store writes for one registration, with the store's condition.
    const load = await runLoad({
      kind: 'storm',
      url: api.url,
      seriesId,
      sessionId: 'keynote',
      n: N,
      clients: CLIENTS,
      run,
      raw: {
        endpoint: stack.info.dynamodb.endpoint,
        region: stack.info.region,
        table,
        streamIdKey: EVENT_STREAM_ID,
        versionKey: EVENT_VERSION,
        item: {
          type: 'RegistrationRequested',
          schemaVersion: 1,
          data: { memberId: 'raw', seriesId, registrationId: 'raw', sessions: ['keynote'], language: 'en', timeZone: 'Asia/Kolkata', source: 'self-service' },
          actor: { kind: 'member', id: 'raw' },
          correlationId: 'bench',
          causationId: 'bench',
        },
      },
    });
    const { rawBefore, storm, rawAfter } = load;
    const stormStatuses = new Map(Object.entries(load.statuses).map(([status, count]) => [Number(status), count]));
    const raw = { seconds: (rawBefore.seconds + rawAfter.seconds) / 2, perSecond: (rawBefore.perSecond + rawAfter.perSecond) / 2 };

    // The intake takes the requests after their answers (on AWS its own Lambda; here after the
    // storm, so that the storm measures the API alone). Then the confirmation mails leave from the
    // dispatcher, which finds them through the read models (this bench runs no live projector: a
    // rebuild stands in), ticking until it plans nothing more.
    const stormEnded = performance.now();
    const intake = await startIntakePoller({ dynamodb: api.clients.dynamodb, doc: api.doc, streams: api.streams, tables: stack.info.tables, store: api.store, batchSize: 1000, intervalMs: 20 });
    await intake.drain(600_000);
    await intake.stop();
    const intakeSeconds = (performance.now() - stormEnded) / 1000;
    await rebuildReadModels({ store: api.store, readModels: api.readModels });
    const dispatcher = dispatcherFromEnvironment(
      {
        ...tableEnvironment(stack.info.tables),
        [PUBLIC_BASE_URL_ENV]: api.url,
        [MAIL_FROM_ENV]: 'Convene <no-reply@convene.local>',
        [SIGNING_SECRETS_ENV]: randomBytes(32).toString('base64url'),
        [MAIL_SEND_RATE_ENV]: '2000',
      },
      { dynamodb: api.doc, ses: api.clients.ses },
    );
    let ticks = 0;
    for (let planned = Infinity; planned > 0 && ticks < 50; ticks++) planned = (await dispatcher.tick({ now: new Date() })).planned;
    const mailSeconds = (performance.now() - stormEnded) / 1000;

    // What a user would check: nobody lost, nobody twice.
    const emails = Array.from({ length: N }, (_, i) => `storm-${i}@example.org`);
    const memberIds = await mapInChunks(emails, (e) => api.members.memberIdForEmail(e));
    const missingMembers = memberIds.filter((m) => !m).length;
    const distinctMembers = new Set(memberIds).size;
    const streams = await mapInChunks(memberIds.filter((m): m is string => !!m), (m) => api.store.read(memberStreamId(m)));
    const requested = streams.map((s) => s.filter((e) => e.type === 'RegistrationRequested' && e.data.seriesId === seriesId).length);
    const lost = requested.filter((n) => n === 0).length + missingMembers;
    const duplicated = requested.filter((n) => n > 1).length + (N - missingMembers - distinctMembers);
    const mails = await confirmationMailsTo(stack.info.ses.endpoint, new Set(emails));
    const roster = await getRosterEntries(api.readModels, seriesId);
    const registered = new Set(memberIds);
    const fiveHundreds = [...stormStatuses].filter(([s]) => s >= 500).reduce((n, [, c]) => n + c, 0);

    // Who is registered must not show in the time an answer takes: one request at a time, each kind in turn.
    const timing = { new: [] as number[], pending: [] as number[], confirmed: [] as number[] };
    const register = async (email: string) => {
      const res = await fetch(`${api.url}/series/${seriesId}/registrations`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email, name: 'Timing member', language: 'en', timeZone: 'America/Bogota', sessions: ['keynote'] }),
      });
      await res.arrayBuffer();
      if (res.status !== 202) throw new Error(`registration for timing answered ${res.status}`);
    };
    const confirmedAddress = 'storm-0@example.org';
    await fetch(`${api.url}/series/${seriesId}/registrations`, { method: 'POST' }); // warm the route
    const confirmedId = (await api.members.memberIdForEmail(confirmedAddress))!;
    const reg = (await api.store.read(memberStreamId(confirmedId))).find((e) => e.type === 'RegistrationRequested')!.data as { registrationId: string };
    await handleCommand({ store: api.store, decider: memberDecider, streamId: memberStreamId(confirmedId), command: { type: 'ConfirmRegistration', memberId: confirmedId, seriesId, registrationId: reg.registrationId }, context });
    for (let i = 0; i < TIMING_ROUNDS; i++) {
      for (const [kind, email] of [['new', `timing-${run}-${i}@example.org`], ['pending', `storm-${1 + i}@example.org`], ['confirmed', confirmedAddress]] as const) {
        const started = performance.now();
        await register(email);
        timing[kind].push(performance.now() - started);
      }
    }
    const medianMs = (xs: number[]) => Number(median(xs).toFixed(1));

    const result = {
      date: new Date().toISOString(),
      machine: { cpus: cpus().length, node: process.version },
      registrations: N,
      clients: CLIENTS,
      raw: { perSecond: Math.round(raw.perSecond), before: Math.round(rawBefore.perSecond), after: Math.round(rawAfter.perSecond) },
      storm: { perSecond: Math.round(storm.perSecond), seconds: Number(storm.seconds.toFixed(2)) },
      confirmationMail: { ticks, secondsToLastMail: Number(mailSeconds.toFixed(1)), intakeSeconds: Number(intakeSeconds.toFixed(1)) },
      answerMedianMs: { new: medianMs(timing.new), pending: medianMs(timing.pending), confirmed: medianMs(timing.confirmed), rounds: TIMING_ROUNDS },
      ratio: ratio(storm.perSecond, raw.perSecond),
      aim: 0.5,
      checks: {
        statuses: Object.fromEntries(stormStatuses),
        fiveHundreds,
        lost,
        duplicated,
        confirmationMails: mails.total,
        addressesMailedTwice: mails.twice,
        rosterEntries: roster.filter((r) => registered.has(r.memberId)).length,
      },
    };
    const ok = fiveHundreds === 0 && lost === 0 && duplicated === 0 && stormStatuses.get(202) === N && mails.total === N && mails.twice === 0;
    const headlines: Headline[] = [
      {
        benchmark: `registration storm: ${N} registrations to one session, ${CLIENTS} HTTP clients`,
        figure: `${result.storm.perSecond} registrations/s`,
        baseline: `${result.raw.perSecond} conditional PutItem/s`,
        ratio: result.ratio,
        aim: 'ratio ≥ 0.5, none lost or twice, no 5xx',
        met: ok && result.ratio >= 0.5,
        checked: `${stormStatuses.get(202) ?? 0} answered 202, ${fiveHundreds} 5xx, ${lost} lost, ${duplicated} twice, ${mails.total} confirmation mails (${mails.twice} addresses twice) from the dispatcher, the last ${result.confirmationMail.secondsToLastMail} s after the storm (intake ${result.confirmationMail.intakeSeconds} s, then ${ticks} dispatcher ticks), ${result.checks.rosterEntries} on the roster after a rebuild`,
      },
      {
        benchmark: `registration answer time by address (${TIMING_ROUNDS} requests each, one at a time)`,
        figure: `new ${result.answerMedianMs.new} ms, pending ${result.answerMedianMs.pending} ms, confirmed ${result.answerMedianMs.confirmed} ms (medians)`,
        baseline: 'the same request for a new address',
        ratio: ratio(result.answerMedianMs.confirmed, result.answerMedianMs.new),
        aim: 'the same single write for every address (test/api/member-identity.e2e.test.ts); no mail in the request',
        met: ok,
        checked: 'confirmed / new median; no SES call in any request',
      },
    ];
    const md = [
      `| ${N} registrations to one session, ${CLIENTS} clients | per second | ratio | aim |`,
      '|---|---:|---:|---:|',
      `| raw conditional PutItem of the event item (baseline, mean of before/after) | ${result.raw.perSecond} | 1.00 | |`,
      `| POST /series/{id}/registrations over HTTP (validate, count the client, keep the request for the intake; member, name and event come after) | ${result.storm.perSecond} | ${result.ratio.toFixed(2)} | ≥ 0.5 |`,
      '',
      `Confirmation mails: ${mails.total} from the dispatcher, the last ${result.confirmationMail.secondsToLastMail} s after the storm: the intake took every request in ${result.confirmationMail.intakeSeconds} s, then the read models were rebuilt (this bench runs no live projector) and the dispatcher ticked ${ticks} times.`,
      '',
      `| one request at a time (${TIMING_ROUNDS} each) | median answer |`,
      '|---|---:|',
      `| a new address | ${result.answerMedianMs.new} ms |`,
      `| an address waiting for its confirmation | ${result.answerMedianMs.pending} ms |`,
      `| a confirmed member's address | ${result.answerMedianMs.confirmed} ms |`,
      '',
      `Checked: ${stormStatuses.get(202) ?? 0} answered 202, ${fiveHundreds} 5xx, ${lost} lost, ${duplicated} duplicated, ${mails.total} confirmation mails (${mails.twice} addresses twice), ${result.checks.rosterEntries} on the session's roster after a rebuild.`,
    ].join('\n');
    writeResult('registrations', { ...result, headlines }, md);
    if (!ok) {
      console.error('registration storm: checks FAILED', JSON.stringify(result.checks));
      process.exitCode = 1;
    }
  } finally {
    await api.stop();
    await stack.stop();
  }
}

async function mapInChunks<T, R>(xs: readonly T[], f: (x: T) => Promise<R>, size = 50): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < xs.length; i += size) out.push(...(await Promise.all(xs.slice(i, i + size).map(f))));
  return out;
}

/** Confirmation mails in the SES endpoint's store addressed to any of `to`, and how many addresses got two. */
async function confirmationMailsTo(endpoint: string, to: Set<string>) {
  const { emails } = (await (await fetch(`${endpoint}/store`)).json()) as { emails: { destination: { to: string[] } }[] };
  const counts = new Map<string, number>();
  for (const mail of emails) for (const address of mail.destination.to) {
    const bare = /<([^>]+)>/.exec(address)?.[1] ?? address;
    if (to.has(bare)) counts.set(bare, (counts.get(bare) ?? 0) + 1);
  }
  return { total: [...counts.values()].reduce((a, b) => a + b, 0), twice: [...counts.values()].filter((n) => n > 1).length };
}

runBenchmark(main);
