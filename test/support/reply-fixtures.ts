/**
 * Raw iMIP REPLY mails (RFC 6047) as the calendar apps send them when a member presses Yes,
 * Maybe or No on an invitation, for the inbound reader's tests and the end-to-end tests that
 * drop the bytes into the inbound bucket. Deterministic: the same values give the same bytes
 * (ids and boundaries are hashed from the values, the Date is the DTSTAMP).
 *
 * Each client's shape (MIME tree, transfer encodings, header fields, PRODID, property order,
 * parameter spelling, folding) is modelled on a mail that client sent; the samples, what was
 * taken from each and what could not be found are listed in test/inbound/fixtures/README.md.
 * In short:
 * - gmail: Google Calendar answering for a Gmail user. multipart/mixed > multipart/alternative
 *   (text/plain base64 flowed, text/html quoted-printable, text/calendar; method=REPLY 7bit) +
 *   invite.ics (application/ics, base64, the same bytes). From the attendee, Sender Google
 *   Calendar, Auto-Submitted: auto-generated. Times in UTC, ORGANIZER echoed, X-NUM-GUESTS=0.
 * - outlook: Outlook / Exchange Online (Outlook.com). multipart/alternative (text/plain,
 *   text/html, text/calendar; charset="utf-8"; method=REPLY in base64), "Accepted: …" subject,
 *   PRODID Microsoft Exchange Server 2010, no ORGANIZER, `MAILTO:`, COMMENT;LANGUAGE=en-US,
 *   X-MICROSOFT-CDO-* properties, times in a TZID with its VTIMEZONE.
 * - apple: Apple Mail + iCal on macOS. multipart/alternative (text/plain flowed,
 *   multipart/mixed (text/html, iCal-….ics attachment: text/calendar with no method parameter,
 *   quoted-printable, CRLFs encoded), text/html), X-Mail-Calendar-Part: Yes. METHOD in the
 *   object only; CN always quoted.
 *
 * Every calendar is folded at 75 octets, so the long ORGANIZER (the reply address) and
 * ATTENDEE lines are folded, as the clients fold them. `options.editCalendar` changes the
 * unfolded content lines before folding and encoding, for a quirk (lower-case PARTSTAT, no
 * METHOD line) or a defect; `options.headers` adds header fields (Precedence, Auto-Submitted).
 */
import { createHash } from 'node:crypto';
import * as qp from 'nodemailer/lib/qp';

export type ReplyClient = 'gmail' | 'outlook' | 'apple';
export const REPLY_CLIENTS: readonly ReplyClient[] = ['gmail', 'outlook', 'apple'];

export type ReplyAnswer = 'ACCEPTED' | 'TENTATIVE' | 'DECLINED';
export const REPLY_ANSWERS: readonly ReplyAnswer[] = ['ACCEPTED', 'TENTATIVE', 'DECLINED'];

export interface ReplyValues {
  /** The invitation's ORGANIZER, where the REPLY is sent. */
  readonly replyAddress: string;
  readonly uid: string;
  /** The member's address. */
  readonly attendee: string;
  readonly attendeeName?: string;
  readonly status: ReplyAnswer;
  /** Default 0. */
  readonly sequence?: number;
  /** When the member answered; also the mail's Date (default 2027-01-12T09:30:00Z). */
  readonly dtstamp?: Date;
  /** The ORGANIZER's CN (default "Convene"). */
  readonly organiserName?: string;
  readonly summary?: string;
  readonly start?: Date;
  readonly end?: Date;
  /** The Message-ID, with or without angle brackets (default: one in the client's form, hashed from the values). */
  readonly messageId?: string;
  /** Outlook only: the words typed with "Edit the response before sending" (COMMENT). */
  readonly comment?: string;
}

export interface ReplyMailOptions {
  /** Changes the calendar's content lines (unfolded, without CRLF) before folding and encoding. */
  readonly editCalendar?: (lines: string[]) => string[];
  /** Gmail only: changes the invite.ics attachment's lines alone (after `editCalendar`). */
  readonly editAttachment?: (lines: string[]) => string[];
  /** Header fields added after the client's own. */
  readonly headers?: readonly (readonly [name: string, value: string])[];
  /** The `method=` of the calendar part's Content-Type; null leaves it out (default: the client's). */
  readonly contentTypeMethod?: string | null;
}

