/**
 * Why an inbound mail is not taken as an answer, as one typed error the reply handler maps to a
 * drop: the mail is set aside with its reason and the work behind it goes on (failure is per
 * item). The messages are for logs: they name what was wrong (a size, a METHOD, a count) and
 * never an address, a UID or a line of the mail, since the local part of the address a reply is
 * sent to is a credential.
 */

export type DropReason = 'too-large' | 'mail-loop' | 'no-calendar' | 'not-a-reply' | 'malformed-calendar' | 'ambiguous';

/** The base error of the inbound reader. */
export class InboundMailError extends Error {
  constructor(
    readonly reason: DropReason,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** A mail that must be dropped: it is not one readable iMIP REPLY to an invitation of ours. */
export class DroppedMailError extends InboundMailError {}

/**
 * A header or calendar token fit to echo in a message (`COUNTER`, `auto-replied`, `bulk`):
 * anything longer or with other characters is named only as unreadable.
 */
export function loggable(token: string): string {
  const trimmed = token.trim();
  return /^[A-Za-z0-9._-]{1,32}$/.test(trimmed) ? trimmed : '(unreadable)';
}
