/**
 * The event table's item layout: one item per event, the envelope's fields flattened beside the
 * data, keyed by stream id and version (functions/tables.ts `eventTable`). Only the event store
 * reads and writes items of this shape.
 */
import { streamCategory, type Actor, type DomainEvent, type RecordedEvent } from '../../../events/shared/event.js';
import type { EventRegistry } from '../../../events/shared/registry.js';
import { EVENT_STREAM_ID, EVENT_VERSION, LISTED_STREAM_CATEGORIES, STREAM_CATEGORY } from '../../tables.js';
import { StoredEventInvalidError } from './errors.js';

/** The stored form of an event: the envelope's fields flattened beside the data. */
export function toItem(event: RecordedEvent): Record<string, unknown> {
  const { metadata } = event;
  const category = streamCategory(metadata.streamId);
  return {
    // The first event of a listed stream puts the stream in the by-category index.
    ...(metadata.version === 1 && LISTED_STREAM_CATEGORIES.includes(category) ? { [STREAM_CATEGORY]: category } : {}),
    [EVENT_STREAM_ID]: metadata.streamId,
    [EVENT_VERSION]: metadata.version,
    eventId: metadata.eventId,
    type: event.type,
    schemaVersion: metadata.schemaVersion,
    data: event.data,
    recordedAt: metadata.recordedAt,
    actor: metadata.actor,
    correlationId: metadata.correlationId,
    causationId: metadata.causationId,
  };
}

/** Read a stored item back through the registry; anything that does not fit is reported. */
export function fromItem<E extends DomainEvent>(item: Record<string, unknown>, registry: EventRegistry<E>): RecordedEvent<E> {
  const streamId = String(item[EVENT_STREAM_ID]);
  const version = Number(item[EVENT_VERSION]);
  try {
    const event = registry.decode(String(item.type), Number(item.schemaVersion), item.data);
    const actor = item.actor as Actor | undefined;
    if (!actor || typeof actor.id !== 'string' || typeof actor.kind !== 'string') throw new Error('actor is missing');
    return {
      ...event,
      metadata: {
        eventId: String(item.eventId),
        streamId,
        version,
        schemaVersion: registry.currentVersion(event.type),
        recordedAt: String(item.recordedAt),
        actor,
        correlationId: String(item.correlationId),
        causationId: String(item.causationId),
      },
    };
  } catch (error) {
    throw new StoredEventInvalidError(streamId, version, error);
  }
}
