/**
 * Organiser tokens are Cognito access tokens and nothing else (issue 15, item 6): each token
 * below is signed with the API's own key and differs from a genuine one in one claim, so only
 * that claim can be why it is refused. A token without `exp` or `iat`, an ID or refresh token
 * (`token_use`), a token of another client or of none, one older than the maximum age (even
 * with a far `exp`), or one issued in the future: 401 on every admin route, nothing written.
 */
import { importJWK, SignJWT, type JWTPayload } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { ORGANISERS_GROUP } from '../../functions/api/route-table.js';
import { LOCAL_CLIENT_ID, LOCAL_ISSUER, LOCAL_TOKEN_LIFETIME_SECONDS } from '../../infra/local/organiser-token.js';
import { useTestApi } from '../support/api.js';
import { careRequest } from '../support/seed-requests.js';

const api = useTestApi();
const now = () => Math.floor(Date.now() / 1000);
const DAY = 24 * 3600;

/** The claims of a genuine local access token, as infra/local/organiser-token.ts mints them. */
const genuine = (): JWTPayload => ({
  'cognito:groups': [ORGANISERS_GROUP],
  token_use: 'access',
  client_id: LOCAL_CLIENT_ID,
  iss: LOCAL_ISSUER,
  sub: 'organiser-1',
  iat: now(),
  exp: now() + 3600,
});

/** Signs `claims` as they are (no claim added) with the test API's organiser key. */
async function signed(claims: JWTPayload): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg: 'ES256', kid: api.key.privateJwk.kid! }).sign(await importJWK(api.key.privateJwk, 'ES256'));
}

const without = (claim: string): JWTPayload => {
  const { [claim]: _dropped, ...rest } = genuine();
  return rest;
};

const refused: [name: string, claims: () => JWTPayload, detail: RegExp][] = [
  ['no exp', () => without('exp'), /exp/],
  ['no iat', () => without('iat'), /iat/],
  ['no token_use', () => without('token_use'), /token_use/],
  ['an ID token (token_use id)', () => ({ ...genuine(), token_use: 'id' }), /token_use/],
  ['a refresh token (token_use refresh)', () => ({ ...genuine(), token_use: 'refresh' }), /token_use/],
  ['no client_id', () => without('client_id'), /client_id/],
  ['another client', () => ({ ...genuine(), client_id: 'another-client' }), /client/],
  ['our client only in aud, as an ID token has it', () => ({ ...without('client_id'), aud: LOCAL_CLIENT_ID }), /client_id/],
  ['older than the maximum age, exp still ahead', () => ({ ...genuine(), iat: now() - LOCAL_TOKEN_LIFETIME_SECONDS - DAY, exp: now() + DAY }), /iat/],
  ['issued in the future', () => ({ ...genuine(), iat: now() + 3600, exp: now() + 7200 }), /iat/],
];

describe('organiser tokens', () => {
  let eventsBefore = 0;
  beforeAll(async () => {
    eventsBefore = await api.eventCount();
  });

  it('accepts a genuine access token of our client (the control for every case below)', async () => {
    const res = await api.request('GET', '/admin/series', { token: await signed(genuine()) });
    expect(res.status).toBe(200);
  });

  it('accepts a token minted by the local stack (30 days), and one at the end of its life', async () => {
    expect((await api.request('GET', '/admin/series', { token: await api.token() })).status).toBe(200);
    const old = { ...genuine(), iat: now() - LOCAL_TOKEN_LIFETIME_SECONDS + 60, exp: now() + 30 };
    expect((await api.request('GET', '/admin/series', { token: await signed(old) })).status).toBe(200);
  });

  it.each(refused)('refuses a token with %s: 401 naming the claim, on reads and writes, nothing written', async (_name, claims, detail) => {
    const token = await signed(claims());
    const read = await api.request('GET', '/admin/series', { token });
    expect([read.status, read.body?.type]).toEqual([401, '/problems/unauthorized']);
    expect(read.body.detail).toMatch(detail);
    const write = await api.request('POST', '/admin/series', { token, body: careRequest, headers: { 'idempotency-key': crypto.randomUUID() } });
    expect(write.status).toBe(401);
    expect(await api.eventCount()).toBe(eventsBefore);
  });
});
