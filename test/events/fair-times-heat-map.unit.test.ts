import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { FairTimesInputError, scoreCandidate, weekHeatMap, type HeatMapCell, type HeatMapHour, type WeekHeatMap, type WeekHeatMapInput, type ZoneWeights } from '../../events/fair-times/index.js';
import { NonexistentLocalTimeError } from '../../events/shared/errors.js';
import { resolveWallTime } from '../../events/time/wall-clock.js';
import { COMMUNITY } from '../support/fair-times-community.js';

const TOTAL = 510;
const one = (zone: string) => new Map([[zone, 1]]);

const cellAt = (map: WeekHeatMap, day: number, hour: number): HeatMapCell => map.cells[(day - 1) * 24 + hour]!;
const hourAt = (map: WeekHeatMap, day: number, hour: number): HeatMapHour => {
  const c = cellAt(map, day, hour);
  if (c.skipped) throw new Error(`${c.homeLocal} is skipped`);
  return c;
};
/** The first hour of a day's morning (from 06:00; the evening before may still be awake at midnight) at which every registrant is awake. */
const firstAwakeHour = (map: WeekHeatMap, day: number) => map.cells.find((c) => c.day === day && c.hour >= 6 && !c.skipped && c.awakeShare === 1)?.hour;

/**
 * Every cell against the definition, one at a time: the hour's wall time resolved as a
 * session's start is (resolveWallTime: skipped when the zone skips it, else its first
 * occurrence), then scored on its own by scoreCandidate.
 */
function expectEachCellScoredAlone(map: WeekHeatMap, zones: ZoneWeights, worstOff = 3, options: WeekHeatMapInput['options'] = {}) {
  expect(map.cells).toHaveLength(168);
  map.cells.forEach((c, i) => {
    expect([c.day, c.hour]).toEqual([Math.floor(i / 24) + 1, i % 24]);
    expect(c.homeLocal).toBe(`${map.dates[c.day - 1]}T${String(c.hour).padStart(2, '0')}:00`);
    let resolved: ReturnType<typeof resolveWallTime> | undefined;
    try {
      resolved = resolveWallTime(c.homeLocal, map.homeZone);
    } catch (error) {
      expect(error).toBeInstanceOf(NonexistentLocalTimeError);
    }
    if (!resolved) {
      expect(c.skipped, c.homeLocal).toBe(true);
      expect(c.start).toBeUndefined();
      return;
    }
    if (c.skipped) throw new Error(`${c.homeLocal} exists in ${map.homeZone} but is skipped`);
    expect(c.start, c.homeLocal).toBe(resolved.utc);
    expect(c.repeated).toBe(resolved.ambiguous);
    const alone = scoreCandidate(resolved.utc, map.durationMinutes, zones, { ...options, homeZone: map.homeZone, worstOffLimit: 50 });
    expect({ awake: c.awake, awakeShare: c.awakeShare, night: c.night, nightShare: c.nightShare, worstOff: c.worstOff, more: c.worstOffMore }, c.homeLocal).toEqual({
      awake: alone.awake,
      awakeShare: alone.awakeShare,
      night: alone.night,
      nightShare: alone.nightShare,
      worstOff: alone.worstOff.slice(0, worstOff).map((z) => z.zone),
      more: alone.worstOff.length > worstOff,
    });
  });
}

