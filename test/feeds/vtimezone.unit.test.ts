/**
 * The VTIMEZONE blocks Convene generates from the runtime's tz database
 * (functions/feeds/vtimezone.ts), read back by the two parsers the feed tests use: ical.js,
 * which converts TZID times with the block in the file, and node-ical, which resolves the
 * TZID as an IANA name (it does not read the block of a zone it knows). Luxon is the truth:
 * every wall time that occurs once must come back as the instant Luxon gives it, in the zones
 * whose 2018 blocks were refused (Gaza, Casablanca, Mexico City, Tehran, São Paulo, Lord Howe)
 * and in the usual ones; a feed with sessions on both sides of each 2027 and 2028 change writes
 * every one of them with its zone, except at a fall-back's repeated hour.
 */
import ICAL from 'ical.js';
import { DateTime, IANAZone } from 'luxon';
import nodeIcal from 'node-ical';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ScheduledSession, SeriesSchedule } from '../../events/projections/schedule.js';
import { seriesFeed, sessionUid } from '../../functions/feeds/ical.js';
import { exactTzid, offsetAt, vtimezoneFor, zoneBlock } from '../../functions/feeds/vtimezone.js';
import { contentLines, expectFoldedCrlf } from '../support/icalendar.js';
import { scheduledSession } from '../support/schedule-fixtures.js';

/** The zones the independent check found written in UTC, then the usual and the odd ones. */
const ZONES = [
  'Asia/Gaza',
  'Africa/Casablanca',
  'America/Mexico_City',
  'Asia/Tehran',
  'America/Sao_Paulo',
  'Australia/Lord_Howe',
  'America/New_York',
  'Europe/London',
  'Australia/Sydney',
  'Asia/Hebron',
  'Asia/Kolkata',
  'America/Santiago',
  'Pacific/Chatham',
];

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const ms = (iso: string) => Date.parse(iso);
const iso = (t: number) => new Date(t).toISOString();
/** 2027 and 2028: the years the checks walk through. */
const FROM = ms('2027-01-01T00:00:00Z');
const UNTIL = ms('2029-01-01T00:00:00Z');
/** Instants that make a block cover what a feed of 2027 and 2028 needs (2026 to 2029). */
const COVER = [FROM, UNTIL - 1];

afterEach(() => {
  vi.useRealTimers();
});

// ---------------------------------------------------------------------------------------
// Luxon's view, computed here independently of the module under test.

/** Luxon's UTC offset at an instant, in seconds. */
const luxonOffset = (zone: string, t: number) => Math.round(IANAZone.create(zone).offset(t) * 60);

interface Change {
  readonly at: number;
  readonly from: number;
  readonly to: number;
}

const changeCache = new Map<string, Change[]>();

/** Luxon's offset changes in [from, until): sampled every three hours, then to the minute. */
function luxonChanges(zone: string, from = FROM, until = UNTIL): Change[] {
  const key = `${zone} ${from} ${until}`;
  const cached = changeCache.get(key);
  if (cached) return cached;
  const changes: Change[] = [];
  const step = 3 * HOUR; // no zone changes twice within three hours
  for (let t = from; t < until; t += step) {
    const before = luxonOffset(zone, t);
    if (luxonOffset(zone, t + step) === before) continue;
    let lo = t;
    let hi = t + step;
    while (hi - lo > MINUTE) {
      const mid = lo + Math.floor((hi - lo) / 2 / MINUTE) * MINUTE;
      if (luxonOffset(zone, mid) === before) lo = mid;
      else hi = mid;
    }
    changes.push({ at: hi, from: before, to: luxonOffset(zone, hi) });
  }
  changeCache.set(key, changes);
  return changes;
}

/**
 * The wall time of an instant also occurs at another instant: it is within a fall-back's
 * repeated hour (from the change back by the difference to the change on by it).
 */
function repeated(t: number, changes: readonly Change[]): boolean {
  return changes.some((c) => c.to < c.from && t >= c.at - (c.from - c.to) * 1000 && t < c.at + (c.from - c.to) * 1000);
}

