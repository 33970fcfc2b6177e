/**
 * The reader of the mail a calendar app sends when a member presses Yes, Maybe or No on one of
 * our invitations: an iTIP REPLY (RFC 5546) by mail (RFC 6047, iMIP), sent to the invitation's
 * ORGANIZER, a signed address Convene receives (./reply-address.ts). Pure: raw bytes in, the
 * answer out, or a DroppedMailError naming why the mail is not one (./reply-errors.ts); the
 * handler checks the address, the member and the session.
 *
 * In order:
 * - Size, on the raw bytes before anything is parsed: a 20 MB mail is refused at once.
 * - Mail loops. `Auto-Submitted` other than `no` (RFC 3834: an out-of-office is `auto-replied`)
 *   and `Precedence: bulk|junk|list` are dropped, and so is a mail from one of our own
 *   addresses (our mail carries no marker header of its own; its From is ours). One value is let
 *   through: `auto-generated`, which Google Calendar puts on every answer it sends for a Gmail
 *   user (test/inbound/fixtures/README.md); an autoresponder's `auto-replied` is what loops.
 * - The calendar parts (./read-reply-mime.ts), each read on its own (./read-reply-calendar.ts).
 *   Gmail sends the same object twice (the text/calendar alternative and invite.ics): parts that
 *   read the same are one answer, parts that read differently are ambiguous.
 *
 * The messages of the errors never hold an address: the local part of the reply address is a
 * credential, and the other addresses are personal data.
 */
import { addressesIn, readMailParts, type MailParts } from './read-reply-mime.js';
import { readCalendar, type CalendarReading, type ReplyStatus } from './read-reply-calendar.js';
import { DroppedMailError, loggable } from './reply-errors.js';

export { DroppedMailError, InboundMailError, type DropReason } from './reply-errors.js';
export { MAX_COMMENT_CHARS, type ReplyStatus } from './read-reply-calendar.js';

/** The largest raw mail read (SES receiving takes up to 40 MB; invitations' answers are a few kB). */
export const MAX_INBOUND_BYTES = 10 * 1024 * 1024;

export interface InboundReply {
  /** The Message-ID header, without its angle brackets. */
  readonly messageId: string | undefined;
  /** The From address, lower-cased. */
  readonly from: string | undefined;
  /** Lower-cased, without repeats: To, Cc, Delivered-To, X-Original-To, X-Forwarded-To, then the ORGANIZER's address. */
  readonly recipients: readonly string[];
  readonly uid: string;
  /** 0 when absent. */
  readonly sequence: number;
  /** ISO 8601, UTC (`toISOString`). */
  readonly dtstamp: string;
  /** The ORGANIZER's mailto: address, lower-cased (Outlook and Exchange send none). */
  readonly organizer: string | undefined;
  /** The one ATTENDEE whose PARTSTAT is an answer; its address lower-cased. */
  readonly attendee: { readonly email: string; readonly status: ReplyStatus; readonly comment?: string };
}

export interface ReadReplyOptions {
  /** Larger mails are refused unread (default MAX_INBOUND_BYTES). */
  readonly maxBytes?: number;
  /** Our sending addresses: a mail from one of them is our own come back. */
  readonly ourAddresses?: readonly string[];
}

const RECIPIENT_FIELDS = ['to', 'cc', 'delivered-to', 'x-original-to', 'x-forwarded-to'];

export async function readReply(raw: Uint8Array, options: ReadReplyOptions = {}): Promise<InboundReply> {
  const maxBytes = options.maxBytes ?? MAX_INBOUND_BYTES;
  if (!Number.isSafeInteger(maxBytes) || maxBytes <= 0) throw new RangeError(`maxBytes must be a positive whole number: ${maxBytes}`);
  if (raw.byteLength > maxBytes) throw new DroppedMailError('too-large', `the mail is ${raw.byteLength} bytes, over ${maxBytes}`);

  const mail = await readMailParts(Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength));
  const from = mail.addresses('from')[0];
  refuseLoops(mail, from, options.ourAddresses ?? []);
  if (mail.calendars.length === 0) throw new DroppedMailError('no-calendar', 'the mail has no text/calendar or .ics part');
  const reading = oneReading(mail.calendars.map((part) => attempt(() => readCalendar(part.text, part.method))));

  return {
    messageId: mail.messageId,
    from,
    recipients: [...new Set([...mail.addresses(...RECIPIENT_FIELDS), ...(reading.organizer ? [reading.organizer] : [])])],
    uid: reading.uid,
    sequence: reading.sequence,
    dtstamp: reading.dtstamp,
    organizer: reading.organizer,
    attendee: reading.attendee,
  };
}

function refuseLoops(mail: MailParts, from: string | undefined, ourAddresses: readonly string[]): void {
  for (const value of mail.values('auto-submitted')) {
    const kind = value.split(';')[0]!.trim().toLowerCase();
    if (kind !== 'no' && kind !== 'auto-generated') throw new DroppedMailError('mail-loop', `Auto-Submitted is ${loggable(kind)}`);
  }
  for (const value of mail.values('precedence')) {
    const kind = value.trim().toLowerCase();
    if (kind === 'bulk' || kind === 'junk' || kind === 'list') throw new DroppedMailError('mail-loop', `Precedence is ${kind}`);
  }
  if (from !== undefined) {
    const ours = new Set(ourAddresses.flatMap((address) => (address.includes('<') ? addressesIn(address) : [address.trim().toLowerCase()])));
    if (ours.has(from)) throw new DroppedMailError('mail-loop', 'the mail is from one of our own addresses');
  }
}

type Attempt = { readonly reading: CalendarReading } | { readonly error: DroppedMailError };

function attempt(read: () => CalendarReading): Attempt {
  try {
    return { reading: read() };
  } catch (error) {
    if (error instanceof DroppedMailError) return { error };
    throw error;
  }
}

/** The one answer of the mail's calendar parts: all read alike, or all refused for one reason. */
function oneReading(attempts: readonly Attempt[]): CalendarReading {
  const readings = attempts.flatMap((a) => ('reading' in a ? [a.reading] : []));
  const errors = attempts.flatMap((a) => ('error' in a ? [a.error] : []));
  if (readings.length === 0 && new Set(errors.map((e) => e.reason)).size === 1) throw errors[0]!;
  const keys = new Set(readings.map(readingKey));
  if (errors.length > 0 || keys.size > 1) throw new DroppedMailError('ambiguous', `the mail's ${attempts.length} calendar parts disagree`);
  return readings[0]!;
}

function readingKey(r: CalendarReading): string {
  return JSON.stringify([r.uid, r.sequence, r.dtstamp, r.organizer ?? null, r.attendee.email, r.attendee.status, r.attendee.comment ?? null]);
}
