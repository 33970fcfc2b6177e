import { DomainError } from '../shared/errors.js';

/** Input the fair-times functions cannot work with (a malformed time, an unknown zone, an empty range). */
export class FairTimesInputError extends DomainError {
  readonly code = 'invalid-fair-times-input';
}
