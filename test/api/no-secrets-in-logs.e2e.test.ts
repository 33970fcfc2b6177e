/**
 * No credential reaches a log line (issue 15, item 8). The whole member flow runs over HTTP
 * with a real Powertools logger behind the API's error reporting, as on Lambda: organiser
 * requests with bearer tokens, a registration, the dispatcher mailing its confirmation (with
 * its own Powertools logger), the confirmation link, the personal feed, the unregister,
 * unsubscribe and manage links, a new feed link from the member's page, then the same requests
 * while storage fails (503) and while it answers nonsense (500), so every route that can log
 * does. Every line this process wrote (stdout, stderr, console) is then searched for every
 * token, signed link and feed path handed out: none may appear. The 5xx lines must be there,
 * naming the route pattern (`/feeds/members/{file}`), never the path.
 *
 * To extend: a new credential goes through `remember`, a new route that may fail into
 * `failingRequests`.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { logErrorsTo } from '../../functions/api/http-app.js';
import { unsubscribeLinks } from '../../functions/mail/unsubscribe-links.js';
import { localClients } from '../../infra/local/clients.js';
import { useTestApi } from '../support/api.js';
import { captureLogs } from '../support/captured-logs.js';
import { localStackInfo } from '../support/local.js';
import { linkIn, mailTo } from '../support/mailbox.js';
import { careRequest } from '../support/seed-requests.js';
import { testDispatcher } from '../support/dispatcher.js';

const logs = captureLogs();

/** The API's DynamoDB client, made to fail on demand: as if DynamoDB were down, or answered nonsense. */
const storage = { mode: 'working' as 'working' | 'unavailable' | 'broken' };
const dynamodb = localClients(localStackInfo()).dynamodb;
dynamodb.middlewareStack.add(
  (next) => async (args) => {
    if (storage.mode === 'unavailable') throw Object.assign(new Error('Internal server error'), { name: 'InternalServerError', $fault: 'server' });
    if (storage.mode === 'broken') throw new TypeError('Cannot read properties of undefined (reading "S")');
    return next(args);
  },
  { step: 'initialize', name: 'forcedStorageFailure' },
);
afterAll(() => dynamodb.destroy());

// The API's errors go to a Powertools logger, wired as the API Lambda wires it.
const api = useTestApi({ dynamodb, logError: logErrorsTo(new Logger({ serviceName: 'api' })) });

/** Every credential handed out in the flow, by what it is. */
const secrets = new Map<string, string>();
const remember = (name: string, value: string | undefined) => {
  expect(value, name).toBeTruthy();
  secrets.set(name, value!);
  return value!;
};
/** A signed link's token: `body.signature`; each part alone is as telling. */
const rememberLinkToken = (name: string, url: string) => {
  const token = remember(`${name} token`, new URL(url).searchParams.get('token') ?? undefined);
  remember(`${name} signature`, token.split('.')[1]);
  remember(`${name} path and query`, url.replace(/^https?:\/\/[^/]+/, ''));
  return token;
};
const pathOf = (url: string) => url.replace(/^https?:\/\/[^/]+/, '');

const flow = {
  organiserToken: '',
  seriesId: '',
  confirmUrl: '',
  unregisterUrl: '',
  unsubscribeUrl: '',
  feedUrl: '',
  manageUrl: '',
  memberToken: '',
};

beforeAll(async () => {
  flow.organiserToken = remember('organiser token', await api.token({ sub: 'organiser-logs' }));
  remember('organiser token signature', flow.organiserToken.split('.')[2]);
  remember('default organiser token', api.organiserToken);
  remember('link-signing secret', api.signingSecret);
});

