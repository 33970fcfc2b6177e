/**
 * A meeting's participants report, as Zoom (Reports > Usage > Participants, "Export with
 * meeting data" or not) and BigBlueButton's dashboards export it: CSV with a header row naming
 * the participant's name, email, join time, leave time and duration, one row per join (a
 * participant who rejoined has several). Read into one attendance per address: the earliest
 * join and the minutes summed. Nothing is guessed: a row without an address, or whose times
 * cannot be read, is reported with its line number.
 *
 * Columns are found by their header (case and punctuation aside): `User Email` / `Email`,
 * `Join Time` / `Join`, `Leave Time` / `Leave` / `Left`, `Duration (Minutes)` / `Duration`,
 * `Name (Original Name)` / `Name`. Zoom writes a meeting summary block before the participants'
 * header when exported "with meeting data": the header row used is the first one with an
 * email and a join column. Times are ISO 8601 with an offset, or a wall time
 * (`03/21/2027 03:01:12 PM`, `2027-03-21 15:01:12`) in the zone the organiser names (Zoom
 * writes the account's zone, without saying which).
 */
import { createHash } from 'node:crypto';
import { DateTime } from 'luxon';

export interface ReportAttendance {
  readonly email: string;
  readonly name?: string;
  /** UTC ISO instant of the earliest join. */
  readonly joinedAt: string;
  /** Minutes present, summed over the rows. */
  readonly minutes: number;
  /** The report lines it was read from (1-based). */
  readonly lines: readonly number[];
}

export interface ReportProblem {
  readonly line: number;
  readonly name?: string;
  readonly email?: string;
  readonly reason: string;
}

export interface ParticipantsReport {
  readonly attendances: readonly ReportAttendance[];
  readonly problems: readonly ReportProblem[];
}

export class ParticipantsReportError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** Rows of RFC 4180 CSV (quoted fields with `""`, CRLF or LF), each with its first line number. */
export function csvRows(text: string): { line: number; cells: string[] }[] {
  const rows: { line: number; cells: string[] }[] = [];
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  let line = 1;
  let start = 1;
  const body = text.replace(/^\uFEFF/, '');
  for (let i = 0; i < body.length; i++) {
    const ch = body[i]!;
    if (quoted) {
      if (ch === '"' && body[i + 1] === '"') (cell += '"'), i++;
      else if (ch === '"') quoted = false;
      else {
        if (ch === '\n') line++;
        cell += ch;
      }
    } else if (ch === '"' && cell === '') quoted = true;
    else if (ch === ',') cells.push(cell), (cell = '');
    else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && body[i + 1] === '\n') i++;
      cells.push(cell);
      rows.push({ line: start, cells });
      cells = [];
      cell = '';
      line++;
      start = line;
    } else cell += ch;
  }
  if (quoted) throw new ParticipantsReportError(`line ${start}: a quoted field is not closed`);
  if (cell !== '' || cells.length > 0) rows.push({ line: start, cells: [...cells, cell] });
  return rows.filter((r) => r.cells.some((c) => c.trim() !== ''));
}

const key = (header: string) => header.toLowerCase().replace(/\(.*?\)/g, '').replace(/[^a-z]/g, '');
const COLUMNS = {
  email: ['useremail', 'email', 'emailaddress', 'mail'],
  join: ['jointime', 'join', 'joined', 'firstjoin'],
  leave: ['leavetime', 'leave', 'left', 'lastleave'],
  duration: ['duration', 'durationminutes', 'timeinsession', 'minutes'],
  name: ['name', 'originalname', 'participant', 'username', 'fullname'],
} as const;

const WALL_FORMATS = ['MM/dd/yyyy hh:mm:ss a', 'MM/dd/yyyy h:mm:ss a', 'MM/dd/yyyy HH:mm:ss', 'MM/dd/yyyy HH:mm', 'yyyy-MM-dd HH:mm:ss', 'yyyy-MM-dd HH:mm', "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm"];

