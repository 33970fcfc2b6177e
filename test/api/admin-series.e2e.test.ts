/**
 * Organisers over real HTTP: the seeds' Care Economy lecture series and 10th Virtual
 * Dialogue created, a session rescheduled across a DST change, one cancelled; history and
 * asOf tell what happened, in order.
 */
import { describe, expect, it, onTestFinished } from 'vitest';
import { HistoryView, ScheduledSessionView, SeriesListView, SeriesView } from '../../functions/api/schemas.js';
import { useTestApi } from '../support/api.js';
import { careRequest, dialogueRequest } from '../support/seed-requests.js';

const api = useTestApi();

const dialogue = dialogueRequest;
const care = { ...careRequest, title: { ...careRequest.title, fr: "Cycle de conférences sur l'économie des soins" } };

const lectures = [
  ['2027-05-23T15:00', 'en'],
  ['2027-05-30T15:00', 'es'],
  ['2027-06-06T15:00', 'en'],
  ['2027-06-27T15:00', 'es'],
] as const;

describe('the 10th Virtual Dialogue', () => {
  it('is created with its window and its live webinar on 3 May', async () => {
    const created = await api.request('POST', '/admin/series', { body: dialogue });
    expect(created.status).toBe(201);
    const series = SeriesView.parse(created.body);
    expect(series).toMatchObject({ version: 1, kind: 'virtual-dialogue', window: { opens: '2027-04-24', closes: '2027-05-14' }, sessions: [] });
    expect(created.headers.get('etag')).toBe('"1"');
    expect(created.headers.get('location')).toBe(`/admin/series/${series.id}`);

    const webinar = await api.request('POST', `/admin/series/${series.id}/sessions`, {
      body: {
        title: { en: 'Live webinar' },
        start: '2027-05-03T10:00',
        durationMinutes: 60,
        language: 'en',
        speakers: [{ name: 'Speaker One' }, { name: 'Speaker Two' }, { name: 'Speaker Three' }],
        joinUrl: 'https://webinar.example.org/vd10',
        capacity: 500,
      },
    });
    expect(webinar.status).toBe(201);
    expect(ScheduledSessionView.parse(webinar.body)).toMatchObject({
      version: 2,
      startsAt: '2027-05-03T14:00:00.000Z',
      endsAt: '2027-05-03T15:00:00.000Z',
      localStart: '2027-05-03T10:00:00-04:00',
      timeZone: 'America/New_York',
      capacity: 500,
      sequence: 0,
    });

    const read = await api.request('GET', `/admin/series/${series.id}`);
    expect(read.status).toBe(200);
    expect(read.headers.get('etag')).toBe('"2"');
    expect(SeriesView.parse(read.body).sessions.map((s) => s.sessionId)).toEqual([webinar.body.sessionId]);

    const notModified = await api.request('GET', `/admin/series/${series.id}`, { headers: { 'if-none-match': '"2"' } });
    expect(notModified.status).toBe(304);
  });
});

