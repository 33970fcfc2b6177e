/**
 * The feeds at the edge for e2e tests, as `npm start` runs them: a feeds bucket of the test's
 * own in the run's s3rver, the feed renderer on the streams of the test's read-model and
 * members tables (infra/local/feed-renderer.ts, as `npm start` runs it), and the local feed
 * edge on a free port on 127.0.0.1 serving `/feeds/*` from the bucket (everything else to the
 * API). Stopped, and the bucket emptied and deleted, by `stop`.
 */
import type { Server } from 'node:http';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, DeleteBucketCommand, DeleteObjectsCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { serve } from '@hono/node-server';
import { createFeedBucket, type FeedBucket } from '../../functions/adapters/feeds/feed-bucket.js';
import type { BatchReport } from '../../functions/feed-renderer/render-batch.js';
import { feedEdge } from '../../infra/local/feed-edge.js';
import { startLocalFeedRenderer } from '../../infra/local/feed-renderer.js';
import { freePort } from '../../infra/local/free-port.js';
import type { TableNames } from '../../functions/tables.js';

export interface TestFeedEdge {
  /** The edge's base URL: `${url}/feeds/members/<token>.ics`. */
  readonly url: string;
  readonly bucket: FeedBucket;
  /** What each batch the renderer handled rendered. */
  readonly reports: BatchReport[];
  /** Wait until the renderer has handled every read-model and directory change so far (call after the projector settled). */
  settle(): Promise<void>;
  stop(): Promise<void>;
}

/** A feeds bucket of its own in the run's s3rver (the name is fixed before the API is built: its feed rotation removes objects there). */
export async function createTestFeedBucket(s3: S3Client): Promise<FeedBucket> {
  const name = `feeds-${crypto.randomUUID().slice(0, 8)}`;
  await s3.send(new CreateBucketCommand({ Bucket: name }));
  return createFeedBucket(s3, name);
}

export async function startTestFeedEdge(options: {
  readonly dynamodb: DynamoDBClient;
  readonly s3: S3Client;
  readonly bucket: FeedBucket;
  readonly names: TableNames;
  readonly region: string;
  readonly dynamodbEndpoint: string;
  /** The API's URL (the base URL written into feeds, and where the edge sends everything else). */
  readonly apiUrl: string;
  /** The API's link-signing secret: the renderer signs the same join links the API's feed route writes. */
  readonly signingSecret: string;
}): Promise<TestFeedEdge> {
  const cleanups: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
  };
  cleanups.push(() => deleteBucket(options.s3, options.bucket.bucket));
  try {
    const reports: BatchReport[] = [];
    const renderer = await startLocalFeedRenderer({
      info: { region: options.region, dynamodb: { endpoint: options.dynamodbEndpoint }, tables: options.names, s3: { feedsBucket: options.bucket.bucket } },
      clients: { dynamodb: options.dynamodb, s3: options.s3 },
      baseUrl: options.apiUrl,
      signingSecrets: options.signingSecret,
      intervalMs: 50,
      onReport: (r) => reports.push(r),
      onDeadLetter: () => {},
    });
    cleanups.push(() => renderer.stop());
    const port = await freePort();
    const app = feedEdge({ s3: options.s3, bucket: options.bucket.bucket, api: { fetch: (request) => forward(request, options.apiUrl) } });
    const server = await new Promise<Server>((resolve) => {
      const s = serve({ fetch: app.fetch, port, hostname: '127.0.0.1' }, () => resolve(s as Server)) as Server;
    });
    cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
    return {
      url: `http://127.0.0.1:${port}`,
      bucket: options.bucket,
      reports,
      settle: () => renderer.drain(),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Everything that is not a feed goes to the API, as CloudFront's default behaviour sends it. */
function forward(request: Request, apiUrl: string): Promise<Response> {
  const url = new URL(request.url);
  const init: RequestInit & { duplex?: 'half' } = { method: request.method, headers: request.headers, redirect: 'manual' };
  if (request.body) Object.assign(init, { body: request.body, duplex: 'half' });
  return fetch(`${apiUrl}${url.pathname}${url.search}`, init);
}

export async function deleteBucket(s3: S3Client, bucket: string): Promise<void> {
  for (;;) {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket }));
    const keys = (page.Contents ?? []).map((o) => ({ Key: o.Key! }));
    if (keys.length === 0) break;
    await s3.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: keys } }));
  }
  await s3.send(new DeleteBucketCommand({ Bucket: bucket }));
}
