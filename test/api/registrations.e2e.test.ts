/**
 * Members over real HTTP: double opt-in registration whose mail the dispatcher sends, the
 * confirmation link that asks on GET and confirms on POST, registering again, leaving by the
 * link of the registration it was mailed for, the feed token that only reads a feed, and
 * organisers' bulk registration with its one welcome mail.
 */
import ICAL from 'ical.js';
import { beforeEach, describe, expect, it } from 'vitest';
import { memberStreamId } from '../../events/member/index.js';
import { useTestApi } from '../support/api.js';
import { testDispatcher } from '../support/dispatcher.js';
import { linkIn, mailTo } from '../support/mailbox.js';
import { confirmLinkFor, feedTokenOf, pathOf, register, registerAndConfirm } from '../support/members.js';
import { careRequest } from '../support/seed-requests.js';

const api = useTestApi({ scope: 'test' });
let seriesId = '';
let sessionIds: string[] = [];

beforeEach(async () => {
  seriesId = (await api.request('POST', '/admin/series', { body: careRequest })).body.id;
  sessionIds = [];
  for (const [start, language] of [['2027-03-07T15:00', 'en'], ['2027-03-21T15:00', 'es'], ['2027-05-23T15:00', 'en']] as const) {
    sessionIds.push((await api.request('POST', `/admin/series/${seriesId}/sessions`, { body: { title: { [language]: `Lecture ${start}` }, start, durationMinutes: 90, language, joinUrl: 'https://webinar.example.org/room' } })).body.sessionId);
  }
  await api.settle();
});

const unique = (name: string) => `${name}-${crypto.randomUUID().slice(0, 8)}@example.org`;
const daniela = (email: string, extra: Record<string, unknown> = {}) => ({ email, name: 'Daniela Moreno', language: 'es', timeZone: 'America/Guayaquil', ...extra });
const feedStarts = (ics: string) =>
  new ICAL.Component(ICAL.parse(ics)).getAllSubcomponents('vevent').map((v) => new ICAL.Event(v).startDate.toJSDate().toISOString()).sort();
/** The dispatcher's tick now: it sends what members' own requests ask for. */
const tick = async () => {
  await api.settle();
  return testDispatcher(api).tick({ now: new Date() });
};

