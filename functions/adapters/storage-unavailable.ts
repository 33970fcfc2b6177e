/**
 * Whether an error means the store could not be reached or would not serve now (DynamoDB down,
 * throttling, a network failure), as opposed to a request it refused: the caller may try the
 * same request again later, and nothing was written (a DynamoDB write is all or nothing).
 * Read from the error's name or Node's error code, so no SDK class need be imported here.
 */
const UNAVAILABLE_NAMES = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'InternalServerError',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'TimeoutError',
  'RequestTimeout',
  'RequestTimeoutException',
]);

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

export function isStorageUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const { code } = error as { code?: unknown };
  if (UNAVAILABLE_NAMES.has(error.name) || (typeof code === 'string' && NETWORK_CODES.has(code))) return true;
  // A failure wrapped by a caller (AggregateError, `cause`).
  const inner = (error as { cause?: unknown }).cause ?? (error instanceof AggregateError ? error.errors[0] : undefined);
  return inner !== undefined && inner !== error && isStorageUnavailable(inner);
}
