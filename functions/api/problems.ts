/**
 * Errors as RFC 9457 problem details. One base error for the API with a subclass per
 * status; `toProblem` maps every error the API can meet (domain, store, HTTP) in one place.
 */
import { AlreadyExistsError, DomainError, NotFoundError } from '../../events/shared/errors.js';
import { IdempotencyKeyReusedError, StoredEventInvalidError } from '../adapters/event-store/errors.js';
import { MailerError, MailSendError } from '../adapters/mailer/mailer.js';
import { isStorageUnavailable } from '../adapters/storage-unavailable.js';
import { TooMuchContentionError, VersionMismatchError } from '../commands/command-handler.js';

export interface FieldProblem {
  /** Dotted path, e.g. `title.en` or `speakers.0.name`; empty for the body itself. */
  readonly field: string;
  /** JSON Pointer (RFC 6901) to the field in the request body. */
  readonly pointer: string;
  readonly detail: string;
}

export interface ProblemDocument {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  readonly errors?: readonly FieldProblem[];
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly title: string,
    detail: string,
    readonly errors?: readonly FieldProblem[],
    readonly headers: Record<string, string> = {},
  ) {
    super(detail);
    this.name = new.target.name;
  }
}

export class BadRequestError extends ApiError {
  constructor(code: string, detail: string, errors?: readonly FieldProblem[]) {
    super(400, code, 'Bad request', detail, errors);
  }
}

export class UnprocessableError extends ApiError {
  constructor(code: string, detail: string, errors?: readonly FieldProblem[]) {
    super(422, code, 'The request cannot be carried out as it stands', detail, errors);
  }
}

export class UnauthorizedError extends ApiError {
  constructor(detail: string, invalidToken: boolean) {
    super(401, 'unauthorized', 'Authentication required', detail, undefined, {
      'WWW-Authenticate': invalidToken ? 'Bearer realm="convene", error="invalid_token"' : 'Bearer realm="convene"',
    });
  }
}

export class ForbiddenError extends ApiError {
  constructor(detail: string) {
    super(403, 'forbidden', 'Not allowed', detail);
  }
}

export class NotFoundProblem extends ApiError {
  constructor(detail: string) {
    super(404, 'not-found', 'Not found', detail);
  }
}

export const fieldProblem = (path: readonly PropertyKey[], detail: string): FieldProblem => ({
  field: path.map(String).join('.'),
  pointer: path.length === 0 ? '' : `/${path.map((p) => String(p).replace(/~/g, '~0').replace(/\//g, '~1')).join('/')}`,
  detail,
});

/** Every error the API can meet, as the problem a client gets. Unknown errors are 500s without details. */
export function toProblem(error: unknown): { problem: ProblemDocument; headers: Record<string, string> } {
  const make = (status: number, code: string, title: string, detail: string, errors?: readonly FieldProblem[], headers = {}) => ({
    problem: { type: `/problems/${code}`, title, status, detail, ...(errors && errors.length > 0 ? { errors } : {}) },
    headers,
  });
  if (error instanceof ApiError) return make(error.status, error.code, error.title, error.message, error.errors, error.headers);
  if (error instanceof DomainError) {
    const field = error.field === undefined ? undefined : [fieldProblem(error.field.split('.'), error.message)];
    if (error instanceof NotFoundError) return make(404, error.code, 'Not found', error.message, field);
    if (error instanceof AlreadyExistsError) return make(409, error.code, 'Already exists', error.message, field);
    return make(422, error.code, 'The request cannot be carried out as it stands', error.message, field);
  }
  if (error instanceof VersionMismatchError) {
    return make(412, 'version-mismatch', 'The series changed since you read it', error.message);
  }
  if (error instanceof IdempotencyKeyReusedError) {
    return make(422, 'idempotency-key-reused', 'Idempotency key already used', `${error.message}: use a new key for a new request`);
  }
  if (error instanceof MailSendError && !error.retryable && error.scope === 'message') {
    return make(422, 'mail-refused', 'Mail refused', 'The mail service refused to send to this address; check it and register again.');
  }
  if (error instanceof MailerError) {
    return make(
      503,
      'mail-unavailable',
      'Mail could not be sent right now',
      'What you asked for is recorded, but the mail about it could not be sent yet. Send the same request again in a minute: repeating it is harmless.',
      undefined,
      { 'Retry-After': '60' },
    );
  }
  if (error instanceof TooMuchContentionError) {
    return make(503, 'contention', 'Busy', error.message, undefined, { 'Retry-After': '1' });
  }
  if (isStorageUnavailable(error)) {
    return make(
      503,
      'storage-unavailable',
      'Storage unavailable',
      'Our data store could not be reached or is busy; nothing was written. Send the same request again shortly: repeating it is harmless.',
      undefined,
      { 'Retry-After': '5' },
    );
  }
  if (error instanceof StoredEventInvalidError) {
    // Ours to mend (an upcaster or a schema that does not fit what was stored), not the caller's.
    return make(
      500,
      'stored-event-invalid',
      'Stored data cannot be read',
      `Event ${error.version} of ${error.streamId} does not match its schema, so it cannot be read right now; nothing was written. The operators are told by the logs.`,
    );
  }
  return make(500, 'internal', 'Internal server error', 'Something went wrong on our side; nothing you sent was wrong.');
}