const DEFAULTS = {
  dtstamp: new Date('2027-01-12T09:30:00Z'),
  start: new Date('2027-01-20T14:00:00Z'),
  end: new Date('2027-01-20T15:00:00Z'),
  organiserName: 'Convene',
  summary: 'Care Economy lecture: live webinar',
};

type Filled = Required<Omit<ReplyValues, 'messageId' | 'comment' | 'attendeeName'>> &
  Pick<ReplyValues, 'messageId' | 'comment' | 'attendeeName'> & { readonly method: 'REPLY' | 'COUNTER' };

/** The raw mail (RFC 5322, CRLF) `client` sends for this answer. */
export function replyMail(client: ReplyClient, values: ReplyValues, options: ReplyMailOptions = {}): Buffer {
  return message(build(client, fill(values, 'REPLY'), options));
}

/**
 * Outlook's "Propose new time": METHOD:COUNTER (RFC 5546 §3.2.7) with the proposed times, the
 * attendee tentative, subject "New Time Proposed: …".
 */
export function counterMail(values: Omit<ReplyValues, 'status'> & { readonly proposedStart: Date; readonly proposedEnd: Date }): Buffer {
  const filled = fill({ ...values, status: 'TENTATIVE', start: values.proposedStart, end: values.proposedEnd }, 'COUNTER');
  return message(outlook(filled, {}));
}

/** `client`'s reply with its calendar broken: the DTSTAMP line has lost its colon. */
export function malformedCalendarMail(client: ReplyClient, values: ReplyValues): Buffer {
  return replyMail(client, values, { editCalendar: (lines) => lines.map((l) => (l.startsWith('DTSTAMP:') ? l.replace(':', ' ') : l)) });
}

/**
 * An Exchange out-of-office answer (RFC 3834: Auto-Submitted: auto-replied) to the reply
 * address: "Automatic reply: …", text and HTML, no calendar.
 */
export function autoReplyMail(values: Pick<ReplyValues, 'replyAddress' | 'attendee' | 'attendeeName' | 'organiserName' | 'summary' | 'dtstamp'>): Buffer {
  const filled = fill({ ...values, uid: 'out-of-office', status: 'DECLINED' }, 'REPLY');
  const id = ids(filled);
  const text = 'I am out of the office until Monday, with no access to mail.\r\n';
  return message({
    headers: [
      ['From', mailbox(filled.attendeeName, filled.attendee)],
      ['To', mailbox(filled.organiserName, filled.replyAddress)],
      ['Subject', word(`Automatic reply: Invitation: ${filled.summary}`)],
      ['Thread-Topic', word(`Invitation: ${filled.summary}`)],
      ['Date', mailDate(filled.dtstamp)],
      ['Message-ID', `<${id.outlookId}@${OUTLOOK_HOST}>`],
      ['Content-Language', 'en-US'],
      ['X-MS-Has-Attach', ''],
      ['X-Auto-Response-Suppress', 'All'],
      ['Auto-Submitted', 'auto-replied'],
      ['MIME-Version', '1.0'],
    ],
    type: `multipart/alternative; boundary="${id.outlookBoundary}"`,
    boundary: id.outlookBoundary,
    parts: [textPart('outlook', 'text/plain', text), textPart('outlook', 'text/html', `<html><body><p>${text.trim()}</p></body></html>\r\n`)],
  });
}

/**
 * Gmail's reply with a `bytes`-long attachment besides (default 20 MiB), built without encoding
 * anything: base64 lines of zeros.
 */
export function hugeMail(values: ReplyValues, bytes = 20 * 1024 * 1024): Buffer {
  const line = Buffer.from(`${'A'.repeat(76)}\r\n`);
  const big: Node = {
    headers: [['Content-Disposition', 'attachment; filename="recording.mp4"'], ['Content-Transfer-Encoding', 'base64']],
    type: 'video/mp4; name="recording.mp4"',
    body: Buffer.alloc(Math.ceil(bytes / line.length) * line.length, line),
  };
  const mail = gmail(fill(values, 'REPLY'), {});
  return message({ ...mail, parts: [...mail.parts!, big] });
}

