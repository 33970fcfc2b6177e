/**
 * 10,000 registrants of one session all reminded by the dispatcher: exactly one mail each,
 * mails per second next to raw SendRawEmail per second against the same (local) SES endpoint
 * in the same run. Not a test: prints a table and writes bench/results/reminders.{json,md}.
 *
 *   npm run bench:reminders
 *   (REMINDER_BENCH_MEMBERS=10000 REMINDER_BENCH_RAW_N=<members> REMINDER_BENCH_TWO=1 by default;
 *    REMINDER_BENCH_PROFILE=<file.cpuprofile> writes a CPU profile of the one-dispatcher tick)
 *
 * What runs: the dispatcher (and the raw baseline's client) in this process; DynamoDB Local (a
 * Java child) and aws-ses-v2-local, which parses every mail it receives with mailparser, each
 * in a process of its own, so neither shares this event loop with what is measured.
 *
 * 1. Seed through the real write path: one lecture series (reminder offsets PT1H) with one
 *    session; N members through the member directory, each registered by the organiser
 *    (RequestRegistration, source organiser: confirmed at once); read models rebuilt.
 * 2. Invitations: one dispatcher tick well before the session sends N invites (timed, row 2).
 * 3. Raw baseline: RAW_N SendRawEmail calls of one composed reminder (a different To each
 *    time, same size), as many in flight as the dispatcher sends at once (DEFAULT_CONCURRENCY).
 * 4. One dispatcher ticks at the PT1H due instant (MAIL_SEND_RATE 100000: the limiter does
 *    not bound it). Verified: the SES store holds exactly N mails, N distinct recipients, each
 *    the reminder; the ledger has N sent; a second tick plans 0.
 * 5. Optional: two dispatchers at once on a fresh delivery ledger, the same checks.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { createRequire } from 'node:module';
import { cpus } from 'node:os';
import { SendRawEmailCommand } from '@aws-sdk/client-ses';
import { memberDecider, memberStreamId } from '../events/member/index.js';
import type { RosterEntry } from '../events/projections/member-registrations.js';
import type { SeriesSchedule } from '../events/projections/schedule.js';
import { inSequence } from '../events/shared/decider.js';
import { seriesDecider, seriesStreamId, type SeriesCommand } from '../events/series/index.js';
import { createDeliveryLedger, ledgerKeys, type DeliveryLedger } from '../functions/adapters/deliveries/delivery-ledger.js';
import { documentClient } from '../functions/adapters/dynamodb-client.js';
import { conveneEventStore } from '../functions/adapters/event-store/index.js';
import { createSesMailer, type Mailer } from '../functions/adapters/mailer/ses-mailer.js';
import { createMemberDirectory, type MemberDirectory } from '../functions/adapters/members/member-directory.js';
import { createSuppressionList, type SuppressionList } from '../functions/adapters/members/suppression-list.js';
import { createReadModelStore, type ReadModelStore } from '../functions/read-models/read-model-store.js';
import { MAIL_FROM_ENV, PUBLIC_BASE_URL_ENV, SIGNING_SECRETS_ENV } from '../functions/api/route-table.js';
import { handleCommand } from '../functions/commands/command-handler.js';
import { DEFAULT_CONCURRENCY, type Dispatcher, type TickReport } from '../functions/dispatcher/dispatch.js';
import { dispatcherFromEnvironment } from '../functions/dispatcher/environment.js';
import { MAIL_SEND_RATE_ENV } from '../functions/dispatcher/send-rate.js';
import { composeReminderMail } from '../functions/mail/reminder-mail.js';
import { unsubscribeLinks } from '../functions/mail/unsubscribe-links.js';
import { mapLimited } from '../functions/map-limited.js';
import { rebuildReadModels } from '../functions/projector/rebuild.js';
import { scheduleKey } from '../functions/read-models/keys.js';
import { getRoster } from '../functions/read-models/queries.js';
import { createTokenSigner } from '../functions/security/signed-token.js';
import { localClients } from '../infra/local/clients.js';
import { createTables, STREAMED_TABLE_IDS } from '../infra/local/create-tables.js';
import { startLocalStack } from '../infra/local/stack.js';
import { deliveryTable, localTableNames, membersTable, readModelTable, tableEnvironment } from '../functions/tables.js';
import { runBenchmark } from './support/measure.js';

const MEMBERS = Number(process.env.REMINDER_BENCH_MEMBERS ?? 10_000);
const RAW_N = Number(process.env.REMINDER_BENCH_RAW_N ?? MEMBERS);
const TWO_DISPATCHERS = (process.env.REMINDER_BENCH_TWO ?? '1') !== '0';
/** A file to write a CPU profile of the one-dispatcher tick to (open it in Chrome DevTools). */
const PROFILE_TO = process.env.REMINDER_BENCH_PROFILE;
/** Sends in flight, raw and dispatcher alike: the dispatcher's default. */
const CONCURRENCY = DEFAULT_CONCURRENCY;
const SEED_CONCURRENCY = 32;
const SEND_RATE = '100000';

