/**
 * Hostile input (issue #8), over every route of the route table, so a route added later is
 * attacked too: bodies too large (with a true, lying, absent Content-Length, and chunked),
 * deep JSON, invalid UTF-8, the wrong content type, JSON that is not an object; forged and
 * expired organiser tokens, member tokens and signed mail links; path tricks in path
 * parameters. Every one is answered 4xx with a problem document naming the problem, nothing
 * is written, no mail is sent, and the server still serves.
 *
 * Text that is accepted but hostile (quotes, commas, `<`, `<script>`, bidi controls, encoded
 * words, line breaks in descriptions) is followed end to end: into the confirmation and
 * invitation mail headers and HTML, the public and personal iCalendar feeds (read by two
 * parsers), the unsubscribe page and the stored object key of an upload.
 */
import ICAL from 'ical.js';
import nodeIcal from 'node-ical';
import { beforeAll, describe, expect, it } from 'vitest';
import { routes, type RouteDefinition } from '../../functions/api/route-table.js';
import { MAX_BODY_BYTES } from '../../functions/api/http-app.js';
import { Problem } from '../../functions/api/schemas.js';
import { uploadOfKey } from '../../functions/recordings/object-keys.js';
import { simpleParser } from '../mail/mailparser.js';
import { decodeWords, fieldValues, readPart } from '../mail/raw-mime.js';
import { useTestApi } from '../support/api.js';
import { recordingMailer, testDispatcher } from '../support/dispatcher.js';
import { LINK_ACTIONS, forgedLinkTokens, forgedOrganiserTokens, nonCanonicalSignature, type Forgery, type LinkAction, type LinkForgery } from '../support/forged-tokens.js';
import { contentLines, expectFoldedCrlf } from '../support/icalendar.js';
import { clients } from '../support/local.js';
import { linkIn, mailTo } from '../support/mailbox.js';
import { chunked, rawRequest, type RawRequest } from '../support/raw-http.js';
import { organiser as seedOrganiser } from '../support/seed-requests.js';
import { wiretap } from '../support/ses-wiretap.js';

const api = useTestApi();

// Accepted text that has broken mail and calendar writers elsewhere: quotes and commas that
// end a display name, `<...>` that starts an address, encoded words, bidi overrides, markup.
const SCRIPT = '<script>alert(1)</script>';
/** A page without the pages' own script element (functions/pages/page-script.ts), the one script a page may carry. */
const withoutPageScript = (html: string) => html.replace('<script src="/assets/convene.js" defer=""></script>', '');
const SERIES_TITLE = `Care & "Repair", part 1; <b>bold</b> ${SCRIPT} =?utf-8?q?Bcc=3A_x@evil.example?= \u202eevil\u202c Ünïcødé`;
const SESSION_TITLE = `Session: ${SCRIPT} "quoted", a\\b; c, d =?utf-8?B?QmNjOiB4QGV2aWwuZXhhbXBsZQ==?=`;
const ORGANISER_NAME = 'Training "Centre", Reply <evil@attacker.example>';
const MEMBER_NAME = `Mallory <evil@attacker.example>, "Eve" ${SCRIPT} Ünïcødé`;
// Descriptions may have line breaks: in a feed they must stay one escaped TEXT value.
const DESCRIPTION = 'First line\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nUID:injected@evil.example\r\nSUMMARY:Injected\nX-INJECTED:1\rlast';
const memberEmail = `hostile-${crypto.randomUUID().slice(0, 8)}@example.org`;

const fixture = {
  seriesId: '',
  sessionId: '',
  memberId: '',
  registrationId: '',
  memberToken: '',
  rotatedAwayToken: '',
  confirmationMail: Buffer.alloc(0) as Buffer,
};
let sent: readonly Buffer[] = [];

