/**
 * Zone groups: the parts of a community whose night burden a rotation shares out (the Quito
 * members, the Delhi members, the Sydney members...). Callers can group zones as they like;
 * two defaults are offered.
 */
import { FairTimesInputError } from './errors.js';
import { offsetFunction } from './offsets.js';
import { formatOffset, instantMs, type Instant } from './score.js';
import { isIanaZone } from './zones.js';

/** Zone → group name. */
export type ZoneGroups = ReadonlyMap<string, string>;

/**
 * By region: the tz database's area, the name's first part (America/Guayaquil → America,
 * Asia/Kolkata → Asia, Australia/Sydney → Australia; UTC → Etc). Stable across the year.
 */
export function groupZonesByRegion(zones: Iterable<string>): ZoneGroups {
  const groups = new Map<string, string>();
  for (const zone of zones) {
    if (!isIanaZone(zone)) throw new FairTimesInputError(`zones: "${zone}" is not a known IANA time zone`, 'zones');
    groups.set(zone, zone.includes('/') ? zone.slice(0, zone.indexOf('/')) : 'Etc');
  }
  return groups;
}

/**
 * By UTC offset band at an instant: bands of `bandHours` from UTC (with 4: … [-08:00, -04:00),
 * [-04:00, +00:00), [+00:00, +04:00), [+04:00, +08:00), [+08:00, +12:00), …), named
 * `UTC+04:00..+08:00`. Daylight saving time can move a zone across a band edge, hence `at`.
 */
export function groupZonesByOffsetBand(zones: Iterable<string>, at: Instant, bandHours = 4): ZoneGroups {
  if (!Number.isFinite(bandHours) || bandHours <= 0 || bandHours > 26) throw new FairTimesInputError(`bandHours must be more than 0 and at most 26, not ${bandHours}`, 'bandHours');
  const ms = instantMs(at, 'at');
  const band = bandHours * 60;
  const groups = new Map<string, string>();
  for (const zone of zones) {
    if (!isIanaZone(zone)) throw new FairTimesInputError(`zones: "${zone}" is not a known IANA time zone`, 'zones');
    const low = Math.floor(offsetFunction(zone)(ms) / band) * band;
    groups.set(zone, `UTC${formatOffset(low)}..${formatOffset(low + band)}`);
  }
  return groups;
}
