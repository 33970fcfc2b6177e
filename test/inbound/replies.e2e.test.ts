/**
 * Answers from the calendar app, end to end (issue 19): members register over HTTP, the
 * dispatcher mails invitations whose ORGANIZER is a reply address signed for the member and the
 * session (RSVP=TRUE); a REPLY shaped as Gmail, Outlook or Apple Calendar send one is dropped
 * under `inbound/` of the inbound mail bucket, as SES receiving stores it, and s3rver's
 * notification runs the inbound handler as S3 invokes the Lambda. A "No" frees the seat (the
 * next in line is seated and invited), every answer is on the organiser's roster (JSON and
 * CSV), and whatever does not agree is dropped with nothing appended.
 */
import ICAL from 'ical.js';
import nodeIcal from 'node-ical';
import { beforeEach, describe, expect, it } from 'vitest';
import { sessionUid } from '../../functions/feeds/ical.js';
import { LOCAL_REPLY_DOMAIN } from '../../functions/inbound/reply-address.js';
import { useTestApi } from '../support/api.js';
import { recordingMailer, testDispatcher } from '../support/dispatcher.js';
import { careRequest } from '../support/seed-requests.js';
import { registerAndConfirm } from '../support/members.js';
import { simpleParser } from '../mail/mailparser.js';
import { autoReplyMail, counterMail, hugeMail, malformedCalendarMail, replyMail, type ReplyClient } from '../support/reply-fixtures.js';

const api = useTestApi({ scope: 'test', ownS3: true });
const NOW = new Date('2027-02-01T12:00:00Z');
const unique = (name: string) => `${name}-${crypto.randomUUID().slice(0, 8)}@example.org`;

let seriesId = '';
let sessionIds: string[] = [];

async function seriesWith(sessions: Record<string, unknown>[]) {
  seriesId = (await api.request('POST', '/admin/series', { body: careRequest })).body.id;
  sessionIds = [];
  for (const session of sessions) {
    sessionIds.push((await api.request('POST', `/admin/series/${seriesId}/sessions`, { body: { durationMinutes: 60, language: 'en', ...session } })).body.sessionId);
  }
  await api.settle();
}

const member = (email: string, name = 'Amal Haddad') => registerAndConfirm(api, seriesId, { email, name, language: 'en', timeZone: 'Asia/Jerusalem' });

/** The invitations handed to SES for one address: their ORGANIZER, ATTENDEE and RSVP as both parsers read them. */
async function invitationsTo(sent: readonly Buffer[], email: string) {
  const out = [];
  for (const raw of sent) {
    const mail = await simpleParser(raw);
    if (!JSON.stringify(mail.to).includes(email)) continue;
    const part = (mail.attachments as { contentType: string; content: Buffer }[]).find((a) => a.contentType.startsWith('text/calendar'));
    if (!part) continue;
    const ics = part.content.toString('utf8');
    const vcalendar = new ICAL.Component(ICAL.parse(ics));
    const vevent = vcalendar.getFirstSubcomponent('vevent')!;
    const organizer = vevent.getFirstProperty('organizer')!;
    const attendee = vevent.getFirstProperty('attendee')!;
    const second = Object.values(nodeIcal.sync.parseICS(ics)).find((c) => c?.type === 'VEVENT') as unknown as { organizer: { val: string; params: { CN: string } } };
    out.push({
      method: String(vcalendar.getFirstPropertyValue('method')),
      uid: String(vevent.getFirstPropertyValue('uid')),
      organizer: String(organizer.getFirstValue()).replace(/^mailto:/i, ''),
      organizerCn: organizer.getParameter('cn'),
      secondOrganizer: second.organizer.val.replace(/^mailto:/i, ''),
      secondCn: second.organizer.params.CN,
      rsvp: String(attendee.getParameter('rsvp')),
      replyTo: mail.replyTo?.value[0]?.address,
    });
  }
  return out;
}

async function roster(sessionId: string) {
  return (await api.request('GET', `/admin/series/${seriesId}/sessions/${sessionId}/registrations`)).body as {
    seated: { email: string; answer?: { answer: string } }[];
    waitlist: { email: string }[];
    withoutPlace: { email: string; answer?: { answer: string } }[];
  };
}

/** Drop a raw mail under inbound/ and wait until the handler took it. */
async function deliver(raw: Buffer) {
  const key = await api.inbound.drop(raw);
  await api.settle();
  return (await api.inbound.taken()).find((r) => r.key === key)!;
}

