/**
 * Reading the whole event table (a rebuild) and probing many streams at once (feeds): the
 * event store's reads that cross streams, beside the per-stream ones of event-store.ts.
 */
import { ScanCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { DomainEvent, RecordedEvent } from '../../../events/shared/event.js';
import type { EventRegistry } from '../../../events/shared/registry.js';
import { EVENT_STREAM_ID, EVENT_VERSION } from '../../tables.js';
import { batchGetAll } from '../dynamodb-pages.js';
import { StoredEventInvalidError } from './errors.js';
import { fromItem } from './items.js';

type Item = Record<string, unknown>;

/** One event of a scan: decoded, or why it cannot be. */
export type ScannedEvent<E extends DomainEvent> =
  | { readonly streamId: string; readonly version: number; readonly event: RecordedEvent<E> }
  | { readonly streamId: string; readonly version: number; readonly unreadable: StoredEventInvalidError };

/** A page of one scan segment; `last` when the segment has no more. */
export interface ScanPage<E extends DomainEvent> {
  readonly segment: number;
  readonly events: readonly ScannedEvent<E>[];
  readonly last: boolean;
}

/** A stream's position a caller holds: has the stream an event after `version`? */
export interface StreamPosition {
  readonly streamId: string;
  readonly version: number;
}

/** Every item of the event table, page by page, `segments` Scans in parallel. */
async function scanItems(
  client: DynamoDBDocumentClient,
  table: string,
  segments: number,
  onPage: (segment: number, items: readonly Item[], last: boolean) => Promise<void>,
  projection?: { expression: string; names: Record<string, string>; filter?: string; values?: Record<string, unknown> },
): Promise<void> {
  await Promise.all(
    Array.from({ length: segments }, async (_, segment) => {
      let ExclusiveStartKey: Item | undefined;
      do {
        const page = await client.send(
          new ScanCommand({
            TableName: table,
            Segment: segment,
            TotalSegments: segments,
            ConsistentRead: true,
            ExclusiveStartKey,
            ...(projection
              ? {
                  ProjectionExpression: projection.expression,
                  ExpressionAttributeNames: projection.names,
                  ...(projection.filter ? { FilterExpression: projection.filter, ExpressionAttributeValues: projection.values } : {}),
                }
              : {}),
          }),
        );
        ExclusiveStartKey = page.LastEvaluatedKey;
        await onPage(segment, page.Items ?? [], !ExclusiveStartKey);
      } while (ExclusiveStartKey);
    }),
  );
}

/**
 * Every event of the table, decoded, page by page. DynamoDB hands out a partition's items
 * together and in version order, but nothing promises it: callers check.
 */
export function scanEvents<E extends DomainEvent>(
  client: DynamoDBDocumentClient,
  table: string,
  registry: EventRegistry<E>,
  segments: number,
  onPage: (page: ScanPage<E>) => Promise<void>,
): Promise<void> {
  return scanItems(client, table, segments, (segment, items, last) =>
    onPage({ segment, last, events: items.map((item) => scanned(item, registry)) }),
  );
}

function scanned<E extends DomainEvent>(item: Item, registry: EventRegistry<E>): ScannedEvent<E> {
  const streamId = String(item[EVENT_STREAM_ID]);
  const version = Number(item[EVENT_VERSION]);
  try {
    return { streamId, version, event: fromItem(item, registry) };
  } catch (error) {
    if (!(error instanceof StoredEventInvalidError)) throw error;
    return { streamId, version, unreadable: error };
  }
}

/** Every stream id in the table, sorted (a Scan for the first event of each stream). */
export async function scanStreamIds(client: DynamoDBDocumentClient, table: string, segments: number): Promise<string[]> {
  const ids: string[] = [];
  await scanItems(
    client,
    table,
    segments,
    async (_, items) => {
      for (const item of items) ids.push(String(item[EVENT_STREAM_ID]));
    },
    { expression: '#s', names: { '#s': EVENT_STREAM_ID, '#v': EVENT_VERSION }, filter: '#v = :one', values: { ':one': 1 } },
  );
  return ids.sort();
}

/**
 * The streams among `positions` that have an event after the version given: one BatchGetItem
 * of each stream's next event, keys only (a stream at version v is current when it has no
 * event v+1), strongly consistent.
 */
export async function streamsMovedPast(client: DynamoDBDocumentClient, table: string, positions: readonly StreamPosition[]): Promise<Set<string>> {
  if (positions.length === 0) return new Set();
  const keys = positions.map((p) => ({ [EVENT_STREAM_ID]: p.streamId, [EVENT_VERSION]: p.version + 1 }));
  const items = await batchGetAll(client, table, keys, { expression: '#s, #v', names: { '#s': EVENT_STREAM_ID, '#v': EVENT_VERSION } });
  return new Set(items.map((item) => String(item[EVENT_STREAM_ID])));
}
