/**
 * The publisher Lambda, run every minute by an EventBridge schedule (locally by the clock tick
 * of `npm start`): posts recordings that are due and expires uploads that never arrived.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import type { ScheduledEvent } from 'aws-lambda';
import { readModelTable } from '../tables.js';
import { conveneEventStore } from '../adapters/event-store/index.js';
import { documentClient } from '../adapters/dynamodb-client.js';
import { createReadModelStore } from '../read-models/read-model-store.js';
import { createPublisher, type PublisherDeps, type PublisherReport } from './publish.js';
import { requireEnv } from '../environment.js';

const logger = new Logger({ serviceName: 'publisher' });
let publisher: ReturnType<typeof createPublisher> | undefined;

export function publisherFromEnvironment(env: Record<string, string | undefined>, log?: PublisherDeps['log']) {
  const table = requireEnv(env, readModelTable.envVar);
  const client = documentClient();
  return createPublisher({ store: conveneEventStore(env, client), readModels: createReadModelStore(client, table), ...(log ? { log } : {}) });
}

export const handler = async (_event: ScheduledEvent): Promise<PublisherReport> => {
  publisher ??= publisherFromEnvironment(process.env, (level, message, detail) => logger[level](message, { ...detail }));
  return publisher.tick({ now: new Date() });
};
