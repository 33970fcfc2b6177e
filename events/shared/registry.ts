/**
 * The one place that reads stored events back: checks the type is known, validates the
 * data against the schema of the version it was stored in, upcasts it step by step to the
 * current version, and validates the result. Anything that does not fit is reported with
 * a typed error naming the event, never dropped.
 */
// A namespace import: esbuild then keeps only the parts of zod in use (not its 64 locales).
import * as z from 'zod';
import type { DomainEvent, EventDefinition } from './event.js';

export class StoredEventError extends Error {
  constructor(
    message: string,
    readonly type: string,
    readonly schemaVersion: number,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class UnknownEventTypeError extends StoredEventError {}
export class UnknownSchemaVersionError extends StoredEventError {}
export class InvalidEventDataError extends StoredEventError {}

export interface EventRegistry<E extends DomainEvent> {
  readonly types: readonly string[];
  /** The schema version new events of this type are written in. */
  currentVersion(type: E['type']): number;
  /** Validate data about to be written: the data as it will be stored. */
  encode(event: E): E;
  /** Read stored data of any known version, returning the current shape. */
  decode(type: string, schemaVersion: number, data: unknown): E;
}

export function createEventRegistry<const Defs extends readonly EventDefinition[]>(
  definitions: Defs,
): EventRegistry<Extract<EventOfDefs<Defs>, DomainEvent>> {
  type E = Extract<EventOfDefs<Defs>, DomainEvent>;
  const byType = new Map<string, EventDefinition>();
  for (const def of definitions) {
    if (byType.has(def.type)) throw new Error(`event type ${def.type} defined twice`);
    byType.set(def.type, def);
  }

  const find = (type: string, schemaVersion: number): EventDefinition => {
    const def = byType.get(type);
    if (!def) throw new UnknownEventTypeError(`unknown event type "${type}"`, type, schemaVersion);
    return def;
  };

  const validate = (type: string, schemaVersion: number, schema: z.ZodType, data: unknown): unknown => {
    const result = schema.safeParse(data);
    if (!result.success) {
      throw new InvalidEventDataError(
        `${type} v${schemaVersion} does not match its schema:\n${z.prettifyError(result.error)}`,
        type,
        schemaVersion,
      );
    }
    return result.data;
  };

  return {
    types: [...byType.keys()],
    currentVersion: (type) => find(type, 0).version,
    encode(event) {
      const def = find(event.type, 0);
      return { type: event.type, data: validate(event.type, def.version, def.schema, event.data) } as E;
    },
    decode(type, schemaVersion, data) {
      const def = find(type, schemaVersion);
      if (!Number.isInteger(schemaVersion) || schemaVersion < 1 || schemaVersion > def.version) {
        throw new UnknownSchemaVersionError(
          `${type} has no schema version ${schemaVersion} (current is ${def.version})`,
          type,
          schemaVersion,
        );
      }
      let current = data;
      for (let v = schemaVersion; v < def.version; v++) {
        const step = def.history[v - 1]!;
        current = step.upcast!(validate(type, v, step.schema, current));
      }
      return { type, data: validate(type, def.version, def.schema, current) } as E;
    },
  };
}

type EventOfDefs<Defs extends readonly EventDefinition[]> = {
  [K in keyof Defs]: Defs[K] extends EventDefinition<infer T, infer S> ? DomainEvent<T, z.output<S>> : never;
}[number];
