/**
 * Certificates of participation end to end (issue 19): a series sets a rule; a member who meets
 * it (their join links, or a participants report) gets a certificate at once, mailed once with
 * the PDF and its verification link; the public verification page says valid, for whom, which
 * series, how many hours; an organiser revokes it and the page says so. A rule set after the
 * sessions issues through the admin route. The PDF's own rendering (scripts, QR code) is
 * checked in test/certificates/.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { memberLinks } from '../../functions/links/member-links.js';
import { getSchedule } from '../../functions/read-models/queries.js';
import { memberStreamId } from '../../events/member/index.js';
import { useTestApi } from '../support/api.js';
import { recordingMailer, testDispatcher } from '../support/dispatcher.js';
import { careRequest } from '../support/seed-requests.js';
import { registerAndConfirm } from '../support/members.js';
import { rawRequest } from '../support/raw-http.js';
import { simpleParser } from '../mail/mailparser.js';

const api = useTestApi({ scope: 'test' });
const unique = (name: string) => `${name}-${crypto.randomUUID().slice(0, 8)}@example.org`;
/** What a browser sends when the member follows a link (over a raw socket: fetch writes its own Sec-Fetch-Mode). */
const NAVIGATION = { 'sec-fetch-mode': 'navigate', 'sec-fetch-dest': 'document', 'sec-fetch-site': 'none' };

let seriesId = '';
const sessions: { sessionId: string; startsAt: string; createdAt: string }[] = [];

beforeEach(async () => {
  seriesId = (await api.request('POST', '/admin/series', { body: { ...careRequest, title: { en: 'Training for Gender Equality', es: 'Formación para la igualdad de género' } } })).body.id;
  sessions.length = 0;
  for (const start of ['2027-03-07T15:00', '2027-03-21T15:00']) {
    await api.request('POST', `/admin/series/${seriesId}/sessions`, { body: { title: { en: `Day ${start}` }, start, durationMinutes: 90, language: 'en', joinUrl: 'https://webinar.example.org/course' } });
  }
  await api.settle();
  for (const s of (await getSchedule(api.readModels, seriesId))!.doc.sessions) sessions.push({ sessionId: s.sessionId, startsAt: s.startsAt, createdAt: s.createdAt });
});

async function join(memberId: string, session: (typeof sessions)[number]) {
  api.clock.now = new Date(Date.parse(session.startsAt) + 5 * 60_000);
  const url = new URL(memberLinks(api.signer, api.url).join({ memberId, seriesId, sessionId: session.sessionId }, new Date(session.createdAt)));
  const res = await rawRequest(url.origin, { method: 'GET', target: `${url.pathname}${url.search}`, headers: NAVIGATION });
  expect(res.status).toBe(302);
  await api.settle();
}

const eventTypes = async (memberId: string) => (await api.store.read(memberStreamId(memberId))).map((e) => e.type);

