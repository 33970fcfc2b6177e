/** Reading a series stream for a route: the id checked, an unknown series a 404. */
import type { RecordedEvent } from '../../../events/shared/event.js';
import { seriesDecider, seriesStreamId, type ActiveSeries, type SeriesState } from '../../../events/series/index.js';
import type { SeriesEvent } from '../../../events/series/events.js';
import type { StreamStore } from '../../adapters/event-store/event-store.js';
import { NotFoundProblem } from '../problems.js';
import { pathId } from '../request.js';

export async function readSeries(store: StreamStore<SeriesEvent>, seriesId: string): Promise<RecordedEvent<SeriesEvent>[]> {
  const events = await store.read(seriesStreamId(pathId(seriesId, 'series')));
  if (events.length === 0) throw new NotFoundProblem(`There is no series ${seriesId}.`);
  return events;
}

/** How long a loaded series is used without asking the store whether it moved. */
export const SERIES_FRESH_MS = 1000;

export interface CachedSeriesLoaderOptions {
  readonly capacity?: number;
  readonly freshMs?: number;
  readonly now?: () => number;
}

/**
 * Series states kept between requests with the version they are at. Within `freshMs` of its
 * last check a state is used as it is (a storm of registrations reads the series once a
 * second, not once a request); after that a load reads only the events past its version.
 * `{ fresh: true }` always asks the store: callers use it before refusing anything on the
 * strength of a cached state (a session scheduled a moment ago is not "unknown"). A state at
 * most `freshMs` old accepts what a read an instant earlier would have, the same race any read
 * has with a concurrent change. States are immutable (evolve returns new ones): sharing is safe.
 */
export function cachedSeriesLoader(store: StreamStore<SeriesEvent>, options: CachedSeriesLoaderOptions = {}) {
  const { capacity = 200, freshMs = SERIES_FRESH_MS, now = Date.now } = options;
  const known = new Map<string, { readonly state: SeriesState; readonly version: number; readonly checkedAt: number }>();
  return async (seriesId: string, { fresh: mustAsk = false } = {}): Promise<ActiveSeries> => {
    const streamId = seriesStreamId(pathId(seriesId, 'series'));
    const cached = known.get(streamId);
    const checkedAt = now();
    if (cached && !mustAsk && checkedAt - cached.checkedAt < freshMs) return cached.state as ActiveSeries;
    const fresh = await store.read(streamId, cached?.version ?? 0);
    if (!cached && fresh.length === 0) throw new NotFoundProblem(`There is no series ${seriesId}.`);
    let state = cached?.state ?? seriesDecider.initialState();
    for (const event of fresh) state = seriesDecider.evolve(state, event);
    known.delete(streamId);
    if (known.size >= capacity) known.delete(known.keys().next().value!);
    known.set(streamId, { state, version: fresh.at(-1)?.metadata.version ?? cached!.version, checkedAt });
    return state as ActiveSeries;
  };
}
