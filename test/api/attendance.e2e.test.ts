/**
 * Attendance end to end (issue 19): invitations, reminders and personal feeds carry the
 * member's own join link instead of the meeting URL; opened by the member's browser from 15
 * minutes before the start to the end, it records that they joined (once) and redirects to the
 * meeting URL as it is then. An organiser imports the meeting's participants report (Zoom's
 * CSV) for those who joined another way: matched by address, the rest reported. The roster
 * shows it, as JSON and CSV.
 */
import ICAL from 'ical.js';
import nodeIcal from 'node-ical';
import { beforeEach, describe, expect, it } from 'vitest';
import { useTestApi } from '../support/api.js';
import { recordingMailer, testDispatcher } from '../support/dispatcher.js';
import { careRequest } from '../support/seed-requests.js';
import { feedTokenOf, registerAndConfirm } from '../support/members.js';
import { simpleParser } from '../mail/mailparser.js';
import { memberLinks } from '../../functions/links/member-links.js';
import { getSchedule } from '../../functions/read-models/queries.js';
import { rawRequest } from '../support/raw-http.js';

const api = useTestApi({ scope: 'test' });
const unique = (name: string) => `${name}-${crypto.randomUUID().slice(0, 8)}@example.org`;
// 15:00 New York on Sunday 21 March 2027 (EDT since 14 March): 19:00 UTC.
const START = new Date('2027-03-21T19:00:00Z');
const minutes = (n: number) => new Date(START.getTime() + n * 60_000);
/** What a browser sends when the member follows a link (a scanner or an HTTP client sends none of it). */
const NAVIGATION = { 'sec-fetch-mode': 'navigate', 'sec-fetch-dest': 'document', 'sec-fetch-site': 'none', 'sec-fetch-user': '?1' };

let seriesId = '';
let sessionId = '';

beforeEach(async () => {
  seriesId = (await api.request('POST', '/admin/series', { body: careRequest })).body.id;
  sessionId = (await api.request('POST', `/admin/series/${seriesId}/sessions`, { body: { title: { en: 'Unpaid care work' }, start: '2027-03-21T15:00', durationMinutes: 60, language: 'en', joinUrl: 'https://webinar.example.org/care' } })).body.sessionId;
  await api.settle();
});

async function roster() {
  return (await api.request('GET', `/admin/series/${seriesId}/sessions/${sessionId}/registrations`)).body as {
    seated: { email: string; attended?: { joinedAt: string; minutes?: number; sources: string[] } }[];
    withoutPlace: { email: string; attended?: { minutes?: number } }[];
  };
}

/**
 * Open a join link, as a browser does (`NAVIGATION`) or as something else; over a raw socket,
 * since fetch writes its own Sec-Fetch-Mode (cors).
 */
async function join(link: string, headers: Record<string, string> = NAVIGATION, method = 'GET') {
  const url = new URL(link);
  const res = await rawRequest(url.origin, { method, target: `${url.pathname}${url.search}`, headers });
  return { status: res.status, headers: { get: (name: string) => res.headers[name.toLowerCase()] ?? null }, text: res.text };
}

