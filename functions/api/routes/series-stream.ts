/** Reading a series stream for a route: the id checked, an unknown series a 404. */
import type { RecordedEvent } from '../../../events/shared/event.js';
import { fold } from '../../../events/shared/decider.js';
import { seriesDecider, seriesStreamId, type ActiveSeries } from '../../../events/series/index.js';
import type { SeriesEvent } from '../../../events/series/events.js';
import type { EventStore } from '../../adapters/event-store/event-store.js';
import { NotFoundProblem } from '../problems.js';
import { pathId } from '../request.js';

export async function readSeries(store: EventStore<SeriesEvent>, seriesId: string): Promise<RecordedEvent<SeriesEvent>[]> {
  const events = await store.read(seriesStreamId(pathId(seriesId, 'series')));
  if (events.length === 0) throw new NotFoundProblem(`There is no series ${seriesId}.`);
  return events;
}

/** The series as it is now. */
export async function loadSeries(store: EventStore<SeriesEvent>, seriesId: string): Promise<ActiveSeries> {
  return fold(seriesDecider, await readSeries(store, seriesId)) as ActiveSeries;
}
