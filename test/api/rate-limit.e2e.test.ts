/**
 * The real per-client rate limit over HTTP (issue #15, item 13): PUBLIC_WRITE_LIMITS, counted
 * in the idempotency table of DynamoDB Local, clients told apart by their source address
 * (each scenario connects from its own loopback address, 127.0.0.x). A person registering and
 * unsubscribing never meets it; a script does, and then gets 429 with Retry-After (a problem
 * document, or a page for a browser) and nothing else happens: no member, no event, no mail.
 * Two API instances on the same table count together; a new window lets the client in again,
 * until the hourly limit.
 *
 * The windows follow the API's clock, which this file sets to whole minutes, so a count never
 * straddles a window. The counter's timeout is raised here: the test counts exactly, and a
 * DynamoDB Local slowed by the rest of the suite would otherwise let a request through
 * uncounted (what that fail-open does is test/api/rate-limit.unit.test.ts's).
 */
import { request as httpRequest, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PUBLIC_WRITE_LIMITS } from '../../functions/api/rate-limit.js';
import { Problem } from '../../functions/api/schemas.js';
import { useTestApi } from '../support/api.js';
import { buildTestApp, closeServer } from '../support/api-app.js';
import { clients } from '../support/local.js';
import { careRequest } from '../support/seed-requests.js';
import { wiretap } from '../support/ses-wiretap.js';

const logged: string[] = [];
const api = useTestApi({ app: { rateLimit: { timeoutMs: 20_000 }, logError: (message) => logged.push(message) } });

const PER_MINUTE = PUBLIC_WRITE_LIMITS.find((l) => l.windowSeconds === 60)!.requests;
const PER_HOUR = PUBLIC_WRITE_LIMITS.find((l) => l.windowSeconds === 3600)!.requests;
/** Whole hours on the API's clock (the real time for everything but the limit's windows). */
const HOUR = Date.parse('2029-06-04T10:00:00Z');
const at = (minute: number, second = 5) => new Date(HOUR + minute * 60_000 + second * 1000);

let seriesId = '';
let second: { url: string; server: Server } | undefined;
let sent: readonly Buffer[] = [];

beforeAll(async () => {
  sent = wiretap(clients().ses);
  api.clock.now = at(0);
  const series = await api.request('POST', '/admin/series', { body: careRequest });
  expect(series.status, series.text).toBe(201);
  seriesId = series.body.id;
  const session = await api.request('POST', `/admin/series/${seriesId}/sessions`, {
    body: { title: { en: 'Lecture' }, start: '2030-05-23T10:00', durationMinutes: 60, language: 'en' },
  });
  expect(session.status, session.text).toBe(201);
  // A second instance of the API on the same tables, as a second Lambda instance.
  const built = await buildTestApp({ dynamodb: clients().dynamodb, ses: clients().ses, names: api.names, now: () => api.clock.now ?? new Date(), rateLimit: { timeoutMs: 20_000 } });
  second = { url: built.url, server: await built.listen() };
});