beforeAll(async () => {
  sent = wiretap(clients().ses);
  const series = await api.request('POST', '/admin/series', {
    body: {
      kind: 'lecture-series',
      title: { en: SERIES_TITLE },
      description: { en: DESCRIPTION },
      timeZone: 'America/New_York',
      languages: ['en'],
      organiser: { name: ORGANISER_NAME, email: seedOrganiser.email },
      reminderOffsets: ['P1D'],
    },
  });
  expect(series.status, series.text).toBe(201);
  fixture.seriesId = series.body.id;
  const session = await api.request('POST', `/admin/series/${fixture.seriesId}/sessions`, {
    body: { title: { en: SESSION_TITLE }, description: { en: DESCRIPTION }, start: '2027-05-03T10:00', durationMinutes: 60, speakers: [{ name: MEMBER_NAME, bio: DESCRIPTION }], joinUrl: 'https://webinar.example.org/room?a=1&b="2"' },
  });
  expect(session.status, session.text).toBe(201);
  fixture.sessionId = session.body.sessionId;

  const mailsBefore = sent.length;
  const registered = await api.request('POST', `/series/${fixture.seriesId}/registrations`, {
    token: null,
    body: { email: memberEmail, name: MEMBER_NAME, language: 'en', timeZone: 'Asia/Kolkata' },
  });
  expect(registered.status, registered.text).toBe(202);
  // The dispatcher mails the confirmation (the request sends nothing).
  expect(sent.length).toBe(mailsBefore);
  await api.settle();
  await testDispatcher(api).tick({ now: new Date() });
  expect(sent.length).toBe(mailsBefore + 1);
  fixture.confirmationMail = sent.at(-1)!;
  const confirmUrl = linkIn((await simpleParser(fixture.confirmationMail)).text, '/registrations/confirm')!;
  const payload = JSON.parse(Buffer.from(new URL(confirmUrl).searchParams.get('token')!.split('.')[0]!, 'base64url').toString());
  Object.assign(fixture, { memberId: payload.m, registrationId: payload.r });
  // The owner confirms with the name as given: hostile text the rest of the suite follows.
  const confirmed = await api.request('POST', new URL(confirmUrl).pathname + new URL(confirmUrl).search, { token: null, body: { name: MEMBER_NAME }, headers: { accept: 'application/json' } });
  expect(confirmed.status, confirmed.text).toBe(200);
  fixture.rotatedAwayToken = /\/feeds\/members\/([\w-]{32})\.ics$/.exec(confirmed.body.feedUrl)![1]!;
  const manage = new URL(confirmed.body.manageUrl);
  const rotated = await api.request('POST', `/manage/feed${manage.search}`, { token: null, headers: { accept: 'application/json' } });
  expect(rotated.status, rotated.text).toBe(201);
  fixture.memberToken = /\/feeds\/members\/([\w-]{32})\.ics$/.exec(rotated.body.feedUrl)![1]!;
  await api.settle();
});

// ---------------------------------------------------------------------------------------------
// Reaching every route of the table
// ---------------------------------------------------------------------------------------------

type Route = RouteDefinition;
const routeName = (r: Route) => `${r.method} ${r.path}`;

/** What a route needs besides its path: the credential its caller holds. */
type Credential = 'organiser' | 'member-feed' | LinkAction | 'none';
/** Routes a page's form posts to without a link: they read a form as well as JSON. */
const FORM_ROUTES: ReadonlySet<string> = new Set(['POST /members/manage-link', 'POST /series/{seriesId}/registrations']);
/** Routes whose body is CSV (a meeting's participants report), not JSON. */
const CSV_ROUTES: ReadonlySet<string> = new Set(['POST /admin/series/{seriesId}/sessions/{sessionId}/attendance']);
const credentialOf = (r: Route): Credential =>
  r.auth === 'organiser' ? 'organiser' : r.path === '/feeds/members/{file}' ? 'member-feed' : (r.link ?? 'none');

/** A path of the route with genuine ids, or with `override` in one parameter (as written, not encoded). */
function pathOf(route: Route, override?: { param: string; value: string }): string {
  return route.path.replace(/\{(\w+)\}/g, (_, param: string) => {
    if (override?.param === param) return override.value;
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
        return route.path.startsWith('/feeds/members/') ? `${fixture.memberToken}.ics` : `${fixture.seriesId}.ics`;
      default:
        throw new Error(`${routeName(route)}: the hostile-input suite does not know how to fill {${param}}; add it to pathOf`);
    }
  });
}

const paramsOf = (route: Route) => [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);

/** Checks a refusal: 4xx, and (unless Node's own HTTP parser answered) a problem document of `status` naming the problem. */
function expectRefused(res: { status: number; headers: Headers | Readonly<Record<string, string>>; text: string }, status?: number, type?: string) {
  const header = (name: string) => (res.headers instanceof Headers ? res.headers.get(name) : res.headers[name]) ?? '';
  expect(res.status, res.text).toBeGreaterThanOrEqual(400);
  expect(res.status, res.text).toBeLessThan(500);
  if (status !== undefined) expect(res.status, res.text).toBe(status);
  // Node's HTTP parser answers unreadable framing itself, with no body: still a 4xx.
  if (res.text === '' && header('content-type') === '') return;
  expect(header('content-type')).toMatch(/^application\/problem\+json/);
  const problem = Problem.parse(JSON.parse(res.text));
  expect(problem.status).toBe(res.status);
  expect(problem.detail.length).toBeGreaterThan(0);
  if (type !== undefined) expect(problem.type).toBe(`/problems/${type}`);
}

