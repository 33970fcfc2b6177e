/**
 * Bring the read model of one stream up to (at least) a version. Idempotent and safe in any
 * order: a record whose version the document already reflects changes nothing; otherwise the
 * whole stream is read back from the event store and folded, so a record that arrives early
 * (before its predecessors) is handled by catching up, and two projectors racing on one stream
 * both write the same fold, the newer winning.
 */
import type { ConveneEvent } from '../../events/registry.js';
import { StoredEventError } from '../../events/shared/registry.js';
import { StoredEventInvalidError } from '../adapters/event-store/errors.js';
import type { RecordedEvent } from '../../events/shared/event.js';
import type { EventStore } from '../adapters/event-store/event-store.js';
import { streamCategory } from '../../events/shared/event.js';
import type { ReadModelStore, ReadModelWrite } from '../read-models/read-model-store.js';
import { projectionFailureKey } from '../read-models/keys.js';
import { getMemberRegistrations } from '../read-models/queries.js';
import type { ProjectionFailure } from '../read-models/documents.js';
import { projections } from './projections.js';

export interface ProjectorDeps {
  readonly store: EventStore<ConveneEvent>;
  readonly readModels: ReadModelStore;
  /** When failures are noted; default the real time. */
  readonly now?: () => Date;
}

export type ProjectOutcome = 'projected' | 'up-to-date' | 'not-projected';

/**
 * The documents a whole stream folds into, each stamped with the stream's last version, the
 * main one last: written in this order, a main document at a version means everything else of
 * that version is written too. Incremental projection and the rebuild both write exactly these.
 */
export function streamDocuments(events: readonly RecordedEvent<ConveneEvent>[]): ReadModelWrite[] {
  const last = events.at(-1);
  const projection = last && projections[streamCategory(last.metadata.streamId)];
  if (!projection) return [];
  const [main, ...others] = projection.project(events);
  if (!main) return [];
  const version = last.metadata.version;
  return [...others, main].map(({ key, doc }) => ({ key, version, doc }));
}

export async function projectStream(deps: ProjectorDeps, streamId: string, seenVersion?: number): Promise<ProjectOutcome> {
  const category = streamCategory(streamId);
  const projection = projections[category];
  if (!projection) return 'not-projected';
  const key = projection.key(streamId.slice(category.length + 1));
  if (seenVersion !== undefined) {
    const current = await deps.readModels.get(key);
    if (current && current.version >= seenVersion) return 'up-to-date';
  }
  const documents = streamDocuments(await deps.store.read(streamId));
  const main = documents.pop();
  if (!main) return 'up-to-date';
  // Every document carries the stream's version, so each write is idempotent.
  const written = await Promise.all(documents.map((d) => deps.readModels.putIfNewer(d.key, d.version, d.doc)));
  written.push(await deps.readModels.putIfNewer(main.key, main.version, main.doc));
  return written.includes('written') ? 'projected' : 'up-to-date';
}

/**
 * Notes, for the organisers of every series the stream concerns, that one of its events cannot
 * be read: a series stream concerns its series, a member stream the series its last readable
 * registrations name. The first note of a version stays (when it first failed). Returns the
 * series noted.
 */
export async function noteUnreadableStream(deps: ProjectorDeps, error: StoredEventInvalidError): Promise<string[]> {
  const { streamId, version } = error;
  const category = streamCategory(streamId);
  const id = streamId.slice(category.length + 1);
  const seriesIds =
    category === 'series'
      ? [id]
      : category === 'member'
        ? Object.keys((await getMemberRegistrations(deps.readModels, id))?.doc.registrations ?? {})
        : [];
  const cause = error.cause;
  const failure: ProjectionFailure = {
    streamId,
    version,
    ...(cause instanceof StoredEventError ? { eventType: cause.type } : {}),
    reason: (cause instanceof Error ? cause.message : String(cause)).replace(/\s+/g, ' ').slice(0, 500),
    at: (deps.now ?? (() => new Date()))().toISOString(),
  };
  await Promise.all(seriesIds.map((seriesId) => deps.readModels.putIfNewer(projectionFailureKey(seriesId, streamId), version, failure)));
  return seriesIds;
}
