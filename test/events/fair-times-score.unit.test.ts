import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { FairTimesInputError, scoreCandidate, scoreCandidates, type CandidateScore, type ZoneTime } from '../../events/fair-times/index.js';
import { PROBE_STEP_MS, zoneTimeline } from '../../events/fair-times/offsets.js';

const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;

const one = (zone: string) => new Map([[zone, 1]]);
const zoneOf = (score: CandidateScore, zone: string): ZoneTime => {
  const zt = score.zones.find((z) => z.zone === zone);
  if (!zt) throw new Error(`no ${zone} in the score`);
  return zt;
};

// ---- an independent reading of the tz data: Luxon (formatToParts), minute by minute ----

const wall = (ms: number, zone: string) => DateTime.fromMillis(ms, { zone });
const minuteOfDay = (d: DateTime) => d.hour * 60 + d.minute;
const inNight = (m: number) => m >= 23 * 60 || m < 6 * 60;
const inWaking = (m: number) => m >= 8 * 60 && m < 21 * 60;
/** Minutes from the nearest waking minute (08:00 to 21:00), around the clock. */
const fromWaking = (m: number) => (inWaking(m) ? 0 : m >= 21 * 60 ? Math.min(m - 21 * 60, 8 * 60 + 24 * 60 - m) : Math.min(8 * 60 - m, m + 24 * 60 - 21 * 60));

interface Oracle {
  localStart: string;
  localEnd: string;
  weekday: number;
  offsetMinutes: number;
  endOffsetMinutes: number;
  nightMinutes: number;
  awake: boolean;
  night: boolean;
  distanceMinutes: number;
}

/**
 * Each minute of [start, end) read on the zone's clock by Luxon. The distance from waking hours
 * is the furthest the clock gets, so it is taken at each minute's start and (as a limit) its end:
 * a session from 00:45 BST over the October change reaches 02:00 BST before the clock goes back.
 */
function oracle(start: number, minutes: number, zone: string): Oracle {
  let night = 0;
  let waking = 0;
  let distance = 0;
  for (let i = 0; i < minutes; i++) {
    const m = minuteOfDay(wall(start + i * MINUTE, zone));
    if (inNight(m)) night++;
    if (inWaking(m)) waking++;
    distance = Math.max(distance, fromWaking(m), fromWaking((m + 1) % (24 * 60)));
  }
  const s = wall(start, zone);
  const e = wall(start + minutes * MINUTE, zone);
  const awake = waking === minutes;
  return {
    localStart: s.toFormat("yyyy-MM-dd'T'HH:mm"),
    localEnd: e.toFormat("yyyy-MM-dd'T'HH:mm"),
    weekday: s.weekday,
    offsetMinutes: s.offset,
    endOffsetMinutes: e.offset,
    nightMinutes: night,
    awake,
    night: night > 0,
    distanceMinutes: awake ? 0 : distance,
  };
}

const reading = (zt: ZoneTime): Oracle => ({
  localStart: zt.local.start,
  localEnd: zt.local.end,
  weekday: zt.local.weekday,
  offsetMinutes: zt.local.offsetMinutes,
  endOffsetMinutes: zt.local.endOffsetMinutes,
  nightMinutes: zt.local.nightMinutes,
  awake: zt.local.awake,
  night: zt.local.night,
  distanceMinutes: zt.local.distanceMinutes,
});

/** Every change of a zone's offset in [from, to): daily probes by Luxon, bisected to the minute. */
function transitions(zone: string, from: number, to: number): number[] {
  const out: number[] = [];
  let prev = wall(from, zone).offset;
  for (let t = from + DAY; t <= to; t += DAY) {
    const offset = wall(t, zone).offset;
    if (offset !== prev) {
      let lo = (t - DAY) / MINUTE;
      let hi = t / MINUTE;
      while (hi - lo > 1) {
        const mid = Math.floor((lo + hi) / 2);
        if (wall(mid * MINUTE, zone).offset === prev) lo = mid;
        else hi = mid;
      }
      out.push(hi * MINUTE);
      prev = offset;
    }
  }
  return out;
}

