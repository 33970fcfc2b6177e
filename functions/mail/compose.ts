/**
 * What every Convene mail shares: the envelope headers, one-click unsubscribe (RFC 8058),
 * the guards on text that comes from organisers and members, and the MIME bytes, which only
 * nodemailer's MailComposer writes (encoding, folding, CRLFs, boundaries). Nothing here
 * concatenates a header or a MIME part by hand.
 *
 * Two nodemailer details matter here: MailComposer ignores the `list` option (only the
 * transport-level mailer turns it into List-* headers), so List-Unsubscribe is passed as a
 * custom header built from checked URLs; and without `newline: 'win'` it writes bare LFs.
 */
import { randomUUID } from 'node:crypto';
import * as base64 from 'nodemailer/lib/base64';
import MailComposer from 'nodemailer/lib/mail-composer';
import type MimeNode from 'nodemailer/lib/mime-node';
import * as qp from 'nodemailer/lib/qp';
import { canonicalLanguageTag, checkWebUrl, isSingleAddress, MAX_WEB_URL_LENGTH } from '../../events/shared/values.js';

export interface ComposeOptions {
  /** The From header, e.g. `Convene <no-reply@convene.example.org>`. */
  readonly from: string;
  /** The domain of the Message-IDs we make, e.g. `convene.example.org`. */
  readonly messageIdDomain: string;
}

export interface Mailbox {
  readonly email: string;
  readonly name: string;
}

/** What every mail to a member is given: who they are, how they read, and how they stop mail. */
export interface MemberMailInput {
  readonly to: Mailbox;
  /** The member's language (BCP 47). */
  readonly language: string;
  /** The member's time zone (IANA). */
  readonly memberTimeZone: string;
  /** One-click unsubscribe (RFC 8058): an https URL that takes a POST. */
  readonly unsubscribeUrl: string;
  /** `mailto:` URL for List-Unsubscribe, for clients without one-click. */
  readonly unsubscribeMailto: string;
  /** The member's "manage my registrations" link (functions/links/member-links.ts), in every mail. */
  readonly manageUrl: string;
}

/** The rendered parts of a mail to a member. */
export interface MailContent {
  readonly language: string;
  readonly subject: string;
  readonly text: string;
  readonly html: string;
}

/**
 * The HTML document every mail's HTML part is: `body` (already escaped) in one readable column,
 * in the direction of `language` (a BCP 47 tag). The direction and language are set on the
 * column as well as on <html>: webmail (Gmail, Outlook on the web) drops the document's own
 * <html> and <body> and keeps the content. For a right-to-left language the physical inline
 * styles of `body` are mirrored (`padding-left` becomes `padding-right`, `text-align:left`
 * `text-align:right`; see `mirroredStyles`): mail clients do not all know the logical
 * properties (`padding-inline-start`), so the mails keep physical ones and are mirrored here.
 * Titles and names in `body` are isolated by the mails themselves (<bdi>, `htmlMessage`).
 */
export function htmlDocument(language: string, subject: string, body: string): string {
  const dir = textDirection(language);
  const lang = escapeHtml(language);
  return `<!DOCTYPE html>
<html lang="${lang}" dir="${dir}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(subject)}</title>
</head>
<body style="margin:0;padding:0;background:#f4f4f5;">
<div lang="${lang}" dir="${dir}" style="max-width:600px;margin:0 auto;padding:24px;background:#ffffff;color:#1f2937;font-family:Arial,Helvetica,sans-serif;font-size:16px;line-height:1.5;">
${dir === 'rtl' ? mirroredStyles(body) : body}</div>
</body>
</html>
`;
}

/** Languages written right to left, by primary subtag (as the members' pages, functions/pages/texts). */
const RIGHT_TO_LEFT = new Set(['ar', 'he', 'fa', 'ur']);

/** `rtl` for Arabic, Hebrew, Persian and Urdu (any region or script subtag), else `ltr`. */
export function textDirection(language: string): 'rtl' | 'ltr' {
  return RIGHT_TO_LEFT.has(language.trim().toLowerCase().split(/[-_]/)[0]!) ? 'rtl' : 'ltr';
}

