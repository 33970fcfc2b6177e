/**
 * The MIME side of reading a calendar app's REPLY: the header fields the reply reader checks and
 * every calendar part of the mail, decoded, wherever the client put it. mailparser's
 * simpleParser does the MIME (transfer encodings, nesting, header folding) and puts every
 * text/calendar part in `attachments`, the alternative Gmail and Outlook send as well as a file
 * (Gmail's invite.ics, Apple's iCal-….ics); a part counts as calendar by its type
 * (text/calendar, application/ics) or by an .ics file name. A mail forwarded as message/rfc822 is
 * one attachment to mailparser, not parts: a reply forwarded by someone else is not read.
 *
 * Addresses are read from the raw header lines with nodemailer's address parser, every field of
 * a name (a mail can carry several Delivered-To), and lower-cased.
 */
// @ts-expect-error -- mailparser ships no type declarations; what is read of it is typed below.
import { simpleParser } from 'mailparser';
import addressparser from 'nodemailer/lib/addressparser';
import { DroppedMailError } from './reply-errors.js';

interface HeaderLine {
  /** The field name, lower case. */
  readonly key: string;
  /** The whole field as sent (`Name: value`), folded. */
  readonly line: string;
}

interface ParsedAttachment {
  readonly contentType: string;
  readonly filename?: string;
  readonly content: Buffer;
  readonly headers: ReadonlyMap<string, unknown>;
}

interface ParsedMail {
  readonly headerLines: readonly HeaderLine[];
  readonly messageId?: string;
  readonly attachments: readonly ParsedAttachment[];
}

const parseMime = simpleParser as (source: Buffer, options: Readonly<Record<string, unknown>>) => Promise<ParsedMail>;

/** Only what the reader needs: no HTML to text, no text to HTML, no link finding. */
const PARSE_OPTIONS = { skipHtmlToText: true, skipTextToHtml: true, skipImageLinks: true, skipTextLinks: true } as const;

/** One calendar part: its text, and the `method=` parameter of its Content-Type if any. */
export interface CalendarPart {
  readonly text: string;
  readonly method: string | undefined;
}

export interface MailParts {
  /** The Message-ID without its angle brackets. */
  readonly messageId: string | undefined;
  /** Every value of a header field (unfolded, trimmed), in order. */
  values(name: string): string[];
  /** The addresses of every field of these names, lower-cased, in order. */
  addresses(...names: string[]): string[];
  readonly calendars: readonly CalendarPart[];
}

export async function readMailParts(raw: Buffer): Promise<MailParts> {
  let parsed: ParsedMail;
  try {
    parsed = await parseMime(raw, PARSE_OPTIONS);
  } catch {
    throw new DroppedMailError('no-calendar', 'the mail could not be read as MIME');
  }
  const values = (name: string) =>
    parsed.headerLines.filter((h) => h.key === name.toLowerCase()).map((h) => unfold(h.line.slice(h.line.indexOf(':') + 1)));
  return {
    messageId: parsed.messageId?.trim().replace(/^<|>$/g, '').trim() || undefined,
    values,
    addresses: (...names) => names.flatMap((name) => values(name).flatMap(addressesIn)),
    calendars: parsed.attachments.filter(isCalendarPart).map(calendarPart),
  };
}

/** The mail addresses in an address field's value (groups flattened), lower-cased. */
export function addressesIn(value: string): string[] {
  return addressparser(value, { flatten: true })
    .map((a) => a.address.trim().toLowerCase())
    .filter((address) => /^[^\s@]+@[^\s@]+$/.test(address));
}

const CALENDAR_TYPES = new Set(['text/calendar', 'application/ics']);

function isCalendarPart(part: ParsedAttachment): boolean {
  return CALENDAR_TYPES.has(part.contentType.toLowerCase()) || /\.ics$/i.test(part.filename ?? '');
}

function calendarPart(part: ParsedAttachment): CalendarPart {
  const type = part.headers.get('content-type') as { params?: Readonly<Record<string, string>> } | undefined;
  const method = type?.params?.['method']?.trim();
  return { text: decode(part.content, type?.params?.['charset']), method: method || undefined };
}

/** The part's bytes as text in its charset (UTF-8 when none is named or the name is unknown). */
function decode(bytes: Buffer, charset: string | undefined): string {
  try {
    return new TextDecoder(charset?.trim() || 'utf-8').decode(bytes);
  } catch {
    return new TextDecoder('utf-8').decode(bytes);
  }
}

/** RFC 5322 unfolding: a line break followed by white space is white space. */
function unfold(value: string): string {
  return value.replace(/\r?\n(?=[ \t])/g, '').trim();
}
