/**
 * Organiser tokens for the local stack: an ES256 key pair kept in the data folder (the
 * stand-in for Cognito's signing key) and tokens with the claims a Cognito access token has.
 * The API verifies them exactly as it verifies Cognito's, against the public key.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { exportJWK, generateKeyPair, importJWK, SignJWT, type JWK } from 'jose';
import { ORGANISERS_GROUP } from '../../functions/api/route-table.js';

export const LOCAL_ISSUER = 'http://127.0.0.1/convene-local-organisers';

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
}

export async function mintOrganiserToken(key: SigningKey, claims: TokenClaims = {}): Promise<string> {
  const signingKey = await importJWK(key.privateJwk, 'ES256');
  return new SignJWT({
    'cognito:groups': [...(claims.groups ?? [ORGANISERS_GROUP])],
    token_use: 'access',
    ...(claims.email ? { email: claims.email } : {}),
  })
    .setProtectedHeader({ alg: 'ES256', kid: key.privateJwk.kid! })
    .setIssuer(claims.issuer ?? LOCAL_ISSUER)
    .setSubject(claims.sub ?? 'local-organiser')
    .setIssuedAt()
    .setExpirationTime(claims.expiresIn ?? '30d')
    .sign(signingKey);
}