afterAll(async () => {
  await closeServer(second?.server);
  expect(logged, 'the counter always answered').toEqual([]);
});

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/** One request from `from` (a loopback address: who the API sees as the client). */
function send(from: string, method: string, path: string, options: { body?: unknown; headers?: Record<string, string>; url?: string } = {}): Promise<Answer> {
  const { hostname, port } = new URL(options.url ?? api.url);
  const body = options.body === undefined ? undefined : JSON.stringify(options.body);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: hostname,
        port: Number(port),
        method,
        path,
        localAddress: from,
        agent: false,
        headers: { ...(body !== undefined ? { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) } : {}), ...options.headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** Requests a script sends: a new feed link without a signed link (404, but counted all the same). */
const scriptRequests = (from: string, n: number, url?: string) =>
  Promise.all(Array.from({ length: n }, () => send(from, 'POST', '/manage/feed', url ? { url } : {})));

const registration = (email: string) => ({ email, name: 'Ana', language: 'en', timeZone: 'America/Guayaquil' });
const newEmail = (tag: string) => `rate-${tag}-${crypto.randomUUID().slice(0, 8)}@example.org`;

describe('the per-client rate limit of the public routes that act', () => {
  it('a person registering, retrying, unsubscribing and unregistering never meets it', async () => {
    api.clock.now = at(0);
    const email = newEmail('person');
    for (let i = 0; i < 3; i++) expect((await send('127.0.0.2', 'POST', `/series/${seriesId}/registrations`, { body: registration(email) })).status).toBe(202);
    await api.takeRequests();
    const memberId = (await api.members.memberIdForEmail(email))!;
    const inAYear = new Date(api.clock.now!.getTime() + 365 * 24 * 3600 * 1000);
    const manage = api.signer.sign({ a: 'manage', m: memberId }, inAYear);
    expect((await send('127.0.0.2', 'POST', `/manage/feed?token=${manage}`, { headers: { accept: 'application/json' } })).status).toBe(201);
    const unsubscribe = api.signer.sign({ a: 'unsubscribe', m: memberId, s: seriesId }, inAYear);
    expect((await send('127.0.0.2', 'POST', `/mail/unsubscribe?token=${unsubscribe}`, { headers: { 'content-type': 'application/x-www-form-urlencoded' } })).status).toBe(200);
    const registrationId = (await api.store.read(`member-${memberId}`)).find((e) => e.type === 'RegistrationRequested')!.data.registrationId as string;
    const unregister = api.signer.sign({ a: 'unregister', m: memberId, s: seriesId, r: registrationId }, inAYear);
    expect((await send('127.0.0.2', 'POST', `/registrations/unregister?token=${unregister}`)).status).toBe(200);
  });

  it(`a script meets it after ${PER_MINUTE} in a minute: 429 with Retry-After, and nothing else happens`, async () => {
    api.clock.now = at(1, 5);
    const answers = await scriptRequests('127.0.0.3', PER_MINUTE);
    expect(answers.map((a) => a.status)).toEqual(Array(PER_MINUTE).fill(404));

    const events = await api.eventCount();
    const mails = sent.length;
    const email = newEmail('script');
    const refused = await send('127.0.0.3', 'POST', `/series/${seriesId}/registrations`, { body: registration(email), headers: { accept: 'application/json' } });
    expect(refused.status, refused.text).toBe(429);
    expect(refused.headers['retry-after']).toBe('55');
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(Problem.parse(JSON.parse(refused.text))).toMatchObject({ type: '/problems/rate-limited', status: 429 });
    // A browser gets a page saying the same.
    const page = await send('127.0.0.3', 'POST', `/series/${seriesId}/registrations`, { body: registration(email), headers: { accept: 'text/html,*/*;q=0.8' } });
    expect(page.status).toBe(429);
    expect(page.headers['retry-after']).toBe('55');
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.text).toContain('Too many requests');
    // Nothing else: no member, no event, no mail.
    await api.settle();
    expect(await api.members.memberIdForEmail(email)).toBeUndefined();
    expect(await api.eventCount()).toBe(events);
    expect(sent.length).toBe(mails);

    // Another client is not affected.
    expect((await send('127.0.0.4', 'POST', `/series/${seriesId}/registrations`, { body: registration(newEmail('other')) })).status).toBe(202);

    // The next minute lets the script in again.
    api.clock.now = at(2, 0);
    expect((await send('127.0.0.3', 'POST', '/manage/feed')).status).toBe(404);
  });

  it('two instances of the API count one client together', async () => {
    api.clock.now = at(3, 10);
    const half = PER_MINUTE / 2;
    const [viaFirst, viaSecond] = await Promise.all([scriptRequests('127.0.0.5', half), scriptRequests('127.0.0.5', PER_MINUTE - half, second!.url)]);
    expect([...viaFirst, ...viaSecond].every((a) => a.status === 404)).toBe(true);
    expect((await send('127.0.0.5', 'POST', '/manage/feed')).status).toBe(429);
    expect((await send('127.0.0.5', 'POST', '/manage/feed', { url: second!.url })).status).toBe(429);
  });

  it(`a script that keeps at it meets the hourly limit after ${PER_HOUR}`, async () => {
    const minutes = Math.ceil(PER_HOUR / PER_MINUTE);
    for (let m = 0; m < minutes; m++) {
      api.clock.now = at(10 + m, 0);
      const answers = await scriptRequests('127.0.0.6', Math.min(PER_MINUTE, PER_HOUR - m * PER_MINUTE));
      expect(answers.every((a) => a.status === 404), `minute ${m}`).toBe(true);
    }
    api.clock.now = at(10 + minutes, 30);
    const refused = await send('127.0.0.6', 'POST', '/manage/feed');
    expect(refused.status).toBe(429);
    // To the end of the hour.
    expect(refused.headers['retry-after']).toBe(String(3600 - (10 + minutes) * 60 - 30));
    expect(JSON.parse(refused.text).detail).toContain(`${PER_HOUR} requests in an hour`);
  });
});
