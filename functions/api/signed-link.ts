/** Reads the signed `?token=` of a link from a mail; a bad one is a 404, an expired one a 410. */
import type { Context } from 'hono';
import type { z } from 'zod';
import { SignedTokenError, type TokenSigner } from '../security/signed-token.js';
import { ApiError } from './problems.js';

export function signedLinkReader(signer: TokenSigner, clock: () => Date) {
  return <S extends z.ZodType>(c: Context, schema: S, expiredHint = 'register again to get a new one'): z.output<S> => {
    const token = c.req.query('token') ?? '';
    try {
      return signer.verify(token, schema, clock());
    } catch (error) {
      if (error instanceof SignedTokenError) {
        throw error.reason === 'expired'
          ? new ApiError(410, 'link-expired', 'Link expired', `This link has expired: ${expiredHint}.`)
          : new ApiError(404, 'link-invalid', 'Link not valid', 'This link is not valid. Copy the whole link from the mail, or register again.');
      }
      throw error;
    }
  };
}
