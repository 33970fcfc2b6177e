/**
 * A deliberately small reader of raw MIME, independent of mailparser, for checking the bytes
 * we hand to SES: header fields unfolded (RFC 5322 2.2.3), RFC 2047 encoded words decoded
 * (UTF-8, Q and B), one level of multipart with quoted-printable or base64 parts.
 * It reads only what Convene writes, and throws on what it does not expect.
 */

export interface HeaderField {
  /** As written (case kept). */
  readonly name: string;
  /** Unfolded, not decoded. */
  readonly value: string;
}

export interface RawPart {
  readonly headers: readonly HeaderField[];
  /** The body bytes as written (transfer-encoded). */
  readonly rawBody: string;
}

export interface RawMessage extends RawPart {
  /** The header block exactly as written, up to (not including) the empty line. */
  readonly headerBlock: string;
}

/** Splits a message (or a part) at its first empty line and reads the header fields. */
export function readPart(raw: string): RawMessage {
  const end = raw.indexOf('\r\n\r\n');
  if (end < 0) throw new Error('no empty line between header and body');
  const headerBlock = raw.slice(0, end);
  // Unfolding: a CRLF followed by white space is removed (the white space stays).
  const lines = headerBlock.replace(/\r\n(?=[ \t])/g, '').split('\r\n');
  const headers = lines.map((line) => {
    const match = /^([!-9;-~]+):[ \t]*(.*)$/s.exec(line);
    if (!match) throw new Error(`not a header field: ${JSON.stringify(line)}`);
    return { name: match[1]!, value: match[2]!.trimEnd() };
  });
  return { headerBlock, headers, rawBody: raw.slice(end + 4) };
}

/** All values of a field, by case-insensitive name. */
export function fieldValues(part: RawPart, name: string): string[] {
  return part.headers.filter((h) => h.name.toLowerCase() === name.toLowerCase()).map((h) => h.value);
}

/** The one value of a field; throws if it is missing or repeated. */
export function field(part: RawPart, name: string): string {
  const values = fieldValues(part, name);
  if (values.length !== 1) throw new Error(`expected one ${name} field, found ${values.length}`);
  return values[0]!;
}

/** Decodes RFC 2047 encoded words (UTF-8 only); white space between adjacent words is dropped. */
export function decodeWords(value: string): string {
  const word = /=\?([^?]+)\?([QqBb])\?([^?]*)\?=/y;
  let out = '';
  let pending: Buffer[] = [];
  let i = 0;
  const flush = () => {
    if (pending.length) out += Buffer.concat(pending).toString('utf8');
    pending = [];
  };
  while (i < value.length) {
    word.lastIndex = i;
    const match = word.exec(value);
    if (match) {
      if (match[1]!.toLowerCase() !== 'utf-8') throw new Error(`unexpected charset ${match[1]}`);
      const text = match[3]!;
      pending.push(
        match[2]!.toUpperCase() === 'B'
          ? Buffer.from(text, 'base64')
          : Buffer.from(text.replace(/_/g, ' ').replace(/=([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))), 'latin1'),
      );
      i = word.lastIndex;
      // Linear white space between two encoded words is not part of the text.
      const gap = /^[ \t]+(?==\?)/.exec(value.slice(i));
      if (gap) i += gap[0].length;
      continue;
    }
    flush();
    out += value[i];
    i += 1;
  }
  flush();
  return out;
}

/** `"Name" <address>` or `Name <address>` or `address`: one mailbox, decoded. */
export function mailbox(value: string): { name: string; address: string } {
  const match = /^(.*?)\s*<([^<>\s]+)>$/.exec(value.trim());
  if (!match) return { name: '', address: value.trim() };
  let name = decodeWords(match[1]!);
  if (/^".*"$/s.test(name)) name = name.slice(1, -1).replace(/\\(.)/g, '$1');
  return { name, address: match[2]! };
}

/** A parameter of a structured field (Content-Type's `boundary`, `charset`). */
export function parameter(value: string, name: string): string | undefined {
  const match = new RegExp(`;\\s*${name}=("([^"]*)"|[^;\\s]+)`, 'i').exec(value);
  return match ? (match[2] ?? match[1]) : undefined;
}

/** The parts of a multipart body (one level). */
export function multipartParts(message: RawPart): RawMessage[] {
  const contentType = field(message, 'Content-Type');
  const boundary = parameter(contentType, 'boundary');
  if (!boundary) throw new Error(`no boundary in ${contentType}`);
  const delimiter = `\r\n--${boundary}`;
  const body = `\r\n${message.rawBody}`;
  const closing = body.indexOf(`${delimiter}--`);
  if (closing < 0) throw new Error('no closing boundary');
  return body
    .slice(0, closing)
    .split(delimiter)
    .slice(1) // the preamble
    .map((chunk) => readPart(chunk.replace(/^[ \t]*\r\n/, '')));
}

/** A text part's body, transfer-decoded and charset-decoded (UTF-8). */
export function textBody(part: RawPart): string {
  const encoding = (fieldValues(part, 'Content-Transfer-Encoding')[0] ?? '7bit').toLowerCase();
  const charset = (parameter(field(part, 'Content-Type'), 'charset') ?? 'us-ascii').toLowerCase();
  if (!['utf-8', 'us-ascii'].includes(charset)) throw new Error(`unexpected charset ${charset}`);
  let bytes: Buffer;
  if (encoding === 'quoted-printable') {
    const unwrapped = part.rawBody.replace(/=\r\n/g, ''); // soft line breaks
    bytes = Buffer.from(unwrapped.replace(/=([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))), 'latin1');
  } else if (encoding === 'base64') {
    bytes = Buffer.from(part.rawBody.replace(/\s+/g, ''), 'base64');
  } else if (encoding === '7bit' || encoding === '8bit') {
    bytes = Buffer.from(part.rawBody, 'latin1');
  } else {
    throw new Error(`unexpected transfer encoding ${encoding}`);
  }
  return bytes.toString('utf8').replace(/\r\n/g, '\n');
}
