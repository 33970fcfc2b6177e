/**
 * Bounces and complaints from SES, as SNS delivers them: parse one notification (the JSON of
 * an SNS message) and act on it. Permanent bounces and complaints suppress every listed
 * recipient; a complaint also unsubscribes the member with that address from all mail (an
 * event on the member stream). Transient and undetermined bounces suppress nothing.
 *
 * Bad input never throws: SNS (through Lambda's retries) would deliver it again and again.
 * Unknown notification types are ignored and malformed messages skipped, both logged without
 * the addresses in them. Only the stores' failures throw, so that Lambda retries; every step
 * is idempotent, so a retried or redelivered notification changes nothing more.
 */
// A namespace import: esbuild then keeps only the parts of zod in use (not its 64 locales).
import * as z from 'zod';
import { memberDecider, memberStreamId } from '../../events/member/index.js';
import type { ConveneEvent } from '../../events/registry.js';
import { DomainError } from '../../events/shared/errors.js';
import type { Actor } from '../../events/shared/event.js';
import { definedOnly } from '../../events/shared/objects.js';
import type { EventStore } from '../adapters/event-store/event-store.js';
import type { MemberDirectory } from '../adapters/members/member-directory.js';
import type { SuppressionList } from '../adapters/members/suppression-list.js';
import { handleCommand } from '../commands/command-handler.js';
import { memberEvents } from '../adapters/event-store/category-stores.js';

/** Who the feedback function's events are recorded as. */
export const SES_FEEDBACK_ACTOR: Actor = { kind: 'system', id: 'ses-feedback' };

export type BounceType = 'Permanent' | 'Transient' | 'Undetermined';

/** What one SES notification says, as far as Convene cares. */
export type SesNotification =
  | {
      readonly kind: 'bounce';
      readonly bounceType: BounceType;
      readonly bounceSubType?: string;
      readonly recipients: readonly string[];
      /** SES's id of the mail that bounced. */
      readonly messageId: string;
      readonly feedbackId?: string;
      /** When the bounce happened, if SES said so in a readable form. */
      readonly at?: Date;
    }
  | {
      readonly kind: 'complaint';
      readonly feedbackType?: string;
      readonly recipients: readonly string[];
      readonly messageId: string;
      readonly feedbackId?: string;
      readonly at?: Date;
    }
  /** Another notification type (Delivery, Send, Open, ...): nothing to do. */
  | { readonly kind: 'ignored'; readonly notificationType: string }
  /** Not an SES notification Convene can read: why, without any of the message's values. */
  | { readonly kind: 'malformed'; readonly problem: string };

/** An address as SES lists it: bare, or now and then as `Name <address>`. */
const Recipient = z.object({
  emailAddress: z
    .string()
    .trim()
    .max(400)
    .transform((text) => /<([^<>\s]+)>$/.exec(text)?.[1] ?? text)
    .pipe(z.string().regex(/^[^\s@]+@[^\s@]+$/, 'is not an email address')),
});
const Mail = z.object({ messageId: z.string().min(1).max(300) });
/** SES writes ISO 8601; anything else is kept out rather than failing the notification. */
const Timestamp = z
  .string()
  .optional()
  .transform((text) => {
    const date = text === undefined ? undefined : new Date(text);
    return date && !Number.isNaN(date.getTime()) ? date : undefined;
  });

/** Where SES lists the recipients, and the feedback's id and time: alike in bounces and complaints. */
const Recipients = z.array(Recipient).max(1000);
const feedbackFields = { feedbackId: z.string().min(1).max(300).optional(), timestamp: Timestamp };
const common = (recipients: readonly { emailAddress: string }[], feedback: { feedbackId?: string | undefined; timestamp?: Date | undefined }, mail: { messageId: string }) => ({
  recipients: recipients.map((r) => r.emailAddress),
  messageId: mail.messageId,
  ...definedOnly({ feedbackId: feedback.feedbackId, at: feedback.timestamp }),
});

const BounceNotification = z
  .object({
    mail: Mail,
    bounce: z.object({
      bounceType: z.enum(['Permanent', 'Transient', 'Undetermined']),
      bounceSubType: z.string().max(100).optional(),
      bouncedRecipients: Recipients,
      ...feedbackFields,
    }),
  })
  .transform(({ mail, bounce }): SesNotification => ({
    kind: 'bounce',
    bounceType: bounce.bounceType,
    ...definedOnly({ bounceSubType: bounce.bounceSubType }),
    ...common(bounce.bouncedRecipients, bounce, mail),
  }));

const ComplaintNotification = z
  .object({
    mail: Mail,
    complaint: z.object({ complainedRecipients: Recipients, complaintFeedbackType: z.string().max(100).optional(), ...feedbackFields }),
  })
  .transform(({ mail, complaint }): SesNotification => ({
    kind: 'complaint',
    ...definedOnly({ feedbackType: complaint.complaintFeedbackType }),
    ...common(complaint.complainedRecipients, complaint, mail),
  }));

/** The notification types Convene acts on; any other is ignored. */
const readers = new Map<string, z.ZodType<SesNotification, unknown>>([
  ['Bounce', BounceNotification],
  ['Complaint', ComplaintNotification],
]);

/** `notificationType` for identity notifications, `eventType` for configuration-set event publishing. */
const NotificationType = z.union([
  z.object({ eventType: z.string().min(1) }).transform((n) => n.eventType),
  z.object({ notificationType: z.string().min(1) }).transform((n) => n.notificationType),
]);

