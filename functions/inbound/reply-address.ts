/**
 * The ORGANIZER address of an invitation: where a member's calendar app sends its REPLY when
 * they press Yes, Maybe or No. Signed per member and session, so a REPLY is taken only for
 * the member and the session it was mailed for; nothing is stored.
 *
 *   r-<member id, a UUID without dashes>.<expiry, days since 1970, base 36>.<MAC>@<reply domain>
 *   q-<any other member id, lower case>.<expiry>.<MAC>@<reply domain>
 *
 * The MAC is HMAC-SHA256 over the purpose, member, series, session and expiry (96 bits, base
 * 32): the series and session are not in the address, they come from the REPLY's UID, so an
 * address used for another session's UID does not verify. The local part is lower case (some
 * mail systems fold case) and at most 64 octets (RFC 5321); it expires two years after the session was created. Secrets rotate like the signed
 * links': the first signs, every one verifies.
 */
import { timingSafeEqual } from 'node:crypto';
import type { TokenSigner } from '../security/signed-token.js';

/** The environment variable naming the domain replies are received on (SES receiving's MX). */
export const REPLY_DOMAIN_ENV = 'REPLY_DOMAIN';
/** The reply domain of the local stack (`npm start`, the tests): nothing outside receives for it. */
export const LOCAL_REPLY_DOMAIN = 'reply.convene.local';

const DAY_MS = 24 * 3600 * 1000;
/**
 * How long a reply address lives, from the session's creation: not from its time, so the
 * ORGANIZER of one session's invitations, updates and cancellation stays one address however
 * often it moves (a calendar keeps the ORGANIZER it first saw). Answers to a session that has
 * ended are refused by the handler anyway.
 */
export const REPLY_ADDRESS_LIFETIME_MS = 730 * DAY_MS;

export class ReplyAddressError extends Error {
  constructor(
    message: string,
    readonly reason: 'not-ours' | 'malformed' | 'bad-signature' | 'expired',
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export interface ReplyAddresses {
  /** The address for one member's invitations to one session (expires two years after the session was created). */
  address(ids: { memberId: string; seriesId: string; sessionId: string }, sessionCreatedAt: Date): string;
  /** The member an address names, when it verifies for this series and session at `now`; else ReplyAddressError. */
  verify(address: string, ids: { seriesId: string; sessionId: string }, now: Date): string;
  /** Whether an address is on the reply domain (a candidate for `verify`). */
  isReplyAddress(address: string): boolean;
}

const UUID = /^([0-9a-f]{8})-([0-9a-f]{4})-([0-9a-f]{4})-([0-9a-f]{4})-([0-9a-f]{12})$/;
const LOCAL = /^([rq])-([a-z0-9_-]{1,40})\.([0-9a-z]{1,6})\.([a-z2-7]{20})$/;
const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

export function replyAddresses(signer: Pick<TokenSigner, 'macs'>, domain: string): ReplyAddresses {
  const host = domain.toLowerCase();
  if (!/^[a-z0-9.-]+$/.test(host)) throw new Error(`not a mail domain: ${JSON.stringify(domain)}`);
  const macs = (memberId: string, seriesId: string, sessionId: string, days: string) =>
    signer.macs(`convene-reply\n${memberId}\n${seriesId}\n${sessionId}\n${days}`).map((m) => base32(m.subarray(0, 12)));
  const domainOf = (address: string) => address.slice(address.lastIndexOf('@') + 1).toLowerCase();
  return {
    address(ids, sessionCreatedAt) {
      const days = Math.ceil((sessionCreatedAt.getTime() + REPLY_ADDRESS_LIFETIME_MS) / DAY_MS).toString(36);
      const uuid = UUID.exec(ids.memberId);
      const member = uuid ? `r-${uuid.slice(1).join('')}` : `q-${ids.memberId}`;
      if (!uuid && !/^[a-z0-9_-]{1,40}$/.test(ids.memberId)) throw new TypeError('a member id must be a UUID or lower case to make a reply address');
      return `${member}.${days}.${macs(ids.memberId, ids.seriesId, ids.sessionId, days)[0]!}@${host}`;
    },
    verify(address, ids, now) {
      const at = address.lastIndexOf('@');
      if (at < 0 || domainOf(address) !== host) throw new ReplyAddressError('not an address of the reply domain', 'not-ours');
      const m = LOCAL.exec(address.slice(0, at).toLowerCase());
      if (!m) throw new ReplyAddressError('the reply address is not one of ours', 'malformed');
      const [, kind, member, days, signature] = m as unknown as [string, string, string, string, string];
      if (kind === 'r' && !/^[0-9a-f]{32}$/.test(member)) throw new ReplyAddressError('the reply address is not one of ours', 'malformed');
      const memberId = kind === 'r' ? `${member.slice(0, 8)}-${member.slice(8, 12)}-${member.slice(12, 16)}-${member.slice(16, 20)}-${member.slice(20)}` : member;
      const given = Buffer.from(signature);
      const good = macs(memberId, ids.seriesId, ids.sessionId, days).some((m) => {
        const expected = Buffer.from(m);
        return expected.length === given.length && timingSafeEqual(expected, given);
      });
      if (!good) throw new ReplyAddressError('the reply address was not made for this member and session', 'bad-signature');
      if (parseInt(days, 36) * DAY_MS <= now.getTime()) throw new ReplyAddressError('the reply address has expired', 'expired');
      return memberId;
    },
    isReplyAddress: (address) => address.includes('@') && domainOf(address) === host,
  };
}

/** RFC 4648 base 32, lower case, no padding. */
function base32(bytes: Uint8Array): string {
  let out = '';
  let bits = 0;
  let value = 0;
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += BASE32[(value << (5 - bits)) & 31];
  return out;
}
