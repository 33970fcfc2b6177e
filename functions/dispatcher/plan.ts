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
import { dueReminders, reminderSlots, ZONE_SLACK_MS } from '../../events/delivery/reminders.js';
import type { MemberRegistrations } from '../../events/projections/member-registrations.js';
import type { ScheduledSession, SeriesSchedule } from '../../events/projections/schedule.js';
import type { LedgerItem } from '../adapters/deliveries/delivery-ledger.js';
import { ledgerKeys } from '../adapters/deliveries/delivery-ledger.js';
import { mapLimited } from '../map-limited.js';
import { planRecordings } from './plan-recordings.js';
import { streamCategory } from '../../events/shared/event.js';
import { mailQueueKey } from '../read-models/keys.js';
import type { SeriesTimetable } from '../read-models/documents.js';
import { getCustomOffsets, getMailQueue, getMemberRegistrations, getSchedule, getTimetables } from '../read-models/queries.js';
import { planMemberMail } from './plan-member-mail.js';
import type { StoredDocument } from '../read-models/read-model-store.js';
import { attends, errorText, loadContext, madeFrom, type ContextOf, type PerStream, type Plan, type PlanDeps, type PlanFailure, type QueueTask, type SeriesContext, type SlotTask, type Work } from './work.js';

export type { InviteWork, Plan, PlanDeps, QueueTask, RecordingWork, ReminderWork, SeriesContext, SlotTask, Work } from './work.js';

/** How long after its session the ledger keeps what was sent about it. */
const KEEP_AFTER_SESSION_MS = 90 * 24 * 3600_000;

const READ_CONCURRENCY = 8;

export async function planDispatch(deps: PlanDeps, now: Date): Promise<Plan> {
  const contexts = new Map<string, Promise<SeriesContext | undefined>>();
  const context = (seriesId: string) => {
    let known = contexts.get(seriesId);
    if (!known) contexts.set(seriesId, (known = loadContext(deps.readModels, seriesId)));
    return known;
  };
  const failures: PlanFailure[] = [];
  /** One stream's part of the plan; if it fails, the stream is reported and the others go on. */
  const perStream: PerStream = async (streamId, empty, plan) => {
    try {
      return await plan();
    } catch (error) {
      failures.push({ streamId, reason: errorText(error) });
      return empty;
    }
  };
  const schedules = new Map<string, Promise<SeriesSchedule | undefined>>();
  const scheduleOf = (seriesId: string) => {
    let known = schedules.get(seriesId);
    if (!known) {
      known = contexts.has(seriesId) ? contexts.get(seriesId)!.then((ctx) => ctx?.schedule) : getSchedule(deps.readModels, seriesId).then((d) => d?.doc);
      schedules.set(seriesId, known);
    }
    return known;
  };
  const timetables = await getTimetables(deps.readModels);
  const none = { work: [], slots: [] };
  const [invites, reminders, recordings] = await Promise.all([
    planInvites(deps, now, context, perStream).then(async (planned) => ({
      ...planned,
      work: [...planned.work, ...(await planMemberMail(deps, now, planned.members, scheduleOf, perStream))],
    })),
    mapLimited(timetables, READ_CONCURRENCY, (timetable) => perStream(seriesStream(timetable.seriesId), none, () => planReminders(deps, now, timetable, context))),
    mapLimited(timetables, READ_CONCURRENCY, (timetable) => perStream(seriesStream(timetable.seriesId), none, () => planRecordings(deps, now, timetable, context))),
  ]);
  const failed = new Set(failures.map((f) => f.streamId));
  const resolved = new Map<string, SeriesContext>();
  for (const [id, promise] of contexts) {
    const value = await promise.catch(() => undefined);
    if (value && !failed.has(seriesStream(id))) resolved.set(id, value);
  }
  const resolvedSchedules = new Map<string, SeriesSchedule>();
  for (const [id, promise] of schedules) {
    const value = await promise.catch(() => undefined);
    if (value && !failed.has(seriesStream(id))) resolvedSchedules.set(id, value);
  }
  // A series that failed anywhere sends nothing this tick (its context may be what failed).
  const kept = <T extends { seriesId: string; memberId?: string }>(items: readonly T[]) =>
    items.filter((item) => !failed.has(seriesStream(item.seriesId)) && !(item.memberId && failed.has(`member-${item.memberId}`)));
  return {
    work: kept([...invites.work, ...reminders.flatMap((r) => r.work), ...recordings.flatMap((r) => r.work)]),
    contexts: resolved,
    schedules: resolvedSchedules,
    // Queue items naming a failed series, or whose member's mail failed to plan, stay for the next tick.
    queue: invites.queue.filter((task) => !failed.has(task.streamId) && !task.seriesIds.some((id) => failed.has(seriesStream(id)))),
    slots: kept([...reminders.flatMap((r) => r.slots), ...recordings.flatMap((r) => r.slots)]),
    failures,
  };
}

