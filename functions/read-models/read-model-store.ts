/**
 * Read models on DynamoDB: one item per document, stamped with the version of the stream it
 * was folded from. A write lands only if it is newer than what is there, so redelivered,
 * reordered or concurrent projections of the same stream can never move a document back.
 */
import { DeleteCommand, GetCommand, PutCommand, ScanCommand, TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { READ_MODEL_PK, READ_MODEL_SK } from '../tables.js';
import { batchWriteAll, queryAll } from '../adapters/dynamodb-pages.js';
import { isAwsError } from '../adapters/aws-errors.js';

export interface ReadModelKey {
  readonly pk: string;
  readonly sk: string;
}

export interface StoredDocument<T> {
  readonly version: number;
  readonly doc: T;
}

/** One document to write at a version (see putIfNewer). */
export interface ReadModelWrite {
  readonly key: ReadModelKey;
  readonly version: number;
  readonly doc: unknown;
}

/** A DynamoDB transaction holds at most 100 items and 4 MB; a little is kept for the request around them. */
export const MAX_WRITES_PER_TRANSACTION = 100;
const MAX_TRANSACTION_BYTES = 3.5 * 1024 * 1024;

export type PutOutcome = 'written' | 'already-newer';

/** What readers get (functions/read-models/queries.ts): documents by key, never a write. */
export interface ReadModelReader {
  get<T>(key: ReadModelKey): Promise<StoredDocument<T> | undefined>;
  /** Every document under one partition key (a roster), in sort-key order. */
  query<T>(pk: string): Promise<StoredDocument<T>[]>;
}

export interface ReadModelStore extends ReadModelReader {
  /** Writes `doc` at `version` unless the stored one is at that version or newer; says which. */
  putIfNewer(key: ReadModelKey, version: number, doc: unknown): Promise<PutOutcome>;
  /**
   * putIfNewer for many documents (distinct keys) in few round trips: TransactWriteItems of up
   * to 100 conditional puts, one after the other, so no write lands before one listed earlier.
   * A transaction refused because a document is already newer (or another writer holds one) is
   * redone put by put, in order. Says what happened to each, in the order given.
   */
  putAllIfNewer(writes: readonly ReadModelWrite[]): Promise<PutOutcome[]>;
  /** Deletes the document if it is still at `version` (a work item taken); says whether it did. */
  deleteAtVersion(key: ReadModelKey, version: number): Promise<boolean>;
  /** Every document, for comparisons and rebuilds (local and tests; a Scan). */
  all(): Promise<Map<string, StoredDocument<unknown>>>;
  /** Deletes every document (a rebuild starts from nothing). */
  clear(): Promise<number>;
}

export const keyString = (key: ReadModelKey) => `${key.pk}|${key.sk}`;

/** How often a single write is sent when DynamoDB answers InternalServerError (see sendAgainOnLockTimeout). */
export const LOCK_TIMEOUT_ATTEMPTS = 6;

/**
 * Sends a single write again, a bounded number of times after a growing pause, while DynamoDB
 * answers InternalServerError. DynamoDB Local answers so when it gave up waiting for its own lock
 * under load ("This request will succeed in actual DynamoDB"): during a rebuild, many at once,
 * and the SDK stops retrying them once its retry quota is spent (seen in bench:registrations).
 * On AWS an InternalServerError is rare and as safe to send again: the write is conditional on
 * the version, so sending it twice writes it once.
 */
async function sendAgainOnLockTimeout<T>(send: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await send();
    } catch (error) {
      if (!isAwsError(error, 'InternalServerError') || attempt >= LOCK_TIMEOUT_ATTEMPTS) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.min(1000, 25 * 2 ** attempt) * (0.5 + Math.random() / 2)));
    }
  }
}

