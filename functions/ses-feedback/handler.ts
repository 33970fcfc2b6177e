/**
 * The SES feedback Lambda, subscribed to the SNS topic the mail configuration set publishes
 * bounces and complaints to (infra/stack/ses-feedback.ts). Each record's message is one SES
 * notification, handled by feedback.ts. It throws only when a store fails; Lambda then
 * retries the invocation, which changes nothing more for what was already done.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { SNSEvent } from 'aws-lambda';
import { membersTable } from '../tables.js';
import { documentClient } from '../adapters/dynamodb-client.js';
import { conveneEventStore } from '../adapters/event-store/index.js';
import { createMemberDirectory } from '../adapters/members/member-directory.js';
import { createSuppressionList } from '../adapters/members/suppression-list.js';
import { handleSesNotification, type FeedbackDeps, type FeedbackLogger } from './feedback.js';
import { requireEnv } from '../environment.js';

export function createSesFeedbackHandler(deps: FeedbackDeps) {
  return async (event: SNSEvent): Promise<void> => {
    for (const record of event.Records) await handleSesNotification(deps, record.Sns.Message, record.Sns.MessageId);
  };
}

/** The handler's dependencies from its environment: the members, event and idempotency table names. */
export function sesFeedbackFromEnvironment(
  env: Record<string, string | undefined>,
  client: DynamoDBDocumentClient = documentClient(),
  logger: FeedbackLogger = new Logger({ serviceName: 'ses-feedback' }),
): FeedbackDeps {
  const members = requireEnv(env, membersTable.envVar);
  return {
    suppressions: createSuppressionList(client, members),
    members: createMemberDirectory(client, members),
    store: conveneEventStore(env, client),
    logger,
    now: () => new Date(),
  };
}

let cached: ReturnType<typeof createSesFeedbackHandler> | undefined;

export const handler = (event: SNSEvent) => {
  cached ??= createSesFeedbackHandler(sesFeedbackFromEnvironment(process.env));
  return cached(event);
};
