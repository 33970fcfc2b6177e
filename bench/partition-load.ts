/**
 * Partition load, simulated: what can not be run on this machine (10,000 registrations a second)
 * is replayed as a key pattern. For each registration it lists the items written, in each
 * table, by the whole path (API -> intake -> event store -> projector -> dispatcher's
 * confirmation mail), taking the read-model keys from the projector's own registry
 * (functions/projector/), and counts writes per partition key per second at the given arrival
 * rate, next to the same pattern with the read models unsharded (as before issue 16). Pure:
 * no DynamoDB, no clock. Prints a table and writes bench/results/partition-load.{json,md}.
 *
 *   npm run bench:partitions   (PARTITION_BENCH_N=100000 PARTITION_BENCH_RATE=10000)
 */
import { createHash, randomUUID } from 'node:crypto';
import { memberStreamId } from '../events/member/index.js';
import type { ConveneEvent } from '../events/registry.js';
import type { RecordedEvent } from '../events/shared/event.js';
import { streamDocuments } from '../functions/projector/project-stream.js';
import { deliveryTable, eventTable, intakeTable, membersTable, readModelTable } from '../functions/tables.js';

import { writeResult, type Headline, runBenchmark } from './support/measure.js';

const N = Number(process.env.PARTITION_BENCH_N ?? 100_000);
const RATE = Number(process.env.PARTITION_BENCH_RATE ?? 10_000);
/** DynamoDB's per-partition limits: write units and (strongly consistent) read units a second. */
const PARTITION_WCU = 1_000;

interface Write {
  readonly table: string;
  readonly pk: string;
  /** Write units: 1 for an item under 1 KB, 2 in a transaction. */
  readonly units: number;
}

const sha = (text: string) => createHash('sha256').update(text).digest('base64url');

function recorded(memberId: string, version: number, type: string, data: Record<string, unknown>): RecordedEvent<ConveneEvent> {
  return { type, data, metadata: { eventId: randomUUID(), streamId: memberStreamId(memberId), version, schemaVersion: 1, recordedAt: '2027-03-01T09:00:00.000Z', actor: { kind: 'member', id: memberId }, correlationId: 'sim', causationId: 'sim' } } as unknown as RecordedEvent<ConveneEvent>;
}

/** Every item one self-service registration writes, in order, from the request to its confirmation mail. */
function writesOfRegistration(seriesId: string): Write[] {
  const memberId = randomUUID();
  const requestId = randomUUID();
  const requested = recorded(memberId, 1, 'RegistrationRequested', { memberId, seriesId, registrationId: randomUUID(), requestId, sessions: 'all', language: 'en', timeZone: 'Asia/Kolkata', source: 'self-service' });
  const readModels = streamDocuments([requested]).map((d) => ({ table: readModelTable.id, pk: d.key.pk, units: 1 }));
  return [
    // The API: the request kept; the intake: read, member and claim (one transaction), name, event, item deleted.
    { table: intakeTable.id, pk: `request#${requestId}`, units: 1 },
    { table: membersTable.id, pk: `email#${sha(`${memberId}@example.org`)}`, units: 2 },
    { table: membersTable.id, pk: `member#${memberId}`, units: 2 },
    { table: membersTable.id, pk: `request#${requestId}`, units: 1 },
    { table: eventTable.id, pk: memberStreamId(memberId), units: 1 },
    { table: intakeTable.id, pk: `request#${requestId}`, units: 1 },
    // The projector: the member's registrations, their roster entry, the mail-queue item.
    ...readModels,
    // The dispatcher: the confirmation mail claimed and recorded (one group transaction each), the queue item taken.
    { table: deliveryTable.id, pk: `member-mail#${memberId}`, units: 2 },
    { table: deliveryTable.id, pk: `member-mail#${memberId}`, units: 2 },
    ...readModels.filter((w) => w.pk.startsWith('mail-queue')),
  ];
}

