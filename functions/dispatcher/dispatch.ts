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
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { normaliseEmail, type MemberRecord, type MemberDirectory } from '../adapters/members/member-directory.js';
import type { SuppressionList } from '../adapters/members/suppression-list.js';
import { ledgerKeys, type DeliveryLedger } from '../adapters/deliveries/delivery-ledger.js';
import { MailSendError, MailThrottledError, type Mailer } from '../adapters/mailer/mailer.js';
import type { ReadModelStore } from '../adapters/read-models/read-model-store.js';
import type { ComposeOptions } from '../mail/compose.js';
import { composeInviteMail } from '../mail/invite-mail.js';
import { composeReminderMail, type ReminderSpec } from '../mail/reminder-mail.js';
import { composeRecordingMail } from '../mail/recording-mail.js';
import { unsubscribeLinks } from '../mail/unsubscribe-links.js';
import type { TokenSigner } from '../security/signed-token.js';
import { mapLimited } from '../map-limited.js';
import { offsetToSay } from '../../events/delivery/reminders.js';
import { planDispatch, type Plan, type SeriesContext, type Work } from './plan.js';
import { createRateLimiter, type RateLimiter } from './rate-limiter.js';

export interface DispatcherDeps {
  readonly readModels: ReadModelStore;
  readonly ledger: DeliveryLedger;
  readonly members: MemberDirectory;
  readonly suppression: SuppressionList;
  readonly mailer: Mailer;
  readonly signer: TokenSigner;
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

export type Outcome = 'sent' | 'taken' | 'skipped' | 'deferred' | 'failed' | 'rejected';

export interface TickReport {
  readonly planned: number;
  readonly outcomes: Readonly<Record<Outcome, number>>;
  readonly invites: number;
  readonly reminders: number;
  /** "Recording available" mails. */
  readonly recordings: number;
  readonly throttled: boolean;
  readonly queueDone: number;
  readonly slotsDone: number;
  /** Records refused because the lease had run out: each may be a mail sent twice. */
  readonly lostLeases: number;
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

export function createDispatcher(deps: DispatcherDeps): Dispatcher {
  const owner = `${hostname()}:${process.pid}:${randomUUID()}`;
  const leaseMs = deps.leaseMs ?? DEFAULT_LEASE_MS;
  const log = deps.log ?? (() => {});

  async function tick(options: TickOptions): Promise<TickReport> {
    const started = Date.now();
    // The tick's clock: its `now`, advancing with the wall clock while the tick runs.
    const clock = () => new Date(options.now.getTime() + (Date.now() - started));
    const plan = await planDispatch(deps, options.now);
    const outcomes: Record<Outcome, number> = { sent: 0, taken: 0, skipped: 0, deferred: 0, failed: 0, rejected: 0 };
    const report = { invites: 0, reminders: 0, recordings: 0, throttled: false, lostLeases: 0 };
    if (plan.work.length === 0) return finish(plan, [], outcomes, report);

    const limiter = createRateLimiter(await deps.sendRate());
    const records = await deps.members.getMany(plan.work.map((w) => w.memberId));
    const suppressed = await deps.suppression.suppressedAmong([...records.values()].map((r) => r.email));
    let stopped = false;

    // Each dispatcher walks the work in its own random order of pages: twins running at once
    // meet only where their orders cross, and then a whole grouped claim fails in one request.
    const order = pagesInRandomOrder(plan.work.length, WORK_PAGE);
    const results: Outcome[] = new Array(plan.work.length);
    await mapLimited(order, deps.concurrency ?? DEFAULT_CONCURRENCY, async (index) => (results[index] = await send(plan.work[index]!)));
    report.throttled = stopped;
    return finish(plan, results, outcomes, report);

    async function send(work: Work): Promise<Outcome> {
      if (stopped || (options.deadline !== undefined && Date.now() > options.deadline)) return 'deferred';
      const member = records.get(work.memberId);
      const ctx = plan.contexts.get(work.seriesId);
      // An erased member, an address that bounced or complained: nothing to send, nothing to retry.
      if (!member || !ctx || suppressed.has(normaliseEmail(member.email))) return 'skipped';
      if (!(await deps.ledger.claim(work.key, work.rank, { owner, now: clock(), leaseMs }, work.expiresAt))) return 'taken';

      let raw: Buffer;
      try {
        raw = await compose(work, member, ctx, clock());
      } catch (error) {
        // Data no mail can be made of (a broken address, say): logged, left for a fix, not retried in a loop.
        log('error', 'could not compose mail', { key: work.key, error: String(error) });
        await deps.ledger.record(work.key, owner, { rank: work.rank, messageId: `not-composed:${String(error).slice(0, 200)}`, sentAt: clock().toISOString() });
        return 'rejected';
      }
      const sent = await sendWithBackoff(raw, limiter);
      if (sent.outcome !== 'sent') {
        if (sent.outcome === 'rejected') {
          await deps.ledger.record(work.key, owner, { rank: work.rank, messageId: `rejected:${sent.code}`, sentAt: clock().toISOString() });
          return 'rejected';
        }
        if (sent.outcome === 'deferred') stopped = true;
        await deps.ledger.release(work.key, owner);
        return sent.outcome;
      }
      const recorded = await deps.ledger.record(work.key, owner, {
        rank: work.rank,
        messageId: sent.messageId,
        sentAt: clock().toISOString(),
        ...(work.kind === 'invite' ? { detail: { ...work.message } } : {}),
      });
      if (!recorded) {
        report.lostLeases++;
        log('warn', 'lease ran out before the send was recorded: this mail may go twice', { key: work.key });
      }
      if (work.kind === 'invite') report.invites++;
      else if (work.kind === 'recording') report.recordings++;
      else report.reminders++;
      return 'sent';
    }
  }

  async function sendWithBackoff(
    raw: Buffer,
    limiter: RateLimiter,
  ): Promise<{ outcome: 'sent'; messageId: string } | { outcome: 'deferred' | 'failed' } | { outcome: 'rejected'; code: string }> {
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
        if (error instanceof MailSendError && !error.retryable) return { outcome: 'rejected', code: error.code };
        log('warn', 'send failed; retried next tick', { error: String(error) });
        return { outcome: 'failed' };
      }
    }
  }