/** The same, asked of Luxon directly: another offset nearby under which the wall time is valid too. */
function repeatedByLuxon(zone: string, t: number): boolean {
  const offset = luxonOffset(zone, t);
  const wall = t + offset * 1000;
  const nearby = new Set([luxonOffset(zone, t - 12 * HOUR), luxonOffset(zone, t + 12 * HOUR)]);
  return [...nearby].some((other) => other !== offset && luxonOffset(zone, wall - other * 1000) === other);
}

/** Every `step` through [from, until), and every 15 minutes within three hours of each change. */
function samples(changes: readonly Change[], from = FROM, until = UNTIL, step = HOUR): number[] {
  const instants = new Set<number>();
  for (let t = from; t < until; t += step) instants.add(t);
  for (const { at } of changes) {
    for (let t = at - 3 * HOUR; t <= at + 3 * HOUR; t += 15 * MINUTE) instants.add(t);
  }
  return [...instants].sort((a, b) => a - b);
}

/** The wall time of an instant in a zone, as iCalendar writes a local DATE-TIME. */
const wallText = (zone: string, t: number) => DateTime.fromMillis(t, { zone }).toFormat("yyyyLLdd'T'HHmmss");

// ---------------------------------------------------------------------------------------
// Reading iCalendar text.

function icalJsTimezone(component: string, zone: string) {
  return new ICAL.Timezone({ component: new ICAL.Component(ICAL.parse(component)), tzid: zone });
}

/** ical.js's offset for a wall time under a block. */
function icalJsOffset(timezone: ICAL.Timezone, wallMs: number): number {
  const wall = new Date(wallMs);
  const local = new ICAL.Time(
    { year: wall.getUTCFullYear(), month: wall.getUTCMonth() + 1, day: wall.getUTCDate(), hour: wall.getUTCHours(), minute: wall.getUTCMinutes(), second: wall.getUTCSeconds() },
    timezone,
  );
  return timezone.utcOffset(local);
}

interface Instants {
  readonly start: number;
  readonly end: number | undefined;
}

function readIcalJs(ics: string): Map<string, Instants> {
  const calendar = new ICAL.Component(ICAL.parse(ics));
  return new Map(
    calendar.getAllSubcomponents('vevent').map((component) => {
      const event = new ICAL.Event(component);
      return [event.uid, { start: event.startDate.toJSDate().getTime(), end: component.hasProperty('dtend') ? event.endDate.toJSDate().getTime() : undefined }];
    }),
  );
}

function readNodeIcal(ics: string): Map<string, Instants> {
  const parsed = nodeIcal.sync.parseICS(ics);
  return new Map(
    (Object.values(parsed) as Record<string, unknown>[])
      .filter((c) => c['type'] === 'VEVENT')
      .map((c) => [c['uid'] as string, { start: (c['start'] as Date).getTime(), end: (c['end'] as Date | undefined)?.getTime() }]),
  );
}

/** The VTIMEZONE components of a calendar, by TZID, as their content lines. */
function vtimezones(ics: string): Map<string, string[]> {
  const lines = contentLines(ics);
  const blocks = new Map<string, string[]>();
  for (let i = lines.indexOf('BEGIN:VTIMEZONE'); i >= 0; i = lines.indexOf('BEGIN:VTIMEZONE', i + 1)) {
    const block = lines.slice(i, lines.indexOf('END:VTIMEZONE', i) + 1);
    blocks.set(block[1]!.replace(/^TZID:/, ''), block);
  }
  return blocks;
}

/** The observances of a block: their content lines without BEGIN and END, by kind. */
function observances(component: string): { kind: string; lines: string[] }[] {
  const lines = contentLines(`${component}\r\n`);
  const found: { kind: string; lines: string[] }[] = [];
  for (let i = 0; i < lines.length; i++) {
    const begin = /^BEGIN:(STANDARD|DAYLIGHT)$/.exec(lines[i]!);
    if (!begin) continue;
    const end = lines.indexOf(`END:${begin[1]}`, i);
    found.push({ kind: begin[1]!, lines: lines.slice(i + 1, end) });
    i = end;
  }
  return found;
}

const block = (zone: string, instants = COVER) => {
  const text = vtimezoneFor(zone, instants);
  expect(text, zone).not.toBeNull();
  return text!;
};

// ---------------------------------------------------------------------------------------

