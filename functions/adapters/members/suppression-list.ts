/**
 * The suppression list on DynamoDB: addresses no mail may go to any more, because they
 * bounced for good or their owner complained. One item per address in the members table,
 * keyed `suppressed#<SHA-256 of the normalised address>`, so the address is never stored in
 * clear; the item keeps only why and when (and SES's bounce sub-type or feedback type).
 */
import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { MEMBER_PK } from '../../tables.js';
import { normaliseEmail, sha256 } from './member-directory.js';
import { batchGetAll } from '../dynamodb-pages.js';
import { isAwsError } from '../aws-errors.js';

export type SuppressionReason = 'bounce' | 'complaint';

export interface SuppressionList {
  /** Idempotent: an address already suppressed keeps its first reason and time. */
  suppress(email: string, reason: SuppressionReason, at: Date, detail?: string): Promise<void>;
  isSuppressed(email: string): Promise<boolean>;
  /** The normalised addresses among `emails` that are suppressed (one BatchGet per 100 addresses). */
  suppressedAmong(emails: readonly string[]): Promise<Set<string>>;
}

export const suppressionKey = (email: string) => `suppressed#${sha256(normaliseEmail(email))}`;

export function createSuppressionList(client: DynamoDBDocumentClient, table: string): SuppressionList {
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
        if (!isAwsError(error, 'ConditionalCheckFailedException')) throw error;
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
      const keys = [...byKey.keys()].map((key) => ({ [MEMBER_PK]: key }));
      const found = await batchGetAll(client, table, keys, { expression: '#pk', names: { '#pk': MEMBER_PK } });
      return new Set(found.map((item) => byKey.get(String(item[MEMBER_PK]))!));
    },
  };
}
