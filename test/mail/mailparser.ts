/**
 * mailparser (a dev dependency; no type declarations are installed), loaded through require
 * and typed with only what the mail tests read. Its `simpleParser` is also what
 * aws-ses-v2-local uses to fill its store.
 */
import { createRequire } from 'node:module';

export interface ParsedAddress {
  readonly value: readonly { readonly address?: string; readonly name: string }[];
  readonly text: string;
}

export interface ParsedMail {
  readonly headers: ReadonlyMap<string, unknown>;
  readonly headerLines: readonly { readonly key: string; readonly line: string }[];
  readonly subject?: string;
  readonly from?: ParsedAddress;
  readonly to?: ParsedAddress | readonly ParsedAddress[];
  readonly cc?: ParsedAddress | readonly ParsedAddress[];
  readonly bcc?: ParsedAddress | readonly ParsedAddress[];
  readonly replyTo?: ParsedAddress;
  readonly messageId?: string;
  readonly text?: string;
  readonly html: string | false;
  readonly attachments: readonly unknown[];
}

const mailparser = createRequire(import.meta.url)('mailparser') as {
  simpleParser(source: Buffer | string, options?: Record<string, unknown>): Promise<ParsedMail>;
};

export const simpleParser = (raw: Buffer): Promise<ParsedMail> => mailparser.simpleParser(raw);

/** A single address field as one ParsedAddress (throws on a list of fields). */
export function single(field: ParsedAddress | readonly ParsedAddress[] | undefined): ParsedAddress | undefined {
  if (field === undefined) return undefined;
  if (Array.isArray(field)) throw new Error(`expected one address field, got ${field.length}`);
  return field as ParsedAddress;
}
