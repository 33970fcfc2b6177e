/**
 * Feeds as static files at the edge, as a member's calendar sees them: the feed renderer on the
 * read-model and directory streams writes each feed into the feeds bucket (s3rver), and the
 * local feed edge serves it at the URL the member holds (`/feeds/members/<token>.ics`), with
 * the object's ETag and Last-Modified. Every feed is read by ical.js and node-ical.
 */
import ICAL from 'ical.js';
import nodeIcal from 'node-ical';
import { beforeAll, describe, expect, it } from 'vitest';
import { feedRendererFromEnvironment } from '../../functions/feed-renderer/environment.js';
import { memberFeedKey, seriesFeedKey, FEEDS_BUCKET_ENV } from '../../functions/feeds/feed-objects.js';
import { PUBLIC_BASE_URL_ENV } from '../../functions/api/route-table.js';
import { documentClient } from '../../functions/adapters/dynamodb-client.js';
import { sha256 } from '../../functions/adapters/members/member-directory.js';
import { readModelTable, tableEnvironment } from '../../functions/tables.js';
import type { BatchReport } from '../../functions/feed-renderer/render-batch.js';
import { useTestApi } from '../support/api.js';
import { clients, localStackInfo } from '../support/local.js';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { LambdaEvent } from 'hono/aws-lambda';
import { apiHandlerFromEnvironment } from '../../functions/api/environment.js';
import { AUTH_ENV, SIGNING_SECRETS_ENV } from '../../functions/api/route-table.js';
import { LOCAL_CREDENTIALS } from '../../infra/local/clients.js';
import { pathOf } from '../support/members.js';
import { careRequest } from '../support/seed-requests.js';

const api = useTestApi({ feeds: true });
let seriesId = '';
/** Before and after New York's clocks go forward (14 March 2027): 10:00 EST and 10:00 EDT. */
let winter = '';
let summer = '';

beforeAll(async () => {
  seriesId = (await api.request('POST', '/admin/series', { body: careRequest })).body.id;
  winter = (await api.request('POST', `/admin/series/${seriesId}/sessions`, { body: { title: { en: 'Winter care' }, start: '2027-03-07T10:00', durationMinutes: 60 } })).body.sessionId;
  summer = (await api.request('POST', `/admin/series/${seriesId}/sessions`, { body: { title: { en: 'Spring care' }, start: '2027-03-21T10:00', durationMinutes: 60 } })).body.sessionId;
});

/** Starts by UID, read by both parsers, which must agree. */
function startsOf(ics: string): Map<string, string> {
  const viaIcalJs = new Map(
    new ICAL.Component(ICAL.parse(ics)).getAllSubcomponents('vevent').map((v) => {
      const event = new ICAL.Event(v);
      return [event.uid, event.startDate.toJSDate().toISOString()] as const;
    }),
  );
  const viaNodeIcal = new Map(
    Object.values(nodeIcal.sync.parseICS(ics))
      .filter((c) => c?.type === 'VEVENT')
      .map((c) => [String((c as { uid: string }).uid), (c as { start: Date }).start.toISOString()] as const),
  );
  expect(viaNodeIcal).toEqual(viaIcalJs);
  return viaIcalJs;
}
const uid = (sessionId: string) => `${sessionId}@${seriesId}.convene`;

/** A member an organiser registered (confirmed at once) for `sessions`, with a feed token; the renderer caught up. */
async function member(sessions: 'all' | string[] = 'all') {
  const email = `edge-${crypto.randomUUID().slice(0, 8)}@example.org`;
  const res = await api.request('POST', `/admin/series/${seriesId}/registrations`, { body: { members: [{ email, name: 'Layla Nasser', language: 'en', timeZone: 'Asia/Jerusalem' }], sessions } });
  expect(res.status).toBe(200);
  const memberId = res.body.members[0].memberId as string;
  const token = await api.members.rotateFeedToken(memberId);
  await api.settle();
  const manage = `/manage?token=${api.signer.sign({ a: 'manage', m: memberId }, new Date(Date.now() + 24 * 3600_000))}`;
  return { memberId, token, manage, path: `/feeds/members/${token}.ics` };
}

const edge = (path: string, headers: Record<string, string> = {}) => fetch(`${api.feeds.url}${path}`, { headers });
const fromApi = (path: string) => fetch(`${api.url}${path}`);

