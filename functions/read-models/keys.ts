/**
 * Where each read model lives in the read-model table (functions/tables.ts `readModelTable`):
 * the keys the projector writes under and every reader reads by.
 */
import type { ReadModelKey } from './read-model-store.js';

/**
 * Read models written once per registration or per series are spread over several partitions
 * (DynamoDB takes about 1,000 writes a second per partition): an item goes to the shard its
 * id hashes to, and a reader queries every shard at once. The capacity model in the README says
 * why these numbers: at 10,000 registrations a second, 32 roster shards take about 310 writes
 * a second each, and 64 mail-queue shards (written by the projector, deleted by the
 * dispatcher: two writes per registration) about 360 (bench/partition-load.ts).
 */
export const ROSTER_SHARDS = 32;
export const MAIL_QUEUE_SHARDS = 64;
export const TIMETABLE_SHARDS = 8;

/** The shard an id goes to: FNV-1a over its UTF-16 code units, stable across versions and runtimes. */
export function shardOf(id: string, shards: number): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) {
    hash ^= id.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % shards;
}

const everyShard = (shards: number, pk: (shard: number) => string) => Array.from({ length: shards }, (_, shard) => pk(shard));

const SCHEDULE_PK = 'series#';
const SCHEDULE_SK = 'schedule';
const REGISTRATIONS_PK = 'member#';
const REGISTRATIONS_SK = 'registrations';
const ROSTER_PK = 'roster#';
const ROSTER_SK = 'member#';
/** rosterPk's shape: the series id, then `#` and the shard. */
const ROSTER_PK_PATTERN = new RegExp(`^${ROSTER_PK}(.+)#\\d+$`);

export const scheduleKey = (seriesId: string): ReadModelKey => ({ pk: `${SCHEDULE_PK}${seriesId}`, sk: SCHEDULE_SK });
export const memberRegistrationsKey = (memberId: string): ReadModelKey => ({ pk: `${REGISTRATIONS_PK}${memberId}`, sk: REGISTRATIONS_SK });
/** A series' roster: one item per registered member, in the shard of the member, queried over every shard of the series. */
export const rosterPk = (seriesId: string, shard: number) => `${ROSTER_PK}${seriesId}#${shard}`;
export const rosterPks = (seriesId: string) => everyShard(ROSTER_SHARDS, (shard) => rosterPk(seriesId, shard));
export const rosterKey = (seriesId: string, memberId: string): ReadModelKey => ({ pk: rosterPk(seriesId, shardOf(memberId, ROSTER_SHARDS)), sk: `${ROSTER_SK}${memberId}` });

/** Which member-facing read model a key is (for readers of the table's stream: the feed renderer), or undefined. */
export type ReadModelOfKey =
  | { readonly kind: 'schedule'; readonly seriesId: string }
  | { readonly kind: 'registrations'; readonly memberId: string }
  | { readonly kind: 'roster'; readonly seriesId: string; readonly memberId: string };

export function readModelOfKey({ pk, sk }: ReadModelKey): ReadModelOfKey | undefined {
  if (pk.startsWith(SCHEDULE_PK) && sk === SCHEDULE_SK) return { kind: 'schedule', seriesId: pk.slice(SCHEDULE_PK.length) };
  if (pk.startsWith(REGISTRATIONS_PK) && sk === REGISTRATIONS_SK) return { kind: 'registrations', memberId: pk.slice(REGISTRATIONS_PK.length) };
  const roster = ROSTER_PK_PATTERN.exec(pk);
  if (roster && sk.startsWith(ROSTER_SK)) return { kind: 'roster', seriesId: roster[1]!, memberId: sk.slice(ROSTER_SK.length) };
  return undefined;
}

/**
 * What the dispatcher finds its work through (functions/dispatcher/): the mail queue holds one
 * item per stream that changed since the dispatcher last reconciled it (series: everyone's
 * invites; member: theirs); the timetable one small item per series (when its reminders can
 * fall due); custom offsets one item per member who chose their own reminder offsets.
 */
export const MAIL_QUEUE_PREFIX = 'mail-queue#';
export const MAIL_QUEUE_PKS = everyShard(MAIL_QUEUE_SHARDS, (shard) => `${MAIL_QUEUE_PREFIX}${shard}`);
export const mailQueueKey = (streamId: string): ReadModelKey => ({ pk: MAIL_QUEUE_PKS[shardOf(streamId, MAIL_QUEUE_SHARDS)]!, sk: streamId });
export const TIMETABLE_PKS = everyShard(TIMETABLE_SHARDS, (shard) => `timetable#${shard}`);
export const timetableKey = (seriesId: string): ReadModelKey => ({ pk: TIMETABLE_PKS[shardOf(seriesId, TIMETABLE_SHARDS)]!, sk: seriesId });
/** A certificate of participation by its id, for the public verification page (functions/api/routes/certificates.ts). */
export const certificateKey = (certificateId: string): ReadModelKey => ({ pk: `certificate#${certificateId}`, sk: 'certificate' });
export const customOffsetsPk = (seriesId: string) => `offsets#${seriesId}`;
export const customOffsetsKey = (seriesId: string, memberId: string): ReadModelKey => ({ pk: customOffsetsPk(seriesId), sk: memberId });

/**
 * Streams of a series whose events no longer fold (one fails its schema on read): one item per
 * stream, written by the projector when it sets such a record aside, shown to the series'
 * organisers until the stream projects past it (its main document reaches `version`).
 */
export const projectionFailuresPk = (seriesId: string) => `projection-failures#${seriesId}`;
export const projectionFailureKey = (seriesId: string, streamId: string): ReadModelKey => ({ pk: projectionFailuresPk(seriesId), sk: streamId });
