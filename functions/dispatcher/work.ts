/**
 * What a dispatcher tick works on: the mail it plans (./plan.ts, ./plan-recordings.ts) and
 * sends (./dispatch.ts), and the read models that mail is made from.
 */
import type { CertificateState } from '../../events/member/state.js';
import type { InviteMessage } from '../../events/delivery/invites.js';
import type { ReminderSlot } from '../../events/delivery/reminders.js';
import type { Ask, MemberRegistrations, ProjectedRegistration, RosterEntry } from '../../events/projections/member-registrations.js';
import type { SeriesSchedule } from '../../events/projections/schedule.js';
import { coversSession, seatsFor } from '../../events/projections/seats.js';
import type { DeliveryFailure } from '../adapters/deliveries/delivery-failures.js';
import type { DeliveryLedger, LedgerKey } from '../adapters/deliveries/delivery-ledger.js';
import type { ReadModelKey, ReadModelStore } from '../read-models/read-model-store.js';
import { getRoster, getSchedule } from '../read-models/queries.js';

interface WorkBase {
  readonly seriesId: string;
  readonly memberId: string;
  readonly key: LedgerKey;
  readonly rank: number;
  readonly expiresAt: Date;
  /** The failure the ledger item holds from an earlier attempt. */
  readonly failure?: DeliveryFailure;
  /** Why nothing may be sent over this item (its ledger record does not parse). */
  readonly unreadable?: string;
  /**
   * The versions of what the mail is made of (the series' schedule, the member's stream), as
   * `series@<v>/member@<v>`: with the member's directory record, a failed mail's basis.
   */
  readonly madeFrom: string;
}

export interface InviteWork extends WorkBase {
  readonly kind: 'invite';
  readonly sessionId: string;
  readonly message: InviteMessage;
  /** The last message this member got for the session was a REQUEST: this one updates it. */
  readonly update: boolean;
}

export interface ReminderWork extends WorkBase {
  readonly kind: 'reminder';
  readonly slot: ReminderSlot;
}

export interface RecordingWork extends WorkBase {
  readonly kind: 'recording';
  readonly sessionId: string;
  readonly slotKey: string;
}

/**
 * Mail about the member's own registrations (./plan-member-mail.ts): a confirmation link, a
 * change to accept, an organiser's welcome, their certificate of participation (about
 * `seriesId`), or a fresh manage link (about no series: `seriesId` is empty).
 */
export interface MemberMailWork extends WorkBase {
  readonly kind: 'confirmation' | 'change' | 'welcome' | 'certificate' | 'manage-link';
  readonly registration?: ProjectedRegistration;
  readonly certificate?: CertificateState;
  readonly ask?: Ask;
  readonly preferences: MemberRegistrations['preferences'];
  /** This kind's sends to the member in the last day (ISO instants), for the daily limit. */
  readonly recent: readonly string[];
}

export type Work = InviteWork | ReminderWork | RecordingWork | MemberMailWork;

/** What the work needs to be composed: the series as members see it, and its roster. */
export interface SeriesContext {
  readonly schedule: SeriesSchedule;
  /** The schedule's version: a failed mail is tried again once it moved. */
  readonly version: number;
  readonly roster: ReadonlyMap<string, RosterEntry>;
  /** Each roster entry's version (its member stream's). */
  readonly rosterVersions: ReadonlyMap<string, number>;
  /** Members with a seat, for sessions with a capacity (others seat everyone registered). */
  readonly seated: ReadonlyMap<string, ReadonlySet<string>>;
}

/** A queue item, done once every series it names was reconciled, and its member's own mail sent, without a failure. */
export interface QueueTask {
  readonly key: ReadModelKey;
  readonly version: number;
  readonly streamId: string;
  readonly seriesIds: readonly string[];
}

/** A reminder slot finished for everyone once its work succeeded (its last zone's due time is past). */
export interface SlotTask {
  readonly seriesId: string;
  readonly slotKey: string;
  readonly expiresAt: Date;
}

/**
 * A stream whose part of the plan failed this tick (a read model that does not fit, say):
 * nothing of that series (or member's queue item) is sent or finished; the next tick tries again.
 */
export interface PlanFailure {
  /** `series-<id>` or `member-<id>`. */
  readonly streamId: string;
  readonly reason: string;
}

export interface Plan {
  readonly work: readonly Work[];
  readonly contexts: ReadonlyMap<string, SeriesContext>;
  /** The schedules member mail is about (by series id). */
  readonly schedules: ReadonlyMap<string, SeriesSchedule>;
  readonly queue: readonly QueueTask[];
  readonly slots: readonly SlotTask[];
  readonly failures: readonly PlanFailure[];
}

export interface PlanDeps {
  readonly readModels: ReadModelStore;
  readonly ledger: DeliveryLedger;
}

export type ContextOf = (seriesId: string) => Promise<SeriesContext | undefined>;

/** Plans one stream's part; if it fails, the stream is reported and the plan goes on without it (`empty`). */
export type PerStream = <T>(streamId: string, empty: T, plan: () => Promise<T>) => Promise<T>;

export async function loadContext(readModels: ReadModelStore, seriesId: string): Promise<SeriesContext | undefined> {
  const [schedule, roster] = await Promise.all([
    getSchedule(readModels, seriesId),
    getRoster(readModels, seriesId),
  ]);
  if (!schedule) return undefined;
  const entries = roster.map(({ doc }) => doc);
  const seated = new Map(
    schedule.doc.sessions.filter((s) => s.capacity !== undefined).map((s) => [s.sessionId, new Set(seatsFor(s, entries).seated)] as const),
  );
  return {
    schedule: schedule.doc,
    version: schedule.version,
    roster: new Map(entries.map((e) => [e.memberId, e])),
    rosterVersions: new Map(roster.map(({ version, doc }) => [doc.memberId, version])),
    seated,
  };
}

/** The versions a series mail to a member is made of (WorkBase.madeFrom). */
export function madeFrom(seriesVersion: number, memberVersion: number): string {
  return `series@${seriesVersion}/member@${memberVersion}`;
}

/** Registered for the session, and seated where it has a capacity. */
export function attends(ctx: SeriesContext, entry: RosterEntry, sessionId: string): boolean {
  return coversSession(entry, sessionId) && (ctx.seated.get(sessionId)?.has(entry.memberId) ?? true);
}

/** What an error says, in one line of at most 300 characters. */
export function errorText(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return text.replace(/\s+/g, ' ').slice(0, 300);
}
