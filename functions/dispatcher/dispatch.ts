/**
 * One dispatcher tick: plan what is due (./plan.ts), then send each mail once: claim it in
 * the ledger, compose it, send it through SES at the allowed rate, record it. What cannot be
 * sent now (throttled, a failure SES may get over, the tick's time is up) is released and
 * comes back on the next tick; a queue item or reminder slot is finished only when all its
 * work went out.
 *
 * Never twice: a claim is a conditional write (./../adapters/deliveries/delivery-ledger.ts);
 * a second dispatcher finds the item claimed or sent and moves on. A dispatcher that dies
 * after claiming leaves a lease that runs out (`leaseMs`), then the item is sent by another.
 * The one window that can still send twice is between SES accepting a mail and the ledger
 * recording it (one DynamoDB write): a crash exactly there leaves a claimed item whose mail
 * went out, and it is sent again once the lease runs out.
 *
 * Failure is per mail: nothing about one mail (data no mail can be made of, an address SES
 * refuses, a ledger record that does not parse, a member with no address) stops another, in
 * this tick or later ones. Each is recorded on its ledger item with its reason
 * (../adapters/deliveries/delivery-failures.ts), listed for organisers, and held until what
 * the mail is made of changes (`basisOf`); a series whose planning fails is left out of this
 * tick alone (./plan.ts). A tick always finishes.
 */
