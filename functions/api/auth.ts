/**
 * Organiser authentication: a bearer JWT, verified with jose against Cognito's JWKS on AWS or
 * a local public key for `npm start` and the tests, and the `organisers` group required.
 * Only an access token of our own client is accepted: `token_use` "access", `client_id` the
 * API's client (an ID token, whose client is in `aud`, is not), `exp` and `iat` present, and
 * no older than the maximum age whatever its `exp` says (nor issued in the future).
 * No token or a bad one: 401. A valid token without the group: 403.
 */
import type { MiddlewareHandler } from 'hono';
import { createRemoteJWKSet, importJWK, jwtVerify, type JWK, type JWTPayload } from 'jose';
import type { Actor } from '../../events/shared/event.js';
import { ForbiddenError, UnauthorizedError } from './problems.js';
import { AUTH_ENV, ORGANISERS_GROUP } from './route-table.js';
import { requireEnv } from '../environment.js';

export interface TokenVerifierConfig {
  readonly issuer: string;
  /** Cognito: `${issuer}/.well-known/jwks.json`. */
  readonly jwksUrl?: string;
  /** Or one public key (the local stack's). */
  readonly publicJwk?: JWK;
  /** The token's `client_id` (a Cognito access token's) must equal it. */
  readonly clientId: string;
  /** A token issued (`iat`) longer ago than this is refused, whatever its `exp`. */
  readonly maxTokenAgeSeconds: number;
}

export type TokenVerifier = (token: string) => Promise<JWTPayload>;

/** Clock skew allowed between the token's issuer and us, on `exp` and `iat`. */
const CLOCK_TOLERANCE_SECONDS = 5;

/** The verifier a handler's environment describes (route-table.ts AUTH_ENV); a missing or bad setting fails at start. */
export function tokenVerifierFromEnvironment(env: Record<string, string | undefined>): TokenVerifier {
  const issuer = requireEnv(env, AUTH_ENV.issuer);
  const jwksUrl = env[AUTH_ENV.jwksUrl];
  const publicJwk = env[AUTH_ENV.publicJwk];
  const clientId = requireEnv(env, AUTH_ENV.clientId);
  const maxAge = requireEnv(env, AUTH_ENV.maxAgeSeconds);
  if (!/^[1-9]\d*$/.test(maxAge)) throw new Error(`environment variable ${AUTH_ENV.maxAgeSeconds} must be a whole number of seconds above 0, not ${JSON.stringify(maxAge)}`);
  return createTokenVerifier({
    issuer,
    ...(jwksUrl ? { jwksUrl } : {}),
    ...(publicJwk ? { publicJwk: JSON.parse(publicJwk) as JWK } : {}),
    clientId,
    maxTokenAgeSeconds: Number(maxAge),
  });
}

export function createTokenVerifier(config: TokenVerifierConfig): TokenVerifier {
  const key = config.jwksUrl
    ? createRemoteJWKSet(new URL(config.jwksUrl))
    : config.publicJwk
      ? importJWK(config.publicJwk, config.publicJwk.alg ?? 'ES256')
      : undefined;
  if (!key) throw new Error('organiser tokens need a JWKS URL or a public key to be verified with');
  if (!config.clientId) throw new Error('organiser tokens need the client id they must be issued to');
  if (!(Number.isInteger(config.maxTokenAgeSeconds) && config.maxTokenAgeSeconds > 0)) throw new Error('organiser tokens need a maximum age in whole seconds');
  return async (token) => {
    const verifyWith = typeof key === 'function' ? key : await key;
    const { payload } = await jwtVerify(token, verifyWith as Parameters<typeof jwtVerify>[1], {
      issuer: config.issuer,
      requiredClaims: ['exp', 'iat', 'sub', 'token_use', 'client_id'],
      maxTokenAge: config.maxTokenAgeSeconds,
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
    });
    if (payload.token_use !== 'access') throw new Error('"token_use" claim must be "access": send an access token, not an ID or refresh token');
    if (payload.client_id !== config.clientId) throw new Error('"client_id" claim names another client: the token was issued to another client');
    return payload;
  };
}

export type OrganiserVariables = { actor: Actor };

export function requireOrganiser(verify: TokenVerifier): MiddlewareHandler<{ Variables: OrganiserVariables }> {
  return async (c, next) => {
    c.set('actor', await organiserOf(c.req.header('authorization'), verify));
    await next();
  };
}

/** The organiser an Authorization header proves; 401 without a valid token, 403 without the group. */
export async function organiserOf(header: string | undefined, verify: TokenVerifier): Promise<Actor> {
  const m = header === undefined ? null : /^Bearer\s+([\w-]+\.[\w-]+\.[\w-]+)\s*$/i.exec(header);
  if (!m) throw new UnauthorizedError('Send an organiser token: Authorization: Bearer <token>.', header !== undefined);
  let claims: JWTPayload;
  try {
    claims = await verify(m[1]!);
  } catch (error) {
    throw new UnauthorizedError(`The token was not accepted: ${(error as Error).message}`, true);
  }
  const groups = claims['cognito:groups'];
  if (!Array.isArray(groups) || !groups.includes(ORGANISERS_GROUP)) {
    throw new ForbiddenError(`This token is valid but not an organiser's: it needs the "${ORGANISERS_GROUP}" group.`);
  }
  if (typeof claims.sub !== 'string' || claims.sub === '') throw new UnauthorizedError('The token names no subject.', true);
  return { kind: 'organiser', id: claims.sub };
}