/**
 * HTML whose `style` attributes are mirrored for right-to-left text: `left` and `right` swap
 * in property names (`padding-left`, `margin-right`, `border-left`, `left`) and in the values
 * of `text-align`, `float` and `clear`, and a four-value `margin` or `padding` swaps its right
 * and left values. Nothing else changes. Only markup this code wrote can hold a `style="`:
 * text from organisers and members reaches the HTML through `escapeHtml`, which escapes `"`.
 */
export function mirroredStyles(html: string): string {
  return html.replace(/(\sstyle=")([^"]*)"/g, (_, start: string, style: string) => `${start}${style.split(';').map(mirroredDeclaration).join(';')}"`);
}

const swapSides = (text: string) => text.replace(/left|right/g, (side) => (side === 'left' ? 'right' : 'left'));

function mirroredDeclaration(declaration: string): string {
  const colon = declaration.indexOf(':');
  if (colon < 0) return declaration;
  const name = declaration.slice(0, colon).trim().toLowerCase();
  const value = declaration.slice(colon + 1);
  if (/(^|-)(left|right)(-|$)/.test(name)) return `${swapSides(name)}:${value}`;
  if (name === 'text-align' || name === 'float' || name === 'clear') return `${name}:${swapSides(value)}`;
  if (name === 'margin' || name === 'padding') {
    const values = value.trim().split(/\s+/);
    if (values.length === 4) return `${name}:${[values[0], values[3], values[2], values[1]].join(' ')}`;
  }
  return declaration;
}

/** The envelope of a member's mail: to them, replies to the organiser, their unsubscribe links. */
export function memberMail(input: MemberMailInput, organiser: Mailbox, content: MailContent): OutgoingMail {
  return {
    to: input.to,
    replyTo: organiser,
    subject: content.subject,
    language: content.language,
    text: content.text,
    html: content.html,
    unsubscribe: { url: input.unsubscribeUrl, mailto: input.unsubscribeMailto },
  };
}

export interface OutgoingMail {
  readonly to: Mailbox;
  readonly replyTo: Mailbox;
  readonly subject: string;
  /** BCP 47 tag of the text, for Content-Language. */
  readonly language: string;
  readonly text: string;
  readonly html: string;
  /** One-click unsubscribe: an https URL that takes a POST (RFC 8058), and a mailto: URL. */
  readonly unsubscribe: { readonly url: string; readonly mailto: string };
  /**
   * An iTIP message (RFC 6047 iMIP): MailComposer's `icalEvent` adds it as a
   * `text/calendar; method=…` alternative and as an invite.ics attachment (see ./compose-calendar.ts).
   */
  readonly calendar?: { readonly method: string; readonly content: string };
  /**
   * Files sent with the mail (a certificate's PDF): each a base64 part with
   * `Content-Disposition: attachment`, beside the text and HTML (multipart/mixed).
   */
  readonly attachments?: readonly MailAttachment[];
}

/** A file a mail carries, given inline (never a path or a URL). */
export interface MailAttachment {
  /** The name the member's client offers to save it as, e.g. `certificate-c1.pdf`. */
  readonly filename: string;
  /** Its MIME type, e.g. `application/pdf`. */
  readonly contentType: string;
  readonly content: Buffer;
}

/** The raw RFC 5322 message (CRLF line ends, 7-bit), ready for SES SendRawEmail. */
export async function composeMime(mail: OutgoingMail, options: ComposeOptions): Promise<Buffer> {
  const root = mimeTree(mail, options);
  return writtenInOneGo(root) ?? root.build();
}

/** The mail as nodemailer's MIME tree, not yet written. */
export function mimeTree(mail: OutgoingMail, options: ComposeOptions): MimeNode {
  const unsubscribeUrl = webUrl(mail.unsubscribe.url, 'unsubscribe URL');
  const unsubscribeMailto = mailtoUrl(mail.unsubscribe.mailto);
  const composer = new MailComposer({
    from: options.from,
    to: mailbox(mail.to, 'to'),
    replyTo: mailbox(mail.replyTo, 'reply-to'),
    subject: singleLine(mail.subject),
    messageId: newMessageId(options.messageIdDomain),
    text: mail.text,
    html: mail.html,
    ...(mail.calendar ? { icalEvent: { method: mail.calendar.method, filename: 'invite.ics', content: mail.calendar.content } } : {}),
    // Only when there are some: a mail without attachments keeps exactly the tree it had.
    ...(mail.attachments && mail.attachments.length > 0 ? { attachments: mail.attachments.map(attachment) } : {}),
    headers: [
      // RFC 3834: no auto-replies (vacation notices) to this mail.
      { key: 'Auto-Submitted', value: 'auto-generated' },
      // RFC 2369 + RFC 8058: the https URL takes the one-click POST; mailto for older clients.
      { key: 'List-Unsubscribe', value: `<${unsubscribeUrl}>, <${unsubscribeMailto}>` },
      { key: 'List-Unsubscribe-Post', value: 'List-Unsubscribe=One-Click' },
      { key: 'Content-Language', value: languageTag(mail.language) },
    ],
    newline: 'win',
    // Content is given inline only: never let a value make nodemailer read a file or a URL.
    disableFileAccess: true,
    disableUrlAccess: true,
  });
  return composer.compile();
}

/** One attachment for MailComposer: base64, `attachment` disposition, a one-line file name and type. */
function attachment(file: MailAttachment): { filename: string; contentType: string; content: Buffer; contentTransferEncoding: 'base64'; contentDisposition: 'attachment' } {
  const filename = singleLine(file.filename);
  if (!filename || /[/\\]/.test(filename)) throw new TypeError(`attachment file name must be a plain file name: ${JSON.stringify(file.filename)}`);
  if (!/^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*$/i.test(file.contentType)) {
    throw new TypeError(`attachment content type is not a MIME type: ${JSON.stringify(file.contentType)}`);
  }
  if (!Buffer.isBuffer(file.content)) throw new TypeError(`attachment ${JSON.stringify(filename)} content must be a Buffer`);
  return { filename, contentType: file.contentType, content: file.content, contentTransferEncoding: 'base64', contentDisposition: 'attachment' };
}

/**
 * The bytes `MimeNode.build()` gives, written synchronously from the same tree: the header
 * blocks, transfer encodings and boundaries are nodemailer's own (`buildHeaders`,
 * `getTransferEncoding`, its QP and base64 encoders); only the walk is done here, without the
 * streams, pipelines and timer hops `build()` takes per part (about three quarters of a mail's
 * composing time). Undefined for a tree that needs them (a stream or raw content, transforms):
 * that one is built by nodemailer. test/mail/compose-bytes.unit.test.ts holds both outputs equal.
 */
export function writtenInOneGo(root: MimeNode): Buffer | undefined {
  const internals = root as unknown as { _transforms: unknown[]; _processFuncs: unknown[] };
  if (internals._transforms.length > 0 || internals._processFuncs.length > 0) return undefined;
  const chunks: Buffer[] = [];
  const write = (node: MimeNode): boolean => {
    const { content } = node;
    if ((node as unknown as { _raw?: unknown })._raw || !(content === undefined || typeof content === 'string' || Buffer.isBuffer(content))) return false;
    // As MimeNode.stream(): the transfer encoding is decided before the headers are built.
    const encoding = node.getTransferEncoding();
    chunks.push(Buffer.from(`${node.buildHeaders()}\r\n\r\n`));
    if (content) {
      if (encoding === 'quoted-printable') chunks.push(Buffer.from(qp.wrap(qp.encode(content), 76), 'ascii'));
      else if (encoding === 'base64') chunks.push(Buffer.from(base64.wrap(base64.encode(content), 76), 'ascii'));
      else chunks.push(Buffer.isBuffer(content) ? content : Buffer.from(content));
    }
    if (!node.multipart) return true;
    for (const [i, child] of node.childNodes.entries()) {
      chunks.push(Buffer.from(`${i > 0 ? '\r\n' : ''}--${String(node.boundary)}\r\n`));
      if (!write(child)) return false;
    }
    chunks.push(Buffer.from(`\r\n--${String(node.boundary)}--\r\n`));
    return true;
  };
  if (!write(root)) return undefined;
  // build()'s last two stages: a final line break, then every lone LF made CRLF ('win' newlines).
  let bytes = Buffer.concat(chunks);
  const last = bytes[bytes.length - 1];
  if (last !== 0x0a) bytes = Buffer.concat([bytes, Buffer.from(last === 0x0d ? '\n' : '\r\n')]);
  return crlfOnly(bytes);
}

/** Every LF not preceded by CR becomes CRLF (nodemailer's LeWindows). */
function crlfOnly(bytes: Buffer): Buffer {
  const parts: Buffer[] = [];
  let from = 0;
  for (let at = bytes.indexOf(0x0a); at >= 0; at = bytes.indexOf(0x0a, at + 1)) {
    if (at > 0 && bytes[at - 1] === 0x0d) continue;
    parts.push(bytes.subarray(from, at), CR);
    from = at;
  }
  if (parts.length === 0) return bytes;
  parts.push(bytes.subarray(from));
  return Buffer.concat(parts);
}

const CR = Buffer.from('\r');

/**
 * Text for one line (a header, a title, a name): control characters (CR, LF, tab...) and
 * line or paragraph separators become spaces, runs of spaces one space. The event schema
 * already refuses control characters in titles and names; this is the second fence.
 */
export function singleLine(text: string): string {
  return text.replace(/[\p{Cc}\p{Zl}\p{Zp}]+/gu, ' ').replace(/\s{2,}/g, ' ').trim();
}

/** Text for HTML element content or a quoted attribute value. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ENTITIES[c]!);
}

const HTML_ENTITIES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/**
 * A link for mail: the rule of checkWebUrl (events/shared/values.ts), the same one the API and
 * the deciders apply to every link they accept, so what they accept is never refused here.
 * Throws a TypeError for anything else: links in mail and in List-Unsubscribe must not be
 * `javascript:` or plain http, nor carry characters that could end an `<...>` in a header or
 * an attribute in HTML.
 */
export function webUrl(raw: string, what: string): string {
  const checked = checkWebUrl(raw);
  if ('problem' in checked) throw new TypeError(`${what} ${checked.problem}: ${JSON.stringify(raw.slice(0, 200))}`);
  return checked.href;
}

/** A mailto: URL with at least one address. */
export function mailtoUrl(raw: string): string {
  const url = parseUrl(raw, 'unsubscribe mailto');
  if (url.protocol !== 'mailto:' || !/^[^?]*@/.test(url.pathname)) {
    throw new TypeError(`unsubscribe mailto must be a mailto: URL with an address: ${JSON.stringify(raw)}`);
  }
  return safeUrlText(url.href, 'unsubscribe mailto');
}

function parseUrl(raw: string, what: string): URL {
  try {
    return new URL(raw);
  } catch {
    throw new TypeError(`${what} is not a URL: ${JSON.stringify(raw)}`);
  }
}

/** Visible ASCII without `"`, `<`, `>` (the parser percent-encodes them in hierarchical URLs, not in mailto:). */
function safeUrlText(href: string, what: string): string {
  if (!/^[!#-;=?-~]+$/.test(href)) throw new TypeError(`${what} has characters a mail header cannot carry: ${JSON.stringify(href)}`);
  if (href.length > MAX_WEB_URL_LENGTH) throw new TypeError(`${what} is longer than ${MAX_WEB_URL_LENGTH} characters`);
  return href;
}

export { isSingleAddress };

function mailbox(box: Mailbox, field: string): { name: string; address: string } {
  if (!isSingleAddress(box.email)) throw new TypeError(`${field} address is not a single mail address: ${JSON.stringify(box.email)}`);
  return { name: singleLine(box.name), address: box.email };
}

const DOMAIN = /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;

/**
 * `<uuid@domain>`. Note: SES replaces the Message-ID of every mail it sends with its own
 * (`<SES message id>@email.amazonses.com`), so threading later mail needs the id SES returns.
 */
function newMessageId(domain: string): string {
  if (!DOMAIN.test(domain)) throw new TypeError(`messageIdDomain is not a domain name: ${JSON.stringify(domain)}`);
  return `<${randomUUID()}@${domain.toLowerCase()}>`;
}

function languageTag(tag: string): string {
  const canonical = canonicalLanguageTag(tag);
  if (!canonical) throw new TypeError(`not a BCP 47 language tag: ${JSON.stringify(tag)}`);
  return canonical;
}
