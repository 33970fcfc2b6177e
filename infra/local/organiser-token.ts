/**
 * Organiser tokens for the local stack: an ES256 key pair kept in the data folder (the
 * stand-in for Cognito's signing key) and tokens with the claims a Cognito access token has
 * (`token_use: access`, `client_id`, `iat`, `exp`, `cognito:groups`). The API verifies them
 * exactly as it verifies Cognito's, against the public key, with the local client id and a
 * maximum age that allows what `npm start` mints (30 days).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { exportJWK, generateKeyPair, importJWK, SignJWT, type JWK } from 'jose';
import { createTokenVerifier, type TokenVerifier, type TokenVerifierConfig } from '../../functions/api/auth.js';
import { ORGANISERS_GROUP } from '../../functions/api/route-table.js';

export const LOCAL_ISSUER = 'http://127.0.0.1/convene-local-organisers';
/** The `client_id` of local organiser tokens (on AWS: the user pool client's id). */
export const LOCAL_CLIENT_ID = 'convene-local-api';
/** How long a token `npm start` mints is valid, in seconds: 30 days. */
export const LOCAL_TOKEN_LIFETIME_SECONDS = 30 * 24 * 3600;

/** How the local stack's API verifies organiser tokens: as on AWS, against this public key, allowing what the local stack mints. */
export function localVerifierConfig(publicJwk: JWK): TokenVerifierConfig {
  return { issuer: LOCAL_ISSUER, publicJwk, clientId: LOCAL_CLIENT_ID, maxTokenAgeSeconds: LOCAL_TOKEN_LIFETIME_SECONDS };
}

export function localTokenVerifier(publicJwk: JWK): TokenVerifier {
  return createTokenVerifier(localVerifierConfig(publicJwk));
}

export interface SigningKey {
  readonly privateJwk: JWK;
  readonly publicJwk: JWK;
}

export async function newSigningKey(): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  const kid = crypto.randomUUID();
  return {
    privateJwk: { ...(await exportJWK(privateKey)), alg: 'ES256', kid },
    publicJwk: { ...(await exportJWK(publicKey)), alg: 'ES256', kid, use: 'sig' },
  };
}

/** The key in `file`, made on first use (mode 0600). */
export async function loadOrCreateSigningKey(file: string): Promise<SigningKey> {
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as SigningKey;
  const key = await newSigningKey();
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(key, null, 2)}\n`, { mode: 0o600 });
  return key;
}

export interface TokenClaims {
  readonly sub?: string;
  readonly groups?: readonly string[];
  readonly expiresIn?: string | number;
  readonly issuer?: string;
  readonly email?: string;
  /** Default: LOCAL_CLIENT_ID. */
  readonly clientId?: string;
}

export async function mintOrganiserToken(key: SigningKey, claims: TokenClaims = {}): Promise<string> {
  const signingKey = await importJWK(key.privateJwk, 'ES256');
  return new SignJWT({
    'cognito:groups': [...(claims.groups ?? [ORGANISERS_GROUP])],
    token_use: 'access',
    client_id: claims.clientId ?? LOCAL_CLIENT_ID,
    ...(claims.email ? { email: claims.email } : {}),
  })
    .setProtectedHeader({ alg: 'ES256', kid: key.privateJwk.kid! })
    .setIssuer(claims.issuer ?? LOCAL_ISSUER)
    .setSubject(claims.sub ?? 'local-organiser')
    .setIssuedAt()
    .setExpirationTime(claims.expiresIn ?? `${LOCAL_TOKEN_LIFETIME_SECONDS}s`)
    .sign(signingKey);
}