const seriesStream = (seriesId: string) => `series-${seriesId}`;

async function planInvites(
  deps: PlanDeps,
  now: Date,
  context: ContextOf,
  perStream: PerStream,
): Promise<{ work: Work[]; queue: QueueTask[]; members: ReadonlyMap<string, StoredDocument<MemberRegistrations>> }> {
  const items = await getMailQueue(deps.readModels);
  const wholeSeries = new Set<string>();
  const membersOf = new Map<string, Set<string>>();
  const members = new Map<string, StoredDocument<MemberRegistrations>>();
  const queue = await mapLimited(items, READ_CONCURRENCY, async ({ version, doc }): Promise<QueueTask | undefined> => {
    const category = streamCategory(doc.streamId);
    const id = doc.streamId.slice(category.length + 1);
    const streamId = doc.streamId;
    if (category === 'series') {
      wholeSeries.add(id);
      return { key: mailQueueKey(streamId), version, streamId, seriesIds: [id] };
    }
    // A member's registrations that cannot be read leave their queue item for the next tick.
    const stored = await perStream(streamId, undefined, async () => (await getMemberRegistrations(deps.readModels, id)) ?? null);
    if (stored === undefined) return undefined;
    if (stored) members.set(id, stored);
    const registrations = stored?.doc;
    const seriesIds = Object.keys(registrations?.registrations ?? {});
    for (const seriesId of seriesIds) {
      const members = membersOf.get(seriesId) ?? new Set<string>();
      membersOf.set(seriesId, members.add(id));
    }
    return { key: mailQueueKey(streamId), version, streamId, seriesIds };
  });

  const seriesIds = [...new Set([...wholeSeries, ...membersOf.keys()])].sort();
  const work = await mapLimited(seriesIds, READ_CONCURRENCY, (seriesId) => perStream(seriesStream(seriesId), [], async () => {
    const ctx = await context(seriesId);
    if (!ctx) return [];
    // A change to one member can move seats of others: with capacity, reconcile everyone.
    const everyone = wholeSeries.has(seriesId) || ctx.schedule.sessions.some((s) => s.capacity !== undefined);
    const inScope = everyone ? [...ctx.roster.values()] : [...(membersOf.get(seriesId) ?? [])].flatMap((m) => ctx.roster.get(m) ?? []);
    const ledger = new Map((await deps.ledger.items(ledgerKeys.invitesOf(seriesId))).map((item) => [item.sk, item]));
    const work: Work[] = [];
    for (const entry of inScope) {
      if (!entry.mailAllowed) continue;
      for (const session of ctx.schedule.sessions) {
        const key = ledgerKeys.invite(seriesId, session.sessionId, entry.memberId);
        const item = ledger.get(key.sk);
        const last = lastInvite(item);
        const wanted = entry.active && attends(ctx, entry, session.sessionId);
        const message = nextInvite({ session, wanted, now: now.toISOString(), ...(last.sent ? { sent: last.sent } : {}) });
        if (!message) continue;
        work.push({
          kind: 'invite',
          seriesId,
          memberId: entry.memberId,
          sessionId: session.sessionId,
          message,
          update: last.sent?.method === 'REQUEST',
          key,
          rank: inviteRank(message),
          expiresAt: keepUntil(session.endsAt),
          madeFrom: madeFrom(ctx.version, ctx.rosterVersions.get(entry.memberId) ?? 0),
          ...(item?.failure ? { failure: item.failure } : {}),
          ...(last.unreadable ? { unreadable: last.unreadable } : {}),
        });
      }
    }
    return work;
  }));
  return { work: work.flat(), queue: queue.filter((task) => task !== undefined), members };
}

