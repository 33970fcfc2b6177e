/**
 * The API's feed remover (functions/adapters/feeds/feed-remover.ts): one SigV4-signed S3
 * DeleteObject over fetch, without the S3 client, against s3rver as the local stack runs it.
 * s3rver checks no SigV4 signature, so the requests pass a checking proxy first that computes
 * the signature S3 would from AWS's specification (test/support/s3-signatures.ts, not the SDK
 * that signed) and refuses a mismatch as S3 does.
 */
import { HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFeedRemover, FeedRemovalError, feedObjectUrl } from '../../functions/adapters/feeds/feed-remover.js';
import { isMissingObject } from '../../functions/adapters/aws-errors.js';
import { LOCAL_CREDENTIALS } from '../../infra/local/clients.js';
import { clients, localStackInfo } from '../support/local.js';
import { authorizationHeaderSignature } from '../support/s3-signatures.js';

const info = localStackInfo();
const bucket = info.s3.feedsBucket;
const key = (name: string) => `feeds/members/remover-${process.pid}-${name}.ics`;
const written: string[] = [];
const seen: { method: string; path: string; headers: Record<string, string> }[] = [];
let proxy: Server;
let endpoint: string;

/** S3's signature check in front of s3rver. */
async function checkThenForward(req: IncomingMessage): Promise<{ status: number; body: string }> {
  const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)]));
  const url = new URL(req.url ?? '/', endpoint);
  seen.push({ method: req.method ?? '', path: url.pathname, headers });
  const { expected, provided } = authorizationHeaderSignature(req.method ?? '', url, headers, LOCAL_CREDENTIALS.secretAccessKey);
  if (expected !== provided) return { status: 403, body: '<?xml version="1.0" encoding="UTF-8"?><Error><Code>SignatureDoesNotMatch</Code></Error>' };
  const res = await fetch(new URL(url.pathname, info.s3.endpoint), { method: req.method!, headers: { authorization: headers.authorization!, 'x-amz-date': headers['x-amz-date']!, 'x-amz-content-sha256': headers['x-amz-content-sha256']! } });
  return { status: res.status, body: await res.text() };
}

beforeAll(async () => {
  proxy = createServer((req, res) => {
    req.resume();
    checkThenForward(req).then(
      ({ status, body }) => res.writeHead(status, { 'content-type': 'application/xml' }).end(body),
      (error: unknown) => res.writeHead(400, { 'content-type': 'text/plain' }).end(String(error)),
    );
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
});

afterAll(async () => {
  const direct = createFeedRemover({ bucket, region: info.region, endpoint: info.s3.endpoint, credentials: LOCAL_CREDENTIALS });
  // One at a time: s3rver removes a key's emptied folders after it, and deletes in parallel under
  // one folder race on that (a 500 InternalError); S3 has no folders.
  for (const k of new Set(written)) await direct.remove(k);
  await new Promise<void>((resolve) => proxy.close(() => resolve()));
});

async function put(k: string) {
  written.push(k);
  await clients().s3.send(new PutObjectCommand({ Bucket: bucket, Key: k, Body: 'BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n', ContentType: 'text/calendar; charset=utf-8' }));
}
async function exists(k: string) {
  try {
    await clients().s3.send(new HeadObjectCommand({ Bucket: bucket, Key: k }));
    return true;
  } catch (error) {
    if (isMissingObject(error)) return false;
    throw error;
  }
}
const remover = (secretAccessKey: string = LOCAL_CREDENTIALS.secretAccessKey) =>
  createFeedRemover({ bucket, region: info.region, endpoint, credentials: async () => ({ accessKeyId: LOCAL_CREDENTIALS.accessKeyId, secretAccessKey }) });

describe('feed remover (signed DeleteObject without the S3 client)', () => {
  it('removes the object, and only that one, with a request S3 would accept', async () => {
    await put(key('a'));
    await put(key('b'));
    const before = seen.length;
    await remover().remove(key('a'));
    expect(await exists(key('a'))).toBe(false);
    expect(await exists(key('b'))).toBe(true);
    const [request] = seen.slice(before);
    expect(request).toMatchObject({ method: 'DELETE', path: `/${bucket}/${key('a')}` });
    // The hash of the empty payload, signed (S3 refuses a DELETE without x-amz-content-sha256).
    expect(request!.headers['x-amz-content-sha256']).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });

  it('takes a key that is not there as done', async () => {
    await expect(remover().remove(key('never-written'))).resolves.toBeUndefined();
  });

  it('removes a key whose hash has - and _ (base64url), as member feed keys do', async () => {
    const k = key('AbC-_9');
    await put(k);
    await remover().remove(k);
    expect(await exists(k)).toBe(false);
  });

  it('fails with S3 code when S3 refuses the signature, and the object stays', async () => {
    await put(key('c'));
    const failure = await remover('not-the-secret').remove(key('c')).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(FeedRemovalError);
    expect(failure).toMatchObject({ status: 403, code: 'SignatureDoesNotMatch' });
    expect(await exists(key('c'))).toBe(true);
  });

  it("addresses the region's S3 virtual-hosted on AWS", () => {
    expect(feedObjectUrl({ bucket: 'convene-feedsbucket-1a2b', region: 'eu-west-1' }, 'feeds/members/Ab-_c.ics').href).toBe('https://convene-feedsbucket-1a2b.s3.eu-west-1.amazonaws.com/feeds/members/Ab-_c.ics');
  });
});
