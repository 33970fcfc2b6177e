/**
 * The projector on real DynamoDB Streams records from DynamoDB Local: incremental projection
 * equals a clean rebuild, also when batches are redelivered, interleaved across streams in
 * reverse, or handled by two projectors at once. A stream with an event that fails its schema
 * is retried, then set aside without holding up the records behind it, and noted for the
 * organisers of its series; a rebuild leaves it as it was and rebuilds everything else.
 */
import { DynamoDBStreamsClient, GetRecordsCommand, GetShardIteratorCommand, DescribeStreamCommand } from '@aws-sdk/client-dynamodb-streams';
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memberDecider, memberStreamId } from '../../events/member/index.js';
import type { SeriesSchedule } from '../../events/projections/schedule.js';
import { seriesDecider, seriesStreamId } from '../../events/series/index.js';
import { documentClient } from '../../functions/adapters/dynamodb-client.js';
import { conveneEventStore } from '../../functions/adapters/event-store/index.js';
import { createReadModelStore, type ReadModelStore } from '../../functions/read-models/read-model-store.js';
import { handleCommand } from '../../functions/commands/command-handler.js';
import { createProjectorHandler } from '../../functions/projector/handler.js';
import { projectionFailuresPk, scheduleKey } from '../../functions/read-models/keys.js';
import type { ProjectionFailure } from '../../functions/read-models/documents.js';
import { toItem } from '../../functions/adapters/event-store/items.js';
import { rebuildReadModels } from '../../functions/projector/rebuild.js';
import { projectStream } from '../../functions/projector/project-stream.js';
import { createTables } from '../../infra/local/create-tables.js';
import { startStreamPoller, toLambdaRecord, type DeadLetter, type StreamPoller } from '../../infra/local/stream-poller.js';
import { eventTable, localTableNames, readModelTable, tableEnvironment, type TableNames } from '../../functions/tables.js';
import { clients, localStackInfo } from '../support/local.js';
import { careRequest, dialogueRequest } from '../support/seed-requests.js';

const context = { actor: { kind: 'organiser', id: 'o' }, correlationId: 'test' } as const;
let names: TableNames;
let store: ReturnType<typeof conveneEventStore>;
let readModels: ReadModelStore;
let streamsClient: DynamoDBStreamsClient;

