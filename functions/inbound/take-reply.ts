/**
 * The inbound handler: S3 says a received mail arrived under `inbound/`; if it is a member's
 * answer from their calendar app (an iMIP REPLY to an invitation's reply address), append it.
 *
 * Every check must agree before anything is appended: the mail is a REPLY (./read-reply.ts);
 * its UID is one of our sessions; the reply address it was sent to verifies for that session
 * and names a member (./reply-address.ts); the ATTENDEE who answered is that member's address;
 * the session exists and has not ended. Anything else (a forged or expired address, another
 * UID, a COUNTER, a malformed calendar, a 20 MB mail, an auto-reply) is dropped with one log
 * line naming the reason, never the address. A reply delivered twice appends once: the member
 * decider orders answers by the REPLY's DTSTAMP.
 */
import type { S3Event } from 'aws-lambda';
import { memberDecider, memberStreamId } from '../../events/member/index.js';
import type { InvitationAnswer } from '../../events/member/events.js';
import type { ConveneEvent } from '../../events/registry.js';
import { NotFoundError } from '../../events/shared/errors.js';
import type { EventStore } from '../adapters/event-store/event-store.js';
import { memberEvents } from '../adapters/event-store/category-stores.js';
import { INBOUND_PREFIX, type InboundMailStore } from '../adapters/inbound-mail/inbound-mail-store.js';
import { normaliseEmail, type MemberDirectory } from '../adapters/members/member-directory.js';
import { handleCommand } from '../commands/command-handler.js';
import type { ReadModelReader } from '../read-models/read-model-store.js';
import { getSchedule } from '../read-models/queries.js';
import { decodeNotificationKey } from '../recordings/object-keys.js';
import { DroppedMailError, MAX_INBOUND_BYTES, readReply, type InboundReply } from './read-reply.js';
import { ReplyAddressError, type ReplyAddresses } from './reply-address.js';

export type InboundOutcome = 'answered' | 'unchanged' | 'dropped' | 'ignored';

export interface InboundReport {
  readonly key: string;
  readonly outcome: InboundOutcome;
  /** Why it was dropped (a word, no address). */
  readonly reason?: string;
  readonly answer?: InvitationAnswer;
}

export interface InboundDeps {
  readonly store: EventStore<ConveneEvent>;
  readonly readModels: ReadModelReader;
  readonly members: Pick<MemberDirectory, 'get'>;
  readonly mail: InboundMailStore;
  readonly replyAddresses: ReplyAddresses;
  /** Addresses Convene sends from: a mail from one of them is a loop. */
  readonly ourAddresses: readonly string[];
  readonly now?: () => Date;
  readonly log?: (level: 'info' | 'warn' | 'error', message: string, detail?: Record<string, unknown>) => void;
}

/** `<session>@<series>.convene`, as functions/feeds/ical.ts's sessionUid writes it. */
const SESSION_UID = /^([A-Za-z0-9][A-Za-z0-9_-]{0,63})@([A-Za-z0-9][A-Za-z0-9_-]{0,63})\.convene$/;

const ANSWERS: Readonly<Record<InboundReply['attendee']['status'], InvitationAnswer>> = { ACCEPTED: 'accepted', TENTATIVE: 'tentative', DECLINED: 'declined' };

