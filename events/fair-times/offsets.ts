/**
 * UTC offsets of a zone at many instants, from few tz look-ups.
 *
 * One look-up of a zone's offset costs microseconds (an Intl.DateTimeFormat call; Luxon's
 * `IANAZone.offset` does the same work through formatToParts, about four times slower), and
 * scoring 1,000 candidate times in 400 zones would need 400,000 of them. Offsets change
 * rarely, so a zone's timeline is found instead: probe the offset every PROBE_STEP_MS across
 * the instants asked about, and where two probes differ, bisect to the millisecond at which
 * the new offset starts. Every instant inside the covered spans then reads its offset from
 * the timeline without another look-up.
 *
 * Exactness: probes one step apart see every transition unless two transitions fall within
 * one step of each other. The step is one day; the shortest interval between two transitions
 * of any zone from 2000 to 2100 in the runtime's tz data (2025c, probed hourly) is 6.96 days
 * (Asia/Gaza and Asia/Hebron, whose daylight saving time pauses for Ramadan: October 2040,
 * April 2054, October 2072). A session is at most a day long, so it holds at most one transition.
 */
export const MINUTE_MS = 60_000;
export const DAY_MS = 86_400_000;

/** ISO weekday (1 = Monday … 7 = Sunday) of a day number (days since 1970-01-01, a Thursday). */
export const weekdayOf = (day: number) => ((((day + 3) % 7) + 7) % 7) + 1;
/** The probe step; must stay below the shortest interval between two transitions of a zone. */
export const PROBE_STEP_MS = DAY_MS;

const DIGITS = /(\d+)\/(\d+)\/(\d+),? (\d+):(\d+):(\d+)/;
const formatters = new Map<string, Intl.DateTimeFormat>();
const FORMATTERS_MAX = 2000;

/** The (cached) formatter offsets are read with; throws a RangeError for a zone Intl does not know. */
export function formatterOf(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    if (formatters.size >= FORMATTERS_MAX) formatters.clear();
    formatters.set(zone, f);
  }
  return f;
}

/** A zone's offset function: the minutes to add to UTC at `ms` to read the zone's wall clock. */
export type OffsetOf = (ms: number) => number;

/** One tz look-up per call (the timeline below is the fast path). Throws a RangeError for a zone Intl does not know. */
export function offsetFunction(zone: string): OffsetOf {
  const format = formatterOf(zone);
  return (ms: number) => {
    const m = DIGITS.exec(format.format(ms));
    if (!m) throw new RangeError(`cannot read the wall clock of ${zone} at ${ms}`);
    const hour = Number(m[4]) % 24;
    const wall = Date.UTC(Number(m[3]), Number(m[1]) - 1, Number(m[2]), hour, Number(m[5]), Number(m[6]));
    const wholeSecond = ms - (((ms % 1000) + 1000) % 1000);
    return Math.round((wall - wholeSecond) / MINUTE_MS);
  };
}

/**
 * A zone's offsets over some spans of time: `offsets[i]` holds from `starts[i]` (inclusive) to
 * `starts[i + 1]`. Only instants inside the spans given to `zoneTimeline` may be read: between
 * spans a change point may stand at the next span's start rather than at the real transition.
 */
export interface ZoneTimeline {
  readonly zone: string;
  readonly starts: readonly number[];
  readonly offsets: readonly number[];
  /** tz look-ups it took (for the benchmark). */
  readonly lookups: number;
}

/**
 * The timeline of `zone` over `spans` ([from, to] in epoch ms, sorted by from; they may overlap).
 * Spans closer than a probe step are walked as one.
 */
export function zoneTimeline(zone: string, spans: readonly (readonly [number, number])[]): ZoneTimeline {
  const offsetAt = offsetFunction(zone);
  let lookups = 0;
  const probe = (ms: number) => {
    lookups++;
    return offsetAt(ms);
  };
  const starts: number[] = [];
  const offsets: number[] = [];
  const push = (at: number, offset: number) => {
    if (offsets.length === 0 || offsets[offsets.length - 1] !== offset) {
      starts.push(at);
      offsets.push(offset);
    }
  };
  let lastAt = Number.NEGATIVE_INFINITY;
  let lastOffset = 0;
  for (const [from, to] of spans) {
    if (from - lastAt > PROBE_STEP_MS) {
      // A fresh span: what happened since the last probe is never read.
      lastOffset = probe(from);
      lastAt = from;
      push(from, lastOffset);
    }
    while (lastAt < to) {
      const next = Math.min(lastAt + PROBE_STEP_MS, to);
      const offset = probe(next);
      if (offset !== lastOffset) push(transitionBetween(probe, lastAt, next, lastOffset), offset);
      lastAt = next;
      lastOffset = offset;
    }
  }
  if (starts.length === 0) throw new RangeError('a timeline needs at least one span');
  return { zone, starts, offsets, lookups };
}

/**
 * The first millisecond in (lo, hi] at which the offset is no longer `before`, given that
 * probe(lo) = before and probe(hi) differs: bisect on whole minutes (where every transition
 * of the last fifty years lies), then on milliseconds should the minute not be exact.
 */
function transitionBetween(probe: OffsetOf, lo: number, hi: number, before: number): number {
  let low = lo;
  let high = hi;
  for (;;) {
    const first = Math.floor(low / MINUTE_MS) + 1;
    const last = Math.ceil(high / MINUTE_MS) - 1;
    if (first > last) break;
    const mid = Math.floor((first + last) / 2) * MINUTE_MS;
    if (probe(mid) === before) low = mid;
    else high = mid;
  }
  if (high - low > 1 && probe(high - 1) !== before) {
    high -= 1;
    while (high - low > 1) {
      const mid = Math.floor((low + high) / 2);
      if (probe(mid) === before) low = mid;
      else high = mid;
    }
  }
  return high;
}

/** The index of the timeline segment holding `ms` (the last change point at or before it). */
export function segmentAt(timeline: ZoneTimeline, ms: number): number {
  const { starts } = timeline;
  let lo = 0;
  let hi = starts.length - 1;
  if (ms < starts[0]!) return 0;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= ms) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
