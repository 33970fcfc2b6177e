/**
 * Bad requests, table-driven: each gets the right status and a problem document naming the
 * problem, and the event store is unchanged afterwards.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { Problem } from '../../functions/api/schemas.js';
import { useTestApi, type RequestOptions } from '../support/api.js';
import { dialogueRequest } from '../support/seed-requests.js';

const api = useTestApi();

const { description: _d, ...dialogue } = dialogueRequest;
const session = { title: { en: 'Live webinar' }, start: '2027-05-03T10:00', durationMinutes: 60, language: 'en' };

let seriesId = '';
let sessionId = '';
let cancelledId = '';

beforeAll(async () => {
  seriesId = (await api.request('POST', '/admin/series', { body: dialogue })).body.id;
  sessionId = (await api.request('POST', `/admin/series/${seriesId}/sessions`, { body: session })).body.sessionId;
  cancelledId = (await api.request('POST', `/admin/series/${seriesId}/sessions`, { body: { ...session, start: '2027-05-04T10:00' } })).body.sessionId;
  await api.request('POST', `/admin/series/${seriesId}/sessions/${cancelledId}/cancel`, { body: { reason: 'moved online elsewhere' } });
});

interface Case {
  name: string;
  method: string;
  path: () => string;
  options: () => RequestOptions;
  status: number;
  /** A field the problem must name, or a phrase its detail must contain. */
  field?: string;
  detail?: RegExp;
}

const createCase = (name: string, body: unknown, status: number, field?: string, detail?: RegExp): Case => ({
  name,
  method: 'POST',
  path: () => '/admin/series',
  options: () => ({ body }),
  status,
  ...(field !== undefined ? { field } : {}),
  ...(detail ? { detail } : {}),
});
const sessionCase = (name: string, body: unknown, status: number, field?: string, detail?: RegExp): Case => ({
  name,
  method: 'POST',
  path: () => `/admin/series/${seriesId}/sessions`,
  options: () => ({ body }),
  status,
  ...(field !== undefined ? { field } : {}),
  ...(detail ? { detail } : {}),
});
const { window: _w, ...lecture } = dialogue;

