/**
 * Behind CloudFront, the API takes only requests that came through it and counts each viewer
 * (functions/security/edge-origin.ts, functions/api/edge-only.ts): without the origin secret,
 * or with a wrong one, a request is refused with 403 and no route runs; with it, the rate limit
 * counts the viewer address CloudFront wrote, so two people behind one edge server are two
 * clients, and one person reaching several edge servers is one. The viewer-request function
 * writes the address over whatever the viewer sent.
 */
import { describe, expect, it } from 'vitest';
import type { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import { httpApp } from '../../functions/api/http-app.js';
import { honoPath, routes } from '../../functions/api/route-table.js';
import { Problem } from '../../functions/api/schemas.js';
import { EDGE_ORIGIN_HEADER, EDGE_ORIGIN_SECRET_ARN_ENV, VIEWER_ADDRESS_HEADER, edgeOriginFromEnvironment, type EdgeOrigin } from '../../functions/security/edge-origin.js';
import { loadApiViewerRequest, API_VIEWER_REQUEST_SOURCE } from '../../infra/edge/api-viewer-request.js';
import { memoryRateLimitCounter } from '../support/memory-rate-limit.js';

const SECRET = 'q'.repeat(48);
const fixed: EdgeOrigin = { secret: async () => SECRET };

function appBehind(edgeOrigin: EdgeOrigin) {
  const reached: string[] = [];
  const counter = memoryRateLimitCounter();
  const logged: string[] = [];
  const app = httpApp(
    {
      verifyOrganiserToken: () => Promise.reject(new Error('no organisers here')),
      rateLimit: { counter, limits: [{ requests: 2, windowSeconds: 60 }] },
      edgeOrigin,
      logError: (message) => logged.push(message),
    },
    (a) => {
      for (const route of routes) a.on(route.method, honoPath(route), (c) => (reached.push(`${route.method} ${route.path}`), c.json({ ok: true })));
    },
  );
  // Every request from one socket address, as API Gateway sees CloudFront.
  const send = (path: string, headers: Record<string, string>, method = 'POST') =>
    app.request(path, { method, headers: { 'content-type': 'application/json', ...headers }, ...(method === 'POST' ? { body: '{}' } : {}) }, { incoming: { socket: { remoteAddress: '130.176.0.1' } } });
  return { send, reached, counter, logged };
}

const confirm = '/registrations/confirm';

describe('a request that did not come through the edge', () => {
  for (const [what, headers] of [
    ['without the origin header', {}],
    ['with a wrong secret', { [EDGE_ORIGIN_HEADER]: 'w'.repeat(48) }],
    ['with a prefix of the secret', { [EDGE_ORIGIN_HEADER]: SECRET.slice(0, 47) }],
    ['with a forged viewer address only', { [VIEWER_ADDRESS_HEADER]: '203.0.113.9' }],
  ] as const) {
    it(`is refused ${what}: 403 problem, no route, nothing counted`, async () => {
      const { send, reached, counter } = appBehind(fixed);
      for (const [path, method] of [[confirm, 'POST'], ['/series/care/feed', 'GET'], ['/admin/series', 'POST']] as const) {
        const res = await send(path, headers, method);
        expect(res.status, path).toBe(403);
        expect(res.headers.get('content-type')).toBe('application/problem+json');
        expect(Problem.parse(await res.json())).toMatchObject({ status: 403, type: '/problems/not-through-edge' });
      }
      expect(reached).toEqual([]);
      expect(counter.seen).toEqual([]);
    });
  }

  it('is answered 503 with Retry-After, no route run, when the secret cannot be read', async () => {
    const { send, reached, logged } = appBehind({ secret: () => Promise.reject(new Error('Secrets Manager down')) });
    const res = await send(confirm, { [EDGE_ORIGIN_HEADER]: SECRET });
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('5');
    expect(reached).toEqual([]);
    expect(logged).toContain('could not read the edge origin secret');
  });
});

describe('a request through the edge', () => {
  const through = (viewer: string) => ({ [EDGE_ORIGIN_HEADER]: SECRET, [VIEWER_ADDRESS_HEADER]: viewer });

  it('reaches its route', async () => {
    const { send, reached } = appBehind(fixed);
    expect((await send('/openapi.json', through('198.51.100.7'), 'GET')).status).toBe(200);
    expect(reached).toEqual(['GET /openapi.json']);
  });

  it('is counted by its viewer, not by the edge server API Gateway saw', async () => {
    const { send, counter } = appBehind(fixed);
    // Two people behind the same edge server: each has the whole limit.
    for (const viewer of ['198.51.100.7', '198.51.100.8']) {
      expect((await send(confirm, through(viewer))).status).toBe(200);
      expect((await send(confirm, through(viewer))).status).toBe(200);
    }
    expect((await send(confirm, through('198.51.100.7'))).status).toBe(429);
    expect(new Set(counter.seen.map((s) => s.client))).toEqual(new Set(['198.51.100.7', '198.51.100.8']));
  });

  it('counts IPv6 viewers by /64, as the socket address would be', async () => {
    const { send, counter } = appBehind(fixed);
    await send(confirm, through('2001:db8:1:2::a'));
    await send(confirm, through('2001:db8:1:2::b'));
    expect((await send(confirm, through('2001:db8:1:2::c'))).status).toBe(429);
    expect(new Set(counter.seen.map((s) => s.client))).toEqual(new Set(['2001:db8:1:2::/64']));
  });
});

describe('the edge origin from the environment', () => {
  it('is no check at all without the ARN (local stack, tests)', () => {
    expect(edgeOriginFromEnvironment({})).toBeUndefined();
  });

  it('reads the secret by its ARN, kept 5 minutes', async () => {
    const asked: unknown[] = [];
    const secrets = { get: async (name: string, options: unknown) => (asked.push([name, options]), SECRET) } as unknown as SecretsProvider;
    const edge = edgeOriginFromEnvironment({ [EDGE_ORIGIN_SECRET_ARN_ENV]: 'arn:aws:secretsmanager:eu-west-1:1:secret:edge' }, { secrets })!;
    expect(await edge.secret()).toBe(SECRET);
    expect(asked).toEqual([['arn:aws:secretsmanager:eu-west-1:1:secret:edge', { maxAge: 300 }]]);
  });
});

describe('the viewer-request function', () => {
  it("writes the viewer's address over the one a viewer sent", () => {
    const handler = loadApiViewerRequest();
    const request = handler({ viewer: { ip: '198.51.100.7' }, request: { uri: '/registrations/confirm', headers: { [VIEWER_ADDRESS_HEADER]: { value: '10.0.0.1' }, accept: { value: 'text/html' } } } });
    expect(request.headers).toEqual({ [VIEWER_ADDRESS_HEADER]: { value: '198.51.100.7' }, accept: { value: 'text/html' } });
    expect(request.uri).toBe('/registrations/confirm');
  });

  it('is ES5.1 that cloudfront-js-2.0 runs', () => {
    expect(API_VIEWER_REQUEST_SOURCE).not.toMatch(/=>|`|\blet\b|\bconst\b/);
  });
});
