/**
 * The intake on real DynamoDB Streams records from DynamoDB Local: a registration request kept
 * by the API is taken once (member, name, event), whatever is delivered again or crashes
 * between the steps; an item that cannot be read is set aside at once and the others go on; a
 * request that fails (DynamoDB busy) is retried and then taken.
 */
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { Logger } from '@aws-lambda-powertools/logger';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memberStreamId } from '../../events/member/index.js';
import type { ConveneEvent } from '../../events/registry.js';
import { memberEvents } from '../../functions/adapters/event-store/category-stores.js';
import { documentClient } from '../../functions/adapters/dynamodb-client.js';
import { conveneEventStore, type EventStore } from '../../functions/adapters/event-store/index.js';
import { createRegistrationIntake, intakeKey, type RegistrationRequest } from '../../functions/adapters/intake/registration-intake.js';
import { createMemberDirectory } from '../../functions/adapters/members/member-directory.js';
import { createIntakeHandler } from '../../functions/intake/handler.js';
import { takeRegistrationRequest } from '../../functions/intake/take-request.js';
import { LOCAL_CREDENTIALS } from '../../infra/local/clients.js';
import { startIntakePoller } from '../../infra/local/intake-poller.js';
import type { DeadLetter } from '../../infra/local/stream-poller.js';
import { INTAKE_PK, intakeTable, membersTable, tableEnvironment, type TableNames } from '../../functions/tables.js';
import { clients, localStackInfo } from '../support/local.js';
import { createTestTables, deleteTestTables } from '../support/tables.js';

let names: TableNames;
let streams: DynamoDBStreamsClient;
const doc = () => documentClient(clients().dynamodb);
const store = () => conveneEventStore(tableEnvironment(names), doc());
const members = () => createMemberDirectory(doc(), names[membersTable.id]!);
const intake = () => createRegistrationIntake(doc(), names[intakeTable.id]!);
const quiet = new Logger({ serviceName: 'intake', logLevel: 'SILENT' });

beforeAll(async () => {
  names = await createTestTables(clients().dynamodb, 'intake');
  const info = localStackInfo();
  streams = new DynamoDBStreamsClient({ region: info.region, endpoint: info.dynamodb.endpoint, credentials: LOCAL_CREDENTIALS });
});

afterAll(async () => {
  streams?.destroy();
  if (names) await deleteTestTables(clients().dynamodb, names);
});

const request = (email: string, more: Partial<RegistrationRequest> = {}): RegistrationRequest => ({
  requestId: crypto.randomUUID(),
  seriesId: 'care-2027',
  email,
  name: 'Amal Haddad',
  language: 'ar',
  timeZone: 'Asia/Jerusalem',
  sessions: 'all',
  requestedAt: '2027-03-01T09:00:00.000Z',
  correlationId: 'test',
  ...more,
});

const unique = (who: string) => `${who}-${crypto.randomUUID().slice(0, 8)}@example.org`;
const eventsOf = async (email: string) => {
  const memberId = await members().memberIdForEmail(email);
  return memberId ? ((await store().read(memberStreamId(memberId))) as { type: string; data: Record<string, unknown> }[]) : [];
};
const itemOf = async (requestId: string) => (await doc().send(new GetCommand({ TableName: names[intakeTable.id], Key: { [INTAKE_PK]: intakeKey(requestId) }, ConsistentRead: true }))).Item;

async function withPoller<T>(run: (letters: DeadLetter[]) => Promise<T>, handlerStore?: EventStore<ConveneEvent>) {
  const letters: DeadLetter[] = [];
  const poller = await startIntakePoller({
    dynamodb: clients().dynamodb,
    doc: doc(),
    streams,
    tables: names,
    store: handlerStore ?? store(),
    logger: quiet,
    intervalMs: 50,
    onDeadLetter: (l) => letters.push(l),
  });
  try {
    return await run(letters);
  } finally {
    await poller.stop();
  }
}

