/** Running organiser commands on one series stream over HTTP: If-Match, Idempotency-Key, the actor, the ETag. */
import { createHash } from 'node:crypto';
import type { Context } from 'hono';
import type { ConveneEvent } from '../../events/registry.js';
import { inSequence } from '../../events/shared/decider.js';
import { seriesDecider, seriesStreamId, type ActiveSeries, type SeriesCommand } from '../../events/series/index.js';
import type { SeriesEvent } from '../../events/series/events.js';
import { seriesEvents } from '../adapters/event-store/category-stores.js';
import { IdempotencyKeyReusedError } from '../adapters/event-store/errors.js';
import type { EventStore } from '../adapters/event-store/event-store.js';
import { fingerprintOf, handleCommand, type CommandResult, type ExpectedVersion } from '../commands/command-handler.js';
import type { OrganiserVariables } from './auth.js';
import { NotFoundProblem } from './problems.js';
import { etag, idempotencyKey } from './request.js';

export type OrganiserEnv = { Variables: OrganiserVariables & { requestId: string } };
export type SeriesResult = CommandResult<SeriesEvent, ReturnType<typeof seriesDecider.initialState>>;

const seriesCommands = inSequence(seriesDecider);

/**
 * Where an organiser's Idempotency-Key is recorded: a hash of the (organiser, key) pair, so
 * that no two pairs share a record (`${sub}:${key}` let sub "a:x" with key "k" replay sub
 * "a"'s key "x:k") and the record names neither the organiser nor the key.
 */
export function organiserIdempotencyKey(organiserId: string, key: string): string {
  return `organiser:${createHash('sha256').update(JSON.stringify([organiserId, key])).digest('base64url')}`;
}

export interface SeriesCommandRequest {
  readonly seriesId: string;
  readonly commands: SeriesCommand[];
  /** The request body, what an Idempotency-Key's replay must match. */
  readonly body: unknown;
  /**
   * The version the route expects: `'no-stream'` for a series it has just made the id of, the
   * request's If-Match (`ifMatchVersion(c)`) for one that exists, absent for any version.
   */
  readonly expectedVersion: ExpectedVersion | undefined;
}

/** Runs commands on one series stream on the API's clock, with the version the route names and the Idempotency-Key. */
export function seriesCommandRunner(store: EventStore<ConveneEvent>, now: () => Date = () => new Date()) {
  const seriesStore = seriesEvents(store);
  return async (c: Context<OrganiserEnv>, { seriesId, commands, body, expectedVersion }: SeriesCommandRequest): Promise<SeriesResult> => {
    const actor = c.get('actor');
    const key = idempotencyKey(c);
    try {
      return await handleCommand({
        store: seriesStore,
        decider: seriesCommands,
        streamId: seriesStreamId(seriesId),
        command: commands,
        context: {
          actor,
          correlationId: c.get('requestId'),
          now,
          ...(key !== undefined
            ? { idempotencyKey: organiserIdempotencyKey(actor.id, key), requestFingerprint: fingerprintOf(`${c.req.method} ${c.req.path}`, body) }
            : {}),
        },
        ...(expectedVersion === undefined ? {} : { expectedVersion }),
      });
    } catch (error) {
      // The problem names the key the organiser sent, not the record's.
      if (error instanceof IdempotencyKeyReusedError && key !== undefined) throw new IdempotencyKeyReusedError(key);
      throw error;
    }
  };
}

/** The ETag of the stream's new version, and Idempotent-Replayed when an earlier run is returned. */
export function respondWithVersion(c: Context<OrganiserEnv>, result: SeriesResult, status: 200 | 201 | 202, payload: unknown) {
  c.header('ETag', etag(result.version));
  if (result.replayed) c.header('Idempotent-Replayed', 'true');
  return c.json(payload, status);
}

export function activeSeries(result: { state: ReturnType<typeof seriesDecider.initialState> }, seriesId: string): ActiveSeries {
  if (result.state.status !== 'active') throw new NotFoundProblem(`There is no series ${seriesId}.`);
  return result.state;
}
