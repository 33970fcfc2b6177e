/**
 * The intake, locally: a stream poller on the intake table hands its records to the intake
 * Lambda's handler (functions/intake/), as the event source mapping does on AWS. `npm start`,
 * the tests and the benchmarks start it beside the projector's poller.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { Logger } from '@aws-lambda-powertools/logger';
import type { ConveneEvent } from '../../events/registry.js';
import type { EventStore } from '../../functions/adapters/event-store/event-store.js';
import { memberEvents } from '../../functions/adapters/event-store/category-stores.js';
import { createRegistrationIntake } from '../../functions/adapters/intake/registration-intake.js';
import { createMemberDirectory } from '../../functions/adapters/members/member-directory.js';
import { createIntakeHandler } from '../../functions/intake/handler.js';
import { intakeTable, membersTable, type TableNames } from '../../functions/tables.js';
import { startStreamPoller, type DeadLetter, type StreamPoller } from './stream-poller.js';

export interface IntakePollerOptions {
  readonly dynamodb: DynamoDBClient;
  readonly doc: DynamoDBDocumentClient;
  readonly streams: DynamoDBStreamsClient;
  readonly tables: TableNames;
  readonly store: EventStore<ConveneEvent>;
  readonly logger?: Logger;
  readonly intervalMs?: number;
  readonly batchSize?: number;
  readonly onDeadLetter?: (letter: DeadLetter) => void;
}

export function startIntakePoller(options: IntakePollerOptions): Promise<StreamPoller> {
  const { doc, tables } = options;
  const handler = createIntakeHandler(
    {
      store: memberEvents(options.store),
      members: createMemberDirectory(doc, tables[membersTable.id]!),
      intake: createRegistrationIntake(doc, tables[intakeTable.id]!),
    },
    options.logger ?? new Logger({ serviceName: 'intake' }),
  );
  return startStreamPoller({
    dynamodb: options.dynamodb,
    streams: options.streams,
    table: tables[intakeTable.id]!,
    handler,
    ...(options.intervalMs !== undefined ? { intervalMs: options.intervalMs } : {}),
    ...(options.batchSize !== undefined ? { batchSize: options.batchSize } : {}),
    ...(options.onDeadLetter ? { onDeadLetter: options.onDeadLetter } : {}),
  });
}