describe('the personal join link', () => {
  it('is in the invitation, the reminder and the personal feed instead of the meeting URL; one link per member and session', async () => {
    const amal = unique('amal');
    const { feedUrl } = await registerAndConfirm(api, seriesId, { email: amal });
    const mailer = recordingMailer();
    const dispatcher = testDispatcher(api, { mailer });
    await dispatcher.tick({ now: new Date('2027-02-01T12:00:00Z') });
    await dispatcher.tick({ now: minutes(-60) }); // the PT1H reminder
    const mails = await Promise.all(mailer.sent.map((raw) => simpleParser(raw)));
    expect(mails).toHaveLength(2);
    const links = mails.map((m) => /https?:\/\/\S+\/sessions\/join\?token=[\w.-]+/.exec(m.text ?? '')?.[0]);
    expect(links[0]).toBeDefined();
    expect(links[1]).toBe(links[0]);
    for (const mail of mails) {
      expect(mail.text).not.toContain('webinar.example.org');
      expect(mail.html).not.toContain('webinar.example.org');
      expect(mail.html).toContain(`href="${links[0]}"`);
    }
    const invite = (mails[0]!.attachments as { contentType: string; content: Buffer }[]).find((a) => a.contentType.startsWith('text/calendar'))!.content.toString('utf8');
    const vevent = new ICAL.Component(ICAL.parse(invite)).getFirstSubcomponent('vevent')!;
    expect(vevent.getFirstPropertyValue('location')).toBe(links[0]);
    expect(vevent.getFirstPropertyValue('url')).toBe(links[0]);

    const feed = await (await fetch(`${api.url}/feeds/members/${feedTokenOf(feedUrl!)}.ics`)).text();
    const event = Object.values(nodeIcal.sync.parseICS(feed)).find((c) => c?.type === 'VEVENT') as unknown as { location: string; description: string };
    expect(event.location).toBe(links[0]);
    expect(feed).not.toContain('webinar.example.org');
    const feedEvent = new ICAL.Component(ICAL.parse(feed)).getFirstSubcomponent('vevent')!;
    expect(feedEvent.getFirstPropertyValue('url')).toBe(links[0]);
    // The public feed has no join link at all.
    expect(await (await fetch(`${api.url}/feeds/series/${seriesId}.ics`)).text()).not.toMatch(/sessions\/join|webinar\.example\.org/);

    // Another member's link is another link.
    const salma = unique('salma');
    await registerAndConfirm(api, seriesId, { email: salma, name: 'Salma' });
    mailer.sent.length = 0;
    await dispatcher.tick({ now: new Date('2027-02-01T12:05:00Z') });
    const other = (await simpleParser(mailer.sent[0]!)).text ?? '';
    expect(other).toMatch(/\/sessions\/join\?token=/);
    expect(other).not.toContain(links[0]!);
  });

  it('redirects to the meeting URL as it is now, records the join once between 15 minutes before the start and the end, and only for a browser', async () => {
    const amal = unique('amal');
    const { memberId } = await registerAndConfirm(api, seriesId, { email: amal });
    // The link the mails and the feed carry (the test above).
    const session = (await getSchedule(api.readModels, seriesId))!.doc.sessions.find((s) => s.sessionId === sessionId)!;
    const link = memberLinks(api.signer, api.url).join({ memberId, seriesId, sessionId }, new Date(session.createdAt));
    const events = await api.eventCount();

    // An hour early (testing the link): to the meeting, nothing recorded.
    api.clock.now = minutes(-60);
    let res = await join(link);
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('https://webinar.example.org/care');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    // A mail scanner in the window (no browser navigation headers), and a HEAD: nothing recorded.
    api.clock.now = minutes(-10);
    expect((await join(link, {})).status).toBe(302);
    expect((await join(link, NAVIGATION, 'HEAD')).status).toBe(302);
    await api.settle();
    expect(await api.eventCount()).toBe(events);
    expect((await roster()).seated[0]!.attended).toBeUndefined();

    // The member, ten minutes before the start: recorded.
    res = await join(link);
    expect(res.status).toBe(302);
    await api.settle();
    expect((await roster()).seated[0]!.attended).toEqual({ joinedAt: minutes(-10).toISOString(), sources: ['join-link'] });
    // Again, later: once.
    api.clock.now = minutes(20);
    await join(link);
    await api.settle();
    expect(await api.eventCount()).toBe(events + 1);

    // The organiser changes the meeting link: the same link opens the new one.
    await api.request('PATCH', `/admin/series/${seriesId}/sessions/${sessionId}`, { body: { joinUrl: 'https://webinar.example.org/care-new-room' } });
    await api.settle();
    expect((await join(link)).headers.get('location')).toBe('https://webinar.example.org/care-new-room');

    // After the end it still opens the meeting (a recording room, say) and records nothing more.
    api.clock.now = minutes(61);
    expect((await join(link)).status).toBe(302);

    // Cancelled: a page in the member's language that says so, not a redirect.
    await api.request('POST', `/admin/series/${seriesId}/sessions/${sessionId}/cancel`, { body: { reason: 'The speaker is ill' } });
    await api.settle();
    const cancelled = await join(`${link}&lang=es`, { ...NAVIGATION, accept: 'text/html' });
    expect(cancelled.status).toBe(410);
    const html = cancelled.text;
    expect(html).toMatch(/<html lang="es"/);
    expect(html).toContain('The speaker is ill');
    // A forged or altered link: 404, nothing recorded.
    expect((await join(`${link.slice(0, -2)}xx`)).status).toBe(404);
  });
});

