/**
 * The archiver Lambda, invoked by S3 for every object created under `recordings/` (locally by
 * s3rver's notifications): verifies each file against its announced upload (./archive.ts).
 */
import { Logger } from '@aws-lambda-powertools/logger';
import type { S3Event } from 'aws-lambda';
import { conveneEventStore } from '../adapters/event-store/index.js';
import { createRecordingStore, RECORDINGS_BUCKET_ENV, recordingsS3Client } from '../adapters/recordings/recording-store.js';
import { createArchiver, type ArchiveReport } from './archive.js';
import { requireEnv } from '../environment.js';

const logger = new Logger({ serviceName: 'archiver' });
let archiver: ReturnType<typeof createArchiver> | undefined;

export function archiverFromEnvironment(env: Record<string, string | undefined>, log: Parameters<typeof createArchiver>[0]['log']) {
  const bucket = requireEnv(env, RECORDINGS_BUCKET_ENV);
  return createArchiver({ store: conveneEventStore(env), recordings: createRecordingStore(recordingsS3Client({}, env), bucket), ...(log ? { log } : {}) });
}

export const handler = async (event: S3Event): Promise<ArchiveReport[]> => {
  archiver ??= archiverFromEnvironment(process.env, (level, message, detail) => logger[level](message, { ...detail }));
  return archiver.handle(event);
};
