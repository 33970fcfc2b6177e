/**
 * The local stand-in of the CloudFront distribution in front of the API and the feeds bucket
 * (infra/stack/edge.ts): GET and HEAD of `/feeds/*` are answered from the feeds bucket in
 * s3rver, every other request goes to the API, so feeds keep the URL shape they have on AWS.
 *
 * The URL maps to its object key by the very source of the CloudFront Function
 * (infra/edge/feed-viewer-request.ts: a token becomes its hash). Validators come from the
 * object: its ETag (the MD5 of its bytes, as S3's, checked against them: see readObject) and Last-Modified, compared here as S3 compares them (If-None-Match first,
 * then If-Modified-Since to the second): s3rver's own conditional GET neither sends the ETag
 * with a 304 nor compares dates to the second. The answer carries the object's Content-Type,
 * Cache-Control and Content-Disposition, and the security headers CloudFront's response
 * headers policy adds.
 */
import { createHash } from 'node:crypto';
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { Readable } from 'node:stream';
import { Hono } from 'hono';
import { NON_HTML_CONTENT_SECURITY_POLICY, SECURITY_HEADERS } from '../../functions/api/http-app.js';
import { feedObjectKeyOf, loadFeedViewerRequest } from '../edge/feed-viewer-request.js';
import { isMissingObject } from '../../functions/adapters/aws-errors.js';

export interface FeedEdgeOptions {
  readonly s3: S3Client;
  readonly bucket: string;
  /** Every request that is not a feed's (the API's hono app). */
  readonly api: { fetch(request: Request): Response | Promise<Response> };
}

const EDGE_HEADERS: Readonly<Record<string, string>> = { ...SECURITY_HEADERS, 'Content-Security-Policy': NON_HTML_CONTENT_SECURITY_POLICY };

/**
 * s3rver rewrites an object's file in place, where S3 replaces an object atomically: a GetObject
 * that overlaps a PutObject of the same key may stall (it waits for bytes that never come, and
 * aborts about 6 s later: the feed-freshness tail), or end early or mixed (a torn file), or pair
 * the new metadata with the old bytes. A read is therefore bounded in time and accepted only when
 * its bytes are whole: their MD5 is the ETag s3rver gave them (S3's ETag of a single PUT). Else
 * it is made again, a moment later, when the write is done. A local read of a feed takes a few
 * milliseconds.
 */
const READ_TIMEOUT_MS = 2_000;
const READ_ATTEMPTS = 5;
const READ_AGAIN_AFTER_MS = 20;

class TornRead extends Error {}

export function feedEdge(options: FeedEdgeOptions) {
  const app = new Hono();
  const viewerRequest = loadFeedViewerRequest();
  const answer = (status: number, headers: Record<string, string>, body: string | Uint8Array | null = null) =>
    new Response(body as ConstructorParameters<typeof Response>[0], { status, headers: { ...EDGE_HEADERS, ...headers } });
  const noSuchFeed = () => answer(404, { 'Cache-Control': 'no-store', 'Content-Type': 'text/plain; charset=utf-8' }, 'There is no such feed.\n');

  const readObject = async (key: string) => {
    for (let attempt = 1; ; attempt++) {
      const signal = AbortSignal.timeout(READ_TIMEOUT_MS);
      try {
        const object = await options.s3.send(new GetObjectCommand({ Bucket: options.bucket, Key: key }), { abortSignal: signal });
        const body = object.Body as Readable | undefined;
        const bytes = body ? Buffer.concat(await body.toArray({ signal })) : Buffer.alloc(0);
        const etag = `"${createHash('md5').update(bytes).digest('hex')}"`;
        if (etag !== object.ETag) throw new TornRead(`s3rver answered ${bytes.length} bytes that are not the object ${object.ETag}`);
        return { object, bytes, etag };
      } catch (error) {
        if (attempt >= READ_ATTEMPTS || isMissingObject(error)) throw error;
        await new Promise((resolve) => setTimeout(resolve, READ_AGAIN_AFTER_MS));
      }
    }
  };

  const serveFeed = async (request: Request): Promise<Response> => {
    const key = feedObjectKeyOf(new URL(request.url).pathname, viewerRequest);
    if (!key) return noSuchFeed();
    let read;
    try {
      read = await readObject(key);
    } catch (error) {
      if (isMissingObject(error)) return noSuchFeed();
      // Never a torn or stale-paired feed: the calendar asks again.
      return answer(503, { 'Cache-Control': 'no-store', 'Retry-After': '1', 'Content-Type': 'text/plain; charset=utf-8' }, 'The feed is being rewritten; try again in a second.\n');
    }
    const { object, bytes, etag } = read;
    const lastModified = object.LastModified?.toUTCString() ?? '';
    const validators = { ETag: etag, 'Last-Modified': lastModified, ...(object.CacheControl ? { 'Cache-Control': object.CacheControl } : {}) };
    if (notModified(request.headers, etag, object.LastModified)) return answer(304, validators);
    return answer(
      200,
      {
        ...validators,
        'Content-Type': object.ContentType ?? 'application/octet-stream',
        'Content-Length': String(bytes.length),
        ...(object.ContentDisposition ? { 'Content-Disposition': object.ContentDisposition } : {}),
      },
      request.method === 'HEAD' ? null : bytes,
    );
  };

  app.on(['GET', 'HEAD'], '/feeds/*', (c) => serveFeed(c.req.raw));
  app.all('*', (c) => options.api.fetch(c.req.raw));
  return app;
}

/** S3's rule: If-None-Match when sent (a list, `*`, weak tags compared weakly), else If-Modified-Since to the second. */
export function notModified(headers: Headers, etag: string, lastModified: Date | undefined): boolean {
  const inm = headers.get('if-none-match');
  if (inm !== null) return inm.split(',').some((t) => t.trim() === '*' || t.trim().replace(/^W\//, '') === etag);
  const ims = headers.get('if-modified-since');
  if (ims === null || !lastModified || Number.isNaN(Date.parse(ims))) return false;
  return Math.floor(lastModified.getTime() / 1000) * 1000 <= Date.parse(ims);
}
