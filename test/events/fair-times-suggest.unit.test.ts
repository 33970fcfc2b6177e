import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { candidateWallTimes, compareCandidates, FairTimesInputError, scoreCandidate, suggestTimes } from '../../events/fair-times/index.js';
import { COMMUNITY } from '../support/fair-times-community.js';


describe('suggesting start times', () => {
  it('ranks every 30 minutes from 06:00 to 22:00 New York over two weeks: awake share, then nights, then the worst-off', () => {
    const result = suggestTimes({
      homeZone: 'America/New_York',
      dates: { from: '2027-05-01', to: '2027-05-14' },
      window: { from: '06:00', to: '22:00' },
      everyMinutes: 30,
      durationMinutes: 60,
      zones: COMMUNITY,
      count: 5,
    });
    expect(result.considered).toBe(14 * 33);
    expect(result.skipped).toEqual([]);
    expect(result.suggestions.map((s) => s.rank)).toEqual([1, 2, 3, 4, 5]);
    // The same as scoring every candidate on its own and sorting (independent of the batch).
    const all = candidateWallTimes({ dates: { from: '2027-05-01', to: '2027-05-14' }, window: { from: '06:00', to: '22:00' } }).map((local) =>
      scoreCandidate(DateTime.fromISO(local, { zone: 'America/New_York' }).toMillis(), 60, COMMUNITY, { homeZone: 'America/New_York' }),
    );
    all.sort(compareCandidates);
    expect(result.suggestions.map((s) => s.score.start)).toEqual(all.slice(0, 5).map((s) => s.start));
    // Each suggestion is at least as good as the next, and its home wall time resolves to its start.
    const [first, second] = result.suggestions;
    expect(first!.score.awakeShare).toBeGreaterThanOrEqual(second!.score.awakeShare);
    for (const s of result.suggestions) expect(DateTime.fromISO(s.homeLocal, { zone: 'America/New_York' }).toUTC().toISO()).toBe(s.score.start);
    // A Monday 20:00 New York session would leave Delhi at 05:30: worse than the best.
    const monday = scoreCandidate('2027-05-03T20:00:00-04:00', 60, COMMUNITY);
    expect(compareCandidates(first!.score, monday)).toBeLessThan(0);
  });

  it('breaks ties by the earliest start', () => {
    // Everyone in UTC: every candidate from 08:00 to 20:00 keeps all awake; the earliest come first.
    const r = suggestTimes({ homeZone: 'UTC', dates: { from: '2027-06-01', to: '2027-06-02' }, window: { from: '06:00', to: '22:00' }, durationMinutes: 60, zones: new Map([['UTC', 5]]), count: 3 });
    expect(r.suggestions.map((s) => s.homeLocal)).toEqual(['2027-06-01T08:00', '2027-06-01T08:30', '2027-06-01T09:00']);
  });

  it('leaves out the wall times the home zone skips and takes repeated ones at their first occurrence', () => {
    const zones = new Map([['America/New_York', 1]]);
    // 14 March 2027: New York's clocks go from 02:00 to 03:00.
    const spring = suggestTimes({ homeZone: 'America/New_York', dates: { from: '2027-03-14', to: '2027-03-14' }, window: { from: '01:00', to: '04:00' }, durationMinutes: 30, zones, count: 10 });
    expect(spring.skipped).toEqual(['2027-03-14T02:00', '2027-03-14T02:30']);
    expect(spring.considered).toBe(5);
    expect(spring.suggestions.map((s) => s.homeLocal).sort()).toEqual(['2027-03-14T01:00', '2027-03-14T01:30', '2027-03-14T03:00', '2027-03-14T03:30', '2027-03-14T04:00']);
    // 7 November 2027: 01:00 to 01:59 happen twice; the first is still on EDT (-04:00).
    const fall = suggestTimes({ homeZone: 'America/New_York', dates: { from: '2027-11-07', to: '2027-11-07' }, window: { from: '00:30', to: '02:00' }, durationMinutes: 30, zones, count: 10 });
    expect(fall.repeated).toEqual(['2027-11-07T01:00', '2027-11-07T01:30']);
    const byLocal = Object.fromEntries(fall.suggestions.map((s) => [s.homeLocal, s.score.start]));
    expect(byLocal).toEqual({
      '2027-11-07T00:30': '2027-11-07T04:30:00.000Z',
      '2027-11-07T01:00': '2027-11-07T05:00:00.000Z',
      '2027-11-07T01:30': '2027-11-07T05:30:00.000Z',
      '2027-11-07T02:00': '2027-11-07T07:00:00.000Z',
    });
  });

  it('skips Lord Howe Island\'s half-hour gap when it is the home zone', () => {
    const r = suggestTimes({ homeZone: 'Australia/Lord_Howe', dates: { from: '2027-10-03', to: '2027-10-03' }, window: { from: '01:30', to: '03:00' }, everyMinutes: 15, durationMinutes: 15, zones: new Map([['UTC', 1]]), count: 10 });
    // 02:00 to 02:29 do not exist there on 3 October 2027.
    expect(r.skipped).toEqual(['2027-10-03T02:00', '2027-10-03T02:15']);
  });

  it('keeps only the weekdays asked for, in the home zone', () => {
    const times = candidateWallTimes({ dates: { from: '2027-05-01', to: '2027-05-14' }, window: { from: '10:00', to: '10:00' }, weekdays: [3] });
    // Wednesdays: 5 and 12 May 2027.
    expect(times).toEqual(['2027-05-05T10:00', '2027-05-12T10:00']);
  });

  it('refuses ranges it cannot read', () => {
    const base = { homeZone: 'UTC', dates: { from: '2027-05-01', to: '2027-05-02' }, window: { from: '06:00', to: '22:00' }, durationMinutes: 60, zones: new Map([['UTC', 1]]) };
    expect(() => suggestTimes({ ...base, dates: { from: '2027-05-02', to: '2027-05-01' } })).toThrow(FairTimesInputError);
    expect(() => suggestTimes({ ...base, dates: { from: '2027-02-30', to: '2027-03-01' } })).toThrow(/dates.from/);
    expect(() => suggestTimes({ ...base, window: { from: '22:00', to: '06:00' } })).toThrow(/window.to/);
    expect(() => suggestTimes({ ...base, homeZone: 'America/Nowhere' })).toThrow(/homeZone/);
    expect(() => suggestTimes({ ...base, everyMinutes: 0 })).toThrow(/everyMinutes/);
    expect(() => suggestTimes({ ...base, dates: { from: '2027-01-01', to: '2029-12-31' }, everyMinutes: 1 })).toThrow(/more than 50000/);
  });
});