/** The invitation an item says was sent last, read strictly: a record that does not say it is reported. */
function lastInvite(item: LedgerItem | undefined): { sent?: InviteMessage; unreadable?: string } {
  if (!item) return {};
  if (item.unreadable) return { unreadable: item.unreadable };
  if (!item.sent) return {};
  if (item.notSent) {
    // An earlier version recorded a mail it did not send as sent at the rank it meant to send
    // (an empty detail). Read it as a REQUEST just below that rank: what goes next ranks above.
    return { sent: { method: 'REQUEST', sequence: Math.floor(item.sent.rank / 2), basis: -1 } };
  }
  const { method, sequence, basis } = item.sent.detail ?? {};
  if ((method !== 'REQUEST' && method !== 'CANCEL') || !isCount(sequence) || (basis !== undefined && !isCount(basis))) {
    return { unreadable: `its invitation detail does not say what was sent (${JSON.stringify(item.sent.detail ?? {}).slice(0, 100)})` };
  }
  if (inviteRank({ method, sequence, basis: 0 }) !== item.sent.rank) {
    return { unreadable: `its rank ${item.sent.rank} is not that of ${method} ${sequence}` };
  }
  return { sent: { method, sequence, basis: basis ?? sequence } };
}

const isCount = (value: unknown): value is number => typeof value === 'number' && Number.isInteger(value) && value >= 0;

async function planReminders(deps: PlanDeps, now: Date, timetable: SeriesTimetable, context: ContextOf): Promise<{ work: Work[]; slots: SlotTask[] }> {
  const at = now.getTime();
  const upcoming = timetable.sessions.some((s) => s.status === 'scheduled' && Date.parse(s.startsAt) > at) ||
    (timetable.window !== undefined && Date.parse(timetable.window.closes) + 2 * 24 * 3600_000 > at);
  if (!upcoming) return { work: [], slots: [] };
  const { seriesId } = timetable;
  const custom = await getCustomOffsets(deps.readModels, seriesId);
  const offsets = [...new Set([...timetable.reminderOffsets, ...custom.flatMap((c) => c.offsets)])];
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
  const itemsOf = new Map<string, Promise<Map<string, LedgerItem>>>();
  const ledgerOf = (slotKey: string) => {
    let known = itemsOf.get(slotKey);
    if (!known) {
      known = deps.ledger.items(ledgerKeys.remindersOf(seriesId, slotKey)).then((items) => new Map(items.map((i) => [i.sk, i])));
      itemsOf.set(slotKey, known);
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
      if (!candidates.has(slot.key)) continue;
      const item = (await ledgerOf(slot.key)).get(entry.memberId);
      if (item?.sent) continue;
      const endsAt = slot.sessionId ? sessionOf(ctx.schedule, slot.sessionId)?.endsAt ?? slot.until : slot.until;
      work.push({
        kind: 'reminder',
        seriesId,
        memberId: entry.memberId,
        slot,
        key: ledgerKeys.reminder(seriesId, slot.key, entry.memberId),
        rank: 1,
        expiresAt: keepUntil(endsAt),
        madeFrom: madeFrom(ctx.version, ctx.rosterVersions.get(entry.memberId) ?? 0),
        ...(item?.failure ? { failure: item.failure } : {}),
        ...(item?.unreadable ? { unreadable: item.unreadable } : {}),
      });
    }
  }
  // A slot is finished once it is past due in every zone; members who were due have their work above.
  const slots = [...candidates.values()]
    .filter((slot) => Date.parse(slot.dueAt) + ZONE_SLACK_MS <= at)
    .map((slot) => ({ seriesId, slotKey: slot.key, expiresAt: keepUntil(slot.until) }));
  return { work, slots };
}

function sessionOf(schedule: SeriesSchedule, sessionId: string): ScheduledSession | undefined {
  return schedule.sessions.find((s) => s.sessionId === sessionId);
}

/** A fixed span after an instant (no calendar arithmetic: asked once per planned mail). */
function keepUntil(instant: string): Date {
  return new Date(Date.parse(instant) + KEEP_AFTER_SESSION_MS);
}