describe('feeds served from the feeds bucket', () => {
  it('answers the same bytes as the API feed routes, personal and public, with the times right across the DST change', async () => {
    const { path } = await member();
    for (const feed of [path, `/feeds/series/${seriesId}.ics`]) {
      const [served, rendered] = await Promise.all([edge(feed), fromApi(feed)]);
      expect(served.status).toBe(200);
      expect(rendered.status).toBe(200);
      const bytes = Buffer.from(await served.arrayBuffer());
      expect(bytes.equals(Buffer.from(await rendered.arrayBuffer())), `${feed.split('/')[2]} feed bytes`).toBe(true);
      expect(served.headers.get('content-type')).toBe(rendered.headers.get('content-type'));
      expect(served.headers.get('cache-control')).toBe(rendered.headers.get('cache-control'));
      expect(served.headers.get('content-disposition')).toBe(rendered.headers.get('content-disposition'));
      expect(served.headers.get('x-content-type-options')).toBe('nosniff');
      expect(served.headers.get('referrer-policy')).toBe('no-referrer');
      const starts = startsOf(bytes.toString('utf8'));
      expect(starts.get(uid(winter))).toBe('2027-03-07T15:00:00.000Z'); // 10:00 EST
      expect(starts.get(uid(summer))).toBe('2027-03-21T14:00:00.000Z'); // 10:00 EDT
    }
  });

  it('keys a personal feed by its token hash, never the token', async () => {
    const { token } = await member();
    expect(memberFeedKey(token)).toBe(`feeds/members/${sha256(token)}.ics`);
    expect(memberFeedKey(token)).not.toContain(token);
    const head = await edge(`/feeds/members/${token}.ics`, {});
    expect(head.status).toBe(200);
  });

  it('shows a rescheduled session at its new time; 304 from the object on If-None-Match and If-Modified-Since', async () => {
    const { path } = await member();
    const before = await edge(path);
    const etag = before.headers.get('etag')!;
    expect(etag).toMatch(/^"[0-9a-f]{32}"$/);
    expect((await edge(path, { 'if-none-match': etag })).status).toBe(304);
    // Moved over the DST change: 7 March 10:00 EST -> 28 March 11:00 EDT.
    expect((await api.request('PATCH', `/admin/series/${seriesId}/sessions/${winter}`, { body: { start: '2027-03-28T11:00' } })).status).toBe(200);
    await api.settle();
    const after = await edge(path, { 'if-none-match': etag });
    expect(after.status).toBe(200);
    const newTag = after.headers.get('etag')!;
    expect(newTag).not.toBe(etag);
    expect(startsOf(await after.text()).get(uid(winter))).toBe('2027-03-28T15:00:00.000Z');
    const notModified = await edge(path, { 'if-none-match': newTag });
    expect(notModified.status).toBe(304);
    expect(notModified.headers.get('etag')).toBe(newTag);
    expect((await edge(path, { 'if-modified-since': after.headers.get('last-modified')! })).status).toBe(304);
    // The public feed moved too.
    expect(startsOf(await (await edge(`/feeds/series/${seriesId}.ics`)).text()).get(uid(winter))).toBe('2027-03-28T15:00:00.000Z');
  });

  it('answers 404 for the old URL as soon as the token is rotated, and serves the new one', async () => {
    const { path, manage } = await member();
    expect((await edge(path)).status).toBe(200);
    const rotated = await api.request('POST', manage.replace('/manage?', '/manage/feed?'), { token: null, body: {}, headers: { accept: 'application/json' } });
    expect(rotated.status).toBe(201);
    // No settling: the rotation removed the object before it answered.
    expect((await edge(path)).status).toBe(404);
    await api.settle();
    expect((await edge(path)).status).toBe(404);
    const fresh = await edge(pathOf(rotated.body.feedUrl));
    expect(fresh.status).toBe(200);
    expect(startsOf(await fresh.text()).has(uid(summer))).toBe(true);
  });

  it('answers 404 for the old URL as soon as the token is rotated through the API Lambda, wired from its environment as on AWS', async () => {
    const { path, manage } = await member();
    expect((await edge(path)).status).toBe(200);
    // What Lambda and CDK give the function (infra/stack/api-function.ts), pointed at the local stack.
    const info = localStackInfo();
    const sdkEnvironment = { AWS_REGION: info.region, AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey, AWS_ENDPOINT_URL_DYNAMODB: info.dynamodb.endpoint, AWS_ENDPOINT_URL_S3: info.s3.endpoint };
    const saved = { ...process.env };
    Object.assign(process.env, sdkEnvironment);
    try {
      const handler = apiHandlerFromEnvironment({
        ...sdkEnvironment,
        ...tableEnvironment(api.names),
        [PUBLIC_BASE_URL_ENV]: api.url,
        [SIGNING_SECRETS_ENV]: api.signingSecret,
        [AUTH_ENV.issuer]: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_e2e',
        [AUTH_ENV.jwksUrl]: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_e2e/.well-known/jwks.json',
        [AUTH_ENV.clientId]: 'e2e-client',
        [AUTH_ENV.maxAgeSeconds]: '3600',
        [FEEDS_BUCKET_ENV]: api.feeds.bucket.bucket,
      });
      const query = manage.split('?')[1]!;
      const event = {
        version: '2.0',
        routeKey: '$default',
        rawPath: '/manage/feed',
        rawQueryString: query,
        headers: { host: new URL(api.url).host, accept: 'application/json', 'content-type': 'application/json' },
        body: '{}',
        isBase64Encoded: false,
        requestContext: {
          accountId: '123456789012',
          apiId: 'api',
          domainName: new URL(api.url).host,
          domainPrefix: 'convene',
          http: { method: 'POST', path: '/manage/feed', protocol: 'HTTP/1.1', sourceIp: '203.0.113.7', userAgent: 'e2e' },
          requestId: crypto.randomUUID(),
          routeKey: '$default',
          stage: '$default',
          time: '01/Dec/2026:10:00:00 +0000',
          timeEpoch: Date.now(),
        },
      } satisfies APIGatewayProxyEventV2 as unknown as LambdaEvent;
      const answer = await handler(event, {} as never);
      expect(answer.statusCode, answer.body).toBe(201);
      // No settling: the Lambda removed the object (one signed DeleteObject) before it answered.
      expect((await edge(path)).status).toBe(404);
      await api.settle();
      const fresh = await edge(pathOf(JSON.parse(answer.body).feedUrl as string));
      expect(fresh.status).toBe(200);
    } finally {
      for (const name of Object.keys(sdkEnvironment)) if (saved[name] === undefined) delete process.env[name];
      Object.assign(process.env, saved);
    }
  });

  it("drops a series' sessions from the feed once the member leaves it", async () => {
    const { path, manage } = await member();
    expect(startsOf(await (await edge(path)).text()).has(uid(summer))).toBe(true);
    const left = await api.request('POST', manage.replace('/manage?', '/manage/leave?'), { token: null, body: { seriesId }, headers: { accept: 'application/json' } });
    expect(left.status).toBe(200);
    await api.settle();
    const after = await edge(path);
    expect(after.status).toBe(200);
    const starts = startsOf(await after.text());
    expect(starts.has(uid(summer))).toBe(false);
    expect(starts.has(uid(winter))).toBe(false);
  });

  it('answers 404 for a token nobody holds and for paths that are no feed', async () => {
    for (const path of [`/feeds/members/${'A'.repeat(32)}.ics`, '/feeds/members/short.ics', '/feeds/other', `/feeds/series/${seriesId}.txt`]) {
      expect((await edge(path)).status, path).toBe(404);
    }
  });

  it('renders the same object again for a redelivered record: nothing rewritten, validators kept', async () => {
    const { memberId, path } = await member();
    const before = await edge(path);
    const reports: BatchReport[] = [];
    const again = feedRendererFromEnvironment(
      { ...tableEnvironment(api.names), [FEEDS_BUCKET_ENV]: api.feeds.bucket.bucket, [PUBLIC_BASE_URL_ENV]: api.url, SIGNING_SECRETS: api.signingSecret },
      { dynamodb: documentClient(clients().dynamodb), s3: clients().s3, onReport: (r) => reports.push(r) },
    );
    const record = (pk: string, sk: string, n: string) => ({
      eventName: 'MODIFY' as const,
      eventSourceARN: `arn:aws:dynamodb:us-east-1:000000000000:table/${api.names[readModelTable.id]}/stream/x`,
      dynamodb: { Keys: { pk: { S: pk }, sk: { S: sk } }, SequenceNumber: n, StreamViewType: 'KEYS_ONLY' as const },
    });
    // Out of order and twice: the schedule's record after the member's, both redelivered.
    const response = await again({ Records: [record(`member#${memberId}`, 'registrations', '2'), record(`series#${seriesId}`, 'schedule', '1'), record(`member#${memberId}`, 'registrations', '3')] });
    expect(response.batchItemFailures).toEqual([]);
    const outcomes = reports.flatMap((r) => r.rendered);
    expect(outcomes.find((r) => r.feed === `member ${memberId}`)?.outcome).toBe('unchanged');
    expect(outcomes.find((r) => r.feed === `series ${seriesId}`)?.outcome).toBe('unchanged');
    const after = await edge(path);
    expect(after.headers.get('etag')).toBe(before.headers.get('etag'));
    expect(after.headers.get('last-modified')).toBe(before.headers.get('last-modified'));
    expect(seriesFeedKey(seriesId)).toBe(`feeds/series/${seriesId}.ics`);
  });
});
