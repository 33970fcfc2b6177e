import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import {
  CreateTableCommand,
  DynamoDBClient,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  waitUntilTableExists,
} from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { SendEmailCommand } from '@aws-sdk/client-ses';
import { describe, expect, it } from 'vitest';
import { LOCAL_CREDENTIALS, localClients } from '../../infra/local/clients.js';
import { startDynamoDbLocal } from '../../infra/local/dynamodb-local.js';
import { createInput, createTables } from '../../infra/local/create-tables.js';
import { freePort, isPortFree } from '../../infra/local/free-port.js';
import { localAwsEnvironment, startLocalStack } from '../../infra/local/stack.js';
import {
  EVENT_STREAM_ID,
  EVENT_VERSION,
  STREAM_CATEGORY,
  STREAMS_BY_CATEGORY_INDEX,
  eventTable,
  idempotencyTable,
  localTableNames,
  tables,
} from '../../functions/tables.js';
import type { KeyDefinition, TableDefinition } from '../../functions/tables.js';
import { clients, localStackInfo } from '../support/local.js';

function keyAttributes(d: TableDefinition) {
  const byName = new Map<string, KeyDefinition>();
  const schemas = [d, ...(d.indexes ?? [])];
  for (const k of schemas.flatMap((s) => (s.sortKey ? [s.partitionKey, s.sortKey] : [s.partitionKey]))) byName.set(k.name, k);
  return sortByName([...byName.values()].map((k) => ({ AttributeName: k.name, AttributeType: k.type })));
}

/** Matchers for a table's GlobalSecondaryIndexes as DescribeTable lists them, sorted by name. */
function expectedIndexes(d: TableDefinition) {
  return [...(d.indexes ?? [])]
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((index) =>
      expect.objectContaining({
        IndexName: index.name,
        KeySchema: [
          { AttributeName: index.partitionKey.name, KeyType: 'HASH' },
          ...(index.sortKey ? [{ AttributeName: index.sortKey.name, KeyType: 'RANGE' }] : []),
        ],
        Projection: { ProjectionType: index.projection },
        IndexStatus: 'ACTIVE',
      }),
    );
}

function sortByName<T>(items: T[], field = 'AttributeName'): T[] {
  const name = (item: T) => String((item as Record<string, unknown>)[field]);
  return [...items].sort((a, b) => name(a).localeCompare(name(b)));
}

