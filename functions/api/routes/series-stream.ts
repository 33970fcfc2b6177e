/** Reading a series stream for a route: the id checked, an unknown series a 404. */
import type { RecordedEvent } from '../../../events/shared/event.js';
import { fold } from '../../../events/shared/decider.js';
import { seriesDecider, seriesStreamId, type ActiveSeries, type SeriesState } from '../../../events/series/index.js';
import type { SeriesEvent } from '../../../events/series/events.js';
import type { EventStore } from '../../adapters/event-store/event-store.js';
import { NotFoundProblem } from '../problems.js';
import { pathId } from '../request.js';

export async function readSeries(store: EventStore<SeriesEvent>, seriesId: string): Promise<RecordedEvent<SeriesEvent>[]> {
  const events = await store.read(seriesStreamId(pathId(seriesId, 'series')));
  if (events.length === 0) throw new NotFoundProblem(`There is no series ${seriesId}.`);
  return events;
}

/**
 * Series states kept between requests with the version they are at: a load reads only the
 * events after that version (usually none, one small Query) instead of the whole stream, and
 * is as fresh as a full read. States are immutable (evolve returns new ones), so sharing is safe.
 */
export function cachedSeriesLoader(store: EventStore<SeriesEvent>, capacity = 200) {
  const known = new Map<string, { readonly state: SeriesState; readonly version: number }>();
  return async (seriesId: string): Promise<ActiveSeries> => {
    const streamId = seriesStreamId(pathId(seriesId, 'series'));
    const cached = known.get(streamId);
    const fresh = await store.read(streamId, cached?.version ?? 0);
    if (!cached && fresh.length === 0) throw new NotFoundProblem(`There is no series ${seriesId}.`);
    if (fresh.length === 0) return cached!.state as ActiveSeries;
    let state = cached?.state ?? seriesDecider.initialState();
    for (const event of fresh) state = seriesDecider.evolve(state, event);
    known.delete(streamId);
    if (known.size >= capacity) known.delete(known.keys().next().value!);
    known.set(streamId, { state, version: fresh.at(-1)!.metadata.version });
    return state as ActiveSeries;
  };
}

/** The series as it is now. */
export async function loadSeries(store: EventStore<SeriesEvent>, seriesId: string): Promise<ActiveSeries> {
  return fold(seriesDecider, await readSeries(store, seriesId)) as ActiveSeries;
}
