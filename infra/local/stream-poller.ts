/**
 * Reads DynamoDB Local's stream of a table, shard by shard, and hands the real records to a
 * handler in the shape Lambda's DynamoDB event source gives them, honouring partial batch
 * failures (the earliest failed record and those after it in its shard are delivered again).
 *
 * As the event source mapping does on AWS (retryAttempts, then the on-failure destination), a
 * record that keeps failing is retried a bounded number of times, with a growing pause, then
 * set aside: it goes to the poller's dead-letter list with a log line, and the records behind
 * it go on. A handler that throws for a whole batch counts as a failure of its first record
 * (Lambda bisects such a batch down to that record).
 *
 * Shards are discovered (DescribeStream) at most every SHARD_DISCOVERY_MS, not on every pass:
 * DynamoDB Local works out a stream's description on its one SQLite thread, at a cost that grows
 * with the stream (a thread dump under load showed that thread in getStreamDescription), so a
 * poller asking on every pass at 20 ms kept it busy for every other request. A shard that ends
 * and every pass while someone drains discover at once, so drain() still sees every record.
 */
import { DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type _Record,
  type DynamoDBStreamsClient,
} from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';

/** How often a running poller asks for new shards (a shard's end, or a drain, asks at once). */
export const SHARD_DISCOVERY_MS = 1000;

export interface StreamPollerOptions {
  readonly dynamodb: DynamoDBClient;
  readonly streams: DynamoDBStreamsClient;
  readonly table: string;
  readonly handler: (event: DynamoDBStreamEvent) => Promise<DynamoDBBatchResponse | void>;
  readonly batchSize?: number;
  readonly intervalMs?: number;
  readonly onError?: (error: unknown) => void;
  /** Deliveries of one record before it is set aside. Default 4 (one try and three retries). */
  readonly maxAttempts?: number;
  /** The pause before the first retry of a failed record, doubled for each next one. Default 100 ms. */
  readonly retryDelayMs?: number;
  /** Told of each record set aside; default: a line on stderr. */
  readonly onDeadLetter?: (letter: DeadLetter) => void;
}

/** A record the handler failed on `attempts` times, set aside (Lambda's on-failure destination gets the same pointers). */
export interface DeadLetter {
  readonly shardId: string;
  readonly sequenceNumber: string;
  /** The record's keys, as the handler got them. */
  readonly keys: Record<string, unknown>;
  readonly attempts: number;
  readonly at: string;
}

export interface StreamPoller {
  /** Resolves once every record written before the call has been handled successfully or set aside. */
  drain(timeoutMs?: number): Promise<void>;
  /** The records set aside so far, oldest first. */
  deadLetters(): readonly DeadLetter[];
  stop(): Promise<void>;
}