describe('invitations ask for an answer', () => {
  beforeEach(() => seriesWith([{ title: { en: 'Unpaid care work' }, start: '2027-03-21T15:00', joinUrl: 'https://webinar.example.org/care' }]));

  it('name a reply address signed for the member and the session as ORGANIZER, with the organiser as CN and Reply-To', async () => {
    const amal = unique('amal');
    const salma = unique('salma');
    await member(amal);
    await member(salma, 'Salma');
    const mailer = recordingMailer();
    await testDispatcher(api, { mailer }).tick({ now: NOW });
    const [forAmal] = await invitationsTo(mailer.sent, amal);
    const [forSalma] = await invitationsTo(mailer.sent, salma);
    expect(forAmal).toMatchObject({ method: 'REQUEST', uid: sessionUid(seriesId, sessionIds[0]!), organizerCn: 'Training Centre', secondCn: 'Training Centre', rsvp: 'TRUE', replyTo: 'training@example.org' });
    expect(forAmal!.organizer.endsWith(`@${LOCAL_REPLY_DOMAIN}`)).toBe(true);
    expect(forAmal!.secondOrganizer).toBe(forAmal!.organizer);
    // At most 64 octets before the @ (RFC 5321), lower case; one address per member.
    expect(forAmal!.organizer.split('@')[0]!.length).toBeLessThanOrEqual(64);
    expect(forAmal!.organizer).toBe(forAmal!.organizer.toLowerCase());
    expect(forSalma!.organizer).not.toBe(forAmal!.organizer);
  });
});