const cases: Case[] = [
  // Transport
  { name: 'malformed JSON', method: 'POST', path: () => '/admin/series', options: () => ({ raw: '{"kind": ', headers: { 'content-type': 'application/json' } }), status: 400, detail: /not valid JSON/ },
  { name: 'JSON that is not an object', method: 'POST', path: () => '/admin/series', options: () => ({ raw: '[1,2]', headers: { 'content-type': 'application/json' } }), status: 422, detail: /expected object/ },
  { name: 'invalid UTF-8', method: 'POST', path: () => '/admin/series', options: () => ({ raw: new Uint8Array([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]), headers: { 'content-type': 'application/json' } }), status: 400, detail: /UTF-8/ },
  { name: 'not JSON content type', method: 'POST', path: () => '/admin/series', options: () => ({ raw: 'kind=lecture-series', headers: { 'content-type': 'application/x-www-form-urlencoded' } }), status: 415, detail: /application\/json/ },
  { name: 'body over 64 KiB', method: 'POST', path: () => '/admin/series', options: () => ({ body: { ...dialogue, description: { en: 'x'.repeat(70_000) } } }), status: 413, detail: /64 KiB/ },
  { name: 'empty body', method: 'POST', path: () => '/admin/series', options: () => ({ raw: '', headers: { 'content-type': 'application/json' } }), status: 400, detail: /not valid JSON/ },
  // Series fields
  createCase('unknown field', { ...dialogue, colour: 'red' }, 422, '', /unknown field "colour"/),
  createCase('missing kind', { ...dialogue, kind: undefined }, 422, 'kind', /required/),
  createCase('unknown kind', { ...dialogue, kind: 'conference' }, 422, 'kind'),
  createCase('title of the wrong type', { ...dialogue, title: 'Understanding Change' }, 422, 'title'),
  createCase('empty title', { ...dialogue, title: {} }, 422, 'title', /at least one language/),
  createCase('title with a line break (header injection)', { ...dialogue, title: { en: 'Hi\r\nBcc: x@example.org' } }, 422, 'title.en', /control characters/),
  createCase('title with a NUL', { ...dialogue, title: { en: 'Hi\u0000there' } }, 422, 'title.en', /control characters/),
  createCase('title over 200 characters', { ...dialogue, title: { en: 'x'.repeat(201) } }, 422, 'title.en', /200/),
  createCase('title in a malformed language tag', { ...dialogue, title: { en: 'ok', 'not a tag!': 'x' } }, 422, 'title.not a tag!', /BCP 47/),
  createCase('no title in the first language', { ...dialogue, languages: ['fr', 'en'] }, 422, 'title.fr', /first language/),
  createCase('unknown time zone', { ...dialogue, timeZone: 'Mars/Olympus_Mons' }, 422, 'timeZone', /IANA/),
  createCase('abbreviation for a zone', { ...dialogue, timeZone: 'EST' }, 422, 'timeZone', /IANA/),
  createCase('time zone of the wrong type', { ...dialogue, timeZone: 5 }, 422, 'timeZone'),
  createCase('no languages', { ...dialogue, languages: [] }, 422, 'languages'),
  createCase('a language listed twice', { ...dialogue, languages: ['en', 'en'] }, 422, 'languages', /twice/),
  createCase('malformed language', { ...dialogue, languages: ['english!'] }, 422, 'languages.0', /BCP 47/),
  createCase('organiser without email', { ...dialogue, organiser: { name: 'Training Centre' } }, 422, 'organiser.email'),
  createCase('organiser email malformed', { ...dialogue, organiser: { name: 'T', email: 'not-an-email' } }, 422, 'organiser.email', /email/),
  createCase('reminder offset in months', { ...dialogue, reminderOffsets: ['P1M'] }, 422, 'reminderOffsets.0'),
  createCase('reminder offset not a duration', { ...dialogue, reminderOffsets: ['1 day'] }, 422, 'reminderOffsets.0'),
  createCase('reminder offset over 90 days', { ...dialogue, reminderOffsets: ['P91D'] }, 422, 'reminderOffsets.0', /90 days/),
  createCase('dialogue without a window', lecture.kind ? { ...lecture } : {}, 422, 'window', /window/),
  createCase('dialogue closing before it opens', { ...dialogue, window: { opens: '2027-05-14', closes: '2027-04-24' } }, 422, 'window.closes', /closes after it opens/),
  createCase('window date malformed', { ...dialogue, window: { opens: '24/04/2027', closes: '2027-05-14' } }, 422, 'window.opens'),
  createCase('lecture series with a window', { ...dialogue, kind: 'lecture-series' }, 422, 'window', /only a virtual dialogue/),
  // Sessions
  sessionCase('session start in a DST gap', { ...session, start: '2027-03-14T02:30' }, 422, 'start', /does not exist in America\/New_York/),
  sessionCase('session start not a time', { ...session, start: 'tomorrow at ten' }, 422, 'start', /local time/),
  sessionCase('session ending before it starts', { ...session, durationMinutes: undefined, end: '2027-05-03T09:00' }, 422, 'end', /ends after it starts/),
  sessionCase('session of zero minutes', { ...session, durationMinutes: 0 }, 422, 'durationMinutes', /ends after it starts/),
  sessionCase('session without duration or end', { ...session, durationMinutes: undefined }, 422, 'durationMinutes', /durationMinutes or end/),
  sessionCase('session duration not a number', { ...session, durationMinutes: '60' }, 422, 'durationMinutes'),
  sessionCase('session longer than a day', { ...session, durationMinutes: 1441 }, 422, 'durationMinutes', /at most/),
  sessionCase('session outside the dialogue window', { ...session, start: '2027-06-01T10:00' }, 422, 'start', /within its window/),
  sessionCase('session in a language the series does not use', { ...session, language: 'fr' }, 422, 'language', /series' languages/),
  sessionCase('join URL not http(s)', { ...session, joinUrl: 'javascript:alert(1)' }, 422, 'joinUrl', /http/),
  sessionCase('capacity negative', { ...session, capacity: -5 }, 422, 'capacity'),
  sessionCase('capacity fractional', { ...session, capacity: 2.5 }, 422, 'capacity'),
  sessionCase('speaker with unknown field', { ...session, speakers: [{ name: 'A', email: 'a@example.org' }] }, 422, 'speakers.0', /unknown field "email"/),
  sessionCase('speaker name with a line break', { ...session, speakers: [{ name: 'A\nB' }] }, 422, 'speakers.0.name', /control characters/),
  // Ids, versions, state
  { name: 'unknown series', method: 'GET', path: () => '/admin/series/00000000-0000-0000-0000-000000000000', options: () => ({}), status: 404 },
  { name: 'path trick as a series id', method: 'GET', path: () => '/admin/series/..%2F..%2Fetc%2Fpasswd', options: () => ({}), status: 404 },
  { name: 'session for an unknown series', method: 'POST', path: () => '/admin/series/nope/sessions', options: () => ({ body: session }), status: 404 },
  { name: 'reschedule an unknown session', method: 'PATCH', path: () => `/admin/series/${seriesId}/sessions/nope`, options: () => ({ body: { start: '2027-05-05T10:00' } }), status: 404, field: 'sessionId' },
  { name: 'reschedule a cancelled session', method: 'PATCH', path: () => `/admin/series/${seriesId}/sessions/${cancelledId}`, options: () => ({ body: { start: '2027-05-05T10:00' } }), status: 422, detail: /cancelled/ },
  { name: 'empty PATCH', method: 'PATCH', path: () => `/admin/series/${seriesId}`, options: () => ({ body: {} }), status: 422, detail: /at least one field/ },
  { name: 'PATCH with a stale If-Match', method: 'PATCH', path: () => `/admin/series/${seriesId}`, options: () => ({ body: { reminderOffsets: ['P1D'] }, headers: { 'if-match': '"1"' } }), status: 412 },
  { name: 'cancel with a stale If-Match', method: 'POST', path: () => `/admin/series/${seriesId}/sessions/${sessionId}/cancel`, options: () => ({ body: { reason: 'x' }, headers: { 'if-match': '"2"' } }), status: 412 },
  { name: 'malformed If-Match', method: 'PATCH', path: () => `/admin/series/${seriesId}`, options: () => ({ body: { reminderOffsets: ['P1D'] }, headers: { 'if-match': 'version 4' } }), status: 400, detail: /If-Match/ },
  { name: 'cancel without a reason', method: 'POST', path: () => `/admin/series/${seriesId}/sessions/${sessionId}/cancel`, options: () => ({ body: {} }), status: 422, field: 'reason' },
  { name: 'malformed Idempotency-Key', method: 'POST', path: () => '/admin/series', options: () => ({ body: dialogue, headers: { 'idempotency-key': 'has spaces in it' } }), status: 400, detail: /Idempotency-Key/ },
  { name: 'malformed asOf', method: 'GET', path: () => `/admin/series/${seriesId}?asOf=yesterday`, options: () => ({}), status: 400, detail: /asOf/ },
  { name: 'unknown route', method: 'GET', path: () => '/admin/nothing-here', options: () => ({}), status: 404 },
  // Authentication
  { name: 'no token', method: 'POST', path: () => '/admin/series', options: () => ({ body: dialogue, token: null }), status: 401 },
  { name: 'not a bearer token', method: 'POST', path: () => '/admin/series', options: () => ({ body: dialogue, token: null, headers: { authorization: 'Basic dXNlcjpwYXNz' } }), status: 401 },
  { name: 'garbage token', method: 'POST', path: () => '/admin/series', options: () => ({ body: dialogue, token: 'abc.def.ghi' }), status: 401 },
];

describe(`${cases.length} bad requests`, () => {
  it('has at least 40 cases', () => expect(cases.length).toBeGreaterThanOrEqual(40));

  it.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const before = await api.eventCount();
    const res = await api.request(c.method, c.path(), c.options());
    expect(res.status, res.text).toBe(c.status);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const problem = Problem.parse(res.body);
    expect(problem.status).toBe(c.status);
    if (c.field !== undefined) expect(problem.errors?.map((e) => e.field), problem.detail).toContain(c.field);
    if (c.detail) expect(problem.detail).toMatch(c.detail);
    expect(await api.eventCount()).toBe(before);
  });

  it('the service is still there and the series unchanged afterwards', async () => {
    const res = await api.request('GET', `/admin/series/${seriesId}`);
    expect(res.status).toBe(200);
    expect(res.body.version).toBe(4);
  });
});
