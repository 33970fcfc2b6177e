/**
 * The recordings API Lambda: the routes of functions/api/routes/recordings.ts (route-table.ts
 * `fn: 'recordings'`) behind the same HTTP API. Apart from the API function, so that only
 * this one carries the S3 client and may presign uploads and downloads.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { handle } from 'hono/aws-lambda';
import { readModelTable } from '../tables.js';
import { conveneEventStore } from '../adapters/event-store/index.js';
import { documentClient } from '../adapters/dynamodb-client.js';
import { createReadModelStore } from '../read-models/read-model-store.js';
import { createRecordingStore, RECORDINGS_BUCKET_ENV, recordingsS3Client } from '../adapters/recordings/recording-store.js';
import { createRecordingsApi } from './app.js';
import { tokenVerifierFromEnvironment } from '../api/auth.js';
import { logErrorsTo } from '../api/http-app.js';
import { edgeOriginDeps } from '../security/edge-origin.js';
import { PUBLIC_BASE_URL_ENV } from '../api/route-table.js';
import { requireEnv } from '../environment.js';

export function recordingsApiFromEnvironment(env: Record<string, string | undefined>, logger = new Logger({ serviceName: 'recordings-api' })) {
  const required = (name: string) => requireEnv(env, name);
  const client = documentClient();
  return createRecordingsApi({
    store: conveneEventStore(env, client),
    readModels: createReadModelStore(client, required(readModelTable.envVar)),
    recordings: createRecordingStore(recordingsS3Client({}, env), required(RECORDINGS_BUCKET_ENV)),
    baseUrl: required(PUBLIC_BASE_URL_ENV),
    verifyOrganiserToken: tokenVerifierFromEnvironment(env),
    logError: logErrorsTo(logger),
    ...edgeOriginDeps(env),
  });
}

export const handler = handle(recordingsApiFromEnvironment(process.env));
