/**
 * Which calendar message (iTIP over mail) a member needs next for one session, from what the
 * session is now, whether the member should have it in their calendar, and what was last
 * sent to them. Pure: the dispatcher asks this for every member and session it reconciles.
 *
 * - Wanted in the calendar (registered, seated, mail allowed, session scheduled and not over):
 *   a REQUEST at the session's SEQUENCE, the one the feeds carry.
 * - No longer wanted (the session was cancelled, the member unregistered, lost their seat):
 *   a CANCEL, only if a REQUEST went out, at a SEQUENCE above it.
 * - A REQUEST after a CANCEL (registering again) must go above the CANCEL too, or calendars
 *   would ignore it as stale: the one case where the mail's SEQUENCE can run ahead of the feed.
 *   Each message keeps the session SEQUENCE it was made from (`basis`), so a later change of
 *   the session still sends a REQUEST (above the one sent) even while it runs ahead.
 *
 * Each message has a rank that only grows (SEQUENCE, then CANCEL above REQUEST); the ledger
 * records the rank sent and refuses to claim a lower or equal one, so a dispatcher with an
 * older view can never send a calendar back in time.
 */

export type InviteMethod = 'REQUEST' | 'CANCEL';

export interface InviteMessage {
  readonly method: InviteMethod;
  readonly sequence: number;
  /** The session's own SEQUENCE the message was made from (its details), when it differs. */
  readonly basis: number;
}

export interface InviteSession {
  readonly status: 'scheduled' | 'cancelled';
  readonly sequence: number;
  /** UTC instant. */
  readonly endsAt: string;
}

export const inviteRank = (message: InviteMessage): number => message.sequence * 2 + (message.method === 'CANCEL' ? 1 : 0);

export function nextInvite(input: {
  readonly session: InviteSession;
  /** Registered, seated and mail allowed. */
  readonly wanted: boolean;
  readonly sent?: InviteMessage;
  /** UTC instant. */
  readonly now: string;
}): InviteMessage | undefined {
  const { session, sent } = input;
  // A session that is over is left as it is in calendars.
  if (Date.parse(session.endsAt) <= Date.parse(input.now)) return undefined;
  if (input.wanted && session.status === 'scheduled') {
    // Up to date when the last REQUEST was made from the session as it is now.
    if (sent?.method === 'REQUEST' && sent.basis >= session.sequence) return undefined;
    return above(sent, { method: 'REQUEST', sequence: session.sequence, basis: session.sequence });
  }
  if (sent?.method !== 'REQUEST') return undefined;
  return above(sent, { method: 'CANCEL', sequence: session.sequence, basis: session.sequence });
}

/** Every message after the first goes out at a higher SEQUENCE than the last one sent. */
function above(sent: InviteMessage | undefined, message: InviteMessage): InviteMessage {
  return sent ? { ...message, sequence: Math.max(message.sequence, sent.sequence + 1) } : message;
}
