import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SESClient } from '@aws-sdk/client-ses';
import { createFeedRemover } from '../../functions/adapters/feeds/feed-remover.js';
import type { FeedRemover } from '../../functions/adapters/feeds/rotated-feeds.js';

export interface LocalClients {
  dynamodb: DynamoDBClient;
  ses: SESClient;
  s3: S3Client;
}

/**
 * Dummy credentials for every local service. s3rver only accepts S3RVER/S3RVER (it answers
 * InvalidAccessKeyId otherwise); DynamoDB Local and aws-ses-v2-local accept anything.
 */
export const LOCAL_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;
const credentials = LOCAL_CREDENTIALS;

/** Where a local stack's services answer (a LocalStackInfo, infra/local/stack.ts, is one). */
export interface LocalEndpoints {
  readonly region: string;
  readonly dynamodb: { readonly endpoint: string };
  readonly ses: { readonly endpoint: string };
  readonly s3: { readonly endpoint: string };
}

/** SDK clients pointed at a local stack, with dummy credentials. */
export function localClients(info: LocalEndpoints): LocalClients {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  const region = info.region;
  return {
    dynamodb: new DynamoDBClient({ region, credentials, endpoint: info.dynamodb.endpoint }),
    ses: new SESClient({ region, credentials, endpoint: info.ses.endpoint }),
    s3: new S3Client({
      region,
      credentials,
      endpoint: info.s3.endpoint,
      forcePathStyle: true,
      // STACK trap 6: otherwise streamed uploads are stored with their chunk framing.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    }),
  };
}

/**
 * The API's remover of rotated tokens' feed objects (functions/adapters/feeds/feed-remover.ts,
 * the same signed DeleteObject the API Lambda sends), pointed at a local stack's S3.
 */
export function localFeedRemover(info: Pick<LocalEndpoints, 'region' | 's3'>, bucket: string): FeedRemover {
  return createFeedRemover({ bucket, region: info.region, endpoint: info.s3.endpoint, credentials: LOCAL_CREDENTIALS });
}
