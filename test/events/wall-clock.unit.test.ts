import { describe, expect, it } from 'vitest';
import { NonexistentLocalTimeError } from '../../events/shared/errors.js';
import { endOfDate, resolveInstant, resolveWallTime, startOfDate } from '../../events/time/wall-clock.js';

describe('resolving wall-clock times', () => {
  it.each([
    ['2027-05-03T10:00', 'America/New_York', '2027-05-03T14:00:00.000Z', -240],
    ['2027-01-15T10:00', 'America/New_York', '2027-01-15T15:00:00.000Z', -300],
    ['2027-05-03T10:00', 'Asia/Kolkata', '2027-05-03T04:30:00.000Z', 330],
    ['2027-05-03T10:00', 'Asia/Jerusalem', '2027-05-03T07:00:00.000Z', 180],
    ['2027-05-03T10:00', 'America/Guayaquil', '2027-05-03T15:00:00.000Z', -300],
  ])('%s in %s is %s', (local, zone, utc, offset) => {
    expect(resolveWallTime(local, zone)).toEqual({ utc, offsetMinutes: offset, ambiguous: false });
  });

  it('refuses the hour skipped by spring-forward, in Europe and in a 30-minute DST zone', () => {
    expect(() => resolveWallTime('2027-03-28T01:30', 'Europe/London')).toThrow(NonexistentLocalTimeError);
    // Lord Howe Island moves its clocks by 30 minutes: 02:00 becomes 02:30 on 3 October 2027.
    expect(() => resolveWallTime('2027-10-03T02:15', 'Australia/Lord_Howe')).toThrow(NonexistentLocalTimeError);
    expect(resolveWallTime('2027-10-03T02:30', 'Australia/Lord_Howe').utc).toBe('2027-10-02T15:30:00.000Z');
  });

  it('resolves the hour repeated by fall-back to the first occurrence and says it was ambiguous', () => {
    expect(resolveWallTime('2027-10-31T01:30', 'Europe/London')).toEqual({
      utc: '2027-10-31T00:30:00.000Z',
      offsetMinutes: 60,
      ambiguous: true,
    });
  });

  it('refuses impossible calendar dates', () => {
    expect(() => resolveWallTime('2027-02-30T10:00', 'UTC')).toThrow(/not a valid calendar date/);
  });

  it('reads instants only when they carry an offset', () => {
    expect(resolveInstant('2027-05-03T10:00:00-04:00')).toBe('2027-05-03T14:00:00.000Z');
    expect(resolveInstant('2027-05-03T10:00:00')).toBeUndefined();
  });

  it('gives the UTC bounds of a date in a zone, an exclusive end across a DST change', () => {
    expect(startOfDate('2027-03-14', 'America/New_York')).toBe('2027-03-14T05:00:00.000Z');
    // 14 March 2027 in New York lasts 23 hours.
    expect(endOfDate('2027-03-14', 'America/New_York')).toBe('2027-03-15T04:00:00.000Z');
  });
});