describe('double opt-in registration', () => {
  it('the mail comes from the dispatcher, not the request; its link asks on GET and HEAD, confirms on POST once, and gives the feed link once', async () => {
    const email = unique('daniela');
    expect((await register(api, seriesId, daniela(email))).headers.get('cache-control')).toBe('no-store');
    // The request sent nothing: the answer and its time are the same for every address.
    expect(await mailTo(email)).toHaveLength(0);
    expect((await tick()).memberMail).toBe(1);
    const [mail] = await mailTo(email);
    expect(mail!.subject).toContain('economía del cuidado'); // in the member's language
    // No name nobody confirmed: not in To, not in the greeting.
    expect(mail!.destination.to).toEqual([email]);
    expect(mail!.body.text).toMatch(/^Hola:/);
    expect(mail!.body.text).not.toContain('Daniela');
    const confirm = linkIn(mail!.body.text, '/registrations/confirm?token=')!;

    // Opening the link, as a person or a mail scanner does, asks and changes nothing.
    const before = await api.eventCount();
    for (const method of ['GET', 'HEAD']) {
      const page = await api.request(method, pathOf(confirm), { token: null, headers: { accept: 'text/html' } });
      expect(page.status, method).toBe(200);
      expect(page.headers.get('cache-control'), method).toBe('no-store');
    }
    const page = await api.request('GET', pathOf(confirm), { token: null, headers: { accept: 'text/html' } });
    expect(page.text).toContain('method="post"');
    // The name given with the request is offered to its owner to confirm.
    expect(page.text).toContain('value="Daniela Moreno"');
    expect(await api.eventCount()).toBe(before);
    expect((await api.members.get((await api.members.memberIdForEmail(email))!))!.name).toBe('');

    const confirmed = await api.request('POST', pathOf(confirm), { token: null, body: { name: 'Daniela Moreno' }, headers: { accept: 'application/json' } });
    expect(confirmed.status).toBe(200);
    expect(confirmed.headers.get('cache-control')).toBe('no-store');
    expect(confirmed.body).toMatchObject({ status: 'confirmed', seriesId });
    expect(confirmed.body.memberToken).toBeUndefined();
    expect(confirmed.body.manageUrl).toMatch(/\/manage\?token=/);
    const feedUrl = confirmed.body.feedUrl as string;
    expect(feedUrl).toMatch(/\/feeds\/members\/[\w-]{32}\.ics$/);
    expect((await api.members.get((await api.members.memberIdForEmail(email))!))!.name).toBe('Daniela Moreno');

    const again = await api.request('POST', pathOf(confirm), { token: null, headers: { accept: 'application/json' } });
    expect(again.status).toBe(200);
    expect(again.body.feedUrl).toBeUndefined();

    // Registering again for what the member has changes nothing and mails nothing: it is only recorded.
    const memberId = (await api.members.memberIdForEmail(email))!;
    const events = await api.store.read(memberStreamId(memberId));
    await register(api, seriesId, daniela(email));
    expect((await api.store.read(memberStreamId(memberId))).slice(events.length).map((e) => e.type)).toEqual(['RegistrationRequestRepeated']);
    await tick();
    expect((await mailTo(email)).filter((m) => m.subject === mail!.subject)).toHaveLength(1);

    await api.settle();
    const feed = await api.request('GET', pathOf(feedUrl), { token: null });
    expect(feed.status).toBe(200);
    expect(feed.headers.get('content-type')).toBe('text/calendar; charset=utf-8');
    expect(feedStarts(feed.text)).toEqual(['2027-03-07T20:00:00.000Z', '2027-03-21T19:00:00.000Z', '2027-05-23T19:00:00.000Z']);
    // The meeting is reached through the member's own join link (test/api/attendance.e2e.test.ts).
    expect(feed.text).not.toContain('webinar.example.org/room');
    expect(feed.text).toMatch(/LOCATION:http:\/\/127\.0\.0\.1:\d+\/sessions\/join\?token=/);
    const cached = await api.request('GET', pathOf(feedUrl), { token: null, headers: { 'if-none-match': feed.headers.get('etag')! } });
    expect(cached.status).toBe(304);
  });

  it('does not confirm on a forged, altered or expired link, GET or POST, and writes nothing', async () => {
    const email = unique('forged');
    await register(api, seriesId, daniela(email));
    const confirm = await confirmLinkFor(api, email, seriesId);
    const before = await api.eventCount();
    const altered = confirm.replace(/token=(.)/, (_, ch: string) => `token=${ch === 'A' ? 'B' : 'A'}`);
    const memberId = (await api.members.memberIdForEmail(email))!;
    const expired = api.signer.sign({ a: 'confirm', m: memberId, s: seriesId, r: 'whatever' }, new Date(Date.now() - 1000));
    for (const method of ['GET', 'POST']) {
      expect((await api.request(method, pathOf(altered), { token: null })).status, method).toBe(404);
      expect((await api.request(method, '/registrations/confirm?token=nonsense', { token: null })).status, method).toBe(404);
      expect((await api.request(method, `/registrations/confirm?token=${expired}`, { token: null })).status, method).toBe(410);
    }
    expect(await api.eventCount()).toBe(before);
  });

  it('registers for chosen sessions only, and refuses unknown ones naming them', async () => {
    const email = unique('chosen');
    const refused = await api.request('POST', `/series/${seriesId}/registrations`, { token: null, body: daniela(email, { sessions: [sessionIds[1], 'no-such-session'] }) });
    expect(refused.status).toBe(422);
    expect(refused.body.errors).toEqual([expect.objectContaining({ field: 'sessions.1' })]);
    const { feedUrl } = await registerAndConfirm(api, seriesId, daniela(email, { sessions: [sessionIds[1]] }));
    const feed = await api.request('GET', pathOf(feedUrl!), { token: null });
    expect(feedStarts(feed.text)).toEqual(['2027-03-21T19:00:00.000Z']);
  });
});

