/**
 * Read models on DynamoDB: one item per document, stamped with the version of the stream it
 * was folded from. A write lands only if it is newer than what is there, so redelivered,
 * reordered or concurrent projections of the same stream can never move a document back.
 */
import { DeleteCommand, GetCommand, PutCommand, ScanCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { READ_MODEL_PK, READ_MODEL_SK } from '../../../infra/tables.js';
import { queryAll } from '../dynamodb-pages.js';

export interface ReadModelKey {
  readonly pk: string;
  readonly sk: string;
}

export interface StoredDocument<T> {
  readonly version: number;
  readonly doc: T;
}

export interface ReadModelStore {
  get<T>(key: ReadModelKey): Promise<StoredDocument<T> | undefined>;
  /** Writes `doc` at `version` unless the stored one is at that version or newer; says which. */
  putIfNewer(key: ReadModelKey, version: number, doc: unknown): Promise<'written' | 'already-newer'>;
  /** Deletes the document if it is still at `version` (a work item taken); says whether it did. */
  deleteAtVersion(key: ReadModelKey, version: number): Promise<boolean>;
  /** Every document under one partition key (a roster), in sort-key order. */
  query<T>(pk: string): Promise<StoredDocument<T>[]>;
  /** Every document, for comparisons and rebuilds (local and tests; a Scan). */
  all(): Promise<Map<string, StoredDocument<unknown>>>;
  /** Deletes every document (a rebuild starts from nothing). */
  clear(): Promise<number>;
}

export const keyString = (key: ReadModelKey) => `${key.pk}|${key.sk}`;

export function createReadModelStore(client: DynamoDBDocumentClient, table: string): ReadModelStore {
  return {
    async get<T>(key: ReadModelKey) {
      const { Item } = await client.send(
        new GetCommand({ TableName: table, Key: { [READ_MODEL_PK]: key.pk, [READ_MODEL_SK]: key.sk }, ConsistentRead: true }),
      );
      return Item ? { version: Number(Item.version), doc: Item.doc as T } : undefined;
    },

    async putIfNewer(key, version, doc) {
      try {
        await client.send(
          new PutCommand({
            TableName: table,
            Item: { [READ_MODEL_PK]: key.pk, [READ_MODEL_SK]: key.sk, version, doc },
            ConditionExpression: 'attribute_not_exists(#pk) OR #v < :v',
            ExpressionAttributeNames: { '#pk': READ_MODEL_PK, '#v': 'version' },
            ExpressionAttributeValues: { ':v': version },
          }),
        );
        return 'written';
      } catch (error) {
        if (error instanceof Error && error.name === 'ConditionalCheckFailedException') return 'already-newer';
        throw error;
      }
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
        if (error instanceof Error && error.name === 'ConditionalCheckFailedException') return false;
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
        for (const item of page.Items ?? []) {
          await client.send(new DeleteCommand({ TableName: table, Key: { [READ_MODEL_PK]: item[READ_MODEL_PK], [READ_MODEL_SK]: item[READ_MODEL_SK] } }));
          deleted++;
        }
        ExclusiveStartKey = page.LastEvaluatedKey;
      } while (ExclusiveStartKey);
      return deleted;
    },
  };
}
