/**
 * "Recording available" mail: once a session's recording is published, every member registered
 * for the session (seated or not: those who attended and those who missed it) gets one mail.
 * Found through the timetable (`recordingPublishedAt`), sent once per member per session ever
 * (a recording withdrawn and posted again is not announced twice), through the same ledger as
 * reminders; the announcement is finished for good once a tick sent all of it.
 */
import { DateTime } from 'luxon';
import type { RosterEntry } from '../../events/projections/member-registrations.js';
import { coversSession } from '../../events/projections/seats.js';
import { ledgerKeys } from '../adapters/deliveries/delivery-ledger.js';
import type { SeriesTimetable } from '../read-models/documents.js';
import { madeFrom, type ContextOf, type PlanDeps, type RecordingWork, type SlotTask } from './work.js';

export type { RecordingWork } from './work.js';

/** Published longer ago than this, a recording is no longer announced (the dispatcher was down for a week). */
export const ANNOUNCE_WITHIN_MS = 7 * 24 * 3600_000;
/** How long the ledger keeps who was told. */
const KEEP_MS = 90 * 24 * 3600_000;

export const recordingSlotKey = (sessionId: string) => `recording#${sessionId}`;

export async function planRecordings(
  deps: PlanDeps,
  now: Date,
  timetable: SeriesTimetable,
  context: ContextOf,
): Promise<{ work: RecordingWork[]; slots: SlotTask[] }> {
  const at = now.getTime();
  const published = timetable.sessions.filter(
    (s) => s.recordingPublishedAt !== undefined && Date.parse(s.recordingPublishedAt) <= at && at - Date.parse(s.recordingPublishedAt) < ANNOUNCE_WITHIN_MS,
  );
  if (published.length === 0) return { work: [], slots: [] };
  const { seriesId } = timetable;
  const finished = new Set((await deps.ledger.items(ledgerKeys.slotsOf(seriesId))).filter((i) => i.sent).map((i) => i.sk));
  const open = published.filter((s) => !finished.has(recordingSlotKey(s.sessionId)));
  if (open.length === 0) return { work: [], slots: [] };
  const ctx = await context(seriesId);
  if (!ctx) return { work: [], slots: [] };

  const work: RecordingWork[] = [];
  const slots: SlotTask[] = [];
  for (const session of open) {
    const slotKey = recordingSlotKey(session.sessionId);
    const items = new Map((await deps.ledger.items(ledgerKeys.remindersOf(seriesId, slotKey))).map((i) => [i.sk, i]));
    const expiresAt = DateTime.fromISO(session.recordingPublishedAt!).plus({ milliseconds: KEEP_MS }).toJSDate();
    for (const entry of ctx.roster.values()) {
      const item = items.get(entry.memberId);
      if (!wantsRecording(entry, session.sessionId) || item?.sent) continue;
      work.push({
        kind: 'recording',
        seriesId,
        memberId: entry.memberId,
        sessionId: session.sessionId,
        slotKey,
        key: ledgerKeys.reminder(seriesId, slotKey, entry.memberId),
        rank: 1,
        expiresAt,
        madeFrom: madeFrom(ctx.version, ctx.rosterVersions.get(entry.memberId) ?? 0),
        ...(item?.failure ? { failure: item.failure } : {}),
        ...(item?.unreadable ? { unreadable: item.unreadable } : {}),
      });
    }
    slots.push({ seriesId, slotKey, expiresAt });
  }
  return { work, slots };
}

/** Registered for the session (seated or on the wait list), confirmed, and taking mail. */
function wantsRecording(entry: RosterEntry, sessionId: string): boolean {
  return entry.active && entry.mailAllowed && entry.confirmedAt !== undefined && coversSession(entry, sessionId);
}
