/**
 * The MIME bytes of a mail that carries an iTIP message (RFC 6047, iMIP): ./compose.ts's
 * envelope and guards, plus nodemailer MailComposer's `icalEvent`, which writes:
 *
 *   multipart/mixed
 *     multipart/alternative
 *       text/plain; charset=utf-8
 *       text/html; charset=utf-8
 *       text/calendar; charset=utf-8; method=REQUEST|CANCEL
 *     application/ics; name=invite.ics (attachment, base64): the same bytes
 *
 * RFC 6047 / the text/calendar registration: the `method` parameter MUST equal the object's
 * METHOD property; this checks that before anything is built.
 */
import { composeMime, type ComposeOptions, type OutgoingMail } from './compose.js';

export { isSingleAddress } from './compose.js';

export type ItipMethod = 'REQUEST' | 'CANCEL';

export interface OutgoingCalendarMail extends OutgoingMail {
  readonly calendar: {
    /** The iCalendar object's METHOD; becomes the `method=` parameter of the text/calendar part. */
    readonly method: ItipMethod;
    /** The iCalendar stream (CRLF line ends, folded), METHOD equal to `method`. */
    readonly content: string;
  };
}

/** The raw RFC 5322 message (CRLF line ends, 7-bit), ready for SES SendRawEmail. */
export async function composeCalendarMime(mail: OutgoingCalendarMail, options: ComposeOptions): Promise<Buffer> {
  const { method, content } = mail.calendar;
  if (method !== 'REQUEST' && method !== 'CANCEL') throw new TypeError(`not an iTIP method this mail sends: ${JSON.stringify(method)}`);
  const declared = /(?:^|\r\n)METHOD:([^\r\n]*)\r\n/.exec(content)?.[1];
  if (declared !== method) throw new TypeError(`the calendar's METHOD (${JSON.stringify(declared)}) is not ${method}`);
  return composeMime(mail, options);
}