/** Where and what, never the value: a message's values may be addresses. */
const problemOf = (error: z.ZodError) => error.issues.map((issue) => `${issue.path.map(String).join('.') || '(root)'}: ${issue.message}`).join('; ');

/** Reads the Message of one SNS record from SES. Never throws. */
export function parseSesNotification(message: string): SesNotification {
  let json: unknown;
  try {
    json = JSON.parse(message);
  } catch {
    // The parser's message quotes the input; say no more than this.
    return { kind: 'malformed', problem: 'not JSON' };
  }
  const type = NotificationType.safeParse(json);
  if (!type.success) return { kind: 'malformed', problem: 'no eventType or notificationType' };
  const reader = readers.get(type.data);
  if (!reader) return { kind: 'ignored', notificationType: type.data.slice(0, 100) };
  const parsed = reader.safeParse(json);
  return parsed.success ? parsed.data : { kind: 'malformed', problem: problemOf(parsed.error) };
}

/** The part of a logger this needs; Powertools' Logger is one. */
export interface FeedbackLogger {
  info(message: string, attributes: Record<string, unknown>): void;
  warn(message: string, attributes: Record<string, unknown>): void;
}

export interface FeedbackDeps {
  readonly suppressions: Pick<SuppressionList, 'suppress'>;
  readonly members: Pick<MemberDirectory, 'memberIdForEmail'>;
  readonly store: EventStore<ConveneEvent>;
  readonly logger: FeedbackLogger;
  /** When a notification that does not say when is taken to have happened. */
  readonly now: () => Date;
}

/** What handling one notification did. */
export type FeedbackOutcome =
  | { readonly action: 'suppressed'; readonly suppressed: number; readonly unsubscribed: number }
  | { readonly action: 'skipped'; readonly reason: 'not-permanent' | 'ignored-type' | 'malformed' };

/**
 * Handles the Message of one SNS record. `snsMessageId` identifies the delivery: SNS keeps it
 * when it redelivers. Throws only when a store fails.
 */
export async function handleSesNotification(deps: FeedbackDeps, message: string, snsMessageId: string): Promise<FeedbackOutcome> {
  const { logger } = deps;
  const notification = parseSesNotification(message);
  switch (notification.kind) {
    case 'malformed':
      logger.warn('skipped a malformed SES notification', { snsMessageId, problem: notification.problem });
      return { action: 'skipped', reason: 'malformed' };
    case 'ignored':
      logger.info('ignored an SES notification of another type', { snsMessageId, notificationType: notification.notificationType });
      return { action: 'skipped', reason: 'ignored-type' };
    case 'bounce': {
      const about = { snsMessageId, messageId: notification.messageId, bounceType: notification.bounceType, bounceSubType: notification.bounceSubType, recipients: notification.recipients.length };
      if (notification.bounceType !== 'Permanent') {
        // SES may still deliver later (mailbox full, greylisting...): keep sending.
        logger.info('bounce not permanent: nothing suppressed', about);
        return { action: 'skipped', reason: 'not-permanent' };
      }
      const at = notification.at ?? deps.now();
      for (const email of notification.recipients) await deps.suppressions.suppress(email, 'bounce', at, notification.bounceSubType);
      logger.info('suppressed permanently bounced addresses', about);
      return { action: 'suppressed', suppressed: notification.recipients.length, unsubscribed: 0 };
    }
    case 'complaint': {
      const at = notification.at ?? deps.now();
      let unsubscribed = 0;
      for (const email of notification.recipients) {
        await deps.suppressions.suppress(email, 'complaint', at, notification.feedbackType);
        if (await unsubscribeMember(deps, email, notification, snsMessageId)) unsubscribed++;
      }
      logger.info('suppressed complaining addresses', {
        snsMessageId,
        messageId: notification.messageId,
        feedbackType: notification.feedbackType,
        recipients: notification.recipients.length,
        unsubscribed,
      });
      return { action: 'suppressed', suppressed: notification.recipients.length, unsubscribed };
    }
  }
}

/**
 * Unsubscribes the member with this address from all mail, if there is one and they are not
 * unsubscribed already. True when this call appended the event.
 */
async function unsubscribeMember(
  deps: FeedbackDeps,
  email: string,
  complaint: Extract<SesNotification, { kind: 'complaint' }>,
  snsMessageId: string,
): Promise<boolean> {
  const memberId = await deps.members.memberIdForEmail(email);
  if (!memberId) {
    deps.logger.info('complaint from an address that is no member', { snsMessageId, messageId: complaint.messageId });
    return false;
  }
  const cause = complaint.feedbackId ?? snsMessageId;
  try {
    const result = await handleCommand({
      store: memberEvents(deps.store),
      decider: memberDecider,
      streamId: memberStreamId(memberId),
      command: { type: 'Unsubscribe', memberId, via: 'complaint' },
      context: {
        actor: SES_FEEDBACK_ACTOR,
        now: deps.now,
        correlationId: complaint.messageId,
        causationId: cause,
        // The decider appends nothing for a member unsubscribed already; the key also keeps a
        // redelivery from acting again should the member have subscribed since.
        idempotencyKey: `ses-feedback:${cause}:${memberId}`,
      },
    });
    return result.events.length > 0 && !result.replayed;
  } catch (error) {
    // The command itself was refused (a member id the domain does not accept): retrying cannot help.
    if (!(error instanceof DomainError)) throw error;
    deps.logger.warn('could not unsubscribe the complaining member', { snsMessageId, memberId, code: error.code, error: error.message });
    return false;
  }
}
