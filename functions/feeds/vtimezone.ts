/**
 * VTIMEZONE blocks for calendar feeds, from @touch4it/ical-timezones, and a check that a
 * block describes the instants we print in its zone exactly.
 *
 * Why the check: the package's blocks come from tzurl.org's Olson 2018g data, one rule set
 * per zone starting in 1970. Many zones changed since (Mexico and Brazil dropped DST, Jordan,
 * Syria, Egypt, Paraguay, Kazakhstan, Fiji, Yukon, Greenland, Chile's 2022 date, ...), and
 * some names map to a block of another zone (`US/East-Indiana` -> `America/Halifax`), and
 * names newer than 2018 have none (`Europe/Kyiv`, `America/Ciudad_Juarez`). A client that
 * trusts the block would place such an event an hour (or more) off. Luxon uses the runtime's
 * current tz database, so we evaluate the block for each instant we are about to print and,
 * where it disagrees with Luxon (or is ambiguous, or missing), the feed prints that event in
 * UTC instead: the instant stays exact, only the "event time zone" label is lost.
 *
 * The evaluator understands exactly the shape every file of the package has (STANDARD and
 * DAYLIGHT observances with TZOFFSETFROM, TZOFFSETTO, TZNAME, a local DTSTART and at most a
 * `FREQ=YEARLY;BYMONTH=m;BYDAY=nDD` rule); anything else counts as "disagrees".
 *
 * Pure apart from the package reading its bundled zone file (deterministic, cached here).
 */
import { getVtimezoneComponent } from '@touch4it/ical-timezones';
import { DateTime, IANAZone } from 'luxon';

interface LocalDateTime {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
}

interface Observance {
  /** Offsets in seconds east of UTC. */
  readonly from: number;
  readonly to: number;
  /** Local time of the first onset, in the `from` offset. */
  readonly start: LocalDateTime;
  /** Yearly: the `week`th (negative: from the end) `weekday` (0 = Sunday) of `month`. */
  readonly rule?: { readonly month: number; readonly week: number; readonly weekday: number };
}

export interface PackagedZone {
  readonly tzid: string;
  /** The VTIMEZONE component text, as ical-generator's generator hook wants it. */
  readonly component: string;
  readonly observances: readonly Observance[];
}

const cache = new Map<string, PackagedZone | undefined>();

/**
 * The package's VTIMEZONE for `zone`, if it has one of the known shape. Its TZID may differ
 * from `zone`: the package maps aliases to other files (`US/Eastern` -> `America/New_York`,
 * but also `US/East-Indiana` -> `America/Halifax`).
 */
export function packagedZone(zone: string): PackagedZone | undefined {
  if (cache.has(zone)) return cache.get(zone);
  let parsed: PackagedZone | undefined;
  try {
    const component = getVtimezoneComponent(zone);
    parsed = component ? parseComponent(component) : undefined;
  } catch {
    // A bundle without the package's zones/ folder: no block, so the feed falls back to UTC.
    parsed = undefined;
  }
  cache.set(zone, parsed);
  return parsed;
}

/** ical-generator's `timezone.generator`: the block whose TZID is exactly `tzid`, else null. */
export function vtimezoneFor(tzid: string): string | null {
  const packaged = packagedZone(tzid);
  return packaged?.tzid === tzid ? packaged.component : null;
}

/**
 * The TZID to print these instants of `zone` with: the packaged block's TZID (the zone itself,
 * or the IANA zone the package files an alias under) when printing each instant as wall
 * time under that block brings a reader back to exactly that instant (same offset as the
 * runtime's tz database for `zone`, and a wall time that is not ambiguous under the block).
 * Undefined when no block does: print those instants in UTC.
 */
export function exactTzid(zone: string, instantsMs: readonly number[]): string | undefined {
  const packaged = usableZone(zone);
  if (!packaged) return undefined;
  const offsets = [...new Set(packaged.observances.map((o) => o.to))];
  const exact = instantsMs.every((instant) => {
    const luxonOffset = DateTime.fromMillis(instant, { zone }).offset; // minutes, NaN if invalid
    if (!Number.isFinite(luxonOffset)) return false;
    const offset = luxonOffset * 60;
    if (offsetAt(packaged, instant) !== offset) return false;
    const wall = instant + offset * 1000;
    // Another offset of the block under which the same wall time is also valid: ambiguous.
    return offsets.every((other) => other === offset || offsetAt(packaged, wall - other * 1000) !== other);
  });
  return exact ? packaged.tzid : undefined;
}

const usable = new Map<string, PackagedZone | undefined>();

/**
 * The packaged block for `zone` if its TZID is an IANA zone and the very block the feed will
 * carry for that TZID (cached).
 */
function usableZone(zone: string): PackagedZone | undefined {
  if (!usable.has(zone)) {
    const packaged = packagedZone(zone);
    const ok =
      packaged !== undefined &&
      vtimezoneFor(packaged.tzid) === packaged.component &&
      IANAZone.isValidZone(packaged.tzid) &&
      IANAZone.isValidZone(zone);
    usable.set(zone, ok ? packaged : undefined);
  }
  return usable.get(zone);
}