import { createHash, randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { isSingleAddress } from '../../events/shared/values.js';
import { normaliseEmail, type MemberRecord, type MemberDirectory } from '../adapters/members/member-directory.js';
import type { SuppressionList } from '../adapters/members/suppression-list.js';
import { ledgerKeys, type DeliveryLedger } from '../adapters/deliveries/delivery-ledger.js';
import { RETRY_OF, type FailureCode, type FailureNote } from '../adapters/deliveries/delivery-failures.js';
import { MailSendError, MailThrottledError, type Mailer } from '../adapters/mailer/mailer.js';
import type { ReadModelStore } from '../read-models/read-model-store.js';
import type { ComposeOptions } from '../mail/compose.js';
import { composeInviteMail } from '../mail/invite-mail.js';
import { composeReminderMail, type ReminderSpec } from '../mail/reminder-mail.js';
import { composeRecordingMail } from '../mail/recording-mail.js';
import { composeCertificateMail } from '../mail/certificate-mail.js';
import { unsubscribeLinks } from '../mail/unsubscribe-links.js';
import type { TokenSigner } from '../security/signed-token.js';
import { mapLimited } from '../map-limited.js';
import { offsetToSay } from '../../events/delivery/reminders.js';
import { planDispatch } from './plan.js';
import { errorText, type MemberMailWork, type Plan, type PlanFailure, type SeriesContext, type Work } from './work.js';
import type { SeriesSchedule } from '../../events/projections/schedule.js';
import { composeConfirmationMail } from '../mail/confirmation-mail.js';
import { composeChangeRequestMail, composeManageLinkMail, composeWelcomeMail } from '../mail/account-mail.js';
import { certificateVerificationUrl, memberJoinLinks, memberLinks } from '../links/member-links.js';
import type { ReplyAddresses } from '../inbound/reply-address.js';
import type { RosterEntry } from '../../events/projections/member-registrations.js';
import { createRateLimiter, type RateLimiter } from './rate-limiter.js';

export interface DispatcherDeps {
  readonly readModels: ReadModelStore;
  readonly ledger: DeliveryLedger;
  readonly members: MemberDirectory;
  readonly suppression: SuppressionList;
  readonly mailer: Mailer;
  readonly signer: TokenSigner;
  /** The ORGANIZER addresses that take members' REPLYs (RSVP=TRUE); absent: invitations ask for no answer. */
  readonly replyAddresses?: ReplyAddresses;
  readonly baseUrl: string;
  readonly compose: ComposeOptions;
  /** Mails per second this dispatcher may send (asked once per tick). */
  readonly sendRate: () => Promise<number>;
  /** How long a claim holds: longer than any tick runs. Default 5 minutes. */
  readonly leaseMs?: number;
  /** Sends in flight at once. Default 16 (DEFAULT_CONCURRENCY). */
  readonly concurrency?: number;
  /** Attempts of one send that SES throttles before the tick stops sending. Default 4. */
  readonly throttleAttempts?: number;
  readonly log?: (level: 'info' | 'warn' | 'error', message: string, detail?: Record<string, unknown>) => void;
}

export interface TickOptions {
  /** The tick's instant: what is due is due at this time (a simulated clock in tests). */
  readonly now: Date;
  /** Wall-clock time (ms since epoch) after which no new send starts (a Lambda's remaining time). */
  readonly deadline?: number;
}

/**
 * What became of one planned mail: `sent`; `taken` by another dispatcher; `skipped` (the
 * address is suppressed, or the series is gone); `deferred` to the next tick (throttled,
 * sending paused, out of time); `failed` for now (SES unreachable: the next tick tries again);
 * `rejected` (no mail can be made of it, or SES refused it: recorded, tried again once what it
 * is made of changes); `held` (rejected before, and nothing it is made of changed since).
 */
export type Outcome = 'sent' | 'taken' | 'skipped' | 'deferred' | 'failed' | 'rejected' | 'held';

export interface TickReport {
  readonly planned: number;
  readonly outcomes: Readonly<Record<Outcome, number>>;
  readonly invites: number;
  readonly reminders: number;
  /** "Recording available" mails. */
  readonly recordings: number;
  /** Mail about members' own registrations: confirmation links, changes to accept, welcomes, manage links. */
  readonly memberMail: number;
  readonly throttled: boolean;
  readonly queueDone: number;
  readonly slotsDone: number;
  /** Records refused because the lease had run out: each may be a mail sent twice. */
  readonly lostLeases: number;
  /** Failures recorded this tick, by reason (a held failure is not counted again). */
  readonly failures: Readonly<Partial<Record<FailureCode, number>>>;
  /** Series (or members' queue items) whose planning failed: nothing of them was sent this tick. */
  readonly planFailures: readonly PlanFailure[];
}

export interface Dispatcher {
  readonly owner: string;
  tick(options: TickOptions): Promise<TickReport>;
}

const DEFAULT_LEASE_MS = 5 * 60_000;
export const DEFAULT_CONCURRENCY = 16;
/** Work items walked in a row: about one grouped ledger claim (delivery-ledger.ts). */
const WORK_PAGE = 25;
/** Queue deletes and slot marks in flight at the end of a tick. */
const FINISH_CONCURRENCY = 16;

/** Whether anyone's attendance of a session is known, per series context of a tick (its roster is read once). */
const takenBySession = new WeakMap<object, Map<string, boolean>>();
function attendanceTaken(ctx: { readonly roster: ReadonlyMap<string, RosterEntry> }, sessionId: string): boolean {
  let known = takenBySession.get(ctx);
  if (!known) takenBySession.set(ctx, (known = new Map()));
  let taken = known.get(sessionId);
  if (taken === undefined) known.set(sessionId, (taken = [...ctx.roster.values()].some((e) => e.attended?.[sessionId] !== undefined)));
  return taken;
}

export function createDispatcher(deps: DispatcherDeps): Dispatcher {
  const owner = `${hostname()}:${process.pid}:${randomUUID()}`;
  const leaseMs = deps.leaseMs ?? DEFAULT_LEASE_MS;
  const log = deps.log ?? (() => {});

  async function tick(options: TickOptions): Promise<TickReport> {
    const started = Date.now();
    // The tick's clock: its `now`, advancing with the wall clock while the tick runs.
    const clock = () => new Date(options.now.getTime() + (Date.now() - started));
    const plan = await planDispatch(deps, options.now);
    for (const failure of plan.failures) log('error', 'could not plan this stream\'s mail: the next tick tries again', { ...failure });
    const outcomes: Record<Outcome, number> = { sent: 0, taken: 0, skipped: 0, deferred: 0, failed: 0, rejected: 0, held: 0 };
    const report: Counters = { invites: 0, reminders: 0, recordings: 0, memberMail: 0, throttled: false, lostLeases: 0, failures: {} };
    if (plan.work.length === 0) return finish(plan, [], outcomes, report);

    const limiter = createRateLimiter(await deps.sendRate());
    const records = await deps.members.getMany(plan.work.map((w) => w.memberId));
    const suppressed = await deps.suppression.suppressedAmong([...records.values()].flatMap((r) => (isSingleAddress(r.email) ? [r.email] : [])));
    let stopped = false;

    // Each dispatcher walks the work in its own random order of pages: twins running at once
    // meet only where their orders cross, and then a whole grouped claim fails in one request.
    const order = pagesInRandomOrder(plan.work.length, WORK_PAGE);
    const results: Outcome[] = new Array(plan.work.length);
    await mapLimited(order, deps.concurrency ?? DEFAULT_CONCURRENCY, async (index) => (results[index] = await send(plan.work[index]!)));
    report.throttled = stopped;
    return finish(plan, results, outcomes, report);

    /** What a mail is made of: its series' context (with the roster), or for mail about a member's registrations its schedule. */
    function madeOf(work: Work): Made | undefined {
      if (isMemberMail(work)) {
        if (work.kind === 'manage-link') return { kind: 'member' };
        const schedule = plan.schedules.get(work.seriesId);
        return schedule ? { kind: 'member', schedule } : undefined;
      }
      const ctx = plan.contexts.get(work.seriesId);
      return ctx ? { kind: 'series', ctx } : undefined;
    }

    /** One mail: whatever happens to it is its own outcome, never another's. */
    async function send(work: Work): Promise<Outcome> {
      let claimed = false;
      try {
        return await attempt(work, () => (claimed = true));
      } catch (error) {
        // A ledger write or a read that failed (DynamoDB busy, say): nothing was recorded; the
        // claim, if taken, is given back so the next tick tries again.
        log('error', 'mail failed unexpectedly; the next tick tries again', { key: work.key, error: errorText(error) });
        if (claimed) await deps.ledger.release(work.key, owner).catch(() => undefined);
        return 'failed';
      }
    }

    async function attempt(work: Work, onClaim: () => void): Promise<Outcome> {
      if (stopped || (options.deadline !== undefined && Date.now() > options.deadline)) return 'deferred';
      const made = madeOf(work);
      if (!made) return 'skipped';
      const member = records.get(work.memberId);
      const basis = basisOf(work, member);
      const note = (code: FailureCode, reason: string): FailureNote => ({
        code,
        reason: member ? withoutAddress(reason, member.email) : reason,
        kind: work.kind,
        seriesId: work.seriesId,
        memberId: work.memberId,
        ...(work.kind === 'reminder' ? { slot: work.slot.key, ...(work.slot.sessionId ? { sessionId: work.slot.sessionId } : {}) } : {}),
        ...(work.kind === 'invite' ? { sessionId: work.sessionId } : {}),
        ...(work.kind === 'recording' ? { sessionId: work.sessionId, slot: work.slotKey } : {}),
        basis,
        at: clock(),
      });
      /** A failure found before any claim: written once per cause, then only counted as held. */
      const noteOnce = async (code: FailureCode, reason: string, outcome: Outcome): Promise<Outcome> => {
        if (work.failure?.code === code && work.failure.basis === basis) return outcome === 'skipped' ? 'skipped' : 'held';
        if (await deps.ledger.note(work.key, note(code, reason), work.expiresAt)) counted(code);
        return outcome;
      };
      const counted = (code: FailureCode) => {
        report.failures[code] = (report.failures[code] ?? 0) + 1;
        log('warn', 'mail not sent', { key: work.key, code, retry: RETRY_OF[code] });
      };

      if (work.unreadable) return noteOnce('ledger-unreadable', `The delivery record ${work.key.pk} / ${work.key.sk} cannot be read (${work.unreadable}), so nothing is sent over it.`, 'rejected');
      if (!member) return noteOnce('no-address', 'The member has no record in the member directory, so there is no address to send to.', 'rejected');
      if (!isSingleAddress(member.email)) return noteOnce('no-address', "The member's record holds no usable mail address.", 'rejected');
      // An address that bounced or complained: nothing to send, nothing to retry while it stays so.
      if (suppressed.has(normaliseEmail(member.email))) return noteOnce('suppressed', 'The address bounced or complained, so SES is not asked to send to it.', 'skipped');
      // Refused before, and nothing the mail is made of changed since.
      if (work.failure?.retry === 'after-change' && work.failure.basis === basis) return 'held';

      if (!(await deps.ledger.claim(work.key, work.rank, { owner, now: clock(), leaseMs }, work.expiresAt))) return 'taken';
      onClaim();
      const failed = async (code: FailureCode, reason: string, outcome: Outcome): Promise<Outcome> => {
        if (await deps.ledger.fail(work.key, owner, note(code, reason), work.expiresAt)) counted(code);
        return outcome;
      };

      let raw: Buffer;
      try {
        raw = await compose(work, member, made, clock());
      } catch (error) {
        // Data no mail can be made of (a join link the composer refuses, say): kept with its
        // reason for the organiser, tried again once the series or the member changes.
        return failed('not-composed', `No mail could be made of it: ${errorText(error)}`, 'rejected');
      }
      const sent = await sendWithBackoff(raw, limiter);
      if (sent.outcome === 'deferred') {
        stopped = true;
        await deps.ledger.release(work.key, owner);
        return 'deferred';
      }
      if (sent.outcome === 'failed') return failed('send-failed', `SES could not be reached or failed: ${sent.reason}`, 'failed');
      if (sent.outcome === 'refused') {
        if (sent.scope === 'message') return failed('refused', `SES refused this mail (${sent.code}): ${sent.reason}`, 'rejected');
        // The sender is refused (account or configuration set paused...): no other mail would go either.
        stopped = true;
        log('error', 'SES refuses every send for now: the rest waits for the next tick', { code: sent.code });
        return failed('sending-paused', `SES refused to send anything (${sent.code}): ${sent.reason}`, 'deferred');
      }
      const sentAt = clock().toISOString();
      const recorded = await deps.ledger.record(work.key, owner, {
        rank: work.rank,
        messageId: sent.messageId,
        sentAt,
        ...(work.kind === 'invite' ? { detail: { ...work.message } } : {}),
        // Mail about the member's registrations keeps its sends of the last day, for its daily limit.
        ...(isMemberMail(work) ? { detail: { recent: [...work.recent, sentAt].join(' ') } } : {}),
      });
      if (!recorded) {
        report.lostLeases++;
        log('warn', 'lease ran out before the send was recorded: this mail may go twice', { key: work.key });
      }
      if (work.kind === 'invite') report.invites++;
      else if (work.kind === 'recording') report.recordings++;
      else if (work.kind === 'reminder') report.reminders++;
      else report.memberMail++;
      return 'sent';
    }
  }

  async function sendWithBackoff(
    raw: Buffer,
    limiter: RateLimiter,
  ): Promise<
    | { outcome: 'sent'; messageId: string }
    | { outcome: 'deferred' }
    | { outcome: 'failed'; reason: string }
    | { outcome: 'refused'; code: string; scope: 'message' | 'sender'; reason: string }
  > {
    const attempts = deps.throttleAttempts ?? 4;
    for (let attempt = 1; ; attempt++) {
      await limiter.take();
      try {
        const { messageId } = await deps.mailer.sendRaw(raw);
        return { outcome: 'sent', messageId };
      } catch (error) {
        if (error instanceof MailThrottledError) {
          if (attempt >= attempts) {
            log('warn', 'SES keeps throttling: the rest waits for the next tick', { code: error.code });
            return { outcome: 'deferred' };
          }
          // Exponential backoff with jitter, for every send of this dispatcher.
          limiter.pause(Math.min(10_000, 200 * 2 ** attempt) * (0.5 + Math.random() / 2));
          continue;
        }
        if (error instanceof MailSendError && !error.retryable) return { outcome: 'refused', code: error.code, scope: error.scope, reason: errorText(error.message) };
        log('warn', 'send failed; retried next tick', { error: errorText(error) });
        return { outcome: 'failed', reason: errorText(error) };
      }
    }
  }

  async function compose(work: Work, member: MemberRecord, made: Made, now: Date): Promise<Buffer> {
    if (isMemberMail(work)) return composeMemberMail(work, member, made.kind === 'member' ? made.schedule : undefined, now);
    if (made.kind !== 'series') throw new Error(`a ${work.kind} mail needs its series`);
    const { ctx } = made;
    const entry = ctx.roster.get(work.memberId);
    const { schedule } = ctx;
    const base = {
      to: { email: member.email, name: member.name },
      language: entry?.language ?? schedule.languages[0] ?? 'en',
      memberTimeZone: entry?.timeZone ?? schedule.timeZone,
      ...unsubscribeLinks(deps.signer, deps.baseUrl, { memberId: work.memberId, seriesId: work.seriesId, organiserEmail: schedule.organiser.email }, now),
      schedule,
      joinUrlVisible: true,
    };
    // The member's own join link for the session (it opens the meeting URL as it is then, and records the join).
    const sessionOf = (sessionId: string) => schedule.sessions.find((s) => s.sessionId === sessionId);
    const joinLink = memberJoinLinks(deps.signer, deps.baseUrl, work.memberId);
    const joinLinkOf = (session: SeriesSchedule['sessions'][number] | undefined) => (session?.joinUrl ? { joinLink: joinLink(work.seriesId, session) } : {});
    if (work.kind === 'invite') {
      const session = sessionOf(work.sessionId);
      const replyAddress = session && deps.replyAddresses?.address({ memberId: work.memberId, seriesId: work.seriesId, sessionId: work.sessionId }, new Date(session.createdAt));
      return composeInviteMail(
        { ...base, method: work.message.method, sessionId: work.sessionId, sequence: work.message.sequence, update: work.update, ...(replyAddress ? { replyAddress } : {}), ...joinLinkOf(session) },
        deps.compose,
      );
    }
    if (work.kind === 'recording') {
      // Split by who came, once anyone's attendance is known for the session (else nobody can tell).
      const attended = attendanceTaken(ctx, work.sessionId) ? { attended: entry?.attended?.[work.sessionId] !== undefined } : {};
      return composeRecordingMail({ ...base, sessionId: work.sessionId, baseUrl: deps.baseUrl, ...attended }, deps.compose);
    }
    const reminder = reminderSpec(work, now);
    return composeReminderMail({ ...base, reminder, ...(reminder.kind === 'before-session' ? joinLinkOf(sessionOf(reminder.sessionId)) : {}) }, deps.compose);
  }

  /** A confirmation link, a change to accept, an organiser's welcome, or a manage link. */
  async function composeMemberMail(work: MemberMailWork, member: MemberRecord, schedule: SeriesSchedule | undefined, now: Date): Promise<Buffer> {
    const links = memberLinks(deps.signer, deps.baseUrl);
    const { memberId } = work;
    const manageUrl = links.manage(memberId, now);
    const to = { email: member.email, name: member.name };
    if (work.kind === 'manage-link') {
      return composeManageLinkMail(
        {
          to,
          language: work.preferences.language ?? 'en',
          memberTimeZone: work.preferences.timeZone ?? 'UTC',
          manageUrl,
          // This mail is about no series: its one-click link stops all mail.
          unsubscribeUrl: links.unsubscribe({ memberId }, now),
          unsubscribeMailto: `mailto:${fromMailbox(deps.compose.from).email}?subject=${encodeURIComponent('Unsubscribe')}`,
          replyTo: fromMailbox(deps.compose.from),
        },
        deps.compose,
      );
    }
    if (work.kind === 'certificate') {
      if (!schedule) throw new Error(`series ${work.seriesId} has no schedule`);
      const { seriesId, registration, certificate } = work;
      return composeCertificateMail(
        {
          to,
          language: work.preferences.language ?? registration?.language ?? schedule.languages[0] ?? 'en',
          memberTimeZone: work.preferences.timeZone ?? registration?.timeZone ?? schedule.timeZone,
          ...unsubscribeLinks(deps.signer, deps.baseUrl, { memberId, seriesId, organiserEmail: schedule.organiser.email }, now),
          schedule,
          certificate: certificate!,
          verifyUrl: certificateVerificationUrl(deps.baseUrl, certificate!.certificateId),
        },
        deps.compose,
      );
    }
    const registration = work.registration!;
    if (!schedule) throw new Error(`series ${work.seriesId} has no schedule`);
    const { seriesId } = work;
    const ids = { memberId, seriesId, registrationId: registration.registrationId };
    const base = {
      to,
      // The member's own language and zone (a change asked for is not theirs until they accept it).
      language: work.preferences.language ?? registration.language,
      memberTimeZone: work.preferences.timeZone ?? registration.timeZone,
      manageUrl,
      // One-click: a mail about a registration leaves it.
      unsubscribeUrl: links.unregister(ids, now),
      unsubscribeMailto: `mailto:${schedule.organiser.email}?subject=${encodeURIComponent(`Unsubscribe ${seriesId}`)}`,
    };
    if (work.kind === 'confirmation') {
      const sessions = schedule.sessions
        .filter((s) => s.status === 'scheduled' && (registration.sessions === 'all' ? !registration.declined.includes(s.sessionId) : registration.sessions.includes(s.sessionId)))
        .map((s) => ({ title: s.title, startsAt: s.startsAt, endsAt: s.endsAt, timeZone: s.timeZone, status: s.status }));
      return composeConfirmationMail(
        {
          ...base,
          // The registration's language and zone: the member chose them with this request.
          language: registration.language,
          memberTimeZone: registration.timeZone,
          series: { title: schedule.title, languages: schedule.languages, organiser: schedule.organiser, kind: schedule.kind },
          sessions,
          confirmUrl: links.confirm({ ...ids, requestId: work.ask!.requestId }, now),
        },
        deps.compose,
      );
    }
    if (work.kind === 'change') {
      const change = registration.pendingChange!;
      return composeChangeRequestMail({ ...base, schedule, change, reviewUrl: links.change({ memberId, seriesId, requestId: change.requestId }, now) }, deps.compose);
    }
    // A welcome: a personal feed link if the member has none yet (an existing one is not kept in clear).
    const token = await deps.members.ensureFeedToken(memberId);
    return composeWelcomeMail(
      { ...base, schedule, sessions: registration.sessions, leaveUrl: links.unregister(ids, now), ...(token ? { feedUrl: links.feed(token) } : {}) },
      deps.compose,
    );
  }

  async function finish(plan: Plan, results: readonly Outcome[], outcomes: Record<Outcome, number>, report: Counters): Promise<TickReport> {
    for (const outcome of results) outcomes[outcome]++;
    // Work still owed keeps its queue item and slot for the next tick: deferred, failed, and
    // taken (another dispatcher holds it, and may die before sending; the next plan sees).
    // A rejected or held invitation is not owed: a change of what it is made of queues it
    // again. A rejected or held reminder keeps its slot open while the slot is useful, so a
    // fix made in time still reminds.
    const owedInvites = new Set<string>();
    const owedSlots = new Set<string>();
    const owedMembers = new Set<string>();
    plan.work.forEach((w, i) => {
      const result = results[i]!;
      const owed = ['deferred', 'failed', 'taken'].includes(result);
      if (isMemberMail(w)) {
        if (owed) owedMembers.add(`member-${w.memberId}`);
      } else if (w.kind === 'invite') {
        if (owed) owedInvites.add(w.seriesId);
      } else if (owed || result === 'rejected' || result === 'held') {
        owedSlots.add(`${w.seriesId}#${w.kind === 'recording' ? w.slotKey : w.slot.key}`);
      }
    });
    // Conditional deletes (only the version planned from), so not a BatchWriteItem: in parallel.
    // Each on its own: one that fails is done again on the next tick.
    const settled = <T>(what: string, work: () => Promise<T>) =>
      work().catch((error: unknown) => (log('warn', `could not ${what}; the next tick does it`, { error: errorText(error) }), undefined));
    const done = plan.queue.filter((task) => !owedMembers.has(task.streamId) && !task.seriesIds.some((id) => owedInvites.has(id)));
    const deleted = await mapLimited(done, FINISH_CONCURRENCY, (task) => settled('finish a queue item', () => deps.readModels.deleteAtVersion(task.key, task.version)));
    const queueDone = deleted.filter(Boolean).length;
    const finished = plan.slots.filter((slot) => !owedSlots.has(`${slot.seriesId}#${slot.slotKey}`));
    const marked = await mapLimited(finished, FINISH_CONCURRENCY, (slot) =>
      settled('mark a reminder slot done', () => deps.ledger.markDone(ledgerKeys.slot(slot.seriesId, slot.slotKey), new Date(), slot.expiresAt).then(() => true)),
    );
    const slotsDone = marked.filter(Boolean).length;
    if (plan.work.length > 0 || plan.failures.length > 0) {
      log('info', 'tick', { planned: plan.work.length, ...outcomes, queueDone, slotsDone, failures: report.failures, planFailures: plan.failures.length });
    }
    return { planned: plan.work.length, outcomes, ...report, queueDone, slotsDone, planFailures: plan.failures };
  }

  return { owner, tick };
}

interface Counters {
  invites: number;
  reminders: number;
  recordings: number;
  memberMail: number;
  throttled: boolean;
  lostLeases: number;
  failures: Partial<Record<FailureCode, number>>;
}

/**
 * What a mail to a member is made of, as a short string: the series (its schedule version),
 * the member's registration (their stream's version) and their directory record. A mail held
 * for a failure is tried again once this changes.
 */
export function basisOf(work: Pick<Work, 'madeFrom'>, member: MemberRecord | undefined): string {
  const record = member ? createHash('sha256').update(`${member.email}\n${member.name}`).digest('base64url').slice(0, 12) : 'none';
  return `${work.madeFrom}/record:${record}`;
}

/** A series mail's context, or for mail about a member's registrations the schedule it names (none for a manage link). */
type Made = { readonly kind: 'series'; readonly ctx: SeriesContext } | { readonly kind: 'member'; readonly schedule?: SeriesSchedule };

const MEMBER_MAIL_KINDS: ReadonlySet<Work['kind']> = new Set(['confirmation', 'change', 'welcome', 'certificate', 'manage-link']);
const isMemberMail = (work: Work): work is MemberMailWork => MEMBER_MAIL_KINDS.has(work.kind);

/** The mailbox of a From header such as `Convene <no-reply@convene.example.org>`. */
function fromMailbox(from: string): { name: string; email: string } {
  const m = /^\s*(.*?)\s*<([^<>]+)>\s*$/.exec(from);
  return m ? { name: m[1]!.replace(/^"|"$/g, ''), email: m[2]! } : { name: '', email: from.trim() };
}

/** A reason as organisers see it: the member's address never in it. */
function withoutAddress(reason: string, email: string): string {
  if (!email) return reason;
  return reason.replace(new RegExp(email.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'gi'), '<address>');
}

/** The indexes 0..n-1 in pages of `page` consecutive indexes, the pages in a random order. */
export function pagesInRandomOrder(n: number, page: number): number[] {
  const starts = Array.from({ length: Math.ceil(n / page) }, (_, i) => i * page);
  for (let i = starts.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [starts[i], starts[j]] = [starts[j]!, starts[i]!];
  }
  return starts.flatMap((start) => Array.from({ length: Math.min(page, n - start) }, (_, i) => start + i));
}

function reminderSpec(work: Extract<Work, { kind: 'reminder' }>, now: Date): ReminderSpec {
  const { slot } = work;
  // Sent late (the dispatcher was down): say the time really left.
  if (slot.kind === 'before-session') return { kind: 'before-session', sessionId: slot.sessionId!, offset: offsetToSay(slot, now.toISOString())! };
  if (slot.kind === 'dialogue-opens') return { kind: 'dialogue-opens' };
  return { kind: 'dialogue-closes', offset: slot.offset! };
}
