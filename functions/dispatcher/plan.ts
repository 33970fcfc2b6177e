/**
 * What the dispatcher has to send at an instant, found through read models and the ledger,
 * never by scanning members:
 *
 * - invites: the mail queue names the streams that changed since the last reconcile; for each
 *   series concerned, every member in scope (the whole roster when a series changed or seats
 *   can shift, else the members whose stream changed) gets `nextInvite` per session, against
 *   the invite state the ledger holds for the series.
 * - reminders: the timetable (one small item per series) says which reminder slots can be
 *   due now (the series' offsets and those members chose); slots the ledger marks finished
 *   are skipped; for the rest the roster is read and `dueReminders` asked per member, minus
 *   the members the ledger says already have it.
 */
import { nextInvite, inviteRank, type InviteMessage } from '../../events/delivery/invites.js';
import { dueReminders, reminderSlots, ZONE_SLACK_MS, type ReminderSlot } from '../../events/delivery/reminders.js';
import type { MemberRegistrations, RosterEntry } from '../../events/projections/member-registrations.js';
import type { ScheduledSession, SeriesSchedule } from '../../events/projections/schedule.js';
import { coversSession, seatsFor } from '../../events/projections/seats.js';
import type { DeliveryLedger, LedgerKey } from '../adapters/deliveries/delivery-ledger.js';
import { ledgerKeys } from '../adapters/deliveries/delivery-ledger.js';
import type { ReadModelKey, ReadModelStore } from '../adapters/read-models/read-model-store.js';
import { mapLimited } from '../map-limited.js';
import { planRecordings, type RecordingWork } from './plan-recordings.js';
import { streamCategory } from '../adapters/event-store/event-store.js';
import {
  MAIL_QUEUE_PK,
  TIMETABLE_PK,
  customOffsetsPk,
  mailQueueKey,
  memberRegistrationsKey,
  rosterPk,
  scheduleKey,
  type CustomOffsets,
  type MailQueueItem,
  type SeriesTimetable,
} from '../projector/projections.js';

/** How long after its session the ledger keeps what was sent about it. */
const KEEP_AFTER_SESSION_MS = 90 * 24 * 3600_000;

interface WorkBase {
  readonly seriesId: string;
  readonly memberId: string;
  readonly key: LedgerKey;
  readonly rank: number;
  readonly expiresAt: Date;
}

export interface InviteWork extends WorkBase {
  readonly kind: 'invite';
  readonly sessionId: string;
  readonly message: InviteMessage;
}

export interface ReminderWork extends WorkBase {
  readonly kind: 'reminder';
  readonly slot: ReminderSlot;
}

export type Work = InviteWork | ReminderWork | RecordingWork;

/** What the work needs to be composed: the series as members see it, and its roster. */
export interface SeriesContext {
  readonly schedule: SeriesSchedule;
  readonly roster: ReadonlyMap<string, RosterEntry>;
  /** Members with a seat, for sessions with a capacity (others seat everyone registered). */
  readonly seated: ReadonlyMap<string, ReadonlySet<string>>;
}

/** A queue item, done once every series it names was reconciled without a failure. */
export interface QueueTask {
  readonly key: ReadModelKey;
  readonly version: number;
  readonly seriesIds: readonly string[];
}

/** A reminder slot finished for everyone once its work succeeded (its last zone's due time is past). */
export interface SlotTask {
  readonly seriesId: string;
  readonly slotKey: string;
  readonly expiresAt: Date;
}

export interface Plan {
  readonly work: readonly Work[];
  readonly contexts: ReadonlyMap<string, SeriesContext>;
  readonly queue: readonly QueueTask[];
  readonly slots: readonly SlotTask[];
}

export interface PlanDeps {
  readonly readModels: ReadModelStore;
  readonly ledger: DeliveryLedger;
}

const READ_CONCURRENCY = 8;

