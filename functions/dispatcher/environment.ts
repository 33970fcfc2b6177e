/** The dispatcher wired from a Lambda's (or `npm start`'s) environment. */
import { SESClient } from '@aws-sdk/client-ses';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { deliveryTable, membersTable, readModelTable } from '../tables.js';
import { createDeliveryLedger } from '../adapters/deliveries/delivery-ledger.js';
import { documentClient } from '../adapters/dynamodb-client.js';
import { MAIL_CONFIGURATION_SET_ENV } from '../adapters/mailer/configuration-set.js';
import { createSesMailer } from '../adapters/mailer/ses-mailer.js';
import { createMemberDirectory } from '../adapters/members/member-directory.js';
import { createSuppressionList } from '../adapters/members/suppression-list.js';
import { createReadModelStore } from '../read-models/read-model-store.js';
import { MAIL_FROM_ENV, PUBLIC_BASE_URL_ENV, SIGNING_SECRETS_ENV } from '../api/route-table.js';
import { createTokenSigner } from '../security/signed-token.js';
import { parseSigningSecrets } from '../security/signing-secrets.js';
import { createDispatcher, type DispatcherDeps } from './dispatch.js';
import { sendRateFrom } from './send-rate.js';
import { requireEnv } from '../environment.js';
import { REPLY_DOMAIN_ENV, replyAddresses } from '../inbound/reply-address.js';

/**
 * The dispatcher from its environment. Links are signed by `overrides.signer` when given (the
 * Lambda handler's, whose secrets come from Secrets Manager), else with SIGNING_SECRETS.
 */
export function dispatcherFromEnvironment(
  env: Record<string, string | undefined>,
  clients: { readonly dynamodb?: DynamoDBDocumentClient; readonly ses?: SESClient } = {},
  overrides: Partial<DispatcherDeps> = {},
) {
  const required = (name: string) => requireEnv(env, name);
  const client = clients.dynamodb ?? documentClient();
  const ses = clients.ses ?? new SESClient({});
  const baseUrl = required(PUBLIC_BASE_URL_ENV);
  const configurationSet = env[MAIL_CONFIGURATION_SET_ENV];
  const membersTableName = required(membersTable.envVar);
  const signer = overrides.signer ?? createTokenSigner(parseSigningSecrets(required(SIGNING_SECRETS_ENV)));
  const replyDomain = env[REPLY_DOMAIN_ENV];
  return createDispatcher({
    readModels: createReadModelStore(client, required(readModelTable.envVar)),
    ledger: createDeliveryLedger(client, required(deliveryTable.envVar)),
    members: createMemberDirectory(client, membersTableName),
    suppression: createSuppressionList(client, membersTableName),
    mailer: createSesMailer(ses, configurationSet ? { configurationSet } : {}),
    signer,
    ...(replyDomain ? { replyAddresses: replyAddresses(signer, replyDomain) } : {}),
    baseUrl,
    compose: { from: required(MAIL_FROM_ENV), messageIdDomain: new URL(baseUrl).hostname },
    sendRate: () => sendRateFrom(env, ses),
    ...overrides,
  });
}