/** The same key as an unsharded read model had it: `roster#<series>#<n>` -> `roster#<series>`, `mail-queue#<n>` -> `mail-queue`. */
const unsharded = (w: Write): Write =>
  w.table !== readModelTable.id ? w : { ...w, pk: w.pk.replace(/^(roster#.+)#\d+$/, '$1').replace(/^(mail-queue|timetable)#\d+$/, '$1') };

interface Busiest {
  readonly table: string;
  readonly pk: string;
  readonly unitsPerSecond: number;
}

/** Units written per partition key in each second of arrivals, as is and unsharded; the busiest key of each table. */
function busiest(seriesOf: (i: number) => string): { sharded: Busiest[]; unsharded: Busiest[] } {
  const sharded = new Map<string, number>(); // `${second}|${table}|${pk}` -> units
  const before = new Map<string, number>();
  const add = (counts: Map<string, number>, second: number, w: Write) => {
    const key = `${second}|${w.table}|${w.pk}`;
    counts.set(key, (counts.get(key) ?? 0) + w.units);
  };
  for (let i = 0; i < N; i++) {
    const second = Math.floor(i / RATE);
    for (const w of writesOfRegistration(seriesOf(i))) {
      add(sharded, second, w);
      add(before, second, unsharded(w));
    }
  }
  return { sharded: topOf(sharded), unsharded: topOf(before) };
}

/** A key with its ids left out, as shown and grouped. */
const shown = (pk: string) => pk.replace(/[0-9a-f]{8}-[0-9a-f-]{27}/, '<id>').replace(/^email#.+$/, 'email#<hash>');

/** The busiest partition of each kind of item (table and key prefix: the roster, the mail queue...). */
function topOf(perSecond: Map<string, number>): Busiest[] {
  const top = new Map<string, Busiest>();
  for (const [key, units] of perSecond) {
    const [, table, pk] = key.split('|') as [string, string, string];
    const kind = `${table}|${shown(pk).replace(/#\d+$/, '')}`;
    if ((top.get(kind)?.unitsPerSecond ?? 0) < units) top.set(kind, { table, pk, unitsPerSecond: units });
  }
  return [...top.values()].sort((a, b) => b.unitsPerSecond - a.unitsPerSecond);
}

async function main() {
  const scenarios = [
    { name: `${N.toLocaleString('en')} registrations into one series at ${RATE.toLocaleString('en')}/s`, seriesOf: () => 'series-big' },
    { name: `${N.toLocaleString('en')} registrations over 1,000 series at ${RATE.toLocaleString('en')}/s`, seriesOf: (i: number) => `series-${i % 1000}` },
  ];
  const results = scenarios.map((s) => ({ scenario: s.name, ...busiest(s.seriesOf) }));
  const row = (b: Busiest) => `${b.table} \`${shown(b.pk)}\` ${b.unitsPerSecond.toLocaleString('en')} WCU/s`;
  const worst = (bs: Busiest[]) => bs[0]!;
  const md = [
    '| scenario | busiest partition, sharded read models | before (unsharded) | limit per partition |',
    '|---|---|---|---:|',
    ...results.map((r) => `| ${r.scenario} | ${row(worst(r.sharded))} | ${row(worst(r.unsharded))} | ${PARTITION_WCU.toLocaleString('en')} WCU/s |`),
    '',
    'Busiest partition of each kind of item (sharded):',
    '',
    ...results.flatMap((r) => [`- ${r.scenario}: ${r.sharded.slice(0, 6).map(row).join("; ")}`]),
  ].join('\n');
  const headlines: Headline[] = results.map((r) => ({
    benchmark: `partition load (simulated): ${r.scenario}`,
    figure: `busiest partition ${worst(r.sharded).unitsPerSecond.toLocaleString('en')} WCU/s`,
    baseline: `${PARTITION_WCU.toLocaleString('en')} WCU/s per partition; unsharded ${worst(r.unsharded).unitsPerSecond.toLocaleString('en')}`,
    ratio: Number((worst(r.sharded).unitsPerSecond / PARTITION_WCU).toFixed(2)),
    aim: 'no partition written once per registration; busiest under the per-partition limit',
    met: worst(r.sharded).unitsPerSecond < PARTITION_WCU,
    checked: 'the read-model keys are the projector registry\'s own (streamDocuments)',
  }));
  writeResult('partition-load', { date: new Date().toISOString(), registrations: N, ratePerSecond: RATE, partitionWcu: PARTITION_WCU, results, headlines }, md);
  if (headlines.some((h) => !h.met)) process.exitCode = 1;
}

runBenchmark(main);
