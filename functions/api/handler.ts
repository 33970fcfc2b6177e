/**
 * The API Lambda: the same hono app `npm start` serves, behind API Gateway's HTTP API. The
 * link-signing secrets are read from Secrets Manager on the first request, not at import.
 */
import { apiHandlerFromEnvironment } from './environment.js';

export const handler = apiHandlerFromEnvironment(process.env);
