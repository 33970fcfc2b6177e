/**
 * Wall-clock times in a time zone, resolved to UTC instants.
 *
 * Organisers say "15:00 in New York"; the store keeps the UTC instant and the zone.
 * - A wall time the zone skips (02:30 on the night clocks go forward) is refused with
 *   NonexistentLocalTimeError: silently moving a webinar by an hour is worse than asking.
 * - A wall time the zone repeats (01:30 on the night clocks go back) resolves to its FIRST
 *   occurrence, the earlier instant, still on the offset in force before the change. That is
 *   what RFC 5545 (section 3.3.5) prescribes for calendar clients, so our feeds and mails
 *   agree with how a member's calendar app reads the same local time.
 */
import { DateTime } from 'luxon';
import { NonexistentLocalTimeError } from '../shared/errors.js';

const LOCAL_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/;

export interface ResolvedTime {
  /** UTC instant, ISO 8601 with Z. */
  readonly utc: string;
  /** Offset from UTC in minutes at that instant in the zone. */
  readonly offsetMinutes: number;
  /** True when the wall time occurs twice in the zone and the earlier one was chosen. */
  readonly ambiguous: boolean;
}

export function isLocalWallTime(text: string): boolean {
  return LOCAL_TIME.test(text);
}

/** Resolve `2027-05-03T10:00` (no offset) in `zone`. Throws on a time the zone skips. */
export function resolveWallTime(local: string, zone: string, field = 'start'): ResolvedTime {
  const m = LOCAL_TIME.exec(local);
  if (!m) throw new NonexistentLocalTimeError(`"${local}" is not a local date-time such as 2027-05-03T10:00`, field);
  const [year, month, day, hour, minute, second] = m.slice(1).map((p) => (p === undefined ? 0 : Number(p))) as number[];
  const wall = Date.UTC(year!, month! - 1, day!, hour!, minute!, second!);
  const probe = new Date(wall);
  if (
    probe.getUTCFullYear() !== year ||
    probe.getUTCMonth() !== month! - 1 ||
    probe.getUTCDate() !== day ||
    probe.getUTCHours() !== hour ||
    probe.getUTCMinutes() !== minute
  ) {
    throw new NonexistentLocalTimeError(`"${local}" is not a valid calendar date and time`, field);
  }

  // Every offset the zone uses within a day either side: the candidates for this wall time.
  const offsets = new Set<number>();
  for (const hours of [-36, -12, 0, 12, 36]) {
    offsets.add(DateTime.fromMillis(wall + hours * 3_600_000, { zone }).offset);
  }
  const matches: { utc: number; offset: number }[] = [];
  for (const offset of offsets) {
    const utc = wall - offset * 60_000;
    if (DateTime.fromMillis(utc, { zone }).offset === offset) matches.push({ utc, offset });
  }
  matches.sort((a, b) => a.utc - b.utc);
  const first = matches[0];
  if (!first) {
    throw new NonexistentLocalTimeError(
      `${local} does not exist in ${zone}: the clocks skip that time (daylight saving change); choose another time`,
      field,
    );
  }
  return { utc: toUtcIso(first.utc), offsetMinutes: first.offset, ambiguous: matches.length > 1 };
}

/** Parse an ISO 8601 instant that carries its offset (`Z` or `+02:00`) to UTC. */
export function resolveInstant(text: string): string | undefined {
  if (!/(Z|[+-]\d{2}:?\d{2})$/i.test(text)) return undefined;
  const dt = DateTime.fromISO(text, { setZone: true });
  return dt.isValid ? toUtcIso(dt.toMillis()) : undefined;
}

/** Start (inclusive) of a calendar date in a zone, as a UTC instant. */
export function startOfDate(date: string, zone: string): string {
  return toUtcIso(DateTime.fromISO(date, { zone }).startOf('day').toMillis());
}

/** End (exclusive: the next midnight) of a calendar date in a zone, as a UTC instant. */
export function endOfDate(date: string, zone: string): string {
  return toUtcIso(DateTime.fromISO(date, { zone }).plus({ days: 1 }).startOf('day').toMillis());
}

export function toUtcIso(ms: number): string {
  return new Date(ms).toISOString();
}