beforeAll(async () => {
  names = localTableNames(`proj-${crypto.randomUUID().slice(0, 8)}`);
  await createTables(clients().dynamodb, names);
  store = conveneEventStore(tableEnvironment(names), documentClient(clients().dynamodb));
  readModels = createReadModelStore(documentClient(clients().dynamodb), names[readModelTable.id]!);
  const info = localStackInfo();
  streamsClient = new DynamoDBStreamsClient({ region: info.region, endpoint: info.dynamodb.endpoint, credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
});

/** A fresh read-model table and the rebuild of every stream into it. */
async function rebuilt(): Promise<Map<string, unknown>> {
  const fresh = localTableNames(`rb-${crypto.randomUUID().slice(0, 8)}`);
  await createTables(clients().dynamodb, fresh);
  const target = createReadModelStore(documentClient(clients().dynamodb), fresh[readModelTable.id]!);
  await rebuildReadModels({ store, readModels: target });
  return target.all();
}

async function writeSomeHistory(tag: string) {
  const seriesId = `care-${tag}`;
  const stream = seriesStreamId(seriesId);
  await handleCommand({ store, decider: seriesDecider, streamId: stream, command: { type: 'CreateSeries', seriesId, ...careRequest }, context });
  for (const [i, start] of ['2027-03-07T15:00', '2027-03-21T15:00', '2027-05-23T15:00'].entries()) {
    await handleCommand({ store, decider: seriesDecider, streamId: stream, command: { type: 'ScheduleSession', seriesId, sessionId: `l${i}`, title: { en: `Lecture ${i}` }, start, durationMinutes: 90 }, context });
  }
  await handleCommand({ store, decider: seriesDecider, streamId: stream, command: { type: 'RescheduleSession', seriesId, sessionId: 'l0', start: '2027-03-14T15:00' }, context });
  await handleCommand({ store, decider: seriesDecider, streamId: stream, command: { type: 'CancelSession', seriesId, sessionId: 'l1', reason: 'speaker ill' }, context });
  const dialogueId = `vd-${tag}`;
  await handleCommand({ store, decider: seriesDecider, streamId: seriesStreamId(dialogueId), command: { type: 'CreateSeries', seriesId: dialogueId, ...dialogueRequest }, context });
  for (const m of ['haifa', 'quito', 'delhi']) {
    const memberId = `${m}-${tag}`;
    await handleCommand({
      store,
      decider: memberDecider,
      streamId: memberStreamId(memberId),
      command: { type: 'RequestRegistration', memberId, seriesId, registrationId: `r-${memberId}`, sessions: 'all', language: 'es', timeZone: 'America/Guayaquil', source: 'organiser' },
      context,
    });
  }
  return seriesId;
}

/** Every record of the event table's stream so far, as Lambda would get them. */
async function allRecords(): Promise<DynamoDBRecord[]> {
  const { Table } = await clients().dynamodb.send(new DescribeTableCommand({ TableName: names[eventTable.id] }));
  const arn = Table!.LatestStreamArn!;
  const { StreamDescription } = await streamsClient.send(new DescribeStreamCommand({ StreamArn: arn }));
  const out: DynamoDBRecord[] = [];
  for (const shard of StreamDescription?.Shards ?? []) {
    let { ShardIterator } = await streamsClient.send(new GetShardIteratorCommand({ StreamArn: arn, ShardId: shard.ShardId!, ShardIteratorType: 'TRIM_HORIZON' }));
    for (let i = 0; ShardIterator && i < 50; i++) {
      const page = await streamsClient.send(new GetRecordsCommand({ ShardIterator }));
      if ((page.Records ?? []).length === 0) break;
      out.push(...page.Records!.map((r) => toLambdaRecord(r, arn)));
      ShardIterator = page.NextShardIterator;
    }
  }
  return out;
}

describe('the projector', () => {
  let poller: StreamPoller | undefined;
  afterAll(() => poller?.stop());

  it('fed by the stream poller, keeps schedules that equal a clean rebuild', async () => {
    const handler = createProjectorHandler({ store, readModels });
    poller = await startStreamPoller({ dynamodb: clients().dynamodb, streams: streamsClient, table: names[eventTable.id]!, handler, intervalMs: 50 });
    const seriesId = await writeSomeHistory('a');
    await poller.drain();
    await poller.stop();
    poller = undefined;

    const schedule = (await readModels.get<SeriesSchedule>(scheduleKey(seriesId)))!;
    expect(schedule.version).toBe(6);
    const l0 = schedule.doc.sessions.find((s) => s.sessionId === 'l0')!;
    // Rescheduled across the DST change: 15:00 New York on 14 March 2027 is 19:00Z.
    expect(l0).toMatchObject({ startsAt: '2027-03-14T19:00:00.000Z', sequence: 1 });
    expect(schedule.doc.sessions.find((s) => s.sessionId === 'l1')).toMatchObject({ status: 'cancelled', sequence: 1 });
    expect(Date.parse(l0.updatedAt)).toBeGreaterThan(Date.parse(l0.createdAt));
    expect(await readModels.all()).toEqual(await rebuilt());
  });

  it('redelivered batches, streams interleaved in reverse, and two projectors at once change nothing', async () => {
    await writeSomeHistory('b');
    const records = await allRecords();
    expect(records.length).toBeGreaterThan(20);
    const handler = createProjectorHandler({ store, readModels });
    const other = createProjectorHandler({ store, readModels });

    // Newest first, so most records arrive before the ones they follow.
    const reversed = [...records].reverse();
    expect((await handler({ Records: reversed.slice(0, 10) })).batchItemFailures).toEqual([]);
    await Promise.all([handler({ Records: reversed }), other({ Records: records }), other({ Records: reversed.slice(5, 15) })]);
    const first = await readModels.all();
    // The same batch again: nothing changes.
    await handler({ Records: records });
    expect(await readModels.all()).toEqual(first);
    expect(first).toEqual(await rebuilt());
  });

  it('reports a record it cannot read as a batch item failure, alone', async () => {
    const handler = createProjectorHandler({ store, readModels });
    const [good] = await allRecords();
    const bad: DynamoDBRecord = { ...good!, dynamodb: { ...good!.dynamodb, Keys: { streamId: { S: 'series-x' } } as never, SequenceNumber: '999' } };
    const response = await handler({ Records: [good!, bad] });
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: '999' }]);
  });
});

/** An event as a bug or a hand edit would leave it: past the deciders, not matching its schema. */
async function plantUnreadable(streamId: string, version: number) {
  const item = toItem({
    type: 'SessionRescheduled',
    data: { seriesId: streamId.slice('series-'.length), sessionId: 'l0', startsAt: 'tomorrow', endsAt: 'later', timeZone: 'America/New_York' },
    metadata: { eventId: crypto.randomUUID(), streamId, version, schemaVersion: 1, recordedAt: new Date().toISOString(), actor: { kind: 'system', id: 'test' }, correlationId: 'c', causationId: 'c' },
  });
  await documentClient(clients().dynamodb).send(new PutCommand({ TableName: names[eventTable.id], Item: item }));
}

