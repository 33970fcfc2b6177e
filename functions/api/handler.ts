/** The API Lambda: the same hono app `npm start` serves, behind API Gateway's HTTP API. */
import { handle } from 'hono/aws-lambda';
import { apiFromEnvironment } from './environment.js';

export const handler = handle(apiFromEnvironment(process.env));