const BASE_URL = 'https://convene.example.org';
const MAIL_FROM = 'Convene <no-reply@convene.example.org>';
const SERIES_ID = 'bench-reminders';
const SESSION_ID = 'lecture-1';
const TITLE = { en: 'Care work and the economy', es: 'Trabajo de cuidados y economía' };
/** 15:00 in New York on 10 June 2027 is 19:00Z; PT1H is due at 18:00Z in every zone. */
const SESSION_START = '2027-06-10T15:00';
const INVITE_AT = new Date('2027-06-01T00:00:00Z');
const DUE_AT = new Date('2027-06-10T18:00:00Z');
const ZONES = ['America/New_York', 'Europe/London', 'Asia/Kolkata', 'America/Guayaquil', 'Asia/Jerusalem'];
const context = { actor: { kind: 'system', id: 'bench' }, correlationId: 'bench' } as const;

const memberEmail = (i: number) => `member-${String(i).padStart(5, '0')}@example.org`;
const seconds = (ms: number) => Number((ms / 1000).toFixed(2));
const perSecond = (n: number, ms: number) => Math.round(n / (ms / 1000));

// ---- CPU time: this process (dispatcher, SDK clients and the SES endpoint) and DynamoDB Local's JVM ----

interface Cpu {
  readonly nodeMs: number;
  readonly dynamodbMs: number;
}

/** CPU used so far; DynamoDB Local's from /proc (Linux; 0 elsewhere), in clock ticks of 10 ms. */
function cpuNow(dynamodbPid: number): Cpu {
  const { user, system } = process.cpuUsage();
  let dynamodbMs = 0;
  try {
    const fields = readFileSync(`/proc/${dynamodbPid}/stat`, 'utf8').replace(/^.*\) /s, '').split(' ');
    dynamodbMs = (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    // not Linux: the JVM's share is left out
  }
  return { nodeMs: (user + system) / 1000, dynamodbMs };
}

/** CPU milliseconds per mail between two readings. */
const cpuPerMail = (from: Cpu, to: Cpu, mails: number) => ({
  nodeMs: Number(((to.nodeMs - from.nodeMs) / mails).toFixed(2)),
  dynamodbMs: Number(((to.dynamodbMs - from.dynamodbMs) / mails).toFixed(2)),
});

/** The V8 profiler of this process, started; `stop()` gives the profile. */
async function startProfiling() {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  return {
    async stop() {
      const { profile } = await session.post('Profiler.stop');
      session.disconnect();
      return profile;
    },
  };
}

// ---- timing of adapter calls (wall-clock boundaries and summed latency per method) ----

interface OpStats {
  count: number;
  totalMs: number;
  firstStart: number;
  lastEnd: number;
}

class Timings {
  readonly ops = new Map<string, OpStats>();
  add(name: string, start: number, end: number) {
    const s = this.ops.get(name) ?? { count: 0, totalMs: 0, firstStart: Infinity, lastEnd: -Infinity };
    s.count++;
    s.totalMs += end - start;
    s.firstStart = Math.min(s.firstStart, start);
    s.lastEnd = Math.max(s.lastEnd, end);
    this.ops.set(name, s);
  }
  get(name: string): OpStats | undefined {
    return this.ops.get(name);
  }
  summary() {
    return Object.fromEntries(
      [...this.ops].map(([name, s]) => [name, { calls: s.count, totalMs: Math.round(s.totalMs), meanMs: Number((s.totalMs / s.count).toFixed(2)) }]),
    );
  }
}

