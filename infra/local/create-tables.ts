import {
  CreateTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  ResourceNotFoundException,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
  waitUntilTableExists,
} from '@aws-sdk/client-dynamodb';
import type {
  AttributeDefinition,
  CreateTableCommandInput,
  DynamoDBClient,
  GlobalSecondaryIndex,
  KeySchemaElement,
  TableDescription,
} from '@aws-sdk/client-dynamodb';
import { tables } from '../../functions/tables.js';
import type { IndexDefinition, KeyDefinition, TableDefinition, TableNames } from '../../functions/tables.js';

/** How long to wait for a global secondary index added to an existing table to become ACTIVE. */
const INDEX_WAIT_MS = 30_000;

/**
 * Creates every table of functions/tables.ts that does not exist yet, with its global secondary
 * indexes. Existing tables (e.g. from a persisted `npm start` database) are kept: an index
 * they lack is added with UpdateTable and awaited until ACTIVE. TTL is enabled where defined.
 *
 * `withoutStreams`: tables (by definition id) created without their stream, for a benchmark that
 * runs no consumer of it. DynamoDB Local works out a table's stream description on every request
 * to that table, on its one SQLite thread, at a cost that grows with the stream: a rebuild of
 * 100,000 events into a read-model table with its stream on never finished here (its writes were
 * refused "waiting for a lock"). DynamoDB's streams cost a write nothing of the kind.
 */
/** Every table with a stream (by definition id): `withoutStreams` for a benchmark that consumes none. */
export const STREAMED_TABLE_IDS: readonly string[] = tables.filter((t) => t.stream).map((t) => t.id);

export async function createTables(client: DynamoDBClient, names: TableNames, options: { readonly withoutStreams?: readonly string[] } = {}): Promise<void> {
  for (const full of tables) {
    const definition: TableDefinition = options.withoutStreams?.includes(full.id) ? { ...full, stream: undefined } : full;
    const name = names[definition.id];
    if (!name) throw new Error(`no table name for ${definition.id}`);
    const existing = await describe(client, name);
    if (existing) {
      assertSameKeys(name, definition, existing);
      await addMissingIndexes(client, name, definition, existing);
      await enableMissingStream(client, name, definition, existing);
    } else {
      await client.send(new CreateTableCommand(createInput(name, definition)));
      await waitUntilTableExists({ client, minDelay: 1, maxWaitTime: 10 }, { TableName: name });
    }
    if (definition.timeToLiveAttribute) await enableTtl(client, name, definition.timeToLiveAttribute);
  }
}

function keySchema(key: { partitionKey: KeyDefinition; sortKey?: KeyDefinition }): KeySchemaElement[] {
  return [
    { AttributeName: key.partitionKey.name, KeyType: 'HASH' },
    ...(key.sortKey ? [{ AttributeName: key.sortKey.name, KeyType: 'RANGE' as const }] : []),
  ];
}

function keys(key: { partitionKey: KeyDefinition; sortKey?: KeyDefinition }): KeyDefinition[] {
  return key.sortKey ? [key.partitionKey, key.sortKey] : [key.partitionKey];
}

/** Every key attribute of the given key schemas, once each; a name typed twice differently is refused. */
function attributeDefinitions(...schemas: { partitionKey: KeyDefinition; sortKey?: KeyDefinition }[]): AttributeDefinition[] {
  const types = new Map<string, KeyDefinition['type']>();
  for (const key of schemas.flatMap(keys)) {
    const known = types.get(key.name);
    if (known && known !== key.type) throw new Error(`attribute ${key.name} is keyed as both ${known} and ${key.type}`);
    types.set(key.name, key.type);
  }
  return [...types].map(([AttributeName, AttributeType]) => ({ AttributeName, AttributeType }));
}

function globalSecondaryIndex(index: IndexDefinition): GlobalSecondaryIndex {
  return { IndexName: index.name, KeySchema: keySchema(index), Projection: { ProjectionType: index.projection } };
}

/** The CreateTable input for a definition: on demand, with its stream and indexes. */
export function createInput(name: string, d: TableDefinition): CreateTableCommandInput {
  const indexes = d.indexes ?? [];
  return {
    TableName: name,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: attributeDefinitions(d, ...indexes),
    KeySchema: keySchema(d),
    ...(indexes.length ? { GlobalSecondaryIndexes: indexes.map(globalSecondaryIndex) } : {}),
    ...(d.stream ? { StreamSpecification: { StreamEnabled: true, StreamViewType: d.stream } } : {}),
  };
}

