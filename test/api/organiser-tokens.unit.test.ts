/**
 * How organiser tokens are verified, as a handler's environment sets it up (route-table.ts
 * AUTH_ENV) and as the local stack does (issue 15, item 6): the client id and the maximum
 * token age are required settings, and the local verifier allows exactly what the local
 * stack mints.
 */
import { importJWK, SignJWT, type JWTPayload } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { tokenVerifierFromEnvironment } from '../../functions/api/auth.js';
import { AUTH_ENV, ORGANISERS_GROUP } from '../../functions/api/route-table.js';
import {
  LOCAL_CLIENT_ID,
  LOCAL_ISSUER,
  LOCAL_TOKEN_LIFETIME_SECONDS,
  localTokenVerifier,
  mintOrganiserToken,
  newSigningKey,
  type SigningKey,
} from '../../infra/local/organiser-token.js';

let key: SigningKey;
beforeAll(async () => {
  key = await newSigningKey();
});

const now = () => Math.floor(Date.now() / 1000);
const claims = (iat: number, exp: number): JWTPayload => ({ 'cognito:groups': [ORGANISERS_GROUP], token_use: 'access', client_id: 'the-client', iss: 'https://issuer.example', sub: 'o-1', iat, exp });
const sign = async (payload: JWTPayload) => new SignJWT(payload).setProtectedHeader({ alg: 'ES256', kid: key.privateJwk.kid! }).sign(await importJWK(key.privateJwk, 'ES256'));

const environment = (): Record<string, string> => ({
  [AUTH_ENV.issuer]: 'https://issuer.example',
  [AUTH_ENV.publicJwk]: JSON.stringify(key.publicJwk),
  [AUTH_ENV.clientId]: 'the-client',
  [AUTH_ENV.maxAgeSeconds]: '3600',
});

describe('the verifier a handler environment describes', () => {
  it('takes the maximum token age from ORGANISER_JWT_MAX_AGE_SECONDS: a token older than that is refused even before its exp', async () => {
    expect(AUTH_ENV.maxAgeSeconds).toBe('ORGANISER_JWT_MAX_AGE_SECONDS');
    const verify = tokenVerifierFromEnvironment(environment());
    await expect(verify(await sign(claims(now() - 1800, now() + 1800)))).resolves.toMatchObject({ sub: 'o-1' });
    await expect(verify(await sign(claims(now() - 7200, now() + 3600)))).rejects.toThrow(/iat/);
    const longer = tokenVerifierFromEnvironment({ ...environment(), [AUTH_ENV.maxAgeSeconds]: String(3 * 3600) });
    await expect(longer(await sign(claims(now() - 7200, now() + 3600)))).resolves.toMatchObject({ sub: 'o-1' });
  });

  it('does not start without a client id or a maximum age, or with a maximum age that is not a positive whole number of seconds', () => {
    expect(() => tokenVerifierFromEnvironment(environment())).not.toThrow();
    for (const name of [AUTH_ENV.clientId, AUTH_ENV.maxAgeSeconds]) {
      const { [name]: _dropped, ...rest } = environment();
      expect(() => tokenVerifierFromEnvironment(rest), name).toThrow(name);
    }
    for (const bad of ['0', '-60', '1h', '3600.5', 'abc']) {
      expect(() => tokenVerifierFromEnvironment({ ...environment(), [AUTH_ENV.maxAgeSeconds]: bad }), bad).toThrow(AUTH_ENV.maxAgeSeconds);
    }
  });
});

describe('the local stack', () => {
  it('mints access tokens with token_use, client_id, iat and exp, valid 30 days', async () => {
    const token = await mintOrganiserToken(key);
    const payload = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')) as JWTPayload;
    expect(payload).toMatchObject({ token_use: 'access', client_id: LOCAL_CLIENT_ID, iss: LOCAL_ISSUER });
    expect(payload.exp! - payload.iat!).toBe(LOCAL_TOKEN_LIFETIME_SECONDS);
    expect(Math.abs(payload.iat! - now())).toBeLessThanOrEqual(5);
  });

  it('verifies what it mints for the whole of its life, and nothing older', async () => {
    const verify = localTokenVerifier(key.publicJwk);
    await expect(verify(await mintOrganiserToken(key, { sub: 'o-2' }))).resolves.toMatchObject({ sub: 'o-2', client_id: LOCAL_CLIENT_ID });
    const local = (iat: number, exp: number) => sign({ ...claims(iat, exp), iss: LOCAL_ISSUER, client_id: LOCAL_CLIENT_ID });
    await expect(verify(await local(now() - LOCAL_TOKEN_LIFETIME_SECONDS + 60, now() + 60))).resolves.toBeDefined();
    await expect(verify(await local(now() - LOCAL_TOKEN_LIFETIME_SECONDS - 3600, now() + 3600))).rejects.toThrow(/iat/);
  });
});
