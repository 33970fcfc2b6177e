/**
 * The suppression list on DynamoDB: addresses no mail may go to any more, because they
 * bounced for good or their owner complained. One item per address in the members table,
 * keyed `suppressed#<SHA-256 of the normalised address>`, so the address is never stored in
 * clear; the item keeps only why and when (and SES's bounce sub-type or feedback type).
 */
import { BatchGetCommand, GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { MEMBER_PK } from '../../../infra/tables.js';
import { normaliseEmail, sha256 } from './member-directory.js';

export type SuppressionReason = 'bounce' | 'complaint';

export interface SuppressionList {
  /** Idempotent: an address already suppressed keeps its first reason and time. */
  suppress(email: string, reason: SuppressionReason, at: Date, detail?: string): Promise<void>;
  isSuppressed(email: string): Promise<boolean>;
  /** The normalised addresses among `emails` that are suppressed (BatchGet, chunks of 100, retries UnprocessedKeys). */
  suppressedAmong(emails: readonly string[]): Promise<Set<string>>;
}

/** BatchGetItem reads at most 100 keys per request. */
const BATCH_GET_LIMIT = 100;
/** Rounds of UnprocessedKeys retries before giving up on a chunk. */
const MAX_BATCH_ATTEMPTS = 8;

export const suppressionKey = (email: string) => `suppressed#${sha256(normaliseEmail(email))}`;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function createSuppressionList(client: DynamoDBDocumentClient, table: string): SuppressionList {
  /** Which of these keys exist, retrying what DynamoDB leaves unprocessed with growing delays. */
  async function existingKeys(keys: readonly string[]): Promise<Set<string>> {
    const found = new Set<string>();
    let pending: Record<string, unknown>[] = keys.map((key) => ({ [MEMBER_PK]: key }));
    for (let attempt = 1; pending.length > 0; attempt++) {
      if (attempt > MAX_BATCH_ATTEMPTS) throw new Error(`suppression list: ${pending.length} keys still unprocessed after ${MAX_BATCH_ATTEMPTS} attempts`);
      if (attempt > 1) await sleep(Math.random() * 50 * 2 ** attempt);
      const { Responses, UnprocessedKeys } = await client.send(
        new BatchGetCommand({
          RequestItems: { [table]: { Keys: pending, ConsistentRead: true, ProjectionExpression: '#pk', ExpressionAttributeNames: { '#pk': MEMBER_PK } } },
        }),
      );
      for (const item of Responses?.[table] ?? []) found.add(String(item[MEMBER_PK]));
      pending = UnprocessedKeys?.[table]?.Keys ?? [];
    }
    return found;
  }

  return {
    async suppress(email, reason, at, detail) {
      try {
        await client.send(
          new PutCommand({
            TableName: table,
            Item: { [MEMBER_PK]: suppressionKey(email), reason, at: at.toISOString(), ...(detail ? { detail } : {}) },
            ConditionExpression: `attribute_not_exists(${MEMBER_PK})`,
          }),
        );
      } catch (error) {
        // Suppressed already: the first reason and time stand.
        if (!(error instanceof Error && error.name === 'ConditionalCheckFailedException')) throw error;
      }
    },

    async isSuppressed(email) {
      const { Item } = await client.send(
        new GetCommand({ TableName: table, Key: { [MEMBER_PK]: suppressionKey(email) }, ConsistentRead: true, ProjectionExpression: '#pk', ExpressionAttributeNames: { '#pk': MEMBER_PK } }),
      );
      return Item !== undefined;
    },

    async suppressedAmong(emails) {
      const byKey = new Map(emails.map((email) => [suppressionKey(email), normaliseEmail(email)] as const));
      const keys = [...byKey.keys()];
      const suppressed = new Set<string>();
      for (let start = 0; start < keys.length; start += BATCH_GET_LIMIT) {
        for (const key of await existingKeys(keys.slice(start, start + BATCH_GET_LIMIT))) suppressed.add(byKey.get(key)!);
      }
      return suppressed;
    },
  };
}
