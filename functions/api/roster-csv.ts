/**
 * A session's roster and attendance as CSV (RFC 4180), for `Accept: text/csv` on the admin
 * roster route: one row per member the session concerns (seated, waiting, or without a place:
 * a "No" from their calendar, or attendance from a participants report), with names, answers
 * and attendance, never a token. A cell that a spreadsheet would read as a formula (it starts
 * with `=`, `+`, `-`, `@`, a tab or a carriage return) is written with a leading `'`
 * (OWASP's advice against CSV injection): names are anyone's text.
 */
import type { SessionAnswer, SessionAttendance } from '../../events/member/state.js';

interface RosterRow {
  readonly memberId: string;
  readonly name?: string;
  readonly email?: string;
  readonly answer?: SessionAnswer;
  readonly attended?: SessionAttendance;
}

export interface RosterRoll {
  readonly seated: readonly RosterRow[];
  readonly waitlist: readonly (RosterRow & { readonly position: number })[];
  readonly withoutPlace: readonly RosterRow[];
}

export const ROSTER_CSV_COLUMNS = ['place', 'waitlist_position', 'name', 'email', 'answer', 'answered_at', 'attended', 'joined_at', 'minutes', 'attendance_source', 'member_id'] as const;

/** Whether a client asked for CSV (and not for JSON or a page first). */
export function wantsCsv(accept: string | undefined): boolean {
  return /\btext\/csv\b/i.test(accept ?? '');
}

export function rosterCsv(roll: RosterRoll): string {
  const row = (place: string, r: RosterRow, position?: number) => [
    place,
    position === undefined ? '' : String(position),
    r.name ?? '',
    r.email ?? '',
    r.answer?.answer ?? '',
    r.answer?.answeredAt ?? '',
    r.attended ? 'yes' : 'no',
    r.attended?.joinedAt ?? '',
    r.attended?.minutes === undefined ? '' : String(r.attended.minutes),
    r.attended?.sources.join(' ') ?? '',
    r.memberId,
  ];
  const rows = [
    [...ROSTER_CSV_COLUMNS],
    ...roll.seated.map((r) => row('seated', r)),
    ...roll.waitlist.map((r) => row('waiting', r, r.position)),
    ...roll.withoutPlace.map((r) => row('none', r)),
  ];
  return rows.map((cells) => cells.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