describe('leaving', () => {
  it('by the signed link in the mail: opening it asks, the POST (RFC 8058 one-click) does it, and the feed empties', async () => {
    const email = unique('member');
    await register(api, seriesId, daniela(email));
    await tick();
    const mail = (await mailTo(email))[0]!;
    const confirm = linkIn(mail.body.text, '/registrations/confirm?token=')!;
    const { feedUrl } = (await api.request('POST', pathOf(confirm), { token: null, headers: { accept: 'application/json' } })).body as { feedUrl: string };
    await api.settle();
    // The one-click link of the confirmation mail leaves this registration.
    const link = linkIn(mail.body.text, '/registrations/unregister?token=');
    expect(link).toBeDefined();
    const before = await api.eventCount();
    const page = await api.request('GET', pathOf(link!), { token: null, headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(page.text).toContain('method="post"');
    expect(await api.eventCount()).toBe(before);
    const res = await api.request('POST', pathOf(link!), { token: null, raw: 'List-Unsubscribe=One-Click', headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' } });
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('unregistered');
    await api.settle();
    expect(feedStarts((await api.request('GET', pathOf(feedUrl), { token: null })).text)).toEqual([]);
  });

  it('a link mailed for an earlier registration never cancels a later one', async () => {
    const email = unique('again');
    await registerAndConfirm(api, seriesId, daniela(email));
    const memberId = (await api.members.memberIdForEmail(email))!;
    const first = (await api.store.read(memberStreamId(memberId))).find((e) => e.type === 'RegistrationRequested')!.data.registrationId as string;
    const unregisterFirst = api.signer.sign({ a: 'unregister', m: memberId, s: seriesId, r: first }, new Date(Date.now() + 3600_000));
    expect((await api.request('POST', `/registrations/unregister?token=${unregisterFirst}`, { token: null, headers: { accept: 'application/json' } })).status).toBe(200);
    // Registered again: a new registration, which the old link must leave alone.
    await registerAndConfirm(api, seriesId, daniela(email));
    const before = await api.eventCount();
    const stale = await api.request('POST', `/registrations/unregister?token=${unregisterFirst}`, { token: null, headers: { accept: 'application/json' } });
    expect(stale.status).toBe(410);
    expect(stale.body.detail).toMatch(/earlier registration/);
    expect(await api.eventCount()).toBe(before);
    // An unregister link of the old form, naming no registration, is no link of ours.
    const old = api.signer.sign({ a: 'unregister', m: memberId, s: seriesId }, new Date(Date.now() + 3600_000));
    expect((await api.request('POST', `/registrations/unregister?token=${old}`, { token: null })).status).toBe(404);
  });
});

describe('the personal feed token', () => {
  it('reads the feed and does nothing else: no rotation, no unregistering with it', async () => {
    const { feedUrl } = await registerAndConfirm(api, seriesId, daniela(unique('feed')));
    const token = feedTokenOf(feedUrl!);
    const before = await api.eventCount();
    expect((await api.request('POST', '/members/feed-token', { token })).status).toBe(404);
    expect((await api.request('DELETE', `/series/${seriesId}/registrations`, { token })).status).toBe(404);
    expect((await api.request('GET', `/manage?token=${token}`, { token: null })).status).toBe(404);
    expect((await api.request('POST', `/manage/feed?token=${token}`, { token: null })).status).toBe(404);
    expect(await api.eventCount()).toBe(before);
    expect((await api.request('GET', pathOf(feedUrl!), { token: null })).status).toBe(200);
  });

  it('a new feed link from the manage page works, and the old one answers 404', async () => {
    const { feedUrl, manageUrl } = await registerAndConfirm(api, seriesId, daniela(unique('rotate')));
    const rotated = await api.request('POST', pathOf(manageUrl).replace('/manage?', '/manage/feed?'), { token: null, headers: { accept: 'application/json' } });
    expect(rotated.status).toBe(201);
    expect(rotated.headers.get('cache-control')).toBe('no-store');
    expect(rotated.body.feedUrl).not.toBe(feedUrl);
    expect((await api.request('GET', pathOf(feedUrl!), { token: null })).status).toBe(404);
    expect((await api.request('GET', pathOf(rotated.body.feedUrl), { token: null })).status).toBe(200);
  });
});

describe('bulk registration by organisers', () => {
  it('confirms every member at once, with no confirmation mail but one welcome mail each, and is harmless to repeat', async () => {
    const members = ['haifa', 'quito', 'delhi'].map((city) => ({ email: unique(city), name: `Member in ${city}`, language: 'en', timeZone: 'Asia/Kolkata' }));
    const res = await api.request('POST', `/admin/series/${seriesId}/registrations`, { body: { members } });
    expect(res.status).toBe(200);
    expect(res.body.members.map((m: { status: string }) => m.status)).toEqual(['confirmed', 'confirmed', 'confirmed']);
    expect((await tick()).memberMail).toBe(3);
    for (const m of members) {
      const mails = await mailTo(m.email);
      expect(mails.filter((mail) => /^Please confirm/.test(mail.subject))).toHaveLength(0);
      const welcome = mails.filter((mail) => mail.subject === 'You are registered: Care Economy Lecture Series');
      expect(welcome, m.email).toHaveLength(1);
      const text = welcome[0]!.body.text!;
      expect(text).toContain('Training Centre registered you');
      expect(text).toContain(`Hello ${m.name},`);
      // Their calendar, their page, and how to leave: each link works.
      const feed = linkIn(text, '/feeds/members/')!;
      expect((await api.request('GET', pathOf(feed), { token: null })).status).toBe(200);
      expect((await api.request('GET', pathOf(linkIn(text, '/manage?token=')!), { token: null, headers: { accept: 'text/html' } })).status).toBe(200);
      expect((await api.request('GET', pathOf(linkIn(text, '/registrations/unregister?token=')!), { token: null, headers: { accept: 'text/html' } })).status).toBe(200);
    }
    const again = await api.request('POST', `/admin/series/${seriesId}/registrations`, { body: { members: members.map((m) => ({ ...m, language: 'fr' })) } });
    expect(again.body.members.every((m: { changed: boolean }) => !m.changed)).toBe(true);
    expect((await tick()).memberMail).toBe(0);
    expect((await api.request('POST', `/admin/series/${seriesId}/registrations`, { body: { members }, token: null })).status).toBe(401);
  });
});
