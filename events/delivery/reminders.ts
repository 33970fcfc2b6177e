/**
 * Which reminders a member is due, at an instant. Pure: the dispatcher asks this for the
 * members of a series whose reminder slots may be due.
 *
 * - Before a session: one slot per offset (the member's own offsets, else the series'),
 *   due at the start minus the offset in the member's time zone: "P1D" is the same wall-clock
 *   time the day before, also across a DST change; "PT1H" is an hour before.
 * - A dialogue: "opens" at the start of its first day, and "closes" N days before the end of
 *   its last day for each offset of whole days (days of the series' home zone).
 * - A slot's key names what it is for (session, its start, the offset): a rescheduled session
 *   has new slots, reminded at its new time.
 * - Useful only before what it reminds of: never after the session started (or the dialogue
 *   closed). A reminder that fell due before the member registered, or before the session got
 *   its current time, is not sent: a late registrant gets only the reminders still ahead.
 * - Sent late (the dispatcher was down) only while useful, and only the latest of a group
 *   that fell due together: nobody gets "in 7 days" and "in 1 day" an hour before a session.
 */
import { DateTime, Duration } from 'luxon';

export type ReminderKind = 'before-session' | 'dialogue-opens' | 'dialogue-closes';

export interface ReminderSession {
  readonly sessionId: string;
  readonly status: 'scheduled' | 'cancelled';
  /** UTC instants. */
  readonly startsAt: string;
  readonly timingSetAt: string;
}

export interface ReminderSeries {
  readonly kind: 'lecture-series' | 'virtual-dialogue';
  readonly timeZone: string;
  readonly reminderOffsets: readonly string[];
  readonly window?: { readonly opens: string; readonly closes: string };
  readonly sessions: readonly ReminderSession[];
}

export interface ReminderMember {
  /** When the registration was confirmed (UTC); unconfirmed members get no reminders. */
  readonly confirmedAt?: string;
  readonly timeZone: string;
  readonly reminderOffsets?: readonly string[];
  /** Is the member seated for this session (registered for it, not waiting for a seat)? */
  readonly attends: (sessionId: string) => boolean;
}

export interface ReminderSlot {
  /** Stable name of the slot, the same for every member: `session#<id>#<start>#<offset>`, `opens#<date>`, `closes#<date>#<offset>`. */
  readonly key: string;
  readonly kind: ReminderKind;
  readonly sessionId?: string;
  readonly offset?: string;
  /** Reminders of one group supersede each other (the latest due wins). */
  readonly group: string;
  /** UTC instants: due, and useful until. */
  readonly dueAt: string;
  readonly until: string;
  /** Not due before this (registration, or the session's current time being set). */
  readonly armedAt: string;
}

/**
 * How far a slot's due instant can move between members' time zones: calendar-day offsets
 * follow each zone's DST, which shifts a wall-clock day by at most this much.
 */
export const ZONE_SLACK_MS = 3 * 3600_000;

const iso = (at: DateTime) => at.toUTC().toISO()!;

/** Every reminder slot of a series for offsets in one zone, due or not, before any member's arming. */
export function reminderSlots(series: ReminderSeries, offsets: readonly string[], zone: string): ReminderSlot[] {
  const slots: ReminderSlot[] = [];
  for (const session of series.sessions) {
    if (session.status !== 'scheduled') continue;
    const start = DateTime.fromISO(session.startsAt, { zone });
    for (const offset of new Set(offsets)) {
      slots.push({
        key: `session#${session.sessionId}#${session.startsAt}#${offset}`,
        kind: 'before-session',
        sessionId: session.sessionId,
        offset,
        group: `session#${session.sessionId}`,
        dueAt: iso(start.minus(Duration.fromISO(offset))),
        until: session.startsAt,
        armedAt: session.timingSetAt,
      });
    }
  }
  if (series.kind === 'virtual-dialogue' && series.window) {
    const { opens, closes } = series.window;
    const openAt = DateTime.fromISO(opens, { zone: series.timeZone }).startOf('day');
    const closeAt = DateTime.fromISO(closes, { zone: series.timeZone }).plus({ days: 1 }).startOf('day');
    slots.push({ key: `opens#${opens}`, kind: 'dialogue-opens', group: 'opens', dueAt: iso(openAt), until: iso(closeAt), armedAt: iso(openAt.minus({ years: 100 })) });
    for (const offset of new Set(offsets)) {
      const days = wholeDays(offset);
      if (days === undefined) continue;
      const dueAt = closeAt.minus({ days });
      if (dueAt <= openAt) continue;
      slots.push({ key: `closes#${closes}#P${days}D`, kind: 'dialogue-closes', offset: `P${days}D`, group: 'closes', dueAt: iso(dueAt), until: iso(closeAt), armedAt: iso(openAt.minus({ years: 100 })) });
    }
  }
  return slots;
}

/** The reminders due to one member at `now`: armed, due, still useful, the latest of each group. */
export function dueReminders(series: ReminderSeries, member: ReminderMember, now: string): ReminderSlot[] {
  if (!member.confirmedAt) return [];
  const at = Date.parse(now);
  const offsets = member.reminderOffsets ?? series.reminderOffsets;
  const due = reminderSlots(series, offsets, member.timeZone).filter(
    (slot) =>
      (slot.sessionId === undefined || member.attends(slot.sessionId)) &&
      Date.parse(slot.dueAt) <= at &&
      at < Date.parse(slot.until) &&
      Date.parse(slot.dueAt) >= Math.max(Date.parse(slot.armedAt), Date.parse(member.confirmedAt!)),
  );
  const latest = new Map<string, ReminderSlot>();
  for (const slot of due) {
    const known = latest.get(slot.group);
    if (!known || slot.dueAt > known.dueAt || (slot.dueAt === known.dueAt && slot.key < known.key)) latest.set(slot.group, slot);
  }
  return [...latest.values()].sort((a, b) => a.dueAt.localeCompare(b.dueAt) || a.key.localeCompare(b.key));
}

/** Whole days of a duration written in days or weeks (P3D, P1W), else undefined. */
function wholeDays(offset: string): number | undefined {
  const m = /^P(?:(\d+)W|(\d+)D)$/.exec(offset);
  if (!m) return undefined;
  return m[1] !== undefined ? Number(m[1]) * 7 : Number(m[2]);
}

/** How long a reminder sent this late may still say its own offset ("in 1 day" sent 10 minutes late). */
export const LATE_TOLERANCE_MS = 15 * 60_000;

/**
 * What a reminder should say is left before `until`, sent at `now`: its own offset when on
 * time, else the time really left (days and hours, or hours and minutes in steps of 5).
 */
export function offsetToSay(slot: Pick<ReminderSlot, 'offset' | 'dueAt' | 'until'>, now: string): string | undefined {
  if (slot.offset === undefined || Date.parse(now) - Date.parse(slot.dueAt) <= LATE_TOLERANCE_MS) return slot.offset;
  const left = Date.parse(slot.until) - Date.parse(now);
  if (left >= 24 * 3600_000) {
    const hours = Math.round(left / 3600_000);
    const [days, rest] = [Math.floor(hours / 24), hours % 24];
    return `P${days}D${rest ? `T${rest}H` : ''}`;
  }
  const minutes = Math.max(5, Math.round(left / 300_000) * 5);
  const [h, m] = [Math.floor(minutes / 60), minutes % 60];
  return `PT${h ? `${h}H` : ''}${m ? `${m}M` : ''}`;
}
