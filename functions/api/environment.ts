/** The API wired from a Lambda's (or `npm start`'s) environment. */
import type { JWK } from 'jose';
import { conveneEventStore } from '../adapters/event-store/index.js';
import { createApi } from './app.js';
import { createTokenVerifier } from './auth.js';
import { AUTH_ENV } from './route-table.js';

export function apiFromEnvironment(env: Record<string, string | undefined>) {
  const issuer = env[AUTH_ENV.issuer];
  if (!issuer) throw new Error(`environment variable ${AUTH_ENV.issuer} is not set`);
  const jwksUrl = env[AUTH_ENV.jwksUrl];
  const publicJwk = env[AUTH_ENV.publicJwk];
  const clientId = env[AUTH_ENV.clientId];
  const verifyOrganiserToken = createTokenVerifier({
    issuer,
    ...(jwksUrl ? { jwksUrl } : {}),
    ...(publicJwk ? { publicJwk: JSON.parse(publicJwk) as JWK } : {}),
    ...(clientId ? { clientId } : {}),
  });
  return createApi({ store: conveneEventStore(env), verifyOrganiserToken });
}
