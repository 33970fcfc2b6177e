/**
 * Which read model each stream category feeds, and how: a projection folds a whole stream
 * (events/projections/) into one document, keyed by the stream.
 */
import type { ConveneEvent } from '../../events/registry.js';
import type { MemberEvent } from '../../events/member/events.js';
import { memberRegistrationsFromEvents } from '../../events/projections/member-registrations.js';
import { scheduleFromEvents } from '../../events/projections/schedule.js';
import type { SeriesEvent } from '../../events/series/events.js';
import type { RecordedEvent } from '../../events/shared/event.js';
import type { ReadModelKey } from '../adapters/read-models/read-model-store.js';

export interface Projection {
  readonly key: (id: string) => ReadModelKey;
  readonly project: (events: readonly RecordedEvent<ConveneEvent>[]) => unknown;
}

export const scheduleKey = (seriesId: string): ReadModelKey => ({ pk: `series#${seriesId}`, sk: 'schedule' });
export const memberRegistrationsKey = (memberId: string): ReadModelKey => ({ pk: `member#${memberId}`, sk: 'registrations' });

/** By stream category (`series-<id>` -> `series`). */
export const projections: Readonly<Record<string, Projection>> = {
  series: { key: scheduleKey, project: (events) => scheduleFromEvents(events as RecordedEvent<SeriesEvent>[]) },
  member: { key: memberRegistrationsKey, project: (events) => memberRegistrationsFromEvents(events as RecordedEvent<MemberEvent>[]) },
};
