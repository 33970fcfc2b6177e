/**
 * A week's heat map: for every hour of one ISO week (Monday 00:00 to Sunday 23:00 on the home
 * zone's wall clock), how many registrants would be awake for a session starting then, with
 * the series' sessions (or suggested times) marked on it.
 *
 * Each cell is a home-zone wall time, resolved as the series resolves a session's start
 * (../time/wall-clock.ts, like ./suggest.ts): an hour the home zone skips (the spring-forward
 * gap) is not scored and says so (`skipped`, with how many of the hour's first minutes do not
 * exist: Lord Howe Island skips half an hour); one it repeats (autumn) is taken at its first
 * occurrence (`repeated`). All cells and marks are scored in one batch (./score.ts), exactly
 * across every zone's clock changes.
 *
 * Marks are placed by their home-zone wall time: weekday, hour and minute. A series spans
 * many weeks and the map shows "hours of the week", so a mark in another week is still placed
 * by its weekday and hour (and says `inWeek: false`).
 */
import { NonexistentLocalTimeError } from '../shared/errors.js';
import { resolveWallTime } from '../time/wall-clock.js';
import type { DailyWindow } from './day-window.js';
import { FairTimesInputError } from './errors.js';
import { DAY_MS, MINUTE_MS, offsetFunction, weekdayOf, zoneTimeline } from './offsets.js';
import { checkDuration, DEFAULT_NIGHT_HOURS, DEFAULT_WAKING_HOURS, formatOffset, instantMs, scoreCandidates, wallText, type FairTimeOptions, type Instant } from './score.js';
import { isIanaZone, type ZoneWeights } from './zones.js';

const HOUR_MS = 60 * MINUTE_MS;
/** Worst-off zones named per cell unless options.worstOffLimit says otherwise. */
export const HEAT_MAP_WORST_OFF = 3;

export type HeatMapMarkKind = 'session' | 'suggestion';

export interface HeatMapMarkInput {
  readonly start: Instant;
  /** The organiser's words (a session title): shown as text, never as markup. */
  readonly label: string;
  /** Default 'session'. */
  readonly kind?: HeatMapMarkKind;
}

export interface WeekHeatMapInput {
  /** The series' home zone: the week and its hours are read on its wall clock. */
  readonly homeZone: string;
  /** An ISO week, `2027-W12`, or a date, `2027-03-22`: the ISO week (Monday to Sunday) holding it. */
  readonly week: string;
  readonly durationMinutes: number;
  readonly zones: ZoneWeights;
  /** Waking and night hours; worstOffLimit is the number of zones named per cell (default 3). */
  readonly options?: Omit<FairTimeOptions, 'homeZone'>;
  readonly marks?: readonly HeatMapMarkInput[];
}

interface CellPlace {
  /** ISO weekday, 1 = Monday to 7 = Sunday. */
  readonly day: number;
  /** 0 to 23. */
  readonly hour: number;
  /** The home-zone wall time, `2027-03-22T14:00`. */
  readonly homeLocal: string;
}

/** An hour of the week and the registrants awake for a session starting then. */
export interface HeatMapHour extends CellPlace {
  readonly skipped: false;
  /** The wall time occurs twice in the home zone (clocks go back); this is the first. */
  readonly repeated: boolean;
  /** UTC instant, ISO 8601 with Z. */
  readonly start: string;
  /** The home zone's offset from UTC then, `+01:00`. */
  readonly offset: string;
  readonly awake: number;
  readonly awakeShare: number;
  readonly night: number;
  readonly nightShare: number;
  /** The worst-off zones' names, worst first (at most 3 unless options.worstOffLimit). */
  readonly worstOff: readonly string[];
  /** More zones than worstOff names are not awake. */
  readonly worstOffMore: boolean;
}

/** An hour whose start the home zone skips (clocks go forward): not scored. */
export interface HeatMapGap extends CellPlace {
  readonly skipped: true;
  /** How many minutes from the hour's start do not exist (60: the whole hour; 30 on Lord Howe Island). */
  readonly skippedMinutes: number;
  readonly start?: undefined;
}

export type HeatMapCell = HeatMapHour | HeatMapGap;

export interface HeatMapMark {
  readonly label: string;
  readonly kind: HeatMapMarkKind;
  /** UTC instant, ISO 8601 with Z. */
  readonly start: string;
  /** Its home-zone wall time, `2027-03-23T14:30`. */
  readonly homeLocal: string;
  /** Where it sits on the map: the weekday, hour and minute of homeLocal. */
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  /** homeLocal's date is one of the map's dates. */
  readonly inWeek: boolean;
  /** Of this exact start (not of the cell's hour). */
  readonly awake: number;
  readonly awakeShare: number;
  readonly night: number;
  readonly nightShare: number;
}