describe('generated VTIMEZONE blocks read by ical.js', () => {
  it.each(ZONES)('%s: gives Luxon’s offset for every wall time of 2027 and 2028 that occurs once', (zone) => {
    const generated = zoneBlock(zone, COVER)!;
    expect(generated.tzid).toBe(zone);
    const timezone = icalJsTimezone(generated.component, zone);
    const changes = luxonChanges(zone);
    const wrong: string[] = [];
    const once: number[] = [];
    for (const t of samples(changes)) {
      if (repeated(t, changes)) {
        // A fall-back's repeated hour: never written with the TZID.
        if (!repeatedByLuxon(zone, t) || exactTzid(zone, [t]) !== undefined) wrong.push(`${iso(t)} repeated`);
        continue;
      }
      once.push(t);
      const offset = luxonOffset(zone, t);
      const read = icalJsOffset(timezone, t + offset * 1000);
      if (read !== offset || offsetAt(generated, t) !== offset) wrong.push(`${iso(t)}: Luxon ${offset}, ical.js ${read}, ours ${offsetAt(generated, t)}`);
    }
    expect(wrong).toEqual([]);
    expect(once.length).toBeGreaterThan(2 * 365 * 24 - 10);
    // The guard takes them all.
    expect(exactTzid(zone, once)).toBe(zone);
  }, 30_000);

  it('follows a rule that stops inside the covered years (UNTIL) and one-off changes around it', () => {
    // Mexico dropped DST after October 2022; Amman (east of UTC) stayed on +03 from October
    // 2022; Tehran dropped DST after September 2022; Santiago's April change moves to the 2nd
    // Sunday in 2029 (the 1st is the 1st of April); Casablanca's follow Ramadan.
    for (const [zone, from, until] of [
      ['America/Mexico_City', '2021-01-01', '2024-01-01'],
      ['Asia/Amman', '2021-01-01', '2024-01-01'],
      ['Asia/Tehran', '2021-01-01', '2024-01-01'],
      ['America/Santiago', '2028-01-01', '2030-01-01'],
      ['Africa/Casablanca', '2029-01-01', '2031-01-01'],
    ] as const) {
      const start = ms(`${from}T00:00:00Z`);
      const end = ms(`${until}T00:00:00Z`);
      const generated = zoneBlock(zone, [start, end - 1])!;
      const timezone = icalJsTimezone(generated.component, zone);
      const changes = luxonChanges(zone, start, end);
      const wrong: string[] = [];
      for (const t of samples(changes, start, end, 3 * HOUR)) {
        if (repeated(t, changes)) continue;
        const offset = luxonOffset(zone, t);
        const read = icalJsOffset(timezone, t + offset * 1000);
        if (read !== offset || offsetAt(generated, t) !== offset) wrong.push(`${zone} ${iso(t)}: Luxon ${offset}, ical.js ${read}`);
      }
      expect(wrong).toEqual([]);
      expect(luxonChanges(zone, start, end).length, zone).toBeGreaterThan(0);
    }
    expect(contentLines(block('America/Mexico_City', [ms('2021-06-01T00:00:00Z'), ms('2023-06-01T00:00:00Z')]))).toEqual(
      expect.arrayContaining(['RRULE:FREQ=YEARLY;BYMONTH=4;BYDAY=1SU;UNTIL=20220403T080000Z', 'RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU;UNTIL=20221030T070000Z']),
    );
  }, 30_000);
});