/** Turns on the stream a table made before it was declared lacks (persisted `npm start` data). */
async function enableMissingStream(client: DynamoDBClient, name: string, d: TableDefinition, table: TableDescription): Promise<void> {
  if (!d.stream || table.StreamSpecification?.StreamEnabled) return;
  await client.send(new UpdateTableCommand({ TableName: name, StreamSpecification: { StreamEnabled: true, StreamViewType: d.stream } }));
}

async function describe(client: DynamoDBClient, name: string): Promise<TableDescription | undefined> {
  try {
    return (await client.send(new DescribeTableCommand({ TableName: name }))).Table;
  } catch (err) {
    if (err instanceof ResourceNotFoundException) return undefined;
    throw err;
  }
}

function sameKeySchema(want: KeySchemaElement[], have: KeySchemaElement[] | undefined): boolean {
  const plain = (k: KeySchemaElement[] | undefined) => JSON.stringify(k?.map((e) => ({ AttributeName: e.AttributeName, KeyType: e.KeyType })));
  return plain(want) === plain(have);
}

function assertSameKeys(name: string, d: TableDefinition, table: TableDescription): void {
  const want = keySchema(d);
  if (!sameKeySchema(want, table.KeySchema)) {
    throw new Error(
      `existing table ${name} has key schema ${JSON.stringify(table.KeySchema)}, expected ${JSON.stringify(want)}; delete the local data`,
    );
  }
}

/**
 * Adds the indexes a table made before they were declared lacks, one UpdateTable each (DynamoDB
 * creates one index per call), waiting for each to become ACTIVE. An index of the same name
 * with other keys or projection is refused, as a table with other keys is.
 */
async function addMissingIndexes(client: DynamoDBClient, name: string, d: TableDefinition, table: TableDescription): Promise<void> {
  for (const index of d.indexes ?? []) {
    const have = table.GlobalSecondaryIndexes?.find((i) => i.IndexName === index.name);
    if (have) {
      const sameProjection = have.Projection?.ProjectionType === index.projection;
      if (!sameKeySchema(keySchema(index), have.KeySchema) || !sameProjection) {
        throw new Error(
          `existing index ${index.name} of table ${name} has key schema ${JSON.stringify(have.KeySchema)} and projection ` +
            `${have.Projection?.ProjectionType}, expected ${JSON.stringify(keySchema(index))} and ${index.projection}; delete the local data`,
        );
      }
      if (have.IndexStatus !== 'ACTIVE') table = await waitForIndex(client, name, index.name);
      continue;
    }
    await client.send(
      new UpdateTableCommand({
        TableName: name,
        // Only the new index's key attributes are needed; those shared with the table repeat its types.
        AttributeDefinitions: attributeDefinitions(index),
        GlobalSecondaryIndexUpdates: [{ Create: globalSecondaryIndex(index) }],
      }),
    );
    table = await waitForIndex(client, name, index.name);
  }
}

async function waitForIndex(client: DynamoDBClient, name: string, indexName: string): Promise<TableDescription> {
  const deadline = Date.now() + INDEX_WAIT_MS;
  for (let delay = 50; ; delay = Math.min(delay * 2, 1_000)) {
    const table = await describe(client, name);
    const index = table?.GlobalSecondaryIndexes?.find((i) => i.IndexName === indexName);
    if (table && table.TableStatus === 'ACTIVE' && index?.IndexStatus === 'ACTIVE') return table;
    if (Date.now() > deadline) {
      throw new Error(`index ${indexName} of table ${name} not ACTIVE after ${INDEX_WAIT_MS} ms (status ${index?.IndexStatus})`);
    }
    await new Promise((resolve) => setTimeout(resolve, delay));
  }
}

async function enableTtl(client: DynamoDBClient, name: string, attribute: string): Promise<void> {
  const current = await client.send(new DescribeTimeToLiveCommand({ TableName: name }));
  const status = current.TimeToLiveDescription?.TimeToLiveStatus;
  if (status === 'ENABLED' || status === 'ENABLING') return;
  await client.send(
    new UpdateTimeToLiveCommand({
      TableName: name,
      TimeToLiveSpecification: { Enabled: true, AttributeName: attribute },
    }),
  );
}
