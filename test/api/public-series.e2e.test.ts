/**
 * The public schedule and feed of a series, served from the read model the projector keeps:
 * minutes (here: moments) after an organiser decides, members see it; no personal data, no
 * join links; ETag, Last-Modified and 304s as calendar clients use them.
 */
import ICAL from 'ical.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { sessionUid } from '../../functions/feeds/ical.js';
import { useTestApi } from '../support/api.js';
import { careRequest } from '../support/seed-requests.js';

const api = useTestApi();
let seriesId = '';
const sessionIds: string[] = [];

beforeAll(async () => {
  seriesId = (await api.request('POST', '/admin/series', { body: careRequest })).body.id;
  for (const [start, language] of [['2027-03-07T15:00', 'en'], ['2027-03-21T15:00', 'es']] as const) {
    const res = await api.request('POST', `/admin/series/${seriesId}/sessions`, {
      body: { title: { [language]: `Lecture ${start}` }, start, durationMinutes: 90, language, joinUrl: 'https://webinar.example.org/secret-room' },
    });
    sessionIds.push(res.body.sessionId);
  }
  await api.settle();
});

const vevents = (ics: string) => new ICAL.Component(ICAL.parse(ics)).getAllSubcomponents('vevent').map((v) => new ICAL.Event(v));

describe('public schedule', () => {
  it('lists the sessions on both sides of the DST change, without join links or organiser email', async () => {
    const res = await api.request('GET', `/series/${seriesId}`, { token: null });
    expect(res.status).toBe(200);
    expect(res.body.sessions.map((s: { startsAt: string }) => s.startsAt)).toEqual(['2027-03-07T20:00:00.000Z', '2027-03-21T19:00:00.000Z']);
    expect(res.text).not.toContain('secret-room');
    expect(res.text).not.toContain('training@example.org');
    const again = await api.request('GET', `/series/${seriesId}`, { token: null, headers: { 'if-none-match': res.headers.get('etag')! } });
    expect(again.status).toBe(304);
  });

  it('404s an unknown series', async () => {
    expect((await api.request('GET', '/series/no-such-series', { token: null })).status).toBe(404);
    expect((await api.request('GET', '/feeds/series/no-such-series.ics', { token: null })).status).toBe(404);
  });
});

describe('public feed', () => {
  it('is text/calendar with every session at the instant the organiser scheduled', async () => {
    const res = await api.request('GET', `/feeds/series/${seriesId}.ics`, { token: null });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/calendar; charset=utf-8');
    expect(res.text).not.toContain('secret-room');
    const events = vevents(res.text);
    expect(events.map((e) => e.startDate.toJSDate().toISOString()).sort()).toEqual(['2027-03-07T20:00:00.000Z', '2027-03-21T19:00:00.000Z']);
  });

  it('after a reschedule and a cancellation: same UID, higher SEQUENCE, then CANCELLED; new ETag each time; 304 when unchanged', async () => {
    const first = await api.request('GET', `/feeds/series/${seriesId}.ics`, { token: null });
    const etag = first.headers.get('etag')!;
    const lastModified = first.headers.get('last-modified')!;
    expect((await api.request('GET', `/feeds/series/${seriesId}.ics`, { token: null, headers: { 'if-none-match': etag } })).status).toBe(304);
    expect((await api.request('GET', `/feeds/series/${seriesId}.ics`, { token: null, headers: { 'if-modified-since': lastModified } })).status).toBe(304);

    const uid = sessionUid(seriesId, sessionIds[0]!);
    await api.request('PATCH', `/admin/series/${seriesId}/sessions/${sessionIds[0]}`, { body: { start: '2027-03-14T15:00' } });
    await api.settle();
    const moved = await api.request('GET', `/feeds/series/${seriesId}.ics`, { token: null, headers: { 'if-none-match': etag } });
    expect(moved.status).toBe(200);
    expect(moved.headers.get('etag')).not.toBe(etag);
    const movedEvent = vevents(moved.text).find((e) => e.uid === uid)!;
    expect(movedEvent.sequence).toBe(1);
    expect(movedEvent.startDate.toJSDate().toISOString()).toBe('2027-03-14T19:00:00.000Z');

    await api.request('POST', `/admin/series/${seriesId}/sessions/${sessionIds[0]}/cancel`, { body: { reason: 'speaker unavailable' } });
    await api.settle();
    const cancelled = await api.request('GET', `/feeds/series/${seriesId}.ics`, { token: null });
    expect(cancelled.headers.get('etag')).not.toBe(moved.headers.get('etag'));
    const cancelledEvent = vevents(cancelled.text).find((e) => e.uid === uid)!;
    expect(cancelledEvent.sequence).toBe(2);
    expect(cancelledEvent.component.getFirstPropertyValue('status')).toBe('CANCELLED');
  });
});