// ---------------------------------------------------------------------------------------------
// The three clients

function build(client: ReplyClient, v: Filled, options: ReplyMailOptions): Node {
  if (v.comment !== undefined && client !== 'outlook') throw new RangeError(`no ${client} sample with a note was found: comment is Outlook's only`);
  const mail = client === 'gmail' ? gmail(v, options) : client === 'outlook' ? outlook(v, options) : apple(v, options);
  return { ...mail, headers: [...mail.headers, ...(options.headers ?? [])] };
}

const VERBS: Readonly<Record<ReplyClient, Readonly<Record<ReplyAnswer, string>>>> = {
  gmail: { ACCEPTED: 'Accepted', TENTATIVE: 'Tentatively Accepted', DECLINED: 'Declined' },
  outlook: { ACCEPTED: 'Accepted', TENTATIVE: 'Tentative', DECLINED: 'Declined' },
  apple: { ACCEPTED: 'Event accepted', TENTATIVE: 'Event tentatively accepted', DECLINED: 'Event declined' },
};

const PHRASES: Readonly<Record<ReplyAnswer, string>> = { ACCEPTED: 'accepted', TENTATIVE: 'tentatively accepted', DECLINED: 'declined' };

function gmail(v: Filled, options: ReplyMailOptions): Node {
  const id = ids(v);
  const lines = (options.editCalendar ?? same)([
    'BEGIN:VCALENDAR',
    'PRODID:-//Google Inc//Google Calendar 70.9054//EN',
    'VERSION:2.0',
    'CALSCALE:GREGORIAN',
    `METHOD:${v.method}`,
    'BEGIN:VEVENT',
    `DTSTART:${icalUtc(v.start)}`,
    `DTEND:${icalUtc(v.end)}`,
    `DTSTAMP:${icalUtc(v.dtstamp)}`,
    `ORGANIZER;CN=${param(v.organiserName)}:mailto:${v.replyAddress}`,
    `UID:${v.uid}`,
    `ATTENDEE;CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT;PARTSTAT=${v.status};CN=${param(v.attendeeName ?? v.attendee)};X-NUM-GUESTS=0:mailto:${v.attendee}`,
    `CREATED:${icalUtc(new Date(v.dtstamp.getTime() - 86_400_000))}`,
    'DESCRIPTION:',
    `LAST-MODIFIED:${icalUtc(v.dtstamp)}`,
    'LOCATION:',
    `SEQUENCE:${v.sequence}`,
    'STATUS:CONFIRMED',
    `SUMMARY:${text(v.summary)}`,
    'TRANSP:OPAQUE',
    'END:VEVENT',
    'END:VCALENDAR',
  ]);
  const ics = folded(lines);
  const attachment = options.editAttachment ? folded(options.editAttachment([...lines])) : ics;
  const who = v.attendeeName ?? v.attendee;
  const when = `${googleWhen(v.start, v.end)} (UTC)`;
  const plain = `${who} has ${PHRASES[v.status]} this invitation.\r\n\r\nTitle: ${v.summary}\r\nWhen: ${when}\r\nCalendar: ${v.organiserName}\r\n\r\nInvitation from Google Calendar: https://calendar.google.com/calendar/\r\n`;
  const html = `<span itemscope itemtype="http://schema.org/InformAction"><div><strong>${escapeHtml(who)} has ${PHRASES[v.status]} this invitation.</strong></div><h3>${escapeHtml(v.summary)}</h3><p>When: ${escapeHtml(when)}</p><p>Invitation from <a href="https://calendar.google.com/calendar/">Google Calendar</a></p></span>\r\n`;
  const method = options.contentTypeMethod === undefined ? v.method : options.contentTypeMethod;
  return {
    headers: [
      ['MIME-Version', '1.0'],
      ['Reply-To', v.attendee],
      ['Sender', 'Google Calendar <calendar-notification@google.com>'],
      ['Auto-Submitted', 'auto-generated'],
      ['Message-ID', v.messageId ?? `<${id.gmailId}@google.com>`],
      ['Date', mailDate(v.dtstamp)],
      ['Subject', word(`${VERBS.gmail[v.status]}: ${v.summary} @ ${googleWhen(v.start, v.end)} (UTC) (${v.organiserName})`)],
      ['From', v.attendeeName ? mailbox(v.attendeeName, v.attendee) : v.attendee],
      ['To', mailbox(v.organiserName, v.replyAddress)],
    ],
    type: `multipart/mixed; boundary="${id.gmailMixed}"`,
    boundary: id.gmailMixed,
    parts: [
      {
        headers: [],
        type: `multipart/alternative; boundary="${id.gmailAlternative}"`,
        boundary: id.gmailAlternative,
        parts: [
          { headers: [['Content-Transfer-Encoding', 'base64']], type: 'text/plain; charset="UTF-8"; format=flowed; delsp=yes', body: base64(plain) },
          { headers: [['Content-Transfer-Encoding', 'quoted-printable']], type: 'text/html; charset="UTF-8"', body: quotedPrintable(html) },
          { headers: [['Content-Transfer-Encoding', '7bit']], type: `text/calendar; charset="UTF-8"${method ? `; method=${method}` : ''}`, body: ics },
        ],
      },
      {
        headers: [['Content-Disposition', 'attachment; filename="invite.ics"'], ['Content-Transfer-Encoding', 'base64']],
        type: 'application/ics; name="invite.ics"',
        body: base64(attachment),
      },
    ],
  };
}

