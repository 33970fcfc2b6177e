/**
 * The event store on DynamoDB: one item per event, keyed by stream id and version.
 *
 * append: all events of one command are written in one TransactWriteItems (or a single
 * conditional PutItem when that alone is atomic), each event's put conditioned on its
 * version not existing yet, plus a check that the expected version exists, so a stream
 * stays gap-free and duplicate-free and a command lands whole or not at all. An idempotency
 * record, when given, is written in the same transaction.
 */
import type { CancellationReason } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, QueryCommand, TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Actor, DomainEvent, RecordedEvent } from '../../../events/shared/event.js';
import type { EventRegistry } from '../../../events/shared/registry.js';
import {
  EVENT_STREAM_ID,
  EVENT_VERSION,
  IDEMPOTENCY_EXPIRES_AT,
  IDEMPOTENCY_KEY,
  LISTED_STREAM_CATEGORIES,
  STREAM_CATEGORY,
  STREAMS_BY_CATEGORY_INDEX,
} from '../../tables.js';
import { AppendTooLargeError, IdempotencyKeyTakenError, StreamConflictError } from './errors.js';
import { fromItem, toItem } from './items.js';
import { scanEvents, scanStreamIds, streamsMovedPast, type ScanPage, type StreamPosition } from './scan.js';
import { isAwsError } from '../aws-errors.js';

/** DynamoDB transactions hold at most 100 items: the expected-version check and an idempotency record take two. */
export const MAX_EVENTS_PER_APPEND = 98;
export const IDEMPOTENCY_TTL_SECONDS = 7 * 24 * 3600;

export interface AppendContext {
  readonly actor: Actor;
  /** When the events are recorded: the clock of the command that decided them. */
  readonly recordedAt: Date;
  readonly correlationId: string;
  /** Defaults to the correlation id (the request itself caused it). */
  readonly causationId?: string;
  /** Recorded with the events in the same transaction; a second append with the key fails. */
  readonly idempotency?: { readonly key: string; readonly fingerprint: string };
}

export interface IdempotencyRecord {
  readonly key: string;
  readonly fingerprint: string;
  readonly streamId: string;
  /** Versions the first request appended: `fromVersion` < v <= `toVersion`. */
  readonly fromVersion: number;
  readonly toVersion: number;
}

/** What one stream's commands need: append, read, and the records of idempotency keys. */
export interface StreamStore<E extends DomainEvent> {
  append(streamId: string, events: readonly E[], expectedVersion: number, context: AppendContext): Promise<RecordedEvent<E>[]>;
  /** Events with a version above `fromVersion`, in order, validated and upcast. */
  read(streamId: string, fromVersion?: number, toVersion?: number): Promise<RecordedEvent<E>[]>;
  /** The record of an idempotency key, unless it expired by `now`. */
  findIdempotencyRecord(key: string, now: Date): Promise<IdempotencyRecord | undefined>;
}

/** The event store: every stream, and the reads across streams. */
export interface EventStore<E extends DomainEvent> extends StreamStore<E> {
  /** Ids of every stream of a listed category (`series`), in id order. */
  listStreams(category: string): Promise<string[]>;
  /** Ids of every stream of any category, in id order (a Scan: rebuilds and tests). */
  listAllStreams(options?: { readonly segments?: number }): Promise<string[]>;
  /**
   * Every event of every stream, decoded (or marked unreadable), page by page, `segments`
   * Scans in parallel (default 4). A segment's pages come one after the other; DynamoDB hands out
   * a stream's events together and in order, but does not promise it.
   */
  scanAll(onPage: (page: ScanPage<E>) => Promise<void>, options?: { readonly segments?: number }): Promise<void>;
  /** The streams among these that have an event after the version given ("has it moved past v?"). */
  movedPast(positions: readonly StreamPosition[]): Promise<Set<string>>;
}

export interface EventStoreOptions<E extends DomainEvent> {
  readonly client: DynamoDBDocumentClient;
  readonly tables: { readonly events: string; readonly idempotency: string };
  readonly registry: EventRegistry<E>;
  readonly newId?: () => string;
}

