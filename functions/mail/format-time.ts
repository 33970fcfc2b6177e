/**
 * When a session happens, said for one member: in their own time zone (named, since a
 * worldwide audience cannot guess it), with the time in the session's home zone beside it
 * when that is another zone. The instants are UTC; Luxon turns them into wall-clock times
 * with each zone's rules on that date, so each side of a DST change is right by construction.
 */
import { DateTime } from 'luxon';
import { isKnownTimeZone } from '../../events/shared/values.js';
import { boundedCache } from '../bounded-cache.js';
import { translator } from './catalogue.js';

export interface SessionTime {
  /** ISO 8601 instant (UTC, as stored), e.g. `2027-05-03T14:00:00Z`. */
  readonly startsAt: string;
  /** ISO 8601 instant, after `startsAt`. */
  readonly endsAt: string;
  /** The session's home zone (IANA), the one it was scheduled in. */
  readonly timeZone: string;
}

/** A weekday and date, without the year: beside a full date, the year would only repeat. */
const DAY_WITHOUT_YEAR = { weekday: 'long', day: 'numeric', month: 'long' } as const;

/**
 * One line such as "Monday, 3 May 2027, 17:00–18:00 (Asia/Jerusalem time) · 10:00 in
 * America/New_York", in `language` (a BCP 47 tag; the catalogue's fallbacks apply, ending
 * with English). Dates and times use the locale's own formats (`en` alone: en-GB). The home
 * zone's time carries its date too when that is another day than the member's.
 * Throws a RangeError for an unknown zone or an instant that does not parse.
 */
export function describeSessionTime(session: SessionTime, memberTimeZone: string, language: string): string {
  // A pure function of these five strings, asked once per mail: ten thousand reminders of one
  // session in five zones are five computations, not ten thousand (each is ~1 ms of Intl work).
  const key = `${session.startsAt}|${session.endsAt}|${session.timeZone}|${memberTimeZone}|${language}`;
  return described.get(key, () => describe(session, memberTimeZone, language));
}

/** Recent descriptions: enough for every zone and language of a tick's sessions. A throw caches nothing. */
const described = boundedCache<string>(2_000);

function describe(session: SessionTime, memberTimeZone: string, language: string): string {
  const { t, locale } = translator(language);
  const memberZone = knownZone(memberTimeZone);
  const homeZone = knownZone(session.timeZone);
  const start = instant(session.startsAt, 'startsAt').setZone(memberZone).setLocale(locale);
  const end = instant(session.endsAt, 'endsAt').setZone(memberZone).setLocale(locale);
  if (end < start) throw new RangeError(`session ends (${session.endsAt}) before it starts (${session.startsAt})`);

  // Where a wall time happens twice (a fall-back), or start and end are on either side of a
  // change, the clock alone misleads ("02:30–02:30"): such times carry their UTC offset.
  const withOffsets = start.offset !== end.offset || isAmbiguous(start) || isAmbiguous(end);
  const time = (at: DateTime, offsets = withOffsets) => `${at.toLocaleString(DateTime.TIME_SIMPLE)}${offsets ? ` (${utcOffset(at)})` : ''}`;
  const member = start.hasSame(end, 'day')
    ? t('time.memberZone', {
        date: start.toLocaleString(DateTime.DATE_HUGE),
        range: t('time.range', { start: time(start), end: time(end) }),
        zone: memberZone,
      })
    : t('time.memberZoneOvernight', {
        startDate: start.toLocaleString(DateTime.DATE_HUGE),
        start: time(start),
        endDate: end.toLocaleString(DAY_WITHOUT_YEAR),
        end: time(end),
        zone: memberZone,
      });
  if (sameZone(homeZone, memberZone)) return member;

  const homeStart = start.setZone(homeZone);
  const homeTime = time(homeStart, isAmbiguous(homeStart));
  const home = homeStart.toISODate() === start.toISODate()
    ? t('time.homeZone', { time: homeTime, zone: homeZone })
    : t('time.homeZoneOtherDay', { date: homeStart.toLocaleString(DAY_WITHOUT_YEAR), time: homeTime, zone: homeZone });
  return t('time.withHome', { member, home });
}

/** "UTC+01:00", "UTC−03:30" is written "UTC-03:30": Latin digits in every language, as offsets are read. */
function utcOffset(at: DateTime): string {
  return `UTC${at.setLocale('en').toFormat('ZZ')}`;
}

/** The same wall time happens at another instant in this zone (the repeated hour of a fall-back). */
function isAmbiguous(at: DateTime): boolean {
  const zone = at.zone;
  const nearby = new Set([-26, 26].map((hours) => DateTime.fromMillis(at.toMillis() + hours * 3600_000, { zone }).offset));
  nearby.delete(at.offset);
  for (const other of nearby) {
    // The instant at which the other offset shows this same wall time, if that offset is in force then.
    const twin = DateTime.fromMillis(at.toMillis() + (at.offset - other) * 60_000, { zone });
    if (twin.offset === other) return true;
  }
  return false;
}

function knownZone(zone: string): string {
  if (!isKnownTimeZone(zone)) throw new RangeError(`"${zone}" is not a known IANA time zone`);
  return zone;
}

function instant(iso: string, field: string): DateTime {
  // An instant needs its offset: a bare wall time would silently be read as UTC.
  if (!/T.*(?:Z|[+-]\d{2}(?::?\d{2})?)$/i.test(iso)) throw new RangeError(`${field} "${iso}" has no UTC offset`);
  const parsed = DateTime.fromISO(iso, { zone: 'utc' });
  if (!parsed.isValid) throw new RangeError(`${field} "${iso}" is not an ISO 8601 instant: ${parsed.invalidExplanation ?? parsed.invalidReason}`);
  return parsed;
}

/** Zones that are one zone under two names (`Asia/Tel_Aviv` and `Asia/Jerusalem`) count as one. */
function sameZone(a: string, b: string): boolean {
  if (a === b) return true;
  return canonicalZone(a) === canonicalZone(b);
}

/** The name Intl resolves a (known) zone to; one DateTimeFormat per zone, not two per mail. */
const canonicalZones = new Map<string, string>();

function canonicalZone(zone: string): string {
  let resolved = canonicalZones.get(zone);
  if (resolved === undefined) {
    resolved = new Intl.DateTimeFormat('en', { timeZone: zone }).resolvedOptions().timeZone;
    canonicalZones.set(zone, resolved);
  }
  return resolved;
}
