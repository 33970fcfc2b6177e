/**
 * The best start times in a date range and a daily window of the series' home zone.
 *
 * Candidates are home-zone wall times: every `everyMinutes` from window.from up to and
 * including window.to, on each date from dates.from to dates.to (inclusive). Each is resolved
 * as the series resolves a session's start (../time/wall-clock.ts): a wall time the home zone
 * skips (the spring-forward gap) is left out and reported; one it repeats is taken at its
 * first occurrence. Then all are scored at once (./score.ts) and ranked:
 *   1. larger awakeShare, 2. fewer registrants with night in it, 3. smaller badness of the
 *   worst-off, 4. earlier start (so equal scores always come out in the same order).
 */
import { resolveWallTime } from '../time/wall-clock.js';
import { NonexistentLocalTimeError } from '../shared/errors.js';
import { parseClockTime, type DailyWindow } from './day-window.js';
import { FairTimesInputError } from './errors.js';
import { DAY_MS, MINUTE_MS, weekdayOf } from './offsets.js';
import { scoreCandidates, wallText, type CandidateScore, type FairTimeOptions } from './score.js';
import { isIanaZone, type ZoneWeights } from './zones.js';

export const DEFAULT_SUGGESTIONS = 5;
export const DEFAULT_EVERY_MINUTES = 30;
/** More candidates than this in one call is a mistake in the range, not a search. */
export const MAX_CANDIDATES = 50_000;

export interface SuggestInput {
  /** The series' home zone: the window and dates are read on its wall clock. */
  readonly homeZone: string;
  /** First and last date, inclusive, `2027-05-01`. */
  readonly dates: { readonly from: string; readonly to: string };
  /** Earliest and latest start time of day, inclusive (to must not be before from). */
  readonly window: DailyWindow;
  /** Minutes between candidate starts; default 30. */
  readonly everyMinutes?: number;
  /** ISO weekdays (1 = Monday … 7 = Sunday) of the home zone to keep; default every day. */
  readonly weekdays?: readonly number[];
  readonly durationMinutes: number;
  readonly zones: ZoneWeights;
  /** How many to return; default 5. */
  readonly count?: number;
  /** Waking and night hours, worst-off list length (the home zone is input.homeZone). */
  readonly options?: Omit<FairTimeOptions, 'homeZone'>;
}

export interface Suggestion {
  /** 1 for the best. */
  readonly rank: number;
  /** The home-zone wall time, `2027-05-03T10:00`. */
  readonly homeLocal: string;
  /** The wall time occurs twice in the home zone; this is the first. */
  readonly ambiguous: boolean;
  readonly score: CandidateScore;
}

export interface Suggestions {
  readonly suggestions: readonly Suggestion[];
  /** Candidates scored. */
  readonly considered: number;
  /** Home-zone wall times left out because the zone skips them (daylight saving gap). */
  readonly skipped: readonly string[];
  /** Home-zone wall times that occur twice, taken at their first occurrence. */
  readonly repeated: readonly string[];
}

/** The ranking of suggestions: negative when `a` is better. */
export function compareCandidates(a: CandidateScore, b: CandidateScore): number {
  const awake = a.total === b.total ? b.awake - a.awake : b.awakeShare - a.awakeShare;
  if (awake !== 0) return awake;
  const night = a.total === b.total ? a.night - b.night : a.nightShare - b.nightShare;
  return night || a.worstBadness - b.worstBadness || a.startMs - b.startMs;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function dayNumber(date: string, field: string): number {
  const m = DATE.exec(date);
  const ms = m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : NaN;
  if (!m || new Date(ms).toISOString().slice(0, 10) !== date) throw new FairTimesInputError(`${field} must be a date such as 2027-05-01, not "${date}"`, field);
  return ms / DAY_MS;
}

/** The home-zone wall times a suggestion may start at, in order. */
export function candidateWallTimes(input: Pick<SuggestInput, 'dates' | 'window' | 'everyMinutes' | 'weekdays'>): string[] {
  const first = dayNumber(input.dates.from, 'dates.from');
  const last = dayNumber(input.dates.to, 'dates.to');
  if (last < first) throw new FairTimesInputError(`dates.to (${input.dates.to}) is before dates.from (${input.dates.from})`, 'dates.to');
  const from = parseClockTime(input.window.from, 'window.from');
  const to = parseClockTime(input.window.to, 'window.to');
  if (to < from) throw new FairTimesInputError(`window.to (${input.window.to}) is before window.from (${input.window.from}); a window ends on the day it starts`, 'window.to');
  const every = input.everyMinutes ?? DEFAULT_EVERY_MINUTES;
  if (!Number.isInteger(every) || every < 1 || every > 24 * 60) throw new FairTimesInputError(`everyMinutes must be a whole number of minutes from 1 to 1440, not ${every}`, 'everyMinutes');
  const weekdays = input.weekdays ? new Set(input.weekdays) : undefined;
  if (weekdays && [...weekdays].some((d) => !Number.isInteger(d) || d < 1 || d > 7)) throw new FairTimesInputError('weekdays must be ISO weekdays, 1 (Monday) to 7 (Sunday)', 'weekdays');
  const perDay = Math.floor((Math.min(to, DAY_MS - MINUTE_MS) - from) / (every * MINUTE_MS)) + 1;
  if (perDay * (last - first + 1) > MAX_CANDIDATES) throw new FairTimesInputError(`${perDay * (last - first + 1)} candidate times is more than ${MAX_CANDIDATES}: narrow the dates or the window, or step further`, 'dates');
  const out: string[] = [];
  for (let day = first; day <= last; day++) {
    if (weekdays && !weekdays.has(weekdayOf(day))) continue;
    for (let t = from; t <= to && t < DAY_MS; t += every * MINUTE_MS) out.push(wallText(day * DAY_MS + t));
  }
  return out;
}

/** The `count` best start times (see the ranking above). */
export function suggestTimes(input: SuggestInput): Suggestions {
  if (!isIanaZone(input.homeZone)) throw new FairTimesInputError(`homeZone: "${input.homeZone}" is not a known IANA time zone`, 'homeZone');
  const count = input.count ?? DEFAULT_SUGGESTIONS;
  if (!Number.isInteger(count) || count < 1) throw new FairTimesInputError(`count must be a whole number ≥ 1, not ${count}`, 'count');
  const skipped: string[] = [];
  const repeated: string[] = [];
  const candidates: { homeLocal: string; ambiguous: boolean; ms: number }[] = [];
  for (const local of candidateWallTimes(input)) {
    try {
      const resolved = resolveWallTime(local, input.homeZone);
      candidates.push({ homeLocal: local, ambiguous: resolved.ambiguous, ms: Date.parse(resolved.utc) });
      if (resolved.ambiguous) repeated.push(local);
    } catch (error) {
      if (!(error instanceof NonexistentLocalTimeError)) throw error;
      skipped.push(local);
    }
  }
  const scores = scoreCandidates(
    candidates.map((c) => c.ms),
    input.durationMinutes,
    input.zones,
    { ...input.options, homeZone: input.homeZone },
  );
  const order = scores.map((_, i) => i).sort((a, b) => compareCandidates(scores[a]!, scores[b]!));
  return {
    suggestions: order.slice(0, count).map((i, rank) => ({ rank: rank + 1, homeLocal: candidates[i]!.homeLocal, ambiguous: candidates[i]!.ambiguous, score: scores[i]! })),
    considered: scores.length,
    skipped,
    repeated,
  };
}
