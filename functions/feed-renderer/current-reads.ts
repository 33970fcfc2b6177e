/**
 * The reads a personal feed is made of (the FeedReads the API's feed route uses), for the
 * renderer: by member id rather than by token, from the read models as they are now, each
 * schedule and roster read once per batch of stream records. A batch starts after every
 * change its records name, so what it reads is at least as new as each of them.
 */
import type { MemberRegistrations, RosterEntry } from '../../events/projections/member-registrations.js';
import type { SeriesSchedule } from '../../events/projections/schedule.js';
import type { FeedReads } from '../read-models/member-feed-reads.js';
import type { ReadModelStore, StoredDocument } from '../read-models/read-model-store.js';
import { getMemberRegistrations, getRosterEntries, getSchedule } from '../read-models/queries.js';

export interface CurrentReads {
  /**
   * FeedReads in which a "token" is a member id (the renderer knows members, not tokens):
   * memberFeedInputs (functions/api/member-feed-inputs.ts) then builds exactly the inputs the
   * API's route builds for that member's token.
   */
  readonly feedReads: FeedReads;
  schedule(seriesId: string): Promise<StoredDocument<SeriesSchedule> | undefined>;
  roster(seriesId: string): Promise<readonly RosterEntry[]>;
  /** Feeds rendered in this batch, by what they are made of: members with the same inputs share one rendering. */
  readonly rendered: Map<string, string>;
}

export function currentReads(readModels: ReadModelStore): CurrentReads {
  const schedules = new Map<string, Promise<StoredDocument<SeriesSchedule> | undefined>>();
  const rosters = new Map<string, Promise<readonly RosterEntry[]>>();
  const schedule = (id: string) => {
    let read = schedules.get(id);
    if (!read) schedules.set(id, (read = getSchedule(readModels, id)));
    return read;
  };
  const roster = (id: string) => {
    let read = rosters.get(id);
    if (!read) rosters.set(id, (read = getRosterEntries(readModels, id)));
    return read;
  };
  const feedReads: FeedReads = async (request) => {
    if ((request.probes ?? []).length > 0) throw new Error('the renderer holds no schedules to probe');
    const [registrations, scheduleDocs, rosterDocs] = await Promise.all([
      request.memberId === undefined ? undefined : getMemberRegistrations(readModels, request.memberId),
      Promise.all((request.schedules ?? []).map(async (id) => [id, await schedule(id)] as const)),
      Promise.all((request.rosters ?? []).map(async (id) => [id, await roster(id)] as const)),
    ]);
    return {
      ...(request.token !== undefined ? { tokenMemberId: request.token } : {}),
      ...(registrations ? { registrations } : {}),
      moved: new Set<string>(),
      schedules: new Map(scheduleDocs.flatMap(([id, doc]) => (doc ? [[id, doc] as const] : []))),
      rosters: new Map(rosterDocs),
    };
  };
  return { feedReads, schedule, roster, rendered: new Map() };
}
