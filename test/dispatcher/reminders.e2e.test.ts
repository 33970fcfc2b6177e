/**
 * Reminders over a simulated clock: the dispatcher ticks at chosen instants (a minute before
 * each due time, and at it) against the real read models, ledger and SES endpoint. The first
 * session is the Sunday the US moves its clocks (14 March 2027): "P1D" is the same wall-clock
 * time the day before in each member's zone, 23 hours earlier in New York, 24 in London.
 *
 * Each test has tables of its own: what a tick sends is every mail due in its tables, which
 * must be this test's series only.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { useTestApi } from '../support/api.js';
import { recordingMailer, testDispatcher } from '../support/dispatcher.js';
import { mailTo } from '../support/mailbox.js';
import { careRequest, dialogueRequest } from '../support/seed-requests.js';
import { simpleParser } from '../mail/mailparser.js';

const api = useTestApi({ scope: 'test' });
const unique = (name: string) => `${name}-${crypto.randomUUID().slice(0, 8)}@example.org`;

async function createSeries(body: Record<string, unknown>, sessions: { title: string; start: string }[]) {
  const seriesId = (await api.request('POST', '/admin/series', { body })).body.id as string;
  const ids: string[] = [];
  for (const s of sessions) {
    ids.push((await api.request('POST', `/admin/series/${seriesId}/sessions`, { body: { title: { en: s.title }, start: s.start, durationMinutes: 60 } })).body.sessionId);
  }
  return { seriesId, sessionIds: ids };
}

async function registerMembers(seriesId: string, members: { email: string; timeZone: string }[]) {
  const res = await api.request('POST', `/admin/series/${seriesId}/registrations`, {
    body: { members: members.map((m) => ({ ...m, name: 'Member', language: 'en' })) },
  });
  expect(res.status).toBe(200);
}

/** Ticks at each instant in order; returns, per instant, "<address> <subject>" of each mail sent then. */
async function tickAt(instants: string[]) {
  const mailer = recordingMailer();
  const dispatcher = testDispatcher(api, { mailer });
  const out: Record<string, string[]> = {};
  for (const at of instants) {
    const before = mailer.sent.length;
    await dispatcher.tick({ now: new Date(at) });
    const mails = await Promise.all(mailer.sent.slice(before).map((raw) => simpleParser(raw)));
    out[at] = mails.map((m) => `${JSON.stringify(m.to).match(/[\w.-]+@example\.org/)![0]} ${m.subject}`).sort();
  }
  return out;
}

const minuteBefore = (iso: string) => new Date(Date.parse(iso) - 60_000).toISOString();

describe('reminders before a session, across a DST change', () => {
  const ny = unique('ny');
  const london = unique('london');
  let seriesId = '';

  beforeEach(async () => {
    ({ seriesId } = await createSeries({ ...careRequest, reminderOffsets: ['P7D', 'P1D', 'PT1H'] }, [{ title: 'Care after the clocks change', start: '2027-03-14T15:00' }]));
    await registerMembers(seriesId, [
      { email: ny, timeZone: 'America/New_York' },
      { email: london, timeZone: 'Europe/London' },
    ]);
    await api.settle();
    // The invitations go out first (the session starts 2027-03-14T19:00Z).
    await testDispatcher(api).tick({ now: new Date('2027-03-01T00:00:00Z') });
  });

  it('arrives at each member’s instants, once each, never early', async () => {
    const due = {
      '2027-03-07T19:00:00.000Z': [`${london} Reminder: Care after the clocks change starts in 7 days`],
      '2027-03-07T20:00:00.000Z': [`${ny} Reminder: Care after the clocks change starts in 7 days`],
      '2027-03-13T19:00:00.000Z': [`${london} Reminder: Care after the clocks change starts in 1 day`],
      // Saturday 15:00 EST is 23 hours before Sunday 15:00 EDT.
      '2027-03-13T20:00:00.000Z': [`${ny} Reminder: Care after the clocks change starts in 1 day`],
      '2027-03-14T18:00:00.000Z': [`${london} Reminder: Care after the clocks change starts in 1 hour`, `${ny} Reminder: Care after the clocks change starts in 1 hour`].sort(),
    };
    const instants = Object.keys(due).flatMap((at) => [minuteBefore(at), at]);
    const sent = await tickAt([...instants, '2027-03-14T18:30:00.000Z', '2027-03-14T19:30:00.000Z']);
    for (const [at, mails] of Object.entries(due)) {
      expect(sent[minuteBefore(at)], `nothing new a minute before ${at}`).toEqual([]);
      expect(sent[at], `due at ${at}`).toEqual(mails);
    }
    expect(sent['2027-03-14T18:30:00.000Z']).toEqual([]);
    expect(sent['2027-03-14T19:30:00.000Z']).toEqual([]);
    // The SES endpoint got each member one invitation and three reminders, no more.
    for (const address of [ny, london]) {
      const subjects = (await mailTo(address)).map((m) => m.subject);
      expect(subjects.filter((s) => s.startsWith('Reminder:'))).toHaveLength(3);
      expect(subjects.filter((s) => s.startsWith('Invitation:'))).toHaveLength(1);
    }
  });
});

