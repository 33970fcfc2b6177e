/**
 * Which read model each stream category feeds, and how: a projection folds a whole stream
 * (events/projections/) into one document, keyed by the stream.
 */
import type { ConveneEvent } from '../../events/registry.js';
import type { MemberEvent } from '../../events/member/events.js';
import { memberRegistrationsFromEvents, rosterEntries } from '../../events/projections/member-registrations.js';
import { scheduleFromEvents } from '../../events/projections/schedule.js';
import type { SeriesEvent } from '../../events/series/events.js';
import type { RecordedEvent } from '../../events/shared/event.js';
import type { ReadModelKey } from '../adapters/read-models/read-model-store.js';

export interface Projection {
  /** The stream's main document (its version says how far the stream was folded). */
  readonly key: (id: string) => ReadModelKey;
  /** Every document the stream feeds, the main one first. */
  readonly project: (events: readonly RecordedEvent<ConveneEvent>[]) => { key: ReadModelKey; doc: unknown }[];
}

export const scheduleKey = (seriesId: string): ReadModelKey => ({ pk: `series#${seriesId}`, sk: 'schedule' });
export const memberRegistrationsKey = (memberId: string): ReadModelKey => ({ pk: `member#${memberId}`, sk: 'registrations' });
/** A series' roster: one item per registered member, queried by series. */
export const rosterPk = (seriesId: string) => `roster#${seriesId}`;
export const rosterKey = (seriesId: string, memberId: string): ReadModelKey => ({ pk: rosterPk(seriesId), sk: `member#${memberId}` });

/** By stream category (`series-<id>` -> `series`). */
export const projections: Readonly<Record<string, Projection>> = {
  series: {
    key: scheduleKey,
    project: (events) => {
      const schedule = scheduleFromEvents(events as RecordedEvent<SeriesEvent>[]);
      return schedule ? [{ key: scheduleKey(schedule.seriesId), doc: schedule }] : [];
    },
  },
  member: {
    key: memberRegistrationsKey,
    project: (events) => {
      const doc = memberRegistrationsFromEvents(events as RecordedEvent<MemberEvent>[]);
      if (!doc) return [];
      return [
        { key: memberRegistrationsKey(doc.memberId), doc },
        ...rosterEntries(doc).map((entry) => ({ key: rosterKey(entry.seriesId, entry.memberId), doc: entry })),
      ];
    },
  },
};
