/**
 * What a member's feed is made of (their registrations, the schedules and seats behind them),
 * read fresh on every request with as few round trips as this instance's memory allows.
 *
 * Nothing here can make a feed stale; memory only saves reads:
 * - the member a token belonged to last time, and that member's series and rosters, are a
 *   guess that lets the first round trip read everything at once; the token itself is looked
 *   up on every request, so a rotated token is refused at once, on every instance;
 * - a schedule is kept by version (a version's document never changes: it is the fold of
 *   that many events) and used only after the same round trip showed its series has no later
 *   event;
 * - registrations and rosters are read on every request (the member's language, what they
 *   registered for, and their seats change without the schedule changing).
 * A warm request is one round trip; a token new to this instance, a new series or a changed
 * schedule take one or two more.
 */
import type { MemberRegistrations, RosterEntry } from '../../events/projections/member-registrations.js';
import type { SeriesSchedule } from '../../events/projections/schedule.js';
import { seatsFor } from '../../events/projections/seats.js';
import type { FeedReads } from '../read-models/member-feed-reads.js';
import type { StoredDocument } from '../read-models/read-model-store.js';
import { boundedCache } from '../bounded-cache.js';

export interface FeedEntry {
  readonly schedule: SeriesSchedule;
  readonly sessionIds: readonly string[];
  /** Registered for the whole series: a dialogue's open window is in the feed too. */
  readonly window: boolean;
}

export interface FeedInputs {
  readonly memberId: string;
  readonly registrations?: MemberRegistrations;
  /** The member's language for the feed: their preference, else their first registration's. */
  readonly language: string;
  readonly entries: readonly FeedEntry[];
}

interface Guess {
  readonly memberId: string;
  readonly series: readonly string[];
  readonly rosters: readonly string[];
}

export interface FeedInputsOptions {
  /** Tokens whose member and series are remembered. */
  readonly tokens?: number;
  /** Schedules kept (a 200-session schedule is a few hundred KiB in memory). */
  readonly schedules?: number;
}

export function memberFeedInputs(read: FeedReads, options: FeedInputsOptions = {}) {
  const guesses = boundedCache<Guess>(options.tokens ?? 10_000);
  const schedules = boundedCache<StoredDocument<SeriesSchedule>>(options.schedules ?? 100);
  const keep = (id: string, doc: StoredDocument<SeriesSchedule>) => {
    if ((schedules.peek(id)?.version ?? -1) < doc.version) schedules.set(id, doc);
  };

  /** The member's feed inputs, or undefined when the token belongs to nobody (now). */
  return async (token: string): Promise<FeedInputs | undefined> => {
    const guess = guesses.peek(token);
    const held = new Map(
      (guess?.series ?? []).flatMap((id) => {
        const doc = schedules.peek(id);
        return doc ? [[id, doc] as const] : [];
      }),
    );
    const first = await read({
      token,
      ...(guess
        ? {
            memberId: guess.memberId,
            probes: [...held].map(([seriesId, doc]) => ({ seriesId, version: doc.version })),
            schedules: guess.series.filter((id) => !held.has(id)),
            rosters: guess.rosters,
          }
        : {}),
    });
    const memberId = first.tokenMemberId;
    if (!memberId) {
      guesses.delete(token);
      return undefined;
    }
    // What the first round trip read for the guessed member is only of use if the token is still theirs.
    const known = guess?.memberId === memberId ? first : undefined;
    const registrations = (known ?? (await read({ memberId }))).registrations?.doc;
    const active = Object.values(registrations?.registrations ?? {}).filter((r) => r.status === 'confirmed');

    const current = new Map<string, SeriesSchedule>();
    const use = (id: string, doc: StoredDocument<SeriesSchedule>) => (keep(id, doc), current.set(id, doc.doc));
    for (const [id, doc] of known?.schedules ?? []) use(id, doc);
    if (known) for (const [id, doc] of held) if (!known.moved.has(id)) current.set(id, doc.doc);
    const missing = active.map((r) => r.seriesId).filter((id) => !current.has(id));
    if (missing.length > 0) for (const [id, doc] of (await read({ schedules: missing })).schedules) use(id, doc);

    const covered = active.flatMap((r) => {
      const schedule = current.get(r.seriesId);
      if (!schedule) return []; // not projected yet
      const ids = r.sessions === 'all' ? schedule.sessions.filter((s) => !r.declined.includes(s.sessionId)).map((s) => s.sessionId) : r.sessions;
      const limited = schedule.sessions.filter((s) => s.capacity !== undefined && ids.includes(s.sessionId));
      return [{ schedule, ids, limited, window: r.sessions === 'all' }];
    });
    const rosters = new Map<string, readonly RosterEntry[]>(known?.rosters);
    const unread = covered.filter((c) => c.limited.length > 0 && !rosters.has(c.schedule.seriesId)).map((c) => c.schedule.seriesId);
    if (unread.length > 0) for (const [id, roster] of (await read({ rosters: unread })).rosters) rosters.set(id, roster);

    const entries = covered.map(({ schedule, ids, limited, window }) => {
      // A member waiting for a seat does not get the session in their calendar until seated.
      const roster = rosters.get(schedule.seriesId) ?? [];
      const waiting = new Set(limited.filter((s) => !seatsFor(s, roster).seated.includes(memberId)).map((s) => s.sessionId));
      return { schedule, sessionIds: ids.filter((id) => !waiting.has(id)), window };
    });
    guesses.set(token, {
      memberId,
      series: active.map((r) => r.seriesId),
      rosters: covered.filter((c) => c.limited.length > 0).map((c) => c.schedule.seriesId),
    });
    return {
      memberId,
      ...(registrations ? { registrations } : {}),
      language: registrations?.preferences.language ?? active[0]?.language ?? 'en',
      entries,
    };
  };
}

/**
 * What a personal feed is a function of, as a string: its language and, per series, the
 * schedule's version, the sessions and the window; and the member, when a session in it has a
 * meeting URL (the feed then carries the member's own join link). The API's ETag and the
 * renderer's reuse of a rendered feed both key on it.
 */
export function feedMadeOf(inputs: Pick<FeedInputs, 'memberId' | 'language' | 'entries'>): string {
  const joinLinks = inputs.entries.some((e) => e.schedule.sessions.some((s) => s.joinUrl !== undefined && e.sessionIds.includes(s.sessionId)));
  return JSON.stringify([inputs.language, inputs.entries.map((e) => [e.schedule.seriesId, e.schedule.version, e.sessionIds, e.window]), joinLinks ? inputs.memberId : null]);
}
