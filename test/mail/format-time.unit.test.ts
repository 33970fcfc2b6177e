/**
 * describeSessionTime: the expected wall times were worked out by hand from the zones' rules
 * for 2027 (US: EDT from 14 March; Israel: IDT from 26 March; Sydney: AEDT until 4 April).
 */
import { describe, expect, it } from 'vitest';
import { describeSessionTime } from '../../functions/mail/format-time.js';

const NY = 'America/New_York';
/** 15:00-16:00 New York: EST (UTC-5) on 7 March, EDT (UTC-4) on 21 March. */
const before = { startsAt: '2027-03-07T20:00:00Z', endsAt: '2027-03-07T21:00:00Z', timeZone: NY };
const after = { startsAt: '2027-03-21T19:00:00Z', endsAt: '2027-03-21T20:00:00Z', timeZone: NY };

describe('describeSessionTime', () => {
  it.each([
    [before, 'Asia/Jerusalem', 'Sunday, 7 March 2027, 22:00–23:00 (Asia/Jerusalem time) · 15:00 in America/New_York'],
    [after, 'Asia/Jerusalem', 'Sunday, 21 March 2027, 21:00–22:00 (Asia/Jerusalem time) · 15:00 in America/New_York'],
    [before, 'Australia/Sydney', 'Monday, 8 March 2027, 07:00–08:00 (Australia/Sydney time) · Sunday 7 March, 15:00 in America/New_York'],
    [after, 'Australia/Sydney', 'Monday, 22 March 2027, 06:00–07:00 (Australia/Sydney time) · Sunday 21 March, 15:00 in America/New_York'],
    [before, NY, 'Sunday, 7 March 2027, 15:00–16:00 (America/New_York time)'],
    [after, NY, 'Sunday, 21 March 2027, 15:00–16:00 (America/New_York time)'],
  ])('%j for a member in %s', (session, zone, expected) => {
    expect(describeSessionTime(session, zone, 'en')).toBe(expected);
  });

  it('is localised (es, fr)', () => {
    expect(describeSessionTime(before, 'Asia/Jerusalem', 'es')).toBe(
      'domingo, 7 de marzo de 2027, 22:00–23:00 (hora de Asia/Jerusalem) · 15:00 en America/New_York',
    );
    expect(describeSessionTime(after, 'Australia/Sydney', 'fr')).toBe(
      'lundi 22 mars 2027, 06:00–07:00 (heure de Australia/Sydney) · dimanche 21 mars, 15:00 à America/New_York',
    );
  });

  it('is localised in Arabic, with Latin digits, across the spring changes of Israel (26 March) and Palestine (27 March)', () => {
    // 17:00 in Ramallah (Asia/Hebron, UTC+2 until Saturday 27 March 2027, 02:00; then UTC+3);
    // Haifa (Asia/Jerusalem) moves to UTC+3 on Friday 26 March, 02:00 (tzdata 2025c).
    const hebron = (startsAt: string, endsAt: string) => ({ startsAt, endsAt, timeZone: 'Asia/Hebron' });
    const cases = [
      [hebron('2027-03-19T15:00:00Z', '2027-03-19T16:00:00Z'), 'الجمعة، 19 مارس 2027، 5:00 م–6:00 م (بتوقيت Asia/Jerusalem) · 5:00 م بتوقيت Asia/Hebron'],
      [hebron('2027-03-26T15:00:00Z', '2027-03-26T16:00:00Z'), 'الجمعة، 26 مارس 2027، 6:00 م–7:00 م (بتوقيت Asia/Jerusalem) · 5:00 م بتوقيت Asia/Hebron'],
      [hebron('2027-04-02T14:00:00Z', '2027-04-02T15:00:00Z'), 'الجمعة، 2 أبريل 2027، 5:00 م–6:00 م (بتوقيت Asia/Jerusalem) · 5:00 م بتوقيت Asia/Hebron'],
    ] as const;
    const plainSpaces = (text: string) => text.replace(/[\u00a0\u202f]/g, ' ');
    for (const [session, expected] of cases) expect(plainSpaces(describeSessionTime(session, 'Asia/Jerusalem', 'ar'))).toBe(expected);
    // In Ramallah itself, the same hour both sides of its change.
    expect(plainSpaces(describeSessionTime(cases[1][0], 'Asia/Hebron', 'ar'))).toBe('الجمعة، 26 مارس 2027، 5:00 م–6:00 م (بتوقيت Asia/Hebron)');
    expect(plainSpaces(describeSessionTime(cases[2][0], 'Asia/Hebron', 'ar'))).toBe('الجمعة، 2 أبريل 2027، 5:00 م–6:00 م (بتوقيت Asia/Hebron)');
    // A regional tag keeps its month names (آذار in the Levant) and the Latin digits; the locale translator() gives (ar-PS-u-nu-latn) as well.
    for (const tag of ['ar-PS', 'ar-PS-u-nu-latn']) {
      expect(plainSpaces(describeSessionTime(cases[1][0], 'Asia/Hebron', tag))).toBe('الجمعة، 26 آذار 2027، 5:00 م–6:00 م (بتوقيت Asia/Hebron)');
    }
  });

  it('uses the formats of the member’s region (en-US: 12-hour clock, month first)', () => {
    expect(describeSessionTime(after, 'Asia/Jerusalem', 'en-US')).toMatch(
      /^Sunday, March 21, 2027, 9:00\s?PM–10:00\s?PM \(Asia\/Jerusalem time\) · 3:00\s?PM in America\/New_York$/u,
    );
  });

  it('falls back to English for a language the catalogue lacks', () => {
    expect(describeSessionTime(before, 'Asia/Jerusalem', 'de')).toBe(
      'Sunday, 7 March 2027, 22:00–23:00 (Asia/Jerusalem time) · 15:00 in America/New_York',
    );
  });

  it('shows the UTC offsets where a wall time happens twice or start and end are on either side of a change', () => {
    // Morocco goes back from UTC+01:00 to UTC+00:00 at 03:00 on 7 February 2027 (Ramadan): 02:30 happens twice.
    expect(describeSessionTime({ startsAt: '2027-02-07T01:30:00Z', endsAt: '2027-02-07T02:30:00Z', timeZone: 'Africa/Casablanca' }, 'Africa/Casablanca', 'fr')).toBe(
      'dimanche 7 février 2027, 02:30 (UTC+01:00)–02:30 (UTC+00:00) (heure de Africa/Casablanca)',
    );
    // Gaza leaves summer time at 02:00 on Saturday 30 October 2027.
    expect(describeSessionTime({ startsAt: '2027-10-29T22:30:00Z', endsAt: '2027-10-29T23:30:00Z', timeZone: 'Asia/Gaza' }, 'Asia/Gaza', 'en')).toBe(
      'Saturday, 30 October 2027, 01:30 (UTC+03:00)–01:30 (UTC+02:00) (Asia/Gaza time)',
    );
    // The second 01:30 in New York (7 November): the same offset at both ends, but the start alone is ambiguous.
    expect(describeSessionTime({ startsAt: '2027-11-07T06:30:00Z', endsAt: '2027-11-07T07:00:00Z', timeZone: NY }, NY, 'en')).toBe(
      'Sunday, 7 November 2027, 01:30 (UTC-05:00)–02:00 (UTC-05:00) (America/New_York time)',
    );
    // A member in London reads her own unambiguous time; the home zone's repeated hour carries its offset.
    expect(describeSessionTime({ startsAt: '2027-10-29T22:30:00Z', endsAt: '2027-10-29T23:30:00Z', timeZone: 'Asia/Gaza' }, 'Europe/London', 'en')).toBe(
      'Friday, 29 October 2027, 23:30 – Saturday 30 October, 00:30 (Europe/London time) · Saturday 30 October, 01:30 (UTC+03:00) in Asia/Gaza',
    );
    // An hour away from any change: no offsets.
    expect(describeSessionTime({ startsAt: '2027-02-07T04:00:00Z', endsAt: '2027-02-07T05:00:00Z', timeZone: 'Africa/Casablanca' }, 'Africa/Casablanca', 'en')).toBe(
      'Sunday, 7 February 2027, 04:00–05:00 (Africa/Casablanca time)',
    );
  });

  it('gives the end date of a session that runs past midnight for the member', () => {
    expect(describeSessionTime({ startsAt: '2027-05-03T14:30:00Z', endsAt: '2027-05-03T15:30:00Z', timeZone: 'Europe/London' }, 'Asia/Tokyo', 'en')).toBe(
      'Monday, 3 May 2027, 23:30 – Tuesday 4 May, 00:30 (Asia/Tokyo time) · 15:30 in Europe/London',
    );
  });

  it('treats two names of one zone as the same zone', () => {
    const session = { startsAt: '2027-05-03T14:00:00Z', endsAt: '2027-05-03T15:00:00Z', timeZone: 'Asia/Jerusalem' };
    expect(describeSessionTime(session, 'Asia/Tel_Aviv', 'en')).toBe('Monday, 3 May 2027, 17:00–18:00 (Asia/Tel_Aviv time)');
  });

  it('refuses unknown zones, instants without an offset and an end before the start', () => {
    expect(() => describeSessionTime(before, 'Mars/Olympus', 'en')).toThrow(RangeError);
    expect(() => describeSessionTime({ ...before, timeZone: 'Nowhere/City' }, NY, 'en')).toThrow(RangeError);
    expect(() => describeSessionTime({ ...before, startsAt: '2027-03-07T15:00' }, NY, 'en')).toThrow(/no UTC offset/);
    expect(() => describeSessionTime({ ...before, startsAt: '2027-03-07' }, NY, 'en')).toThrow(/no UTC offset/);
    expect(() => describeSessionTime({ ...before, endsAt: '2027-03-07T19:00:00Z' }, NY, 'en')).toThrow(/before it starts/);
  });
});
