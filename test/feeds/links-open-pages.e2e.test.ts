/**
 * Every link Convene puts in a calendar or a mail opens something a person can read: the
 * links of the confirmation, welcome, invitation and cancellation mails (text and HTML), and
 * of the public and personal feeds' DESCRIPTION and URL, opened as a browser does, are pages
 * (HTML, with a language) or, for a feed link, a calendar; a member's own join link leads
 * (302) to the session's meeting URL, the meeting service's page, which is not Convene's to check.
 */
import { describe, expect, it } from 'vitest';
import { useTestApi } from '../support/api.js';
import { testDispatcher } from '../support/dispatcher.js';
import { linkIn, mailTo } from '../support/mailbox.js';
import { confirmLinkFor, pathOf, register } from '../support/members.js';
import { careRequest } from '../support/seed-requests.js';

const api = useTestApi({ scope: 'test' });
const unique = (name: string) => `${name}-${crypto.randomUUID().slice(0, 8)}@example.org`;

/** Convene's own links in a text: plain URLs, hrefs (HTML-decoded), and iCalendar text (unfolded, unescaped). */
function ownLinks(text: string): string[] {
  const unfolded = text.replace(/\r?\n[ \t]/g, '').replace(/&amp;/g, '&').replace(/\\([,;\\])/g, '$1');
  return (unfolded.match(/https?:\/\/[^\s"'<>\\]+/g) ?? []).map((url) => url.replace(/[.,;)]+$/, '')).filter((url) => url.startsWith(api.url));
}

describe('links in mail and calendars', () => {
  it('open a page a person can read (or, for a feed link, a calendar)', { timeout: 60_000 }, async () => {
    const seriesId = (await api.request('POST', '/admin/series', { body: careRequest })).body.id as string;
    const sessions: string[] = [];
    for (const start of ['2027-03-07T15:00', '2027-03-21T15:00']) {
      const res = await api.request('POST', `/admin/series/${seriesId}/sessions`, { body: { title: { en: `Lecture ${start}` }, start, durationMinutes: 90, language: 'en', joinUrl: 'https://webinar.example.org/room' } });
      sessions.push(res.body.sessionId as string);
    }
    await api.settle();
    const tick = () => testDispatcher(api).tick({ now: new Date() });

    // A member who registers on the web and confirms; one an organiser registers (the welcome mail).
    const member = unique('links');
    await register(api, seriesId, { email: member, name: 'Amal Haddad', language: 'en', timeZone: 'Asia/Hebron' });
    await api.settle();
    await tick();
    const confirmed = await api.request('POST', pathOf(await confirmLinkFor(api, member, seriesId)), { token: null, body: { name: 'Amal Haddad' }, headers: { accept: 'application/json' } });
    expect(confirmed.status).toBe(200);
    const welcomed = unique('welcomed');
    expect((await api.request('POST', `/admin/series/${seriesId}/registrations`, { body: { members: [{ email: welcomed, name: 'Lucía Pérez', language: 'es', timeZone: 'America/Guayaquil' }] } })).status).toBe(200);
    await api.settle();
    await tick();
    // A cancellation, with its reason, for both.
    expect((await api.request('POST', `/admin/series/${seriesId}/sessions/${sessions[1]}/cancel`, { body: { reason: 'The speaker is ill.' } })).status).toBe(200);
    await api.settle();
    await tick();

    const mails = [...(await mailTo(member)), ...(await mailTo(welcomed))];
    expect(mails.map((m) => m.subject)).toEqual(expect.arrayContaining([expect.stringMatching(/^Please confirm/), expect.stringMatching(/^Invitation: /), expect.stringMatching(/^Cancelled: /)]));
    const feedUrl = confirmed.body.feedUrl as string;
    const welcomeFeed = linkIn(mails.find((m) => m.destination.to.some((to) => to.includes(welcomed)) && /feeds\/members/.test(m.body.text ?? ''))?.body.text, '/feeds/members/')!;
    const feeds = await Promise.all([feedUrl, welcomeFeed, `${api.url}/feeds/series/${seriesId}.ics`].map(async (url) => (await api.request('GET', pathOf(url), { token: null })).text));
    // The cancelled session's reason reaches both feeds and the mail.
    expect(feeds[0]).toContain('The speaker is ill.');
    expect(mails.find((m) => m.subject.startsWith('Cancelled: '))!.body.text).toContain('The speaker is ill.');

    const links = new Set([...mails.flatMap((m) => [...ownLinks(m.body.text ?? ''), ...ownLinks(m.body.html ?? '')]), ...feeds.flatMap(ownLinks)]);
    // Among them, the "More information" of every event: the series page.
    expect(links).toContain(`${api.url}/series/${seriesId}`);
    expect(links.size).toBeGreaterThanOrEqual(6);
    for (const link of links) {
      const res = await fetch(link, { headers: { accept: 'text/html,application/xhtml+xml,*/*;q=0.8', 'accept-language': 'en' }, redirect: 'manual' });
      const type = res.headers.get('content-type') ?? '';
      if (/\/feeds\/(members|series)\//.test(link)) {
        expect(res.status, link).toBe(200);
        expect(type, link).toMatch(/^text\/calendar/);
      } else if (/\/sessions\/join\?/.test(link) && res.status !== 410) {
        expect(res.status, link).toBe(302);
        expect(res.headers.get('location'), link).toBe('https://webinar.example.org/room');
      } else {
        // The cancelled session's join link says so, as a page (410).
        if (/\/sessions\/join\?/.test(link)) expect(res.status, link).toBe(410);
        else expect(res.status, link).toBe(200);
        expect(type, link).toMatch(/^text\/html/);
        expect(await res.text(), link).toMatch(/^<!DOCTYPE html><html lang="[a-z]{2}" dir="(ltr|rtl)"/);
      }
    }
  });
});