describe('a stream record that keeps failing', () => {
  /** A poller of this file's event table that tries a record 3 times, 20 ms apart at first, and keeps what it sets aside. */
  const pollerWith = async (handler: Parameters<typeof startStreamPoller>[0]['handler'], more: { batchSize?: number } = {}) => {
    const letters: DeadLetter[] = [];
    const poller = await startStreamPoller({
      ...more,
      dynamodb: clients().dynamodb,
      streams: streamsClient,
      table: names[eventTable.id]!,
      handler,
      intervalMs: 50,
      maxAttempts: 3,
      retryDelayMs: 20,
      onDeadLetter: (letter) => letters.push(letter),
      onError: () => {},
    });
    return { poller, letters };
  };

  it('is retried a bounded number of times, then set aside with a note, and the records behind it go on', async () => {
    const poisoned = await writeSomeHistory('poison');
    const { poller, letters } = await pollerWith(createProjectorHandler({ store, readModels }));
    try {
      await poller.drain();
      await plantUnreadable(seriesStreamId(poisoned), 7);
      // Written after the poison, in the same shard: must not wait behind it for ever.
      const after = await writeSomeHistory('after');
      await poller.drain();
      expect(letters).toHaveLength(1);
      expect(letters[0]).toMatchObject({ attempts: 3, keys: { streamId: { S: seriesStreamId(poisoned) }, version: { N: '7' } } });
      expect(poller.deadLetters()).toEqual(letters);
      expect((await readModels.get<SeriesSchedule>(scheduleKey(after)))?.version).toBe(6);
      // The poisoned series keeps its last readable schedule, and its organisers are told.
      expect((await readModels.get<SeriesSchedule>(scheduleKey(poisoned)))?.version).toBe(6);
      const notes = await readModels.query<ProjectionFailure>(projectionFailuresPk(poisoned));
      expect(notes.map((n) => n.doc)).toEqual([expect.objectContaining({ streamId: seriesStreamId(poisoned), version: 7, eventType: 'SessionRescheduled', reason: expect.stringMatching(/startsAt/) })]);
    } finally {
      await poller.stop();
    }
  });

  it('is found again when the handler lists a later failure first, as a handler working on its records at once does', async () => {
    const first = await writeSomeHistory('first-of-two');
    const second = await writeSomeHistory('second-of-two');
    const projector = createProjectorHandler({ store, readModels });
    // Both read models are up to date before the poison, so only the two planted records fail.
    for (const seriesId of [first, second]) await projectStream({ store, readModels }, seriesStreamId(seriesId));
    // The projector folds a batch's records at once and lists each failure as it happens; here
    // the later one is listed first, as when its stream is quicker to read.
    await plantUnreadable(seriesStreamId(first), 7);
    await plantUnreadable(seriesStreamId(second), 7);
    // Started after both are written, this poller reads the whole shard in one batch.
    const { poller, letters } = await pollerWith(async (event) => {
      const response = await projector(event);
      return { batchItemFailures: [...response.batchItemFailures].reverse() };
    }, { batchSize: 1000 });
    try {
      await poller.drain();
      const mine = letters.filter((l) => JSON.stringify(l.keys).includes('-of-two'));
      expect(mine.map((l) => (l.keys as { streamId: { S: string } }).streamId.S)).toEqual([seriesStreamId(first), seriesStreamId(second)]);
      const notes = await readModels.query<ProjectionFailure>(projectionFailuresPk(first));
      expect(notes.map((n) => n.doc.version)).toEqual([7]);
    } finally {
      await poller.stop();
    }
  });

  it('that succeeds on a retry is not set aside', async () => {
    const seriesId = await writeSomeHistory('flaky');
    const projector = createProjectorHandler({ store, readModels });
    let failures = 0;
    // The first two deliveries fail as a whole (DynamoDB busy, say).
    const { poller, letters } = await pollerWith(async (event) => (failures++ < 2 ? Promise.reject(new Error('busy')) : projector(event)));
    try {
      await poller.drain();
      expect(failures).toBeGreaterThanOrEqual(2);
      // This poller reads the shard from its start: nothing of this test's streams is set aside.
      expect(letters.filter((l) => JSON.stringify(l.keys).includes('flaky'))).toEqual([]);
      expect((await readModels.get<SeriesSchedule>(scheduleKey(seriesId)))?.version).toBe(6);
    } finally {
      await poller.stop();
    }
  });

  it('leaves a rebuild whole: the stream is left as it was and noted, every other stream is rebuilt', async () => {
    await writeSomeHistory('rb');
    await plantUnreadable(seriesStreamId('care-rb'), 7);
    const fresh = localTableNames(`rbp-${crypto.randomUUID().slice(0, 8)}`);
    await createTables(clients().dynamodb, fresh);
    const target = createReadModelStore(documentClient(clients().dynamodb), fresh[readModelTable.id]!);
    const report = await rebuildReadModels({ store, readModels: target });
    expect(report.unreadable.map((u) => [u.streamId, u.version])).toContainEqual([seriesStreamId('care-rb'), 7]);
    expect(await target.get(scheduleKey('care-rb'))).toBeUndefined();
    // The same history's dialogue and members, and everything else, are rebuilt.
    expect((await target.get(scheduleKey('vd-rb')))?.version).toBe(1);
    expect((await target.query<ProjectionFailure>(projectionFailuresPk('care-rb'))).map((n) => n.doc.version)).toEqual([7]);
    expect(report.projected).toBe(report.streams - report.unreadable.length);
  });
});