describe('a participants report', () => {
  const zoomReport = (amal: string, salma: string) =>
    [
      'Meeting ID,Topic,Start Time,End Time,User Email,Duration (Minutes),Participants',
      '"812 3456 7890","Unpaid care work","03/21/2027 02:55:10 PM","03/21/2027 04:02:00 PM","training@example.org","67","4"',
      '',
      'Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes),Guest,Recording Consent,In Waiting Room',
      `"Amal Haddad","${amal.toUpperCase()}","03/21/2027 03:01:12 PM","03/21/2027 03:31:12 PM","30","No","",""`,
      `"Amal Haddad","${amal}","03/21/2027 03:35:00 PM","03/21/2027 04:00:00 PM","25","No","",""`,
      `"Salma (phone)","${salma}","03/21/2027 03:05:00 PM","03/21/2027 03:50:00 PM","45","No","",""`,
      '"Somebody","nobody-we-know@example.net","03/21/2027 03:00:00 PM","03/21/2027 04:00:00 PM","60","Yes","",""',
      '"Dial-in guest","","03/21/2027 03:02:00 PM","03/21/2027 03:40:00 PM","38","Yes","",""',
      '',
    ].join('\r\n');

  it('is matched by address (rejoins summed, the earliest join kept), reports the rows that match no member, and changes nothing the second time', async () => {
    const amal = unique('amal');
    const salma = unique('salma');
    await registerAndConfirm(api, seriesId, { email: amal });
    // Salma joined by phone without a registration for this series: a member of another.
    const other = (await api.request('POST', '/admin/series', { body: careRequest })).body.id;
    await registerAndConfirm(api, other, { email: salma, name: 'Salma' });
    const body = zoomReport(amal, salma);
    const send = () => api.request('POST', `/admin/series/${seriesId}/sessions/${sessionId}/attendance?timeZone=America/New_York`, { raw: body, headers: { 'content-type': 'text/csv' } });
    const res = await send();
    expect(res.status, res.text).toBe(200);
    expect(res.body.matched).toBe(2);
    expect(res.body.recorded.map((r: { email: string; minutes: number }) => [r.email, r.minutes]).sort()).toEqual([[amal, 55], [salma, 45]].sort());
    expect(res.body.unmatched).toEqual([
      { line: 8, name: 'Somebody', email: 'nobody-we-know@example.net', reason: 'no member has this address' },
      { line: 9, name: 'Dial-in guest', reason: 'no email address (a guest who gave none)' },
    ]);
    await api.settle();
    const roll = await roster();
    // 15:01:12 EDT is 19:01:12 UTC.
    expect(roll.seated.find((s) => s.email === amal)!.attended).toEqual({ joinedAt: '2027-03-21T19:01:12.000Z', minutes: 55, sources: ['participants-report'] });

    const events = await api.eventCount();
    const again = await send();
    expect(again.body.recorded.every((r: { changed: boolean }) => !r.changed)).toBe(true);
    expect(await api.eventCount()).toBe(events);

    const csv = await (await fetch(`${api.url}/admin/series/${seriesId}/sessions/${sessionId}/registrations`, { headers: { authorization: `Bearer ${api.organiserToken}`, accept: 'text/csv' } })).text();
    expect(csv.split('\r\n')[1]).toMatch(new RegExp(`^seated,,Amal Haddad,${amal.replace(/[.]/g, '\\.')},,,yes,2027-03-21T19:01:12\\.000Z,55,participants-report,`));
  });

  it('refuses what it cannot read, and writes nothing', async () => {
    const events = await api.eventCount();
    const post = (raw: string, type = 'text/csv', query = '') => api.request('POST', `/admin/series/${seriesId}/sessions/${sessionId}/attendance${query}`, { raw, headers: { 'content-type': type } });
    expect((await post('Name,Email\r\nAmal,amal@example.org\r\n')).status).toBe(422);
    const notCsv = await post('{"rows": []}', 'application/json');
    expect(notCsv.status).toBe(415);
    expect(notCsv.body.detail).toBe('Send the participants report as CSV, with Content-Type: text/csv, not application/json.');
    expect((await post('User Email,Join Time,Duration\r\n', 'text/csv', '?timeZone=Mars/Olympus')).status).toBe(422);
    expect((await api.request('POST', `/admin/series/${seriesId}/sessions/nope/attendance`, { raw: 'x', headers: { 'content-type': 'text/csv' } })).status).toBe(404);
    expect(await api.eventCount()).toBe(events);
  });
});
