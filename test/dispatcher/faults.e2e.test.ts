/**
 * Never twice, never lost: two dispatchers at once, a dispatcher killed (SIGKILL, by pid) in
 * the middle of a batch of invitations or of reminders and another taking over, SES throttling
 * and SES unreachable. Each case counts the mail that reached the local SES endpoint.
 *
 * Each test has tables of its own (`scope: 'test'`): a tick plans over every series in its
 * tables, so with shared ones a test would count, and send, what an earlier one left due.
 */
import { spawn } from 'node:child_process';
import { SESClient } from '@aws-sdk/client-ses';
import { describe, expect, it } from 'vitest';
import { MailThrottledError, type Mailer } from '../../functions/adapters/mailer/mailer.js';
import { createSesMailer } from '../../functions/adapters/mailer/ses-mailer.js';
import { createDeliveryLedger, ledgerKeys } from '../../functions/adapters/deliveries/delivery-ledger.js';
import { documentClient } from '../../functions/adapters/dynamodb-client.js';
import { freePort } from '../../infra/local/free-port.js';
import { LOCAL_CREDENTIALS } from '../../infra/local/clients.js';
import { deliveryTable } from '../../functions/tables.js';
import type { SeriesSchedule } from '../../events/projections/schedule.js';
import { scheduleKey } from '../../functions/read-models/keys.js';
import { useTestApi } from '../support/api.js';
import { dispatcherEnvironment, testDispatcher } from '../support/dispatcher.js';
import { clients, localStackInfo } from '../support/local.js';
import { mailTo } from '../support/mailbox.js';
import { careRequest } from '../support/seed-requests.js';

const api = useTestApi({ scope: 'test' });
const NOW = new Date('2027-02-01T12:00:00Z');

/** A series with one session and `count` registered members; returns their addresses. */
async function seriesWithMembers(count: number, title: string, start = '2027-03-21T15:00') {
  const seriesId = (await api.request('POST', '/admin/series', { body: careRequest })).body.id as string;
  const sessionId = (await api.request('POST', `/admin/series/${seriesId}/sessions`, { body: { title: { en: title }, start, durationMinutes: 60 } })).body.sessionId as string;
  const tag = crypto.randomUUID().slice(0, 8);
  const emails = Array.from({ length: count }, (_, i) => `m${i}-${tag}@example.org`);
  const res = await api.request('POST', `/admin/series/${seriesId}/registrations`, {
    body: { members: emails.map((email) => ({ email, name: 'Member', language: 'en', timeZone: 'Europe/Paris' })) },
  });
  expect(res.status).toBe(200);
  await api.settle();
  return { seriesId, sessionId, emails };
}

/** How many mails with this subject each address got at the SES endpoint. */
async function countsOf(emails: string[], subject: string) {
  const all = await mailTo(emails[0]!.split('@')[0]!.replace(/^m0-/, '-'));
  const counts = new Map(emails.map((e) => [e, 0]));
  for (const mail of all.filter((m) => m.subject === subject)) {
    for (const to of mail.destination.to) {
      const address = /[\w.-]+@example\.org/.exec(to)?.[0];
      if (address && counts.has(address)) counts.set(address, counts.get(address)! + 1);
    }
  }
  return [...counts.values()];
}

describe('two dispatchers at once', () => {
  it('send each invitation and each reminder exactly once between them', { timeout: 90_000 }, async () => {
    const { emails } = await seriesWithMembers(60, 'Twin dispatchers');
    const [a, b] = [testDispatcher(api, { concurrency: 8 }), testDispatcher(api, { concurrency: 8 })];
    const invites = await Promise.all([a.tick({ now: NOW }), b.tick({ now: NOW })]);
    expect(invites[0].invites + invites[1].invites).toBe(60);
    expect(invites[0].outcomes.taken + invites[1].outcomes.taken).toBeGreaterThan(0); // they did race
    expect(await countsOf(emails, 'Invitation: Twin dispatchers')).toEqual(emails.map(() => 1));

    const due = new Date('2027-03-20T19:00:00Z'); // P1D before 15:00 New York (EDT) = 20:00 the day before in Paris (CET)
    const reminders = await Promise.all([a.tick({ now: due }), b.tick({ now: due })]);
    expect(reminders[0].reminders + reminders[1].reminders).toBe(60);
    expect(await countsOf(emails, 'Reminder: Twin dispatchers starts in 1 day')).toEqual(emails.map(() => 1));
  });
});

/**
 * Runs a dispatcher child (test/support/dispatcher-child.ts) at `now` until `gateAfter` mails
 * reached SES and `recorded()` says the ledger recorded them, then kills it (SIGKILL, by pid)
 * holding claims on mail it never sent. A child that exits before (it found fewer than
 * `gateAfter` mails to send, or crashed) fails the test saying so; whatever fails, the child is
 * killed before this returns, and its mail stays in this test's tables.
 */
