/**
 * The command handler (in the spirit of Emmett's CommandHandler): load a stream's state,
 * decide, append; on a conflict re-read what was appended meanwhile and re-decide, a bounded
 * number of times. The caller names the version it expects (`'no-stream'` for a stream it has
 * just made the id of, a number for HTTP If-Match). With an idempotency key a retried command
 * returns the first result and appends nothing.
 */
import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Decider } from '../../events/shared/decider.js';
import type { Actor, DomainEvent, RecordedEvent } from '../../events/shared/event.js';
import {
  EventStoreError,
  IdempotencyKeyReusedError,
  IdempotencyKeyTakenError,
  StreamConflictError,
} from '../adapters/event-store/errors.js';
import type { StreamStore } from '../adapters/event-store/event-store.js';

export interface CommandContext {
  readonly actor: Actor;
  readonly correlationId: string;
  readonly causationId?: string;
  /** Scoped by the caller (e.g. organiser id + key from the Idempotency-Key header). */
  readonly idempotencyKey?: string;
  /**
   * What makes two requests with one idempotency key "the same request". Defaults to the
   * stream and command; callers whose commands carry freshly generated ids (a new series id)
   * pass a fingerprint of the request instead.
   */
  readonly requestFingerprint?: string;
  /**
   * The clock the command was decided on: the appended events' `recordedAt` and the
   * idempotency record's expiry come from it. Default: the real time.
   */
  readonly now?: () => Date;
}

export interface CommandResult<E extends DomainEvent, S> {
  /** The events this command appended (or, on an idempotent replay, the first run appended). */
  readonly events: RecordedEvent<E>[];
  /** The stream's version after the command. */
  readonly version: number;
  readonly state: S;
  /** Every event of the stream up to `version`, the appended ones included. */
  readonly history: RecordedEvent<E>[];
  /** True when an earlier run with the same idempotency key is being returned. */
  readonly replayed: boolean;
}

/** The stream kept moving under us for every attempt. */
export class TooMuchContentionError extends EventStoreError {
  constructor(
    readonly streamId: string,
    readonly attempts: number,
  ) {
    super(`stream ${streamId} changed under ${attempts} attempts in a row; try again`);
  }
}

/** The caller said which version it decided on (HTTP If-Match), and the stream is elsewhere. */
export class VersionMismatchError extends EventStoreError {
  constructor(
    readonly streamId: string,
    readonly expectedVersion: number,
    readonly actualVersion: number | undefined,
  ) {
    super(
      `stream ${streamId} is at version ${actualVersion ?? 'a later version'}, not ${expectedVersion}: reload it and decide again`,
    );
  }
}

/**
 * What the caller knows of the stream's version:
 * - a number: decide only if the stream is at exactly this version (HTTP If-Match); otherwise,
 *   or if it moves before the append, fail with VersionMismatchError instead of re-deciding.
 * - `'no-stream'`: the caller has just made this stream's id (a new series, a new member):
 *   decide on the initial state without reading first. If the stream has events after all, the
 *   append conflicts and the handler reads and re-decides as without an expectation, so a wrong
 *   expectation costs a round trip, never an event (and an idempotent twin is replayed).
 * - absent: read, decide, append, and re-decide on a conflict.
 */
export type ExpectedVersion = number | 'no-stream';

export interface CommandHandlerOptions<C, E extends DomainEvent, S> {
  readonly store: StreamStore<E>;
  readonly decider: Decider<C, E, S>;
  readonly streamId: string;
  readonly command: C;
  readonly context: CommandContext;
  readonly expectedVersion?: ExpectedVersion;
  /** Attempts in all, the first included (default 8). */
  readonly maxAttempts?: number;
  /** Waits between attempts: a random delay up to `backoffMs * attempt` (default 10). */
  readonly backoffMs?: number;
}