export async function startStreamPoller(options: StreamPollerOptions): Promise<StreamPoller> {
  const { dynamodb, streams, table, handler } = options;
  const batchSize = options.batchSize ?? 100;
  const intervalMs = options.intervalMs ?? 100;
  const maxAttempts = options.maxAttempts ?? 4;
  const retryDelayMs = options.retryDelayMs ?? 100;
  const onDeadLetter =
    options.onDeadLetter ??
    ((letter: DeadLetter) => console.error(`stream poller: set aside record ${letter.sequenceNumber} of ${table} (${JSON.stringify(letter.keys)}) after ${letter.attempts} attempts`));
  const deadLetters: DeadLetter[] = [];
  /** Failed deliveries of the record that failed last, per shard. */
  const failing = new Map<string, { sequenceNumber: string; attempts: number }>();
  const { Table } = await dynamodb.send(new DescribeTableCommand({ TableName: table }));
  const streamArn = Table?.LatestStreamArn;
  if (!streamArn) throw new Error(`table ${table} has no stream`);

  const iterators = new Map<string, string>(); // open shard -> next iterator
  /** Where each open shard's iterator stands, to open it again there (see `reopen`). */
  const positions = new Map<string, Position>();
  const finished = new Set<string>();
  let stopped = false;
  let started = 0; // passes started so far (the next pass gets this index)
  let lastCompleted = -1;
  let idleStreakStart: number | undefined; // first pass of the current run of passes that found nothing
  let nextDiscovery = 0; // when the next pass asks for shards (0: at once)
  let draining = 0; // drain() calls waiting: while any is, every pass asks

  const discoverShards = async () => {
    let ExclusiveStartShardId: string | undefined;
    do {
      const { StreamDescription } = await streams.send(new DescribeStreamCommand({ StreamArn: streamArn, ExclusiveStartShardId }));
      for (const shard of StreamDescription?.Shards ?? []) {
        const id = shard.ShardId!;
        if (iterators.has(id) || finished.has(id)) continue;
        await openAt(id, FROM_START);
      }
      ExclusiveStartShardId = StreamDescription?.LastEvaluatedShardId;
    } while (ExclusiveStartShardId);
  };

  /** The shard's next iterator, at a position, and that position kept (see `reopen`). */
  const openAt = async (shardId: string, position: Position) => {
    const { ShardIterator } = await streams.send(
      new GetShardIteratorCommand({ StreamArn: streamArn, ShardId: shardId, ShardIteratorType: position.type, ...('sequenceNumber' in position ? { SequenceNumber: position.sequenceNumber } : {}) }),
    );
    if (!ShardIterator) return;
    iterators.set(shardId, ShardIterator);
    positions.set(shardId, position);
  };

  /**
   * DynamoDB Local hands out, for a shard with no record yet, an iterator that fails with
   * TrimmedDataAccessException once a record arrives if another table's stream took a sequence
   * number meanwhile; an iterator also expires (ExpiredIteratorException). Either way the shard
   * is opened again where it stood (from its start while nothing was read), so nothing is
   * skipped and nothing handled is handed over again.
   */
  const reopen = (shardId: string) => openAt(shardId, positions.get(shardId) ?? FROM_START);
  const isStale = (error: unknown) => error instanceof Error && (error.name === 'TrimmedDataAccessException' || error.name === 'ExpiredIteratorException');

  const pass = async (): Promise<boolean> => {
    if (draining > 0 || iterators.size === 0 || Date.now() >= nextDiscovery) {
      nextDiscovery = Date.now() + SHARD_DISCOVERY_MS;
      await discoverShards();
    }
    let busy = false;
    for (const [shardId, iterator] of iterators) {
      let page;
      try {
        page = await streams.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: batchSize }));
      } catch (error) {
        if (!isStale(error)) throw error;
        await reopen(shardId);
        busy = true; // not idle: the shard is read again in the next pass
        continue;
      }
      const records = page.Records ?? [];
      if (records.length === 0) {
        if (page.NextShardIterator) iterators.set(shardId, page.NextShardIterator);
        else {
          iterators.delete(shardId);
          finished.add(shardId);
          nextDiscovery = 0; // its child shard, at once
        }
        continue;
      }
      busy = true;
      let failed: string | undefined;
      try {
        const response = await handler({ Records: records.map((r) => toLambdaRecord(r, streamArn)) });
        // As Lambda does, the checkpoint is the failed record with the lowest sequence number, not
        // the first one listed: a handler that works on its records at once lists them as they fail.
        const reported = new Set((response?.batchItemFailures ?? []).map((f) => f.itemIdentifier));
        failed = records.find((r) => reported.has(r.dynamodb!.SequenceNumber!))?.dynamodb!.SequenceNumber ?? [...reported][0];
      } catch (error) {
        const say = (e: unknown) => console.error(`stream poller: the handler failed a whole batch of ${records.length} from ${table}: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`);
        (options.onError ?? say)(error);
        failed = records[0]!.dynamodb!.SequenceNumber!;
      }
      if (failed) {
        const record = records.find((r) => r.dynamodb?.SequenceNumber === failed) ?? records[0]!;
        const before = failing.get(shardId);
        const attempts = before?.sequenceNumber === failed ? before.attempts + 1 : 1;
        if (attempts < maxAttempts) {
          failing.set(shardId, { sequenceNumber: failed, attempts });
          // Deliver again from the first failed record, as Lambda's event source does, after a pause.
          await new Promise((r) => setTimeout(r, retryDelayMs * 2 ** (attempts - 1)));
          await openAt(shardId, { type: 'AT_SEQUENCE_NUMBER', sequenceNumber: failed });
        } else {
          // Set it aside and go on with the records behind it.
          failing.delete(shardId);
          const letter: DeadLetter = { shardId, sequenceNumber: failed, keys: (record.dynamodb?.Keys ?? {}) as Record<string, unknown>, attempts, at: new Date().toISOString() };
          deadLetters.push(letter);
          onDeadLetter(letter);
          await openAt(shardId, { type: 'AFTER_SEQUENCE_NUMBER', sequenceNumber: failed });
        }
        continue;
      }
      failing.delete(shardId);
      positions.set(shardId, { type: 'AFTER_SEQUENCE_NUMBER', sequenceNumber: records.at(-1)!.dynamodb!.SequenceNumber! });
      if (page.NextShardIterator) iterators.set(shardId, page.NextShardIterator);
      else {
        iterators.delete(shardId);
        finished.add(shardId);
        nextDiscovery = 0; // its child shard, at once
      }
    }
    return busy;
  };

  const loop = (async () => {
    while (!stopped) {
      const index = started++;
      let idle = false;
      try {
        idle = !(await pass());
      } catch (error) {
        (options.onError ?? ((e) => console.error('stream poller:', e)))(error);
      }
      if (!idle) idleStreakStart = undefined;
      else idleStreakStart ??= index;
      lastCompleted = index;
      if (!stopped) await new Promise((r) => setTimeout(r, intervalMs));
    }
  })();

  return {
    async drain(timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      draining++;
      try {
        const from = started;
        // Two passes in a row that started after this call and found nothing: every record
        // written before it has been handled (a failed one would have been found again). Each
        // of them asked for new shards (`draining`).
        const caughtUp = () => idleStreakStart !== undefined && lastCompleted >= Math.max(idleStreakStart, from) + 1;
        while (!caughtUp()) {
          if (Date.now() > deadline) throw new Error('stream poller did not catch up in time');
          await new Promise((r) => setTimeout(r, intervalMs));
        }
      } finally {
        draining--;
      }
    },
    deadLetters: () => [...deadLetters],
    async stop() {
      stopped = true;
      await loop;
    },
  };
}

