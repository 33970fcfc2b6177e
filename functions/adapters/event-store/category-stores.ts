/**
 * Typed views of the one event store, per stream category: a series stream holds series events,
 * a member stream member events. Each view checks what it reads back (an event of another
 * category is reported as unreadable, never passed on), so no caller casts.
 */
import { memberEventDefinitions, type MemberEvent } from '../../../events/member/events.js';
import type { ConveneEvent } from '../../../events/registry.js';
import { seriesEventDefinitions, type SeriesEvent } from '../../../events/series/events.js';
import type { RecordedEvent } from '../../../events/shared/event.js';
import { StoredEventInvalidError } from './errors.js';
import type { EventStore, StreamStore } from './event-store.js';

type Guard<E extends ConveneEvent> = (event: RecordedEvent<ConveneEvent>) => event is RecordedEvent<ConveneEvent> & RecordedEvent<E>;

const seriesTypes: ReadonlySet<string> = new Set(seriesEventDefinitions.map((d) => d.type));
const memberTypes: ReadonlySet<string> = new Set(memberEventDefinitions.map((d) => d.type));
const isSeriesEvent: Guard<SeriesEvent> = (event): event is RecordedEvent<SeriesEvent> => seriesTypes.has(event.type);
const isMemberEvent: Guard<MemberEvent> = (event): event is RecordedEvent<MemberEvent> => memberTypes.has(event.type);

function categoryView<E extends ConveneEvent>(store: EventStore<ConveneEvent>, category: string, belongs: Guard<E>): StreamStore<E> {
  const checked = (events: readonly RecordedEvent<ConveneEvent>[]): RecordedEvent<E>[] =>
    events.map((event) => {
      if (!belongs(event)) {
        const { streamId, version } = event.metadata;
        throw new StoredEventInvalidError(streamId, version, new Error(`${event.type} is not an event of a ${category} stream`));
      }
      return event;
    });
  return {
    append: async (streamId, events, expectedVersion, context) => checked(await store.append(streamId, events, expectedVersion, context)),
    read: async (streamId, fromVersion, toVersion) => checked(await store.read(streamId, fromVersion, toVersion)),
    findIdempotencyRecord: (key, now) => store.findIdempotencyRecord(key, now),
  };
}

/** The series streams (`series-<id>`) of a store. */
export const seriesEvents = (store: EventStore<ConveneEvent>): StreamStore<SeriesEvent> => categoryView(store, 'series', isSeriesEvent);

/** The member streams (`member-<id>`) of a store. */
export const memberEvents = (store: EventStore<ConveneEvent>): StreamStore<MemberEvent> => categoryView(store, 'member', isMemberEvent);