describe('a member flow, then the same requests failing', () => {
  it('runs: organiser requests, registration, confirmation, feed, unregister and unsubscribe links, rotation', async () => {
    const as = { token: flow.organiserToken };
    const created = await api.request('POST', '/admin/series', { ...as, body: careRequest, headers: { 'idempotency-key': `logs-${crypto.randomUUID()}` } });
    expect(created.status).toBe(201);
    flow.seriesId = created.body.id;
    const session = await api.request('POST', `/admin/series/${flow.seriesId}/sessions`, { ...as, body: { title: { en: 'Care work' }, start: '2027-05-23T15:00', durationMinutes: 90 } });
    expect(session.status).toBe(201);
    expect((await api.request('GET', `/admin/series/${flow.seriesId}`, as)).status).toBe(200);

    const email = `logs-${crypto.randomUUID().slice(0, 8)}@example.org`;
    const registered = await api.request('POST', `/series/${flow.seriesId}/registrations`, { token: null, body: { email, name: 'Amal Haddad', language: 'en', timeZone: 'Asia/Jerusalem' } });
    expect(registered.status).toBe(202);
    // The dispatcher mails the confirmation, logging to a Powertools logger as its Lambda does.
    await api.settle();
    const dispatcherLogger = new Logger({ serviceName: 'dispatcher' });
    const dispatcher = testDispatcher(api, { log: (level, message, detail) => dispatcherLogger[level](message, { ...detail }) });
    await dispatcher.tick({ now: new Date() });
    const [mail] = await mailTo(email);
    flow.confirmUrl = linkIn(mail?.body.text, '/registrations/confirm?token=')!;
    flow.unregisterUrl = linkIn(mail?.body.text, '/registrations/unregister?token=')!;
    flow.manageUrl = linkIn(mail?.body.text, '/manage?token=')!;
    rememberLinkToken('confirmation link', flow.confirmUrl);
    rememberLinkToken('unregister link', flow.unregisterUrl);
    rememberLinkToken('manage link', flow.manageUrl);

    expect((await api.request('GET', pathOf(flow.confirmUrl), { token: null })).status).toBe(200);
    const confirmed = await api.request('POST', pathOf(flow.confirmUrl), { token: null, body: { name: 'Amal Haddad' }, headers: { accept: 'application/json' } });
    expect(confirmed.status).toBe(200);
    flow.feedUrl = remember('feed URL', confirmed.body.feedUrl);
    flow.memberToken = remember('member feed token', /\/feeds\/members\/([\w-]{32})\.ics$/.exec(flow.feedUrl)?.[1]);
    remember('feed path', pathOf(flow.feedUrl));
    rememberLinkToken('manage link of the confirmation', confirmed.body.manageUrl);
    await api.settle();
    expect((await api.request('GET', pathOf(flow.feedUrl), { token: null })).status).toBe(200);
    // The welcome-free invitation tick logs too.
    await dispatcher.tick({ now: new Date() });

    const memberId = (await api.members.memberIdForFeedToken(flow.memberToken))!;
    flow.unsubscribeUrl = unsubscribeLinks(api.signer, api.url, { memberId, seriesId: flow.seriesId, organiserEmail: 'training@example.org' }, new Date()).unsubscribeUrl;
    rememberLinkToken('unsubscribe link', flow.unsubscribeUrl);
    expect((await api.request('GET', pathOf(flow.unregisterUrl), { token: null })).status).toBe(200);
    expect((await api.request('GET', pathOf(flow.unsubscribeUrl), { token: null })).status).toBe(200);
    expect((await api.request('POST', pathOf(flow.unsubscribeUrl), { token: null })).status).toBe(200);

    const rotated = await api.request('POST', pathOf(flow.manageUrl).replace('/manage?', '/manage/feed?'), { token: null, headers: { accept: 'application/json' } });
    expect(rotated.status).toBe(201);
    flow.feedUrl = remember('rotated feed URL', rotated.body.feedUrl);
    flow.memberToken = remember('rotated feed token', /\/feeds\/members\/([\w-]{32})\.ics$/.exec(flow.feedUrl)?.[1]);
    remember('rotated feed path', pathOf(flow.feedUrl));
    await api.settle();
  });

  /** Requests that reach storage, with the credentials they carry: each fails while storage does. */
  const failingRequests = () =>
    [
      ['GET', () => pathOf(flow.feedUrl), null],
      ['GET', () => pathOf(flow.confirmUrl), null],
      ['POST', () => pathOf(flow.unregisterUrl), null],
      ['GET', () => pathOf(flow.unsubscribeUrl), null],
      ['POST', () => pathOf(flow.unsubscribeUrl), null],
      ['GET', () => pathOf(flow.manageUrl), null],
      ['POST', () => pathOf(flow.manageUrl).replace('/manage?', '/manage/feed?'), null],
      ['GET', () => `/admin/series/${flow.seriesId}`, () => flow.organiserToken],
      ['GET', () => `/admin/series/${flow.seriesId}/sessions/x/registrations`, () => flow.organiserToken],
    ] as const;

  it.each([
    ['unavailable', 503],
    ['broken', 500],
  ] as const)('answers %s storage with %i on every route that reads it, and logs each', async (mode, status) => {
    const before = logs.lines.length;
    storage.mode = mode;
    try {
      for (const [method, path, token] of failingRequests()) {
        const res = await api.request(method, path(), { token: token ? token() : null });
        expect([method, path(), res.status]).toEqual([method, path(), status]);
      }
    } finally {
      storage.mode = 'working';
    }
    const logged = logs.lines.slice(before).filter((line) => line.includes('failed'));
    expect(logged.length).toBeGreaterThanOrEqual(failingRequests().length);
    // The route pattern names where it failed, in the route table's form.
    for (const route of ['GET /feeds/members/{file}', 'GET /registrations/confirm', 'POST /mail/unsubscribe', 'GET /manage', 'POST /manage/feed', 'GET /admin/series/{seriesId}']) {
      expect(logged.filter((line) => line.includes(`${route} failed`)), route).toHaveLength(1);
    }
  });

  it('the one-click unregister works again once storage does', async () => {
    expect((await api.request('POST', pathOf(flow.unregisterUrl), { token: null })).status).toBe(200);
  });

  it('wrote no token, signed link or feed path in any log line', () => {
    expect(logs.lines.length).toBeGreaterThan(0);
    expect(secrets.size).toBeGreaterThanOrEqual(15);
    const leaks = [...secrets].flatMap(([name, value]) => logs.lines.filter((line) => line.includes(value)).map((line) => `${name}: ${line.slice(0, 300)}`));
    expect(leaks).toEqual([]);
  });
});