// ---------------------------------------------------------------------------------------------
// Refused: every case 4xx, nothing written, no mail
// ---------------------------------------------------------------------------------------------

describe('hostile requests are refused, nothing is written and no mail is sent', () => {
  let events = 0;
  let mails = 0;
  beforeAll(async () => {
    events = await api.eventCount();
    mails = sent.length;
  });

  describe('bodies, on every route', () => {
    const json = { 'content-type': 'application/json' };
    // Well-formed JSON, one byte over the limit once wrapped.
    const oversized = JSON.stringify({ title: { en: 'x'.repeat(MAX_BODY_BYTES + 1) } });
    interface BodyAttack {
      name: string;
      request: Omit<RawRequest, 'method' | 'target'>;
      /** The problem it must be answered with where the route reads a JSON body. */
      status: number;
      type?: string;
      /** The framing is broken: Node's HTTP parser may answer it before the app sees it. */
      framing?: boolean;
    }
    const attacks: BodyAttack[] = [
      { name: 'body over the limit', request: { headers: { ...json, 'content-length': String(oversized.length) }, body: oversized }, status: 413, type: 'body-too-large' },
      { name: 'body over the limit, chunked', request: { headers: { ...json, 'transfer-encoding': 'chunked' }, body: chunked(oversized) }, status: 413, type: 'body-too-large' },
      { name: 'Content-Length claiming 1 GiB', request: { headers: { ...json, 'content-length': String(1024 ** 3) }, body: '{}', endAfterBody: true }, status: 413, type: 'body-too-large' },
      { name: 'Content-Length claiming less than is sent', request: { headers: { ...json, 'content-length': '8' }, body: oversized }, status: 400, type: 'malformed-json', framing: true },
      { name: 'Content-Length claiming more than is sent, then the client stops', request: { headers: { ...json, 'content-length': '1000' }, body: '{"kind": "lecture', endAfterBody: true }, status: 400, type: 'unreadable-body' },
      { name: 'no Content-Length, body sent anyway', request: { headers: json, body: oversized, noContentLength: true }, status: 400, type: 'malformed-json', framing: true },
      { name: 'Content-Length and chunked at once (smuggling)', request: { headers: { ...json, 'content-length': '4', 'transfer-encoding': 'chunked' }, body: chunked('{}') }, status: 400, framing: true },
      { name: 'chunk size that is not hex', request: { headers: { ...json, 'transfer-encoding': 'chunked' }, body: 'zz\r\n{}\r\n0\r\n\r\n' }, status: 400, framing: true },
      { name: '100,000 [ (deep JSON over the limit)', request: { headers: json, body: '['.repeat(100_000) }, status: 413, type: 'body-too-large' },
      { name: '30,000 nested arrays (deep JSON within the limit)', request: { headers: json, body: `${'['.repeat(30_000)}${']'.repeat(30_000)}` }, status: 422, type: 'invalid-body' },
      { name: '10,000 nested objects', request: { headers: json, body: `${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}` }, status: 422, type: 'invalid-body' },
      { name: '60,000 [ never closed', request: { headers: json, body: '['.repeat(60_000) }, status: 400, type: 'malformed-json' },
      { name: 'invalid UTF-8: a lone 0xFF', request: { headers: json, body: Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d]) }, status: 400, type: 'invalid-utf8' },
      { name: 'invalid UTF-8: overlong "/"', request: { headers: json, body: Buffer.from([0x7b, 0x22, 0xc0, 0xaf, 0x22, 0x3a, 0x31, 0x7d]) }, status: 400, type: 'invalid-utf8' },
      { name: 'invalid UTF-8: an encoded surrogate', request: { headers: json, body: Buffer.from([0x7b, 0x22, 0xed, 0xa0, 0x80, 0x22, 0x3a, 0x31, 0x7d]) }, status: 400, type: 'invalid-utf8' },
      { name: 'invalid UTF-8: cut off mid-character', request: { headers: json, body: Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xe2, 0x82]) }, status: 400, type: 'invalid-utf8' },
      { name: 'UTF-16 JSON', request: { headers: json, body: Buffer.from('\ufeff{"a":1}', 'utf16le') }, status: 400 },
      { name: 'JSON as text/plain', request: { headers: { 'content-type': 'text/plain' }, body: '{}' }, status: 415, type: 'unsupported-media-type' },
      { name: 'a form', request: { headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'kind=lecture-series' }, status: 415, type: 'unsupported-media-type' },
      { name: 'multipart', request: { headers: { 'content-type': 'multipart/form-data; boundary=x' }, body: '--x\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--x--\r\n' }, status: 415, type: 'unsupported-media-type' },
      { name: 'no content type', request: { body: '{}' }, status: 415, type: 'unsupported-media-type' },
      { name: 'a content type that only starts like JSON', request: { headers: { 'content-type': 'application/jsonx; a=b' }, body: '{}' }, status: 415, type: 'unsupported-media-type' },
      ...['[]', '"a string"', '42', 'null', 'true'].map((text) => ({ name: `JSON that is not an object: ${text}`, request: { headers: json, body: text }, status: 422, type: 'invalid-body' })),
    ];

    /** What a route answers to a hostile body: the body's own problem where the route reads one. */
    function expected(route: Route, attack: BodyAttack): { status?: number; type?: string } {
      if (route.method === 'GET') return { status: 400, type: 'unexpected-body' };
      // The participants report takes CSV alone (up to 2 MiB; its own limits: test/api/attendance.e2e.test.ts).
      // A lying Content-Length is refused before the type is looked at (its own answer, as everywhere).
      if (CSV_ROUTES.has(routeName(route)) && !attack.framing && !attack.name.startsWith('Content-Length claiming')) return { status: 415, type: 'unsupported-media-type' };
      if (attack.status === 413) return attack;
      if (attack.framing) return {};
      // The member routes are attacked without their credential (with it, their body is never read).
      const credential = credentialOf(route);
      if (credential !== 'organiser' && credential !== 'none') return { status: 404, type: 'link-invalid' };
      // A form is what a page sends these: read, and refused for the field it lacks.
      if (FORM_ROUTES.has(routeName(route)) && attack.name === 'a form') return { status: 422, type: 'invalid-form' };
      return attack;
    }

    // Without a length a GET has no body: the bytes are a second, garbage request, and the GET is answered as usual.
    const applies = (route: Route, attack: BodyAttack) => !(route.method === 'GET' && attack.request.noContentLength);
    const cases = routes.flatMap((route) => attacks.filter((a) => applies(route, a)).map((attack) => [`${routeName(route)}: ${attack.name}`, route, attack] as const));
    it.each(cases)('%s', async (_name, route, attack) => {
      const headers = { ...attack.request.headers, ...(credentialOf(route) === 'organiser' ? { authorization: `Bearer ${api.organiserToken}` } : {}) };
      const res = await rawRequest(api.url, { method: route.method, target: pathOf(route), ...attack.request, headers });
      const { status, type } = expected(route, attack);
      expectRefused(res, status, type);
    });
  });

  describe('organiser tokens, on every route that takes one', () => {
    // The public recording link takes an organiser token too (to preview what is not published).
    const takesOrganiserToken = routes.filter((r) => r.auth === 'organiser' || r.path.endsWith('/recording/{asset}'));
    let forgeries: (Forgery & { header?: string })[] = [];
    beforeAll(async () => {
      forgeries = [
        ...(await forgedOrganiserTokens(api)),
        // Not bearer tokens at all: the header itself is wrong.
        { name: 'Basic credentials', token: '', header: 'Basic b3JnYW5pc2VyOnNlY3JldA==', status: 401 },
        { name: 'Bearer with nothing after it', token: '', header: 'Bearer ', status: 401 },
        { name: 'two tokens', token: '', header: `Bearer ${api.organiserToken} ${api.organiserToken}`, status: 401 },
      ];
    });

    it.each(takesOrganiserToken.map((r) => [routeName(r), r] as const))('%s refuses every forged token', async (_name, route) => {
      for (const forgery of forgeries) {
        const res = await api.request(route.method, pathOf(route), {
          token: null,
          headers: { authorization: forgery.header ?? `Bearer ${forgery.token}` },
          ...(route.method === 'POST' || route.method === 'PATCH' ? { body: {} } : {}),
        });
        expect(res.status, `${forgery.name}: ${res.text}`).toBe(forgery.status);
        expectRefused(res, forgery.status, forgery.status === 401 ? 'unauthorized' : 'forbidden');
        if (forgery.status === 401) expect(res.headers.get('www-authenticate'), forgery.name).toMatch(/^Bearer realm="convene"/);
      }
    });

    it('a header too large for the server is refused before any route (431)', async () => {
      const route = takesOrganiserToken[0]!;
      const res = await rawRequest(api.url, { method: route.method, target: pathOf(route), headers: { authorization: `Bearer ${'a'.repeat(20_000)}.b.c` } });
      expectRefused(res, 431);
    });
  });

  describe('personal feed tokens', () => {
    const flip = (token: string) => `${token.slice(0, 10)}${token[10] === 'A' ? 'B' : 'A'}${token.slice(11)}`;
    const memberTokens = (): { name: string; token: string }[] => [
      { name: 'a random token of the right shape', token: Buffer.from(crypto.getRandomValues(new Uint8Array(24))).toString('base64url') },
      { name: 'the token from before the rotation', token: fixture.rotatedAwayToken },
      { name: 'the current token with one character changed', token: flip(fixture.memberToken) },
      { name: 'the current token and one more character', token: `${fixture.memberToken}A` },
      { name: 'too short', token: 'abc' },
      { name: 'an organiser token', token: api.organiserToken },
      { name: 'a path', token: '..%2f..%2fadmin%2fseries' },
    ];
    const feedRoutes = routes.filter((r) => credentialOf(r) === 'member-feed');

    it.each(feedRoutes.map((r) => [routeName(r), r] as const))('%s: no feed for any token but the current one', async (_name, route) => {
      for (const { name, token } of memberTokens()) {
        const res = await api.request('GET', pathOf(route, { param: 'file', value: `${token}.ics` }), { token: null });
        expect(res.status, `${name}: ${res.text}`).toBe(404);
        expectRefused(res, 404, 'not-found');
      }
      // The current one still works: the refusals above are about the tokens, not the route.
      expect((await api.request('GET', pathOf(route), { token: null })).status).toBe(200);
    });
  });

  describe('signed mail links: confirmation, change, unregister, manage, unsubscribe', () => {
    const linkRoutes = routes.filter((r) => (LINK_ACTIONS as readonly string[]).includes(credentialOf(r)));
    it.each(linkRoutes.map((r) => [routeName(r), r] as const))('%s refuses forged, expired, altered and foreign tokens', async (_name, route) => {
      const action = credentialOf(route) as LinkAction;
      const forgeries: LinkForgery[] = forgedLinkTokens(api, action, fixture);
      for (const forgery of forgeries) {
        const query = forgery.token === '' ? '' : `?token=${encodeURIComponent(forgery.token)}`;
        const res = await api.request(route.method, `${route.path}${query}`, {
          token: null,
          ...(route.method === 'POST' ? { raw: 'List-Unsubscribe=One-Click', headers: { 'content-type': 'application/x-www-form-urlencoded' } } : {}),
        });
        expect(res.status, `${forgery.name}: ${res.text}`).toBe(forgery.status);
        expectRefused(res, forgery.status, forgery.status === 410 ? 'link-expired' : 'link-invalid');
      }
    });

    // The last of a signature's 43 characters carries 4 bits: decoded and then compared, four
    // spellings of one genuine link were accepted. A link is one string.
    it('a genuine link with its signature respelled (non-canonical base64url) is refused', async () => {
      const genuine = api.signer.sign({ a: 'unsubscribe', m: fixture.memberId, s: fixture.seriesId }, new Date(Date.now() + 3600_000));
      const res = await api.request('GET', `/mail/unsubscribe?token=${nonCanonicalSignature(genuine)}`, { token: null });
      expectRefused(res, 404, 'link-invalid');
    });
  });

  describe('path tricks, in every path parameter of every route', () => {
    const TRICKS: [string, string][] = [
      ['..', '..'],
      ['%2e%2e', '%2e%2e'],
      ['../ encoded, out of the route', '..%2f..%2f..%2fadmin%2fseries'],
      ['..\\ encoded', '..%5c..%5c..%5cwindows'],
      ['a NUL', 'abc%00def'],
      ['invalid UTF-8 %ff', '%ff%fe'],
      ['a lone %', 'abc%'],
      ['%zz', '%zz'],
      ['a full-width id', '%EF%BC%A1%EF%BC%A2'],
      ['a dot file', '.htaccess'],
      ['an id of 10,000 characters', 'a'.repeat(10_000)],
    ];
    const cases = routes.flatMap((route) =>
      paramsOf(route).flatMap((param) => TRICKS.map(([name, value]) => [`${routeName(route)} {${param}}: ${name}`, route, param, value] as const)),
    );
    it.each(cases)('%s', async (_name, route, param, value) => {
      const credential = credentialOf(route);
      const headers: Record<string, string> = {
        ...(credential === 'organiser' ? { authorization: `Bearer ${api.organiserToken}` } : {}),
        ...(route.method === 'POST' || route.method === 'PATCH' ? { 'content-type': 'application/json' } : {}),
      };
      const body = route.method === 'POST' || route.method === 'PATCH' ? '{}' : undefined;
      const res = await rawRequest(api.url, { method: route.method, target: pathOf(route, { param, value }), headers, ...(body ? { body } : {}) });
      expectRefused(res);
    });

    it('raw backslashes, spaces and NUL in the request line are refused by the HTTP parser', async () => {
      for (const target of [`/series/..\\..\\${fixture.seriesId}`, `/series/a b`, `/series/a\0b`]) {
        const res = await rawRequest(api.url, { method: 'GET', target });
        expectRefused(res);
      }
    });
  });

  describe('line breaks and control characters in names and titles', () => {
    const BAD: [string, string][] = [
      ['CRLF and a header', '\r\nBcc: evil@attacker.example'],
      ['a bare LF', 'a\nb'],
      ['a bare CR', 'a\rb'],
      ['NEL (U+0085)', 'a\u0085b'],
      ['LINE SEPARATOR (U+2028)', 'a\u2028b'],
      ['PARAGRAPH SEPARATOR (U+2029)', 'a\u2029b'],
      ['a tab', 'a\tb'],
      ['a NUL', 'a\u0000b'],
      ['ESC', 'a\u001b[31mb'],
      ['DEL', 'a\u007fb'],
      ['a vertical tab', 'a\u000bb'],
    ];
    const series = () => ({ kind: 'lecture-series', title: { en: 'T' }, timeZone: 'UTC', languages: ['en'], organiser: seedOrganiser });
    const session = () => ({ title: { en: 'T' }, start: '2027-05-10T10:00', durationMinutes: 60 });
    const member = (name: string) => ({ email: 'someone@example.org', name, language: 'en', timeZone: 'UTC' });
    const FIELDS: { name: string; field: string; method: string; path: () => string; body: (text: string) => unknown; token?: null }[] = [
      { name: 'member name, registering', field: 'name', method: 'POST', path: () => `/series/${fixture.seriesId}/registrations`, body: (t) => member(`Eve ${t}`), token: null },
      { name: 'member name, bulk registration', field: 'members.0.name', method: 'POST', path: () => `/admin/series/${fixture.seriesId}/registrations`, body: (t) => ({ members: [member(`Eve ${t}`)] }) },
      { name: 'series title', field: 'title.en', method: 'POST', path: () => '/admin/series', body: (t) => ({ ...series(), title: { en: `Title ${t}` } }) },
      { name: 'series title, changed', field: 'title.en', method: 'PATCH', path: () => `/admin/series/${fixture.seriesId}`, body: (t) => ({ title: { en: `Title ${t}` } }) },
      { name: 'organiser name', field: 'organiser.name', method: 'POST', path: () => '/admin/series', body: (t) => ({ ...series(), organiser: { ...seedOrganiser, name: `Centre ${t}` } }) },
      { name: 'organiser name, changed', field: 'organiser.name', method: 'PATCH', path: () => `/admin/series/${fixture.seriesId}`, body: (t) => ({ organiser: { ...seedOrganiser, name: `Centre ${t}` } }) },
      { name: 'session title', field: 'title.en', method: 'POST', path: () => `/admin/series/${fixture.seriesId}/sessions`, body: (t) => ({ ...session(), title: { en: `Session ${t}` } }) },
      { name: 'session title, changed', field: 'title.en', method: 'PATCH', path: () => `/admin/series/${fixture.seriesId}/sessions/${fixture.sessionId}`, body: (t) => ({ title: { en: `Session ${t}` } }) },
      { name: 'speaker name', field: 'speakers.0.name', method: 'POST', path: () => `/admin/series/${fixture.seriesId}/sessions`, body: (t) => ({ ...session(), speakers: [{ name: `Speaker ${t}` }] }) },
      { name: 'upload file name', field: 'fileName', method: 'POST', path: () => `/admin/series/${fixture.seriesId}/sessions/${fixture.sessionId}/recording/uploads`, body: (t) => ({ fileName: `a${t}.mp4`, contentType: 'video/mp4', size: 10 }) },
    ];
    const cases = FIELDS.flatMap((f) => BAD.map(([what, text]) => [`${f.name}: ${what}`, f, text] as const));
    it.each(cases)('%s: 422 naming the field', async (_name, f, text) => {
      const res = await api.request(f.method, f.path(), { body: f.body(text), ...(f.token === null ? { token: null } : {}) });
      expectRefused(res, 422);
      expect(res.body.errors?.map((e: { field: string }) => e.field), res.text).toContain(f.field);
    });
  });

  it('afterwards: the server still serves, no event was written and no mail sent', async () => {
    expect((await api.request('GET', `/admin/series/${fixture.seriesId}`)).status).toBe(200);
    expect((await api.request('GET', `/series/${fixture.seriesId}`, { token: null })).status).toBe(200);
    expect(await api.eventCount()).toBe(events);
    expect(sent.length).toBe(mails);
  });
});