/** An instant from a report's time: ISO with an offset, or a wall time in `zone`. */
export function reportInstant(text: string, zone: string): DateTime | undefined {
  const value = text.trim();
  if (value === '') return undefined;
  if (/[zZ]$|[+-]\d{2}:?\d{2}$/.test(value)) {
    const iso = DateTime.fromISO(value.replace(' ', 'T'), { setZone: true });
    return iso.isValid ? iso.toUTC() : undefined;
  }
  for (const format of WALL_FORMATS) {
    const local = DateTime.fromFormat(value, format, { zone, locale: 'en-US' });
    if (local.isValid) return local.toUTC();
  }
  return undefined;
}

/** Minutes from `59`, `59.5`, `00:59:30` or `59:30`. */
function minutesOf(text: string): number | undefined {
  const value = text.trim();
  if (/^\d+(?:\.\d+)?$/.test(value)) return Math.round(Number(value));
  const hms = /^(?:(\d+):)?(\d{1,2}):(\d{2})$/.exec(value);
  if (hms) return Math.round(Number(hms[1] ?? 0) * 60 + Number(hms[2]) + Number(hms[3]) / 60);
  return undefined;
}

export function readParticipantsReport(text: string, zone: string): ParticipantsReport {
  const rows = csvRows(text);
  const headerAt = rows.findIndex((r) => {
    const keys = r.cells.map(key);
    return COLUMNS.email.some((k) => keys.includes(k)) && COLUMNS.join.some((k) => keys.includes(k));
  });
  if (headerAt < 0) throw new ParticipantsReportError('no header row with an email column and a join time column (e.g. "User Email" and "Join Time")');
  const header = rows[headerAt]!.cells.map(key);
  const column = (names: readonly string[]) => names.map((n) => header.indexOf(n)).find((i) => i >= 0);
  const at = { email: column(COLUMNS.email)!, join: column(COLUMNS.join)!, leave: column(COLUMNS.leave), duration: column(COLUMNS.duration), name: column(COLUMNS.name) };
  if (at.leave === undefined && at.duration === undefined) throw new ParticipantsReportError('no leave time or duration column (e.g. "Leave Time" or "Duration (Minutes)")');

  const byEmail = new Map<string, { email: string; name?: string; joined: DateTime; minutes: number; lines: number[] }>();
  const problems: ReportProblem[] = [];
  for (const { line, cells } of rows.slice(headerAt + 1)) {
    const cell = (i: number | undefined) => (i === undefined ? '' : (cells[i] ?? '').trim());
    const name = cell(at.name) || undefined;
    const email = cell(at.email).toLowerCase();
    const named = { line, ...(name ? { name } : {}) };
    if (!/^[^@\s,;<>]+@[^@\s,;<>]+\.[^@\s,;<>]+$/.test(email)) {
      problems.push({ ...named, ...(email ? { email } : {}), reason: email ? 'not an email address' : 'no email address (a guest who gave none)' });
      continue;
    }
    const joined = reportInstant(cell(at.join), zone);
    const left = at.leave === undefined ? undefined : reportInstant(cell(at.leave), zone);
    const minutes = at.duration !== undefined && cell(at.duration) !== '' ? minutesOf(cell(at.duration)) : joined && left ? Math.round(left.diff(joined, 'minutes').minutes) : undefined;
    if (!joined || minutes === undefined || minutes < 0) {
      problems.push({ ...named, email, reason: !joined ? 'the join time cannot be read' : 'the duration cannot be read' });
      continue;
    }
    const known = byEmail.get(email);
    if (known) {
      known.minutes += minutes;
      known.lines.push(line);
      if (joined < known.joined) known.joined = joined;
    } else byEmail.set(email, { email, ...(name ? { name } : {}), joined, minutes, lines: [line] });
  }
  return {
    attendances: [...byEmail.values()].map(({ joined, ...a }) => ({ ...a, joinedAt: joined.toISO({ suppressMilliseconds: false })!.replace(/\+00:00$/, 'Z') })),
    problems,
  };
}

/**
 * A report's id: the first 128 bits of its bytes' SHA-256, in hex, so importing the same report
 * again is recognised (events/member/decide.ts). Hex, not base64url: an Id starts with a letter
 * or digit, and one digest in 32 starts base64url with "-" or "_".
 */
export const reportIdOf = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex').slice(0, 32);

