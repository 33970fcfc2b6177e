/**
 * What the runtime's tz database says about a zone, read through Luxon: its UTC-offset changes
 * in a year, and its abbreviations (a block's TZNAME).
 *
 * Why from here: VTIMEZONE blocks used to come from @touch4it/ical-timezones, tzurl.org's Olson
 * 2018g data, and many zones changed since (Mexico and Brazil dropped DST, Iran too, Palestine
 * and Morocco follow new rules, `Europe/Kyiv` did not exist), so the check refused them: an
 * independent check found 23 of 76 sessions written in UTC, which calendars (Outlook above all)
 * show as "UTC" events. Other packages are no better (timezones-ical-library 2.3.2 has
 * Casablanca on a fixed +00). Luxon reads the tz database the rest of Convene computes wall
 * times with, so a block written from it agrees with the instants we store; each block is still
 * read back and checked before it is used (vtimezone.ts).
 *
 * Transitions are found by sampling the offset daily and bisecting to the second (about 6 ms
 * per zone and year, once per process: cached per zone and year). TZNAME is the zone's
 * abbreviation where an English-speaking locale has a real one (EST, BST, AEDT, IST, ...), else
 * the offset ("+0330").
 */
import { IANAZone } from 'luxon';
import { formatOffset } from './vtimezone-text.js';

const DAY_MS = 86_400_000;

/** A change of a zone's UTC offset: at `at` (UTC ms) from `from` to `to` (seconds east of UTC). */
export interface Transition {
  readonly at: number;
  readonly from: number;
  readonly to: number;
}

// ---------------------------------------------------------------------------------------
// Offsets and transitions.

/** The zone's UTC offset at an instant, in seconds east of UTC. */
export function offsetSeconds(zone: IANAZone, instantMs: number): number {
  return Math.round(zone.offset(instantMs) * 60);
}

const yearCache = new Map<string, readonly Transition[]>();

/**
 * The zone's transitions with `at` in (1 January `year`, 1 January `year + 1`], UTC: the
 * offset sampled daily, each change bisected to the second (cached).
 */
export function transitionsIn(zoneName: string, year: number): readonly Transition[] {
  const key = `${zoneName}\u0000${year}`;
  let found = yearCache.get(key);
  if (!found) {
    const zone = IANAZone.create(zoneName);
    const end = Date.UTC(year + 1, 0, 1);
    const list: Transition[] = [];
    let t = Date.UTC(year, 0, 1);
    let before = offsetSeconds(zone, t);
    while (t < end) {
      const next = Math.min(t + DAY_MS, end);
      if (offsetSeconds(zone, next) === before) {
        t = next;
        continue;
      }
      // The first second in (t, next] with another offset.
      let lo = t;
      let hi = next;
      while (hi - lo > 1000) {
        const mid = lo + Math.floor((hi - lo) / 2000) * 1000;
        if (offsetSeconds(zone, mid) === before) lo = mid;
        else hi = mid;
      }
      const to = offsetSeconds(zone, hi);
      list.push({ at: hi, from: before, to });
      t = hi;
      before = to;
    }
    found = list;
    yearCache.set(key, found);
  }
  return found;
}

// ---------------------------------------------------------------------------------------
// Names.

/**
 * The zone's abbreviation at an instant where a locale with English abbreviations has a real
 * one (letters only: "EST", not "GMT-5"), else the offset as "+0330".
 */
export function zoneName(zone: string, instantMs: number, offset: number): string {
  for (const locale of NAME_LOCALES) {
    const name = shortNameFormat(locale, zone)
      .formatToParts(instantMs)
      .find((part) => part.type === 'timeZoneName')?.value;
    if (name !== undefined && /^[A-Z]{2,5}$/.test(name)) return name;
  }
  return formatOffset(offset);
}

/**
 * English-speaking locales (and Brazil's) whose CLDR data has the abbreviations in use: the US
 * and Canada, Europe, Australia and New Zealand, India, Africa, Singapore and Malaysia, Hong Kong.
 */
const NAME_LOCALES = ['en-US', 'en-CA', 'en-GB', 'en-IE', 'en-AU', 'en-NZ', 'en-IN', 'en-ZA', 'en-SG', 'en-HK', 'pt-BR'];

const formats = new Map<string, Intl.DateTimeFormat>();

function shortNameFormat(locale: string, zone: string): Intl.DateTimeFormat {
  const key = `${locale}\u0000${zone}`;
  let format = formats.get(key);
  if (!format) formats.set(key, (format = new Intl.DateTimeFormat(locale, { timeZone: zone, timeZoneName: 'short' })));
  return format;
}
