/**
 * What an event is, in the domain and in the store.
 *
 * A domain event is `{type, data}`; deciders return these. The event store wraps each in
 * an envelope when it appends (id, stream version, time, actor, correlation and causation
 * ids) and reads envelopes back through the event registry, which validates and upcasts.
 */
import type { z } from 'zod';

export interface DomainEvent<Type extends string = string, Data = unknown> {
  readonly type: Type;
  readonly data: Data;
}

/** Who caused an event: an organiser, a member, or the system itself (a scheduler, a Lambda). */
export interface Actor {
  readonly kind: 'organiser' | 'member' | 'system';
  readonly id: string;
}

/** The metadata the store stamps on every event it appends. */
export interface EventMetadata {
  readonly eventId: string;
  readonly streamId: string;
  /** 1-based, gap-free position in its stream. */
  readonly version: number;
  /** Schema version the event is now in (after upcasting); the stored one may be older. */
  readonly schemaVersion: number;
  /** When the store appended it, UTC. */
  readonly recordedAt: string;
  readonly actor: Actor;
  /** Shared by every event caused, directly or not, by one request. */
  readonly correlationId: string;
  /** The id of the event or request that directly caused this one. */
  readonly causationId: string;
}

/** A stream's category, the part of its id before the first dash: `series-abc` -> `series`. */
export const streamCategory = (streamId: string) => streamId.split('-', 1)[0]!;

export type RecordedEvent<E extends DomainEvent = DomainEvent> = E & { readonly metadata: EventMetadata };

/** One schema version of one event type, and how to lift data of this version to the next. */
export interface EventVersionDefinition {
  readonly version: number;
  readonly schema: z.ZodType;
  /** Turns data valid for this version into data for `version + 1`. Absent on the latest. */
  readonly upcast?: (data: unknown) => unknown;
}

/** All known schema versions of one event type; the highest is what code works with. */
export interface EventDefinition<Type extends string = string, Schema extends z.ZodType = z.ZodType> {
  readonly type: Type;
  readonly version: number;
  readonly schema: Schema;
  /** Older versions, each with its upcaster. */
  readonly history: readonly EventVersionDefinition[];
}

export type EventOf<D> = D extends EventDefinition<infer T, infer S> ? DomainEvent<T, z.output<S>> : never;

/** Define the current version of an event; older versions go in `history`, each with an upcaster. */
export function defineEvent<Type extends string, Schema extends z.ZodType>(
  type: Type,
  schema: Schema,
  history: readonly EventVersionDefinition[] = [],
): EventDefinition<Type, Schema> {
  const version = history.length + 1;
  history.forEach((h, i) => {
    if (h.version !== i + 1 || !h.upcast) {
      throw new Error(`${type}: history must list versions 1..${version - 1} in order, each with an upcaster`);
    }
  });
  return { type, version, schema, history };
}
