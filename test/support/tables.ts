/**
 * Tables of a test's own in the run's DynamoDB Local: created all at once (one CreateTable per
 * table of functions/tables.ts, in parallel, with TTL where defined, as createTables makes them)
 * and deleted when the test is done, so that many runs in one DynamoDB Local do not pile up.
 */
import { CreateTableCommand, DeleteTableCommand, ResourceNotFoundException, UpdateTimeToLiveCommand, waitUntilTableExists } from '@aws-sdk/client-dynamodb';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createInput } from '../../infra/local/create-tables.js';
import { localTableNames, tables, type TableNames } from '../../functions/tables.js';

/** Fresh names (a random prefix) and the tables under them. */
export async function createTestTables(client: DynamoDBClient, prefix: string): Promise<TableNames> {
  const names = localTableNames(`${prefix}-${crypto.randomUUID().slice(0, 8)}`);
  const made = await Promise.allSettled(
    tables.map(async (definition) => {
      const name = names[definition.id]!;
      await client.send(new CreateTableCommand(createInput(name, definition)));
      await waitUntilTableExists({ client, minDelay: 1, maxWaitTime: 10 }, { TableName: name });
      if (definition.timeToLiveAttribute) {
        await client.send(new UpdateTimeToLiveCommand({ TableName: name, TimeToLiveSpecification: { Enabled: true, AttributeName: definition.timeToLiveAttribute } }));
      }
    }),
  );
  const failed = made.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) {
    await deleteTestTables(client, names);
    throw failed.reason;
  }
  return names;
}

/** Deletes every table under these names; one that is not there (never made) is no error. */
export async function deleteTestTables(client: DynamoDBClient, names: TableNames): Promise<void> {
  await Promise.all(
    Object.values(names).map((TableName) =>
      client.send(new DeleteTableCommand({ TableName })).catch((error: unknown) => {
        if (!(error instanceof ResourceNotFoundException)) throw error;
      }),
    ),
  );
}