describe('generated VTIMEZONE blocks read by node-ical (and ical.js) in a calendar', () => {
  it.each(ZONES)('%s: events at wall times around each 2027 and 2028 change come back at the instants Luxon gives', (zone) => {
    // Instants around each change and at noon UTC on the 1st of every month; written as the
    // wall time Luxon gives them, unless that wall time occurs twice.
    const instants = new Set<number>();
    for (const { at } of luxonChanges(zone)) for (const d of [-3 * HOUR, -HOUR, -15 * MINUTE, 0, 15 * MINUTE, HOUR, 3 * HOUR]) instants.add(at + d);
    for (let month = 0; month < 24; month++) instants.add(Date.UTC(2027, month, 1, 12));
    const chosen = [...instants].filter((t) => !repeated(t, luxonChanges(zone))).sort((a, b) => a - b);
    const ics = [
      'BEGIN:VCALENDAR',
      'VERSION:2.0',
      'PRODID:-//Convene//vtimezone test//EN',
      block(zone, chosen),
      ...chosen.flatMap((t) => ['BEGIN:VEVENT', `UID:${t}`, 'DTSTAMP:20270101T000000Z', `DTSTART;TZID=${zone}:${wallText(zone, t)}`, 'SUMMARY:At a wall time', 'END:VEVENT']),
      'END:VCALENDAR',
      '',
    ].join('\r\n');
    const expected = new Map(chosen.map((t) => [String(t), t]));
    const starts = (read: Map<string, Instants>) => new Map([...read].map(([uid, { start }]) => [uid, start]));
    expect(starts(readNodeIcal(ics))).toEqual(expected);
    expect(starts(readIcalJs(ics))).toEqual(expected);
  });
});

