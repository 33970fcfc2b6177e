/**
 * Security headers (issue #15, item 10), over every route of the route table, so a route or
 * page added later is checked too. Every answer, whatever its type (JSON, problem documents,
 * feeds, redirects, 304s, the 404 of no route), carries `X-Content-Type-Options: nosniff` and
 * `Referrer-Policy: no-referrer` (feed tokens and signed links travel in URLs); every HTML
 * answer carries the page policy: a Content-Security-Policy with `default-src 'none'`, script
 * from this origin only (the pages' one file; no inline script), inline style attributes only, forms posting to this origin only, no
 * `<base>`, no framing, and is not stored by caches.
 *
 * The pages themselves are checked against that policy: no script but the pages' own file, no event handler
 * attribute, no `<style>` element or stylesheet link, no form posting elsewhere, so the
 * policy blocks nothing a page needs.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { routes, type RouteDefinition } from '../../functions/api/route-table.js';
import { HTML_CONTENT_SECURITY_POLICY } from '../../functions/api/http-app.js';
import { useTestApi, type ApiResponse } from '../support/api.js';
import { rawRequest } from '../support/raw-http.js';
import { careRequest } from '../support/seed-requests.js';

const api = useTestApi();

const fixture = { seriesId: '', sessionId: '', memberId: '', feedToken: '', registrationId: '', requestId: '' };
const inAYear = () => new Date(Date.now() + 365 * 24 * 3600 * 1000);

beforeAll(async () => {
  const series = await api.request('POST', '/admin/series', { body: careRequest });
  expect(series.status, series.text).toBe(201);
  fixture.seriesId = series.body.id;
  const session = await api.request('POST', `/admin/series/${fixture.seriesId}/sessions`, {
    body: { title: { en: 'Lecture' }, start: '2027-05-23T10:00', durationMinutes: 60, language: 'en' },
  });
  expect(session.status, session.text).toBe(201);
  fixture.sessionId = session.body.sessionId;
  const email = `headers-${crypto.randomUUID().slice(0, 8)}@example.org`;
  const registered = await api.request('POST', `/series/${fixture.seriesId}/registrations`, {
    token: null,
    body: { email, name: 'Ana', language: 'en', timeZone: 'America/Guayaquil' },
  });
  expect(registered.status, registered.text).toBe(202);
  await api.takeRequests();
  fixture.memberId = (await api.members.memberIdForEmail(email))!;
  const requested = (await api.store.read(`member-${fixture.memberId}`)).find((e) => e.type === 'RegistrationRequested')!.data as { registrationId: string; requestId: string };
  fixture.registrationId = requested.registrationId;
  fixture.requestId = requested.requestId;
  fixture.feedToken = await api.members.rotateFeedToken(fixture.memberId);
  await api.settle();
});

const routeName = (r: RouteDefinition) => `${r.method} ${r.path}`;

/** The routes that answer with a page today; more may come (the check is by content type). */
const HTML_ROUTES = [
  'GET /series/{seriesId}',
  'GET /registrations/confirm',
  'POST /registrations/confirm',
  'GET /registrations/unregister',
  'POST /registrations/unregister',
  'GET /manage',
  'POST /manage/feed',
  'GET /members/manage-link',
  'POST /members/manage-link',
  'GET /mail/unsubscribe',
  'POST /mail/unsubscribe',
];

function pathOf(route: RouteDefinition): string {
  const path = route.path.replace(/\{(\w+)\}/g, (_, param: string) => {
    switch (param) {
      case 'seriesId':
        return fixture.seriesId;
      case 'sessionId':
        return fixture.sessionId;
      case 'uploadId':
        return 'no-such-upload';
      case 'certificateId':
        return 'no-such-certificate';
      case 'memberId':
        return fixture.memberId;
      case 'asset':
        return 'recording';
      case 'file':
        return route.path.startsWith('/feeds/members/') ? `${fixture.feedToken}.ics` : `${fixture.seriesId}.ics`;
      default:
        throw new Error(`${routeName(route)}: this suite does not know how to fill {${param}}; add it to pathOf`);
    }
  });
  const action = (route as RouteDefinition).link;
  if (!action) return path;
  const payloads: Record<string, Record<string, string>> = {
    confirm: { a: 'confirm', m: fixture.memberId, s: fixture.seriesId, r: fixture.registrationId, q: fixture.requestId },
    change: { a: 'change', m: fixture.memberId, s: fixture.seriesId, q: 'no-such-request' },
    unregister: { a: 'unregister', m: fixture.memberId, s: fixture.seriesId, r: fixture.registrationId },
    manage: { a: 'manage', m: fixture.memberId },
    unsubscribe: { a: 'unsubscribe', m: fixture.memberId, s: fixture.seriesId },
  };
  const payload = payloads[action]!;
  return `${path}?token=${api.signer.sign(payload, inAYear())}`;
}

