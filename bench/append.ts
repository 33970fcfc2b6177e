/**
 * Appends per second through the event store, next to raw conditional PutItems against the
 * same DynamoDB Local in the same run. Not a test: prints a table and writes
 * bench/results/append.{json,md}.
 *
 *   npm run bench            (APPEND_BENCH_N=3000 APPEND_BENCH_CONCURRENCY=32 by default)
 */
import { writeFileSync } from 'node:fs';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '../functions/adapters/dynamodb-client.js';
import { conveneEventStore } from '../functions/adapters/event-store/index.js';
import type { ConveneEvent } from '../events/registry.js';
import { memberDecider, memberStreamId } from '../events/member/index.js';
import { handleCommand } from '../functions/commands/command-handler.js';
import { localClients } from '../infra/local/clients.js';
import { startLocalStack } from '../infra/local/stack.js';
import { EVENT_STREAM_ID, EVENT_VERSION, eventTable, tableEnvironment } from '../functions/tables.js';
import { median, measure, runBenchmark } from './support/measure.js';

const N = Number(process.env.APPEND_BENCH_N ?? 3000);
const CONCURRENCY = Number(process.env.APPEND_BENCH_CONCURRENCY ?? 32);
const ROUNDS = Number(process.env.APPEND_BENCH_ROUNDS ?? 3);

const actor = { kind: 'system', id: 'bench' } as const;
/** One small member event (a change of preferences), of about the size a delivery record had. */
const change = (memberId: string, i: number): ConveneEvent => ({
  type: 'MemberPreferencesChanged',
  data: { memberId, language: i % 2 === 0 ? 'en' : 'es', timeZone: 'America/Guayaquil', reminderOffsets: ['P1D', 'PT1H'] },
});

/** Operations per second of `n` operations with `concurrency` in flight. */
const perSecond = async (...args: Parameters<typeof measure>): Promise<number> => (await measure(...args)).perSecond;


async function main() {
  const stack = await startLocalStack({ tablePrefix: 'bench' });
  try {
    const clients = localClients(stack.info);
    const doc = documentClient(clients.dynamodb);
    const store = conveneEventStore(tableEnvironment(stack.info.tables), doc);
    const table = stack.info.tables[eventTable.id]!;
    const run = `${Date.now()}`;

    // The same item the store writes for one event, written raw with the same condition.
    const [sample] = await store.append(memberStreamId(`sample-${run}`), [change('sample', 0)], 0, { actor, correlationId: 'bench', recordedAt: new Date() });
    const { metadata, ...event } = sample!;
    const rawItem = (streamId: string) => ({
      [EVENT_STREAM_ID]: streamId,
      [EVENT_VERSION]: 1,
      eventId: crypto.randomUUID(),
      type: event.type,
      schemaVersion: 1,
      data: event.data,
      recordedAt: new Date().toISOString(),
      actor,
      correlationId: 'bench',
      causationId: 'bench',
    });
    const rawPut = (streamId: string) =>
      doc.send(new PutCommand({ TableName: table, Item: rawItem(streamId), ConditionExpression: `attribute_not_exists(${EVENT_STREAM_ID})` }));

    // Warm the JVM: DynamoDB Local is slow right after start.
    await measure(2000, CONCURRENCY, (i) => rawPut(`warm-${run}-${i}`));

    const rows: Record<string, number[]> = { raw: [], newStream: [], existingStream: [], command: [] };
    for (let round = 0; round < ROUNDS; round++) {
      const tag = `${run}-${round}`;
      rows.raw!.push(await perSecond(N, CONCURRENCY, (i) => rawPut(`raw-${tag}-${i}`)));
      // One event to a new stream: expected version 0, a single conditional PutItem.
      rows.newStream!.push(
        await perSecond(N, CONCURRENCY, (i) => store.append(memberStreamId(`new-${tag}-${i}`), [change('m', i)], 0, { actor, correlationId: 'bench', recordedAt: new Date() })),
      );
      // One event to a stream that has events: a transaction with the expected-version check.
      const versions = new Map<number, number>();
      rows.existingStream!.push(
        await perSecond(N, CONCURRENCY, async (i, slot) => {
          // Each slot appends to its own stream, one append after the other.
          const v = versions.get(slot) ?? 0;
          versions.set(slot, v + 1);
          await store.append(memberStreamId(`existing-${tag}-${slot}`), [change('m', i)], v, { actor, correlationId: 'bench', recordedAt: new Date() });
        }),
      );
      // A whole command: read the stream, decide, append (one registration per member).
      rows.command!.push(
        await perSecond(N, CONCURRENCY, (i) =>
          handleCommand({
            store,
            decider: memberDecider,
            streamId: memberStreamId(`cmd-${tag}-${i}`),
            command: {
              type: 'RequestRegistration',
              memberId: `cmd-${tag}-${i}`,
              seriesId: 'care-economy-2027',
              registrationId: `r-${i}`,
              sessions: 'all',
              language: 'en',
              timeZone: 'Asia/Kolkata',
              source: 'self-service',
            },
            context: { actor, correlationId: 'bench' },
          }),
        ),
      );
    }

    const raw = median(rows.raw!);
    const result = {
      date: new Date().toISOString(),
      machine: { cpus: (await import('node:os')).cpus().length, node: process.version },
      n: N,
      concurrency: CONCURRENCY,
      rounds: ROUNDS,
      rawPutItemPerSecond: Math.round(raw),
      rows: [
        ['event store: one event, new stream (conditional PutItem)', median(rows.newStream!)],
        ['event store: one event, existing stream (TransactWriteItems with version check)', median(rows.existingStream!)],
        ['command runner: read + decide + append (RequestRegistration)', median(rows.command!)],
      ].map(([what, perSecond]) => ({ what, perSecond: Math.round(perSecond as number), ratioToRaw: Number(((perSecond as number) / raw).toFixed(2)) })),
      allRounds: Object.fromEntries(Object.entries(rows).map(([k, v]) => [k, v.map(Math.round)])),
    };
    const md = [
      `| operation (${N} each, ${CONCURRENCY} in flight, median of ${ROUNDS}) | per second | ratio to raw PutItem |`,
      '|---|---:|---:|',
      `| raw conditional PutItem (baseline) | ${result.rawPutItemPerSecond} | 1.00 |`,
      ...result.rows.map((r) => `| ${r.what} | ${r.perSecond} | ${r.ratioToRaw.toFixed(2)} |`),
    ].join('\n');
    writeFileSync(new URL('./results/append.json', import.meta.url), `${JSON.stringify(result, null, 2)}\n`);
    writeFileSync(new URL('./results/append.md', import.meta.url), `${md}\n`);
    console.log(md);
    console.log('\nall rounds (per second):', JSON.stringify(result.allRounds));
    clients.dynamodb.destroy();
  } finally {
    await stack.stop();
  }
}

runBenchmark(main);