// ---------------------------------------------------------------------------------------------
// Accepted but hostile: neutralised in mail, feeds, pages and storage keys
// ---------------------------------------------------------------------------------------------

/** The text a feed or mail must show: the same, line breaks as one LF (RFC 5545 TEXT has no CR). */
const asText = (text: string) => text.replace(/\r\n|\r|\n/g, '\n');
/** What a one-line rendering shows (functions/mail/compose.ts singleLine). */
const oneLine = (text: string) => text.replace(/\s+/g, ' ').trim();

/** Headers: 7-bit, one To and Reply-To and no Cc/Bcc, addresses exactly ours, names whole. */
async function expectSafeHeaders(raw: Buffer, memberName = oneLine(MEMBER_NAME)) {
  const message = readPart(raw.toString('latin1'));
  expect(message.headerBlock, 'header bytes are printable ASCII').toMatch(/^[\x20-\x7e\r\n\t]*$/);
  for (const line of message.headerBlock.split('\r\n')) expect(line.length, line).toBeLessThanOrEqual(998);
  for (const name of ['To', 'Reply-To', 'Subject', 'From']) expect(fieldValues(message, name), name).toHaveLength(1);
  for (const name of ['Cc', 'Bcc']) expect(fieldValues(message, name), name).toEqual([]);
  const parsed = await simpleParser(raw);
  const addresses = (field: typeof parsed.to) => (Array.isArray(field) ? field : field ? [field] : []).flatMap((a) => a.value);
  expect(addresses(parsed.to)).toEqual([{ address: memberEmail, name: memberName }]);
  expect(addresses(parsed.replyTo)).toEqual([{ address: seedOrganiser.email, name: ORGANISER_NAME }]);
  expect(parsed.cc).toBeUndefined();
  expect(parsed.bcc).toBeUndefined();
  expect(decodeWords(fieldValues(message, 'Subject')[0]!)).toBe(parsed.subject);
  return parsed;
}

