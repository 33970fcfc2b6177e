/**
 * Bring the read model of one stream up to (at least) a version. Idempotent and safe in any
 * order: a record whose version the document already reflects changes nothing; otherwise the
 * whole stream is read back from the event store and folded, so a record that arrives early
 * (before its predecessors) is handled by catching up, and two projectors racing on one stream
 * both write the same fold, the newer winning.
 */
import type { ConveneEvent } from '../../events/registry.js';
import type { EventStore } from '../adapters/event-store/event-store.js';
import { streamCategory } from '../adapters/event-store/event-store.js';
import type { ReadModelStore } from '../adapters/read-models/read-model-store.js';
import { projections } from './projections.js';

export interface ProjectorDeps {
  readonly store: EventStore<ConveneEvent>;
  readonly readModels: ReadModelStore;
}

export type ProjectOutcome = 'projected' | 'up-to-date' | 'not-projected';

export async function projectStream(deps: ProjectorDeps, streamId: string, seenVersion?: number): Promise<ProjectOutcome> {
  const category = streamCategory(streamId);
  const projection = projections[category];
  if (!projection) return 'not-projected';
  const key = projection.key(streamId.slice(category.length + 1));
  if (seenVersion !== undefined) {
    const current = await deps.readModels.get(key);
    if (current && current.version >= seenVersion) return 'up-to-date';
  }
  const events = await deps.store.read(streamId);
  const last = events.at(-1);
  if (!last) return 'up-to-date';
  const [main, ...others] = projection.project(events);
  if (!main) return 'up-to-date';
  // Every document carries the stream's version, so each write is idempotent. The main one is
  // written last: once it is at a version, everything else of that version is written too.
  const written = await Promise.all(others.map(({ key: k, doc }) => deps.readModels.putIfNewer(k, last.metadata.version, doc)));
  written.push(await deps.readModels.putIfNewer(main.key, last.metadata.version, main.doc));
  return written.includes('written') ? 'projected' : 'up-to-date';
}