  function compose(work: Work, member: MemberRecord, ctx: SeriesContext, now: Date): Promise<Buffer> {
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
    if (work.kind === 'invite') {
      return composeInviteMail({ ...base, method: work.message.method, sessionId: work.sessionId, sequence: work.message.sequence }, deps.compose);
    }
    if (work.kind === 'recording') return composeRecordingMail({ ...base, sessionId: work.sessionId, baseUrl: deps.baseUrl }, deps.compose);
    return composeReminderMail({ ...base, reminder: reminderSpec(work, now) }, deps.compose);
  }

  async function finish(plan: Plan, results: readonly Outcome[], outcomes: Record<Outcome, number>, report: { invites: number; reminders: number; recordings: number; throttled: boolean; lostLeases: number }): Promise<TickReport> {
    for (const outcome of results) outcomes[outcome]++;
    // Work still owed keeps its queue item and slot for the next tick: deferred, failed, and
    // taken (another dispatcher holds it, and may die before sending; the next plan sees).
    const owedInvites = new Set<string>();
    const owedSlots = new Set<string>();
    plan.work.forEach((w, i) => {
      if (!['deferred', 'failed', 'taken'].includes(results[i]!)) return;
      if (w.kind === 'invite') owedInvites.add(w.seriesId);
      else owedSlots.add(`${w.seriesId}#${w.kind === 'recording' ? w.slotKey : w.slot.key}`);
    });
    // Conditional deletes (only the version planned from), so not a BatchWriteItem: in parallel.
    const done = plan.queue.filter((task) => !task.seriesIds.some((id) => owedInvites.has(id)));
    const deleted = await mapLimited(done, FINISH_CONCURRENCY, (task) => deps.readModels.deleteAtVersion(task.key, task.version));
    const queueDone = deleted.filter(Boolean).length;
    const finished = plan.slots.filter((slot) => !owedSlots.has(`${slot.seriesId}#${slot.slotKey}`));
    await mapLimited(finished, FINISH_CONCURRENCY, (slot) => deps.ledger.markDone(ledgerKeys.slot(slot.seriesId, slot.slotKey), new Date(), slot.expiresAt));
    const slotsDone = finished.length;
    if (plan.work.length > 0) log('info', 'tick', { planned: plan.work.length, ...outcomes, queueDone, slotsDone });
    return { planned: plan.work.length, outcomes, ...report, queueDone, slotsDone };
  }

  return { owner, tick };
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
