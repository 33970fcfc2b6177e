/**
 * Dispatchers for tests: the same wiring the Lambda uses (functions/dispatcher/environment.ts),
 * against a test API's tables and the local SES endpoint, at a simulated instant.
 */
import { SESClient } from '@aws-sdk/client-ses';
import { documentClient } from '../../functions/adapters/dynamodb-client.js';
import type { Mailer } from '../../functions/adapters/mailer/mailer.js';
import { createSesMailer } from '../../functions/adapters/mailer/ses-mailer.js';
import { MAIL_FROM_ENV, PUBLIC_BASE_URL_ENV, SIGNING_SECRETS_ENV } from '../../functions/api/route-table.js';
import type { DispatcherDeps } from '../../functions/dispatcher/dispatch.js';
import { dispatcherFromEnvironment } from '../../functions/dispatcher/environment.js';
import { MAIL_SEND_RATE_ENV } from '../../functions/dispatcher/send-rate.js';
import { tableEnvironment } from '../../functions/tables.js';
import { LOCAL_REPLY_DOMAIN, REPLY_DOMAIN_ENV } from '../../functions/inbound/reply-address.js';
import type { TestApi } from './api.js';
import { clients } from './local.js';

export const TEST_MAIL_FROM = 'Convene <no-reply@convene.test>';

/** The environment a dispatcher Lambda would get for this test API. */
export function dispatcherEnvironment(api: TestApi): Record<string, string> {
  return {
    ...tableEnvironment(api.names),
    [PUBLIC_BASE_URL_ENV]: api.url,
    [MAIL_FROM_ENV]: TEST_MAIL_FROM,
    [SIGNING_SECRETS_ENV]: api.signingSecret,
    [MAIL_SEND_RATE_ENV]: '2000',
    // Invitations ask for an answer (RSVP=TRUE) to a reply address on the local reply domain.
    [REPLY_DOMAIN_ENV]: LOCAL_REPLY_DOMAIN,
  };
}

export function testDispatcher(api: TestApi, overrides: Partial<DispatcherDeps> = {}) {
  return dispatcherFromEnvironment(dispatcherEnvironment(api), { dynamodb: documentClient(clients().dynamodb), ses: clients().ses }, overrides);
}

/** A mailer that keeps the raw bytes of every mail it hands to SES. */
export function recordingMailer(inner: Mailer = createSesMailer(clients().ses)): Mailer & { readonly sent: Buffer[] } {
  const sent: Buffer[] = [];
  return {
    sent,
    async sendRaw(raw) {
      const result = await inner.sendRaw(raw);
      sent.push(raw);
      return result;
    },
  };
}

export { SESClient };
