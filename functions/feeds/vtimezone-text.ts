/**
 * The text of a VTIMEZONE block: written from its observances, and parsed back (the check in
 * vtimezone.ts trusts only what it reads back).
 *
 * Shape, for Outlook first (it reads yearly rules, and little else): transitions that recur
 * every year on the nth or last weekday of a month at the same local time, with the same
 * offsets and name, become one observance with `RRULE:FREQ=YEARLY;BYMONTH=m;BYDAY=nDD`
 * (with UNTIL when the rule stops inside the covered years, a new observance after it). So a
 * zone with a steady DST rule gets one STANDARD and one DAYLIGHT observance. A transition that
 * follows no such rule (Morocco's around Ramadan, Palestine's, Iran's before 2022, Chile's
 * April change when the 1st is a Sunday) is an observance of its own with just its DTSTART.
 * DTSTART is local time in the observance's TZOFFSETFROM (RFC 5545, 3.6.5), and offsets are
 * exact (seconds if the zone has them).
 *
 * Which onsets a block has, their kinds (vtimezone.ts) and their names (zone-transitions.ts)
 * are decided before they get here.
 */
import { daysInMonth, onsetMs, onsetOf, utcOf, weekdayOf } from './vtimezone-evaluate.js';
import type { LocalDateTime, Observance, Onset, Span, YearlyRule, ZoneBlock } from './vtimezone-types.js';

const WEEKDAYS = ['SU', 'MO', 'TU', 'WE', 'TH', 'FR', 'SA'];

// ---------------------------------------------------------------------------------------
// Writing a block.

export function oneOff(onset: Onset): Observance {
  return { kind: onset.kind, from: onset.from, to: onset.to, name: onset.name, start: onset.wall };
}

/**
 * The onsets as observances, a run of yearly onsets (consecutive years, same kind, offsets,
 * name, month, weekday and local time, and an nth or last weekday common to all) as one RRULE.
 */
export function withRules(onsets: readonly Onset[], span: Span): Observance[] {
  interface Run {
    readonly onsets: Onset[];
    weeks: number[];
  }
  const runs: Run[] = [];
  for (const onset of onsets) {
    const weeks = weeksOf(onset.wall);
    const run = runs.find((r) => {
      const last = r.onsets.at(-1)!;
      return (
        last.wall.year === onset.wall.year - 1 &&
        last.kind === onset.kind &&
        last.from === onset.from &&
        last.to === onset.to &&
        last.name === onset.name &&
        last.wall.month === onset.wall.month &&
        weekdayOf(last.wall) === weekdayOf(onset.wall) &&
        last.wall.hour === onset.wall.hour &&
        last.wall.minute === onset.wall.minute &&
        last.wall.second === onset.wall.second &&
        r.weeks.some((w) => weeks.includes(w))
      );
    });
    if (run) {
      run.onsets.push(onset);
      run.weeks = run.weeks.filter((w) => weeks.includes(w));
    } else {
      runs.push({ onsets: [onset], weeks });
    }
  }
  return runs.flatMap(({ onsets: members, weeks }): Observance[] => {
    if (members.length < 2) return members.map(oneOff);
    const first = members[0]!;
    const last = members.at(-1)!;
    // "Last" where both fit (Europe's last Sunday of March falls on the 4th Sunday some years).
    const week = weeks.includes(-1) ? -1 : weeks[0]!;
    const until = last.wall.year < span.lastYear ? { until: last.at } : {};
    return [{ ...oneOff(first), rule: { month: first.wall.month, week, weekday: weekdayOf(first.wall), ...until } }];
  });
}

/** The nth weekday of its month a date is (1 to 4), and -1 if it is the last one. */
function weeksOf(date: LocalDateTime): number[] {
  const weeks: number[] = [];
  const nth = Math.ceil(date.day / 7);
  if (nth <= 4) weeks.push(nth);
  if (date.day + 7 > daysInMonth(date.year, date.month)) weeks.push(-1);
  return weeks;
}

export function componentText(tzid: string, observances: readonly Observance[]): string {
  const sorted = [...observances].sort((a, b) => onsetOf(a) - onsetOf(b) || a.kind.localeCompare(b.kind));
  const lines = ['BEGIN:VTIMEZONE', `TZID:${tzid}`];
  for (const o of sorted) {
    lines.push(`BEGIN:${o.kind}`, `DTSTART:${formatLocal(o.start)}`);
    if (o.rule) {
      const until = o.rule.until === undefined ? '' : `;UNTIL=${formatUtc(o.rule.until)}`;
      lines.push(`RRULE:FREQ=YEARLY;BYMONTH=${o.rule.month};BYDAY=${o.rule.week}${WEEKDAYS[o.rule.weekday]}${until}`);
    }
    lines.push(`TZOFFSETFROM:${formatOffset(o.from)}`, `TZOFFSETTO:${formatOffset(o.to)}`, `TZNAME:${o.name}`, `END:${o.kind}`);
  }
  lines.push('END:VTIMEZONE');
  return lines.join('\r\n');
}

// ---------------------------------------------------------------------------------------
// Formatting.