describe('the shape of the blocks', () => {
  it('writes a steady DST rule as one DAYLIGHT and one STANDARD observance with yearly rules (as Outlook reads them)', () => {
    expect(contentLines(block('America/New_York'))).toEqual([
      'BEGIN:VTIMEZONE',
      'TZID:America/New_York',
      'BEGIN:DAYLIGHT',
      'DTSTART:20260308T020000',
      'RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=2SU',
      'TZOFFSETFROM:-0500',
      'TZOFFSETTO:-0400',
      'TZNAME:EDT',
      'END:DAYLIGHT',
      'BEGIN:STANDARD',
      'DTSTART:20261101T020000',
      'RRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=1SU',
      'TZOFFSETFROM:-0400',
      'TZOFFSETTO:-0500',
      'TZNAME:EST',
      'END:STANDARD',
      'END:VTIMEZONE',
    ]);
    // DTSTART is local time in TZOFFSETFROM: London changes at 01:00 UTC, 01:00 GMT and 02:00 BST.
    expect(observances(block('Europe/London'))).toEqual([
      { kind: 'DAYLIGHT', lines: ['DTSTART:20260329T010000', 'RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU', 'TZOFFSETFROM:+0000', 'TZOFFSETTO:+0100', 'TZNAME:BST'] },
      { kind: 'STANDARD', lines: ['DTSTART:20261025T020000', 'RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU', 'TZOFFSETFROM:+0100', 'TZOFFSETTO:+0000', 'TZNAME:GMT'] },
    ]);
    expect(observances(block('Australia/Sydney'))).toEqual([
      { kind: 'STANDARD', lines: ['DTSTART:20260405T030000', 'RRULE:FREQ=YEARLY;BYMONTH=4;BYDAY=1SU', 'TZOFFSETFROM:+1100', 'TZOFFSETTO:+1000', 'TZNAME:AEST'] },
      { kind: 'DAYLIGHT', lines: ['DTSTART:20261004T020000', 'RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=1SU', 'TZOFFSETFROM:+1000', 'TZOFFSETTO:+1100', 'TZNAME:AEDT'] },
    ]);
    // Half an hour of DST, and a zone 12:45 ahead: exact offsets.
    expect(observances(block('Australia/Lord_Howe'))).toEqual([
      { kind: 'STANDARD', lines: ['DTSTART:20260405T020000', 'RRULE:FREQ=YEARLY;BYMONTH=4;BYDAY=1SU', 'TZOFFSETFROM:+1100', 'TZOFFSETTO:+1030', 'TZNAME:LHST'] },
      { kind: 'DAYLIGHT', lines: ['DTSTART:20261004T020000', 'RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=1SU', 'TZOFFSETFROM:+1030', 'TZOFFSETTO:+1100', 'TZNAME:LHDT'] },
    ]);
    expect(observances(block('Pacific/Chatham'))).toEqual([
      { kind: 'STANDARD', lines: ['DTSTART:20260405T034500', 'RRULE:FREQ=YEARLY;BYMONTH=4;BYDAY=1SU', 'TZOFFSETFROM:+1345', 'TZOFFSETTO:+1245', 'TZNAME:CHAST'] },
      { kind: 'DAYLIGHT', lines: ['DTSTART:20260927T024500', 'RRULE:FREQ=YEARLY;BYMONTH=9;BYDAY=-1SU', 'TZOFFSETFROM:+1245', 'TZOFFSETTO:+1345', 'TZNAME:CHADT'] },
    ]);
  });

  it('writes a zone without changes in the covered years as one STANDARD observance with its offset', () => {
    for (const [zone, offset, name] of [
      ['America/Mexico_City', '-0600', 'CST'],
      ['America/Sao_Paulo', '-0300', 'BRT'],
      ['Asia/Tehran', '+0330', '+0330'], // no English abbreviation: the offset
      ['Asia/Kolkata', '+0530', 'IST'],
    ] as const) {
      expect(luxonChanges(zone, ms('2026-01-01T00:00:00Z'), ms('2030-01-01T00:00:00Z')), `${zone}: the tz data changed`).toEqual([]);
      expect(observances(block(zone)), zone).toEqual([
        { kind: 'STANDARD', lines: ['DTSTART:20260101T000000', `TZOFFSETFROM:${offset}`, `TZOFFSETTO:${offset}`, `TZNAME:${name}`] },
      ]);
    }
  }, 30_000);

  it('writes changes that follow no yearly weekday rule as observances of their own, and a rule that stops with UNTIL', () => {
    // Casablanca goes back to +00 for Ramadan, about eleven days earlier each year.
    const casablanca = observances(block('Africa/Casablanca'));
    expect(casablanca.length).toBe(luxonChanges('Africa/Casablanca', ms('2026-01-01T00:00:00Z'), ms('2030-01-01T00:00:00Z')).length);
    expect(casablanca.every((o) => !o.lines.some((line) => line.startsWith('RRULE')))).toBe(true);
    expect(casablanca.filter((o) => o.lines.includes('TZOFFSETTO:+0100')).length).toBeGreaterThan(0);
    // Santiago: the first Sunday of April until 2028; in 2029 the 8th (the 1st is a Sunday).
    expect(observances(block('America/Santiago'))).toEqual([
      { kind: 'STANDARD', lines: ['DTSTART:20260405T000000', 'RRULE:FREQ=YEARLY;BYMONTH=4;BYDAY=1SU;UNTIL=20280402T030000Z', 'TZOFFSETFROM:-0300', 'TZOFFSETTO:-0400', 'TZNAME:-0400'] },
      { kind: 'DAYLIGHT', lines: ['DTSTART:20260906T000000', 'RRULE:FREQ=YEARLY;BYMONTH=9;BYDAY=1SU', 'TZOFFSETFROM:-0400', 'TZOFFSETTO:-0300', 'TZNAME:-0300'] },
      { kind: 'STANDARD', lines: ['DTSTART:20290408T000000', 'TZOFFSETFROM:-0300', 'TZOFFSETTO:-0400', 'TZNAME:-0400'] },
    ]);
  });

  it('starts every observance at a change Luxon reports, in local time of TZOFFSETFROM', () => {
    for (const zone of ZONES) {
      const changes = luxonChanges(zone, ms('2026-01-01T00:00:00Z'), ms('2030-01-01T00:00:00Z'));
      for (const { lines } of observances(block(zone))) {
        const value = (name: string) => lines.find((line) => line.startsWith(`${name}:`))!.slice(name.length + 1);
        const offset = (text: string) => (text.startsWith('-') ? -1 : 1) * (Number(text.slice(1, 3)) * 3600 + Number(text.slice(3, 5)) * 60);
        const [from, to] = [offset(value('TZOFFSETFROM')), offset(value('TZOFFSETTO'))];
        const local = DateTime.fromFormat(value('DTSTART'), "yyyyLLdd'T'HHmmss", { zone: 'utc' }).toMillis();
        const at = local - from * 1000;
        if (from === to) expect(luxonOffset(zone, at), zone).toBe(to); // the observance the covered years start with
        else expect(changes, `${zone} ${value('DTSTART')}`).toContainEqual({ at, from, to });
      }
    }
  }, 30_000);

  it('depends on the instants and the tz data only, not on the clock', async () => {
    const render = async (now: string) => {
      vi.resetModules();
      vi.useFakeTimers({ toFake: ['Date'] });
      vi.setSystemTime(new Date(now));
      const fresh = await import('../../functions/feeds/vtimezone.js');
      const blocks = ZONES.map((zone) => fresh.vtimezoneFor(zone, COVER)).join('\n');
      vi.useRealTimers();
      return blocks;
    };
    const in2020 = await render('2020-01-01T00:00:00Z');
    expect(await render('2035-07-01T12:00:00Z')).toBe(in2020);
    expect(ZONES.map((zone) => vtimezoneFor(zone, COVER)).join('\n')).toBe(in2020);
    // Only the covered years matter: other instants in the same years give the same block.
    expect(vtimezoneFor('Europe/London', [ms('2027-06-01T12:00:00Z'), ms('2028-02-01T00:00:00Z')])).toBe(vtimezoneFor('Europe/London', COVER));
    expect(vtimezoneFor('Not/AZone', COVER)).toBeNull();
    expect(vtimezoneFor('Europe/London', [])).toBeNull();
  }, 30_000);
});

