/**
 * Rebuild: 100,000 events replayed into read models (rebuildReadModels end to end, documents
 * written), next to reading the same events raw from the same DynamoDB Local in the same run.
 * Not a test: prints a table and writes bench/results/rebuild.{json,md}.
 *
 *   npm run bench:rebuild    (REBUILD_BENCH_EVENTS=100000 REBUILD_BENCH_ROUNDS=3 REBUILD_BENCH_CONCURRENCY=16)
 */
import { cpus } from 'node:os';
import { isDeepStrictEqual } from 'node:util';
import { QueryCommand, ScanCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { eventRegistry, type ConveneEvent } from '../events/registry.js';
import type { RecordedEvent } from '../events/shared/event.js';
import { documentClient } from '../functions/adapters/dynamodb-client.js';
import { batchWriteAll } from '../functions/adapters/dynamodb-pages.js';
import { conveneEventStore, toItem } from '../functions/adapters/event-store/index.js';
import { streamCategory } from '../events/shared/event.js';
import { createReadModelStore, keyString, type StoredDocument } from '../functions/read-models/read-model-store.js';
import { mapLimited } from '../functions/map-limited.js';
import { projections } from '../functions/projector/projections.js';
import { rebuildReadModels } from '../functions/projector/rebuild.js';
import { localClients } from '../infra/local/clients.js';
import { createTables, STREAMED_TABLE_IDS } from '../infra/local/create-tables.js';
import { startLocalStack } from '../infra/local/stack.js';
import { EVENT_STREAM_ID, eventTable, localTableNames, readModelTable, tableEnvironment } from '../functions/tables.js';
import { benchHistory } from './rebuild-history.js';
import { median, writeResult, type Headline, runBenchmark } from './support/measure.js';

const EVENTS = Number(process.env.REBUILD_BENCH_EVENTS ?? 100_000);
const ROUNDS = Number(process.env.REBUILD_BENCH_ROUNDS ?? 3);
const CONCURRENCY = Number(process.env.REBUILD_BENCH_CONCURRENCY ?? 16);
const context = { actor: { kind: 'system', id: 'bench' }, correlationId: 'bench-rebuild' } as const;

const seconds = async (work: () => Promise<unknown>) => {
  const started = performance.now();
  await work();
  return (performance.now() - started) / 1000;
};

/** The baseline: every stream's events by Query, paginated, as many in flight as the rebuild; items counted, nothing decoded. */
async function rawQueryRead(client: DynamoDBDocumentClient, table: string, streamIds: readonly string[]): Promise<number> {
  const counts = await mapLimited(streamIds, CONCURRENCY, async (streamId) => {
    let n = 0;
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const page = await client.send(
        new QueryCommand({
          TableName: table,
          KeyConditionExpression: '#s = :s',
          ExpressionAttributeNames: { '#s': EVENT_STREAM_ID },
          ExpressionAttributeValues: { ':s': streamId },
          ConsistentRead: true,
          ExclusiveStartKey,
        }),
      );
      n += page.Items?.length ?? 0;
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    return n;
  });
  return counts.reduce((a, b) => a + b, 0);
}

/** Another way to just read them: a parallel Scan of the whole table. */
async function rawScanRead(client: DynamoDBDocumentClient, table: string, segments: number): Promise<number> {
  const counts = await Promise.all(
    Array.from({ length: segments }, async (_, Segment) => {
      let n = 0;
      let ExclusiveStartKey: Record<string, unknown> | undefined;
      do {
        const page = await client.send(new ScanCommand({ TableName: table, Segment, TotalSegments: segments, ConsistentRead: true, ExclusiveStartKey }));
        n += page.Items?.length ?? 0;
        ExclusiveStartKey = page.LastEvaluatedKey;
      } while (ExclusiveStartKey);
      return n;
    }),
  );
  return counts.reduce((a, b) => a + b, 0);
}

/** What incremental projection would hold after these streams: each stream's documents at its last version. */
function expectedReadModels(streams: readonly RecordedEvent<ConveneEvent>[][]): Map<string, StoredDocument<unknown>> {
  const out = new Map<string, StoredDocument<unknown>>();
  for (const events of streams) {
    const projection = projections[streamCategory(events[0]!.metadata.streamId)];
    const version = events.at(-1)!.metadata.version;
    // Through JSON: the documents as DynamoDB gives them back (no undefined fields).
    for (const { key, doc } of projection?.project(events) ?? []) out.set(keyString(key), { version, doc: JSON.parse(JSON.stringify(doc)) });
  }
  return out;
}

async function main() {
  // No stream consumer runs here, and with the streams on DynamoDB Local slows every request to a
  // table as its stream grows (infra/local/create-tables.ts): the raw reads and the rebuild alike.
  const stack = await startLocalStack({ tablePrefix: 'benchrebuild', withoutStreams: STREAMED_TABLE_IDS });
  try {
    const clients = localClients(stack.info);
    const doc = documentClient(clients.dynamodb);
    const store = conveneEventStore(tableEnvironment(stack.info.tables), doc);
    const eventsTable = stack.info.tables[eventTable.id]!;

    // Seed: the series through the event store; the members' events (nearly all of them) as
    // BatchWriteItem of the very items the store writes (its toItem, its metadata), 25 a request:
    // appending them one transaction per stream took over 4 minutes for 20,000 events here.
    let started = performance.now();
    const history = benchHistory(EVENTS);
    const generatedIn = performance.now() - started;
    started = performance.now();
    const recorded = await mapLimited(history, CONCURRENCY, async ({ streamId, events }) => {
      if (streamCategory(streamId) === 'series') return store.append(streamId, events, 0, { ...context, recordedAt: new Date() });
      const recordedAt = new Date().toISOString();
      return events.map((event, i): RecordedEvent<ConveneEvent> => ({
        ...eventRegistry.encode(event),
        metadata: { eventId: crypto.randomUUID(), streamId, version: i + 1, schemaVersion: eventRegistry.currentVersion(event.type), recordedAt, ...context, causationId: context.correlationId },
      }));
    });
    const items = recorded.flatMap((events) => (streamCategory(events[0]!.metadata.streamId) === 'series' ? [] : events.map(toItem)));
    await batchWriteAll(doc, eventsTable, items.map((Item) => ({ PutRequest: { Item } })), CONCURRENCY);
    const seededIn = performance.now() - started;
    const total = recorded.reduce((n, s) => n + s.length, 0);
    const members = history.filter((s) => s.streamId.startsWith('member-')).length;
    console.log(`seeded ${total} events in ${history.length} streams (${history.length - members} series, ${members} members): generated in ${Math.round(generatedIn / 1000)} s, appended in ${Math.round(seededIn / 1000)} s`);
    const expected = expectedReadModels(recorded);
    const streamIds = await store.listAllStreams();
    if (streamIds.length !== history.length) throw new Error(`expected ${history.length} streams, found ${streamIds.length}`);

    // Warm the JVM on the same work before measuring.
    await rawQueryRead(doc, eventsTable, streamIds);

    const rows = { query: [] as number[], scan: [] as number[], rebuild: [] as number[] };
    for (let round = 0; round < ROUNDS; round++) {
      rows.query.push(
        total /
          (await seconds(async () => {
            const n = await rawQueryRead(doc, eventsTable, streamIds);
            if (n !== total) throw new Error(`raw Query read ${n} events, not ${total}`);
          })),
      );
      rows.scan.push(
        total /
          (await seconds(async () => {
            const n = await rawScanRead(doc, eventsTable, 4);
            if (n !== total) throw new Error(`raw Scan read ${n} events, not ${total}`);
          })),
      );
      // Each round rebuilds into a fresh, empty read-model table (as `npm run rebuild` after clearing), without its stream as above.
      const names = localTableNames(`benchrebuild${round}`);
      await createTables(clients.dynamodb, names, { withoutStreams: [readModelTable.id] });
      const readModels = createReadModelStore(doc, names[readModelTable.id]!);
      let report: Awaited<ReturnType<typeof rebuildReadModels>> | undefined;
      rows.rebuild.push(total / (await seconds(async () => (report = await rebuildReadModels({ store, readModels }, CONCURRENCY)))));
      // The rebuild must have written every document, each equal to what projection gives.
      const actual = await readModels.all();
      if (report!.streams !== history.length || report!.events !== total) throw new Error(`rebuild read ${report!.events} events of ${report!.streams} streams, not ${total} of ${history.length}`);
      if (actual.size !== expected.size) throw new Error(`rebuild wrote ${actual.size} documents, expected ${expected.size}`);
      for (const [key, want] of expected) {
        if (!isDeepStrictEqual(actual.get(key), want)) throw new Error(`read model ${key} differs from the projection of its stream`);
      }
      console.log(`round ${round + 1}: raw Query ${Math.round(rows.query.at(-1)!)}/s, raw Scan ${Math.round(rows.scan.at(-1)!)}/s, rebuild ${Math.round(rows.rebuild.at(-1)!)}/s (${actual.size} documents verified)`);
    }

    const baseline = median(rows.query);
    const result = {
      date: new Date().toISOString(),
      machine: { cpus: cpus().length, node: process.version },
      events: total,
      streams: { series: history.length - members, members },
      documents: expected.size,
      concurrency: CONCURRENCY,
      rounds: ROUNDS,
      seedSeconds: Math.round(seededIn / 100) / 10,
      baseline: { what: `raw Query per stream, paginated, ${CONCURRENCY} in flight`, eventsPerSecond: Math.round(baseline) },
      rows: [
        ['raw parallel Scan of the event table (4 segments)', median(rows.scan)],
        [`rebuildReadModels: ${expected.size} read models written and verified`, median(rows.rebuild)],
      ].map(([what, perSecond]) => ({ what, eventsPerSecond: Math.round(perSecond as number), ratioToBaseline: Number(((perSecond as number) / baseline).toFixed(2)) })),
      allRounds: Object.fromEntries(Object.entries(rows).map(([k, v]) => [k, v.map(Math.round)])),
    };
    const md = [
      `| ${total.toLocaleString('en')} events, ${history.length.toLocaleString('en')} streams (median of ${ROUNDS}) | events/s | ratio to raw Query |`,
      '|---|---:|---:|',
      `| ${result.baseline.what} (baseline) | ${result.baseline.eventsPerSecond} | 1.00 |`,
      ...result.rows.map((r) => `| ${r.what} | ${r.eventsPerSecond} | ${r.ratioToBaseline.toFixed(2)} |`),
    ].join('\n');
    const rebuilt = result.rows[1]!;
    const headlines: Headline[] = [
      {
        benchmark: `rebuild: ${total.toLocaleString('en')} events replayed into read models`,
        figure: `${rebuilt.eventsPerSecond} events/s`,
        baseline: `${result.baseline.eventsPerSecond} events/s (raw Query per stream)`,
        ratio: rebuilt.ratioToBaseline,
        aim: 'ratio ≥ 0.5',
        met: rebuilt.ratioToBaseline >= 0.5,
        checked: `${expected.size.toLocaleString('en')} read models equal to the projection of each stream, every round`,
      },
    ];
    writeResult('rebuild', { ...result, headlines }, md);
    console.log('\nall rounds (events/s):', JSON.stringify(result.allRounds));
    clients.dynamodb.destroy();
  } finally {
    await stack.stop();
  }
}

runBenchmark(main);
