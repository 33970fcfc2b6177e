/** Reading back the raw MIME a mail function composed, as the mail unit tests assert on it. */
import { expect } from 'vitest';
import { simpleParser, type ParsedMail } from './mailparser.js';

export interface ReadMail {
  readonly bytes: Buffer;
  readonly parsed: ParsedMail;
  readonly subject: string;
  readonly text: string;
  readonly html: string;
  /** Header lines as sent, unfolded, by lower-case name. */
  readonly lines: ReadonlyMap<string, string>;
}

/** Parses with mailparser; a mail without a text and an HTML part fails the test. */
export async function readMail(bytes: Buffer): Promise<ReadMail> {
  const parsed = await simpleParser(bytes);
  expect(parsed.text, 'text part').toBeTypeOf('string');
  expect(parsed.html, 'HTML part').toBeTypeOf('string');
  return {
    bytes,
    parsed,
    subject: parsed.subject ?? '',
    text: parsed.text!,
    html: parsed.html as string,
    lines: new Map(parsed.headerLines.map((h) => [h.key, h.line.replace(/\r\n(?=[ \t])/g, '')])),
  };
}

/**
 * Text with the gap between a number and its unit made a plain space: ICU's French data puts
 * a no-break space there for some units ("7\u00a0jours", "1,2\u00a0Go") and not others, and
 * may switch to a narrow one in another release. Either reads the same.
 */
export const unitSpaces = (text: string) => text.replace(/(\d)[\u00a0\u202f](?=\p{L})/gu, '$1 ');

/** The MIME types of the message and its parts, in order, from the raw bytes. */
export const contentTypes = (bytes: Buffer) => [...bytes.toString('latin1').matchAll(/^Content-Type:\s*([^;\r\n]+)/gim)].map((m) => m[1]!.toLowerCase());
