/**
 * The rebuild's batched path on DynamoDB Local: documents written many to a transaction equal
 * stream-by-stream projection, never move a newer document back, and do not depend on the
 * order a Scan hands events out in.
 */
import { PutCommand, ScanCommand, TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { memberDecider, memberStreamId } from '../../events/member/index.js';
import { inSequence } from '../../events/shared/decider.js';
import { seriesDecider, seriesStreamId } from '../../events/series/index.js';
import { documentClient } from '../../functions/adapters/dynamodb-client.js';
import { conveneEventStore } from '../../functions/adapters/event-store/index.js';
import { createReadModelStore, LOCK_TIMEOUT_ATTEMPTS, type ReadModelStore } from '../../functions/read-models/read-model-store.js';
import { handleCommand } from '../../functions/commands/command-handler.js';
import { mapLimited } from '../../functions/map-limited.js';
import { scheduleKey } from '../../functions/read-models/keys.js';
import { projectStream } from '../../functions/projector/project-stream.js';
import { rebuildReadModels } from '../../functions/projector/rebuild.js';
import { createTables } from '../../infra/local/create-tables.js';
import { localTableNames, readModelTable, tableEnvironment, type TableNames } from '../../functions/tables.js';
import { clients } from '../support/local.js';
import { careRequest } from '../support/seed-requests.js';

const context = { actor: { kind: 'organiser', id: 'o' }, correlationId: 'test' } as const;
const MEMBERS = 60;
let names: TableNames;
let client: DynamoDBDocumentClient;
let store: ReturnType<typeof conveneEventStore>;
/** What stream-by-stream projection writes for the history below. */
let expected: Map<string, unknown>;

/** A read-model store on a fresh, empty table. */
async function freshReadModels(): Promise<ReadModelStore> {
  const fresh = localTableNames(`rbt-${crypto.randomUUID().slice(0, 8)}`);
  await createTables(clients().dynamodb, fresh);
  return createReadModelStore(client, fresh[readModelTable.id]!);
}

/** Stream by stream, as the projector does (one conditional put per document). */
async function projectedOneByOne(): Promise<Map<string, unknown>> {
  const target = await freshReadModels();
  const ids = await store.listAllStreams();
  await mapLimited(ids, 8, (id) => projectStream({ store, readModels: target }, id));
  return target.all();
}

beforeAll(async () => {
  names = localTableNames(`rbs-${crypto.randomUUID().slice(0, 8)}`);
  await createTables(clients().dynamodb, names);
  client = documentClient(clients().dynamodb);
  store = conveneEventStore(tableEnvironment(names), client);
  // Two series and 60 members registered for both (about 250 documents: several transactions).
  const seriesIds = ['care-a', 'care-b'];
  for (const seriesId of seriesIds) {
    await handleCommand({
      store,
      decider: inSequence(seriesDecider),
      streamId: seriesStreamId(seriesId),
      command: [
        { type: 'CreateSeries', seriesId, ...careRequest },
        { type: 'ScheduleSession', seriesId, sessionId: 'l0', title: { en: 'Lecture' }, start: '2027-03-07T15:00', durationMinutes: 90 },
        { type: 'RescheduleSession', seriesId, sessionId: 'l0', start: '2027-03-14T15:00' },
      ],
      context,
    });
  }
  await mapLimited(Array.from({ length: MEMBERS }, (_, i) => `m${i}`), 8, (memberId) =>
    handleCommand({
      store,
      decider: inSequence(memberDecider),
      streamId: memberStreamId(memberId),
      command: [
        ...seriesIds.map((seriesId) => ({ type: 'RequestRegistration' as const, memberId, seriesId, registrationId: `r-${memberId}-${seriesId}`, sessions: 'all' as const, language: 'es', timeZone: 'America/Guayaquil', source: 'organiser' as const })),
        ...(memberId.endsWith('7') ? [{ type: 'ChangePreferences' as const, memberId, reminderOffsets: ['P2D'] }] : []),
        ...(memberId.endsWith('3') ? [{ type: 'CancelRegistration' as const, memberId, seriesId: 'care-b', sessions: 'all' as const, cancelledBy: 'member' as const }] : []),
      ],
      context,
    }),
  );
  expected = await projectedOneByOne();
}, 120_000);

describe('rebuildReadModels', () => {
  it('writes, batched, exactly the documents stream-by-stream projection writes', async () => {
    const target = await freshReadModels();
    const report = await rebuildReadModels({ store, readModels: target });
    expect(report).toMatchObject({ streams: MEMBERS + 2, projected: MEMBERS + 2 });
    const rebuilt = await target.all();
    // A schedule, timetable and mail-queue item per series; registrations, two roster entries
    // and a mail-queue item per member; custom offsets (one per series) for the 6 who chose them.
    expect(rebuilt.size).toBe(2 * 3 + MEMBERS * 4 + 6 * 2);
    expect(rebuilt).toEqual(expected);
  });

  it('never moves a document that is already newer back, and writes the rest', async () => {
    const target = await freshReadModels();
    const ahead = { note: 'written by a live projector at a later version' };
    await target.putIfNewer(scheduleKey('care-a'), 99, ahead);
    const report = await rebuildReadModels({ store, readModels: target });
    expect(await target.get(scheduleKey('care-a'))).toEqual({ version: 99, doc: ahead });
    const rebuilt = await target.all();
    expect(rebuilt.size).toBe(expected.size);
    for (const [key, value] of expected) if (!key.startsWith('series#care-a|schedule')) expect(rebuilt.get(key)).toEqual(value);
    // The stream whose main document was ahead still had its other documents written.
    expect(report.projected).toBe(MEMBERS + 2);
  });

  it('does not rely on the Scan handing out a stream in one ordered run', async () => {
    // The same DynamoDB Local, every Scan page handed over reversed (newest version first).
    const reversing = new Proxy(client, {
      get(target, property, receiver) {
        if (property !== 'send') return Reflect.get(target, property, receiver);
        return async (command: unknown) => {
          const output = await target.send(command as never);
          if (command instanceof ScanCommand) (output as { Items?: unknown[] }).Items?.reverse();
          return output;
        };
      },
    });
    const target = await freshReadModels();
    const report = await rebuildReadModels({ store: conveneEventStore(tableEnvironment(names), reversing), readModels: target });
    expect(report.streams).toBe(MEMBERS + 2);
    expect(await target.all()).toEqual(expected);
  });
});

describe('the read-model store', () => {
  it('writes over 100 documents (several transactions) and says which were already newer', async () => {
    const target = await freshReadModels();
    await target.putIfNewer({ pk: 'p', sk: 'k7' }, 5, 'newer');
    const writes = Array.from({ length: 130 }, (_, i) => ({ key: { pk: 'p', sk: `k${i}` }, version: 3, doc: { i } }));
    const outcomes = await target.putAllIfNewer(writes);
    expect(outcomes.filter((o) => o === 'already-newer')).toHaveLength(1);
    expect(outcomes[7]).toBe('already-newer');
    const stored = await target.query<{ i: number } | string>('p');
    expect(stored).toHaveLength(130);
    expect(stored.find((d) => d.doc === 'newer')).toEqual({ version: 5, doc: 'newer' });
    expect(stored.filter((d) => d.version === 3)).toHaveLength(129);
  });

  it('writes a transaction DynamoDB Local gave up on (its lock timeout) one document at a time, each once', async () => {
    // The same DynamoDB Local, every transaction refused as DynamoDB Local refuses one under load.
    const refused: number[] = [];
    const locking = new Proxy(client, {
      get(target, property, receiver) {
        if (property !== 'send') return Reflect.get(target, property, receiver);
        return async (command: unknown) => {
          if (command instanceof TransactWriteCommand) {
            refused.push(command.input.TransactItems?.length ?? 0);
            throw Object.assign(new Error('This action timed out because it too long waiting for a lock. This request will succeed in actual DynamoDB API'), { name: 'InternalServerError', $fault: 'server' });
          }
          return target.send(command as never);
        };
      },
    });
    const names = localTableNames(`rbt-${crypto.randomUUID().slice(0, 8)}`);
    await createTables(clients().dynamodb, names);
    const target = createReadModelStore(locking as DynamoDBDocumentClient, names[readModelTable.id]!);
    await target.putIfNewer({ pk: 'p', sk: 'k3' }, 5, 'newer');
    const outcomes = await target.putAllIfNewer(Array.from({ length: 130 }, (_, i) => ({ key: { pk: 'p', sk: `k${i}` }, version: 2, doc: { i } })));
    expect(refused).toEqual([100, 30]);
    expect(outcomes.filter((o) => o === 'written')).toHaveLength(129);
    expect(outcomes[3]).toBe('already-newer');
    const stored = await target.query<{ i: number } | string>('p');
    expect(stored).toHaveLength(130);
    expect(stored.find((d) => d.doc === 'newer')).toEqual({ version: 5, doc: 'newer' });
  });

  it('does not take other errors of a transaction for that', async () => {
    const failing = new Proxy(client, {
      get(target, property, receiver) {
        if (property !== 'send') return Reflect.get(target, property, receiver);
        return async (command: unknown) => {
          if (command instanceof TransactWriteCommand) throw Object.assign(new Error('no such table'), { name: 'ResourceNotFoundException' });
          return target.send(command as never);
        };
      },
    });
    const target = createReadModelStore(failing as DynamoDBDocumentClient, 'no-such-table');
    await expect(target.putAllIfNewer([1, 2].map((i) => ({ key: { pk: 'p', sk: `k${i}` }, version: 1, doc: i })))).rejects.toThrow('no such table');
  });

  /** This DynamoDB Local, with the first `times` single puts refused as DynamoDB Local refuses one when it gave up on its lock. */
  function lockingPuts(times: number) {
    const refused = { count: 0 };
    const locking = new Proxy(client, {
      get(target, property, receiver) {
        if (property !== 'send') return Reflect.get(target, property, receiver);
        return async (command: unknown) => {
          if (command instanceof PutCommand && refused.count < times) {
            refused.count++;
            throw Object.assign(new Error('This action timed out because it too long waiting for a lock. This request will succeed in actual DynamoDB API'), { name: 'InternalServerError', $fault: 'server' });
          }
          return target.send(command as never);
        };
      },
    });
    return { locking: locking as DynamoDBDocumentClient, refused };
  }

  it('sends a single write again when DynamoDB Local gave up on its lock, and writes it once', async () => {
    const names = localTableNames(`rbl-${crypto.randomUUID().slice(0, 8)}`);
    await createTables(clients().dynamodb, names);
    const { locking, refused } = lockingPuts(LOCK_TIMEOUT_ATTEMPTS - 1);
    const target = createReadModelStore(locking, names[readModelTable.id]!);
    expect(await target.putIfNewer({ pk: 'p', sk: 'k' }, 2, 'doc')).toBe('written');
    expect(refused.count).toBe(LOCK_TIMEOUT_ATTEMPTS - 1);
    expect(await target.query('p')).toEqual([{ version: 2, doc: 'doc' }]);
    // Sent again over a newer document, it is still refused by its condition.
    expect(await target.putIfNewer({ pk: 'p', sk: 'k' }, 1, 'older')).toBe('already-newer');
  });

  it(`gives up after ${LOCK_TIMEOUT_ATTEMPTS} refusals, with DynamoDB's error, having written nothing`, async () => {
    const names = localTableNames(`rbg-${crypto.randomUUID().slice(0, 8)}`);
    await createTables(clients().dynamodb, names);
    const { locking, refused } = lockingPuts(Infinity);
    const target = createReadModelStore(locking, names[readModelTable.id]!);
    await expect(target.putIfNewer({ pk: 'p', sk: 'k' }, 2, 'doc')).rejects.toThrow(/waiting for a lock/);
    expect(refused.count).toBe(LOCK_TIMEOUT_ATTEMPTS);
    expect(await target.query('p')).toEqual([]);
  });

  it('clear deletes every document, over several batches', async () => {
    const target = await freshReadModels();
    await target.putAllIfNewer(Array.from({ length: 60 }, (_, i) => ({ key: { pk: `p${i % 3}`, sk: `k${i}` }, version: 1, doc: { i } })));
    expect(await target.clear()).toBe(60);
    expect((await target.all()).size).toBe(0);
  });
});
