/**
 * The batch loops every DynamoDB adapter needs: a Query followed through all its pages, a
 * BatchGet over any number of keys (100 per request) and a BatchWrite of any number of puts or
 * deletes (25 per request), what DynamoDB leaves unprocessed retried with growing delays. One
 * place, so paging and retry behave the same in every adapter.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import {
  BatchGetCommand,
  BatchWriteCommand,
  QueryCommand,
  type BatchGetCommandOutput,
  type BatchWriteCommandInput,
  type DynamoDBDocumentClient,
  type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { mapLimited } from '../map-limited.js';

/** BatchGetItem reads at most 100 keys per request. */
const BATCH_GET_LIMIT = 100;
/** BatchWriteItem takes at most 25 puts or deletes per request. */
const BATCH_WRITE_LIMIT = 25;
/** Rounds of UnprocessedKeys retries before giving up on a chunk. */
const MAX_BATCH_ATTEMPTS = 8;


/** Every item a Query returns, across all its pages. */
export async function queryAll(client: DynamoDBDocumentClient, input: Omit<QueryCommandInput, 'ExclusiveStartKey'>): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await client.send(new QueryCommand({ ...input, ExclusiveStartKey }));
    items.push(...(page.Items ?? []));
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return items;
}

/** The items of these keys that exist (strongly consistent), in no particular order. */
export async function batchGetAll(
  client: DynamoDBDocumentClient,
  table: string,
  keys: readonly Record<string, unknown>[],
  projection?: { readonly expression: string; readonly names: Record<string, string> },
): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  for (let start = 0; start < keys.length; start += BATCH_GET_LIMIT) {
    let pending: Record<string, unknown>[] = keys.slice(start, start + BATCH_GET_LIMIT);
    for (let attempt = 1; pending.length > 0; attempt++) {
      if (attempt > MAX_BATCH_ATTEMPTS) throw new Error(`${table}: ${pending.length} keys still unprocessed after ${MAX_BATCH_ATTEMPTS} attempts`);
      if (attempt > 1) await sleep(Math.random() * 50 * 2 ** attempt);
      const page: BatchGetCommandOutput = await client.send(
        new BatchGetCommand({
          RequestItems: {
            [table]: {
              Keys: pending,
              ConsistentRead: true,
              ...(projection ? { ProjectionExpression: projection.expression, ExpressionAttributeNames: projection.names } : {}),
            },
          },
        }),
      );
      items.push(...(page.Responses?.[table] ?? []));
      pending = page.UnprocessedKeys?.[table]?.Keys ?? [];
    }
  }
  return items;
}

export type WriteRequest = NonNullable<BatchWriteCommandInput['RequestItems']>[string][number];

/** Every put or delete applied (unconditionally), 25 a request, `concurrency` requests in flight. */
export async function batchWriteAll(client: DynamoDBDocumentClient, table: string, requests: readonly WriteRequest[], concurrency = 1): Promise<void> {
  const chunks = Array.from({ length: Math.ceil(requests.length / BATCH_WRITE_LIMIT) }, (_, i) => requests.slice(i * BATCH_WRITE_LIMIT, (i + 1) * BATCH_WRITE_LIMIT));
  await mapLimited(chunks, concurrency, async (chunk) => {
    let pending: WriteRequest[] = chunk;
    for (let attempt = 1; pending.length > 0; attempt++) {
      if (attempt > MAX_BATCH_ATTEMPTS) throw new Error(`${table}: ${pending.length} writes still unprocessed after ${MAX_BATCH_ATTEMPTS} attempts`);
      if (attempt > 1) await sleep(Math.random() * 50 * 2 ** attempt);
      const { UnprocessedItems } = await client.send(new BatchWriteCommand({ RequestItems: { [table]: pending } }));
      pending = UnprocessedItems?.[table] ?? [];
    }
  });
}
