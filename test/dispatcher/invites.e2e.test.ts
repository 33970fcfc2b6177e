/**
 * Calendar mail end to end: members register over HTTP, the projector follows, the dispatcher
 * sends through the local SES endpoint. Invitation, update and cancellation carry one UID and
 * a growing SEQUENCE, equal to what the member's feed says; the raw MIME handed to SES is
 * read back with mailparser and both iCalendar parsers.
 *
 * Each test has tables, a series and sessions of its own: a tick sends what is due in every
 * series of its tables, so a shared timetable would make each test's mail depend on the others.
 */
import ICAL from 'ical.js';
import nodeIcal from 'node-ical';
import { beforeEach, describe, expect, it } from 'vitest';
import { sessionUid } from '../../functions/feeds/ical.js';
import { createSuppressionList } from '../../functions/adapters/members/suppression-list.js';
import { documentClient } from '../../functions/adapters/dynamodb-client.js';
import { membersTable } from '../../functions/tables.js';
import { useTestApi } from '../support/api.js';
import { recordingMailer, testDispatcher } from '../support/dispatcher.js';
import { clients } from '../support/local.js';
import { mailTo } from '../support/mailbox.js';
import { careRequest } from '../support/seed-requests.js';
import { registerAndConfirm as confirmMember } from '../support/members.js';
import { simpleParser, type ParsedMail } from '../mail/mailparser.js';

const api = useTestApi({ scope: 'test' });
const NOW = new Date('2027-02-01T12:00:00Z');
let seriesId = '';
let sessionId = '';

const unique = (name: string) => `${name}-${crypto.randomUUID().slice(0, 8)}@example.org`;
const pathOf = (url: string) => url.replace(/^https?:\/\/[^/]+/, '');

/** What a calendar sees in an iMIP mail: the text/calendar part, read by both parsers. */
async function calendarOf(raw: Buffer) {
  const mail: ParsedMail = await simpleParser(raw);
  const alternative = (mail.attachments as { contentType: string; content: Buffer }[]).find((a) => a.contentType.startsWith('text/calendar'));
  const ics = alternative?.content.toString('utf8') ?? '';
  const unfolded = ics.replace(/\r\n[ \t]/g, '');
  const vevent = new ICAL.Component(ICAL.parse(ics)).getFirstSubcomponent('vevent')!;
  const parsed = Object.values(nodeIcal.sync.parseICS(ics)).find((c) => c?.type === 'VEVENT') as { uid: string; sequence: string } | undefined;
  return {
    mail,
    ics: unfolded,
    method: /\r\nMETHOD:(\w+)\r\n/.exec(unfolded)?.[1],
    uid: String(vevent.getFirstPropertyValue('uid')),
    sequence: Number(vevent.getFirstPropertyValue('sequence')),
    nodeIcal: parsed,
  };
}

const headerLine = (mail: ParsedMail, key: string) => mail.headerLines.find((l) => l.key === key)?.line ?? '';

/** The raw mails handed to SES for one address. */
async function sentTo(mailer: { sent: Buffer[] }, email: string) {
  const parsed = await Promise.all(mailer.sent.map(async (raw) => ({ raw, mail: await simpleParser(raw) })));
  return parsed.filter(({ mail }) => JSON.stringify(mail.to).includes(email)).map(({ raw }) => raw);
}

/** Registered and confirmed as a person does (test/support/members.ts), in Jerusalem unless told. */
const registerAndConfirm = (email: string, body: { language?: string; timeZone?: string } = {}) =>
  confirmMember(api, seriesId, { email, name: 'Amal Haddad', language: body.language ?? 'en', timeZone: body.timeZone ?? 'Asia/Jerusalem' });

/** This test's series, with one session. */
async function seriesWith(session: Record<string, unknown>) {
  seriesId = (await api.request('POST', '/admin/series', { body: careRequest })).body.id;
  sessionId = (await api.request('POST', `/admin/series/${seriesId}/sessions`, { body: { durationMinutes: 60, ...session } })).body.sessionId;
  await api.settle();
}