export interface WeekHeatMap {
  readonly homeZone: string;
  /** The ISO week, `2027-W12` (its year is the ISO week-year: 2027-01-01 is in 2026-W53). */
  readonly week: string;
  /** Its seven home-zone dates, Monday to Sunday. */
  readonly dates: readonly string[];
  readonly durationMinutes: number;
  /** Registrants weighed. */
  readonly total: number;
  readonly wakingHours: DailyWindow;
  readonly nightHours: DailyWindow;
  /** 168 cells, Monday 00:00, Monday 01:00, … Sunday 23:00. */
  readonly cells: readonly HeatMapCell[];
  readonly marks: readonly HeatMapMark[];
  /** homeLocal of the skipped and of the repeated cells. */
  readonly skippedHours: readonly string[];
  readonly repeatedHours: readonly string[];
}

const ISO_WEEK = /^(\d{4})-W(\d{2})$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
/** 0001-01-01 and 9999-12-31 as days since 1970-01-01: the dates wallText writes. */
const FIRST_DAY = utcDay(1, 1, 1);
const LAST_DAY = utcDay(9999, 12, 31);

function utcDay(year: number, month: number, day: number): number {
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  return Math.round(d.getTime() / DAY_MS);
}

/** The Monday of ISO week 1 of an ISO week-year: the week holding 4 January. */
const mondayOfWeekOne = (year: number) => {
  const jan4 = utcDay(year, 1, 4);
  return jan4 - (weekdayOf(jan4) - 1);
};

/** Day number of the week's Monday, and the week's name. */
export function isoWeekOf(week: string): { monday: number; week: string } {
  const fail = (): never => {
    throw new FairTimesInputError(`week must be an ISO week such as 2027-W12 or a date such as 2027-03-22, not "${String(week)}"`, 'week');
  };
  if (typeof week !== 'string') return fail();
  let monday: number;
  const w = ISO_WEEK.exec(week);
  if (w) {
    const year = Number(w[1]);
    const n = Number(w[2]);
    const weeks = (mondayOfWeekOne(year + 1) - mondayOfWeekOne(year)) / 7;
    if (n < 1 || n > weeks) {
      throw new FairTimesInputError(`week ${week} does not exist: ${year} has ${weeks} ISO weeks`, 'week');
    }
    monday = mondayOfWeekOne(year) + (n - 1) * 7;
  } else {
    const d = DATE.exec(week);
    if (!d) return fail();
    const day = utcDay(Number(d[1]), Number(d[2]), Number(d[3]));
    if (wallText(day * DAY_MS).slice(0, 10) !== week) return fail();
    monday = day - (weekdayOf(day) - 1);
  }
  if (monday < FIRST_DAY || monday + 6 > LAST_DAY) {
    throw new FairTimesInputError(`week ${week} is outside the years 0001 to 9999`, 'week');
  }
  // The ISO week-year is the year of the week's Thursday.
  const year = Number(wallText((monday + 3) * DAY_MS).slice(0, 4));
  const n = (monday - mondayOfWeekOne(year)) / 7 + 1;
  return { monday, week: `${String(year).padStart(4, '0')}-W${String(n).padStart(2, '0')}` };
}

/** How many minutes from `local` (a skipped wall time on the hour) the home zone skips, up to 60. */
function skippedMinutesFrom(dayMs: number, hour: number, zone: string): number {
  for (let m = 1; m < 60; m++) {
    try {
      resolveWallTime(wallText(dayMs + hour * HOUR_MS + m * MINUTE_MS), zone);
      return m;
    } catch (error) {
      if (!(error instanceof NonexistentLocalTimeError)) throw error;
    }
  }
  return 60;
}