describe('the heat map of a week', () => {
  it('has the 168 hours, Monday 00:00 to Sunday 23:00 in the home zone, each scored as on its own', () => {
    const map = weekHeatMap({ homeZone: 'America/New_York', week: '2027-W19', durationMinutes: 60, zones: COMMUNITY });
    expect(map.week).toBe('2027-W19');
    expect(map.dates).toEqual(['2027-05-10', '2027-05-11', '2027-05-12', '2027-05-13', '2027-05-14', '2027-05-15', '2027-05-16']);
    expect(map.total).toBe(TOTAL);
    expect(map.durationMinutes).toBe(60);
    expect(map.wakingHours).toEqual({ from: '08:00', to: '21:00' });
    expect(map.nightHours).toEqual({ from: '23:00', to: '06:00' });
    expect(map.skippedHours).toEqual([]);
    expect(map.repeatedHours).toEqual([]);
    expect(map.marks).toEqual([]);
    expectEachCellScoredAlone(map, COMMUNITY);
    // Every hour is an hour after the last (no clock change in May), on New York's EDT, read by Luxon too.
    map.cells.forEach((c, i) => {
      expect(c.skipped).toBe(false);
      expect(c.start).toBe(DateTime.fromISO(c.homeLocal, { zone: 'America/New_York' }).toUTC().toISO());
      expect(Date.parse(c.start!)).toBe(Date.parse('2027-05-10T04:00:00Z') + i * 3_600_000);
    });
    expect(hourAt(map, 1, 0).offset).toBe('-04:00');
    // Not a flat map: the shares range widely, and only some hours keep everyone awake or worst off lists.
    const shares = new Set(map.cells.map((c) => (c.skipped ? -1 : c.awakeShare)));
    expect(shares.size).toBeGreaterThan(5);
    // Monday 10:00 New York: Quito 09:00, London 15:00, Haifa and Ramallah 17:00, Delhi 19:30 awake; Sydney at midnight.
    const ten = hourAt(map, 1, 10);
    expect(ten.awake).toBe(TOTAL - 40);
    expect(ten.night).toBe(40);
    expect(ten.worstOff).toEqual(['Australia/Sydney']);
    expect(ten.worstOffMore).toBe(false);
    // Monday 22:00: only Sydney (noon) awake; New York, Quito, London, Haifa, Ramallah, Delhi (07:30) not: three named, more there are.
    const late = hourAt(map, 1, 22);
    expect(late.awake).toBe(40);
    expect(late.worstOff).toHaveLength(3);
    expect(late.worstOffMore).toBe(true);
  });

  it('takes the week as an ISO week or as any date in it, and names it by its ISO week-year', () => {
    const dates = (week: string) => weekHeatMap({ homeZone: 'UTC', week, durationMinutes: 30, zones: one('UTC') });
    for (const week of ['2027-W12', '2027-03-22', '2027-03-25', '2027-03-28']) {
      const map = dates(week);
      expect(map.week).toBe('2027-W12');
      expect(map.dates[0]).toBe('2027-03-22');
      expect(map.dates[6]).toBe('2027-03-28');
    }
    // 1 January 2027 is a Friday: the week of 28 December 2026, 2026-W53.
    expect(dates('2027-01-01')).toMatchObject({ week: '2026-W53', dates: ['2026-12-28', '2026-12-29', '2026-12-30', '2026-12-31', '2027-01-01', '2027-01-02', '2027-01-03'] });
    expect(dates('2026-W53').dates[4]).toBe('2027-01-01');
    // 2025-W01 starts in 2024, and 2020 had 53 weeks.
    expect(dates('2025-W01').dates[0]).toBe('2024-12-30');
    expect(dates('2024-12-31').week).toBe('2025-W01');
    expect(dates('2020-W53').dates[0]).toBe('2020-12-28');
  });

  it('shows a week in which the home zone springs forward: London, 28 March 2027, with registrants in New York', () => {
    const zones = one('America/New_York');
    const map = weekHeatMap({ homeZone: 'Europe/London', week: '2027-03-28', durationMinutes: 60, zones });
    expect(map.week).toBe('2027-W12');
    expectEachCellScoredAlone(map, zones);
    // 01:00 to 01:59 do not exist on Sunday 28 March; 00:00 and 02:00 are an hour apart in UTC.
    expect(map.skippedHours).toEqual(['2027-03-28T01:00']);
    expect(cellAt(map, 7, 1)).toEqual({ day: 7, hour: 1, homeLocal: '2027-03-28T01:00', skipped: true, skippedMinutes: 60 });
    expect(hourAt(map, 7, 0)).toMatchObject({ start: '2027-03-28T00:00:00.000Z', offset: '+00:00' });
    expect(hourAt(map, 7, 2)).toMatchObject({ start: '2027-03-28T01:00:00.000Z', offset: '+01:00' });
    // New York (on EDT since 14 March) is 4 hours behind until Saturday, 5 from Sunday: 08:00 there is 12:00, then 13:00 in London.
    for (let day = 1; day <= 6; day++) expect(firstAwakeHour(map, day)).toBe(12);
    expect(firstAwakeHour(map, 7)).toBe(13);
    expect(hourAt(map, 6, 12).awakeShare).toBe(1);
    expect(hourAt(map, 7, 12).awakeShare).toBe(0);
  });

  it('shows a week in which a registrant zone changes: London home, New York springs forward on 14 March 2027', () => {
    const zones = one('America/New_York');
    const map = weekHeatMap({ homeZone: 'Europe/London', week: '2027-W10', durationMinutes: 60, zones });
    expectEachCellScoredAlone(map, zones);
    expect(map.skippedHours).toEqual([]);
    expect(new Set(map.cells.map((c) => (c.skipped ? '' : c.offset)))).toEqual(new Set(['+00:00']));
    // New York 5 hours behind until Sunday 07:00 UTC, then 4: 08:00 there is 13:00 in London, then 12:00.
    for (let day = 1; day <= 6; day++) expect(firstAwakeHour(map, day)).toBe(13);
    expect(firstAwakeHour(map, 7)).toBe(12);
  });

  it('skips the hour New York springs over and takes the hour it repeats at its first occurrence', () => {
    const zones = new Map([['Europe/London', 3], ['America/Los_Angeles', 2]]);
    const spring = weekHeatMap({ homeZone: 'America/New_York', week: '2027-03-14', durationMinutes: 60, zones });
    expectEachCellScoredAlone(spring, zones);
    expect(spring.skippedHours).toEqual(['2027-03-14T02:00']);
    expect(hourAt(spring, 7, 1).start).toBe('2027-03-14T06:00:00.000Z');
    expect(hourAt(spring, 7, 3).start).toBe('2027-03-14T07:00:00.000Z');
    expect([hourAt(spring, 7, 1).offset, hourAt(spring, 7, 3).offset]).toEqual(['-05:00', '-04:00']);

    const fall = weekHeatMap({ homeZone: 'America/New_York', week: '2027-11-07', durationMinutes: 60, zones });
    expectEachCellScoredAlone(fall, zones);
    expect(fall.skippedHours).toEqual([]);
    expect(fall.repeatedHours).toEqual(['2027-11-07T01:00']);
    // Still 168 cells: the second 01:00 (06:00 UTC) has none of its own.
    expect(fall.cells.filter((c) => c.day === 7).map((c) => c.start).slice(0, 4)).toEqual([
      '2027-11-07T04:00:00.000Z',
      '2027-11-07T05:00:00.000Z',
      '2027-11-07T07:00:00.000Z',
      '2027-11-07T08:00:00.000Z',
    ]);
    expect(hourAt(fall, 7, 1)).toMatchObject({ repeated: true, offset: '-04:00' });
    expect(hourAt(fall, 7, 2)).toMatchObject({ repeated: false, offset: '-05:00' });
  });

  it('follows Lord Howe Island\'s half-hour change, as the home zone and as a registrant zone', () => {
    const zones = new Map([['Australia/Lord_Howe', 4], ['Asia/Tokyo', 1]]);
    // 3 October 2027: 02:00 becomes 02:30 (+10:30 to +11:00); the 02:00 hour has 30 minutes that do not exist.
    const home = weekHeatMap({ homeZone: 'Australia/Lord_Howe', week: '2027-10-03', durationMinutes: 60, zones });
    expectEachCellScoredAlone(home, zones);
    expect(home.skippedHours).toEqual(['2027-10-03T02:00']);
    expect(cellAt(home, 7, 2)).toMatchObject({ skipped: true, skippedMinutes: 30 });
    expect(hourAt(home, 7, 1)).toMatchObject({ start: '2027-10-02T14:30:00.000Z', offset: '+10:30' });
    expect(hourAt(home, 7, 3)).toMatchObject({ start: '2027-10-02T16:00:00.000Z', offset: '+11:00' });

    // Seen from UTC (2027-W39, 27 September to 3 October): 21:00 UTC is 07:30 on Lord Howe until the change, 08:00 after it.
    const fromUtc = weekHeatMap({ homeZone: 'UTC', week: '2027-W39', durationMinutes: 60, zones: one('Australia/Lord_Howe') });
    expectEachCellScoredAlone(fromUtc, one('Australia/Lord_Howe'));
    expect(hourAt(fromUtc, 5, 21).awakeShare).toBe(0);
    expect(hourAt(fromUtc, 6, 21).awakeShare).toBe(1);
    expect(hourAt(fromUtc, 5, 22).awakeShare).toBe(1);
  });

  it('places marks at their home-zone weekday, hour and minute, in this week or another, scored at their exact start', () => {
    const zones = one('America/New_York');
    const map = weekHeatMap({
      homeZone: 'Europe/London',
      week: '2027-W12',
      durationMinutes: 60,
      zones,
      marks: [
        // Thursday 00:30 London is Wednesday 20:30 in New York: the session would end after 21:00 there.
        { start: '2027-03-25T00:30:00Z', label: 'Lecture 1: care economies' },
        { start: '2027-03-26T09:15:00+01:00', label: 'Suggestion 1', kind: 'suggestion' },
        // Three weeks on, on BST: 13:00 UTC is 14:00 in London, a Tuesday.
        { start: new Date('2027-04-13T13:00:00Z'), label: 'Lecture 4' },
        { start: Date.parse('2027-03-21T23:59:00Z'), label: 'Sunday before', kind: 'session' },
      ],
    });
    expect(map.marks.map(({ label, kind, start, homeLocal, day, hour, minute, inWeek }) => ({ label, kind, start, homeLocal, day, hour, minute, inWeek }))).toEqual([
      { label: 'Lecture 1: care economies', kind: 'session', start: '2027-03-25T00:30:00.000Z', homeLocal: '2027-03-25T00:30', day: 4, hour: 0, minute: 30, inWeek: true },
      { label: 'Suggestion 1', kind: 'suggestion', start: '2027-03-26T08:15:00.000Z', homeLocal: '2027-03-26T08:15', day: 5, hour: 8, minute: 15, inWeek: true },
      { label: 'Lecture 4', kind: 'session', start: '2027-04-13T13:00:00.000Z', homeLocal: '2027-04-13T14:00', day: 2, hour: 14, minute: 0, inWeek: false },
      { label: 'Sunday before', kind: 'session', start: '2027-03-21T23:59:00.000Z', homeLocal: '2027-03-21T23:59', day: 7, hour: 23, minute: 59, inWeek: false },
    ]);
    // The mark's own start, not its cell's hour: Thursday 00:00 keeps New York awake (20:00 to 21:00), 00:30 does not.
    expect(hourAt(map, 4, 0).awakeShare).toBe(1);
    expect(map.marks[0]!.awakeShare).toBe(0);
    for (const m of map.marks) {
      const alone = scoreCandidate(m.start, 60, zones, { homeZone: 'Europe/London' });
      expect([m.awake, m.awakeShare, m.night, m.nightShare]).toEqual([alone.awake, alone.awakeShare, alone.night, alone.nightShare]);
    }
  });

  it('places both occurrences of a repeated wall time at the same place', () => {
    const map = weekHeatMap({
      homeZone: 'America/New_York',
      week: '2027-W44',
      durationMinutes: 30,
      zones: one('UTC'),
      marks: [
        { start: '2027-11-07T05:30:00Z', label: 'first 01:30' },
        { start: '2027-11-07T06:30:00Z', label: 'second 01:30' },
      ],
    });
    expect(map.marks.map((m) => [m.homeLocal, m.day, m.hour, m.minute, m.inWeek])).toEqual([
      ['2027-11-07T01:30', 7, 1, 30, true],
      ['2027-11-07T01:30', 7, 1, 30, true],
    ]);
  });

  it('names as many worst-off zones as asked, and counts nobody when there are no registrants', () => {
    const options = { worstOffLimit: 1, wakingHours: { from: '09:00', to: '18:00' } };
    const map = weekHeatMap({ homeZone: 'UTC', week: '2027-W20', durationMinutes: 90, zones: COMMUNITY, options });
    expect(map.wakingHours).toEqual({ from: '09:00', to: '18:00' });
    expectEachCellScoredAlone(map, COMMUNITY, 1, options);
    expect(Math.max(...map.cells.map((c) => (c.skipped ? 0 : c.worstOff.length)))).toBe(1);
    const empty = weekHeatMap({ homeZone: 'UTC', week: '2027-W20', durationMinutes: 60, zones: new Map() });
    expect(empty.total).toBe(0);
    expect(empty.cells.every((c) => !c.skipped && c.awake === 0 && c.awakeShare === 0 && c.worstOff.length === 0)).toBe(true);
  });

  it('refuses input it cannot map, naming the field', () => {
    const good: WeekHeatMapInput = { homeZone: 'Europe/London', week: '2027-W12', durationMinutes: 60, zones: COMMUNITY };
    const refusal = (over: Partial<Record<keyof WeekHeatMapInput, unknown>>): FairTimesInputError => {
      try {
        weekHeatMap({ ...good, ...over } as WeekHeatMapInput);
      } catch (error) {
        expect(error).toBeInstanceOf(FairTimesInputError);
        return error as FairTimesInputError;
      }
      throw new Error(`accepted ${JSON.stringify(over)}`);
    };
    for (const week of ['', '2027', '2027-12', '2027-W1', '2027W12', '2027-w12', '2027-W00', '2027-W53', '2027-W54', '2027-02-29', '2027-13-01', ' 2027-W12', '2027-03-22T10:00', 12]) {
      expect(refusal({ week }).field, String(week)).toBe('week');
    }
    expect(refusal({ week: '2027-W53' }).message).toMatch(/2027 has 52 ISO weeks/);
    for (const homeZone of ['Mars/Olympus', 'europe/london', 'GMT+1', '']) expect(refusal({ homeZone }).field).toBe('homeZone');
    for (const durationMinutes of [0, -30, Number.NaN, 24 * 60 + 1]) expect(refusal({ durationMinutes }).field).toBe('durationMinutes');
    expect(refusal({ zones: new Map([['Mars/Olympus', 3]]) }).field).toBe('zones');
    expect(refusal({ zones: new Map([['Asia/Kolkata', -1]]) }).field).toBe('zones');
    expect(refusal({ zones: { 'Asia/Kolkata': 3 } }).field).toBe('zones');
    expect(refusal({ options: { worstOffLimit: -1 } }).field).toBe('worstOffLimit');
    expect(refusal({ options: { wakingHours: { from: '25:00', to: '21:00' } } }).field).toBe('wakingHours.from');
    expect(refusal({ marks: [{ start: '2027-03-23T14:30', label: 'no offset' }] }).field).toBe('marks[0].start');
    expect(refusal({ marks: [{ start: '2027-03-23T14:30:00Z', label: 'ok' }, { start: '2027-03-23T14:30:00Z', label: 'x', kind: 'lecture' }] }).field).toBe('marks[1].kind');
    expect(refusal({ marks: [{ start: '2027-03-23T14:30:00Z', label: 42 }] }).field).toBe('marks[0].label');
    expect(refusal({ marks: 'none' }).field).toBe('marks');
  });
});