export function createInboundMailHandler(deps: InboundDeps) {
  const members = memberEvents(deps.store);
  const log = deps.log ?? (() => {});
  const now = deps.now ?? (() => new Date());

  async function takeMail(key: string, causationId: string): Promise<InboundReport> {
    const drop = (reason: string, detail?: string): InboundReport => {
      log('warn', 'inbound mail dropped', { key, reason, ...(detail ? { detail } : {}) });
      return { key, outcome: 'dropped', reason };
    };
    if (!key.startsWith(INBOUND_PREFIX)) return { key, outcome: 'ignored' };
    const size = await deps.mail.size(key);
    if (size === undefined) return { key, outcome: 'ignored' };
    if (size > MAX_INBOUND_BYTES) return drop('too-large', `${size} bytes, over ${MAX_INBOUND_BYTES}`);
    const raw = await deps.mail.read(key);
    if (!raw) return { key, outcome: 'ignored' };

    let reply: InboundReply;
    try {
      reply = await readReply(raw, { ourAddresses: deps.ourAddresses });
    } catch (error) {
      if (error instanceof DroppedMailError) return drop(error.reason, error.message);
      throw error;
    }
    const uid = SESSION_UID.exec(reply.uid);
    if (!uid) return drop('unknown-uid', 'the UID is not one of our sessions');
    const [, sessionId, seriesId] = uid as unknown as [string, string, string];

    // Every reply address the mail names must verify for this session and name one member.
    const candidates = [...new Set([...reply.recipients, ...(reply.organizer ? [reply.organizer] : [])])].filter((a) => deps.replyAddresses.isReplyAddress(a));
    if (candidates.length === 0) return drop('no-reply-address', 'sent to none of our reply addresses');
    const at = now();
    const named = new Set<string>();
    for (const address of candidates) {
      try {
        named.add(deps.replyAddresses.verify(address, { seriesId, sessionId }, at));
      } catch (error) {
        if (error instanceof ReplyAddressError) return drop(error.reason === 'expired' ? 'expired-address' : 'forged-address', error.message);
        throw error;
      }
    }
    if (named.size !== 1) return drop('ambiguous', 'the reply addresses name different members');
    const [memberId] = [...named] as [string];

    const member = await deps.members.get(memberId);
    if (!member) return drop('unknown-member', 'the member is gone');
    if (normaliseEmail(reply.attendee.email) !== normaliseEmail(member.email)) return drop('attendee-mismatch', 'the ATTENDEE who answered is not the member the address was made for');

    const schedule = (await getSchedule(deps.readModels, seriesId))?.doc;
    const session = schedule?.sessions.find((s) => s.sessionId === sessionId);
    if (!session) return drop('unknown-session', 'no such session');
    if (session.status === 'cancelled') return drop('session-cancelled', 'the session is cancelled');
    if (new Date(session.endsAt).getTime() <= at.getTime()) return drop('session-ended', 'the session has ended');

    const answer = ANSWERS[reply.attendee.status];
    try {
      const result = await handleCommand({
        store: members,
        decider: memberDecider,
        streamId: memberStreamId(memberId),
        command: { type: 'AnswerInvitation', memberId, seriesId, sessionId, answer, answeredAt: reply.dtstamp },
        context: { actor: { kind: 'member', id: memberId }, correlationId: causationId, causationId, now },
      });
      const appended = result.events.some((e) => e.type === 'InvitationAnswered');
      log('info', appended ? 'answer taken' : 'answer already known', { key, seriesId, sessionId, answer });
      return { key, outcome: appended ? 'answered' : 'unchanged', answer };
    } catch (error) {
      if (error instanceof NotFoundError) return drop('no-place', error.message);
      throw error;
    }
  }

  /** Every ObjectCreated record under `inbound/`; throws after trying all if any failed (S3 retries the invocation). */
  async function handle(event: S3Event): Promise<InboundReport[]> {
    const reports: InboundReport[] = [];
    const failures: unknown[] = [];
    for (const record of event.Records) {
      if (!record.eventName.startsWith('ObjectCreated:')) continue;
      const key = decodeNotificationKey(record.s3.object.key);
      try {
        reports.push(await takeMail(key, record.responseElements?.['x-amz-request-id'] ?? `s3:${key}`));
      } catch (error) {
        log('error', 'could not take inbound mail', { key, error: String(error) });
        failures.push(error);
      }
    }
    if (failures.length > 0) throw new AggregateError(failures, `${failures.length} of ${event.Records.length} mails could not be taken`);
    return reports;
  }

  return { handle, takeMail };
}
