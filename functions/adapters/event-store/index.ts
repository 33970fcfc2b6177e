/** The Convene event store, wired from a handler's environment. */
import { eventRegistry, type ConveneEvent } from '../../../events/registry.js';
import { eventTable, idempotencyTable } from '../../tables.js';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '../dynamodb-client.js';
import { createEventStore, type EventStore } from './event-store.js';
import { requireEnv } from '../../environment.js';

export function conveneEventStore(
  env: Record<string, string | undefined> = process.env,
  client: DynamoDBDocumentClient = documentClient(),
): EventStore<ConveneEvent> {
  return createEventStore({
    client,
    tables: { events: requireEnv(env, eventTable.envVar), idempotency: requireEnv(env, idempotencyTable.envVar) },
    registry: eventRegistry,
  });
}

export * from './errors.js';
export * from './event-store.js';
export * from './items.js';
export * from './category-stores.js';
export type { ScannedEvent, ScanPage, StreamPosition } from './scan.js';
