/**
 * Members over real HTTP: double opt-in registration with a mailed signed link, confirming,
 * registering twice, unregistering by link and by token, personal feeds with rotation, and
 * organisers' bulk registration without confirmation mail.
 */
import ICAL from 'ical.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { memberStreamId } from '../../events/member/index.js';
import { useTestApi } from '../support/api.js';
import { linkIn, mailTo } from '../support/mailbox.js';
import { careRequest } from '../support/seed-requests.js';

const api = useTestApi();
let seriesId = '';
const sessionIds: string[] = [];

beforeAll(async () => {
  seriesId = (await api.request('POST', '/admin/series', { body: careRequest })).body.id;
  for (const [start, language] of [['2027-03-07T15:00', 'en'], ['2027-03-21T15:00', 'es'], ['2027-05-23T15:00', 'en']] as const) {
    sessionIds.push((await api.request('POST', `/admin/series/${seriesId}/sessions`, { body: { title: { [language]: `Lecture ${start}` }, start, durationMinutes: 90, language, joinUrl: 'https://webinar.example.org/room' } })).body.sessionId);
  }
});

const unique = (name: string) => `${name}-${crypto.randomUUID().slice(0, 8)}@example.org`;
const register = (email: string, extra: Record<string, unknown> = {}) =>
  api.request('POST', `/series/${seriesId}/registrations`, { token: null, body: { email, name: 'Daniela Moreno', language: 'es', timeZone: 'America/Guayaquil', ...extra } });
const pathOf = (url: string) => url.replace(/^https?:\/\/[^/]+/, '');
const feedStarts = (ics: string) =>
  new ICAL.Component(ICAL.parse(ics)).getAllSubcomponents('vevent').map((v) => new ICAL.Event(v).startDate.toJSDate().toISOString()).sort();

describe('double opt-in registration', () => {
  it('mails a signed link; the link confirms once, gives a personal feed, and registering again is harmless', async () => {
    const email = unique('daniela');
    const res = await register(email);
    expect(res.status).toBe(202);
    const [mail] = await mailTo(email);
    expect(mail, 'a confirmation mail').toBeDefined();
    expect(mail!.subject).toContain('economía del cuidado'); // in the member's language
    const confirm = linkIn(mail!.body.text, '/registrations/confirm?token=');
    expect(confirm).toBeDefined();

    const confirmed = await api.request('GET', pathOf(confirm!), { token: null });
    expect(confirmed.status).toBe(200);
    expect(confirmed.body).toMatchObject({ status: 'confirmed', seriesId });
    const feedUrl = confirmed.body.feedUrl as string;
    expect(feedUrl).toMatch(/\/feeds\/members\/[\w-]{32}\.ics$/);

    const again = await api.request('GET', pathOf(confirm!), { token: null });
    expect(again.status).toBe(200);
    expect(again.body.feedUrl).toBeUndefined();

    const { member } = await api.members.findOrCreate(email, 'x', new Date());
    const before = (await api.store.read(memberStreamId(member.memberId))).length;
    expect((await register(email)).status).toBe(202);
    expect((await api.store.read(memberStreamId(member.memberId))).length).toBe(before);
    expect(await mailTo(email)).toHaveLength(1);

    await api.settle();
    const feed = await api.request('GET', pathOf(feedUrl), { token: null });
    expect(feed.status).toBe(200);
    expect(feed.headers.get('content-type')).toBe('text/calendar; charset=utf-8');
    expect(feedStarts(feed.text)).toEqual(['2027-03-07T20:00:00.000Z', '2027-03-21T19:00:00.000Z', '2027-05-23T19:00:00.000Z']);
    expect(feed.text).toContain('webinar.example.org/room');
    const cached = await api.request('GET', pathOf(feedUrl), { token: null, headers: { 'if-none-match': feed.headers.get('etag')! } });
    expect(cached.status).toBe(304);
  });

  it('does not confirm on a forged, altered or expired link, and writes nothing', async () => {
    const email = unique('forged');
    await register(email);
    const confirm = linkIn((await mailTo(email))[0]!.body.text, '/registrations/confirm?token=')!;
    const before = await api.eventCount();
    const altered = confirm.replace(/token=(.)/, (_, ch: string) => `token=${ch === 'A' ? 'B' : 'A'}`);
    expect((await api.request('GET', pathOf(altered), { token: null })).status).toBe(404);
    expect((await api.request('GET', '/registrations/confirm?token=nonsense', { token: null })).status).toBe(404);
    const { member } = await api.members.findOrCreate(email, 'x', new Date());
    const expired = api.signer.sign({ a: 'confirm', m: member.memberId, s: seriesId, r: 'whatever' }, new Date(Date.now() - 1000));
    expect((await api.request('GET', `/registrations/confirm?token=${expired}`, { token: null })).status).toBe(410);
    expect(await api.eventCount()).toBe(before);
  });

  it('registers for chosen sessions only, and refuses unknown ones naming them', async () => {
    const email = unique('chosen');
    expect((await register(email, { sessions: [sessionIds[1], 'no-such-session'] })).status).toBe(422);
    expect(await mailTo(email)).toHaveLength(0);
    expect((await register(email, { sessions: [sessionIds[1]] })).status).toBe(202);
    const confirmed = await api.request('GET', pathOf(linkIn((await mailTo(email))[0]!.body.text, '/registrations/confirm?token=')!), { token: null });
    await api.settle();
    const feed = await api.request('GET', pathOf(confirmed.body.feedUrl), { token: null });
    expect(feedStarts(feed.text)).toEqual(['2027-03-21T19:00:00.000Z']);
  });
});