/** The same object, each method's promise timed under `label.method`. */
function instrument<T extends object>(target: T, label: string, timings: Timings): T {
  return new Proxy(target, {
    get(obj, prop, receiver) {
      const value = Reflect.get(obj, prop, receiver) as unknown;
      if (typeof value !== 'function') return value;
      return async (...args: unknown[]) => {
        const start = performance.now();
        try {
          return await (value as (...a: unknown[]) => Promise<unknown>).apply(obj, args);
        } finally {
          timings.add(`${label}.${String(prop)}`, start, performance.now());
        }
      };
    },
  });
}

// ---- the SES endpoint's store ----

interface StoredMail {
  destination: { to: string[] };
  subject: string;
}

async function sesStore(endpoint: string): Promise<StoredMail[]> {
  const res = await fetch(`${endpoint}/store`);
  if (!res.ok) throw new Error(`GET /store answered ${res.status}`);
  return ((await res.json()) as { emails: StoredMail[] }).emails;
}

async function clearSesStore(endpoint: string): Promise<void> {
  const res = await fetch(`${endpoint}/clear-store`, { method: 'POST' });
  if (!res.ok) throw new Error(`POST /clear-store answered ${res.status}`);
  if ((await sesStore(endpoint)).length !== 0) throw new Error('the SES store is not empty after clear-store');
}

interface MailCheck {
  mails: number;
  distinctRecipients: number;
  duplicates: number;
  unexpectedRecipients: number;
  matchingSubject: number;
}

/** What the store holds since it was cleared: one mail to each expected address, no other? */
function checkMails(emails: StoredMail[], expected: ReadonlySet<string>, subject: (s: string) => boolean): MailCheck {
  const counts = new Map<string, number>();
  let unexpected = 0;
  for (const mail of emails) {
    for (const to of mail.destination.to) {
      const address = (/<([^>]+)>/.exec(to)?.[1] ?? to).trim().toLowerCase();
      if (!expected.has(address)) unexpected++;
      counts.set(address, (counts.get(address) ?? 0) + 1);
    }
  }
  return {
    mails: emails.length,
    distinctRecipients: counts.size,
    duplicates: [...counts.values()].reduce((n, c) => n + (c - 1), 0),
    unexpectedRecipients: unexpected,
    matchingSubject: emails.filter((m) => subject(m.subject)).length,
  };
}

function assertExactly(what: string, check: MailCheck, n: number) {
  const ok = check.mails === n && check.distinctRecipients === n && check.duplicates === 0 && check.unexpectedRecipients === 0 && check.matchingSubject === n;
  if (!ok) throw new Error(`${what}: expected exactly ${n} mails, one per recipient; got ${JSON.stringify(check)}`);
}

const isReminder = (s: string) => (s.startsWith('Reminder: ') && s.includes(TITLE.en)) || (s.startsWith('Recordatorio: ') && s.includes(TITLE.es));

