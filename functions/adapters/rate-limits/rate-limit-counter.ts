/**
 * Fixed-window request counters per client on DynamoDB, shared by every instance of the API
 * (functions/api/rate-limit.ts decides what to count and what to answer). One item per client
 * and window in the idempotency table, which has a TTL (functions/tables.ts): keyed
 * `rate-limit#<window seconds>#<window start>#<SHA-256 of the client key>`, so no address is
 * stored in clear and a stale item (TTL deletes lazily, up to days late) never counts for a
 * later window; it holds the count and its expiry (the window's end). Idempotency keys are
 * `<actor id>:<key>` or `ses-feedback:...` (functions/api/series-command.ts,
 * functions/ses-feedback/), so none starts with `rate-limit#`.
 *
 * A request is counted by one UpdateItem: ADD 1, on condition that the count is below the
 * limit. Atomic, so any number of instances at once count each request once and never let
 * more than the limit through; at the limit the condition fails and nothing more is written.
 */
import { createHash } from 'node:crypto';
import { UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { IDEMPOTENCY_EXPIRES_AT, IDEMPOTENCY_KEY } from '../../tables.js';
import { isAwsError } from '../aws-errors.js';

export interface CountRequest {
  /** Who is counted: functions/api/rate-limit.ts's client key (an address or an IPv6 /64). */
  readonly client: string;
  readonly windowSeconds: number;
  /** Epoch seconds, a multiple of `windowSeconds`. */
  readonly windowStart: number;
  /** Requests allowed in the window. */
  readonly limit: number;
  /** Abandons the request (the caller's deadline). */
  readonly signal?: AbortSignal;
}

export interface RateLimitCounter {
  /** Counts the request and says true, or says false (and counts nothing) if `limit` were counted already. */
  take(request: CountRequest): Promise<boolean>;
}

/** The item key of a client's window (exported for tests that look at the table). */
export function rateLimitKey(client: string, windowSeconds: number, windowStart: number): string {
  const hashed = createHash('sha256').update(client, 'utf8').digest('base64url');
  return `rate-limit#${windowSeconds}#${windowStart}#${hashed}`;
}

export function createRateLimitCounter(client: DynamoDBDocumentClient, table: string): RateLimitCounter {
  return {
    async take({ client: who, windowSeconds, windowStart, limit, signal }) {
      try {
        await client.send(
          new UpdateCommand({
            TableName: table,
            Key: { [IDEMPOTENCY_KEY]: rateLimitKey(who, windowSeconds, windowStart) },
            UpdateExpression: 'ADD #requests :one SET #expiresAt = :expiresAt',
            ConditionExpression: 'attribute_not_exists(#requests) OR #requests < :limit',
            ExpressionAttributeNames: { '#requests': 'requests', '#expiresAt': IDEMPOTENCY_EXPIRES_AT },
            ExpressionAttributeValues: { ':one': 1, ':limit': limit, ':expiresAt': windowStart + windowSeconds },
          }),
          signal ? { abortSignal: signal } : {},
        );
        return true;
      } catch (error) {
        if (isAwsError(error, 'ConditionalCheckFailedException')) return false;
        throw error;
      }
    },
  };
}
