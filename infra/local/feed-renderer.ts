/**
 * The feed renderer as `npm start` runs it: the same handler the Lambda runs
 * (functions/feed-renderer/), handed the records of the read-model table's and the member
 * directory's streams by stream pollers, as the event source mappings do on AWS.
 */
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { documentClient } from '../../functions/adapters/dynamodb-client.js';
import { PUBLIC_BASE_URL_ENV, SIGNING_SECRETS_ENV } from '../../functions/api/route-table.js';
import { feedRendererFromEnvironment } from '../../functions/feed-renderer/environment.js';
import type { BatchReport } from '../../functions/feed-renderer/render-batch.js';
import { FEEDS_BUCKET_ENV } from '../../functions/feeds/feed-objects.js';
import { membersTable, readModelTable, tableEnvironment } from '../../functions/tables.js';
import { LOCAL_CREDENTIALS, type LocalClients } from './clients.js';
import type { LocalStackInfo } from './stack.js';
import { startStreamPoller, type StreamPoller, type StreamPollerOptions } from './stream-poller.js';

export interface LocalFeedRenderer {
  /** Resolves once every change so far has been rendered (or set aside). */
  drain(timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

export async function startLocalFeedRenderer(options: {
  /** Where DynamoDB Local is, which tables' streams to follow, which bucket to write (tests: their own tables and bucket). */
  readonly info: Pick<LocalStackInfo, 'region' | 'tables'> & { readonly dynamodb: Pick<LocalStackInfo['dynamodb'], 'endpoint'>; readonly s3: Pick<LocalStackInfo['s3'], 'feedsBucket'> };
  readonly clients: Pick<LocalClients, 'dynamodb' | 's3'>;
  readonly baseUrl: string;
  /** The API's link-signing secrets (comma-separated): feeds then carry members' own join links, as the API's feed route writes them. */
  readonly signingSecrets?: string;
  readonly intervalMs?: number;
  readonly log?: (level: 'info' | 'warn' | 'error', message: string, detail?: Record<string, unknown>) => void;
  readonly onReport?: (report: BatchReport) => void;
  /** A stream record given up on (default: the stream poller's, which logs it). */
  readonly onDeadLetter?: StreamPollerOptions['onDeadLetter'];
}): Promise<LocalFeedRenderer> {
  const { info, clients } = options;
  const handler = feedRendererFromEnvironment(
    { ...tableEnvironment(info.tables), [FEEDS_BUCKET_ENV]: info.s3.feedsBucket, [PUBLIC_BASE_URL_ENV]: options.baseUrl, ...(options.signingSecrets ? { [SIGNING_SECRETS_ENV]: options.signingSecrets } : {}) },
    {
      dynamodb: documentClient(clients.dynamodb),
      s3: clients.s3,
      logger: { debug: () => {}, error: (message: string, detail?: unknown) => options.log?.('error', message, detail as Record<string, unknown>) } as never,
      ...(options.onReport ? { onReport: options.onReport } : {}),
    },
  );
  const streams = new DynamoDBStreamsClient({ region: info.region, endpoint: info.dynamodb.endpoint, credentials: LOCAL_CREDENTIALS });
  const pollers: StreamPoller[] = [];
  try {
    for (const table of [readModelTable, membersTable]) {
      pollers.push(await startStreamPoller({ dynamodb: clients.dynamodb, streams, table: info.tables[table.id]!, handler, intervalMs: options.intervalMs ?? 100, ...(options.onDeadLetter ? { onDeadLetter: options.onDeadLetter } : {}) }));
    }
  } catch (error) {
    await Promise.all(pollers.map((p) => p.stop()));
    streams.destroy();
    throw error;
  }
  return {
    drain: async (timeoutMs) => {
      await Promise.all(pollers.map((p) => p.drain(timeoutMs)));
    },
    stop: async () => {
      await Promise.all(pollers.map((p) => p.stop()));
      streams.destroy();
    },
  };
}
