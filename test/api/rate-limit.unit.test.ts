/**
 * The per-client rate limit (issue #15, item 13) without a store: which routes are counted,
 * who a client is (on Lambda from API Gateway's request context, on Node from the socket, never
 * from X-Forwarded-For; IPv6 by /64), what an answer over the limit is (429 with Retry-After, a
 * problem document or a page, the route never reached), and that a counter that fails or hangs
 * lets the request through (the route answers for an outage itself).
 * The counter on DynamoDB: test/functions/rate-limit-counter.int.test.ts; the real limits over
 * HTTP: test/api/rate-limit.e2e.test.ts.
 */
import type { Context as LambdaContext } from 'aws-lambda';
import { Hono } from 'hono';
import { handle } from 'hono/aws-lambda';
import { describe, expect, it } from 'vitest';
import { HTML_CONTENT_SECURITY_POLICY } from '../../functions/api/http-app.js';
import type { RateLimitCounter } from '../../functions/adapters/rate-limits/rate-limit-counter.js';
import { httpApp } from '../../functions/api/http-app.js';
import { clientKey, prefersHtml, PUBLIC_WRITE_LIMITS, rateLimitedRoutes, type RateLimit } from '../../functions/api/rate-limit.js';
import { honoPath, routes } from '../../functions/api/route-table.js';
import { Problem } from '../../functions/api/schemas.js';
import { memoryRateLimitCounter } from '../support/memory-rate-limit.js';

function memoryCounter() {
  const counter = memoryRateLimitCounter();
  return { counter, seen: counter.seen };
}

const noOrganisers = () => Promise.reject(new Error('no organiser routes here'));

/** An app serving every route of the table with a handler that says it ran. */
function appWith(options: { counter: RateLimitCounter; limits?: readonly RateLimit[]; timeoutMs?: number; now?: () => Date; logged?: unknown[][] }) {
  const reached: string[] = [];
  const app = httpApp(
    {
      verifyOrganiserToken: async () => ({ sub: 'organiser-1', 'cognito:groups': ['organisers'] }),
      rateLimit: { counter: options.counter, ...(options.limits ? { limits: options.limits } : {}), ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}) },
      ...(options.now ? { now: options.now } : {}),
      logError: (message, error) => options.logged?.push([message, error]),
    },
    (a) => {
      for (const route of routes) {
        a.on(route.method, honoPath(route), (c) => {
          reached.push(`${route.method} ${route.path}`);
          return c.json({ ok: true }, route.method === 'POST' ? 201 : 200);
        });
      }
    },
  );
  return { app, reached };
}

const fromSocket = (remoteAddress: string) => ({ incoming: { socket: { remoteAddress } } });

describe('what is counted', () => {
  it('every public route that acts, and nothing else', () => {
    expect(rateLimitedRoutes.map((r) => `${r.method} ${r.path}`)).toEqual([
      'POST /series/{seriesId}/registrations',
      'POST /registrations/confirm',
      'POST /registrations/change',
      'POST /registrations/unregister',
      'POST /manage/preferences',
      'POST /manage/sessions',
      'POST /manage/leave',
      'POST /manage/stop-mail',
      'POST /manage/feed',
      'POST /members/manage-link',
      'POST /mail/unsubscribe',
    ]);
  });

  it('reads and organiser routes go through uncounted', async () => {
    const { counter, seen } = memoryCounter();
    const { app, reached } = appWith({ counter, limits: [{ windowSeconds: 60, requests: 1 }] });
    for (let i = 0; i < 3; i++) {
      expect((await app.request('/series/s1', {}, fromSocket('203.0.113.7'))).status).toBe(200);
      expect((await app.request('/feeds/series/s1.ics', {}, fromSocket('203.0.113.7'))).status).toBe(200);
      expect((await app.request('/admin/series', { method: 'POST', headers: { authorization: 'Bearer a.b.c' } }, fromSocket('203.0.113.7'))).status).toBe(201);
    }
    expect(seen).toEqual([]);
    expect(reached).toHaveLength(9);
  });

  it('a server without the limit cannot be built with a route it must limit', () => {
    expect(() => httpApp({ verifyOrganiserToken: noOrganisers }, (a) => a.post('/manage/feed', (c) => c.json({})))).toThrow(/POST \/manage\/feed must be rate limited/);
    // Apps without such a route (the recordings Lambda) need none.
    expect(() => httpApp({ verifyOrganiserToken: noOrganisers }, (a) => a.get('/series/:seriesId', (c) => c.json({})))).not.toThrow();
  });
});

