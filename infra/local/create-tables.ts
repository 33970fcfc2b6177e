import {
  CreateTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  ResourceNotFoundException,
  UpdateTimeToLiveCommand,
  waitUntilTableExists,
} from '@aws-sdk/client-dynamodb';
import type { DynamoDBClient, KeySchemaElement, TableDescription } from '@aws-sdk/client-dynamodb';
import { tables } from '../tables.js';
import type { TableDefinition, TableNames } from '../tables.js';

/**
 * Creates every table of infra/tables.ts that does not exist yet (existing ones, e.g. from a
 * persisted `npm start` database, are kept) and makes sure TTL is enabled where defined.
 */
export async function createTables(client: DynamoDBClient, names: TableNames): Promise<void> {
  for (const definition of tables) {
    const name = names[definition.id];
    if (!name) throw new Error(`no table name for ${definition.id}`);
    const existing = await describe(client, name);
    if (existing) {
      assertSameKeys(name, definition, existing);
    } else {
      await client.send(new CreateTableCommand(createInput(name, definition)));
      await waitUntilTableExists({ client, minDelay: 1, maxWaitTime: 10 }, { TableName: name });
    }
    if (definition.timeToLiveAttribute) await enableTtl(client, name, definition.timeToLiveAttribute);
  }
}

function keySchema(d: TableDefinition): KeySchemaElement[] {
  return [
    { AttributeName: d.partitionKey.name, KeyType: 'HASH' },
    ...(d.sortKey ? [{ AttributeName: d.sortKey.name, KeyType: 'RANGE' as const }] : []),
  ];
}

function createInput(name: string, d: TableDefinition) {
  const keys = d.sortKey ? [d.partitionKey, d.sortKey] : [d.partitionKey];
  return {
    TableName: name,
    BillingMode: 'PAY_PER_REQUEST' as const,
    AttributeDefinitions: keys.map((k) => ({ AttributeName: k.name, AttributeType: k.type })),
    KeySchema: keySchema(d),
    ...(d.stream ? { StreamSpecification: { StreamEnabled: true, StreamViewType: d.stream } } : {}),
  };
}

async function describe(client: DynamoDBClient, name: string): Promise<TableDescription | undefined> {
  try {
    return (await client.send(new DescribeTableCommand({ TableName: name }))).Table;
  } catch (err) {
    if (err instanceof ResourceNotFoundException) return undefined;
    throw err;
  }
}

function assertSameKeys(name: string, d: TableDefinition, table: TableDescription): void {
  const want = JSON.stringify(keySchema(d));
  const have = JSON.stringify(table.KeySchema?.map((k) => ({ AttributeName: k.AttributeName, KeyType: k.KeyType })));
  if (want !== have) {
    throw new Error(`existing table ${name} has key schema ${have}, expected ${want}; delete the local data`);
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
