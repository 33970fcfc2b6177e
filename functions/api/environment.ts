/** The API wired from a Lambda's (or `npm start`'s) environment. */
import { conveneEventStore } from '../adapters/event-store/index.js';
import { createApi } from './app.js';
import { tokenVerifierFromEnvironment } from './auth.js';
import { Logger } from '@aws-lambda-powertools/logger';
import { SESClient } from '@aws-sdk/client-ses';
import { MAIL_FROM_ENV, PUBLIC_BASE_URL_ENV, SIGNING_SECRETS_ENV } from './route-table.js';
import { createMemberDirectory } from '../adapters/members/member-directory.js';
import { MAIL_CONFIGURATION_SET_ENV } from '../adapters/mailer/configuration-set.js';
import { createSesMailer } from '../adapters/mailer/ses-mailer.js';
import { confirmationSender } from '../mail/send-confirmation.js';
import { createTokenSigner } from '../security/signed-token.js';
import { deliveryTable, eventTable, idempotencyTable, membersTable, readModelTable } from '../../infra/tables.js';
import { createRateLimitCounter } from '../adapters/rate-limits/rate-limit-counter.js';
import { createFailureReader } from '../adapters/deliveries/delivery-failures.js';
import { documentClient } from '../adapters/dynamodb-client.js';
import { createReadModelStore } from '../adapters/read-models/read-model-store.js';
import { batchedFeedReads } from '../adapters/read-models/member-feed-reads.js';
import { requireEnv } from '../environment.js';

export function apiFromEnvironment(env: Record<string, string | undefined>, logger = new Logger({ serviceName: 'api' })) {
  const verifyOrganiserToken = tokenVerifierFromEnvironment(env);
  const required = (name: string) => requireEnv(env, name);
  const readModelTableName = required(readModelTable.envVar);
  const baseUrl = required(PUBLIC_BASE_URL_ENV);
  const client = documentClient();
  const from = required(MAIL_FROM_ENV);
  // Bounces and complaints of confirmation mail reach the suppression list through this set.
  const configurationSet = env[MAIL_CONFIGURATION_SET_ENV];
  const mailer = createSesMailer(new SESClient({}), configurationSet ? { configurationSet } : {});
  const readModels = createReadModelStore(client, readModelTableName);
  const membersTableName = required(membersTable.envVar);
  return createApi({
    store: conveneEventStore(env, client),
    readModels,
    failures: createFailureReader(client, required(deliveryTable.envVar)),
    members: createMemberDirectory(client, membersTableName),
    feedReads: batchedFeedReads(client, { members: membersTableName, readModels: readModelTableName, events: required(eventTable.envVar) }, readModels),
    signer: createTokenSigner(required(SIGNING_SECRETS_ENV).split(',')),
    sendConfirmation: confirmationSender(mailer, { from, messageIdDomain: new URL(baseUrl).hostname }),
    baseUrl,
    verifyOrganiserToken,
    // Counted in the idempotency table (it has a TTL); PUBLIC_WRITE_LIMITS.
    rateLimit: { counter: createRateLimitCounter(client, required(idempotencyTable.envVar)) },
    logError: (message, error) => logger.error(message, error as Error),
  });
}
