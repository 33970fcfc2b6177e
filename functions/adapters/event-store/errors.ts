/** One base error for the event store, with a typed subclass per way an append or read fails. */
export class EventStoreError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The stream is not at the expected version: somebody appended first. Re-read and re-decide. */
export class StreamConflictError extends EventStoreError {
  constructor(
    readonly streamId: string,
    readonly expectedVersion: number,
  ) {
    super(`stream ${streamId} is no longer at version ${expectedVersion}`);
  }
}

/** An idempotency key came back with a different command than the one it was first used for. */
export class IdempotencyKeyReusedError extends EventStoreError {
  constructor(readonly key: string) {
    super(`idempotency key "${key}" was already used for a different request`);
  }
}

/** Another request with the same idempotency key appended first: read its result instead. */
export class IdempotencyKeyTakenError extends EventStoreError {
  constructor(readonly key: string) {
    super(`idempotency key "${key}" was just used by a concurrent request`);
  }
}

/** An event read back from the store does not match any schema version of its type. */
export class StoredEventInvalidError extends EventStoreError {
  constructor(
    readonly streamId: string,
    readonly version: number,
    cause: unknown,
  ) {
    super(`event ${version} of stream ${streamId} cannot be read: ${cause instanceof Error ? cause.message : String(cause)}`, {
      cause,
    });
  }
}

/** A command produced more events than one atomic append can hold. */
export class AppendTooLargeError extends EventStoreError {}