describe('the globally started local stack', () => {
  it.each(tables.map((t) => [t.id, t] as const))('has table %s as functions/tables.ts defines it', async (_id, definition) => {
    const info = localStackInfo();
    const name = info.tables[definition.id]!;
    const { Table } = await clients().dynamodb.send(new DescribeTableCommand({ TableName: name }));
    const keys = definition.sortKey ? [definition.partitionKey, definition.sortKey] : [definition.partitionKey];
    expect(Table?.KeySchema).toEqual(
      keys.map((k, i) => ({ AttributeName: k.name, KeyType: i === 0 ? 'HASH' : 'RANGE' })),
    );
    // Every key attribute of the table and its indexes, exactly once.
    expect(sortByName(Table?.AttributeDefinitions ?? [])).toEqual(keyAttributes(definition));
    expect(sortByName(Table?.GlobalSecondaryIndexes ?? [], 'IndexName')).toEqual(expectedIndexes(definition));
    expect(Table?.BillingModeSummary?.BillingMode).toBe('PAY_PER_REQUEST');
    if (definition.stream) {
      expect(Table?.StreamSpecification).toEqual({ StreamEnabled: true, StreamViewType: definition.stream });
      expect(Table?.LatestStreamArn).toBeTruthy();
    } else {
      expect(Table?.StreamSpecification?.StreamEnabled ?? false).toBe(false);
    }
    const ttl = await clients().dynamodb.send(new DescribeTimeToLiveCommand({ TableName: name }));
    if (definition.timeToLiveAttribute) {
      expect(ttl.TimeToLiveDescription).toEqual({
        TimeToLiveStatus: 'ENABLED',
        AttributeName: definition.timeToLiveAttribute,
      });
    } else {
      expect(ttl.TimeToLiveDescription?.TimeToLiveStatus).toBe('DISABLED');
    }
  });

  it('has the event table streaming NEW_IMAGE and idempotency TTL on expiresAt', () => {
    expect(eventTable.stream).toBe('NEW_IMAGE');
    expect(idempotencyTable.timeToLiveAttribute).toBe('expiresAt');
  });

  it('indexes the event table sparsely by stream category (streamsByCategory, keys only)', async () => {
    const name = localStackInfo().tables[eventTable.id]!;
    const { Table } = await clients().dynamodb.send(new DescribeTableCommand({ TableName: name }));
    expect(Table?.GlobalSecondaryIndexes).toEqual([
      expect.objectContaining({
        IndexName: STREAMS_BY_CATEGORY_INDEX,
        KeySchema: [
          { AttributeName: STREAM_CATEGORY, KeyType: 'HASH' },
          { AttributeName: EVENT_STREAM_ID, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'KEYS_ONLY' },
        IndexStatus: 'ACTIVE',
      }),
    ]);
    expect(Table?.AttributeDefinitions).toContainEqual({ AttributeName: STREAM_CATEGORY, AttributeType: 'S' });
  });

  it('adds a missing index to an event table made before it was declared, and indexes the old items', async () => {
    // A DynamoDB Local of its own: under the whole suite's load the shared one once left an
    // added index CREATING for over two minutes, while alone it builds one in about 2 s.
    const own = await startDynamoDbLocal({ port: await freePort() });
    const dynamodb = new DynamoDBClient({ region: localStackInfo().region, endpoint: own.endpoint, credentials: LOCAL_CREDENTIALS });
    const names = localTableNames(`convene-upgrade-${process.pid}-${Date.now()}`);
    const name = names[eventTable.id]!;
    try {
      // The event table as an `npm start` data folder from before the index holds it.
      await dynamodb.send(new CreateTableCommand(createInput(name, { ...eventTable, indexes: [] })));
      await waitUntilTableExists({ client: dynamodb, minDelay: 1, maxWaitTime: 10 }, { TableName: name });
      const listed = { [EVENT_STREAM_ID]: { S: 'series-old' }, [EVENT_VERSION]: { N: '1' }, [STREAM_CATEGORY]: { S: 'series' } };
      const unlisted = { [EVENT_STREAM_ID]: { S: 'member-old' }, [EVENT_VERSION]: { N: '1' } };
      for (const Item of [listed, unlisted]) await dynamodb.send(new PutItemCommand({ TableName: name, Item }));
      const before = await dynamodb.send(new DescribeTableCommand({ TableName: name }));
      expect(before.Table?.GlobalSecondaryIndexes).toBeUndefined();

      await createTables(dynamodb, names);
      const { Table } = await dynamodb.send(new DescribeTableCommand({ TableName: name }));
      expect(sortByName(Table?.GlobalSecondaryIndexes ?? [], 'IndexName')).toEqual(expectedIndexes(eventTable));
      expect(sortByName(Table?.AttributeDefinitions ?? [])).toEqual(keyAttributes(eventTable));
      expect(Table?.StreamSpecification).toEqual({ StreamEnabled: true, StreamViewType: 'NEW_IMAGE' });

      const query = () =>
        dynamodb.send(
          new QueryCommand({
            TableName: name,
            IndexName: STREAMS_BY_CATEGORY_INDEX,
            KeyConditionExpression: '#c = :c',
            ExpressionAttributeNames: { '#c': STREAM_CATEGORY },
            ExpressionAttributeValues: { ':c': { S: 'series' } },
          }),
        );
      expect((await query()).Items).toEqual([listed]);

      // A second run finds everything in place and changes nothing.
      await createTables(dynamodb, names);
      const again = await dynamodb.send(new DescribeTableCommand({ TableName: name }));
      expect(again.Table?.GlobalSecondaryIndexes).toHaveLength(1);
      expect((await query()).Items).toEqual([listed]);
    } finally {
      dynamodb.destroy();
      await own.stop();
    }
  }, 150_000);

  it('accepts SendEmail through the SES client and shows it in GET /store', async () => {
    const info = localStackInfo();
    const subject = `local stack check ${Date.now()} ${Math.random()}`;
    const sent = await clients().ses.send(
      new SendEmailCommand({
        Source: 'convene@example.org',
        Destination: { ToAddresses: ['ada@example.org'] },
        Message: { Subject: { Data: subject }, Body: { Text: { Data: 'hello from convene' } } },
      }),
    );
    expect(sent.MessageId).toBeTruthy();
    const store = (await (await fetch(`${info.ses.endpoint}/store`)).json()) as {
      emails: { from: string; destination: { to: string[] }; subject: string; body: { text?: string } }[];
    };
    const mail = store.emails.find((e) => e.subject === subject);
    expect(mail).toMatchObject({
      from: 'convene@example.org',
      destination: { to: ['ada@example.org'] },
      body: { text: 'hello from convene' },
    });
    expect(info.ses.mailboxUrl).toBe(`${info.ses.endpoint}/`);
  });

  it('round-trips an S3 object (streamed upload) and stores it in the s3rver directory', async () => {
    const info = localStackInfo();
    const key = `recordings/check-${Date.now()}.txt`;
    const body = Buffer.from('a recording, byte for byte\n'.repeat(100));
    await clients().s3.send(
      new PutObjectCommand({
        Bucket: info.s3.bucket,
        Key: key,
        Body: Readable.from([body.subarray(0, 1000), body.subarray(1000)]),
        ContentLength: body.length,
        ContentType: 'text/plain',
      }),
    );
    const got = await clients().s3.send(new GetObjectCommand({ Bucket: info.s3.bucket, Key: key }));
    expect(Buffer.from(await got.Body!.transformToByteArray())).toEqual(body);
    const file = join(info.s3.directory, info.s3.bucket, `${key}._S3rver_object`);
    expect(existsSync(file)).toBe(true);
    expect(readFileSync(file)).toEqual(body);
  });

  it('gives handlers an environment pointing at it', () => {
    const info = localStackInfo();
    expect(localAwsEnvironment(info)).toMatchObject({
      AWS_REGION: 'us-east-1',
      AWS_ENDPOINT_URL_DYNAMODB: info.dynamodb.endpoint,
      AWS_ENDPOINT_URL_SES: info.ses.endpoint,
      AWS_ENDPOINT_URL_S3: info.s3.endpoint,
      [eventTable.envVar]: info.tables[eventTable.id],
      [idempotencyTable.envVar]: info.tables[idempotencyTable.id],
      RECORDINGS_BUCKET_NAME: info.s3.bucket,
    });
    expect(JSON.parse(JSON.stringify(info))).toEqual(info);
  });
});

describe('a second stack with a data directory', () => {
  it('stops its java child, frees its ports, and keeps data across restarts', { timeout: 120_000 }, async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'convene-stack-'));
    const first = await startLocalStack({ dataDir });
    let second: Awaited<ReturnType<typeof startLocalStack>> | undefined;
    try {
      const info = first.info;
      expect(info.dynamodb.persistedAt).toBe(join(dataDir, 'dynamodb'));
      expect(info.s3.directory).toBe(join(dataDir, 's3'));
      const table = info.tables[eventTable.id]!;
      const item = { [EVENT_STREAM_ID]: { S: 'series-1' }, [EVENT_VERSION]: { N: '1' }, type: { S: 'SeriesPlanned' } };
      const c1 = localClients(info);
      await c1.dynamodb.send(new PutItemCommand({ TableName: table, Item: item }));
      await c1.s3.send(new PutObjectCommand({ Bucket: info.s3.bucket, Key: 'kept.txt', Body: 'kept' }));
      c1.dynamodb.destroy();
      c1.s3.destroy();
      c1.ses.destroy();

      await first.stop();
      expect(() => process.kill(info.dynamodb.pid, 0)).toThrow();
      for (const port of [info.dynamodb.port, info.ses.port, info.s3.port]) {
        expect(await isPortFree(port), `port ${port} free`).toBe(true);
      }

      second = await startLocalStack({
        dataDir,
        ports: { dynamodb: info.dynamodb.port, ses: info.ses.port, s3: info.s3.port },
      });
      expect(second.info.dynamodb.pid).not.toBe(info.dynamodb.pid);
      const c2 = localClients(second.info);
      const got = await c2.dynamodb.send(
        new GetItemCommand({ TableName: table, Key: { [EVENT_STREAM_ID]: item[EVENT_STREAM_ID]!, [EVENT_VERSION]: item[EVENT_VERSION]! } }),
      );
      expect(got.Item).toEqual(item);
      const kept = await c2.s3.send(new GetObjectCommand({ Bucket: second.info.s3.bucket, Key: 'kept.txt' }));
      expect(await kept.Body!.transformToString()).toBe('kept');
      c2.dynamodb.destroy();
      c2.s3.destroy();
      c2.ses.destroy();
    } finally {
      await first.stop();
      await second?.stop();
      await rm(dataDir, { recursive: true, force: true });
    }
    expect(() => process.kill(second!.info.dynamodb.pid, 0)).toThrow();
  });
});
