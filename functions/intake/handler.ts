/**
 * The intake Lambda, fed by the intake table's DynamoDB Stream (locally by the stream poller,
 * with the same records): each new request is taken (./take-request.ts). A record that fails
 * (DynamoDB busy, a conflict that did not settle) is reported alone and retried by the event
 * source, then set aside (the intake's dead-letter queue; locally the poller's list). An item
 * that cannot be read is set aside at once with a log line naming the item, never the address.
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { Logger } from '@aws-lambda-powertools/logger';
import * as z from 'zod';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { conveneEventStore } from '../adapters/event-store/index.js';
import { memberEvents } from '../adapters/event-store/category-stores.js';
import { documentClient } from '../adapters/dynamodb-client.js';
import { createRegistrationIntake, UnreadableRequestError } from '../adapters/intake/registration-intake.js';
import { createMemberDirectory } from '../adapters/members/member-directory.js';
import { INTAKE_PK, intakeTable, membersTable } from '../tables.js';
import { requireEnv } from '../environment.js';
import { takeRegistrationRequest, type IntakeDeps } from './take-request.js';

const Keys = z.object({ [INTAKE_PK]: z.object({ S: z.string().min(1) }) });

export function createIntakeHandler(deps: IntakeDeps, logger = new Logger({ serviceName: 'intake' })) {
  const processor = new BatchProcessor(EventType.DynamoDBStreams);
  const recordHandler = async (record: DynamoDBRecord) => {
    // Deletes (a request taken, an item expired) are not work.
    if (record.eventName !== 'INSERT') return;
    const key = Keys.parse(record.dynamodb?.Keys)[INTAKE_PK].S;
    let request;
    try {
      // Gone: taken already (this is a redelivery).
      request = await deps.intake.read(key);
      if (!request) return;
    } catch (error) {
      if (!(error instanceof UnreadableRequestError)) throw error;
      logger.error('a registration request cannot be read: set aside, not retried', { item: error.key, reason: error.reason, sequenceNumber: record.dynamodb?.SequenceNumber });
      return;
    }
    const outcome = await takeRegistrationRequest(deps, request);
    logger.debug('registration request taken', { requestId: request.requestId, seriesId: request.seriesId, outcome });
  };
  return (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => processPartialResponse(event, recordHandler, processor);
}

let cached: ReturnType<typeof createIntakeHandler> | undefined;

export const handler = (event: DynamoDBStreamEvent) => {
  if (!cached) {
    const client = documentClient();
    cached = createIntakeHandler({
      store: memberEvents(conveneEventStore(process.env, client)),
      members: createMemberDirectory(client, requireEnv(process.env, membersTable.envVar)),
      intake: createRegistrationIntake(client, requireEnv(process.env, intakeTable.envVar)),
    });
  }
  return cached(event);
};