describe('unregistering and feed tokens', () => {
  async function confirmedMember() {
    const email = unique('member');
    await register(email);
    const mail = (await mailTo(email))[0]!;
    const confirmed = await api.request('GET', pathOf(linkIn(mail.body.text, '/registrations/confirm?token=')!), { token: null });
    return { email, mail, feedUrl: confirmed.body.feedUrl as string, token: confirmed.body.memberToken as string };
  }

  it('by the signed link in the mail: opening it asks, the POST (RFC 8058 one-click) does it, and the feed empties', async () => {
    const { mail, feedUrl } = await confirmedMember();
    const link = linkIn(mail.body.text, '/registrations/unregister?token=');
    expect(link).toBeDefined();
    // Opening the link (as a mail scanner would) only shows a page that asks.
    const before = await api.eventCount();
    const page = await api.request('GET', pathOf(link!), { token: null });
    expect(page.status).toBe(200);
    expect(page.text).toContain('method="post"');
    expect(await api.eventCount()).toBe(before);
    const res = await api.request('POST', pathOf(link!), { token: null, raw: 'List-Unsubscribe=One-Click', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('unregistered');
    await api.settle();
    expect(feedStarts((await api.request('GET', pathOf(feedUrl), { token: null })).text)).toEqual([]);
  });

  it("by DELETE with the member's token; a wrong token is 401", async () => {
    const { token } = await confirmedMember();
    expect((await api.request('DELETE', `/series/${seriesId}/registrations`, { token: 'x'.repeat(32) })).status).toBe(401);
    expect((await api.request('DELETE', `/series/${seriesId}/registrations`, { token: null })).status).toBe(401);
    const res = await api.request('DELETE', `/series/${seriesId}/registrations`, { token });
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('unregistered');
  });

  it('a rotated feed link works and the old one answers 404', async () => {
    const { feedUrl, token } = await confirmedMember();
    const rotated = await api.request('POST', '/members/feed-token', { token });
    expect(rotated.status).toBe(201);
    expect(rotated.body.feedUrl).not.toBe(feedUrl);
    expect((await api.request('GET', pathOf(feedUrl), { token: null })).status).toBe(404);
    expect((await api.request('GET', pathOf(rotated.body.feedUrl), { token: null })).status).toBe(200);
    expect((await api.request('POST', '/members/feed-token', { token })).status).toBe(401);
  });
});

describe('bulk registration by organisers', () => {
  it('confirms every member at once, sends no confirmation mail, and is harmless to repeat', async () => {
    const members = ['haifa', 'quito', 'delhi'].map((city) => ({ email: unique(city), name: `Member in ${city}`, language: 'en', timeZone: 'Asia/Kolkata' }));
    const res = await api.request('POST', `/admin/series/${seriesId}/registrations`, { body: { members } });
    expect(res.status).toBe(200);
    expect(res.body.members.map((m: { status: string }) => m.status)).toEqual(['confirmed', 'confirmed', 'confirmed']);
    for (const m of members) expect(await mailTo(m.email)).toHaveLength(0);
    const again = await api.request('POST', `/admin/series/${seriesId}/registrations`, { body: { members } });
    expect(again.body.members.every((m: { changed: boolean }) => !m.changed)).toBe(true);
    expect((await api.request('POST', `/admin/series/${seriesId}/registrations`, { body: { members }, token: null })).status).toBe(401);
  });
});