type Position = { readonly type: 'TRIM_HORIZON' } | { readonly type: 'AT_SEQUENCE_NUMBER' | 'AFTER_SEQUENCE_NUMBER'; readonly sequenceNumber: string };
const FROM_START: Position = { type: 'TRIM_HORIZON' };

/** The SDK's stream record as Lambda's event source delivers it. */
export function toLambdaRecord(record: _Record, eventSourceARN: string): DynamoDBRecord {
  const { dynamodb } = record;
  const created = dynamodb?.ApproximateCreationDateTime;
  return {
    eventID: record.eventID!,
    eventName: record.eventName as DynamoDBRecord['eventName'],
    eventVersion: record.eventVersion!,
    eventSource: record.eventSource!,
    awsRegion: record.awsRegion!,
    eventSourceARN,
    dynamodb: {
      ...(created ? { ApproximateCreationDateTime: Math.floor(new Date(created).getTime() / 1000) } : {}),
      Keys: dynamodb?.Keys as never,
      ...(dynamodb?.NewImage ? { NewImage: dynamodb.NewImage as never } : {}),
      SequenceNumber: dynamodb?.SequenceNumber!,
      SizeBytes: dynamodb?.SizeBytes!,
      StreamViewType: dynamodb?.StreamViewType as never,
    },
  };
}