function expectEveryAnswerHeaders(res: Pick<ApiResponse, 'status' | 'headers' | 'text'>, what: string) {
  expect(res.headers.get('x-content-type-options'), what).toBe('nosniff');
  expect(res.headers.get('referrer-policy'), what).toBe('no-referrer');
  // Whatever is not a page may not be framed or load anything either.
  expect(res.headers.get('content-security-policy'), what).toMatch(/default-src 'none'/);
  expect(res.headers.get('content-security-policy'), what).toMatch(/frame-ancestors 'none'/);
}

/** The directives of a policy, by name. */
function directives(policy: string): Map<string, string[]> {
  return new Map(
    policy
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((d) => d[0])
      .map(([name, ...values]) => [name!.toLowerCase(), values]),
  );
}

function expectPagePolicy(res: Pick<ApiResponse, 'headers'>, what: string) {
  const policy = res.headers.get('content-security-policy') ?? '';
  expect(policy, what).toBe(HTML_CONTENT_SECURITY_POLICY);
  const d = directives(policy);
  expect(d.get('default-src'), what).toEqual(["'none'"]);
  // Script from this origin only (the pages' one file): no inline script, no handler attribute, nothing that loosens it.
  expect(d.get('script-src'), what).toEqual(["'self'"]);
  expect(d.has('script-src-elem') || d.has('script-src-attr'), what).toBe(false);
  expect(policy, what).not.toMatch(/unsafe-eval|strict-dynamic|\*/);
  // Inline styles for attributes, stylesheets of this origin only: no <style> element (style-src stays 'none').
  expect(d.get('style-src-attr'), what).toEqual(["'unsafe-inline'"]);
  expect(d.get('style-src-elem'), what).toEqual(["'self'"]);
  expect(d.has('style-src'), what).toBe(false);
  expect(d.get('form-action'), what).toEqual(["'self'"]);
  expect(d.get('base-uri'), what).toEqual(["'none'"]);
  expect(d.get('frame-ancestors'), what).toEqual(["'none'"]);
  expect(res.headers.get('x-frame-options'), what).toBe('DENY');
  // A page made for a link's token is kept by no cache; the public series page and recordings archive (no token, no one's data) for a minute.
  const isPublic = what === 'GET /series/{seriesId}' || what === 'GET /series/{seriesId}/recordings';
  expect(res.headers.get('cache-control'), what).toMatch(isPublic ? /^public, max-age=60$/ : /no-store/);
}

/** What the page policy allows: nothing but markup, inline style attributes and same-origin forms. */
function expectPageFitsPolicy(html: string, what: string) {
  // The one script element a page may carry is the pages' own file (functions/pages/page-script.ts).
  expect(html.replace('<script src="/assets/convene.js" defer=""></script>', ''), what).not.toMatch(/<script/i);
  expect(html, what).not.toMatch(/<style/i);
  // The one stylesheet of this origin, nothing else linked.
  for (const link of html.match(/<link\b[^>]*>/gi) ?? []) expect(link, what).toMatch(/^<link rel="stylesheet" href="\/assets\/convene\.css"\/?>$/);
  expect(html, what).not.toMatch(/<(iframe|object|embed|img|base)\b/i);
  expect(html, what).not.toMatch(/\son[a-z]+\s*=/i);
  expect(html, what).not.toMatch(/javascript:/i);
  for (const [, action] of html.matchAll(/<form\b[^>]*\baction="([^"]*)"/gi)) expect(action, `${what}: form action`).toMatch(/^\/(?!\/)/);
}