describe('what is not reminded', () => {
  it('sends only the latest overdue reminder after downtime, none after the start, none for a cancelled session or a member who left, and reminds a rescheduled session at its new time', async () => {
    const stays = unique('stays');
    const leaves = unique('leaves');
    const { seriesId, sessionIds } = await createSeries({ ...careRequest, reminderOffsets: ['P7D', 'P1D', 'PT1H'] }, [
      { title: 'Downtime', start: '2027-04-10T15:00' },
      { title: 'Cancelled', start: '2027-04-17T15:00' },
      { title: 'Moved', start: '2027-05-01T15:00' },
    ]);
    await registerMembers(seriesId, [
      { email: stays, timeZone: 'America/New_York' },
      { email: leaves, timeZone: 'America/New_York' },
    ]);
    const [, cancelled, moved] = sessionIds as [string, string, string];
    expect((await api.request('POST', `/admin/series/${seriesId}/sessions/${cancelled}/cancel`, { body: { reason: 'No speaker' } })).status).toBe(200);
    expect((await api.request('PATCH', `/admin/series/${seriesId}/sessions/${moved}`, { body: { start: '2027-05-02T15:00' } })).status).toBe(200);
    const { member } = await api.members.findOrCreate(leaves, 'x', new Date());
    await api.settle();
    await testDispatcher(api).tick({ now: new Date('2027-04-01T00:00:00Z') }); // invitations
    // The member leaves from their page (the signed link every mail carries).
    const manage = api.signer.sign({ a: 'manage', m: member.memberId }, new Date(Date.now() + 24 * 3600_000));
    expect((await api.request('POST', `/manage/leave?token=${manage}`, { token: null, body: { seriesId }, headers: { accept: 'application/json' } })).status).toBe(200);
    await api.settle();
    // Leaving takes the sessions out of the member's calendar; after that, no reminder reaches them.
    expect((await tickAt(['2027-04-01T00:05:00.000Z']))['2027-04-01T00:05:00.000Z']).toEqual([
      `${leaves} Removed from your calendar: Downtime`,
      `${leaves} Removed from your calendar: Moved`,
    ]);

    const sent = await tickAt([
      '2027-04-10T18:30:00.000Z', // first tick after a week down: P7D and P1D are overdue, PT1H due
      '2027-04-10T19:05:00.000Z', // after the start
      '2027-04-17T18:00:00.000Z', // PT1H of the cancelled session
      '2027-04-24T19:00:00.000Z', // P7D of the moved session's old time
      '2027-04-25T19:00:00.000Z', // P7D of its new time
      '2027-04-30T19:00:00.000Z', // P1D of the old time
      '2027-05-01T19:00:00.000Z', // P1D of its new time
    ]);
    // Sent 30 minutes late, it says the time really left.
    expect(sent['2027-04-10T18:30:00.000Z']).toEqual([`${stays} Reminder: Downtime starts in 30 minutes`]);
    expect(sent['2027-04-10T19:05:00.000Z']).toEqual([]);
    expect(sent['2027-04-17T18:00:00.000Z']).toEqual([]);
    expect(sent['2027-04-24T19:00:00.000Z']).toEqual([]);
    expect(sent['2027-04-25T19:00:00.000Z']).toEqual([`${stays} Reminder: Moved starts in 7 days`]);
    expect(sent['2027-04-30T19:00:00.000Z']).toEqual([]);
    expect(sent['2027-05-01T19:00:00.000Z']).toEqual([`${stays} Reminder: Moved starts in 1 day`]);
  });
});

describe('a virtual dialogue', () => {
  it('says when it opens and how many days are left before it closes', async () => {
    const email = unique('dialogue');
    const { seriesId } = await createSeries(dialogueRequest, []);
    await registerMembers(seriesId, [{ email, timeZone: 'Asia/Kolkata' }]);
    await api.settle();
    // The window is 24 April to 14 May in New York: it opens at 04:00Z and closes at 04:00Z on 15 May.
    const sent = await tickAt(['2027-04-24T03:59:00.000Z', '2027-04-24T04:00:00.000Z', '2027-05-08T04:00:00.000Z', '2027-05-14T04:00:00.000Z', '2027-05-15T04:00:00.000Z']);
    const title = dialogueRequest.title.en;
    expect(sent['2027-04-24T03:59:00.000Z']).toEqual([]);
    expect(sent['2027-04-24T04:00:00.000Z']).toEqual([`${email} ${title} opens today`]);
    expect(sent['2027-05-08T04:00:00.000Z']).toEqual([`${email} ${title} closes in 7 days`]);
    expect(sent['2027-05-14T04:00:00.000Z']).toEqual([`${email} ${title} closes tomorrow`]);
    expect(sent['2027-05-15T04:00:00.000Z']).toEqual([]);
  });
});