/** The heat map of one week (see the top of this file). */
export function weekHeatMap(input: WeekHeatMapInput): WeekHeatMap {
  const { homeZone } = input;
  if (!isIanaZone(homeZone)) throw new FairTimesInputError(`homeZone: "${String(homeZone)}" is not a known IANA time zone`, 'homeZone');
  const { monday, week } = isoWeekOf(input.week);
  const durationMinutes = checkDuration(input.durationMinutes);
  if (!(input.zones instanceof Map)) throw new FairTimesInputError('zones must be a map of IANA zone to registrants', 'zones');
  const options = input.options ?? {};
  const marksIn = input.marks ?? [];
  if (!Array.isArray(marksIn)) throw new FairTimesInputError('marks must be a list', 'marks');

  const dates = Array.from({ length: 7 }, (_, d) => wallText((monday + d) * DAY_MS).slice(0, 10));
  type Place = CellPlace & ({ skipped: false; repeated: boolean; ms: number; offsetMinutes: number } | { skipped: true; skippedMinutes: number });
  const places: Place[] = [];
  // resolveWallTime weighs the offsets the zone uses within 36 hours of a wall time (and up to
  // 14 hours more to check them). When the zone keeps one offset from three days before the
  // week to three days after it, that is the one answer for every hour: wall time − offset.
  // Otherwise (a week or so a year) every hour goes through resolveWallTime itself.
  const around = zoneTimeline(homeZone, [[(monday - 3) * DAY_MS, (monday + 10) * DAY_MS]]);
  const steady = around.offsets.length === 1 ? around.offsets[0]! : undefined;
  for (let d = 0; d < 7; d++) {
    const dayMs = (monday + d) * DAY_MS;
    for (let hour = 0; hour < 24; hour++) {
      const wall = dayMs + hour * HOUR_MS;
      const homeLocal = wallText(wall);
      if (steady !== undefined) {
        places.push({ day: d + 1, hour, homeLocal, skipped: false, repeated: false, ms: wall - steady * MINUTE_MS, offsetMinutes: steady });
        continue;
      }
      try {
        const r = resolveWallTime(homeLocal, homeZone);
        places.push({ day: d + 1, hour, homeLocal, skipped: false, repeated: r.ambiguous, ms: Date.parse(r.utc), offsetMinutes: r.offsetMinutes });
      } catch (error) {
        if (!(error instanceof NonexistentLocalTimeError)) throw error;
        places.push({ day: d + 1, hour, homeLocal, skipped: true, skippedMinutes: skippedMinutesFrom(dayMs, hour, homeZone) });
      }
    }
  }

  const homeOffset = offsetFunction(homeZone);
  const markPlaces = marksIn.map((mark, i) => {
    if (mark === null || typeof mark !== 'object') throw new FairTimesInputError(`marks[${i}] must be { start, label, kind? }`, `marks[${i}]`);
    if (typeof mark.label !== 'string') throw new FairTimesInputError(`marks[${i}].label must be text`, `marks[${i}].label`);
    const kind = mark.kind ?? 'session';
    if (kind !== 'session' && kind !== 'suggestion') throw new FairTimesInputError(`marks[${i}].kind must be "session" or "suggestion", not "${String(kind)}"`, `marks[${i}].kind`);
    const ms = instantMs(mark.start, `marks[${i}].start`);
    const localMs = ms + homeOffset(ms) * MINUTE_MS;
    const localDay = Math.floor(localMs / DAY_MS);
    if (localDay < FIRST_DAY || localDay > LAST_DAY) throw new FairTimesInputError(`marks[${i}].start is outside the years 0001 to 9999`, `marks[${i}].start`);
    const minuteOfDay = Math.floor((localMs - localDay * DAY_MS) / MINUTE_MS);
    return {
      label: mark.label,
      kind,
      ms,
      homeLocal: wallText(localMs),
      day: weekdayOf(localDay),
      hour: Math.floor(minuteOfDay / 60),
      minute: minuteOfDay % 60,
      inWeek: localDay >= monday && localDay <= monday + 6,
    };
  });

  const limit = options.worstOffLimit ?? HEAT_MAP_WORST_OFF;
  if (!(limit >= 0)) throw new FairTimesInputError(`worstOffLimit must be 0 or more, not ${limit}`, 'worstOffLimit');
  // One batch: the 168 hours (less the skipped ones) and then the marks; one more of the
  // worst-off than named, to know whether there are more.
  const scored = places.filter((p) => !p.skipped) as Extract<Place, { skipped: false }>[];
  const scores = scoreCandidates(
    [...scored.map((p) => p.ms), ...markPlaces.map((m) => m.ms)],
    durationMinutes,
    input.zones,
    { ...options, worstOffLimit: Math.floor(limit) + 1, homeZone },
  );

  let next = 0;
  const cells: HeatMapCell[] = places.map((p): HeatMapCell => {
    const { day, hour, homeLocal } = p;
    if (p.skipped) return { day, hour, homeLocal, skipped: true, skippedMinutes: p.skippedMinutes };
    const s = scores[next++]!;
    return {
      day,
      hour,
      homeLocal,
      skipped: false,
      repeated: p.repeated,
      start: s.start,
      offset: formatOffset(p.offsetMinutes),
      awake: s.awake,
      awakeShare: s.awakeShare,
      night: s.night,
      nightShare: s.nightShare,
      worstOff: s.worstOff.slice(0, limit).map((z) => z.zone),
      worstOffMore: s.worstOff.length > limit,
    };
  });
  const marks: HeatMapMark[] = markPlaces.map((m, i) => {
    const s = scores[scored.length + i]!;
    return {
      label: m.label,
      kind: m.kind,
      start: s.start,
      homeLocal: m.homeLocal,
      day: m.day,
      hour: m.hour,
      minute: m.minute,
      inWeek: m.inWeek,
      awake: s.awake,
      awakeShare: s.awakeShare,
      night: s.night,
      nightShare: s.nightShare,
    };
  });

  return {
    homeZone,
    week,
    dates,
    durationMinutes,
    total: scores[0]?.total ?? 0,
    wakingHours: options.wakingHours ?? DEFAULT_WAKING_HOURS,
    nightHours: options.nightHours ?? DEFAULT_NIGHT_HOURS,
    cells,
    marks,
    skippedHours: cells.filter((c) => c.skipped).map((c) => c.homeLocal),
    repeatedHours: cells.filter((c) => !c.skipped && c.repeated).map((c) => c.homeLocal),
  };
}
