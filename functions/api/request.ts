/** Reading what a client sent: the JSON body through a zod schema, If-Match, Idempotency-Key. */
import type { Context } from 'hono';
import type { z } from 'zod';
import { Id } from '../../events/shared/values.js';
import { BadRequestError, fieldProblem, NotFoundProblem, UnprocessableError } from './problems.js';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The body as JSON, validated: 415 if it is not JSON, 400 if it cannot be read, 422 naming each bad field. */
export async function readBody<S extends z.ZodType>(c: Context, schema: S): Promise<z.output<S>> {
  const contentType = c.req.header('content-type') ?? '';
  if (!/^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i.test(contentType)) {
    throw new UnsupportedMediaTypeError(contentType);
  }
  let bytes: ArrayBuffer;
  try {
    bytes = await c.req.arrayBuffer();
  } catch {
    // The client stopped before sending the Content-Length it announced.
    throw new BadRequestError('unreadable-body', 'The body could not be read: it ended before its announced length.');
  }
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    throw new BadRequestError('invalid-utf8', 'The body is not valid UTF-8.');
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new BadRequestError('malformed-json', `The body is not valid JSON: ${(error as Error).message}`);
  }
  const result = schema.safeParse(json);
  if (!result.success) {
    const errors = result.error.issues.map((issue) => fieldProblem(issue.path, describeIssue(issue, json)));
    throw new UnprocessableError(
      'invalid-body',
      `The body has ${errors.length === 1 ? 'a problem' : `${errors.length} problems`}: ${errors.map((e) => `${e.field || 'body'}: ${e.detail}`).join('; ')}`,
      errors,
    );
  }
  return result.data;
}

function describeIssue(issue: z.core.$ZodIssue, body: unknown): string {
  if (issue.code === 'unrecognized_keys') return `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
  if ((issue.code === 'invalid_type' || issue.code === 'invalid_value') && issue.path.length > 0 && valueAt(body, issue.path) === undefined) {
    return 'is required';
  }
  return issue.message;
}

function valueAt(value: unknown, path: readonly PropertyKey[]): unknown {
  let current = value;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

/** The request carries a form a page posted (application/x-www-form-urlencoded). */
export function isForm(c: Context): boolean {
  return /^application\/x-www-form-urlencoded\s*(?:;|$)/i.test(c.req.header('content-type') ?? '');
}

/**
 * A form a page posted (application/x-www-form-urlencoded: a repeated field is a list), or
 * the same fields as JSON from a program, or nothing: validated like a JSON body (422 naming
 * each bad field). Anything else is a 415.
 */
export async function readForm<S extends z.ZodType>(c: Context, schema: S): Promise<z.output<S>> {
  const contentType = c.req.header('content-type') ?? '';
  if (/^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i.test(contentType)) return readBody(c, schema);
  let bytes: ArrayBuffer;
  try {
    bytes = await c.req.arrayBuffer();
  } catch {
    throw new BadRequestError('unreadable-body', 'The body could not be read: it ended before its announced length.');
  }
  const fields: Record<string, string | string[]> = {};
  if (isForm(c)) {
    let text: string;
    try {
      text = utf8.decode(bytes);
    } catch {
      throw new BadRequestError('invalid-utf8', 'The form is not valid UTF-8.');
    }
    for (const [key, value] of new URLSearchParams(text)) {
      const known = fields[key];
      fields[key] = known === undefined ? value : [...(Array.isArray(known) ? known : [known]), value];
    }
  } else if (bytes.byteLength > 0) {
    throw new UnsupportedMediaTypeError(contentType, 'a form (application/x-www-form-urlencoded) or JSON');
  }
  const result = schema.safeParse(fields);
  if (!result.success) {
    const errors = result.error.issues.map((issue) => fieldProblem(issue.path, describeIssue(issue, fields)));
    throw new UnprocessableError('invalid-form', `The form has ${errors.length === 1 ? 'a problem' : `${errors.length} problems`}: ${errors.map((e) => `${e.field || 'form'}: ${e.detail}`).join('; ')}`, errors);
  }
  return result.data;
}

export class UnsupportedMediaTypeError extends BadRequestError {
  override readonly status = 415 as number;
  constructor(contentType: string, wanted = 'JSON with Content-Type: application/json') {
    super('unsupported-media-type', `Send ${wanted}${contentType ? `, not ${contentType}` : ''}.`);
  }
}

/** The version in an If-Match header (`"3"`, `W/"3"`), if any. `*` means any version. */
export function ifMatchVersion(c: Context): number | undefined {
  const header = c.req.header('if-match');
  if (header === undefined || header.trim() === '*') return undefined;
  const m = /^\s*(?:W\/)?"(\d{1,15})"\s*$/.exec(header);
  if (!m) throw new BadRequestError('invalid-if-match', `If-Match must be an ETag this API gave out, such as "3"; got ${header}`);
  return Number(m[1]);
}

export const etag = (version: number) => `"${version}"`;

/** The Idempotency-Key header, if any: 1 to 255 visible ASCII characters. */
export function idempotencyKey(c: Context): string | undefined {
  const key = c.req.header('idempotency-key');
  if (key === undefined) return undefined;
  if (!/^[\x21-\x7e]{1,255}$/.test(key)) {
    throw new BadRequestError('invalid-idempotency-key', 'Idempotency-Key must be 1 to 255 visible ASCII characters (a UUID is a good choice).');
  }
  return key;
}

/**
 * Does the client hold this representation already? If-None-Match (a strong or weak ETag, or
 * `*`) decides when present; otherwise If-Modified-Since against `lastModified` (RFC 9110 13.2.2).
 */
export function isNotModified(c: Context, etag: string, lastModified?: string): boolean {
  const inm = c.req.header('if-none-match');
  if (inm !== undefined) return inm.split(',').some((t) => t.trim() === '*' || t.trim().replace(/^W\//, '') === etag);
  const ims = c.req.header('if-modified-since');
  if (ims === undefined || lastModified === undefined || Number.isNaN(Date.parse(ims))) return false;
  return Date.parse(lastModified) <= Date.parse(ims);
}

/** A path id that cannot be one of ours is simply not found. */
export function pathId(value: string, what: string): string {
  if (!Id.safeParse(value).success) throw new NotFoundProblem(`There is no ${what} ${JSON.stringify(value.slice(0, 80))}.`);
  return value;
}
