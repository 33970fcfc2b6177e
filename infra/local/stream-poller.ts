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
  const finished = new Set<string>();
  let stopped = false;
  let started = 0; // passes started so far (the next pass gets this index)
  let lastCompleted = -1;
  let idleStreakStart: number | undefined; // first pass of the current run of passes that found nothing

  const discoverShards = async () => {
    let ExclusiveStartShardId: string | undefined;
    do {
      const { StreamDescription } = await streams.send(new DescribeStreamCommand({ StreamArn: streamArn, ExclusiveStartShardId }));
      for (const shard of StreamDescription?.Shards ?? []) {
        const id = shard.ShardId!;
        if (iterators.has(id) || finished.has(id)) continue;
        const { ShardIterator } = await streams.send(
          new GetShardIteratorCommand({ StreamArn: streamArn, ShardId: id, ShardIteratorType: 'TRIM_HORIZON' }),
        );
        if (ShardIterator) iterators.set(id, ShardIterator);
      }
      ExclusiveStartShardId = StreamDescription?.LastEvaluatedShardId;
    } while (ExclusiveStartShardId);
  };

  const iteratorAt = async (shardId: string, type: 'AT_SEQUENCE_NUMBER' | 'AFTER_SEQUENCE_NUMBER', sequenceNumber: string) => {
    const { ShardIterator } = await streams.send(new GetShardIteratorCommand({ StreamArn: streamArn, ShardId: shardId, ShardIteratorType: type, SequenceNumber: sequenceNumber }));
    return ShardIterator!;
  };

  /**
   * DynamoDB Local numbers stream records across all its tables: the next iterator of a shard
   * that had no record yet goes stale ("trimmed") once another table's stream gets a record.
   * Such an iterator is taken again: after the shard's last record handled, else from its start.
   */
  const handled = new Map<string, string>(); // shard -> sequence number of the last record handled
  const getRecords = async (shardId: string, iterator: string) => {
    try {
      return await streams.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: batchSize }));
    } catch (error) {
      if ((error as Error).name !== 'TrimmedDataAccessException') throw error;
      const last = handled.get(shardId);
      const fresh = last
        ? await iteratorAt(shardId, 'AFTER_SEQUENCE_NUMBER', last)
        : (await streams.send(new GetShardIteratorCommand({ StreamArn: streamArn, ShardId: shardId, ShardIteratorType: 'TRIM_HORIZON' }))).ShardIterator!;
      return streams.send(new GetRecordsCommand({ ShardIterator: fresh, Limit: batchSize }));
    }
  };

  const pass = async (): Promise<boolean> => {
    await discoverShards();
    let busy = false;
    for (const [shardId, iterator] of iterators) {
      const page = await getRecords(shardId, iterator);
      const records = page.Records ?? [];
      if (records.length === 0) {
        if (page.NextShardIterator) iterators.set(shardId, page.NextShardIterator);
        else {
          iterators.delete(shardId);
          finished.add(shardId);
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
          iterators.set(shardId, await iteratorAt(shardId, 'AT_SEQUENCE_NUMBER', failed));
        } else {
          // Set it aside and go on with the records behind it.
          failing.delete(shardId);
          const letter: DeadLetter = { shardId, sequenceNumber: failed, keys: (record.dynamodb?.Keys ?? {}) as Record<string, unknown>, attempts, at: new Date().toISOString() };
          deadLetters.push(letter);
          onDeadLetter(letter);
          handled.set(shardId, failed);
          iterators.set(shardId, await iteratorAt(shardId, 'AFTER_SEQUENCE_NUMBER', failed));
        }
        continue;
      }
      failing.delete(shardId);
      handled.set(shardId, records[records.length - 1]!.dynamodb!.SequenceNumber!);
      if (page.NextShardIterator) iterators.set(shardId, page.NextShardIterator);
      else {
        iterators.delete(shardId);
        finished.add(shardId);
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
      const from = started;
      // Two passes in a row that started after this call and found nothing: every record
      // written before it has been handled (a failed one would have been found again).
      const caughtUp = () => idleStreakStart !== undefined && lastCompleted >= Math.max(idleStreakStart, from) + 1;
      while (!caughtUp()) {
        if (Date.now() > deadline) throw new Error('stream poller did not catch up in time');
        await new Promise((r) => setTimeout(r, intervalMs));
      }
    },
    deadLetters: () => [...deadLetters],
    async stop() {
      stopped = true;
      await loop;
    },
  };
}

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