// ---------------------------------------------------------------------------------------
// A feed with sessions in every zone on both sides of their 2027 and 2028 changes.

const created = '2026-11-01T09:00:00.000Z';

interface Planned {
  readonly session: ScheduledSession;
  /** Starts or ends at a wall time that occurs twice: written in UTC. */
  readonly inUtc: boolean;
}

/** Noon local time, `days` from the instant. */
function localNoon(zone: string, t: number, days: number): number {
  return DateTime.fromMillis(t, { zone }).plus({ days }).set({ hour: 12, minute: 0, second: 0, millisecond: 0 }).toMillis();
}

function plannedSessions(zone: string): Planned[] {
  const slug = zone.replace(/\W/g, '-').toLowerCase();
  const plan: { id: string; start: number; end: number }[] = [];
  const changes = luxonChanges(zone);
  changes.forEach(({ at, from, to }, i) => {
    const n = `${slug}-${i}`;
    plan.push({ id: `${n}-before`, start: localNoon(zone, at, -2), end: localNoon(zone, at, -2) + HOUR });
    plan.push({ id: `${n}-after`, start: localNoon(zone, at, 2), end: localNoon(zone, at, 2) + HOUR });
    // Across the change, from two hours before to two hours after.
    plan.push({ id: `${n}-across`, start: at - 2 * HOUR, end: at + 2 * HOUR });
    if (to < from) {
      // Fall back: a quarter of an hour into the repeated wall time.
      plan.push({ id: `${n}-repeated`, start: at + 15 * MINUTE, end: at + 3 * HOUR });
    } else {
      // Spring forward: the first wall time after the gap.
      plan.push({ id: `${n}-after-gap`, start: at, end: at + HOUR });
    }
  });
  if (changes.length === 0) {
    for (const date of ['2027-01-15', '2027-07-15', '2028-01-15', '2028-07-15']) {
      const start = DateTime.fromISO(`${date}T12:00:00`, { zone }).toMillis();
      plan.push({ id: `${slug}-${date}`, start, end: start + HOUR });
    }
  }
  return plan.map(({ id, start, end }) => ({
    session: scheduledSession(created, { sessionId: id, title: { en: id }, timeZone: zone, startsAt: iso(start), endsAt: iso(end) }),
    inUtc: repeated(start, changes) || repeated(end, changes),
  }));
}