/** Zones with clock changes in 2027 and 2028 (and some without), the irregular ones included. */
const CHANGING_ZONES = [
  'Europe/London', 'Europe/Berlin', 'Europe/Athens', 'Europe/Lisbon', 'Europe/Dublin', 'Europe/Chisinau',
  'America/New_York', 'America/Chicago', 'America/Denver', 'America/Los_Angeles', 'America/Anchorage', 'America/St_Johns',
  'America/Halifax', 'America/Havana', 'America/Mexico_City', 'America/Asuncion', 'America/Santiago', 'Pacific/Easter',
  'America/Scoresbysund', 'America/Nuuk', 'Atlantic/Azores', 'Africa/Casablanca', 'Africa/El_Aaiun', 'Africa/Cairo',
  'Asia/Gaza', 'Asia/Hebron', 'Asia/Jerusalem', 'Asia/Beirut', 'Asia/Tehran', 'Australia/Sydney', 'Australia/Adelaide',
  'Australia/Lord_Howe', 'Australia/Hobart', 'Pacific/Auckland', 'Pacific/Chatham', 'Pacific/Norfolk', 'Antarctica/Troll',
  'Pacific/Honolulu', 'America/Sao_Paulo', 'Asia/Kolkata', 'Asia/Kathmandu', 'Australia/Eucla', 'Australia/Darwin',
];