describe('invitation, update and cancellation', () => {
  beforeEach(() =>
    seriesWith({ title: { en: 'Unpaid care work' }, start: '2027-03-21T15:00', language: 'en', joinUrl: 'https://webinar.example.org/care' }),
  );

  it('sends REQUEST, then REQUEST with a higher SEQUENCE, then CANCEL, all with the feed UID', async () => {
    const email = unique('amal');
    const { feedUrl } = await registerAndConfirm(email);
    const mailer = recordingMailer();
    const dispatcher = testDispatcher(api, { mailer });

    const first = await dispatcher.tick({ now: NOW });
    expect(first.invites).toBe(1);
    const invite = await calendarOf(mailer.sent[0]!);
    expect(invite.method).toBe('REQUEST');
    expect(invite.uid).toBe(sessionUid(seriesId, sessionId));
    expect(invite.sequence).toBe(0);
    expect(invite.nodeIcal?.uid).toBe(invite.uid);
    // The organiser by name; the address is the member's reply address for this session (test/inbound/replies.e2e.test.ts).
    expect(invite.ics).toMatch(/\r\nORGANIZER;CN="?Training Centre"?:mailto:[qr]-[a-z0-9_-]+\.[0-9a-z]+\.[a-z2-7]{20}@reply\.convene\.local\r\n/);
    expect(invite.ics).toMatch(/\r\nATTENDEE;[^\r\n]*RSVP=TRUE/);
    expect(invite.ics.toLowerCase()).toMatch(new RegExp(`\r\nattendee;[^\r\n]*:mailto:${email.replace(/[.]/g, '\\.')}\r\n`));
    // The text/calendar alternative's method= parameter is the METHOD inside (RFC 6047).
    expect(mailer.sent[0]!.toString('utf8')).toMatch(/Content-Type: text\/calendar; charset=utf-8; method=REQUEST/);
    expect(invite.mail.subject).toBe('Invitation: Unpaid care work');
    expect(invite.mail.text).toContain('Asia/Jerusalem');
    expect(headerLine(invite.mail, 'list-unsubscribe-post')).toBe('List-Unsubscribe-Post: List-Unsubscribe=One-Click');
    expect(headerLine(invite.mail, 'list-unsubscribe')).toContain(`<${api.url}/mail/unsubscribe?token=`);

    // Nothing changed: the next tick sends nothing.
    expect((await dispatcher.tick({ now: NOW })).planned).toBe(0);

    const moved = await api.request('PATCH', `/admin/series/${seriesId}/sessions/${sessionId}`, { body: { start: '2027-03-21T16:00' } });
    expect(moved.status).toBe(200);
    await api.settle();
    await dispatcher.tick({ now: NOW });
    const update = await calendarOf(mailer.sent.at(-1)!);
    expect(update.method).toBe('REQUEST');
    expect(update.uid).toBe(invite.uid);
    expect(update.sequence).toBe(1);
    expect(update.mail.subject).toBe('Updated: Unpaid care work');

    // The feed carries the same UID and SEQUENCE as the last mail.
    const feed = await api.request('GET', pathOf(feedUrl!), { token: null });
    const feedEvent = new ICAL.Component(ICAL.parse(feed.text)).getAllSubcomponents('vevent').find((v) => v.getFirstPropertyValue('uid') === invite.uid)!;
    expect(Number(feedEvent.getFirstPropertyValue('sequence'))).toBe(update.sequence);

    const cancelled = await api.request('POST', `/admin/series/${seriesId}/sessions/${sessionId}/cancel`, { body: { reason: 'Speaker unavailable' } });
    expect(cancelled.status).toBe(200);
    await api.settle();
    await dispatcher.tick({ now: NOW });
    const cancel = await calendarOf(mailer.sent.at(-1)!);
    expect(cancel.method).toBe('CANCEL');
    expect(cancel.uid).toBe(invite.uid);
    expect(cancel.sequence).toBe(2);
    expect(cancel.ics).toContain('STATUS:CANCELLED');
    expect(mailer.sent.toString()).toMatch(/method=CANCEL/);

    // Three mails reached the SES endpoint, one of each, and no more come (the confirmation
    // link was taken from the helper, not a mail).
    expect((await dispatcher.tick({ now: NOW })).planned).toBe(0);
    expect((await mailTo(email)).map((m) => m.subject)).toEqual([
      'Invitation: Unpaid care work',
      'Updated: Unpaid care work',
      'Cancelled: Unpaid care work',
    ]);
  });
});

