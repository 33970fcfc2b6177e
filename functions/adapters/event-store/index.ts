/** The Convene event store, wired from a handler's environment. */
import { eventRegistry, type ConveneEvent } from '../../../events/registry.js';
import { eventTable, idempotencyTable } from '../../../infra/tables.js';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '../dynamodb-client.js';
import { createEventStore, type EventStore } from './event-store.js';

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

function requireEnv(env: Record<string, string | undefined>, name: string): string {
  const value = env[name];
  if (!value) throw new Error(`environment variable ${name} is not set`);
  return value;
}

export * from './errors.js';
export * from './event-store.js';
