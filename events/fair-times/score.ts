/**
 * How fair one start time is to a community spread over the world's zones.
 *
 * For each zone (weighted by its registrants) the session is read on the zone's own wall
 * clock, exactly across daylight saving changes (a change inside the session splits it), and
 * measured against two daily windows of local time:
 * - awake: the whole session lies inside waking hours (default 08:00 to 21:00);
 * - night: some of it lies inside the night (default 23:00 to 06:00).
 * Badness, the measure the worst-off are sorted by: minutes of the session inside the night,
 * then the distance from waking hours, i.e. the furthest the session's local time strays from
 * the nearest waking moment (a session 21:00 to 22:00 is 60 minutes away, one at 03:00 is
 * five hours away). As one number: nightMinutes × 1000 + distanceMinutes (a distance is at
 * most 720 minutes, so night minutes always weigh more). With the default windows, which do
 * not overlap, it is 0 exactly when awake.
 *
 * The work is per zone, never per registrant, and less: each zone's offsets come from its
 * timeline (./offsets.ts), a few tz look-ups per zone for a whole batch of candidates; zones
 * with the same timeline over the batch (all of the EU's, say) form one class, read once per
 * candidate; classes showing the same wall time share one reading of it. Per-zone lists are
 * built only when read.
 */
import { resolveInstant } from '../time/wall-clock.js';
import { dayWindow, maxDistance, overlap, type DailyWindow, type DayWindow } from './day-window.js';
import { FairTimesInputError } from './errors.js';
import { DAY_MS, MINUTE_MS, segmentAt, weekdayOf, zoneTimeline, type ZoneTimeline } from './offsets.js';
import { checkedZones, isIanaZone, type ZoneWeights } from './zones.js';

/** An instant: ISO 8601 with its offset (`Z` or `+02:00`), a Date, or epoch milliseconds. */
export type Instant = string | Date | number;

export const DEFAULT_WAKING_HOURS: DailyWindow = { from: '08:00', to: '21:00' };
export const DEFAULT_NIGHT_HOURS: DailyWindow = { from: '23:00', to: '06:00' };
export const DEFAULT_WORST_OFF_LIMIT = 10;
/** Badness per minute of night: more than any distance from waking hours can be (≤ 720). */
export const BADNESS_PER_NIGHT_MINUTE = 1000;
export const MAX_DURATION_MINUTES = 24 * 60;

export interface FairTimeOptions {
  /** Local hours a session must lie wholly inside for a registrant to count as awake. */
  readonly wakingHours?: DailyWindow;
  /** Local hours of night; a session touching them is a night session for the zone. */
  readonly nightHours?: DailyWindow;
  /** The zone `dayShift` compares local dates with (the series' home zone); default UTC. */
  readonly homeZone?: string;
  /** How many of the worst-off zones to list; default 10. */
  readonly worstOffLimit?: number;
}

/**
 * What a zone's wall clock shows of a candidate. One object is shared by every zone that
 * reads the candidate alike (same offsets; same home-zone date), so 1,000 candidates in 400
 * zones make some 40,000 of them, not 400,000.
 */
export interface LocalReading {
  /** Local wall time at the start and at the end, `2027-05-04T05:30`. */
  readonly start: string;
  readonly end: string;
  /** Local date at the start. */
  readonly date: string;
  /** ISO weekday at the local start, 1 = Monday to 7 = Sunday, and its English name. */
  readonly weekday: number;
  readonly weekdayName: string;
  /** Local start date minus the home zone's date at the same instant (-1, 0, +1). */
  readonly dayShift: number;
  /** Offset from UTC at the start, in minutes and as `+05:30`. */
  readonly offsetMinutes: number;
  readonly offset: string;
  /** Offset at the end; differs from offsetMinutes when the clocks change during the session. */
  readonly endOffsetMinutes: number;
  /** The whole session inside waking hours. */
  readonly awake: boolean;
  /** Some of the session inside the night. */
  readonly night: boolean;
  readonly nightMinutes: number;
  readonly outsideWakingMinutes: number;
  /** The furthest the session's local time strays from waking hours (0 when awake). */
  readonly distanceMinutes: number;
  /** nightMinutes × 1000 + distanceMinutes; 0 when awake (and waking hours do not overlap the night). */
  readonly badness: number;
}

/** One zone's view of a candidate. */
export interface ZoneTime {
  readonly zone: string;
  /** Registrants in the zone. */
  readonly count: number;
  readonly local: LocalReading;
}