/** One request per route: with its credential, as a browser asks (Accept: text/html). */
async function requestAsBrowser(route: RouteDefinition) {
  const organiser = route.auth === 'organiser';
  const bearer = undefined;
  const sendsForm = routeName(route) === 'POST /mail/unsubscribe' || routeName(route) === 'POST /registrations/unregister';
  const form: Record<string, string> = { 'POST /members/manage-link': 'email=headers%40example.org', 'POST /registrations/confirm': 'name=Ana' };
  const accept = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';
  return api.request(route.method, pathOf(route), {
    token: organiser ? api.organiserToken : (bearer ?? null),
    ...(sendsForm || form[routeName(route)]
      ? { raw: form[routeName(route)] ?? 'List-Unsubscribe=One-Click', headers: { accept, 'content-type': 'application/x-www-form-urlencoded' } }
      : { headers: { accept }, ...(route.method === 'POST' || route.method === 'PATCH' ? { body: {} } : {}) }),
  });
}

describe('security headers', () => {
  const answered = new Map<string, ApiResponse>();
  beforeAll(async () => {
    // One after the other: POST /mail/unsubscribe and POST /registrations/unregister act on the member.
    for (const route of routes) answered.set(routeName(route), await requestAsBrowser(route));
  });

  it.each(routes.map((r) => [routeName(r), r] as const))('%s: nosniff and no-referrer on its answer, the page policy on a page', (name) => {
    const res = answered.get(name)!;
    expectEveryAnswerHeaders(res, `${name} (${res.status})`);
    if (/^text\/html/.test(res.headers.get('content-type') ?? '')) {
      expectPagePolicy(res, name);
      expectPageFitsPolicy(res.text, name);
    }
  });

  it('the pages are HTML answers with the page policy', () => {
    for (const name of HTML_ROUTES) {
      const res = answered.get(name)!;
      expect(res.status, `${name}: ${res.text}`).toBe(name === "POST /members/manage-link" ? 202 : 200);
      expect(res.headers.get('content-type'), name).toMatch(/^text\/html/);
      expectPagePolicy(res, name);
    }
  });

  it('JSON, problem documents, feeds and 304s carry nosniff and no-referrer too', async () => {
    expect(answered.get('GET /series/{seriesId}')!.headers.get('content-type')).toMatch(/^text\/html/);
    const json = await api.request('GET', `/series/${fixture.seriesId}`, { token: null, headers: { accept: 'application/json' } });
    expect(json.headers.get('content-type')).toMatch(/^application\/json/);
    expectEveryAnswerHeaders(json, 'GET /series/{seriesId} as JSON');
    const feed = answered.get('GET /feeds/series/{file}')!;
    expect(feed.headers.get('content-type')).toMatch(/^text\/calendar/);
    const notModified = await api.request('GET', `/series/${fixture.seriesId}`, { token: null, headers: { 'if-none-match': json.headers.get('etag')! } });
    expect(notModified.status).toBe(304);
    const problems = [
      // An unknown route (no handler: the not-found handler answers).
      await api.request('GET', '/no/such/route', { token: null }),
      // Refused by the organiser check before any route.
      await api.request('GET', '/admin/series', { token: null }),
      // A body refused by the body limit (middleware) and by validation (the route).
      await api.request('POST', `/series/${fixture.seriesId}/registrations`, { token: null, raw: JSON.stringify({ email: 'x'.repeat(70 * 1024) }), headers: { 'content-type': 'application/json' } }),
      await api.request('POST', `/series/${fixture.seriesId}/registrations`, { token: null, body: { email: 'not an address' } }),
    ];
    // A signed link that is not one, opened by a browser: the same 404 as a page, under the page policy.
    const page = await api.request('GET', '/mail/unsubscribe?token=forged', { token: null, headers: { accept: 'text/html' } });
    for (const res of [json, feed, notModified, ...problems, page]) expectEveryAnswerHeaders(res, `${res.status} ${res.headers.get('content-type')}`);
    expect(problems.map((p) => p.status)).toEqual([404, 401, 413, 422]);
    for (const p of problems) expect(p.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(page.status).toBe(404);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expectPagePolicy(page, 'the 404 page');
    expectPageFitsPolicy(page.text, 'the 404 page');
  });

  it('a GET refused for carrying a body (before any route) carries them', async () => {
    const res = await rawRequest(api.url, { method: 'GET', target: `/series/${fixture.seriesId}`, headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(res.status).toBe(400);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
  });
});