/** The block's UTC offset (seconds) in effect at an instant; undefined before its first onset. */
export function offsetAt(zone: PackagedZone, instantMs: number): number | undefined {
  const year = new Date(instantMs).getUTCFullYear();
  let latest: { at: number; to: number } | undefined;
  for (const y of [year - 1, year, year + 1]) {
    for (const onset of onsetsIn(zone, y)) if (onset.at <= instantMs && (!latest || onset.at > latest.at)) latest = onset;
  }
  if (latest) return latest.to;
  // Before any yearly onset near this instant: the latest one-off observance, if any.
  for (const observance of zone.observances) {
    if (observance.rule) continue;
    const at = onsetMs(observance, observance.start.year)!;
    if (at <= instantMs && (!latest || at > latest.at)) latest = { at, to: observance.to };
  }
  return latest?.to;
}

const onsetCache = new WeakMap<PackagedZone, Map<number, readonly { at: number; to: number }[]>>();

/** The yearly observances' onsets in a year, as UTC instants (cached per zone and year). */
function onsetsIn(zone: PackagedZone, year: number): readonly { at: number; to: number }[] {
  let byYear = onsetCache.get(zone);
  if (!byYear) onsetCache.set(zone, (byYear = new Map()));
  let onsets = byYear.get(year);
  if (!onsets) {
    onsets = zone.observances.flatMap((observance) => {
      const at = observance.rule ? onsetMs(observance, year) : undefined;
      return at === undefined ? [] : [{ at, to: observance.to }];
    });
    byYear.set(year, onsets);
  }
  return onsets;
}

function onsetMs(observance: Observance, year: number): number | undefined {
  const { start, rule, from } = observance;
  const wall = (month: number, day: number) =>
    Date.UTC(year, month - 1, day, start.hour, start.minute, start.second) - from * 1000;
  if (!rule) return year === start.year ? wall(start.month, start.day) : undefined;
  if (year < start.year) return undefined;
  const day = nthWeekday(year, rule.month, rule.week, rule.weekday);
  return day === undefined ? undefined : wall(rule.month, day);
}

function nthWeekday(year: number, month: number, week: number, weekday: number): number | undefined {
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  let day: number;
  if (week > 0) {
    const first = new Date(Date.UTC(year, month - 1, 1)).getUTCDay();
    day = 1 + ((weekday - first + 7) % 7) + (week - 1) * 7;
  } else {
    const last = new Date(Date.UTC(year, month - 1, daysInMonth)).getUTCDay();
    day = daysInMonth - ((last - weekday + 7) % 7) + (week + 1) * 7;
  }
  return day >= 1 && day <= daysInMonth ? day : undefined;
}

const WEEKDAYS = ['SU', 'MO', 'TU', 'WE', 'TH', 'FR', 'SA'];

function parseComponent(component: string): PackagedZone | undefined {
  const lines = component.replace(/\r?\n[ \t]/g, '').split(/\r?\n/).filter((line) => line.length > 0);
  let tzid: string | undefined;
  const observances: Observance[] = [];
  let current: Record<string, string> | undefined;
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon < 0) return undefined;
    const name = line.slice(0, colon);
    const value = line.slice(colon + 1).trim();
    if (name === 'BEGIN' && (value === 'STANDARD' || value === 'DAYLIGHT')) {
      if (current) return undefined;
      current = {};
    } else if (name === 'END' && (value === 'STANDARD' || value === 'DAYLIGHT')) {
      const observance = current && parseObservance(current);
      if (!observance) return undefined;
      observances.push(observance);
      current = undefined;
    } else if (current) {
      if (!['TZOFFSETFROM', 'TZOFFSETTO', 'TZNAME', 'DTSTART', 'RRULE'].includes(name)) return undefined;
      current[name] = value;
    } else if (name === 'TZID') {
      tzid = value;
    } else if (!['BEGIN', 'END', 'TZURL', 'X-LIC-LOCATION'].includes(name)) {
      return undefined;
    }
  }
  if (current || !tzid || observances.length === 0) return undefined;
  return { tzid, component, observances };
}

function parseObservance(props: Record<string, string>): Observance | undefined {
  const from = parseOffset(props.TZOFFSETFROM);
  const to = parseOffset(props.TZOFFSETTO);
  const start = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})$/.exec(props.DTSTART ?? '');
  if (from === undefined || to === undefined || !start) return undefined;
  const [year, month, day, hour, minute, second] = start.slice(1).map(Number) as [number, number, number, number, number, number];
  const observance: Observance = { from, to, start: { year, month, day, hour, minute, second } };
  if (props.RRULE === undefined) return observance;
  const rule = /^FREQ=YEARLY;BYMONTH=(\d{1,2});BYDAY=([+-]?[1-5])(SU|MO|TU|WE|TH|FR|SA)$/.exec(props.RRULE);
  if (!rule) return undefined;
  return { ...observance, rule: { month: Number(rule[1]), week: Number(rule[2]), weekday: WEEKDAYS.indexOf(rule[3]!) } };
}

function parseOffset(text: string | undefined): number | undefined {
  const match = /^([+-])(\d{2})(\d{2})(\d{2})?$/.exec(text ?? '');
  if (!match) return undefined;
  const seconds = Number(match[2]) * 3600 + Number(match[3]) * 60 + Number(match[4] ?? 0);
  return match[1] === '-' ? -seconds : seconds;
}