export interface CandidateScore {
  /** UTC instants, ISO 8601 with Z. */
  readonly start: string;
  readonly end: string;
  readonly startMs: number;
  readonly durationMinutes: number;
  /** Registrants weighed. */
  readonly total: number;
  /** Registrants for whom the whole session is inside waking hours, and their share of total (0 when total is 0). */
  readonly awake: number;
  readonly awakeShare: number;
  /** Registrants for whom some of the session is inside the night. */
  readonly night: number;
  readonly nightShare: number;
  /** The largest badness any registrant bears (0 when all are awake). */
  readonly worstBadness: number;
  /** Badness summed over registrants (count × badness). */
  readonly totalBadness: number;
  /** Zones with badness above 0 (those not awake), worst first: badness descending, then more registrants, then by name; at most worstOffLimit. */
  readonly worstOff: readonly ZoneTime[];
  /**
   * Every zone, by name. Built on first read (an own enumerable getter, so JSON and spreads see
   * it): the figures above do not need it, and 1,000 candidates in 400 zones would otherwise
   * allocate 400,000 of these up front.
   */
  readonly zones: readonly ZoneTime[];
}

/** Score one start time. */
export function scoreCandidate(start: Instant, durationMinutes: number, zones: ZoneWeights, options: FairTimeOptions = {}): CandidateScore {
  return scoreCandidates([start], durationMinutes, zones, options)[0]!;
}

/** Epoch milliseconds of an instant; a string must carry its offset. */
export function instantMs(instant: Instant, field = 'start'): number {
  let ms: number;
  if (typeof instant === 'number') ms = instant;
  else if (instant instanceof Date) ms = instant.getTime();
  else if (typeof instant === 'string') {
    const utc = resolveInstant(instant);
    ms = utc === undefined ? NaN : Date.parse(utc);
  } else ms = NaN;
  if (!Number.isFinite(ms) || Math.abs(ms) > 8.64e15) {
    throw new FairTimesInputError(`${field} must be an instant (ISO 8601 with Z or an offset, a Date, or epoch milliseconds), not ${String(instant)}`, field);
  }
  return ms;
}

export function checkDuration(durationMinutes: number): number {
  if (!Number.isFinite(durationMinutes) || durationMinutes <= 0 || durationMinutes > MAX_DURATION_MINUTES) {
    throw new FairTimesInputError(`durationMinutes must be more than 0 and at most ${MAX_DURATION_MINUTES}, not ${durationMinutes}`, 'durationMinutes');
  }
  return durationMinutes;
}

interface Windows {
  readonly waking: DayWindow;
  readonly night: DayWindow;
}

function windowsOf(options: FairTimeOptions): Windows {
  return {
    waking: dayWindow(options.wakingHours ?? DEFAULT_WAKING_HOURS, 'wakingHours'),
    night: dayWindow(options.nightHours ?? DEFAULT_NIGHT_HOURS, 'nightHours'),
  };
}

const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'] as const;