describe('leaving, consent and suppression', () => {
  beforeEach(() => seriesWith({ title: { en: 'Care and climate' }, start: '2027-05-23T15:00' }));

  it('sends a CANCEL above the REQUEST when a member unregisters, and a REQUEST above that when they come back', async () => {
    const email = unique('leila');
    const { manageUrl } = await registerAndConfirm(email);
    const mailer = recordingMailer();
    const dispatcher = testDispatcher(api, { mailer });
    await dispatcher.tick({ now: NOW });
    const request = await calendarOf((await sentTo(mailer, email)).at(-1)!);
    expect(request).toMatchObject({ method: 'REQUEST', uid: sessionUid(seriesId, sessionId), sequence: 0 });

    const leave = await api.request('POST', pathOf(manageUrl).replace('/manage?', '/manage/leave?'), { token: null, body: { seriesId }, headers: { accept: 'application/json' } });
    expect(leave.status).toBe(200);
    await api.settle();
    await dispatcher.tick({ now: NOW });
    const removed = await calendarOf((await sentTo(mailer, email)).at(-1)!);
    expect(removed).toMatchObject({ method: 'CANCEL', uid: request.uid, sequence: 1 });
    expect(removed.mail.subject).toBe('Removed from your calendar: Care and climate');

    await registerAndConfirm(email);
    await dispatcher.tick({ now: NOW });
    const back = await calendarOf((await sentTo(mailer, email)).at(-1)!);
    expect(back).toMatchObject({ method: 'REQUEST', uid: request.uid, sequence: 2 });
    // Her calendar no longer has it: this is an invitation again, not an update, though SEQUENCE is 2.
    expect(back.mail.subject).toBe(removed.mail.subject!.replace('Removed from your calendar: ', 'Invitation: '));
  });

  it('invites a member seated by a capacity rise with an invitation, and sends those already seated nothing', async () => {
    const full = (await api.request('PATCH', `/admin/series/${seriesId}/sessions/${sessionId}`, { body: { capacity: 1 } })).status;
    expect(full).toBe(200);
    const [seated, waiting] = [unique('seated'), unique('waiting')];
    await registerAndConfirm(seated);
    await registerAndConfirm(waiting);
    const mailer = recordingMailer();
    const dispatcher = testDispatcher(api, { mailer });
    await dispatcher.tick({ now: NOW });
    const [first] = await Promise.all((await sentTo(mailer, seated)).map(calendarOf));
    expect(first!.mail.subject).toMatch(/^Invitation: /);
    expect((await sentTo(mailer, waiting)).length).toBe(0);

    expect((await api.request('PATCH', `/admin/series/${seriesId}/sessions/${sessionId}`, { body: { capacity: 2 } })).status).toBe(200);
    await api.settle();
    await dispatcher.tick({ now: NOW });
    const [invite] = await Promise.all((await sentTo(mailer, waiting)).map(calendarOf));
    expect(invite).toMatchObject({ method: 'REQUEST', uid: sessionUid(seriesId, sessionId), sequence: 0 });
    expect(invite!.mail.subject).toBe(first!.mail.subject);
    // Seats are nothing a calendar shows: no update for the member who had one.
    expect((await sentTo(mailer, seated)).length).toBe(1);
  });

  it('stops a series’ mail at once after the one-click POST, and shows a page on GET that changes nothing', async () => {
    const email = unique('rosa');
    const other = unique('other');
    await registerAndConfirm(email, { language: 'es', timeZone: 'America/Guayaquil' });
    await registerAndConfirm(other);
    const mailer = recordingMailer();
    const dispatcher = testDispatcher(api, { mailer });
    await dispatcher.tick({ now: NOW });
    const invite = await simpleParser((await sentTo(mailer, email)).at(-1)!);
    expect(invite.subject).toBe('Invitación: Care and climate');
    const unsubscribe = /<(http[^>]+)>/.exec(headerLine(invite, 'list-unsubscribe'))![1]!;

    const page = await fetch(unsubscribe);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<form method="post"');
    const oneClick = await fetch(unsubscribe, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click' });
    expect(oneClick.status).toBe(200);
    // The page is in the member's language (Spanish here).
    expect(await oneClick.text()).toContain('Se ha dado de baja');
    await api.settle();

    await api.request('PATCH', `/admin/series/${seriesId}/sessions/${sessionId}`, { body: { title: { en: 'Care and climate (new title)' } } });
    await api.settle();
    const before = mailer.sent.length;
    await dispatcher.tick({ now: NOW });
    expect(await sentTo({ sent: mailer.sent.slice(before) }, email)).toEqual([]);
    expect(await sentTo({ sent: mailer.sent.slice(before) }, other)).toHaveLength(1); // the other member got the update
  });

  it('sends nothing to a suppressed address', async () => {
    const email = unique('bounced');
    await registerAndConfirm(email);
    await createSuppressionList(documentClient(clients().dynamodb), api.names[membersTable.id]!).suppress(email, 'bounce', new Date());
    const mailer = recordingMailer();
    await testDispatcher(api, { mailer }).tick({ now: NOW });
    expect(await sentTo(mailer, email)).toEqual([]);
    expect(await mailTo(email)).toHaveLength(0);
  });
});