describe('scoring a candidate: hand-checked cases', () => {
  it('a time fine in London on 26 March 2027 is not a week later: Europe changes its clocks on 28 March', () => {
    // 20:00Z is 20:00 GMT on Friday 26 March (the session ends at 21:00, the edge of waking hours)
    // and 21:00 BST on Friday 2 April.
    const before = scoreCandidate('2027-03-26T20:00:00Z', 60, one('Europe/London'));
    const after = scoreCandidate('2027-04-02T20:00:00Z', 60, one('Europe/London'));
    expect(before.zones[0]!.local).toMatchObject({ start: '2027-03-26T20:00', end: '2027-03-26T21:00', offset: '+00:00', awake: true, night: false });
    expect(after.zones[0]!.local).toMatchObject({ start: '2027-04-02T21:00', end: '2027-04-02T22:00', offset: '+01:00', awake: false, night: false, distanceMinutes: 60 });
    expect([before.awakeShare, after.awakeShare]).toEqual([1, 0]);
    // 22:00Z: 22:00 to 23:00 GMT touches no night; 23:00 to 00:00 BST a week later is all night.
    expect(scoreCandidate('2027-03-26T22:00:00Z', 60, one('Europe/London')).night).toBe(0);
    expect(scoreCandidate('2027-04-02T22:00:00Z', 60, one('Europe/London')).zones[0]!.local).toMatchObject({ night: true, nightMinutes: 60 });
  });

  it('a Monday 20:00 New York session is on Tuesday in Delhi and Sydney', () => {
    // 2027-05-03 20:00 EDT = 2027-05-04 00:00Z = 05:30 IST, 10:00 AEST (Sydney is on standard time from 4 April).
    const zones = new Map([['America/New_York', 10], ['Asia/Kolkata', 5], ['Australia/Sydney', 3]]);
    const s = scoreCandidate('2027-05-03T20:00:00-04:00', 60, zones, { homeZone: 'America/New_York' });
    expect(zoneOf(s, 'America/New_York').local).toMatchObject({ start: '2027-05-03T20:00', weekday: 1, weekdayName: 'Monday', dayShift: 0, awake: true });
    expect(zoneOf(s, 'Asia/Kolkata').local).toMatchObject({ start: '2027-05-04T05:30', date: '2027-05-04', weekday: 2, weekdayName: 'Tuesday', dayShift: 1, offset: '+05:30', night: true, nightMinutes: 30 });
    expect(zoneOf(s, 'Australia/Sydney').local).toMatchObject({ start: '2027-05-04T10:00', weekdayName: 'Tuesday', dayShift: 1, offset: '+10:00', awake: true });
    expect(s).toMatchObject({ total: 18, awake: 13, night: 5, awakeShare: 13 / 18 });
    // The worst-off: Delhi, 05:30 to 06:30: 30 minutes of night, and 05:30 is 150 minutes before waking hours.
    expect(s.worstOff.map((z) => [z.zone, z.local.badness])).toEqual([['Asia/Kolkata', 30 * 1000 + 150]]);
  });

  it('reads half-hour and 45-minute offsets: Kolkata +05:30, Kathmandu +05:45, St John\'s -03:30 and -02:30', () => {
    const s = scoreCandidate('2027-05-04T00:00:00Z', 60, new Map([['Asia/Kolkata', 1], ['Asia/Kathmandu', 1], ['America/St_Johns', 1]]));
    expect(zoneOf(s, 'Asia/Kathmandu').local).toMatchObject({ start: '2027-05-04T05:45', end: '2027-05-04T06:45', offsetMinutes: 345, nightMinutes: 15, distanceMinutes: 135 });
    expect(zoneOf(s, 'Asia/Kolkata').local).toMatchObject({ start: '2027-05-04T05:30', offsetMinutes: 330, nightMinutes: 30 });
    // Newfoundland is on daylight time (-02:30) from 14 March 2027: 21:30 to 22:30, not awake, no night.
    expect(zoneOf(s, 'America/St_Johns').local).toMatchObject({ start: '2027-05-03T21:30', offset: '-02:30', awake: false, night: false, distanceMinutes: 90 });
    expect(scoreCandidate('2027-01-04T00:00:00Z', 60, one('America/St_Johns')).zones[0]!.local).toMatchObject({ start: '2027-01-03T20:30', offset: '-03:30', awake: false, distanceMinutes: 30 });
  });

  it('splits a session at Lord Howe Island\'s 30-minute change', () => {
    // 4 April 2027, 02:00 +11:00 becomes 01:30 +10:30 (15:00Z on 3 April). A 90-minute session from
    // 14:30Z shows 01:30 to 02:00, then 01:30 to 02:30 again: 90 minutes of night, ending at 02:30.
    const back = scoreCandidate('2027-04-03T14:30:00Z', 90, one('Australia/Lord_Howe')).zones[0]!.local;
    expect(back).toMatchObject({ start: '2027-04-04T01:30', end: '2027-04-04T02:30', offsetMinutes: 660, endOffsetMinutes: 630, nightMinutes: 90 });
    // 3 October 2027, 02:00 +10:30 becomes 02:30 +11:00 (15:30Z on 2 October): 15:00Z to 16:00Z shows 01:30 to 03:00.
    const forward = scoreCandidate('2027-10-02T15:00:00Z', 60, one('Australia/Lord_Howe')).zones[0]!.local;
    expect(forward).toMatchObject({ start: '2027-10-03T01:30', end: '2027-10-03T03:00', offsetMinutes: 630, endOffsetMinutes: 660, nightMinutes: 60 });
    // Sydney changes by a full hour at 16:00Z on 3 April 2027.
    expect(scoreCandidate('2027-04-03T15:30:00Z', 60, one('Australia/Sydney')).zones[0]!.local).toMatchObject({ start: '2027-04-04T02:30', end: '2027-04-04T02:30', endOffsetMinutes: 600, nightMinutes: 60 });
  });

  it('follows Morocco\'s Ramadan change of 2027 (+01:00 to +00:00 from 7 February to 14 March)', () => {
    // In the runtime's tz data (2025c): 2027-02-07 03:00 +01 becomes 02:00 +00; 2027-03-14 02:00 +00 becomes 03:00 +01.
    expect(transitions('Africa/Casablanca', Date.UTC(2027, 0, 1), Date.UTC(2027, 11, 31))).toEqual([Date.UTC(2027, 1, 7, 2), Date.UTC(2027, 2, 14, 2)]);
    const at = (iso: string) => scoreCandidate(iso, 60, one('Africa/Casablanca')).zones[0]!.local;
    expect(at('2027-02-03T07:30:00Z')).toMatchObject({ start: '2027-02-03T08:30', offset: '+01:00', awake: true });
    expect(at('2027-02-10T07:30:00Z')).toMatchObject({ start: '2027-02-10T07:30', offset: '+00:00', awake: false, distanceMinutes: 30 });
    expect(at('2027-03-20T07:30:00Z')).toMatchObject({ start: '2027-03-20T08:30', offset: '+01:00', awake: true });
  });

  it('Gaza, Santiago, São Paulo and Sydney across their 2027 changes', () => {
    const at = (iso: string, zone: string) => scoreCandidate(iso, 60, one(zone)).zones[0]!.local;
    // Palestine goes to +03:00 at 00:00Z on Saturday 27 March 2027 and back on 30 October 2027 (23:00Z on the 29th).
    expect([at('2027-03-20T12:00:00Z', 'Asia/Gaza').offset, at('2027-04-03T12:00:00Z', 'Asia/Gaza').offset, at('2027-11-06T12:00:00Z', 'Asia/Gaza').offset]).toEqual(['+02:00', '+03:00', '+02:00']);
    // Chile leaves daylight time on 4 April 2027 (03:00Z) and returns on 5 September 2027 (04:00Z).
    expect(at('2027-04-03T12:00:00Z', 'America/Santiago')).toMatchObject({ start: '2027-04-03T09:00', offset: '-03:00', awake: true });
    expect(at('2027-04-10T12:00:00Z', 'America/Santiago')).toMatchObject({ start: '2027-04-10T08:00', offset: '-04:00', awake: true });
    expect(at('2027-04-10T11:30:00Z', 'America/Santiago')).toMatchObject({ start: '2027-04-10T07:30', awake: false });
    expect(at('2027-09-11T12:00:00Z', 'America/Santiago').offset).toBe('-03:00');
    // Brazil has kept -03:00 all year since 2019.
    expect([at('2027-01-15T12:00:00Z', 'America/Sao_Paulo').offset, at('2027-07-15T12:00:00Z', 'America/Sao_Paulo').offset]).toEqual(['-03:00', '-03:00']);
    // 12:00Z is 23:00 AEDT on 3 April (night) and 22:00 AEST a week later (not night).
    expect(at('2027-04-03T12:00:00Z', 'Australia/Sydney')).toMatchObject({ start: '2027-04-03T23:00', night: true });
    expect(at('2027-04-10T12:00:00Z', 'Australia/Sydney')).toMatchObject({ start: '2027-04-10T22:00', night: false });
  });

  it('takes the edges of the windows as half-open: ending at 23:00 or starting at 06:00 is no night', () => {
    const at = (iso: string, minutes: number) => scoreCandidate(iso, minutes, one('UTC')).zones[0]!.local;
    expect(at('2027-06-01T22:00:00Z', 60)).toMatchObject({ night: false, awake: false, distanceMinutes: 120 });
    expect(at('2027-06-01T06:00:00Z', 60)).toMatchObject({ night: false, awake: false, distanceMinutes: 120 });
    expect(at('2027-06-01T08:00:00Z', 13 * 60)).toMatchObject({ awake: true, badness: 0 });
    expect(at('2027-06-01T08:00:00Z', 13 * 60 + 1)).toMatchObject({ awake: false, distanceMinutes: 1 });
    // The deepest night: 02:30 is 330 minutes from both 21:00 and 08:00.
    expect(at('2027-06-01T01:00:00Z', 180)).toMatchObject({ nightMinutes: 180, distanceMinutes: 330, badness: 180_330 });
  });

  it('takes its windows from the options, also across midnight', () => {
    const options = { wakingHours: { from: '07:00', to: '23:00' }, nightHours: { from: '00:00', to: '05:00' } };
    expect(scoreCandidate('2027-06-01T21:30:00Z', 60, one('UTC'), options).zones[0]!.local).toMatchObject({ awake: true, night: false, badness: 0 });
    expect(scoreCandidate('2027-06-01T22:30:00Z', 60, one('UTC'), options).zones[0]!.local).toMatchObject({ awake: false, night: false, outsideWakingMinutes: 30, distanceMinutes: 30 });
    // Overlapping windows are the caller's choice: awake all day, and the night minutes still counted in the badness.
    const allDay = scoreCandidate('2027-06-01T21:30:00Z', 600, one('UTC'), { wakingHours: { from: '00:00', to: '24:00' } });
    expect(allDay.zones[0]!.local).toMatchObject({ awake: true, night: true, nightMinutes: 420, distanceMinutes: 0, badness: 420_000 });
  });

  it('sorts the worst-off by badness, then by registrants, and limits the list', () => {
    const zones = new Map([['Asia/Tokyo', 5], ['Asia/Seoul', 9], ['Asia/Kolkata', 2], ['Europe/London', 7], ['America/New_York', 4]]);
    // 17:00Z: Tokyo and Seoul 02:00 (night, the worst), Delhi 22:30 (night 30 min), London 18:00 and New York 13:00 awake.
    const s = scoreCandidate('2027-06-01T17:00:00Z', 60, zones);
    expect(s.worstOff.map((z) => z.zone)).toEqual(['Asia/Seoul', 'Asia/Tokyo', 'Asia/Kolkata']);
    expect(s.worstBadness).toBe(60 * 1000 + 330);
    expect(s.totalBadness).toBe(14 * (60_000 + 330) + 2 * (30_000 + 150));
    expect(scoreCandidate('2027-06-01T17:00:00Z', 60, zones, { worstOffLimit: 1 }).worstOff.map((z) => z.zone)).toEqual(['Asia/Seoul']);
  });

  it('lists the same worst-off as sorting every zone, and counts every registrant once, in a 400-zone community', () => {
    const zones = Intl.supportedValuesOf('timeZone').slice(0, 400);
    const weights = new Map(zones.map((z, i) => [z, 1 + ((i * 37) % 11)]));
    const scores = scoreCandidates(Array.from({ length: 12 }, (_, i) => Date.UTC(2027, 2, 27, 20) + i * 97 * MINUTE), 90, weights, { worstOffLimit: 25 });
    for (const s of scores) {
      const sorted = [...s.zones]
        .filter((z) => z.local.badness > 0)
        .sort((a, b) => b.local.badness - a.local.badness || b.count - a.count || (a.zone < b.zone ? -1 : 1));
      expect(s.worstOff.map((z) => z.zone)).toEqual(sorted.slice(0, 25).map((z) => z.zone));
      expect(s.total).toBe(s.zones.reduce((n, z) => n + z.count, 0));
      expect(s.awake).toBe(s.zones.reduce((n, z) => n + (z.local.awake ? z.count : 0), 0));
      expect(s.night).toBe(s.zones.reduce((n, z) => n + (z.local.night ? z.count : 0), 0));
      expect(s.worstBadness).toBe(sorted[0]?.local.badness ?? 0);
    }
  });

  it('accepts an ISO instant with an offset, a Date or epoch milliseconds, and refuses a bare local time', () => {
    const ms = Date.UTC(2027, 5, 1, 12);
    const a = scoreCandidate('2027-06-01T14:00:00+02:00', 60, one('UTC'));
    expect(scoreCandidate(new Date(ms), 60, one('UTC')).start).toBe(a.start);
    expect(scoreCandidate(ms, 60, one('UTC')).start).toBe('2027-06-01T12:00:00.000Z');
    expect(() => scoreCandidate('2027-06-01T12:00', 60, one('UTC'))).toThrow(FairTimesInputError);
    expect(() => scoreCandidate(ms, 0, one('UTC'))).toThrow(/durationMinutes/);
    expect(() => scoreCandidate(ms, 60, new Map([['Mars/Olympus', 1]]))).toThrow(/not a known IANA time zone/);
    expect(() => scoreCandidate(ms, 60, one('UTC'), { wakingHours: { from: '8:00', to: '21:00' } })).toThrow(/wakingHours.from/);
  });

  it('gives the same figures one at a time as in a batch, in the order given', () => {
    const zones = new Map([['Asia/Kolkata', 3], ['Europe/London', 2], ['Australia/Lord_Howe', 1]]);
    const starts = [Date.UTC(2027, 9, 2, 15), Date.UTC(2027, 2, 1), Date.UTC(2027, 9, 2, 14, 30), Date.UTC(2028, 0, 1)];
    const batch = scoreCandidates(starts, 90, zones);
    expect(batch.map((s) => s.startMs)).toEqual(starts);
    starts.forEach((start, i) => expect(JSON.parse(JSON.stringify(batch[i]))).toEqual(JSON.parse(JSON.stringify(scoreCandidate(start, 90, zones)))));
  });
});