const OUTLOOK_SERVER = 'VI1PR09MB2942';
const OUTLOOK_HOST = `${OUTLOOK_SERVER}.eurprd09.prod.outlook.com`;

function outlook(v: Filled, options: ReplyMailOptions): Node {
  const id = ids(v);
  const verb = v.method === 'COUNTER' ? 'New Time Proposed' : VERBS.outlook[v.status];
  const busy = v.status === 'DECLINED' ? 'FREE' : v.status === 'TENTATIVE' ? 'TENTATIVE' : 'BUSY';
  const lines = (options.editCalendar ?? same)([
    'BEGIN:VCALENDAR',
    `METHOD:${v.method}`,
    'PRODID:Microsoft Exchange Server 2010',
    'VERSION:2.0',
    'BEGIN:VTIMEZONE',
    'TZID:UTC',
    'BEGIN:STANDARD',
    'DTSTART:16010101T000000',
    'TZOFFSETFROM:+0000',
    'TZOFFSETTO:+0000',
    'END:STANDARD',
    'BEGIN:DAYLIGHT',
    'DTSTART:16010101T000000',
    'TZOFFSETFROM:+0000',
    'TZOFFSETTO:+0000',
    'END:DAYLIGHT',
    'END:VTIMEZONE',
    'BEGIN:VEVENT',
    `ATTENDEE;PARTSTAT=${v.status};CN=${param(v.attendeeName ?? v.attendee)}:MAILTO:${v.attendee}`,
    `COMMENT;LANGUAGE=en-US:${v.comment === undefined ? '\\n' : text(v.comment)}`,
    `SUMMARY;LANGUAGE=en-US:${text(`${verb}: ${v.summary}`)}`,
    `DTSTART;TZID=UTC:${icalUtc(v.start).slice(0, -1)}`,
    `DTEND;TZID=UTC:${icalUtc(v.end).slice(0, -1)}`,
    `UID:${v.uid}`,
    'CLASS:PUBLIC',
    'PRIORITY:5',
    `DTSTAMP:${icalUtc(v.dtstamp)}`,
    'TRANSP:OPAQUE',
    'STATUS:CONFIRMED',
    `SEQUENCE:${v.sequence}`,
    'LOCATION;LANGUAGE=en-US:',
    `X-MICROSOFT-CDO-APPT-SEQUENCE:${v.sequence}`,
    `X-MICROSOFT-CDO-BUSYSTATUS:${busy}`,
    'X-MICROSOFT-CDO-INTENDEDSTATUS:BUSY',
    'X-MICROSOFT-CDO-ALLDAYEVENT:FALSE',
    'X-MICROSOFT-CDO-IMPORTANCE:1',
    'X-MICROSOFT-CDO-INSTTYPE:0',
    'X-MICROSOFT-DISALLOW-COUNTER:FALSE',
    'END:VEVENT',
    'END:VCALENDAR',
  ]);
  const note = v.comment === undefined ? '' : `${v.comment.replace(/\r?\n/g, '\r\n')}\r\n`;
  const method = options.contentTypeMethod === undefined ? v.method : options.contentTypeMethod;
  return {
    headers: [
      ['From', mailbox(v.attendeeName, v.attendee)],
      ['To', mailbox(v.organiserName, v.replyAddress)],
      ['Subject', word(`${verb}: ${v.summary}`)],
      ['Thread-Topic', word(v.summary)],
      ['Thread-Index', id.threadIndex],
      ['Date', mailDate(v.dtstamp)],
      ['Message-ID', v.messageId ?? `<${id.outlookId}@${OUTLOOK_HOST}>`],
      ['Accept-Language', 'en-US'],
      ['Content-Language', 'en-US'],
      ['X-MS-Has-Attach', ''],
      ['X-MS-TNEF-Correlator', ''],
      ['MIME-Version', '1.0'],
    ],
    type: `multipart/alternative; boundary="${id.outlookBoundary}"`,
    boundary: id.outlookBoundary,
    parts: [
      textPart('outlook', 'text/plain', note),
      textPart('outlook', 'text/html', `<html>\r\n<head>\r\n<meta http-equiv="Content-Type" content="text/html; charset=${/^[\x20-\x7e\r\n]*$/.test(note) ? 'us-ascii' : 'utf-8'}">\r\n</head>\r\n<body>\r\n${note ? `<div>${escapeHtml(note.trim())}</div>\r\n` : ''}</body>\r\n</html>\r\n`),
      { headers: [['Content-Transfer-Encoding', 'base64']], type: `text/calendar; charset="utf-8"${method ? `; method=${method}` : ''}`, body: base64(folded(lines)) },
    ],
  };
}