export async function planDispatch(deps: PlanDeps, now: Date): Promise<Plan> {
  const contexts = new Map<string, Promise<SeriesContext | undefined>>();
  const context = (seriesId: string) => {
    let known = contexts.get(seriesId);
    if (!known) contexts.set(seriesId, (known = loadContext(deps.readModels, seriesId)));
    return known;
  };
  const timetables = (await deps.readModels.query<SeriesTimetable>(TIMETABLE_PK)).map(({ doc }) => doc);
  const [invites, reminders, recordings] = await Promise.all([
    planInvites(deps, now, context),
    planReminders(deps, now, timetables, context),
    mapLimited(timetables, READ_CONCURRENCY, (timetable) => planRecordings(deps, now, timetable, context)),
  ]);
  const resolved = new Map<string, SeriesContext>();
  for (const [id, promise] of contexts) {
    const value = await promise;
    if (value) resolved.set(id, value);
  }
  return {
    work: [...invites.work, ...reminders.work, ...recordings.flatMap((r) => r.work)],
    contexts: resolved,
    queue: invites.queue,
    slots: [...reminders.slots, ...recordings.flatMap((r) => r.slots)],
  };
}

async function loadContext(readModels: ReadModelStore, seriesId: string): Promise<SeriesContext | undefined> {
  const [schedule, roster] = await Promise.all([
    readModels.get<SeriesSchedule>(scheduleKey(seriesId)),
    readModels.query<RosterEntry>(rosterPk(seriesId)),
  ]);
  if (!schedule) return undefined;
  const entries = roster.map(({ doc }) => doc);
  const seated = new Map(
    schedule.doc.sessions.filter((s) => s.capacity !== undefined).map((s) => [s.sessionId, new Set(seatsFor(s, entries).seated)] as const),
  );
  return { schedule: schedule.doc, roster: new Map(entries.map((e) => [e.memberId, e])), seated };
}

/** Registered for the session, and seated where it has a capacity. */
function attends(ctx: SeriesContext, entry: RosterEntry, sessionId: string): boolean {
  return coversSession(entry, sessionId) && (ctx.seated.get(sessionId)?.has(entry.memberId) ?? true);
}

type ContextOf = (seriesId: string) => Promise<SeriesContext | undefined>;

async function planInvites(deps: PlanDeps, now: Date, context: ContextOf): Promise<{ work: Work[]; queue: QueueTask[] }> {
  const items = await deps.readModels.query<MailQueueItem>(MAIL_QUEUE_PK);
  const wholeSeries = new Set<string>();
  const membersOf = new Map<string, Set<string>>();
  const queue = await mapLimited(items, READ_CONCURRENCY, async ({ version, doc }): Promise<QueueTask> => {
    const category = streamCategory(doc.streamId);
    const id = doc.streamId.slice(category.length + 1);
    if (category === 'series') {
      wholeSeries.add(id);
      return { key: mailQueueKey(doc.streamId), version, seriesIds: [id] };
    }
    const registrations = (await deps.readModels.get<MemberRegistrations>(memberRegistrationsKey(id)))?.doc;
    const seriesIds = Object.keys(registrations?.registrations ?? {});
    for (const seriesId of seriesIds) {
      const members = membersOf.get(seriesId) ?? new Set<string>();
      membersOf.set(seriesId, members.add(id));
    }
    return { key: mailQueueKey(doc.streamId), version, seriesIds };
  });

  const seriesIds = [...new Set([...wholeSeries, ...membersOf.keys()])].sort();
  const perSeries = await mapLimited(seriesIds, READ_CONCURRENCY, async (seriesId) => {
    const ctx = await context(seriesId);
    if (!ctx) return [];
    // A change to one member can move seats of others: with capacity, reconcile everyone.
    const everyone = wholeSeries.has(seriesId) || ctx.schedule.sessions.some((s) => s.capacity !== undefined);
    const inScope = everyone ? [...ctx.roster.values()] : [...(membersOf.get(seriesId) ?? [])].flatMap((m) => ctx.roster.get(m) ?? []);
    const sent = new Map((await deps.ledger.items(ledgerKeys.invitesOf(seriesId))).map((item) => [item.sk, item.sent]));
    const work: Work[] = [];
    for (const entry of inScope) {
      if (!entry.mailAllowed) continue;
      for (const session of ctx.schedule.sessions) {
        const key = ledgerKeys.invite(seriesId, session.sessionId, entry.memberId);
        const detail = sent.get(key.sk)?.detail as (Omit<InviteMessage, 'basis'> & { basis?: number }) | undefined;
        const last = detail ? { ...detail, basis: detail.basis ?? detail.sequence } : undefined;
        const wanted = entry.active && attends(ctx, entry, session.sessionId);
        const message = nextInvite({ session, wanted, now: now.toISOString(), ...(last ? { sent: last } : {}) });
        if (!message) continue;
        work.push({ kind: 'invite', seriesId, memberId: entry.memberId, sessionId: session.sessionId, message, key, rank: inviteRank(message), expiresAt: keepUntil(session.endsAt) });
      }
    }
    return work;
  });
  return { work: perSeries.flat(), queue };
}

