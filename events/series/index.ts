/** The series stream's decider: `series-<seriesId>`. */
import type { Decider } from '../shared/decider.js';
import type { SeriesCommand } from './commands.js';
import { decideSeries } from './decide.js';
import type { SeriesEvent } from './events.js';
import { evolveSeries, initialSeriesState, type SeriesState } from './state.js';

export const seriesStreamId = (seriesId: string) => `series-${seriesId}`;

export const seriesDecider: Decider<SeriesCommand, SeriesEvent, SeriesState> = {
  decide: decideSeries,
  evolve: evolveSeries,
  initialState: initialSeriesState,
};

export type { SeriesCommand } from './commands.js';
export type { SeriesEvent } from './events.js';
export type { ActiveSeries, SeriesState, SessionState } from './state.js';
