/**
 * What a personal feed reads, asked for in one go so DynamoDB can answer in one round trip:
 * whose a feed token is, that member's registrations, schedules (whole, or only whether their
 * series moved past a version the caller holds) and rosters.
 *
 * A schedule at version v is the fold of its stream's first v events, so "the stream has no
 * event v+1" proves a held schedule current without reading the schedule document (a
 * 200-session schedule is a few hundred KiB, and the costliest read of a feed).
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { BatchGetCommand } from '@aws-sdk/lib-dynamodb';
import { MEMBER_PK, READ_MODEL_PK, READ_MODEL_SK, membersTable, readModelTable, type TableNames } from '../tables.js';
import type { MemberRegistrations, RosterEntry } from '../../events/projections/member-registrations.js';
import type { SeriesSchedule } from '../../events/projections/schedule.js';
import { seriesStreamId } from '../../events/series/index.js';
import type { ConveneEvent } from '../../events/registry.js';
import type { EventStore } from '../adapters/event-store/event-store.js';
import { batchGetAll } from '../adapters/dynamodb-pages.js';
import { FEED_TOKEN, feedTokenPk, type MemberDirectory } from '../adapters/members/member-directory.js';
import { memberRegistrationsKey, scheduleKey } from './keys.js';
import { getMemberRegistrations, getRosterEntries, getSchedule } from './queries.js';
import { keyString, type ReadModelKey, type ReadModelStore, type StoredDocument } from './read-model-store.js';

export interface FeedReadRequest {
  /** Whose feed token this is (no member in the answer once it was rotated away). */
  readonly token?: string;
  /** Read this member's registrations. */
  readonly memberId?: string;
  /** Schedules the caller holds at `version`: has their series' stream moved past it? */
  readonly probes?: readonly { readonly seriesId: string; readonly version: number }[];
  /** Schedules to read whole. */
  readonly schedules?: readonly string[];
  /** Rosters to read (the seats of capacity-limited sessions). */
  readonly rosters?: readonly string[];
}

export interface FeedReadResult {
  readonly tokenMemberId?: string;
  readonly registrations?: StoredDocument<MemberRegistrations>;
  /** The probed series whose stream has an event past the probed version. */
  readonly moved: ReadonlySet<string>;
  /** The schedules asked for that exist. */
  readonly schedules: ReadonlyMap<string, StoredDocument<SeriesSchedule>>;
  readonly rosters: ReadonlyMap<string, readonly RosterEntry[]>;
}

export type FeedReads = (request: FeedReadRequest) => Promise<FeedReadResult>;

/** The probed series whose stream moved past the version held (the event store answers). */
async function movedSeries(store: EventStore<ConveneEvent>, probes: FeedReadRequest['probes'] = []): Promise<Set<string>> {
  const moved = await store.movedPast(probes.map((p) => ({ streamId: seriesStreamId(p.seriesId), version: p.version })));
  return new Set(probes.filter((p) => moved.has(seriesStreamId(p.seriesId))).map((p) => p.seriesId));
}

const readRosters = (readModels: ReadModelStore, ids: readonly string[] = []) =>
  Promise.all(ids.map(async (id) => [id, await getRosterEntries(readModels, id)] as const));

/** Through the stores the API already has: every read a request of its own, all in parallel. */
export function feedReadsFrom(deps: { readonly members: MemberDirectory; readonly readModels: ReadModelStore; readonly store: EventStore<ConveneEvent> }): FeedReads {
  return async (request) => {
    const [tokenMemberId, registrations, moved, schedules, rosters] = await Promise.all([
      request.token === undefined ? undefined : deps.members.memberIdForFeedToken(request.token),
      request.memberId === undefined ? undefined : getMemberRegistrations(deps.readModels, request.memberId),
      movedSeries(deps.store, request.probes),
      Promise.all((request.schedules ?? []).map(async (id) => [id, await getSchedule(deps.readModels, id)] as const)),
      readRosters(deps.readModels, request.rosters),
    ]);
    return {
      ...(tokenMemberId ? { tokenMemberId } : {}),
      ...(registrations ? { registrations } : {}),
      moved,
      schedules: new Map(schedules.flatMap(([id, doc]) => (doc ? [[id, doc] as const] : []))),
      rosters: new Map(rosters),
    };
  };
}

