/**
 * Bring the read model of one stream up to (at least) a version. Idempotent and safe in any
 * order: a record whose version the document already reflects changes nothing; otherwise the
 * whole stream is read back from the event store and folded, so a record that arrives early
 * (before its predecessors) is handled by catching up, and two projectors racing on one stream
 * both write the same fold, the newer winning.
 */
import type { ConveneEvent } from '../../events/registry.js';
import type { RecordedEvent } from '../../events/shared/event.js';
import type { EventStore } from '../adapters/event-store/event-store.js';
import { streamCategory } from '../adapters/event-store/event-store.js';
import type { ReadModelStore, ReadModelWrite } from '../adapters/read-models/read-model-store.js';
import { projections } from './projections.js';

export interface ProjectorDeps {
  readonly store: EventStore<ConveneEvent>;
  readonly readModels: ReadModelStore;
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