export function createEventStore<E extends DomainEvent>(options: EventStoreOptions<E>): EventStore<E> {
  const { client, tables, registry } = options;
  const newId = options.newId ?? (() => crypto.randomUUID());

  return {
    async append(streamId, events, expectedVersion, context) {
      if (!Number.isInteger(expectedVersion) || expectedVersion < 0) {
        throw new RangeError(`expectedVersion must be a whole number >= 0, not ${expectedVersion}`);
      }
      if (events.length === 0) return [];
      if (events.length > MAX_EVENTS_PER_APPEND) {
        throw new AppendTooLargeError(`one append holds at most ${MAX_EVENTS_PER_APPEND} events, not ${events.length}`);
      }
      const recordedAt = context.recordedAt.toISOString();
      const recorded = events.map((event, i): RecordedEvent<E> => {
        const encoded = registry.encode(event);
        return {
          ...encoded,
          metadata: {
            eventId: newId(),
            streamId,
            version: expectedVersion + i + 1,
            schemaVersion: registry.currentVersion(event.type),
            recordedAt,
            actor: context.actor,
            correlationId: context.correlationId,
            causationId: context.causationId ?? context.correlationId,
          },
        };
      });
      const items = recorded.map(toItem);
      const isNew = `attribute_not_exists(${EVENT_STREAM_ID})`;

      if (items.length === 1 && expectedVersion === 0 && !context.idempotency) {
        try {
          await client.send(new PutCommand({ TableName: tables.events, Item: items[0], ConditionExpression: isNew }));
        } catch (error) {
          if (isAwsError(error, 'ConditionalCheckFailedException')) throw new StreamConflictError(streamId, expectedVersion);
          throw error;
        }
        return recorded;
      }

      const now = Math.floor(context.recordedAt.getTime() / 1000);
      const idempotencyItem = context.idempotency && {
        Put: {
          TableName: tables.idempotency,
          Item: {
            [IDEMPOTENCY_KEY]: context.idempotency.key,
            fingerprint: context.idempotency.fingerprint,
            streamId,
            fromVersion: expectedVersion,
            toVersion: expectedVersion + items.length,
            recordedAt,
            [IDEMPOTENCY_EXPIRES_AT]: now + IDEMPOTENCY_TTL_SECONDS,
          },
          ConditionExpression: `attribute_not_exists(${IDEMPOTENCY_KEY}) OR ${IDEMPOTENCY_EXPIRES_AT} < :now`,
          ExpressionAttributeValues: { ':now': now },
        },
      };
      const previousExists = expectedVersion > 0 && {
        ConditionCheck: {
          TableName: tables.events,
          Key: { [EVENT_STREAM_ID]: streamId, [EVENT_VERSION]: expectedVersion },
          ConditionExpression: `attribute_exists(${EVENT_STREAM_ID})`,
        },
      };
      const transactItems = [
        ...(previousExists ? [previousExists] : []),
        ...items.map((Item) => ({ Put: { TableName: tables.events, Item, ConditionExpression: isNew } })),
        ...(idempotencyItem ? [idempotencyItem] : []),
      ];
      try {
        await client.send(new TransactWriteCommand({ TransactItems: transactItems }));
      } catch (error) {
        if (isAwsError(error, 'TransactionCanceledException')) {
          const reasons: CancellationReason[] = (error as { CancellationReasons?: CancellationReason[] }).CancellationReasons ?? [];
          if (idempotencyItem && reasons.at(-1)?.Code === 'ConditionalCheckFailed') {
            throw new IdempotencyKeyTakenError(context.idempotency!.key);
          }
          if (reasons.some((r) => r.Code === 'ConditionalCheckFailed' || r.Code === 'TransactionConflict')) {
            throw new StreamConflictError(streamId, expectedVersion);
          }
        }
        throw error;
      }
      return recorded;
    },

    async read(streamId, fromVersion = 0, toVersion = Number.MAX_SAFE_INTEGER) {
      const out: RecordedEvent<E>[] = [];
      let ExclusiveStartKey: Record<string, unknown> | undefined;
      do {
        const page = await client.send(
          new QueryCommand({
            TableName: tables.events,
            KeyConditionExpression: `#s = :s AND #v BETWEEN :from AND :to`,
            ExpressionAttributeNames: { '#s': EVENT_STREAM_ID, '#v': EVENT_VERSION },
            ExpressionAttributeValues: { ':s': streamId, ':from': fromVersion + 1, ':to': toVersion },
            ConsistentRead: true,
            ExclusiveStartKey,
          }),
        );
        for (const item of page.Items ?? []) out.push(fromItem(item, registry));
        ExclusiveStartKey = page.LastEvaluatedKey;
      } while (ExclusiveStartKey);
      return out;
    },

    async listStreams(category) {
      if (!LISTED_STREAM_CATEGORIES.includes(category)) throw new RangeError(`streams of category ${category} are not indexed`);
      const ids: string[] = [];
      let ExclusiveStartKey: Record<string, unknown> | undefined;
      do {
        const page = await client.send(
          new QueryCommand({
            TableName: tables.events,
            IndexName: STREAMS_BY_CATEGORY_INDEX,
            KeyConditionExpression: '#c = :c',
            ExpressionAttributeNames: { '#c': STREAM_CATEGORY },
            ExpressionAttributeValues: { ':c': category },
            ExclusiveStartKey,
          }),
        );
        for (const item of page.Items ?? []) ids.push(String(item[EVENT_STREAM_ID]));
        ExclusiveStartKey = page.LastEvaluatedKey;
      } while (ExclusiveStartKey);
      return ids;
    },

    listAllStreams: (options = {}) => scanStreamIds(client, tables.events, options.segments ?? 4),

    scanAll: (onPage, options = {}) => scanEvents(client, tables.events, registry, options.segments ?? 4, onPage),

    movedPast: (positions) => streamsMovedPast(client, tables.events, positions),

    async findIdempotencyRecord(key, at) {
      const { Item } = await client.send(
        new GetCommand({ TableName: tables.idempotency, Key: { [IDEMPOTENCY_KEY]: key }, ConsistentRead: true }),
      );
      if (!Item || Number(Item[IDEMPOTENCY_EXPIRES_AT]) < Math.floor(at.getTime() / 1000)) return undefined;
      return {
        key,
        fingerprint: String(Item.fingerprint),
        streamId: String(Item.streamId),
        fromVersion: Number(Item.fromVersion),
        toVersion: Number(Item.toVersion),
      };
    },
  };
}
