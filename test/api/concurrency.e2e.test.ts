/** Two browser tabs, retried scripts and racing clients: If-Match, Idempotency-Key, re-decided writes. */
import { describe, expect, it } from 'vitest';
import { useTestApi } from '../support/api.js';
import { careRequest } from '../support/seed-requests.js';

const api = useTestApi();

const care = careRequest;
const lecture = (day: number) => ({ title: { en: `Lecture ${day}` }, start: `2027-06-${String(day).padStart(2, '0')}T15:00`, durationMinutes: 90 });

async function newSeries() {
  const res = await api.request('POST', '/admin/series', { body: care });
  expect(res.status).toBe(201);
  return res.body.id as string;
}

describe('optimistic concurrency over HTTP', () => {
  it('two clients racing with the same If-Match: exactly one wins, the other gets 412', async () => {
    const id = await newSeries();
    const etag = (await api.request('GET', `/admin/series/${id}`)).headers.get('etag')!;
    const [a, b] = await Promise.all([
      api.request('PATCH', `/admin/series/${id}`, { body: { reminderOffsets: ['P1D'] }, headers: { 'if-match': etag } }),
      api.request('PATCH', `/admin/series/${id}`, { body: { reminderOffsets: ['PT1H'] }, headers: { 'if-match': etag } }),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 412]);
    const winner = a.status === 200 ? a : b;
    const loser = a.status === 412 ? a : b;
    expect(loser.headers.get('content-type')).toMatch(/problem\+json/);
    const now = await api.request('GET', `/admin/series/${id}`);
    expect(now.body.version).toBe(2);
    expect(now.body.reminderOffsets).toEqual(winner.body.reminderOffsets);
  });

  it('many racing rounds never let both through', async () => {
    const id = await newSeries();
    for (let round = 0; round < 5; round++) {
      const etag = (await api.request('GET', `/admin/series/${id}`)).headers.get('etag')!;
      const results = await Promise.all(
        ['P1D', 'P2D', 'P3D'].map((offset) => api.request('PATCH', `/admin/series/${id}`, { body: { reminderOffsets: [offset, `PT${round + 2}H`] }, headers: { 'if-match': etag } })),
      );
      expect(results.filter((r) => r.status === 200)).toHaveLength(1);
      expect(results.filter((r) => r.status === 412)).toHaveLength(2);
    }
    expect((await api.request('GET', `/admin/series/${id}`)).body.version).toBe(6);
  });

  it('writes without If-Match are re-decided on conflict: ten concurrent sessions all land', async () => {
    const id = await newSeries();
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => api.request('POST', `/admin/series/${id}/sessions`, { body: lecture(i + 1) })));
    expect(results.map((r) => r.status)).toEqual(Array(10).fill(201));
    const series = (await api.request('GET', `/admin/series/${id}`)).body;
    expect(series.version).toBe(11);
    expect(series.sessions).toHaveLength(10);
  });
});

describe('Idempotency-Key', () => {
  it('a retry with the same key and body returns the first response and appends nothing', async () => {
    const headers = { 'idempotency-key': crypto.randomUUID() };
    const first = await api.request('POST', '/admin/series', { body: care, headers });
    const before = await api.eventCount();
    const retry = await api.request('POST', '/admin/series', { body: care, headers });
    expect(retry.status).toBe(201);
    expect(retry.body).toEqual(first.body);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(await api.eventCount()).toBe(before);
  });

  it('replays a scheduled session, also when the retries race', async () => {
    const id = await newSeries();
    const headers = { 'idempotency-key': crypto.randomUUID() };
    const responses = await Promise.all(Array.from({ length: 4 }, () => api.request('POST', `/admin/series/${id}/sessions`, { body: lecture(6), headers })));
    expect(responses.map((r) => r.status)).toEqual([201, 201, 201, 201]);
    expect(new Set(responses.map((r) => r.body.sessionId)).size).toBe(1);
    expect((await api.request('GET', `/admin/series/${id}`)).body.sessions).toHaveLength(1);
  });

  it('the same key with another body gets 422 and appends nothing', async () => {
    const headers = { 'idempotency-key': crypto.randomUUID() };
    await api.request('POST', '/admin/series', { body: care, headers });
    const before = await api.eventCount();
    const other = await api.request('POST', '/admin/series', { body: { ...care, languages: ['es', 'en'], title: { es: 'Otro' } }, headers });
    expect(other.status).toBe(422);
    expect(other.body.type).toBe('/problems/idempotency-key-reused');
    expect(await api.eventCount()).toBe(before);
  });

  it('keys are per organiser: another organiser with the same key creates their own series', async () => {
    const headers = { 'idempotency-key': crypto.randomUUID() };
    const mine = await api.request('POST', '/admin/series', { body: care, headers });
    const theirs = await api.request('POST', '/admin/series', { body: care, headers, token: await api.token({ sub: 'organiser-2' }) });
    expect(theirs.status).toBe(201);
    expect(theirs.body.id).not.toBe(mine.body.id);
  });
});
