/**
 * Reads DynamoDB Local's stream of a table, shard by shard, and hands the real records to a
 * handler in the shape Lambda's DynamoDB event source gives them, honouring partial batch
 * failures (a failed record and those after it in its shard are delivered again).
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
}

export interface StreamPoller {
  /** Resolves once every record written before the call has been handled successfully. */
  drain(timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

export async function startStreamPoller(options: StreamPollerOptions): Promise<StreamPoller> {
  const { dynamodb, streams, table, handler } = options;
  const batchSize = options.batchSize ?? 100;
  const intervalMs = options.intervalMs ?? 100;
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

  const pass = async (): Promise<boolean> => {
    await discoverShards();
    let busy = false;
    for (const [shardId, iterator] of iterators) {
      const page = await streams.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: batchSize }));
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
      const response = await handler({ Records: records.map((r) => toLambdaRecord(r, streamArn)) });
      const failed = response?.batchItemFailures?.[0]?.itemIdentifier;
      if (failed) {
        // Deliver again from the first failed record, as Lambda's event source does.
        const { ShardIterator } = await streams.send(
          new GetShardIteratorCommand({ StreamArn: streamArn, ShardId: shardId, ShardIteratorType: 'AT_SEQUENCE_NUMBER', SequenceNumber: failed }),
        );
        iterators.set(shardId, ShardIterator!);
      } else if (page.NextShardIterator) iterators.set(shardId, page.NextShardIterator);
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