export async function handleCommand<C, E extends DomainEvent, S>(options: CommandHandlerOptions<C, E, S>): Promise<CommandResult<E, S>> {
  const { store, decider, streamId, command, context } = options;
  const maxAttempts = options.maxAttempts ?? 8;
  const backoffMs = options.backoffMs ?? 10;
  const now = context.now ?? (() => new Date());
  const expectedVersion = typeof options.expectedVersion === 'number' ? options.expectedVersion : undefined;
  const fingerprint =
    context.idempotencyKey === undefined ? undefined : (context.requestFingerprint ?? fingerprintOf(streamId, command));

  const key = context.idempotencyKey;
  /** The result of an earlier run with this idempotency key, if one landed. */
  const earlierRun = async () => (key === undefined ? undefined : replay(store, decider, key, fingerprint!, now()));

  const first = await earlierRun();
  if (first) return first;

  let state = decider.initialState();
  let version = 0;
  const history: RecordedEvent<E>[] = [];
  // Expecting no stream, the first decision is on the initial state, unread; anything but
  // events to append (a refusal, nothing to do) is only believed after a real read.
  let unread = options.expectedVersion === 'no-stream';
  for (let attempt = 1; ; attempt++) {
    const fresh = unread ? [] : await store.read(streamId, version);
    for (const event of fresh) state = decider.evolve(state, event);
    history.push(...fresh);
    version = fresh.at(-1)?.metadata.version ?? version;
    if (expectedVersion !== undefined && version !== expectedVersion) {
      throw new VersionMismatchError(streamId, expectedVersion, version);
    }

    let decided: E[];
    try {
      decided = decider.decide(command, state);
    } catch (error) {
      if (unread) {
        unread = false;
        continue;
      }
      // A concurrent twin with the same key may have landed between our check and our read.
      const earlier = await earlierRun();
      if (earlier) return earlier;
      throw error;
    }
    if (decided.length === 0 && unread) {
      unread = false;
      continue;
    }
    if (decided.length === 0) {
      return (await earlierRun()) ?? { events: [], version, state, history, replayed: false };
    }
    try {
      const appended = await store.append(streamId, decided, version, {
        actor: context.actor,
        recordedAt: now(),
        correlationId: context.correlationId,
        ...(context.causationId ? { causationId: context.causationId } : {}),
        ...(key !== undefined ? { idempotency: { key, fingerprint: fingerprint! } } : {}),
      });
      for (const event of appended) state = decider.evolve(state, event);
      history.push(...appended);
      return { events: appended, version: appended.at(-1)!.metadata.version, state, history, replayed: false };
    } catch (error) {
      if (error instanceof IdempotencyKeyTakenError) {
        const earlier = await earlierRun();
        if (earlier) return earlier;
        throw error;
      }
      if (!(error instanceof StreamConflictError)) throw error;
      if (unread) {
        unread = false;
        continue;
      }
      if (expectedVersion !== undefined) throw new VersionMismatchError(streamId, expectedVersion, undefined);
      if (attempt >= maxAttempts) throw new TooMuchContentionError(streamId, attempt);
      await sleep(Math.random() * backoffMs * attempt);
    }
  }
}

async function replay<C, E extends DomainEvent, S>(
  store: StreamStore<E>,
  decider: Decider<C, E, S>,
  key: string,
  fingerprint: string,
  now: Date,
): Promise<CommandResult<E, S> | undefined> {
  const record = await store.findIdempotencyRecord(key, now);
  if (!record) return undefined;
  if (record.fingerprint !== fingerprint) throw new IdempotencyKeyReusedError(key);
  const history = await store.read(record.streamId, 0, record.toVersion);
  let state = decider.initialState();
  for (const event of history) state = decider.evolve(state, event);
  return {
    events: history.filter((e) => e.metadata.version > record.fromVersion),
    version: record.toVersion,
    state,
    history,
    replayed: true,
  };
}

/** Same stream and same command (keys in any order) give the same fingerprint. */
export function fingerprintOf(streamId: string, command: unknown): string {
  return createHash('sha256').update(streamId).update('\0').update(stableJson(command)).digest('base64url');
}

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