export function formatOffset(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

const TWO_DIGITS = Array.from({ length: 100 }, (_, i) => String(i).padStart(2, '0'));

/** `2027-05-04T05:30` of a local-axis millisecond (years 0 to 9999; civil date from days, H. Hinnant's algorithm). */
export function wallText(localMs: number): string {
  const days = Math.floor(localMs / DAY_MS);
  const minutes = Math.floor((localMs - days * DAY_MS) / MINUTE_MS);
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  return `${String(year).padStart(4, '0')}-${TWO_DIGITS[month]}-${TWO_DIGITS[day]}T${TWO_DIGITS[Math.floor(minutes / 60)]}:${TWO_DIGITS[minutes % 60]}`;
}

/** What the local wall clock alone decides (the same for every zone and candidate that show the same local times). */
interface WallPart {
  readonly start: string;
  readonly end: string;
  readonly date: string;
  readonly weekday: number;
  readonly weekdayName: string;
  readonly localDay: number;
  readonly awake: boolean;
  readonly night: boolean;
  readonly nightMinutes: number;
  readonly outsideWakingMinutes: number;
  readonly distanceMinutes: number;
  readonly badness: number;
}

/** The wall-clock part of a session shown as `segments` (local-axis [from, to), real time in each), ending at local `localEnd`. */
function wallPart(segments: readonly (readonly [number, number])[], localEnd: number, w: Windows): WallPart {
  let nightMs = 0;
  let wakingMs = 0;
  let distanceMs = 0;
  let durationMs = 0;
  for (const [a, b] of segments) {
    if (b <= a) continue;
    durationMs += b - a;
    nightMs += overlap(a, b, w.night);
    wakingMs += overlap(a, b, w.waking);
    distanceMs = Math.max(distanceMs, maxDistance(a, b, w.waking));
  }
  const localStart = segments[0]![0];
  const localDay = Math.floor(localStart / DAY_MS);
  const weekday = weekdayOf(localDay);
  const nightMinutes = nightMs / MINUTE_MS;
  const outsideWakingMinutes = (durationMs - wakingMs) / MINUTE_MS;
  const awake = outsideWakingMinutes <= 0;
  const distanceMinutes = awake ? 0 : distanceMs / MINUTE_MS;
  const start = wallText(localStart);
  return {
    start,
    end: wallText(localEnd),
    date: start.slice(0, 10),
    weekday,
    weekdayName: WEEKDAYS[weekday - 1]!,
    localDay,
    awake,
    night: nightMs > 0,
    nightMinutes,
    outsideWakingMinutes: awake ? 0 : outsideWakingMinutes,
    distanceMinutes,
    badness: nightMinutes * BADNESS_PER_NIGHT_MINUTE + distanceMinutes,
  };
}

const offsetTexts = new Map<number, string>();

function reading(p: WallPart, offsetMinutes: number, endOffsetMinutes: number, homeDay: number): LocalReading {
  let offset = offsetTexts.get(offsetMinutes);
  if (offset === undefined) {
    offset = formatOffset(offsetMinutes);
    if (offsetTexts.size < 1000) offsetTexts.set(offsetMinutes, offset);
  }
  return {
    start: p.start,
    end: p.end,
    date: p.date,
    weekday: p.weekday,
    weekdayName: p.weekdayName,
    dayShift: p.localDay - homeDay,
    offsetMinutes,
    offset,
    endOffsetMinutes,
    awake: p.awake,
    night: p.night,
    nightMinutes: p.nightMinutes,
    outsideWakingMinutes: p.outsideWakingMinutes,
    distanceMinutes: p.distanceMinutes,
    badness: p.badness,
  };
}

/** Sorted, merged [start, end] spans of a batch (the instants whose offsets are read). */
function spansOf(startsMs: readonly number[], durationMs: number): [number, number][] {
  const sorted = [...startsMs].sort((a, b) => a - b);
  const spans: [number, number][] = [];
  for (const s of sorted) {
    const last = spans[spans.length - 1];
    if (last && s <= last[1]) last[1] = Math.max(last[1], s + durationMs);
    else spans.push([s, s + durationMs]);
  }
  return spans;
}

const worseThan = (a: ZoneTime, b: ZoneTime) => a.local.badness > b.local.badness || (a.local.badness === b.local.badness && (a.count > b.count || (a.count === b.count && a.zone < b.zone)));

/** Score many start times against the same zones (one timeline per zone for all of them), in the order given. */
export function scoreCandidates(starts: readonly Instant[], durationMinutes: number, zones: ZoneWeights, options: FairTimeOptions = {}): CandidateScore[] {
  checkDuration(durationMinutes);
  const w = windowsOf(options);
  const limit = options.worstOffLimit ?? DEFAULT_WORST_OFF_LIMIT;
  if (!(limit >= 0)) throw new FairTimesInputError(`worstOffLimit must be 0 or more, not ${limit}`, 'worstOffLimit');
  const homeZone = options.homeZone ?? 'UTC';
  if (!isIanaZone(homeZone)) throw new FairTimesInputError(`homeZone: "${homeZone}" is not a known IANA time zone`, 'homeZone');
  const { zones: names, counts, total } = checkedZones(zones);
  const startsMs = starts.map((s, i) => instantMs(s, `starts[${i}]`));
  if (startsMs.length === 0) return [];
  const durationMs = Math.round(durationMinutes * MINUTE_MS);
  const spans = spansOf(startsMs, durationMs);
  // Zones whose offsets change alike over these spans (most of Europe, say) are one class: each
  // candidate is then read once per class, not once per zone.
  const classes = timelineClasses(names, counts, spans);
  const classOf = new Int32Array(names.length);
  classes.forEach((c, k) => c.zones.forEach((z) => (classOf[z] = k)));
  const home = zoneTimeline(homeZone, spans);
  // Wall-clock parts by local start: hourly candidates in whole-hour zones share most of them.
  const walls = new Map<number | string, WallPart>();

  return startsMs.map((start) => {
    const end = start + durationMs;
    const homeDay = Math.floor((start + home.offsets[segmentAt(home, start)]! * MINUTE_MS) / DAY_MS);
    const simple = new Map<number, LocalReading>();
    const changing = new Map<string, LocalReading>();
    const readings: LocalReading[] = new Array(classes.length);
    const worst: ZoneTime[] = [];
    let awake = 0;
    let night = 0;
    let worstBadness = 0;
    let totalBadness = 0;
    for (let k = 0; k < classes.length; k++) {
      const c = classes[k]!;
      const r = readingOf(c.timeline, start, end, homeDay, w, simple, changing, walls);
      readings[k] = r;
      if (c.count === 0) continue;
      if (r.awake) awake += c.count;
      if (r.night) night += c.count;
      if (r.badness > 0) {
        totalBadness += r.badness * c.count;
        if (r.badness > worstBadness) worstBadness = r.badness;
        // A class's zones by count, then name: once one cannot enter the list, the rest cannot.
        for (const z of c.zones) {
          if (limit === 0 || counts[z] === 0 || (worst.length >= limit && r.badness < worst[worst.length - 1]!.local.badness)) break;
          if (!insertWorst(worst, { zone: names[z]!, count: counts[z]!, local: r }, limit)) break;
        }
      }
    }
    const score: Omit<CandidateScore, 'zones'> = {
      start: new Date(start).toISOString(),
      end: new Date(end).toISOString(),
      startMs: start,
      durationMinutes,
      total,
      awake,
      awakeShare: total > 0 ? awake / total : 0,
      night,
      nightShare: total > 0 ? night / total : 0,
      worstBadness,
      totalBadness,
      worstOff: worst,
    };
    let zoneTimes: ZoneTime[] | undefined;
    return Object.defineProperty(score, 'zones', {
      enumerable: true,
      get: (): ZoneTime[] => (zoneTimes ??= names.map((zone, i) => ({ zone, count: counts[i]!, local: readings[classOf[i]!]! }))),
    }) as Omit<CandidateScore, 'zones'> as CandidateScore;
  });
}

interface TimelineClass {
  readonly timeline: ZoneTimeline;
  /** Indexes of its zones, most registrants first, then by name. */
  readonly zones: number[];
  count: number;
}

function timelineClasses(names: readonly string[], counts: readonly number[], spans: readonly (readonly [number, number])[]): TimelineClass[] {
  const byKey = new Map<string, TimelineClass>();
  names.forEach((zone, z) => {
    const timeline = zoneTimeline(zone, spans);
    const key = `${timeline.starts.join(',')}|${timeline.offsets.join(',')}`;
    let c = byKey.get(key);
    if (!c) byKey.set(key, (c = { timeline, zones: [], count: 0 }));
    c.zones.push(z);
    c.count += counts[z]!;
  });
  const classes = [...byKey.values()];
  for (const c of classes) c.zones.sort((a, b) => counts[b]! - counts[a]! || (names[a]! < names[b]! ? -1 : 1));
  return classes;
}

function readingOf(
  tl: ZoneTimeline,
  start: number,
  end: number,
  homeDay: number,
  w: Windows,
  simple: Map<number, LocalReading>,
  changing: Map<string, LocalReading>,
  walls: Map<number | string, WallPart>,
): LocalReading {
  const s = segmentAt(tl, start);
  const before = tl.offsets[s]!;
  const next = tl.starts[s + 1];
  if (next === undefined || next > end) {
    let r = simple.get(before);
    if (!r) {
      const from = start + before * MINUTE_MS;
      const to = end + before * MINUTE_MS;
      let p = walls.get(from);
      if (!p) walls.set(from, (p = wallPart([[from, to]], to, w)));
      simple.set(before, (r = reading(p, before, before, homeDay)));
    }
    return r;
  }
  // The clocks change during the session (or exactly at its end): at most once, see ./offsets.ts.
  const after = tl.offsets[s + 1]!;
  const key = `${before}|${next}|${after}`;
  let r = changing.get(key);
  if (!r) {
    const segments: [number, number][] = [
      [start + before * MINUTE_MS, next + before * MINUTE_MS],
      [next + after * MINUTE_MS, end + after * MINUTE_MS],
    ];
    const wallKey = segments.join('|');
    let p = walls.get(wallKey);
    if (!p) walls.set(wallKey, (p = wallPart(segments, end + after * MINUTE_MS, w)));
    changing.set(key, (r = reading(p, before, after, homeDay)));
  }
  return r;
}

/** Put `zt` in its place in the sorted list of at most `limit`; false when it does not enter. */
function insertWorst(worst: ZoneTime[], zt: ZoneTime, limit: number): boolean {
  if (worst.length >= limit && !worseThan(zt, worst[worst.length - 1]!)) return false;
  let i = worst.length;
  while (i > 0 && worseThan(zt, worst[i - 1]!)) i--;
  worst.splice(i, 0, zt);
  if (worst.length > limit) worst.pop();
  return true;
}