describe('a member answers from their calendar app', () => {
  beforeEach(() =>
    seriesWith([
      { title: { en: 'Unpaid care work' }, start: '2027-03-21T15:00', joinUrl: 'https://webinar.example.org/care', capacity: 1 },
      { title: { en: 'Care and migration' }, start: '2027-03-28T15:00' },
    ]),
  );

  it("Gmail's No frees the seat: the next in line is seated and invited, and the roster shows the answer; the same reply again appends nothing", async () => {
    const amal = unique('amal');
    const salma = unique('salma');
    await member(amal);
    await member(salma, 'Salma');
    const mailer = recordingMailer();
    const dispatcher = testDispatcher(api, { mailer });
    await dispatcher.tick({ now: NOW });
    const invitation = (await invitationsTo(mailer.sent, amal)).find((i) => i.uid === sessionUid(seriesId, sessionIds[0]!))!;
    expect((await roster(sessionIds[0]!)).waitlist.map((w) => w.email)).toEqual([salma]);

    api.clock.now = NOW;
    const no = replyMail('gmail', { replyAddress: invitation.organizer, uid: invitation.uid, attendee: amal, attendeeName: 'Amal Haddad', status: 'DECLINED', dtstamp: new Date('2027-02-01T13:00:00Z'), organiserName: 'Training Centre' });
    expect(await deliver(no)).toMatchObject({ outcome: 'answered', answer: 'declined' });
    const after = await roster(sessionIds[0]!);
    expect(after.seated.map((s) => s.email)).toEqual([salma]);
    expect(after.withoutPlace).toEqual([expect.objectContaining({ email: amal, answer: expect.objectContaining({ answer: 'declined', answeredAt: '2027-02-01T13:00:00.000Z' }) })]);
    // Amal keeps the other session.
    expect((await roster(sessionIds[1]!)).seated.map((s) => s.email)).toContain(amal);

    mailer.sent.length = 0;
    await dispatcher.tick({ now: new Date(NOW.getTime() + 60_000) });
    expect((await invitationsTo(mailer.sent, salma)).map((i) => [i.method, i.uid])).toContainEqual(['REQUEST', sessionUid(seriesId, sessionIds[0]!)]);

    // SES delivering it twice (a second object), or the notification redelivered: appended once.
    const events = await api.eventCount();
    expect(await deliver(no)).toMatchObject({ outcome: 'unchanged' });
    expect(await api.eventCount()).toBe(events);
    const history = (await api.request('GET', `/admin/series/${seriesId}/history`)).body;
    expect(JSON.stringify(history)).not.toContain(invitation.organizer);
  });

  it.each<[ReplyClient, 'ACCEPTED' | 'TENTATIVE']>([
    ['outlook', 'ACCEPTED'],
    ['apple', 'TENTATIVE'],
    ['gmail', 'ACCEPTED'],
  ])("%s's %s is recorded and shown on the roster, as JSON and as CSV (names and answers, no token, no address of ours)", async (client, status) => {
    const amal = unique('amal');
    await member(amal);
    const mailer = recordingMailer();
    await testDispatcher(api, { mailer }).tick({ now: NOW });
    const invitation = (await invitationsTo(mailer.sent, amal)).find((i) => i.uid === sessionUid(seriesId, sessionIds[1]!))!;
    api.clock.now = NOW;
    const taken = await deliver(replyMail(client, { replyAddress: invitation.organizer, uid: invitation.uid, attendee: amal.toUpperCase(), attendeeName: 'Amal Haddad', status, organiserName: 'Training Centre' }));
    expect(taken).toMatchObject({ outcome: 'answered', answer: status.toLowerCase() });
    const roll = await roster(sessionIds[1]!);
    expect(roll.seated).toEqual([expect.objectContaining({ email: amal, answer: expect.objectContaining({ answer: status.toLowerCase() }) })]);

    const csv = await fetch(`${api.url}/admin/series/${seriesId}/sessions/${sessionIds[1]}/registrations`, { headers: { authorization: `Bearer ${api.organiserToken}`, accept: 'text/csv' } });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv; charset=utf-8/);
    expect(csv.headers.get('cache-control')).toBe('no-store');
    const text = await csv.text();
    const [header, row] = text.split('\r\n');
    expect(header).toBe('place,waitlist_position,name,email,answer,answered_at,attended,joined_at,minutes,attendance_source,member_id');
    expect(row).toMatch(new RegExp(`^seated,,Amal Haddad,${amal.replace(/[.]/g, '\\.')},${status.toLowerCase()},2027-01-12T09:30:00\\.000Z,no,`));
    expect(text).not.toContain(LOCAL_REPLY_DOMAIN);
    expect(text).not.toMatch(/token/i);
  });

  it('drops what does not agree (a forged or expired address, another UID, another attendee, a COUNTER, a malformed calendar, 20 MB, an auto-reply, our own mail) and appends nothing', async () => {
    const amal = unique('amal');
    const salma = unique('salma');
    await member(amal);
    await member(salma, 'Salma');
    const mailer = recordingMailer();
    await testDispatcher(api, { mailer }).tick({ now: NOW });
    const uid = sessionUid(seriesId, sessionIds[1]!);
    const address = (await invitationsTo(mailer.sent, amal)).find((i) => i.uid === uid)!.organizer;
    api.clock.now = NOW;
    const base = { replyAddress: address, uid, attendee: amal, status: 'DECLINED' as const, organiserName: 'Training Centre' };
    const [local, domain] = address.split('@') as [string, string];
    const forged = `${local.slice(0, -1)}${local.endsWith('a') ? 'b' : 'a'}@${domain}`;
    const events = await api.eventCount();
    const cases: [string, Buffer, string][] = [
      ['forged address', replyMail('gmail', { ...base, replyAddress: forged }), 'forged-address'],
      ["another session's UID", replyMail('outlook', { ...base, uid: sessionUid(seriesId, sessionIds[0]!) }), 'forged-address'],
      ['a UID not ours', replyMail('apple', { ...base, uid: 'somebody-else@example.com' }), 'unknown-uid'],
      ['another attendee', replyMail('gmail', { ...base, attendee: salma }), 'attendee-mismatch'],
      ['a COUNTER', counterMail({ ...base, proposedStart: new Date('2027-03-29T15:00:00Z'), proposedEnd: new Date('2027-03-29T16:00:00Z') }), 'not-a-reply'],
      ['a malformed calendar', malformedCalendarMail('outlook', base), 'malformed-calendar'],
      ['20 MB', hugeMail(base), 'too-large'],
      ['an out-of-office reply', autoReplyMail(base), 'mail-loop'],
      ['our own address answering (a loop)', replyMail('gmail', { ...base, attendee: 'no-reply@convene.test' }), 'mail-loop'],
    ];
    for (const [what, raw, reason] of cases) {
      expect(await deliver(raw), what).toMatchObject({ outcome: 'dropped', reason });
    }
    // Two years after the session was made, the address has expired.
    api.clock.now = new Date(Date.now() + 731 * 24 * 3600 * 1000);
    expect(await deliver(replyMail('gmail', base))).toMatchObject({ outcome: 'dropped', reason: 'expired-address' });
    expect(await api.eventCount()).toBe(events);
    expect((await roster(sessionIds[1]!)).seated.map((s) => s.email).sort()).toEqual([amal, salma].sort());
  });
});