/** HTML with every hostile text escaped: no live markup from members or organisers. */
function expectEscapedHtml(html: string) {
  expect(withoutPageScript(html)).not.toContain('<script');
  expect(html).not.toContain('<b>bold</b>');
  expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
}

/** One VEVENT per session, its texts whole, nothing split into extra lines or properties. */
function expectOneEventPerSession(ics: string, sessions: number) {
  expectFoldedCrlf(ics);
  const lines = contentLines(ics);
  expect(lines.filter((l) => l === 'BEGIN:VEVENT')).toHaveLength(sessions);
  expect(lines.filter((l) => /^(X-INJECTED|UID:injected|SUMMARY:Injected)/.test(l))).toEqual([]);
  const jcal = new ICAL.Component(ICAL.parse(ics));
  const [event] = jcal.getAllSubcomponents('vevent').map((v) => new ICAL.Event(v));
  expect(event!.summary).toBe(SESSION_TITLE);
  expect(event!.description).toContain(asText(DESCRIPTION));
  const parsed = Object.values(nodeIcal.sync.parseICS(ics)).filter((c) => c?.type === 'VEVENT');
  expect(parsed).toHaveLength(sessions);
  const summary = (parsed[0] as { summary?: unknown }).summary;
  expect(typeof summary === 'string' ? summary : (summary as { val: string }).val).toBe(SESSION_TITLE);
  return { lines, event: event! };
}

