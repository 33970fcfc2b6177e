/**
 * The rate-limit counter on DynamoDB Local (issue #15, item 13): however many instances count
 * one client's window at once, exactly the limit is let through; windows and clients are apart;
 * each item expires (TTL) at its window's end, holds no address in clear, and at the limit
 * nothing more is written. An unreachable store is an error the caller sees (and the API lets
 * the request through: test/api/rate-limit.unit.test.ts).
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { documentClient } from '../../functions/adapters/dynamodb-client.js';
import { createRateLimitCounter, rateLimitKey } from '../../functions/adapters/rate-limits/rate-limit-counter.js';
import { isStorageUnavailable } from '../../functions/adapters/storage-unavailable.js';
import { createTables } from '../../infra/local/create-tables.js';
import { LOCAL_CREDENTIALS } from '../../infra/local/clients.js';
import { freePort } from '../../infra/local/free-port.js';
import { IDEMPOTENCY_EXPIRES_AT, IDEMPOTENCY_KEY, idempotencyTable, localTableNames } from '../../functions/tables.js';
import { clients, localStackInfo } from '../support/local.js';

let table: string;
const doc = () => documentClient(clients().dynamodb);
const WINDOW = { windowSeconds: 60, windowStart: Math.floor(Date.parse('2027-05-03T10:00:00Z') / 1000) };

beforeAll(async () => {
  const names = localTableNames(`ratelimit-${crypto.randomUUID().slice(0, 8)}`);
  await createTables(clients().dynamodb, names);
  table = names[idempotencyTable.id]!;
});

describe('the rate-limit counter', () => {
  it('lets exactly the limit through when 50 requests of one client are counted at once by 10 instances', async () => {
    // Each instance with its own client, as separate Lambda instances.
    const sdkClients = Array.from({ length: 10 }, () => new DynamoDBClient({ region: localStackInfo().region, endpoint: localStackInfo().dynamodb.endpoint, credentials: LOCAL_CREDENTIALS }));
    const instances = sdkClients.map((client) => createRateLimitCounter(documentClient(client), table));
    const answers = await Promise.all(Array.from({ length: 50 }, (_, i) => instances[i % 10]!.take({ client: '203.0.113.7', ...WINDOW, limit: 20 }))).finally(() => {
      for (const client of sdkClients) client.destroy();
    });
    expect(answers.filter(Boolean)).toHaveLength(20);
    const { Item } = await doc().send(new GetCommand({ TableName: table, Key: { [IDEMPOTENCY_KEY]: rateLimitKey('203.0.113.7', WINDOW.windowSeconds, WINDOW.windowStart) }, ConsistentRead: true }));
    // Refused requests write nothing: the count stays at the limit.
    expect(Item?.['requests']).toBe(20);
    expect(Item?.[IDEMPOTENCY_EXPIRES_AT]).toBe(WINDOW.windowStart + WINDOW.windowSeconds);
  });

  it('counts clients and windows apart, and keeps no address in clear', async () => {
    const counter = createRateLimitCounter(doc(), table);
    expect(await counter.take({ client: '198.51.100.1', ...WINDOW, limit: 1 })).toBe(true);
    expect(await counter.take({ client: '198.51.100.1', ...WINDOW, limit: 1 })).toBe(false);
    expect(await counter.take({ client: '198.51.100.2', ...WINDOW, limit: 1 })).toBe(true);
    expect(await counter.take({ client: '198.51.100.1', windowSeconds: 60, windowStart: WINDOW.windowStart + 60, limit: 1 })).toBe(true);
    expect(await counter.take({ client: '198.51.100.1', windowSeconds: 3600, windowStart: WINDOW.windowStart, limit: 1 })).toBe(true);
    const { Items = [] } = await doc().send(new ScanCommand({ TableName: table, ConsistentRead: true }));
    expect(Items.length).toBeGreaterThan(0);
    for (const item of Items) {
      expect(String(item[IDEMPOTENCY_KEY])).toMatch(/^rate-limit#\d+#\d+#[\w-]{43}$/);
      expect(JSON.stringify(item)).not.toMatch(/\d+\.\d+\.\d+\.\d+/);
    }
  });

  it('an unreachable store is an error that says so', async () => {
    const port = await freePort();
    const nowhere = new DynamoDBClient({ region: 'us-east-1', endpoint: `http://127.0.0.1:${port}`, credentials: LOCAL_CREDENTIALS, maxAttempts: 1 });
    const counter = createRateLimitCounter(documentClient(nowhere), table);
    const error = await counter.take({ client: '203.0.113.7', ...WINDOW, limit: 1 }).catch((e: unknown) => e);
    expect(isStorageUnavailable(error)).toBe(true);
    nowhere.destroy();
  });
});
