/**
 * The feed renderer Lambda, on the DynamoDB Streams of the read-model table and the member
 * directory (keys only; locally the stream poller hands it the same records): renders each
 * public and personal feed whose inputs changed into the feeds bucket (./render-batch.ts).
 */
import { Logger } from '@aws-lambda-powertools/logger';
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { feedRendererFromEnvironment } from './environment.js';

let cached: ((event: DynamoDBStreamEvent) => Promise<DynamoDBBatchResponse>) | undefined;

export const handler = (event: DynamoDBStreamEvent) => {
  cached ??= feedRendererFromEnvironment(process.env, { logger: new Logger({ serviceName: 'feed-renderer' }) });
  return cached(event);
};