function apple(v: Filled, options: ReplyMailOptions): Node {
  const id = ids(v);
  const lines = (options.editCalendar ?? same)([
    'BEGIN:VCALENDAR',
    'PRODID:-//Apple Inc.//iCal 3.0//EN',
    'CALSCALE:GREGORIAN',
    'VERSION:2.0',
    `METHOD:${v.method}`,
    'BEGIN:VEVENT',
    `SEQUENCE:${v.sequence}`,
    `DTSTART:${icalUtc(v.start)}`,
    `UID:${v.uid}`,
    `ORGANIZER;CN="${quoted(v.organiserName)}":mailto:${v.replyAddress}`,
    `DTSTAMP:${icalUtc(v.dtstamp)}`,
    `SUMMARY:${text(v.summary)}`,
    `ATTENDEE;CN="${quoted(v.attendeeName ?? v.attendee)}";CUTYPE=INDIVIDUAL;PARTSTAT=${v.status};ROLE=REQ-PARTICIPANT:mailto:${v.attendee}`,
    `CREATED:${icalUtc(new Date(v.dtstamp.getTime() - 5_000))}`,
    `DTEND:${icalUtc(v.end)}`,
    'END:VEVENT',
    'END:VCALENDAR',
  ]);
  const file = `iCal-${icalUtc(v.dtstamp).slice(0, 15).replace('T', '-')}.ics`;
  const who = v.attendeeName ?? v.attendee;
  const sentence = `${who} has ${PHRASES[v.status]} your iCal event invitation to the event: ${v.summary}, scheduled for ${appleWhen(v.start)} (UTC).`;
  const html = (inner: string) =>
    `<html><body style="word-wrap: break-word; -webkit-nbsp-mode: space; -webkit-line-break: after-white-space; "><div>${inner}</div></body></html>`;
  const method = options.contentTypeMethod === undefined ? undefined : options.contentTypeMethod;
  return {
    headers: [
      ['Date', mailDate(v.dtstamp)],
      ['From', mailbox(v.attendeeName, v.attendee)],
      ['Subject', word(`${VERBS.apple[v.status]}: ${v.summary}`)],
      ['To', mailbox(v.organiserName, v.replyAddress)],
      ['Message-id', v.messageId ?? `<${id.appleId}@${v.attendee.slice(v.attendee.lastIndexOf('@') + 1)}>`],
      ['MIME-version', '1.0 (Apple Message framework v928.1)'],
      ['X-Mailer', 'Apple Mail (2.928.1)'],
      ['X-Mail-Calendar-Part', 'Yes'],
    ],
    type: `multipart/alternative; boundary=${id.appleOuter}`,
    boundary: id.appleOuter,
    parts: [
      flowedPart(sentence),
      {
        headers: [],
        type: `multipart/mixed;\r\n\tboundary=${id.appleInner}`,
        boundary: id.appleInner,
        parts: [
          textPart('apple', 'text/html', html(escapeHtml(sentence))),
          {
            lead: [['Content-Disposition', `attachment;\r\n\tfilename=${file}`]],
            headers: [['Content-Transfer-Encoding', 'quoted-printable']],
            type: `text/calendar;\r\n\tx-unix-mode=0644;${method ? `\r\n\tmethod=${method};` : ''}\r\n\tname="${file}"`,
            body: appleQuotedPrintable(folded(lines)),
          },
          textPart('apple', 'text/html', html('')),
        ],
      },
    ],
  };
}