async function planReminders(deps: PlanDeps, now: Date, timetables: readonly SeriesTimetable[], context: ContextOf): Promise<{ work: Work[]; slots: SlotTask[] }> {
  const at = now.getTime();
  const perSeries = await mapLimited(timetables, READ_CONCURRENCY, async (timetable) => {
    const upcoming = timetable.sessions.some((s) => s.status === 'scheduled' && Date.parse(s.startsAt) > at) ||
      (timetable.window !== undefined && Date.parse(timetable.window.closes) + 2 * 24 * 3600_000 > at);
    if (!upcoming) return { work: [], slots: [] };
    const { seriesId } = timetable;
    const custom = await deps.readModels.query<CustomOffsets>(customOffsetsPk(seriesId));
    const offsets = [...new Set([...timetable.reminderOffsets, ...custom.flatMap(({ doc }) => doc.offsets)])];
    const open = reminderSlots(timetable, offsets, timetable.timeZone).filter(
      (slot) => Date.parse(slot.dueAt) - ZONE_SLACK_MS <= at && at < Date.parse(slot.until),
    );
    if (open.length === 0) return { work: [], slots: [] };
    const finished = new Set((await deps.ledger.items(ledgerKeys.slotsOf(seriesId))).filter((i) => i.sent).map((i) => i.sk));
    const candidates = new Map(open.filter((slot) => !finished.has(slot.key)).map((slot) => [slot.key, slot]));
    if (candidates.size === 0) return { work: [], slots: [] };

    const ctx = await context(seriesId);
    if (!ctx) return { work: [], slots: [] };
    const work: Work[] = [];
    const sentTo = new Map<string, Promise<Set<string>>>();
    const alreadySent = (slotKey: string) => {
      let known = sentTo.get(slotKey);
      if (!known) {
        known = deps.ledger.items(ledgerKeys.remindersOf(seriesId, slotKey)).then((items) => new Set(items.filter((i) => i.sent).map((i) => i.sk)));
        sentTo.set(slotKey, known);
      }
      return known;
    };
    for (const entry of ctx.roster.values()) {
      if (!entry.active || !entry.mailAllowed || !entry.confirmedAt) continue;
      const due = dueReminders(
        timetable,
        {
          confirmedAt: entry.confirmedAt,
          timeZone: entry.timeZone,
          ...(entry.reminderOffsets ? { reminderOffsets: entry.reminderOffsets } : {}),
          attends: (sessionId) => attends(ctx, entry, sessionId),
        },
        now.toISOString(),
      );
      for (const slot of due) {
        if (!candidates.has(slot.key) || (await alreadySent(slot.key)).has(entry.memberId)) continue;
        const endsAt = slot.sessionId ? sessionOf(ctx.schedule, slot.sessionId)?.endsAt ?? slot.until : slot.until;
        work.push({ kind: 'reminder', seriesId, memberId: entry.memberId, slot, key: ledgerKeys.reminder(seriesId, slot.key, entry.memberId), rank: 1, expiresAt: keepUntil(endsAt) });
      }
    }
    // A slot is finished once it is past due in every zone; members who were due have their work above.
    const slots = [...candidates.values()]
      .filter((slot) => Date.parse(slot.dueAt) + ZONE_SLACK_MS <= at)
      .map((slot) => ({ seriesId, slotKey: slot.key, expiresAt: keepUntil(slot.until) }));
    return { work, slots };
  });
  return { work: perSeries.flatMap((p) => p.work), slots: perSeries.flatMap((p) => p.slots) };
}

function sessionOf(schedule: SeriesSchedule, sessionId: string): ScheduledSession | undefined {
  return schedule.sessions.find((s) => s.sessionId === sessionId);
}

/** A fixed span after an instant (no calendar arithmetic: asked once per planned mail). */
function keepUntil(instant: string): Date {
  return new Date(Date.parse(instant) + KEEP_AFTER_SESSION_MS);
}