describe('the Care Economy lecture series', () => {
  it('four sessions in English and Spanish; one moved across DST, one cancelled; history and asOf in order', async () => {
    // On the API's clock (commands and recordedAt alike): created and scheduled at 09:00, changed at 10:00.
    onTestFinished(() => void (api.clock.now = undefined));
    api.clock.now = new Date('2027-01-15T09:00:00Z');
    const created = await api.request('POST', '/admin/series', { body: care });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    expect(created.body.title.fr).toBe("Cycle de conférences sur l'économie des soins");

    const sessionIds: string[] = [];
    for (const [start, language] of lectures) {
      const res = await api.request('POST', `/admin/series/${id}/sessions`, {
        body: { title: { [language]: `Lecture ${start.slice(0, 10)}` }, start, durationMinutes: 90, language },
      });
      expect(res.status).toBe(201);
      // 15:00 in New York in May and June is EDT: 19:00Z.
      expect(res.body.startsAt).toBe(`${start.slice(0, 10)}T19:00:00.000Z`);
      sessionIds.push(res.body.sessionId);
    }
    const beforeChanges = '2027-01-15T09:30:00.000Z';
    api.clock.now = new Date('2027-01-15T10:00:00Z');

    // Move the last lecture to 4 November, after New York falls back (7 November)... and then
    // to 8 November, across the change: same wall-clock time, one hour later in UTC.
    const moved = await api.request('PATCH', `/admin/series/${id}/sessions/${sessionIds[3]}`, { body: { start: '2027-11-08T15:00' }, headers: { 'if-match': '"5"' } });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ startsAt: '2027-11-08T20:00:00.000Z', localStart: '2027-11-08T15:00:00-05:00', durationMinutes: 90, sequence: 1, version: 6 });
    expect(moved.headers.get('etag')).toBe('"6"');

    const cancelled = await api.request('POST', `/admin/series/${id}/sessions/${sessionIds[1]}/cancel`, { body: { reason: 'La ponente no está disponible' } });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toMatchObject({ status: 'cancelled', sequence: 1, version: 7 });

    const history = await api.request('GET', `/admin/series/${id}/history`);
    expect(history.status).toBe(200);
    const { events } = HistoryView.parse(history.body);
    expect(events.map((e) => e.type)).toEqual([
      'SeriesCreated',
      'SessionScheduled',
      'SessionScheduled',
      'SessionScheduled',
      'SessionScheduled',
      'SessionRescheduled',
      'SessionCancelled',
    ]);
    expect(events.map((e) => e.version)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(events.map((e) => e.recordedAt)).toEqual([...Array(5).fill('2027-01-15T09:00:00.000Z'), '2027-01-15T10:00:00.000Z', '2027-01-15T10:00:00.000Z']);
    expect(events.every((e) => e.actor.kind === 'organiser' && e.actor.id === 'organiser-1')).toBe(true);
    expect(events[5]!.data).toMatchObject({ previousStartsAt: '2027-06-27T19:00:00.000Z', startsAt: '2027-11-08T20:00:00.000Z' });
    expect(events[6]!.data).toMatchObject({ reason: 'La ponente no está disponible' });

    const asOf = await api.request('GET', `/admin/series/${id}?asOf=${encodeURIComponent(beforeChanges)}`);
    expect(asOf.status).toBe(200);
    const then = SeriesView.parse(asOf.body);
    expect(then.version).toBe(5);
    expect(then.sessions.every((s) => s.status === 'scheduled' && s.sequence === 0)).toBe(true);
    expect(then.sessions.find((s) => s.sessionId === sessionIds[3])?.startsAt).toBe('2027-06-27T19:00:00.000Z');

    const beforeCreation = await api.request('GET', `/admin/series/${id}?asOf=2020-01-01T00:00:00Z`);
    expect(beforeCreation.status).toBe(404);

    const now = SeriesView.parse((await api.request('GET', `/admin/series/${id}`)).body);
    expect(now.sessions.map((s) => s.sessionId)).toEqual([sessionIds[0], sessionIds[1], sessionIds[2], sessionIds[3]]);

    const list = SeriesListView.parse((await api.request('GET', '/admin/series')).body);
    expect(list.series.find((s) => s.id === id)).toMatchObject({ version: 7, sessionCount: 4, kind: 'lecture-series' });
  });

  it('changes series details with PATCH and keeps what was not named', async () => {
    const created = await api.request('POST', '/admin/series', { body: care });
    const changed = await api.request('PATCH', `/admin/series/${created.body.id}`, { body: { reminderOffsets: ['P2D'] } });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ version: 2, reminderOffsets: ['P2D'], title: care.title });
    const again = await api.request('PATCH', `/admin/series/${created.body.id}`, { body: { reminderOffsets: ['P2D'] } });
    expect(again.body.version).toBe(2);
  });
});

describe('authentication', () => {
  it('401 without a token or with a forged one, 403 without the organisers group', async () => {
    const none = await api.request('GET', '/admin/series', { token: null });
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(none.headers.get('content-type')).toMatch(/application\/problem\+json/);

    const forged = `${api.organiserToken.slice(0, -4)}AAAA`;
    expect((await api.request('GET', '/admin/series', { token: forged })).status).toBe(401);
    expect((await api.request('GET', '/admin/series', { token: await api.token({ expiresIn: '-1m' }) })).status).toBe(401);
    expect((await api.request('GET', '/admin/series', { token: await api.token({ issuer: 'https://elsewhere.example' }) })).status).toBe(401);

    const member = await api.request('POST', '/admin/series', { token: await api.token({ groups: ['members'] }), body: care });
    expect(member.status).toBe(403);
    expect(member.body.detail).toMatch(/organisers/);
  });

  it('serves the OpenAPI document without a token, listing every admin route', async () => {
    const doc = await api.request('GET', '/openapi.json', { token: null });
    expect(doc.status).toBe(200);
    expect(doc.body.openapi).toBe('3.1.0');
    expect(Object.keys(doc.body.paths)).toEqual(
      expect.arrayContaining(['/admin/series', '/admin/series/{seriesId}', '/admin/series/{seriesId}/sessions/{sessionId}/cancel']),
    );
    const create = doc.body.paths['/admin/series'].post;
    expect(create.requestBody.content['application/json'].schema.properties.timeZone).toBeDefined();
    expect(create.requestBody.content['application/json'].schema.additionalProperties).toBe(false);
  });
});
