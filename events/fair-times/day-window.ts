/**
 * Daily windows of wall-clock time ('08:00' to '21:00', or '23:00' to '06:00' across midnight)
 * and how a stretch of local wall-clock time meets them. Times are milliseconds on a local
 * axis: the zone's wall clock read as if it were UTC (`utc + offset`), so a day is DAY_MS.
 */
import { FairTimesInputError } from './errors.js';
import { DAY_MS, MINUTE_MS } from './offsets.js';

const HH_MM = /^([01]\d|2[0-4]):([0-5]\d)$/;

/** A daily window as the caller writes it; `to` at or before `from` runs past midnight. */
export interface DailyWindow {
  readonly from: string;
  readonly to: string;
}

/** A daily window in milliseconds since local midnight: [start, start + length), every day. */
export interface DayWindow {
  readonly from: string;
  readonly to: string;
  readonly start: number;
  readonly length: number;
}

/** 'HH:mm' (00:00 to 24:00) to milliseconds since midnight. */
export function parseClockTime(text: string, field: string): number {
  const m = HH_MM.exec(text);
  const ms = m ? (Number(m[1]) * 60 + Number(m[2])) * MINUTE_MS : NaN;
  if (!m || ms > DAY_MS) throw new FairTimesInputError(`${field} must be a time of day such as "08:00" (00:00 to 24:00), not "${text}"`, field);
  return ms;
}

export function dayWindow(window: DailyWindow, field: string): DayWindow {
  const start = parseClockTime(window.from, `${field}.from`);
  const end = parseClockTime(window.to, `${field}.to`);
  const length = (((end - start) % DAY_MS) + DAY_MS) % DAY_MS || (end !== start ? DAY_MS : 0);
  if (length === 0) throw new FairTimesInputError(`${field} is empty: from and to are both ${window.from}`, field);
  return { from: window.from, to: window.to, start: start % DAY_MS, length };
}

const mod = (x: number, m: number) => ((x % m) + m) % m;

/** Milliseconds of [a, b) on the local axis that fall inside the window. */
export function overlap(a: number, b: number, w: DayWindow): number {
  if (b <= a) return 0;
  if (w.length >= DAY_MS) return b - a;
  let total = 0;
  // The window occurrences [start + k·DAY, start + k·DAY + length) that can meet [a, b).
  const first = Math.floor((a - w.start - w.length) / DAY_MS);
  for (let k = first; w.start + k * DAY_MS < b; k++) {
    const s = w.start + k * DAY_MS;
    const lo = Math.max(a, s);
    const hi = Math.min(b, s + w.length);
    if (hi > lo) total += hi - lo;
  }
  return total;
}

/** How far local time `x` is from the nearest moment inside the window (0 inside it). */
export function distance(x: number, w: DayWindow): number {
  const gap = DAY_MS - w.length;
  if (gap <= 0) return 0;
  const u = mod(x - (w.start + w.length), DAY_MS);
  return u < gap ? Math.min(u, gap - u) : 0;
}

/** The largest distance from the window over [a, b]: at an end, or in the middle of a gap. */
export function maxDistance(a: number, b: number, w: DayWindow): number {
  const gap = DAY_MS - w.length;
  if (gap <= 0) return 0;
  let best = Math.max(distance(a, w), distance(b, w));
  // Middles of the gaps: w.start + w.length + gap / 2 + k·DAY; is one in (a, b)?
  const middle = w.start + w.length + gap / 2;
  const k = Math.ceil((a - middle) / DAY_MS);
  if (middle + k * DAY_MS <= b) best = Math.max(best, gap / 2);
  return best;
}