describe('a feed with sessions in these zones on both sides of their 2027 and 2028 changes', () => {
  const planned = ZONES.flatMap(plannedSessions);
  const schedule: SeriesSchedule = {
    seriesId: 'zones',
    version: 1 + planned.length,
    kind: 'lecture-series',
    title: { en: 'Around the world' },
    description: {},
    timeZone: 'Europe/London',
    languages: ['en'],
    organiser: { name: 'Training Centre', email: 'training@example.org' },
    reminderOffsets: ['PT1H'],
    createdAt: created,
    updatedAt: created,
    sessions: [...planned.map((p) => p.session)].sort((a, b) => a.startsAt.localeCompare(b.startsAt) || a.sessionId.localeCompare(b.sessionId)),
  };
  const options = { baseUrl: 'https://convene.example.org' };

  it('writes every session with its zone, in UTC only where it starts or ends at a repeated wall time', () => {
    const ics = seriesFeed(schedule, options);
    expectFoldedCrlf(ics);
    const lines = contentLines(ics);
    // The only ones in UTC are those planned inside a fall-back's repeated hour.
    expect(planned.filter((p) => p.inUtc).map((p) => p.session.sessionId)).toEqual(planned.filter((p) => p.session.sessionId.endsWith('-repeated')).map((p) => p.session.sessionId));
    for (const { session, inUtc } of planned) {
      const at = lines.indexOf(`UID:${sessionUid(schedule.seriesId, session.sessionId)}`);
      const event = lines.slice(lines.lastIndexOf('BEGIN:VEVENT', at), lines.indexOf('END:VEVENT', at));
      const [start, end] = [ms(session.startsAt), ms(session.endsAt)];
      if (inUtc) {
        expect(event, session.sessionId).toContain(`DTSTART:${wallText('UTC', start)}Z`);
        expect(event, session.sessionId).toContain(`DTEND:${wallText('UTC', end)}Z`);
      } else {
        expect(event, session.sessionId).toContain(`DTSTART;TZID=${session.timeZone}:${wallText(session.timeZone, start)}`);
        expect(event, session.sessionId).toContain(`DTEND;TZID=${session.timeZone}:${wallText(session.timeZone, end)}`);
      }
    }
    // One VTIMEZONE per zone: the block for the instants written in it.
    const blocks = vtimezones(ics);
    expect([...blocks.keys()].sort()).toEqual([...ZONES].sort());
    for (const zone of ZONES) {
      const instants = planned.filter((p) => p.session.timeZone === zone && !p.inUtc).flatMap((p) => [ms(p.session.startsAt), ms(p.session.endsAt)]);
      expect(blocks.get(zone), zone).toEqual(contentLines(`${vtimezoneFor(zone, instants)}\r\n`));
    }
  });

  it('is read back by both parsers at exactly the stored instants', () => {
    const ics = seriesFeed(schedule, options);
    const expected = new Map(planned.map(({ session }) => [sessionUid(schedule.seriesId, session.sessionId), { start: ms(session.startsAt), end: ms(session.endsAt) }]));
    expect(readIcalJs(ics)).toEqual(expected);
    expect(readNodeIcal(ics)).toEqual(expected);
  });

  it('gives the same bytes on every render, whatever the clock says', () => {
    const first = seriesFeed(schedule, options);
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2031-03-01T00:00:00Z'));
    expect(seriesFeed(schedule, options)).toBe(first);
  });

  it('keeps the zone name the series gives, an alias too, and reads it back exactly', () => {
    const aliases: SeriesSchedule = {
      ...schedule,
      sessions: [
        scheduledSession(created, { sessionId: 'calcutta', title: { en: 'Calcutta' }, timeZone: 'Asia/Calcutta', startsAt: '2027-07-01T09:30:00.000Z', endsAt: '2027-07-01T10:30:00.000Z' }),
        scheduledSession(created, { sessionId: 'kyiv', title: { en: 'Kyiv' }, timeZone: 'Europe/Kyiv', startsAt: '2027-07-01T07:00:00.000Z', endsAt: '2027-07-01T08:00:00.000Z' }),
        scheduledSession(created, { sessionId: 'east-indiana', title: { en: 'US/East-Indiana' }, timeZone: 'US/East-Indiana', startsAt: '2027-07-01T14:00:00.000Z', endsAt: '2027-07-01T15:00:00.000Z' }),
      ],
    };
    const ics = seriesFeed(aliases, options);
    const lines = contentLines(ics);
    expect(lines).toContain('DTSTART;TZID=Asia/Calcutta:20270701T150000');
    expect(lines).toContain('DTSTART;TZID=Europe/Kyiv:20270701T100000');
    expect(lines).toContain('DTSTART;TZID=US/East-Indiana:20270701T100000');
    expect([...vtimezones(ics).keys()].sort()).toEqual(['Asia/Calcutta', 'Europe/Kyiv', 'US/East-Indiana']);
    const expected = new Map(aliases.sessions.map((s) => [sessionUid(aliases.seriesId, s.sessionId), { start: ms(s.startsAt), end: ms(s.endsAt) }]));
    expect(readIcalJs(ics)).toEqual(expected);
    expect(readNodeIcal(ics)).toEqual(expected);
  });
});
