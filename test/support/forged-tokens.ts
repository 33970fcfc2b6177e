/**
 * Tokens an attacker could make or replay, each with the name a test case shows: organiser
 * JWTs (another key, expired, `alg: none`, HMAC keyed with our public key...) and signed mail
 * links (another secret, expired, payload swapped, another action's). Made against a test API,
 * so every forgery differs from a genuine token in exactly one way.
 */
import { randomBytes } from 'node:crypto';
import { importJWK, SignJWT } from 'jose';
import { LOCAL_ISSUER, mintOrganiserToken, newSigningKey } from '../../infra/local/organiser-token.js';
import { ORGANISERS_GROUP } from '../../functions/api/route-table.js';
import { createTokenSigner } from '../../functions/security/signed-token.js';
import { LINK_LIFETIME_MS, type MemberLinkAction } from '../../functions/links/member-links.js';
import type { TestApi } from './api.js';

export interface Forgery {
  readonly name: string;
  readonly token: string;
  /** The status a verifier must answer: 401 for a bad token, 403 for a good one without the group. */
  readonly status: number;
}

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** Organiser bearer tokens that must not be accepted. */
export async function forgedOrganiserTokens(api: TestApi): Promise<Forgery[]> {
  const now = Math.floor(Date.now() / 1000);
  const claims = { 'cognito:groups': [ORGANISERS_GROUP], token_use: 'access', iss: LOCAL_ISSUER, sub: 'organiser-1', iat: now, exp: now + 3600 };
  const other = await newSigningKey();
  const [genuineHeader, genuinePayload, genuineSignature] = api.organiserToken.split('.') as [string, string, string];
  // HS256 keyed with the public key's bytes: the classic algorithm-confusion forgery.
  const confused = await new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256', kid: api.key.publicJwk.kid! })
    .sign(new TextEncoder().encode(JSON.stringify(api.key.publicJwk)));
  const embeddedKey = await new SignJWT(claims)
    .setProtectedHeader({ alg: 'ES256', jwk: { ...other.publicJwk, kid: undefined } as never })
    .sign(await importJWK(other.privateJwk, 'ES256'));
  return [
    { name: 'signed with another key', token: await mintOrganiserToken(other, { sub: 'organiser-1' }), status: 401 },
    { name: 'another key under our key id', token: await mintOrganiserToken({ ...other, privateJwk: { ...other.privateJwk, kid: api.key.privateJwk.kid! } }, { sub: 'organiser-1' }), status: 401 },
    { name: 'expired', token: await mintOrganiserToken(api.key, { sub: 'organiser-1', expiresIn: Math.floor(Date.now() / 1000) - 60 }), status: 401 },
    { name: 'from another issuer', token: await mintOrganiserToken(api.key, { sub: 'organiser-1', issuer: 'https://evil.example/' }), status: 401 },
    { name: 'alg none, no signature', token: `${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims)}.`, status: 401 },
    { name: 'alg none, any signature', token: `${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims)}.${genuineSignature}`, status: 401 },
    { name: 'HS256 keyed with our public key', token: confused, status: 401 },
    { name: 'carrying its own key in the header', token: embeddedKey, status: 401 },
    { name: 'genuine header and signature, payload swapped', token: `${genuineHeader}.${b64({ ...claims, sub: 'mallory' })}.${genuineSignature}`, status: 401 },
    { name: 'genuine token, signature truncated', token: `${genuineHeader}.${genuinePayload}.${genuineSignature.slice(0, -4)}`, status: 401 },
    { name: 'garbage in three parts', token: 'abc.def.ghi', status: 401 },
    { name: 'random bytes', token: randomBytes(48).toString('base64url'), status: 401 },
    { name: 'valid, but not in the organisers group', token: await mintOrganiserToken(api.key, { sub: 'member-1', groups: ['members'] }), status: 403 },
  ];
}

export type LinkAction = MemberLinkAction;
export const LINK_ACTIONS = Object.keys(LINK_LIFETIME_MS) as readonly LinkAction[];

/** What a genuine link of each action carries (functions/links/member-links.ts). */
export interface LinkSubject {
  readonly memberId: string;
  readonly seriesId: string;
  readonly registrationId: string;
}

const payloadOf = (action: LinkAction, s: LinkSubject): Record<string, string> => {
  switch (action) {
    case 'confirm':
    case 'unregister':
      return { a: action, m: s.memberId, s: s.seriesId, r: s.registrationId };
    case 'change':
      return { a: action, m: s.memberId, s: s.seriesId, q: 'some-request' };
    case 'manage':
      return { a: action, m: s.memberId };
    case 'unsubscribe':
      return { a: action, m: s.memberId, s: s.seriesId };
    case 'join':
      return { a: action, m: s.memberId, s: s.seriesId, e: 'some-session' };
  }
};

export interface LinkForgery {
  readonly name: string;
  readonly token: string;
  /** 404: not one of ours (or not for this); 410: ours, but expired. */
  readonly status: 404 | 410;
}

/** Tokens for a link of `action` that must not be accepted. */
export function forgedLinkTokens(api: TestApi, action: LinkAction, subject: LinkSubject): LinkForgery[] {
  const inADay = new Date(Date.now() + 24 * 3600 * 1000);
  const payload = payloadOf(action, subject);
  const genuine = api.signer.sign(payload, inADay);
  const [body, signature] = genuine.split('.') as [string, string];
  const mallory = api.signer.sign({ ...payload, m: 'mallory' }, inADay).split('.')[0]!;
  const others = LINK_ACTIONS.filter((a) => a !== action);
  // A middle character: every one of its 6 bits is signature (see nonCanonicalSignature).
  const flipped = `${signature.slice(0, 20)}${signature[20] === 'A' ? 'B' : 'A'}${signature.slice(21)}`;
  return [
    { name: 'no token', token: '', status: 404 },
    { name: 'signed with another secret', token: createTokenSigner([randomBytes(32).toString('base64url')]).sign(payload, inADay), status: 404 },
    { name: 'expired a second ago', token: api.signer.sign(payload, new Date(Date.now() - 1000)), status: 410 },
    { name: 'payload swapped for another member', token: `${mallory}.${signature}`, status: 404 },
    { name: 'one character of the signature changed', token: `${body}.${flipped}`, status: 404 },
    { name: 'signature cut off', token: `${body}.`, status: 404 },
    { name: 'payload unsigned', token: body, status: 404 },
    ...others.map((other) => ({ name: `a genuine ${other} token`, token: api.signer.sign(payloadOf(other, subject), inADay), status: 404 as const })),
    { name: 'signed by us for an action that does not exist', token: api.signer.sign({ ...payload, a: `${action}!` }, inADay), status: 404 },
    { name: '5,000 characters', token: `${'A'.repeat(5000)}.${signature}`, status: 404 },
    { name: 'path trick', token: '../../admin/series', status: 404 },
  ];
}

/**
 * A genuine token whose signature's last character has its two unused bits set: base64url
 * of 32 bytes is 43 characters, the last carrying 4 bits, so four spellings decode to the
 * same signature. A verifier that decodes before comparing accepts all four.
 */
export function nonCanonicalSignature(token: string): string {
  const [body, signature] = token.split('.') as [string, string];
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  const last = alphabet.indexOf(signature.at(-1)!);
  return `${body}.${signature.slice(0, -1)}${alphabet[last | 0b11]}`;
}