async function main() {
  const startedAll = performance.now();
  // No stream consumer runs here (the read models are rebuilt), and with the streams on DynamoDB
  // Local slows every write as they grow: the rebuild of 10,000 members' read models did not finish.
  const stack = await startLocalStack({ tablePrefix: 'benchrem', sesInOwnProcess: true, withoutStreams: STREAMED_TABLE_IDS });
  const log = (message: string) => console.log(`[${seconds(performance.now() - startedAll).toFixed(1).padStart(6)} s] ${message}`);
  try {
    const clients = localClients(stack.info);
    const doc = documentClient(clients.dynamodb);
    const names = stack.info.tables;
    const store = conveneEventStore(tableEnvironment(names), doc);
    const readModels = createReadModelStore(doc, names[readModelTable.id]!);
    const members = createMemberDirectory(doc, names[membersTable.id]!);
    const sesEndpoint = stack.info.ses.endpoint;
    log(`local stack up (DynamoDB ${stack.info.dynamodb.endpoint}, SES ${sesEndpoint})`);

    // ---- 1. seed ----
    const seriesCommands: SeriesCommand[] = [
      { type: 'CreateSeries', seriesId: SERIES_ID, kind: 'lecture-series', title: { en: 'Care Economy Lecture Series', es: 'Ciclo de conferencias sobre la economía del cuidado' }, timeZone: 'America/New_York', languages: ['en', 'es'], organiser: { name: 'Training Centre', email: 'training@example.org' }, reminderOffsets: ['PT1H'] },
      { type: 'ScheduleSession', seriesId: SERIES_ID, sessionId: SESSION_ID, title: TITLE, start: SESSION_START, durationMinutes: 90, speakers: [{ name: 'Guest speaker', affiliation: 'University' }], joinUrl: 'https://webinar.example.org/care-1' },
    ];
    await handleCommand({ store, decider: inSequence(seriesDecider), streamId: seriesStreamId(SERIES_ID), command: seriesCommands, context });

    // Each member: found or created in the directory, then registered by the organiser (confirmed at once).
    const seedStarted = performance.now();
    const memberIds = await mapLimited(Array.from({ length: MEMBERS }, (_, i) => i), SEED_CONCURRENCY, async (i) => {
      const { member } = await members.findOrCreate(memberEmail(i), `Member ${i}`, new Date());
      const { memberId } = member;
      const result = await handleCommand({
        store,
        decider: memberDecider,
        streamId: memberStreamId(memberId),
        command: { type: 'RequestRegistration', memberId, seriesId: SERIES_ID, registrationId: `r-${i}`, sessions: 'all', language: i % 5 === 4 ? 'es' : 'en', timeZone: ZONES[i % ZONES.length]!, source: 'organiser' },
        context,
      });
      if (result.state.registrations[SERIES_ID]?.status !== 'confirmed') throw new Error(`member ${memberId} not confirmed`);
      return memberId;
    });
    const seedMs = performance.now() - seedStarted;
    log(`${MEMBERS} members in the directory and registered (requested + confirmed) in ${seconds(seedMs)} s`);
    const rebuild = await rebuildReadModels({ store, readModels }, SEED_CONCURRENCY);
    log(`read models rebuilt: ${rebuild.streams} streams in ${seconds(rebuild.milliseconds)} s`);
    const roster = await getRoster(readModels, SERIES_ID);
    if (roster.length !== MEMBERS || roster.some((r) => !r.doc.confirmedAt || !r.doc.active)) throw new Error(`roster has ${roster.length} entries, not ${MEMBERS} confirmed`);
    const expected = new Set(Array.from({ length: MEMBERS }, (_, i) => memberEmail(i)));

    // The dispatcher wiring of the Lambda (environment.ts), adapters instrumented.
    const signingSecret = randomBytes(32).toString('base64url');
    const env = {
      ...tableEnvironment(names),
      [PUBLIC_BASE_URL_ENV]: BASE_URL,
      [MAIL_FROM_ENV]: MAIL_FROM,
      [SIGNING_SECRETS_ENV]: signingSecret,
      [MAIL_SEND_RATE_ENV]: SEND_RATE,
    };
    const dispatcher = (timings: Timings, ledgerTable = names[deliveryTable.id]!): Dispatcher =>
      dispatcherFromEnvironment(env, { dynamodb: doc, ses: clients.ses }, {
        readModels: instrument<ReadModelStore>(createReadModelStore(doc, names[readModelTable.id]!), 'readModels', timings),
        ledger: instrument<DeliveryLedger>(createDeliveryLedger(doc, ledgerTable), 'ledger', timings),
        members: instrument<MemberDirectory>(createMemberDirectory(doc, names[membersTable.id]!), 'members', timings),
        suppression: instrument<SuppressionList>(createSuppressionList(doc, names[membersTable.id]!), 'suppression', timings),
        mailer: instrument<Mailer>(createSesMailer(clients.ses), 'mailer', timings),
      });

    /** One tick, timed, with its phases from the adapters' call times. */
    const cpu = () => cpuNow(stack.info.dynamodb.pid);
    const timedTick = async (d: Dispatcher, timings: Timings, now: Date) => {
      const start = performance.now();
      const cpuStart = cpu();
      const report = await d.tick({ now });
      const end = performance.now();
      return { report, ms: end - start, start, end, timings, cpu: cpuPerMail(cpuStart, cpu(), MEMBERS) };
    };
    type Timed = Awaited<ReturnType<typeof timedTick>>;
    const phases = ({ start, end, timings }: Timed) => {
      const getMany = timings.get('members.getMany')!;
      const suppression = timings.get('suppression.suppressedAmong')!;
      const record = timings.get('ledger.record')!;
      const sendsMs = record.lastEnd - suppression.lastEnd;
      const share = (name: string) => Math.round((timings.get(name)?.totalMs ?? 0) / CONCURRENCY);
      return {
        planMs: Math.round(getMany.firstStart - start),
        memberLookupMs: Math.round(suppression.lastEnd - getMany.firstStart),
        sendsMs: Math.round(sendsMs),
        finishMs: Math.round(end - record.lastEnd),
        // Within the send phase, summed latency / in flight: about how much of it each step holds.
        sendPhaseShares: {
          claimMs: share('ledger.claim'),
          sendRawMs: share('mailer.sendRaw'),
          recordMs: share('ledger.record'),
          composeAndOtherMs: Math.round(sendsMs - share('ledger.claim') - share('mailer.sendRaw') - share('ledger.record')),
        },
        adapterCalls: timings.summary(),
      };
    };

    // ---- 2. invitations (seeding, timed) ----
    await clearSesStore(sesEndpoint);
    const inviteTimings = new Timings();
    const invites = await timedTick(dispatcher(inviteTimings), inviteTimings, INVITE_AT);
    log(`invitation tick: ${JSON.stringify(invites.report)} in ${seconds(invites.ms)} s`);
    const inviteCheck = checkMails(await sesStore(sesEndpoint), expected, (s) => s.includes(TITLE.en) || s.includes(TITLE.es));
    assertExactly('invitations', inviteCheck, MEMBERS);
    if (invites.report.invites !== MEMBERS) throw new Error(`invitation tick sent ${invites.report.invites}`);

    // ---- 3. raw SendRawEmail baseline: a typical reminder, composed once ----
    const schedule = (await readModels.get<SeriesSchedule>(scheduleKey(SERIES_ID)))!.doc;
    const signer = createTokenSigner([signingSecret]);
    const RAW_TO = 'rawbase-00000';
    const composeOne = (email: string, memberId: string, language: string, timeZone: string) =>
      composeReminderMail(
        {
          to: { email, name: 'Member 0' },
          language,
          memberTimeZone: timeZone,
          ...unsubscribeLinks(signer, BASE_URL, { memberId, seriesId: SERIES_ID, organiserEmail: schedule.organiser.email }, DUE_AT),
          schedule,
          joinUrlVisible: true,
          reminder: { kind: 'before-session', sessionId: SESSION_ID, offset: 'PT1H' },
        },
        { from: MAIL_FROM, messageIdDomain: new URL(BASE_URL).hostname },
      );
    const template = await composeOne(`${RAW_TO}@example.org`, memberIds[0]!, 'en', ZONES[0]!);
    const toAt: number[] = [];
    for (let at = template.indexOf(RAW_TO); at >= 0; at = template.indexOf(RAW_TO, at + 1)) toAt.push(at);
    const rawMail = (i: number) => {
      const bytes = Buffer.from(template);
      for (const at of toAt) bytes.write(String(i).padStart(5, '0'), at + RAW_TO.length - 5, 'latin1');
      return bytes;
    };

    // CPU cost of the two halves every mail pays in this process: composing it, and the SES endpoint parsing it.
    const CPU_SAMPLES = 300;
    let composeStarted = performance.now();
    for (let i = 0; i < CPU_SAMPLES; i++) await composeOne(memberEmail(i), memberIds[i % memberIds.length]!, i % 5 === 4 ? 'es' : 'en', ZONES[i % ZONES.length]!);
    const composeMsPerMail = (performance.now() - composeStarted) / CPU_SAMPLES;
    const { simpleParser } = createRequire(import.meta.url)('mailparser') as { simpleParser: (b: Buffer) => Promise<unknown> };
    composeStarted = performance.now();
    for (let i = 0; i < CPU_SAMPLES; i++) await simpleParser(rawMail(i));
    const parseMsPerMail = (performance.now() - composeStarted) / CPU_SAMPLES;
    log(`compose ${composeMsPerMail.toFixed(2)} ms/mail, mailparser (what the SES endpoint does) ${parseMsPerMail.toFixed(2)} ms/mail, mail ${template.length} bytes`);

    await clearSesStore(sesEndpoint);
    // Warm the connection pool and the endpoint.
    for (let i = 0; i < 50; i++) await clients.ses.send(new SendRawEmailCommand({ RawMessage: { Data: rawMail(99_999) } }));
    await clearSesStore(sesEndpoint);
    const rawStarted = performance.now();
    const rawCpuStart = cpu();
    await mapLimited(Array.from({ length: RAW_N }, (_, i) => i), CONCURRENCY, (i) => clients.ses.send(new SendRawEmailCommand({ RawMessage: { Data: rawMail(i) } })));
    const rawMs = performance.now() - rawStarted;
    const rawCpu = cpuPerMail(rawCpuStart, cpu(), RAW_N);
    const rawCheck = checkMails(await sesStore(sesEndpoint), new Set(Array.from({ length: RAW_N }, (_, i) => `rawbase-${String(i).padStart(5, '0')}@example.org`)), isReminder);
    assertExactly('raw SendRawEmail', rawCheck, RAW_N);
    const rawPerSecond = RAW_N / (rawMs / 1000);
    log(`raw SendRawEmail: ${RAW_N} in ${seconds(rawMs)} s = ${Math.round(rawPerSecond)}/s`);

    // ---- 4. the reminder tick: one dispatcher ----
    await clearSesStore(sesEndpoint);
    const reminderTimings = new Timings();
    const one = dispatcher(reminderTimings);
    const profiler = PROFILE_TO ? await startProfiling() : undefined;
    const reminders = await timedTick(one, reminderTimings, DUE_AT);
    if (profiler) writeFileSync(PROFILE_TO!, JSON.stringify(await profiler.stop()));
    log(`reminder tick: ${JSON.stringify(reminders.report)} in ${seconds(reminders.ms)} s`);
    const reminderCheck = checkMails(await sesStore(sesEndpoint), expected, isReminder);
    assertExactly('reminders, one dispatcher', reminderCheck, MEMBERS);
    if (reminders.report.planned !== MEMBERS || reminders.report.reminders !== MEMBERS || reminders.report.outcomes.sent !== MEMBERS) {
      throw new Error(`reminder tick: ${JSON.stringify(reminders.report)}`);
    }
    const slotKey = `session#${SESSION_ID}#${schedule.sessions[0]!.startsAt}#PT1H`;
    const ledger = createDeliveryLedger(doc, names[deliveryTable.id]!);
    const ledgerSent = (await ledger.items(ledgerKeys.remindersOf(SERIES_ID, slotKey))).filter((i) => i.sent).length;
    if (ledgerSent !== MEMBERS) throw new Error(`ledger records ${ledgerSent} reminders sent`);
    const again = await one.tick({ now: DUE_AT });
    const againFresh = await dispatcher(new Timings()).tick({ now: DUE_AT });
    const storeAfterAgain = (await sesStore(sesEndpoint)).length;
    if (again.planned !== 0 || againFresh.planned !== 0 || storeAfterAgain !== MEMBERS) {
      throw new Error(`ticking again planned ${again.planned} / ${againFresh.planned}, store has ${storeAfterAgain}`);
    }
    log(`verified: ${reminderCheck.mails} mails, ${reminderCheck.distinctRecipients} distinct recipients, ${reminderCheck.duplicates} duplicates; ledger ${ledgerSent} sent; ticking again planned ${again.planned} (same dispatcher) and ${againFresh.planned} (a new one)`);

    // ---- 5. two dispatchers at once, on a fresh delivery ledger (the same slot, as if never sent) ----
    let two: undefined | { ms: number; cpu: ReturnType<typeof cpuPerMail>; reports: TickReport[]; check: MailCheck; ledgerSent: number; againPlanned: number; ticks: Timed[] };
    if (TWO_DISPATCHERS) {
      const fresh = localTableNames('benchrem2');
      await createTables(clients.dynamodb, fresh);
      const ledgerTable = fresh[deliveryTable.id]!;
      await clearSesStore(sesEndpoint);
      const [ta, tb] = [new Timings(), new Timings()];
      const [a, b] = [dispatcher(ta, ledgerTable), dispatcher(tb, ledgerTable)];
      const started = performance.now();
      const cpuStart = cpu();
      const ticks = await Promise.all([timedTick(a, ta, DUE_AT), timedTick(b, tb, DUE_AT)]);
      const ms = performance.now() - started;
      const bothCpu = cpuPerMail(cpuStart, cpu(), MEMBERS);
      const reports = ticks.map((t) => t.report);
      const check = checkMails(await sesStore(sesEndpoint), expected, isReminder);
      const sentTotal = reports.reduce((n, r) => n + r.outcomes.sent, 0);
      const freshLedgerSent = (await createDeliveryLedger(doc, ledgerTable).items(ledgerKeys.remindersOf(SERIES_ID, slotKey))).filter((i) => i.sent).length;
      const againPlanned = (await a.tick({ now: DUE_AT })).planned + (await b.tick({ now: DUE_AT })).planned;
      log(`two dispatchers: ${JSON.stringify(reports.map((r) => r.outcomes))} in ${seconds(ms)} s`);
      assertExactly('reminders, two dispatchers', check, MEMBERS);
      if (sentTotal !== MEMBERS || freshLedgerSent !== MEMBERS || againPlanned !== 0 || reports.some((r) => r.lostLeases > 0)) {
        throw new Error(`two dispatchers: sent ${sentTotal}, ledger ${freshLedgerSent}, again planned ${againPlanned}, ${JSON.stringify(reports)}`);
      }
      two = { ms, cpu: bothCpu, reports, check, ledgerSent: freshLedgerSent, againPlanned, ticks };
    }

    // ---- results ----
    const ratio = (rate: number) => Number((rate / rawPerSecond).toFixed(2));
    const row = (what: string, mails: number, ms: number, cpu: ReturnType<typeof cpuPerMail>) => ({
      what,
      mails,
      seconds: seconds(ms),
      mailsPerSecond: perSecond(mails, ms),
      rawPerSecond: Math.round(rawPerSecond),
      ratioToRaw: ratio(mails / (ms / 1000)),
      cpuMsPerMail: cpu,
    });
    const rows = [
      row(`raw SendRawEmail, one composed reminder (baseline, ${CONCURRENCY} in flight)`, RAW_N, rawMs, rawCpu),
      row(`reminders ${MEMBERS.toLocaleString('en')}: one dispatcher tick`, MEMBERS, reminders.ms, reminders.cpu),
      ...(two ? [row(`reminders ${MEMBERS.toLocaleString('en')}: two dispatchers at once (fresh ledger)`, MEMBERS, two.ms, two.cpu)] : []),
      row(`invitations ${MEMBERS.toLocaleString('en')}: one dispatcher tick (seeding; .ics attached)`, MEMBERS, invites.ms, invites.cpu),
    ];
    const oneRatio = rows[1]!.ratioToRaw;
    // The row bench/summary.ts gathers (its Headline shape).
    const headlines = [
      {
        benchmark: `reminder fan-out, ${MEMBERS.toLocaleString('en')} reminders`,
        figure: `${rows[1]!.mailsPerSecond} mails/s (one dispatcher)${two ? `, ${rows[2]!.mailsPerSecond} (two at once)` : ''}`,
        baseline: `${Math.round(rawPerSecond)} SendRawEmail/s (${CONCURRENCY} in flight)`,
        ratio: oneRatio,
        aim: 'ratio ≥ 0.7, exactly 10,000 delivered',
        met: oneRatio >= 0.7 && MEMBERS === 10_000,
        checked: `exactly ${MEMBERS} mails, one per member, none twice${two ? ', also with two dispatchers at once' : ''}; a second tick plans nothing`,
      },
    ];
    const reminderPhases = phases(reminders);
    const invitePhases = phases(invites);
    const result = {
      date: new Date().toISOString(),
      machine: { cpus: cpus().length, node: process.version },
      members: MEMBERS,
      rawN: RAW_N,
      concurrency: CONCURRENCY,
      sendRate: Number(SEND_RATE),
      mailBytes: template.length,
      seeding: { membersAndRegistrationsSeconds: seconds(seedMs), rebuildSeconds: seconds(rebuild.milliseconds), streams: rebuild.streams },
      cpuPerMail: { composeMs: Number(composeMsPerMail.toFixed(2)), sesEndpointParseMs: Number(parseMsPerMail.toFixed(2)), samples: CPU_SAMPLES },
      rows,
      headlines,
      verified: {
        invitations: inviteCheck,
        raw: rawCheck,
        reminders: { ...reminderCheck, ledgerSent, report: reminders.report, againPlanned: again.planned, againPlannedNewDispatcher: againFresh.planned, storeAfterAgain },
        ...(two ? { twoDispatchers: { ...two.check, ledgerSent: two.ledgerSent, againPlanned: two.againPlanned, outcomes: two.reports.map((r) => r.outcomes) } } : {}),
      },
      reminderTick: reminderPhases,
      inviteTick: { ...invitePhases, report: invites.report },
      ...(two ? { twoDispatcherTicks: two.ticks.map((t) => ({ seconds: seconds(t.ms), ...phases(t) })) } : {}),
      totalSeconds: 0,
    };
    const phaseRow = (name: string, p: ReturnType<typeof phases>, total: number) =>
      `| ${name} | ${seconds(total)} | ${seconds(p.planMs)} | ${seconds(p.memberLookupMs)} | ${seconds(p.sendsMs)} (claim ${seconds(p.sendPhaseShares.claimMs)}, SendRawEmail ${seconds(p.sendPhaseShares.sendRawMs)}, record ${seconds(p.sendPhaseShares.recordMs)}, compose + other ${seconds(p.sendPhaseShares.composeAndOtherMs)}) | ${seconds(p.finishMs)} |`;
    const md = [
      `| row (${MEMBERS.toLocaleString('en')} registrants of one session, local SES endpoint, ${CONCURRENCY} sends in flight) | mails | seconds | mails/s | raw SendRawEmail/s | ratio |`,
      '|---|---:|---:|---:|---:|---:|',
      ...rows.map((r) => `| ${r.what} | ${r.mails} | ${r.seconds} | ${r.mailsPerSecond} | ${r.rawPerSecond} | ${r.ratioToRaw.toFixed(2)} |`),
      '',
      '| row | CPU ms per mail: this process (dispatcher, SDK, SES endpoint) | DynamoDB Local (JVM) |',
      '|---|---:|---:|',
      ...rows.map((r) => `| ${r.what} | ${r.cpuMsPerMail.nodeMs.toFixed(2)} | ${r.cpuMsPerMail.dynamodbMs.toFixed(2)} |`),
      '',
      `| tick | total s | plan s | member + suppression lookup s | sends s (summed latency / ${CONCURRENCY} in flight) | finish s (slot, queue) |`,
      '|---|---:|---:|---:|---|---:|',
      phaseRow('reminders, one dispatcher', reminderPhases, reminders.ms),
      ...(two ? two.ticks.map((t, i) => phaseRow(`reminders, two dispatchers: ${'AB'[i]} (sent ${t.report.outcomes.sent}, taken ${t.report.outcomes.taken})`, phases(t), t.ms)) : []),
      phaseRow('invitations', invitePhases, invites.ms),
      '',
      `Verified (reminders, one dispatcher): ${reminderCheck.mails} mails in the SES store, ${reminderCheck.distinctRecipients} distinct recipients, ${reminderCheck.duplicates} duplicates, ${reminderCheck.matchingSubject} with the reminder subject; ledger ${ledgerSent} sent; a second tick planned ${again.planned}.` +
        (two ? ` Two dispatchers: ${two.check.mails} mails, ${two.check.distinctRecipients} distinct, ${two.check.duplicates} duplicates (sent ${two.reports.map((r) => r.outcomes.sent).join(' + ')}, taken ${two.reports.map((r) => r.outcomes.taken).join(' + ')}).` : ''),
      `Per mail, in this one process: compose ${composeMsPerMail.toFixed(2)} ms, the SES endpoint's mailparser ${parseMsPerMail.toFixed(2)} ms (${template.length}-byte reminder). Seeding: ${MEMBERS} members found-or-created and registered ${seconds(seedMs)} s, read models rebuilt ${seconds(rebuild.milliseconds)} s.`,
    ].join('\n');
    result.totalSeconds = seconds(performance.now() - startedAll);
    writeFileSync(new URL('./results/reminders.json', import.meta.url), `${JSON.stringify(result, null, 2)}\n`);
    writeFileSync(new URL('./results/reminders.md', import.meta.url), `${md}\n`);
    console.log(`\n${md}\n`);
    log('done');
    clients.dynamodb.destroy();
    clients.ses.destroy();
    clients.s3.destroy();
  } finally {
    await stack.stop();
  }
}

runBenchmark(main);