export function createReadModelStore(client: DynamoDBDocumentClient, table: string): ReadModelStore {
  const newerPut = ({ key, version, doc }: ReadModelWrite) => ({
    TableName: table,
    Item: { [READ_MODEL_PK]: key.pk, [READ_MODEL_SK]: key.sk, version, doc },
    ConditionExpression: 'attribute_not_exists(#pk) OR #v < :v',
    ExpressionAttributeNames: { '#pk': READ_MODEL_PK, '#v': 'version' },
    ExpressionAttributeValues: { ':v': version },
  });

  const store: ReadModelStore = {
    async get<T>(key: ReadModelKey) {
      const { Item } = await client.send(
        new GetCommand({ TableName: table, Key: { [READ_MODEL_PK]: key.pk, [READ_MODEL_SK]: key.sk }, ConsistentRead: true }),
      );
      return Item ? { version: Number(Item.version), doc: Item.doc as T } : undefined;
    },

    async putIfNewer(key, version, doc) {
      try {
        await sendAgainOnLockTimeout(() => client.send(new PutCommand(newerPut({ key, version, doc }))));
        return 'written';
      } catch (error) {
        if (isAwsError(error, 'ConditionalCheckFailedException')) return 'already-newer';
        throw error;
      }
    },

    async putAllIfNewer(writes) {
      const outcomes: PutOutcome[] = [];
      for (const chunk of transactionChunks(writes)) {
        if (chunk.length === 1) {
          outcomes.push(await store.putIfNewer(chunk[0]!.key, chunk[0]!.version, chunk[0]!.doc));
          continue;
        }
        try {
          await client.send(new TransactWriteCommand({ TransactItems: chunk.map((w) => ({ Put: newerPut(w) })) }));
          outcomes.push(...chunk.map(() => 'written' as const));
        } catch (error) {
          // A condition failed (a newer document), or the transaction could not run at all
          // (DynamoDB Local gives up waiting for its lock under load, "This request will succeed
          // in actual DynamoDB", after the SDK's retries): the same writes one by one, each with
          // its condition. A transaction writes all or nothing, so none is written twice over.
          if (!isAwsError(error, 'TransactionCanceledException', 'InternalServerError')) throw error;
          for (const w of chunk) outcomes.push(await store.putIfNewer(w.key, w.version, w.doc));
        }
      }
      return outcomes;
    },

    async deleteAtVersion(key, version) {
      try {
        await client.send(
          new DeleteCommand({
            TableName: table,
            Key: { [READ_MODEL_PK]: key.pk, [READ_MODEL_SK]: key.sk },
            ConditionExpression: '#v = :v',
            ExpressionAttributeNames: { '#v': 'version' },
            ExpressionAttributeValues: { ':v': version },
          }),
        );
        return true;
      } catch (error) {
        if (isAwsError(error, 'ConditionalCheckFailedException')) return false;
        throw error;
      }
    },

    async query<T>(pk: string) {
      const items = await queryAll(client, {
        TableName: table,
        KeyConditionExpression: '#pk = :pk',
        ExpressionAttributeNames: { '#pk': READ_MODEL_PK },
        ExpressionAttributeValues: { ':pk': pk },
        ConsistentRead: true,
      });
      return items.map((item) => ({ version: Number(item.version), doc: item.doc as T }));
    },

    async all() {
      const out = new Map<string, StoredDocument<unknown>>();
      let ExclusiveStartKey: Record<string, unknown> | undefined;
      do {
        const page = await client.send(new ScanCommand({ TableName: table, ConsistentRead: true, ExclusiveStartKey }));
        for (const item of page.Items ?? []) {
          out.set(keyString({ pk: String(item[READ_MODEL_PK]), sk: String(item[READ_MODEL_SK]) }), { version: Number(item.version), doc: item.doc });
        }
        ExclusiveStartKey = page.LastEvaluatedKey;
      } while (ExclusiveStartKey);
      return out;
    },

    async clear() {
      let deleted = 0;
      let ExclusiveStartKey: Record<string, unknown> | undefined;
      do {
        const page = await client.send(
          new ScanCommand({ TableName: table, ProjectionExpression: '#pk, #sk', ExpressionAttributeNames: { '#pk': READ_MODEL_PK, '#sk': READ_MODEL_SK }, ExclusiveStartKey }),
        );
        const keys = page.Items ?? [];
        await batchWriteAll(client, table, keys.map((Key) => ({ DeleteRequest: { Key } })));
        deleted += keys.length;
        ExclusiveStartKey = page.LastEvaluatedKey;
      } while (ExclusiveStartKey);
      return deleted;
    },
  };
  return store;
}

/** Consecutive runs of writes that fit one transaction (count, and size estimated as JSON). */
function transactionChunks(writes: readonly ReadModelWrite[]): ReadModelWrite[][] {
  const chunks: ReadModelWrite[][] = [];
  let current: ReadModelWrite[] = [];
  let bytes = 0;
  for (const write of writes) {
    const size = JSON.stringify(write.doc)?.length ?? 0;
    if (current.length === MAX_WRITES_PER_TRANSACTION || (current.length > 0 && bytes + size > MAX_TRANSACTION_BYTES)) {
      chunks.push(current);
      current = [];
      bytes = 0;
    }
    current.push(write);
    bytes += size + 200;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}