export function wallTime(instantMs: number, offset: number): LocalDateTime {
  const wall = new Date(instantMs + offset * 1000);
  return {
    year: wall.getUTCFullYear(),
    month: wall.getUTCMonth() + 1,
    day: wall.getUTCDate(),
    hour: wall.getUTCHours(),
    minute: wall.getUTCMinutes(),
    second: wall.getUTCSeconds(),
  };
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

function formatLocal(t: LocalDateTime): string {
  return `${pad(t.year, 4)}${pad(t.month)}${pad(t.day)}T${pad(t.hour)}${pad(t.minute)}${pad(t.second)}`;
}

function formatUtc(instantMs: number): string {
  return `${formatLocal(wallTime(instantMs, 0))}Z`;
}

/** A UTC offset as RFC 5545 writes it: +hhmm, or +hhmmss when it has seconds. */
export function formatOffset(seconds: number): string {
  const abs = Math.abs(seconds);
  const text = `${pad(Math.floor(abs / 3600))}${pad(Math.floor(abs / 60) % 60)}${abs % 60 ? pad(abs % 60) : ''}`;
  return `${seconds < 0 ? '-' : '+'}${text}`;
}

// ---------------------------------------------------------------------------------------
// Parsing a block.

/**
 * Reads back a VTIMEZONE of exactly the shape written here (STANDARD and DAYLIGHT observances
 * with DTSTART, TZOFFSETFROM, TZOFFSETTO, TZNAME and at most a yearly nth-weekday RRULE, with
 * or without a UTC UNTIL, whose DTSTART is one of its occurrences); anything else is undefined.
 */
export function parseComponent(component: string): ZoneBlock | undefined {
  const lines = component.replace(/\r?\n[ \t]/g, '').split(/\r?\n/).filter((line) => line.length > 0);
  let tzid: string | undefined;
  const observances: Observance[] = [];
  let current: { kind: 'STANDARD' | 'DAYLIGHT'; props: Record<string, string> } | undefined;
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon < 0) return undefined;
    const name = line.slice(0, colon);
    const value = line.slice(colon + 1).trim();
    if (name === 'BEGIN' && (value === 'STANDARD' || value === 'DAYLIGHT')) {
      if (current) return undefined;
      current = { kind: value, props: {} };
    } else if (name === 'END' && (value === 'STANDARD' || value === 'DAYLIGHT')) {
      const observance = current?.kind === value ? parseObservance(value, current.props) : undefined;
      if (!observance) return undefined;
      observances.push(observance);
      current = undefined;
    } else if (current) {
      if (!['TZOFFSETFROM', 'TZOFFSETTO', 'TZNAME', 'DTSTART', 'RRULE'].includes(name) || name in current.props) return undefined;
      current.props[name] = value;
    } else if (name === 'TZID') {
      tzid = value;
    } else if (!(name === 'BEGIN' || name === 'END') || value !== 'VTIMEZONE') {
      return undefined;
    }
  }
  if (current || !tzid || observances.length === 0) return undefined;
  return { tzid, component, observances };
}

function parseObservance(kind: 'STANDARD' | 'DAYLIGHT', props: Record<string, string>): Observance | undefined {
  const from = parseOffset(props.TZOFFSETFROM);
  const to = parseOffset(props.TZOFFSETTO);
  const start = parseStamp(props.DTSTART, false);
  if (from === undefined || to === undefined || !start || props.TZNAME === undefined) return undefined;
  const observance: Observance = { kind, from, to, name: props.TZNAME, start };
  if (props.RRULE === undefined) return observance;
  const match = /^FREQ=YEARLY;BYMONTH=(\d{1,2});BYDAY=([+-]?[1-5])(SU|MO|TU|WE|TH|FR|SA)(?:;UNTIL=(\d{8}T\d{6}Z))?$/.exec(props.RRULE);
  if (!match) return undefined;
  const until = match[4] === undefined ? undefined : parseStamp(match[4], true);
  if (match[4] !== undefined && !until) return undefined;
  const rule: YearlyRule = {
    month: Number(match[1]),
    week: Number(match[2]),
    weekday: WEEKDAYS.indexOf(match[3]!),
    ...(until ? { until: utcOf(until.year, until.month, until.day, until) } : {}),
  };
  const withRule: Observance = { ...observance, rule };
  // DTSTART must be the rule's first occurrence (RFC 5545 leaves any other set undefined).
  return onsetMs(withRule, start.year) === onsetOf(withRule) ? withRule : undefined;
}

function parseStamp(text: string | undefined, utc: boolean): LocalDateTime | undefined {
  const match = (utc ? /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/ : /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})$/).exec(text ?? '');
  if (!match) return undefined;
  const [year, month, day, hour, minute, second] = match.slice(1).map(Number) as [number, number, number, number, number, number];
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || hour > 23 || minute > 59 || second > 59) return undefined;
  return { year, month, day, hour, minute, second };
}

function parseOffset(text: string | undefined): number | undefined {
  const match = /^([+-])(\d{2})(\d{2})(\d{2})?$/.exec(text ?? '');
  if (!match) return undefined;
  const seconds = Number(match[2]) * 3600 + Number(match[3]) * 60 + Number(match[4] ?? 0);
  return match[1] === '-' ? -seconds : seconds;
}
