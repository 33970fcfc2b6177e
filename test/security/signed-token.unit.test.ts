import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createTokenSigner, SignedTokenError } from '../../functions/security/signed-token.js';

const secret = 'a'.repeat(32);
const Confirm = z.object({ action: z.literal('confirm'), memberId: z.string(), seriesId: z.string() });
const now = new Date('2027-05-01T12:00:00Z');
const inADay = new Date('2027-05-02T12:00:00Z');

const reason = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return error instanceof SignedTokenError ? error.reason : 'other';
  }
  return 'accepted';
};

describe('signed links', () => {
  const signer = createTokenSigner([secret]);
  const token = signer.sign({ action: 'confirm', memberId: 'm1', seriesId: 'care' }, inADay);

  it('round-trips its payload until it expires', () => {
    expect(signer.verify(token, Confirm, now)).toMatchObject({ action: 'confirm', memberId: 'm1', seriesId: 'care' });
    expect(reason(() => signer.verify(token, Confirm, inADay))).toBe('expired');
  });

  it('is one string: the other spellings of the last signature character are refused', () => {
    const [body, sig] = token.split('.') as [string, string];
    // The 43rd character holds 4 bits and 2 unused ones: three other letters decode to the same bytes.
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const last = alphabet.indexOf(sig.at(-1)!);
    const twins = [1, 2, 3].map((low) => alphabet[(last & ~3) | ((last + low) & 3)]!);
    for (const twin of twins) {
      const respelled = `${body}.${sig.slice(0, -1)}${twin}`;
      expect(Buffer.from(respelled.split('.')[1]!, 'base64url')).toEqual(Buffer.from(sig, 'base64url'));
      expect(reason(() => signer.verify(respelled, Confirm, now))).toBe('malformed');
    }
  });

  it('refuses a token altered in any character, forged with another secret, or malformed', () => {
    const [body, sig] = token.split('.') as [string, string];
    const tampered = Buffer.from(JSON.stringify({ action: 'confirm', memberId: 'm2', seriesId: 'care', exp: 9_999_999_999 })).toString('base64url');
    expect(reason(() => signer.verify(`${tampered}.${sig}`, Confirm, now))).toBe('bad-signature');
    expect(reason(() => signer.verify(`${body}.${sig.slice(0, -1)}${sig.endsWith('A') ? 'B' : 'A'}`, Confirm, now))).toBe('bad-signature');
    const forged = createTokenSigner(['b'.repeat(32)]).sign({ action: 'confirm', memberId: 'm1', seriesId: 'care' }, inADay);
    expect(reason(() => signer.verify(forged, Confirm, now))).toBe('bad-signature');
    for (const junk of ['', 'abc', `${body}.`, `${body}.${sig}.x`, '../../etc/passwd', 'x'.repeat(5000)]) {
      expect(reason(() => signer.verify(junk, Confirm, now))).toBe('malformed');
    }
  });

  it('refuses a genuine token used for another purpose', () => {
    const unsubscribe = signer.sign({ action: 'unsubscribe', memberId: 'm1' }, inADay);
    expect(reason(() => signer.verify(unsubscribe, Confirm, now))).toBe('invalid-payload');
  });

  it('verifies with every secret during a rotation, signs with the first', () => {
    const rotated = createTokenSigner(['c'.repeat(32), secret]);
    expect(rotated.verify(token, Confirm, now).memberId).toBe('m1');
    expect(reason(() => signer.verify(rotated.sign({ action: 'confirm', memberId: 'm1', seriesId: 'care' }, inADay), Confirm, now))).toBe('bad-signature');
  });

  it('refuses short secrets', () => {
    expect(() => createTokenSigner(['short'])).toThrow(/32 characters/);
  });
});