describe('a certificate of participation', () => {
  it('is issued when the member meets the rule, mailed once with the PDF, verified by anyone, and revoked by the organiser', async () => {
    expect((await api.request('PATCH', `/admin/series/${seriesId}`, { body: { certificateRule: { sessions: 'all' } } })).status).toBe(200);
    await api.settle();
    const email = unique('mariam');
    const { memberId } = await registerAndConfirm(api, seriesId, { email, name: 'مريم الأحمد', language: 'es' });

    await join(memberId, sessions[0]!);
    expect(await eventTypes(memberId)).not.toContain('CertificateIssued');
    await join(memberId, sessions[1]!);
    expect((await eventTypes(memberId)).filter((t) => t === 'CertificateIssued')).toHaveLength(1);

    const mailer = recordingMailer();
    const dispatcher = testDispatcher(api, { mailer });
    await dispatcher.tick({ now: api.clock.now! });
    const mails = await Promise.all(mailer.sent.map((raw) => simpleParser(raw)));
    const mail = mails.find((m) => (m.attachments as { contentType: string }[]).some((a) => a.contentType === 'application/pdf'))!;
    expect(mail, mails.map((m) => m.subject).join(' | ')).toBeDefined();
    expect(JSON.stringify(mail.to)).toContain(email);
    const pdf = (mail.attachments as { contentType: string; content: Buffer; filename?: string }[]).find((a) => a.contentType === 'application/pdf')!;
    expect(pdf.content.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pdf.filename).toMatch(/^certificate-[\w-]+\.pdf$/);
    const verifyUrl = /https?:\/\/\S+\/certificates\/[\w-]+/.exec(mail.text ?? '')![0]!;

    // Anyone can check it: valid, for whom, which series, how many hours; no address, no member id.
    const checked = await api.request('GET', new URL(verifyUrl).pathname, { token: null, headers: { accept: 'text/html', 'accept-language': 'es' } });
    expect(checked.status).toBe(200);
    expect(checked.headers.get('x-robots-tag')).toBe('noindex');
    expect(checked.text).toMatch(/<html lang="es"/);
    expect(checked.text).toContain('مريم الأحمد');
    expect(checked.text).toContain('Formación para la igualdad de género');
    expect(checked.text).not.toContain(email);
    expect(checked.text).not.toContain(memberId);
    const asJson = await api.request('GET', new URL(verifyUrl).pathname, { token: null, headers: { accept: 'application/json' } });
    expect(asJson.body).toMatchObject({ status: 'valid', memberName: 'مريم الأحمد', hours: 3, sessionsAttended: 2, sessionsTotal: 2 });

    // Mailed once.
    mailer.sent.length = 0;
    await dispatcher.tick({ now: new Date(api.clock.now!.getTime() + 60_000) });
    expect(mailer.sent).toHaveLength(0);

    // Revoked: the page says so, with the reason; revoking again changes nothing.
    const certificateId = verifyUrl.split('/').at(-1)!;
    const revoked = await api.request('POST', `/admin/series/${seriesId}/certificates/${certificateId}/revoke`, { body: { reason: 'Issued by mistake' } });
    expect(revoked.status, revoked.text).toBe(200);
    await api.settle();
    const after = await api.request('GET', new URL(verifyUrl).pathname, { token: null, headers: { accept: 'application/json' } });
    expect(after.body).toMatchObject({ status: 'revoked', revocationReason: 'Issued by mistake' });
    const page = await api.request('GET', `${new URL(verifyUrl).pathname}?lang=en`, { token: null, headers: { accept: 'text/html' } });
    expect(page.text).toContain('Issued by mistake');
    const events = await api.eventCount();
    await api.request('POST', `/admin/series/${seriesId}/certificates/${certificateId}/revoke`, { body: {} });
    expect(await api.eventCount()).toBe(events);
    // The member's audit trail in this series: who did what, when.
    const history = await api.request('GET', `/admin/series/${seriesId}/member-history/${memberId}`);
    expect(history.status).toBe(200);
    const trail = (history.body.events as { type: string; actor: { kind: string } }[]).map((e) => [e.type, e.actor.kind]);
    expect(trail).toEqual(expect.arrayContaining([['AttendanceRecorded', 'member'], ['CertificateIssued', 'member'], ['CertificateRevoked', 'organiser']]));
    expect(trail.filter(([type]) => type === 'AttendanceRecorded')).toHaveLength(2);
    expect(JSON.stringify(history.body)).not.toContain(email);
    expect((await api.request('GET', `/admin/series/other-series/member-history/${memberId}`)).status).toBe(404);
    // Another series' id, or one that does not exist: 404.
    expect((await api.request('POST', `/admin/series/other-series/certificates/${certificateId}/revoke`, { body: {} })).status).toBe(404);
    const unknown = await api.request('GET', '/certificates/no-such-certificate', { token: null, headers: { accept: 'text/html' } });
    expect(unknown.status).toBe(404);
    expect(unknown.text).toMatch(/<html lang="[a-z]{2}"/);
  });

  it('a rule set after the sessions issues through the admin route, to each member who meets it, once', async () => {
    const amal = unique('amal');
    const salma = unique('salma');
    await registerAndConfirm(api, seriesId, { email: amal });
    await registerAndConfirm(api, seriesId, { email: salma, name: 'Salma' });
    // Amal was there for 80 minutes of the first day (a participants report), Salma for 20.
    const report = [
      'Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes)',
      `Amal Haddad,${amal},2027-03-07T20:00:00Z,2027-03-07T21:20:00Z,80`,
      `Salma,${salma},2027-03-07T20:00:00Z,2027-03-07T20:20:00Z,20`,
    ].join('\r\n');
    expect((await api.request('POST', `/admin/series/${seriesId}/sessions/${sessions[0]!.sessionId}/attendance`, { raw: report, headers: { 'content-type': 'text/csv' } })).body.matched).toBe(2);
    await api.settle();
    // Without a rule there is nothing to issue.
    expect((await api.request('POST', `/admin/series/${seriesId}/certificates`, { body: {} })).status).toBe(422);
    await api.request('PATCH', `/admin/series/${seriesId}`, { body: { certificateRule: { hours: 1 } } });
    await api.settle();
    const issued = await api.request('POST', `/admin/series/${seriesId}/certificates`, { body: {} });
    expect(issued.status, issued.text).toBe(200);
    expect(issued.body.issued).toEqual([expect.objectContaining({ hours: 1.33, sessionsAttended: 1 })]);
    await api.settle();
    expect((await api.request('POST', `/admin/series/${seriesId}/certificates`, { body: {} })).body).toMatchObject({ issued: [], alreadyIssued: 1 });
    // A bad rule is refused, naming the field, and nothing is written.
    const events = await api.eventCount();
    const bad = await api.request('PATCH', `/admin/series/${seriesId}`, { body: { certificateRule: { sessions: 0 } } });
    expect(bad.status).toBe(422);
    expect(JSON.stringify(bad.body.errors)).toContain('certificateRule');
    expect(await api.eventCount()).toBe(events);
  });
});
