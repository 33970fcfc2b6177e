/**
 * The projector Lambda, fed by the event table's DynamoDB Stream (locally by the stream
 * poller, with the same records). Each record brings its stream's read model up to the
 * record's version; a record that fails is reported alone (partial batch response) and
 * retried by the event source, the others are not. After its retries the event source sets it
 * aside (on AWS the projector's dead-letter queue, locally the stream poller's dead-letter
 * list) and the records behind it go on.
 *
 * A stream with an event that fails its schema on read cannot be folded at all: each attempt
 * notes it for the organisers of the series it concerns (a projection failure they see beside
 * their undeliverable mail) before it fails.
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { Logger } from '@aws-lambda-powertools/logger';
import type { DynamoDBRecord, DynamoDBStreamEvent, DynamoDBBatchResponse } from 'aws-lambda';
import { conveneEventStore } from '../adapters/event-store/index.js';
import { documentClient } from '../adapters/dynamodb-client.js';
import { createReadModelStore } from '../read-models/read-model-store.js';
import { readModelTable } from '../tables.js';
import { StoredEventInvalidError } from '../adapters/event-store/errors.js';
import { noteUnreadableStream, projectStream, type ProjectorDeps } from './project-stream.js';
import { eventPointer } from './stream-record.js';
import { requireEnv } from '../environment.js';

export function createProjectorHandler(deps: ProjectorDeps, logger = new Logger({ serviceName: 'projector' })) {
  const processor = new BatchProcessor(EventType.DynamoDBStreams);
  const recordHandler = async (record: DynamoDBRecord) => {
    if (record.eventName !== 'INSERT') return;
    const { streamId, version } = eventPointer(record);
    try {
      const outcome = await projectStream(deps, streamId, version);
      logger.debug('projected', { streamId, version, outcome });
    } catch (error) {
      if (error instanceof StoredEventInvalidError) {
        const series = await noteUnreadableStream(deps, error);
        logger.error('an event of this stream cannot be read: the record fails, and is set aside after its retries', {
          streamId,
          unreadableVersion: error.version,
          reason: error.message,
          notedFor: series,
        });
      }
      throw error;
    }
  };
  return (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => processPartialResponse(event, recordHandler, processor);
}

let cached: ReturnType<typeof createProjectorHandler> | undefined;

export const handler = (event: DynamoDBStreamEvent) => {
  if (!cached) {
    const client = documentClient();
    const table = requireEnv(process.env, readModelTable.envVar);
    cached = createProjectorHandler({ store: conveneEventStore(process.env, client), readModels: createReadModelStore(client, table) });
  }
  return cached(event);
};