// ---------------------------------------------------------------------------------------------
// MIME

interface Node {
  /** Header fields: after Content-Type in a part, before it in the message itself. */
  readonly headers: readonly (readonly [string, string])[];
  /** A part's fields before its Content-Type (Apple writes Content-Disposition first). */
  readonly lead?: readonly (readonly [string, string])[];
  /** The Content-Type value. */
  readonly type: string;
  readonly body?: string | Buffer;
  readonly boundary?: string;
  readonly parts?: readonly Node[];
}

function message(root: Node): Buffer {
  const chunks: Buffer[] = [];
  const write = (node: Node, root: boolean) => {
    const type = ['Content-Type', node.type] as const;
    const fields = root ? [...node.headers, type] : [...(node.lead ?? []), type, ...node.headers];
    const headers = fields.map(([name, value]) => (value ? `${name}: ${value}` : `${name}:`));
    chunks.push(Buffer.from(`${headers.join('\r\n')}\r\n\r\n`));
    if (node.parts) {
      for (const part of node.parts) {
        chunks.push(Buffer.from(`--${node.boundary}\r\n`));
        write(part, false);
        chunks.push(Buffer.from('\r\n'));
      }
      chunks.push(Buffer.from(`--${node.boundary}--\r\n`));
    } else {
      const body = node.body ?? '';
      chunks.push(typeof body === 'string' ? Buffer.from(body, 'utf8') : body);
    }
  };
  write(root, true);
  return Buffer.concat(chunks);
}

/**
 * A text part. Outlook: always quoted-printable, `charset="us-ascii"` when it can. Apple: 7bit
 * US-ASCII however long the lines (its HTML is one line), else UTF-8 quoted-printable.
 */
function textPart(client: 'outlook' | 'apple', type: 'text/plain' | 'text/html', body: string): Node {
  const ascii = /^[\x20-\x7e\r\n]*$/.test(body);
  if (client === 'outlook') {
    return { headers: [['Content-Transfer-Encoding', 'quoted-printable']], type: `${type}; charset="${ascii ? 'us-ascii' : 'utf-8'}"`, body: quotedPrintable(body) };
  }
  return ascii
    ? { headers: [['Content-Transfer-Encoding', '7bit']], type: `${type};\r\n\tcharset=US-ASCII`, body }
    : { headers: [['Content-Transfer-Encoding', 'quoted-printable']], type: `${type};\r\n\tcharset=utf-8`, body: quotedPrintable(body) };
}

