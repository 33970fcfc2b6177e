/** The feed renderer wired from its environment (the Lambda) or from given clients (local stack, tests). */
import { S3Client } from '@aws-sdk/client-s3';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { membersTable, readModelTable } from '../tables.js';
import { documentClient } from '../adapters/dynamodb-client.js';
import { createFeedBucket } from '../adapters/feeds/feed-bucket.js';
import { createFeedTokenHashes } from '../adapters/members/feed-token-hashes.js';
import { createReadModelStore } from '../read-models/read-model-store.js';
import { PUBLIC_BASE_URL_ENV, SIGNING_SECRET_ARN_ENV, SIGNING_SECRETS_ENV } from '../api/route-table.js';
import { requireEnv, type Environment } from '../environment.js';
import { FEEDS_BUCKET_ENV } from '../feeds/feed-objects.js';
import { renderBatch, type BatchReport } from './render-batch.js';
import { linkSigningFromEnvironment } from '../security/signing-secrets.js';
import { feedRenderer } from './render-feeds.js';

export interface FeedRendererClients {
  readonly dynamodb?: DynamoDBDocumentClient;
  readonly s3?: S3Client;
  readonly logger?: Pick<Logger, 'debug' | 'error'>;
  /** Told what each batch rendered (tests, benchmarks). */
  readonly onReport?: (report: BatchReport) => void;
}

export function feedRendererFromEnvironment(env: Environment, clients: FeedRendererClients = {}) {
  const dynamodb = clients.dynamodb ?? documentClient();
  const readModels = createReadModelStore(dynamodb, requireEnv(env, readModelTable.envVar));
  const tokens = createFeedTokenHashes(dynamodb, requireEnv(env, membersTable.envVar));
  const bucket = createFeedBucket(clients.s3 ?? new S3Client({}), requireEnv(env, FEEDS_BUCKET_ENV));
  // The same secrets as the API's: the join links in feeds are the ones the API's feed route
  // writes. Without any (a benchmark), feeds carry the meeting URLs themselves.
  const signing = env[SIGNING_SECRET_ARN_ENV] || env[SIGNING_SECRETS_ENV] ? linkSigningFromEnvironment(env) : undefined;
  const render = feedRenderer({ tokens, bucket, baseUrl: requireEnv(env, PUBLIC_BASE_URL_ENV), ...(signing ? { signer: signing.signer } : {}) });
  const logger = clients.logger;
  return async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
    await signing?.ready();
    const { batchItemFailures, report } = await renderBatch(
      { readModels, tokens, render, ...(logger ? { log: (level, message, detail) => logger[level](message, detail) } : {}) },
      event.Records,
    );
    clients.onReport?.(report);
    return { batchItemFailures };
  };
}