describe('scoring against the tz data, minute by minute', () => {
  it('matches around every 2027 and 2028 clock change of zones north and south, whole, half- and quarter-hour', () => {
    const zones = CHANGING_ZONES;
    const from = Date.UTC(2027, 0, 1);
    const to = Date.UTC(2029, 0, 1);
    // Sessions of 90 minutes starting 75 minutes before each change (ending just after it), 30 minutes before (spanning it) and at it.
    const starts = new Map<number, string[]>();
    let changes = 0;
    for (const zone of zones) {
      for (const t of transitions(zone, from, to)) {
        changes++;
        for (const d of [-75, -30, 0]) {
          const s = t + d * MINUTE;
          starts.set(s, [...(starts.get(s) ?? []), zone]);
        }
      }
    }
    expect(changes).toBeGreaterThan(100);
    // Each start scored against the zones whose change it is near (scoring every start against every zone would be 43 times the work for nothing).
    const byZone = new Map<string, number[]>();
    for (const [start, near] of starts) for (const zone of near) byZone.set(zone, [...(byZone.get(zone) ?? []), start]);
    let compared = 0;
    for (const [zone, list] of byZone) {
      scoreCandidates(list, 90, new Map([[zone, 1]])).forEach((score, i) => {
        expect({ zone, at: score.start, ...reading(zoneOf(score, zone)) }).toEqual({ zone, at: score.start, ...oracle(list[i]!, 90, zone) });
        compared++;
      });
    }
    expect(compared).toBe(changes * 3);
  });

  it('matches every zone of the runtime on sample instants of 2027 and 2028 (start, end, offset, weekday, flags)', () => {
    const zones = Intl.supportedValuesOf('timeZone');
    expect(zones.length).toBeGreaterThan(400);
    // Deterministic sample: a multiplicative sequence of whole quarter-hours across the two years.
    const starts = Array.from({ length: 6 }, (_, i) => Date.UTC(2027, 0, 1) + ((i * 7919 + 13) % (2 * 365 * 96)) * 15 * MINUTE);
    const scores = scoreCandidates(starts, 60, new Map(zones.map((z) => [z, 1])));
    for (const score of scores) {
      for (const zt of score.zones) {
        const s = wall(score.startMs, zt.zone);
        const e = wall(score.startMs + HOUR, zt.zone);
        const expected = { localStart: s.toFormat("yyyy-MM-dd'T'HH:mm"), localEnd: e.toFormat("yyyy-MM-dd'T'HH:mm"), offset: s.toFormat('ZZ'), weekday: s.weekday, endOffsetMinutes: e.offset };
        expect({ zone: zt.zone, localStart: zt.local.start, localEnd: zt.local.end, offset: zt.local.offset, weekday: zt.local.weekday, endOffsetMinutes: zt.local.endOffsetMinutes }).toEqual({ zone: zt.zone, ...expected });
        if (s.offset === e.offset) {
          // No change inside: night and waking minutes follow from the local start alone.
          const m0 = minuteOfDay(s);
          const ms = Array.from({ length: 60 }, (_, k) => (m0 + k) % 1440);
          expect([zt.zone, zt.local.night, zt.local.awake]).toEqual([zt.zone, ms.some(inNight), ms.every(inWaking)]);
        }
      }
    }
  });

  it('finds the same transitions as an hourly scan, and the probe step is shorter than any gap between them', () => {
    const from = Date.UTC(2027, 0, 1);
    const to = Date.UTC(2029, 0, 1);
    for (const zone of ['Asia/Gaza', 'Africa/Casablanca', 'Australia/Lord_Howe', 'America/Santiago', 'Africa/Cairo', 'Pacific/Chatham', 'Antarctica/Troll']) {
      const timeline = zoneTimeline(zone, [[from, to]]);
      const expected = transitions(zone, from, to);
      expect([zone, timeline.starts.slice(1)]).toEqual([zone, expected]);
      for (let i = 1; i < expected.length; i++) expect(expected[i]! - expected[i - 1]!).toBeGreaterThan(PROBE_STEP_MS);
      // Every offset the timeline gives is the tz data's, an hour before and after each change too.
      for (const t of expected) {
        for (const probe of [t - HOUR, t - 1, t, t + HOUR]) {
          const i = timeline.starts.findLastIndex((s) => s <= probe);
          expect(timeline.offsets[i]).toBe(wall(probe, zone).offset);
        }
      }
      // A two-year timeline costs a few hundred look-ups, not one per instant.
      expect(timeline.lookups).toBeLessThan(800);
    }
  });
});
