/**
 * A calendar polling its feed while the renderer rewrites it, through the local feed edge on the
 * run's s3rver: every poll is answered quickly, with one whole version (its bytes, and the ETag
 * of those bytes), never a stall or a torn file. s3rver stalls a read that overlaps a write of
 * the same key for about 6 s (S3 replaces objects atomically); the edge bounds each read (2 s) and
 * reads again (infra/local/feed-edge.ts). Before that, a poll during a write waited 6 s.
 */
import { createHash } from 'node:crypto';
import type { Server } from 'node:http';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MEMBER_FEED_HEADERS, memberFeedKey } from '../../functions/feeds/feed-objects.js';
import type { FeedBucket } from '../../functions/adapters/feeds/feed-bucket.js';
import { freePort } from '../../infra/local/free-port.js';
import { feedEdge } from '../../infra/local/feed-edge.js';
import { closeServer } from '../support/api-app.js';
import { createTestFeedBucket, deleteBucket } from '../support/feed-edge.js';
import { clients } from '../support/local.js';

const token = 'A'.repeat(32);
/** Versions of one feed, each large enough (about 300 KiB) that a read spans a write. */
const versions = Array.from({ length: 4 }, (_, v) => `BEGIN:VCALENDAR\r\nX-VERSION:${v}\r\n${`X-LINE:${String(v).repeat(70)}\r\n`.repeat(4000)}END:VCALENDAR\r\n`);
const md5 = (text: string) => `"${createHash('md5').update(text).digest('hex')}"`;

let bucket: FeedBucket;
let server: Server;
let url = '';

beforeAll(async () => {
  bucket = await createTestFeedBucket(clients().s3);
  await bucket.put(memberFeedKey(token), versions[0]!, MEMBER_FEED_HEADERS);
  const port = await freePort();
  const edge = feedEdge({ s3: clients().s3, bucket: bucket.bucket, api: new Hono() });
  server = await new Promise<Server>((resolve) => {
    const s = serve({ fetch: edge.fetch, port, hostname: '127.0.0.1' }, () => resolve(s as Server)) as Server;
  });
  url = `http://127.0.0.1:${port}/feeds/members/${token}.ics`;
});

afterAll(async () => {
  await closeServer(server);
  await deleteBucket(clients().s3, bucket.bucket);
});

describe('a feed polled while it is rewritten', () => {
  it('is answered every time, well before the 6 s a stalled read took, with one whole version under its own ETag', async () => {
    let writing = true;
    let writes = 0;
    const writer = (async () => {
      while (writing) {
        await bucket.put(memberFeedKey(token), versions[++writes % versions.length]!, MEMBER_FEED_HEADERS);
        // As the renderer writes: in bursts, a batch after each change.
        await new Promise((resolve) => setTimeout(resolve, 150));
      }
    })();
    const slowest: number[] = [];
    try {
      // Until the feed was rewritten 20 times and polled more than 20 times, a poll after another,
      // as several calendars would (on a busy machine a poll can take longer than a write's gap).
      for (let poll = 0; writes < 20 || poll <= 20; poll++) {
        const started = performance.now();
        const res = await fetch(url);
        const text = await res.text();
        slowest.push(performance.now() - started);
        expect(res.status, `poll ${poll} after ${writes} writes`).toBe(200);
        expect(versions).toContain(text);
        expect(res.headers.get('etag')).toBe(md5(text));
      }
    } finally {
      writing = false;
      await writer;
    }
    expect(slowest.length).toBeGreaterThan(20);
    expect(Math.max(...slowest)).toBeLessThan(5_000);
  });
});