async function killMidBatch(now: Date, gateAfter: number, recorded: () => Promise<number>) {
  const info = localStackInfo();
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/support/dispatcher-child.ts'], {
    env: {
      ...process.env,
      ...dispatcherEnvironment(api),
      CONVENE_SES_ENDPOINT: info.ses.endpoint,
      CONVENE_DYNAMODB_ENDPOINT: info.dynamodb.endpoint,
      CONVENE_NOW: now.toISOString(),
      CONVENE_GATE_AFTER: String(gateAfter),
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const running = () => child.exitCode === null && child.signalCode === null;
  try {
    await new Promise<void>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => ((out += chunk.toString()).includes('gated\n') ? resolve() : undefined));
      child.once('error', reject);
      void exited.then(({ code, signal }) =>
        reject(new Error(`the child dispatcher exited (code ${code}, signal ${signal}) before the gate: it had fewer than ${gateAfter + 1} mails to send, or it failed (its stderr is above); stdout: ${JSON.stringify(out)}`)),
      );
    });
    // Wait until the mails that reached SES are recorded (a kill before that is the one known duplicate window).
    for (const deadline = Date.now() + 10_000; Date.now() < deadline && (await recorded()) < gateAfter; ) await new Promise((r) => setTimeout(r, 25));
    expect(await recorded()).toBe(gateAfter);
    expect(running(), 'the gated child dispatcher is still running').toBe(true);
    process.kill(child.pid!, 'SIGKILL');
    expect((await exited).signal).toBe('SIGKILL');
  } finally {
    if (child.pid !== undefined && running()) {
      process.kill(child.pid!, 'SIGKILL');
      await exited;
    }
  }
}

/**
 * After a kill at `now`: a dispatcher restarted while the dead one's leases still hold sends
 * what nobody claimed and nothing else; after the lease (5 minutes) the rest, each once.
 */
async function restartAfterKill(now: Date, emails: string[], subject: string) {
  expect(await countsOf(emails, subject)).toEqual(expect.arrayContaining([0, 1]));
  const restarted = testDispatcher(api);
  const early = await restarted.tick({ now: new Date(now.getTime() + 60_000) });
  expect(early.outcomes.taken).toBeGreaterThan(0);
  await restarted.tick({ now: new Date(now.getTime() + 6 * 60_000) });
  expect(await countsOf(emails, subject)).toEqual(emails.map(() => 1));
  expect((await restarted.tick({ now: new Date(now.getTime() + 7 * 60_000) })).planned).toBe(0);
}

describe('a dispatcher killed mid-batch', () => {
  const sentUnder = async (pk: string) => (await createDeliveryLedger(documentClient(clients().dynamodb), api.names[deliveryTable.id]!).items(pk)).filter((i) => i.sent).length;

  it('leaves invitation claims that another takes over once their lease runs out: every invitation once', { timeout: 90_000 }, async () => {
    const { seriesId, emails } = await seriesWithMembers(60, 'Killed dispatcher');
    await killMidBatch(NOW, 20, () => sentUnder(ledgerKeys.invitesOf(seriesId)));
    await restartAfterKill(NOW, emails, 'Invitation: Killed dispatcher');
  });

  it('leaves reminder claims that another takes over once their lease runs out: every reminder once', { timeout: 90_000 }, async () => {
    const { seriesId, sessionId, emails } = await seriesWithMembers(60, 'Killed reminders', '2027-04-04T15:00');
    expect((await testDispatcher(api).tick({ now: NOW })).invites).toBe(60);
    const schedule = (await api.readModels.get<SeriesSchedule>(scheduleKey(seriesId)))!.doc;
    const startsAt = schedule.sessions.find((s) => s.sessionId === sessionId)!.startsAt;
    const due = new Date('2027-04-03T19:00:00Z'); // P1D before 15:00 New York (EDT) = 21:00 the day before in Paris (CEST)
    await killMidBatch(due, 20, () => sentUnder(ledgerKeys.remindersOf(seriesId, `session#${sessionId}#${startsAt}#P1D`)));
    await restartAfterKill(due, emails, 'Reminder: Killed reminders starts in 1 day');
    // Nor did the kill or the takeover send an invitation again.
    expect(await countsOf(emails, 'Invitation: Killed reminders')).toEqual(emails.map(() => 1));
  });
});

describe('SES throttling or unreachable', () => {
  it('backs off, leaves the rest for the next tick, and loses nothing', { timeout: 60_000 }, async () => {
    const { emails } = await seriesWithMembers(30, 'Throttled');
    const real = createSesMailer(clients().ses);
    let calls = 0;
    // SES says "too fast" on every third call.
    const throttling: Mailer = {
      sendRaw: (raw) => (++calls % 3 === 0 ? Promise.reject(new MailThrottledError('Throttling', 'Maximum sending rate exceeded')) : real.sendRaw(raw)),
    };
    const first = await testDispatcher(api, { mailer: throttling, throttleAttempts: 2, concurrency: 4 }).tick({ now: NOW });
    expect(first.invites).toBeGreaterThan(0);
    expect(first.invites + first.outcomes.deferred).toBe(30 - first.outcomes.taken);

    const port = await freePort(); // nothing listens there
    const unreachable = createSesMailer(new SESClient({ region: 'us-east-1', credentials: LOCAL_CREDENTIALS, endpoint: `http://127.0.0.1:${port}`, maxAttempts: 1 }));
    const down = await testDispatcher(api, { mailer: unreachable }).tick({ now: NOW });
    if (first.invites < 30) expect(down.outcomes.failed).toBe(30 - first.invites);

    await testDispatcher(api).tick({ now: NOW });
    expect(await countsOf(emails, 'Invitation: Throttled')).toEqual(emails.map(() => 1));
  });
});
