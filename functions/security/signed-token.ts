/**
 * Signed links (confirm a registration, unregister, one-click unsubscribe): a payload and an
 * expiry, signed with HMAC-SHA256. Nothing is stored; a forged, altered or expired token is
 * refused. Secrets rotate: the first signs, every one of them verifies.
 *
 * Form: base64url(JSON payload with `exp`) "." base64url(HMAC of the first part).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { z } from 'zod';

export class SignedTokenError extends Error {
  constructor(
    message: string,
    readonly reason: 'malformed' | 'bad-signature' | 'expired' | 'invalid-payload',
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export interface TokenSigner {
  sign(payload: Record<string, unknown>, expiresAt: Date): string;
  verify<S extends z.ZodType>(token: string, schema: S, now: Date): z.output<S>;
  /**
   * HMAC-SHA256 of `data` under every secret, the signing one first: for credentials that are
   * not tokens of this form (the reply addresses of invitations, functions/inbound/reply-address.ts).
   * Callers put a purpose of their own into `data`.
   */
  macs(data: string): Buffer[];
}

export function createTokenSigner(secrets: readonly string[]): TokenSigner {
  if (secrets.length === 0 || secrets.some((s) => s.length < 32)) throw new Error('signing secrets must be at least 32 characters');
  const mac = (secret: string, body: string) => createHmac('sha256', secret).update(body).digest();
  return {
    macs: (data) => secrets.map((secret) => mac(secret, data)),
    sign(payload, expiresAt) {
      const body = Buffer.from(JSON.stringify({ ...payload, exp: Math.floor(expiresAt.getTime() / 1000) })).toString('base64url');
      return `${body}.${mac(secrets[0]!, body).toString('base64url')}`;
    },
    verify(token, schema, now) {
      const m = /^([\w-]{1,2000})\.([\w-]{43})$/.exec(token);
      if (!m) throw new SignedTokenError('the link is not one of ours', 'malformed');
      const [, body, signature] = m as unknown as [string, string, string];
      const given = Buffer.from(signature, 'base64url');
      // The 43rd character carries 4 bits: refuse the other spellings, so a link is one string.
      if (given.toString('base64url') !== signature) throw new SignedTokenError('the link is not one of ours', 'malformed');
      if (!secrets.some((secret) => { const expected = mac(secret, body); return expected.length === given.length && timingSafeEqual(expected, given); })) {
        throw new SignedTokenError('the link is not one of ours', 'bad-signature');
      }
      let payload: unknown;
      try {
        payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
      } catch {
        throw new SignedTokenError('the link is damaged', 'malformed');
      }
      const exp = (payload as { exp?: unknown }).exp;
      if (typeof exp !== 'number' || exp * 1000 <= now.getTime()) throw new SignedTokenError('the link has expired', 'expired');
      const parsed = schema.safeParse(payload);
      if (!parsed.success) throw new SignedTokenError('the link is not valid for this', 'invalid-payload');
      return parsed.data;
    },
  };
}
