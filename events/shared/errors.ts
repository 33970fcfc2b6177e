/**
 * One base error for the domain; every refusal a decider makes is a typed subclass, so the
 * API can map them once (RFC 9457 problem details) and tests can assert the exact kind.
 */
export abstract class DomainError extends Error {
  /** Stable machine-readable code, e.g. `session-cancelled`. */
  abstract readonly code: string;
  /** The field or thing the refusal is about, when there is one (e.g. `start`). */
  readonly field: string | undefined;

  constructor(message: string, field?: string) {
    super(message);
    this.name = new.target.name;
    this.field = field;
  }
}

/** The command is well formed but breaks a rule of the domain. */
export class InvariantViolation extends DomainError {
  readonly code: string;
  constructor(code: string, message: string, field?: string) {
    super(message, field);
    this.code = code;
  }
}

/** The command names something that does not exist (a series, a session, a registration). */
export class NotFoundError extends DomainError {
  readonly code = 'not-found';
}

/** The command would create something that already exists. */
export class AlreadyExistsError extends DomainError {
  readonly code = 'already-exists';
}

/** A wall-clock time that never happens in the time zone (the hour a DST change skips). */
export class NonexistentLocalTimeError extends DomainError {
  readonly code = 'nonexistent-local-time';
}