export interface FeedTables {
  readonly members: string;
  readonly readModels: string;
}

/** The tables a feed reads, from the names of a stack's tables (local stacks, tests). */
export const feedTablesOf = (names: TableNames): FeedTables => ({
  members: names[membersTable.id]!,
  readModels: names[readModelTable.id]!,
});

/** BatchGetItem reads at most 100 keys per request; the rest go through batchGetAll. */
const BATCH_GET_LIMIT = 100;
const feedTokenKey = (token: string) => ({ [MEMBER_PK]: feedTokenPk(token) });

/**
 * One BatchGetItem over two tables (the token item, registrations and schedules), with the
 * event store's probe of the streams (its own BatchGetItem of each one's next event, keys only)
 * and the rosters' Queries beside it: one round trip of latency. Strongly consistent, as the
 * stores' own reads are.
 */
export function batchedFeedReads(
  client: DynamoDBDocumentClient,
  tables: FeedTables,
  stores: { readonly readModels: ReadModelStore; readonly store: EventStore<ConveneEvent> },
): FeedReads {
  const modelKey = (key: ReadModelKey) => ({ [READ_MODEL_PK]: key.pk, [READ_MODEL_SK]: key.sk });
  return async (request) => {
    const token = request.token !== undefined && FEED_TOKEN.test(request.token) ? [feedTokenKey(request.token)] : [];
    const models = [...(request.memberId === undefined ? [] : [memberRegistrationsKey(request.memberId)]), ...(request.schedules ?? []).map(scheduleKey)].map(modelKey);
    const [items, moved, rosters] = await Promise.all([
      batchGet(client, [
        { table: tables.members, keys: token },
        { table: tables.readModels, keys: models },
      ]),
      movedSeries(stores.store, request.probes),
      readRosters(stores.readModels, request.rosters),
    ]);
    const [tokenItem] = items[0]!;
    const docs = new Map(items[1]!.map((item) => [keyString({ pk: String(item[READ_MODEL_PK]), sk: String(item[READ_MODEL_SK]) }), { version: Number(item.version), doc: item.doc }]));
    const registrations = request.memberId === undefined ? undefined : docs.get(keyString(memberRegistrationsKey(request.memberId)));
    return {
      ...(tokenItem ? { tokenMemberId: String(tokenItem.memberId) } : {}),
      ...(registrations ? { registrations: registrations as StoredDocument<MemberRegistrations> } : {}),
      moved,
      schedules: new Map(
        (request.schedules ?? []).flatMap((id) => {
          const doc = docs.get(keyString(scheduleKey(id)));
          return doc ? [[id, doc as StoredDocument<SeriesSchedule>] as const] : [];
        }),
      ),
      rosters: new Map(rosters),
    };
  };
}

interface TableKeys {
  readonly table: string;
  readonly keys: readonly Record<string, unknown>[];
  readonly projection?: { readonly expression: string; readonly names: Record<string, string> };
}

/**
 * The items of each table's keys, in one BatchGetItem when they fit in one; keys beyond the
 * first 100, and any the first request left unprocessed, are read by batchGetAll (chunks and
 * retries with backoff).
 */
async function batchGet(client: DynamoDBDocumentClient, requests: readonly TableKeys[]): Promise<Record<string, unknown>[][]> {
  let room = BATCH_GET_LIMIT;
  const now = requests.map((r) => {
    const keys = r.keys.slice(0, room);
    room -= keys.length;
    return keys;
  });
  const RequestItems = Object.fromEntries(
    requests.flatMap((r, i) =>
      now[i]!.length === 0
        ? []
        : [[r.table, { Keys: now[i], ConsistentRead: true, ...(r.projection ? { ProjectionExpression: r.projection.expression, ExpressionAttributeNames: r.projection.names } : {}) }]],
    ),
  );
  const page = Object.keys(RequestItems).length > 0 ? await client.send(new BatchGetCommand({ RequestItems })) : undefined;
  return Promise.all(
    requests.map(async (r, i) => {
      const later = [...(page?.UnprocessedKeys?.[r.table]?.Keys ?? []), ...r.keys.slice(now[i]!.length)];
      const rest = later.length > 0 ? await batchGetAll(client, r.table, later, r.projection) : [];
      return [...(page?.Responses?.[r.table] ?? []), ...rest];
    }),
  );
}
