/** Reply addresses (functions/inbound/reply-address.ts): signed per member and session, short, lower case, rotating with the signing secrets. */
import { describe, expect, it } from 'vitest';
import { REPLY_ADDRESS_LIFETIME_MS, ReplyAddressError, replyAddresses } from '../../functions/inbound/reply-address.js';
import { createTokenSigner } from '../../functions/security/signed-token.js';

const OLD = 'o'.repeat(40);
const NEW = 'n'.repeat(40);
const created = new Date('2027-01-10T00:00:00Z');
const at = new Date('2027-02-01T00:00:00Z');
const ids = { memberId: '3f2b6c1e-9a4d-4e8b-b7c2-0d1e2f3a4b5c', seriesId: 'care-economy', sessionId: 'session-1' };
const reasonOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return error instanceof ReplyAddressError ? error.reason : String(error);
  }
  return 'verified';
};

describe('reply addresses', () => {
  const addresses = replyAddresses(createTokenSigner([OLD]), 'Reply.Convene.Example.org');

  it('name the member, at most 64 octets before the @, lower case, on the reply domain; verified for their session only', () => {
    const address = addresses.address(ids, created);
    expect(address).toMatch(/^r-[0-9a-f]{32}\.[0-9a-z]+\.[a-z2-7]{20}@reply\.convene\.example\.org$/);
    expect(address.split('@')[0]!.length).toBeLessThanOrEqual(64);
    expect(addresses.verify(address, ids, at)).toBe(ids.memberId);
    // Mail systems may fold case: the address verifies in any case.
    expect(addresses.verify(address.toUpperCase(), ids, at)).toBe(ids.memberId);
    expect(reasonOf(() => addresses.verify(address, { ...ids, sessionId: 'session-2' }, at))).toBe('bad-signature');
    expect(reasonOf(() => addresses.verify(address, { ...ids, seriesId: 'other' }, at))).toBe('bad-signature');
    expect(addresses.isReplyAddress(address)).toBe(true);
    expect(addresses.isReplyAddress('training@example.org')).toBe(false);
  });

  it('refuses another member put in, a changed MAC, another domain, and after two years', () => {
    const address = addresses.address(ids, created);
    const otherMember = address.replace(/^r-[0-9a-f]{32}/, `r-${'a'.repeat(32)}`);
    expect(reasonOf(() => addresses.verify(otherMember, ids, at))).toBe('bad-signature');
    const [local, domain] = address.split('@') as [string, string];
    expect(reasonOf(() => addresses.verify(`${local.slice(0, -1)}${local.endsWith('a') ? 'b' : 'a'}@${domain}`, ids, at))).toBe('bad-signature');
    expect(reasonOf(() => addresses.verify(`${local}@example.org`, ids, at))).toBe('not-ours');
    expect(reasonOf(() => addresses.verify(`x${local}@${domain}`, ids, at))).toBe('malformed');
    expect(reasonOf(() => addresses.verify(address, ids, new Date(created.getTime() + REPLY_ADDRESS_LIFETIME_MS + 24 * 3600 * 1000)))).toBe('expired');
  });

  it('is the same address for every mail about the session, and other ids work too', () => {
    expect(addresses.address(ids, created)).toBe(addresses.address(ids, new Date(created)));
    const plain = addresses.address({ ...ids, memberId: 'm-salma' }, created);
    expect(plain).toMatch(/^q-m-salma\./);
    expect(addresses.verify(plain, ids, at)).toBe('m-salma');
    expect(() => addresses.address({ ...ids, memberId: 'Salma' }, created)).toThrow(TypeError);
  });

  it('still verify after the secrets rotate (new first, old kept), and not once the old one is gone', () => {
    const before = addresses.address(ids, created);
    expect(replyAddresses(createTokenSigner([NEW, OLD]), 'reply.convene.example.org').verify(before, ids, at)).toBe(ids.memberId);
    expect(reasonOf(() => replyAddresses(createTokenSigner([NEW]), 'reply.convene.example.org').verify(before, ids, at))).toBe('bad-signature');
  });
});