describe('the intake', () => {
  it('takes a kept request: the member is made, the name kept, the request appended, and the item goes', async () => {
    const email = unique('new');
    const kept = request(email);
    await intake().accept(kept);
    await withPoller(async () => {
      await expect.poll(async () => (await eventsOf(email)).length, { timeout: 10_000, interval: 50 }).toBe(1);
    });
    const [event] = await eventsOf(email);
    expect(event).toMatchObject({ type: 'RegistrationRequested', data: { seriesId: 'care-2027', requestId: kept.requestId, language: 'ar', timeZone: 'Asia/Jerusalem', source: 'self-service' } });
    const memberId = (await members().memberIdForEmail(email))!;
    expect(await members().requestedName(kept.requestId, memberId)).toBe('Amal Haddad');
    // A new member has no name until they confirm one.
    expect((await members().get(memberId))?.name).toBe('');
    expect(await itemOf(kept.requestId)).toBeUndefined();
  });

  it('takes a request once when taken again (a crash before the item went) and when its record comes again after', async () => {
    const email = unique('twice');
    const kept = request(email);
    await intake().accept(kept);
    const deps = { store: memberEvents(store()), members: members(), intake: { ...intake(), taken: async () => {} } };
    // The first take crashed before deleting the item: the item is there, and taken again.
    expect(await takeRegistrationRequest(deps, kept)).toBe('appended');
    expect(await takeRegistrationRequest(deps, kept)).toBe('seen-before');
    // And the same stream record, delivered again after the item went, changes nothing.
    const handler = createIntakeHandler({ ...deps, intake: intake() }, quiet);
    const record = { eventName: 'INSERT' as const, dynamodb: { Keys: { [INTAKE_PK]: { S: intakeKey(kept.requestId) } }, SequenceNumber: '1' } };
    expect(await handler({ Records: [record, record] as never })).toEqual({ batchItemFailures: [] });
    expect(await itemOf(kept.requestId)).toBeUndefined();
    expect(await handler({ Records: [record] as never })).toEqual({ batchItemFailures: [] });
    expect((await eventsOf(email)).map((e) => e.type)).toEqual(['RegistrationRequested']);
  });

  it('sets an item it cannot read aside at once, and takes the requests around it', async () => {
    const before = unique('before');
    const after = unique('after');
    await intake().accept(request(before));
    // Written by hand or by another version: no address.
    const bad = crypto.randomUUID();
    await doc().send(new PutCommand({ TableName: names[intakeTable.id], Item: { [INTAKE_PK]: intakeKey(bad), requestId: bad, seriesId: 'care-2027', name: 'x' } }));
    await intake().accept(request(after));
    await withPoller(async (letters) => {
      await expect.poll(async () => (await eventsOf(after)).length, { timeout: 10_000, interval: 50 }).toBe(1);
      expect((await eventsOf(before)).length).toBe(1);
      // Not retried: nothing to set aside after retries, the item is left for its expiry.
      expect(letters).toEqual([]);
    });
    expect(await itemOf(bad)).toMatchObject({ requestId: bad });
  });

  it('retries a request that failed (DynamoDB busy) and then takes it, once', async () => {
    const email = unique('busy');
    const real = store();
    let failures = 0;
    const busy: EventStore<ConveneEvent> = {
      ...real,
      append: async (...args: Parameters<typeof real.append>) => {
        if (failures++ < 2) throw new Error('ProvisionedThroughputExceededException');
        return real.append(...args);
      },
    };
    await intake().accept(request(email));
    await withPoller(async (letters) => {
      await expect.poll(async () => (await eventsOf(email)).length, { timeout: 15_000, interval: 50 }).toBe(1);
      expect(letters).toEqual([]);
    }, busy);
    expect(failures).toBeGreaterThanOrEqual(3);
    expect((await eventsOf(email)).map((e) => e.type)).toEqual(['RegistrationRequested']);
  });
});