/** Apple Mail's text part: format=flowed (RFC 3676), soft breaks after a space. */
function flowedPart(sentence: string): Node {
  const ascii = /^[\x20-\x7e]*$/.test(sentence);
  const lines: string[] = [];
  let line = '';
  for (const word of sentence.split(' ')) {
    if (line && line.length + word.length + 1 > 72) {
      lines.push(`${line} `);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  lines.push(line);
  const body = `${lines.join('\r\n')}\r\n`;
  return ascii
    ? { headers: [['Content-Transfer-Encoding', '7bit']], type: 'text/plain;\r\n\tcharset=US-ASCII;\r\n\tformat=flowed;\r\n\tdelsp=yes', body }
    : { headers: [['Content-Transfer-Encoding', 'quoted-printable']], type: 'text/plain;\r\n\tcharset=utf-8;\r\n\tformat=flowed', body: quotedPrintable(body) };
}

function base64(textOrBytes: string): string {
  const encoded = Buffer.from(textOrBytes, 'utf8').toString('base64');
  return `${encoded.replace(/.{76}/g, '$&\r\n').replace(/\r\n$/, '')}\r\n`;
}

function quotedPrintable(body: string): string {
  return qp.wrap(qp.encode(Buffer.from(body, 'utf8')), 76).replace(/\r?\n/g, '\r\n');
}

/**
 * How iCal 3 quoted-printed its .ics: every CR, LF, space and `=` encoded, so the object is one
 * stream of content lines packed into lines of at most 76 characters, broken after a content line
 * where the next one does not fit, else wherever the limit falls (never inside an =XX).
 */
function appleQuotedPrintable(ics: string): string {
  const encode = (s: string) =>
    [...Buffer.from(s, 'utf8')].map((b) => (b > 0x20 && b < 0x7f && b !== 0x3d ? String.fromCharCode(b) : `=${b.toString(16).toUpperCase().padStart(2, '0')}`));
  const tokens = ics.split(/(?<=\r\n)/).map(encode);
  const out: string[] = [];
  let line = '';
  for (const token of tokens) {
    if (line && line.length + token.join('').length > 75) {
      out.push(`${line}=`);
      line = '';
    }
    for (const piece of token) {
      if (line.length + piece.length > 75) {
        out.push(`${line}=`);
        line = '';
      }
      line += piece;
    }
  }
  out.push(`${line}=`);
  return `${out.join('\r\n')}\r\n`;
}

// ---------------------------------------------------------------------------------------------
// iCalendar and header text

const same = (lines: string[]) => lines;

/** Content lines folded at 75 octets (RFC 5545 §3.1), never inside a UTF-8 sequence, CRLF after each. */
function folded(lines: readonly string[]): string {
  return lines.map(fold).join('');
}

function fold(line: string): string {
  const out: string[] = [];
  let current = '';
  let size = 0;
  for (const char of line) {
    const octets = Buffer.byteLength(char, 'utf8');
    if (size + octets > 75) {
      out.push(current);
      current = ' ';
      size = 1;
    }
    current += char;
    size += octets;
  }
  out.push(current);
  return `${out.join('\r\n')}\r\n`;
}

/** A TEXT value (RFC 5545 §3.3.11). */
function text(value: string): string {
  return value.replace(/[\\;,]/g, (c) => `\\${c}`).replace(/\r?\n/g, '\\n');
}

/** A parameter value, quoted when it must be (Google and Exchange quote only then). */
function param(value: string): string {
  const clean = quoted(value);
  return /[;:,]/.test(clean) ? `"${clean}"` : clean;
}

/** The inside of a quoted parameter value: one line, no DQUOTE. */
function quoted(value: string): string {
  return value.replace(/[\p{Cc}]+/gu, ' ').replace(/"/g, "'");
}

function icalUtc(date: Date): string {
  return date.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const two = (n: number) => String(n).padStart(2, '0');

/** RFC 5322 date-time in UTC: `Tue, 12 Jan 2027 09:30:00 +0000`. */
function mailDate(date: Date): string {
  return `${DAYS[date.getUTCDay()]}, ${date.getUTCDate()} ${MONTHS[date.getUTCMonth()]} ${date.getUTCFullYear()} ${two(date.getUTCHours())}:${two(date.getUTCMinutes())}:${two(date.getUTCSeconds())} +0000`;
}

/** Google Calendar's `Wed Jan 20, 2027 2pm - 3pm`, in UTC. */
function googleWhen(start: Date, end: Date): string {
  const clock = (d: Date) => {
    const h = d.getUTCHours() % 12 || 12;
    return `${h}${d.getUTCMinutes() ? `:${two(d.getUTCMinutes())}` : ''}${d.getUTCHours() < 12 ? 'am' : 'pm'}`;
  };
  return `${DAYS[start.getUTCDay()]} ${MONTHS[start.getUTCMonth()]} ${start.getUTCDate()}, ${start.getUTCFullYear()} ${clock(start)} - ${clock(end)}`;
}

/** iCal's `January 20, 2027 at 2:00 PM`, in UTC. */
function appleWhen(date: Date): string {
  const month = new Intl.DateTimeFormat('en-US', { month: 'long', timeZone: 'UTC' }).format(date);
  const h = date.getUTCHours() % 12 || 12;
  return `${month} ${date.getUTCDate()}, ${date.getUTCFullYear()} at ${h}:${two(date.getUTCMinutes())} ${date.getUTCHours() < 12 ? 'AM' : 'PM'}`;
}

/** A header's unstructured text: as is when ASCII, else RFC 2047 B words (never splitting a character). */
function word(value: string): string {
  if (/^[\x20-\x7e]*$/.test(value)) return value;
  const words: string[] = [];
  let chunk = '';
  for (const char of value) {
    if (Buffer.byteLength(chunk + char, 'utf8') > 45) {
      words.push(chunk);
      chunk = '';
    }
    chunk += char;
  }
  words.push(chunk);
  return words.map((w) => `=?UTF-8?B?${Buffer.from(w, 'utf8').toString('base64')}?=`).join('\r\n ');
}

/** `Name <address>`, the name quoted when it has specials, encoded when it is not ASCII. */
function mailbox(name: string | undefined, address: string): string {
  if (!name) return address;
  if (!/^[\x20-\x7e]*$/.test(name)) return `${word(name)} <${address}>`;
  return /[()<>[\]:;@\\,."]/.test(name) ? `"${name.replace(/[\\"]/g, '\\$&')}" <${address}>` : `${name} <${address}>`;
}

function escapeHtml(value: string): string {
  return value.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
}

// ---------------------------------------------------------------------------------------------
// Values and ids

function fill(values: ReplyValues, method: Filled['method']): Filled {
  const sequence = values.sequence ?? 0;
  if (!Number.isSafeInteger(sequence) || sequence < 0) throw new RangeError(`sequence must be a whole number: ${sequence}`);
  const messageId = values.messageId === undefined ? undefined : `<${values.messageId.replace(/^<|>$/g, '')}>`;
  return {
    ...values,
    sequence,
    dtstamp: values.dtstamp ?? DEFAULTS.dtstamp,
    start: values.start ?? DEFAULTS.start,
    end: values.end ?? DEFAULTS.end,
    organiserName: values.organiserName ?? DEFAULTS.organiserName,
    summary: values.summary ?? DEFAULTS.summary,
    ...(messageId ? { messageId } : {}),
    method,
  };
}

/** Message-IDs, boundaries and Outlook's Thread-Index in each client's form, hashed from the values. */
function ids(v: Filled) {
  const hex = createHash('sha256')
    .update(JSON.stringify([v.replyAddress, v.uid, v.attendee, v.status, v.sequence, v.dtstamp.toISOString(), v.method, v.comment ?? null]))
    .digest('hex');
  const upper = hex.toUpperCase();
  const outlookId = `${OUTLOOK_SERVER}${upper.slice(0, 26)}`;
  const uuid = `${upper.slice(0, 8)}-${upper.slice(8, 12)}-4${upper.slice(13, 16)}-8${upper.slice(17, 20)}-${upper.slice(20, 32)}`;
  const digits = String(parseInt(hex.slice(32, 40), 16) % 1_000_000_000).padStart(9, '0');
  return {
    gmailId: `0000000000${hex.slice(0, 18)}`,
    gmailMixed: `0000000000${hex.slice(18, 36)}`,
    gmailAlternative: `0000000000${hex.slice(36, 54)}`,
    outlookId,
    outlookBoundary: `_000_${outlookId}${OUTLOOK_SERVER}eurp_`,
    threadIndex: Buffer.from(hex.slice(0, 44), 'hex').toString('base64'),
    appleId: uuid,
    appleOuter: `Apple-Mail-1--${digits}`,
    appleInner: `Apple-Mail-2--${digits}`,
  };
}