describe('who a client is', () => {
  it('an IPv4 address, also when IPv4-mapped; an IPv6 address by its /64; anything else as one unknown client', () => {
    expect(clientKey('203.0.113.7')).toBe('203.0.113.7');
    expect(clientKey('::ffff:203.0.113.7')).toBe('203.0.113.7');
    expect(clientKey('2001:db8:0:1::5')).toBe('2001:db8:0:1::/64');
    expect(clientKey('2001:0DB8:0000:0001:ffff:ffff:ffff:ffff')).toBe('2001:db8:0:1::/64');
    expect(clientKey('2001:db8:0:1:a::1.2.3.4')).toBe('2001:db8:0:1::/64');
    expect(clientKey('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
    expect(clientKey('::1')).toBe('0:0:0:0::/64');
    expect(clientKey('2001:db8:0:2::5')).not.toBe(clientKey('2001:db8:0:1::5'));
    expect(clientKey(undefined)).toBe('unknown');
    expect(clientKey('not an address')).toBe('unknown');
  });

  it('on Lambda: API Gateway’s source address, never X-Forwarded-For', async () => {
    const { counter, seen } = memoryCounter();
    const { app, reached } = appWith({ counter });
    const handler = handle(app as unknown as Hono);
    const event = {
      version: '2.0',
      routeKey: 'POST /manage/feed',
      rawPath: '/manage/feed',
      rawQueryString: '',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': '198.51.100.1', host: 'api.example.org' },
      requestContext: {
        accountId: '123456789012',
        apiId: 'api',
        domainName: 'api.example.org',
        domainPrefix: 'api',
        http: { method: 'POST', path: '/manage/feed', protocol: 'HTTP/1.1', sourceIp: '203.0.113.9', userAgent: 'test' },
        requestId: 'r-1',
        routeKey: 'POST /manage/feed',
        stage: '$default',
        time: '01/Jan/2027:00:00:00 +0000',
        timeEpoch: 0,
      },
      body: '{}',
      isBase64Encoded: false,
    } as unknown as Parameters<typeof handler>[0];
    const result = (await handler(event, {} as LambdaContext)) as { statusCode: number };
    expect(result.statusCode).toBe(201);
    expect(reached).toEqual(['POST /manage/feed']);
    expect(new Set(seen.map((s) => s.client))).toEqual(new Set(['203.0.113.9']));
  });

  it('on Node: the socket’s remote address, never X-Forwarded-For', async () => {
    const { counter, seen } = memoryCounter();
    const { app } = appWith({ counter });
    await app.request('/manage/feed', { method: 'POST', headers: { 'x-forwarded-for': '198.51.100.1' } }, fromSocket('::ffff:127.0.0.2'));
    expect(new Set(seen.map((s) => s.client))).toEqual(new Set(['127.0.0.2']));
  });
});

describe('over the limit', () => {
  const at = new Date('2027-05-03T10:00:15Z');
  const limits: RateLimit[] = [
    { windowSeconds: 60, requests: 2 },
    { windowSeconds: 3600, requests: 3 },
  ];

  it('429 with Retry-After to the end of the window, a problem document; the route is not reached', async () => {
    const { counter } = memoryCounter();
    const { app, reached } = appWith({ counter, limits, now: () => at });
    const post = (ip: string) => app.request('/series/s1/registrations', { method: 'POST', headers: { accept: 'application/json' } }, fromSocket(ip));
    expect((await post('203.0.113.7')).status).toBe(201);
    expect((await post('203.0.113.7')).status).toBe(201);
    const refused = await post('203.0.113.7');
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('45');
    expect(refused.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(refused.headers.get('x-content-type-options')).toBe('nosniff');
    const problem = Problem.parse(await refused.json());
    expect(problem).toMatchObject({ type: '/problems/rate-limited', status: 429 });
    expect(problem.detail).toContain('2 requests in a minute');
    // Another client is not affected.
    expect((await post('203.0.113.8')).status).toBe(201);
    expect(reached).toHaveLength(3);
  });

  it('the longer window: Retry-After to its end once its limit is reached', async () => {
    const { counter } = memoryCounter();
    let now = at;
    const { app } = appWith({ counter, limits, now: () => now });
    const post = () => app.request('/mail/unsubscribe', { method: 'POST' }, fromSocket('203.0.113.7'));
    expect((await post()).status).toBe(201);
    expect((await post()).status).toBe(201);
    now = new Date('2027-05-03T10:01:00Z');
    expect((await post()).status).toBe(201);
    const refused = await post();
    expect(refused.status).toBe(429);
    // The hour's window ends at 11:00: 59 minutes from 10:01.
    expect(refused.headers.get('retry-after')).toBe(String(59 * 60));
    expect(Problem.parse(await refused.json()).detail).toContain('3 requests in an hour');
  });

  it('a page for a browser (Accept: text/html), with the page policy', async () => {
    const { counter } = memoryCounter();
    const { app } = appWith({ counter, limits: [{ windowSeconds: 60, requests: 1 }], now: () => at });
    const browser = { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8', 'content-type': 'application/x-www-form-urlencoded' };
    await app.request('/registrations/unregister?token=t', { method: 'POST', headers: browser, body: 'List-Unsubscribe=One-Click' }, fromSocket('203.0.113.7'));
    const refused = await app.request('/registrations/unregister?token=t', { method: 'POST', headers: browser, body: 'List-Unsubscribe=One-Click' }, fromSocket('203.0.113.7'));
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('45');
    expect(refused.headers.get('content-type')).toMatch(/^text\/html/);
    expect(refused.headers.get('content-security-policy')).toBe(HTML_CONTENT_SECURITY_POLICY);
    const html = await refused.text();
    expect(html).toContain('Too many requests');
    expect(html).toContain('45 seconds');
    expect(html).not.toMatch(/<script/i);
  });

  it('asks for a page only when the client names text/html and wants it at least as much as JSON', () => {
    expect(prefersHtml('text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8')).toBe(true);
    expect(prefersHtml('text/html')).toBe(true);
    expect(prefersHtml('application/json, text/html;q=0.5')).toBe(false);
    expect(prefersHtml('text/html;q=0')).toBe(false);
    expect(prefersHtml('*/*')).toBe(false);
    expect(prefersHtml('application/problem+json')).toBe(false);
    expect(prefersHtml(undefined)).toBe(false);
  });

  it('the real limits: more than a person needs, fewer than a script sends', () => {
    const perMinute = PUBLIC_WRITE_LIMITS.find((l) => l.windowSeconds === 60)!;
    const perHour = PUBLIC_WRITE_LIMITS.find((l) => l.windowSeconds === 3600)!;
    expect(perMinute.requests).toBeGreaterThanOrEqual(30);
    expect(perHour.requests).toBeLessThanOrEqual(3600 * 200 * 0.001);
  });
});

describe('when the counter fails', () => {
  it('throws: the request goes ahead and the failure is logged', async () => {
    const logged: unknown[][] = [];
    const down = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
    const { app, reached } = appWith({ counter: { take: () => Promise.reject(down) }, logged });
    const res = await app.request('/series/s1/registrations', { method: 'POST' }, fromSocket('203.0.113.7'));
    expect(res.status).toBe(201);
    expect(reached).toEqual(['POST /series/{seriesId}/registrations']);
    expect(logged).toHaveLength(1);
    expect(logged[0]![1]).toBe(down);
  });

  it('hangs: the request goes ahead after the timeout, and the counter’s request is abandoned', async () => {
    const logged: unknown[][] = [];
    const signals: AbortSignal[] = [];
    const hanging: RateLimitCounter = {
      take: ({ signal }) =>
        new Promise((_, reject) => {
          signals.push(signal!);
          signal!.addEventListener('abort', () => reject(Object.assign(new Error('aborted'), { name: 'AbortError' })));
        }),
    };
    const { app, reached } = appWith({ counter: hanging, timeoutMs: 50, logged });
    const started = Date.now();
    const res = await app.request('/manage/feed', { method: 'POST' }, fromSocket('203.0.113.7'));
    expect(res.status).toBe(201);
    expect(Date.now() - started).toBeGreaterThanOrEqual(45);
    expect(reached).toEqual(['POST /manage/feed']);
    expect(signals.length).toBe(PUBLIC_WRITE_LIMITS.length);
    expect(signals.every((s) => s.aborted)).toBe(true);
    expect(String(logged[0]![0])).toMatch(/did not answer within 50 ms/);
  });
});
