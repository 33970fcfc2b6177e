/**
 * Evaluating a parsed VTIMEZONE block: the UTC offset it gives at an instant, and the onsets
 * of its observances (the DTSTART, then each year's nth or last weekday of the RRULE's month,
 * up to its UNTIL), with the calendar arithmetic they need (local dates read as UTC).
 *
 * The block is the one read back from its text (vtimezone-text.ts), so that what is checked
 * (vtimezone.ts) is what a calendar reads. Pure: onsets are cached per observance and year.
 */
import type { Observance, ZoneBlock } from './vtimezone-types.js';

const NOON = { hour: 12, minute: 0, second: 0 };

/** The block's UTC offset (seconds) in effect at an instant; undefined before its first onset. */
export function offsetAt(block: ZoneBlock, instantMs: number): number | undefined {
  let latest: { at: number; to: number } | undefined;
  for (const observance of block.observances) {
    const at = latestOnset(observance, instantMs);
    if (at !== undefined && (!latest || at > latest.at)) latest = { at, to: observance.to };
  }
  return latest?.to;
}

/** The observance's latest onset at or before an instant. */
function latestOnset(observance: Observance, instantMs: number): number | undefined {
  const first = onsetOf(observance);
  if (first > instantMs) return undefined;
  const { rule } = observance;
  if (!rule) return first;
  // Onsets are within a day of their local date: none of a later year can precede the instant.
  let year = new Date(instantMs).getUTCFullYear() + 1;
  if (rule.until !== undefined) year = Math.min(year, new Date(rule.until).getUTCFullYear() + 1);
  for (; year > observance.start.year; year--) {
    const at = onsetMs(observance, year);
    if (at !== undefined && at <= instantMs) return at;
  }
  return first;
}

/** Every onset of an observance up to `endMs`, as UTC instants. */
export function onsetsUntil(observance: Observance, endMs: number): number[] {
  const found: number[] = [];
  const lastYear = new Date(endMs).getUTCFullYear() + 1;
  for (let year = observance.start.year; year <= lastYear; year++) {
    const at = onsetMs(observance, year);
    if (at !== undefined && at <= endMs) found.push(at);
    if (!observance.rule) break;
  }
  return found;
}

/** The instant of the first onset (DTSTART in the `from` offset). */
export function onsetOf(observance: Observance): number {
  const { start, from } = observance;
  return utcOf(start.year, start.month, start.day, start) - from * 1000;
}

const onsetCache = new WeakMap<Observance, Map<number, number | undefined>>();

/** The onset of an observance in a (local) year, if it has one then (cached). */
export function onsetMs(observance: Observance, year: number): number | undefined {
  let byYear = onsetCache.get(observance);
  if (!byYear) onsetCache.set(observance, (byYear = new Map()));
  if (!byYear.has(year)) byYear.set(year, computeOnset(observance, year));
  return byYear.get(year);
}

function computeOnset(observance: Observance, year: number): number | undefined {
  const { start, rule, from } = observance;
  if (year < start.year) return undefined;
  if (!rule) return year === start.year ? onsetOf(observance) : undefined;
  const day = nthWeekday(year, rule.month, rule.week, rule.weekday);
  if (day === undefined) return undefined;
  const at = utcOf(year, rule.month, day, start) - from * 1000;
  return rule.until !== undefined && at > rule.until ? undefined : at;
}

/** A local date and time read as UTC (ms); `day` may be 0, the last day of the month before. */
export function utcOf(year: number, month: number, day: number, time: { hour: number; minute: number; second: number }): number {
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day); // unlike Date.UTC, years 0-99 stay as they are
  date.setUTCHours(time.hour, time.minute, time.second, 0);
  return date.getTime();
}

function nthWeekday(year: number, month: number, week: number, weekday: number): number | undefined {
  const days = daysInMonth(year, month);
  let day: number;
  if (week > 0) {
    const first = weekdayOf({ year, month, day: 1 });
    day = 1 + ((weekday - first + 7) % 7) + (week - 1) * 7;
  } else {
    const last = weekdayOf({ year, month, day: days });
    day = days - ((last - weekday + 7) % 7) + (week + 1) * 7;
  }
  return day >= 1 && day <= days ? day : undefined;
}

export function daysInMonth(year: number, month: number): number {
  return new Date(utcOf(year, month + 1, 0, NOON)).getUTCDate();
}

export function weekdayOf(date: { year: number; month: number; day: number }): number {
  return new Date(utcOf(date.year, date.month, date.day, NOON)).getUTCDay();
}
