/** The API wired from a Lambda's (or `npm start`'s) environment. */
import type { JWK } from 'jose';
import { conveneEventStore } from '../adapters/event-store/index.js';
import { createApi } from './app.js';
import { createTokenVerifier } from './auth.js';
import { AUTH_ENV, PUBLIC_BASE_URL_ENV } from './route-table.js';
import { readModelTable } from '../../infra/tables.js';
import { documentClient } from '../adapters/dynamodb-client.js';
import { createReadModelStore } from '../adapters/read-models/read-model-store.js';

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
  const readModelTableName = env[readModelTable.envVar];
  if (!readModelTableName) throw new Error(`environment variable ${readModelTable.envVar} is not set`);
  const baseUrl = env[PUBLIC_BASE_URL_ENV];
  if (!baseUrl) throw new Error(`environment variable ${PUBLIC_BASE_URL_ENV} is not set`);
  const client = documentClient();
  return createApi({
    store: conveneEventStore(env, client),
    readModels: createReadModelStore(client, readModelTableName),
    baseUrl,
    verifyOrganiserToken,
  });
}