describe('hostile text that is accepted is neutralised end to end', () => {
  it('the confirmation mail: one recipient, no name nobody confirmed, headers encoded, the title whole, HTML escaped', async () => {
    // The name given with the request is not the member's until they confirm it: the address alone.
    const parsed = await expectSafeHeaders(fixture.confirmationMail, '');
    expect(`${parsed.text}${parsed.html}`).not.toContain('Mallory');
    expect(parsed.subject).toContain(oneLine(SERIES_TITLE));
    expectEscapedHtml(parsed.html as string);
    // What the SES endpoint made of the same bytes: one mail, to the member only.
    const stored = await mailTo(memberEmail);
    expect(stored).toHaveLength(1);
    expect(stored[0]!.destination.to).toHaveLength(1);
  });

  it('the invitation and the reminder from the dispatcher: the same, and the invite.ics not split', async () => {
    const mailer = recordingMailer();
    const dispatcher = testDispatcher(api, { mailer });
    await dispatcher.tick({ now: new Date('2027-04-01T00:00:00Z') });
    // P1D before 10:00 New York (14:00Z) on the member's clock in Kolkata: the same instant a day earlier.
    await dispatcher.tick({ now: new Date('2027-05-02T14:00:00Z') });
    // The fixture member's mail only: anything an earlier test of this file scheduled is not this test's.
    const all = await Promise.all(mailer.sent.map(async (raw) => ({ raw, parsed: await simpleParser(raw) })));
    const mails = all.filter((m) => JSON.stringify(m.parsed.to).toLowerCase().includes(memberEmail.toLowerCase()));
    expect(mails.map((m) => m.parsed.subject?.split(':')[0])).toEqual(['Invitation', 'Reminder']);
    for (const { raw, parsed } of mails) {
      await expectSafeHeaders(raw);
      expectEscapedHtml(parsed.html as string);
    }
    const ics = (mails[0]!.parsed.attachments as { contentType: string; content: Buffer }[]).find((a) => a.contentType.startsWith('text/calendar'))!.content.toString('utf8');
    const { lines } = expectOneEventPerSession(ics, 1);
    // ORGANIZER's CN is a quoted parameter: a quote in the name must not end it. The address is
    // the member's reply address on the reply domain, never anything the organiser's text made.
    const organizer = lines.find((l) => l.startsWith('ORGANIZER'))!;
    expect(organizer.startsWith(`ORGANIZER;CN="${ORGANISER_NAME.replace(/"/g, "'")}":mailto:`)).toBe(true);
    expect(organizer.slice(organizer.indexOf(':mailto:') + 8)).toMatch(/^[qr]-[a-z0-9_-]+\.[0-9a-z]+\.[a-z2-7]{20}@reply\.convene\.local$/);
  });

  it('the public and the personal feed: one event, its texts whole, for both parsers', async () => {
    for (const path of [`/feeds/series/${fixture.seriesId}.ics`, `/feeds/members/${fixture.memberToken}.ics`]) {
      const res = await api.request('GET', path, { token: null });
      expect(res.status, path).toBe(200);
      expectOneEventPerSession(res.text, 1);
    }
    // The calendar's name is TEXT too (ical.js leaves X- values as written, so node-ical reads it).
    const publicFeed = (await api.request('GET', `/feeds/series/${fixture.seriesId}.ics`, { token: null })).text;
    expect(contentLines(publicFeed).filter((l) => l.startsWith('X-WR-CALNAME'))).toHaveLength(1);
    expect((nodeIcal.sync.parseICS(publicFeed) as unknown as { vcalendar: Record<string, unknown> }).vcalendar['WR-CALNAME']).toBe(SERIES_TITLE);
  });

  it('the unsubscribe and unregister pages escape the title and the link', async () => {
    const inAYear = new Date(Date.now() + 365 * 24 * 3600 * 1000);
    const unsubscribe = api.signer.sign({ a: 'unsubscribe', m: fixture.memberId, s: fixture.seriesId }, inAYear);
    const unregister = api.signer.sign({ a: 'unregister', m: fixture.memberId, s: fixture.seriesId, r: fixture.registrationId }, inAYear);
    const asking = await api.request('GET', `/mail/unsubscribe?token=${unsubscribe}`, { token: null });
    expect(asking.status).toBe(200);
    expectEscapedHtml(asking.text);
    const page = await api.request('GET', `/registrations/unregister?token=${unregister}`, { token: null });
    expect(page.status).toBe(200);
    expect(withoutPageScript(page.text)).not.toContain('<script');
    expect(page.text).toContain(`action="/registrations/unregister?token=${unregister}&amp;lang=en"`);
    const done = await api.request('POST', `/mail/unsubscribe?token=${unsubscribe}`, { token: null, raw: 'List-Unsubscribe=One-Click', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(done.status).toBe(200);
    expectEscapedHtml(done.text);
  });

  it.each([
    ['Windows path', '..\\..\\Windows\\System32\\evil.mp4'],
    ['encoded ../', '%2e%2e%2f%2e%2e%2fetc%2fpasswd.mp4'],
    ['a/../ in the middle', 'a/../../b.mp4'],
    ['a dot file', '.htaccess'],
    ['dots and slashes', '....//....//x.mp4'],
    ['markup', `${SCRIPT}.mp4`],
    ['255 characters', `${'é'.repeat(251)}.mp4`],
  ])('an upload named with %s is stored under its own safe key, its name kept for the organiser', async (_what, fileName) => {
    const res = await api.request('POST', `/admin/series/${fixture.seriesId}/sessions/${fixture.sessionId}/recording/uploads`, { body: { fileName, contentType: 'video/mp4', size: 10 } });
    expect(res.status, res.text).toBe(201);
    // The key storage takes the file under: the form's `key` field, which its signed policy fixes.
    const key: string = res.body.fields.key;
    expect(uploadOfKey(key)).toEqual({ seriesId: fixture.seriesId, sessionId: fixture.sessionId, uploadId: res.body.uploadId });
    const name = key.split('/').at(-1)!;
    expect(name).toMatch(/^[A-Za-z0-9_][A-Za-z0-9._-]*$/);
    expect(name).not.toContain('..');
    expect(res.body.fileName).toBe(fileName);
  });
});
