/** The API wired from a Lambda's environment, and the Lambda handler that serves it. */
import type { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import { handle, type APIGatewayProxyResult, type LambdaContext, type LambdaEvent } from 'hono/aws-lambda';
import { conveneEventStore } from '../adapters/event-store/index.js';
import { createApi } from './app.js';
import { tokenVerifierFromEnvironment } from './auth.js';
import { Logger } from '@aws-lambda-powertools/logger';
import { PUBLIC_BASE_URL_ENV } from './route-table.js';
import { createMemberDirectory } from '../adapters/members/member-directory.js';
import { createManageAttempts } from '../adapters/members/manage-attempts.js';
import type { TokenSigner } from '../security/signed-token.js';
import { linkSigningFromEnvironment } from '../security/signing-secrets.js';
import { deliveryTable, idempotencyTable, intakeTable, membersTable, readModelTable } from '../tables.js';
import { createRegistrationIntake } from '../adapters/intake/registration-intake.js';
import { createRateLimitCounter } from '../adapters/rate-limits/rate-limit-counter.js';
import { createFailureReader } from '../adapters/deliveries/delivery-failures.js';
import { documentClient } from '../adapters/dynamodb-client.js';
import { createReadModelStore } from '../read-models/read-model-store.js';
import { batchedFeedReads } from '../read-models/member-feed-reads.js';
import { requireEnv } from '../environment.js';
import { logErrorsTo } from './http-app.js';
import { ApiError, toProblem } from './problems.js';
import { edgeOriginDeps } from '../security/edge-origin.js';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { FEEDS_BUCKET_ENV } from '../feeds/feed-objects.js';
import { createFeedRemover } from '../adapters/feeds/feed-remover.js';
import { removingRotatedFeeds } from '../adapters/feeds/rotated-feeds.js';

/** The app, wired from the environment; links are signed by `signer` (see apiHandlerFromEnvironment). */
export function apiFromEnvironment(env: Record<string, string | undefined>, { logger, signer, secrets }: { readonly logger: Logger; readonly signer: TokenSigner; readonly secrets?: SecretsProvider }) {
  const verifyOrganiserToken = tokenVerifierFromEnvironment(env);
  const required = (name: string) => requireEnv(env, name);
  const readModelTableName = required(readModelTable.envVar);
  const baseUrl = required(PUBLIC_BASE_URL_ENV);
  const client = documentClient();
  const readModels = createReadModelStore(client, readModelTableName);
  const membersTableName = required(membersTable.envVar);
  const store = conveneEventStore(env, client);
  return createApi({
    store,
    readModels,
    failures: createFailureReader(client, required(deliveryTable.envVar)),
    members: membersFromEnvironment(env, client, membersTableName, logger),
    intake: createRegistrationIntake(client, required(intakeTable.envVar)),
    feedReads: batchedFeedReads(client, { members: membersTableName, readModels: readModelTableName }, { readModels, store }),
    signer,
    manageAttempts: createManageAttempts(client, membersTableName),
    baseUrl,
    verifyOrganiserToken,
    // Counted in the idempotency table (it has a TTL); PUBLIC_WRITE_LIMITS.
    rateLimit: { counter: createRateLimitCounter(client, required(idempotencyTable.envVar)) },
    logError: logErrorsTo(logger),
    ...edgeOriginDeps(env, secrets),
  });
}

/**
 * The member directory; with feeds served from the feeds bucket (FEEDS_BUCKET_NAME), a rotated
 * feed token's object is removed before the answer (one signed DeleteObject, no S3 client).
 */
function membersFromEnvironment(env: Record<string, string | undefined>, client: DynamoDBDocumentClient, table: string, logger: Logger) {
  const members = createMemberDirectory(client, table);
  const bucket = env[FEEDS_BUCKET_ENV];
  if (!bucket) return members;
  const remover = createFeedRemover({ bucket, region: requireEnv(env, 'AWS_REGION'), credentials: client.config.credentials, ...(env.AWS_ENDPOINT_URL_S3 ? { endpoint: env.AWS_ENDPOINT_URL_S3 } : {}) });
  return removingRotatedFeeds(members, remover, (error) => logger.warn("could not remove a rotated feed token's object; the feed renderer removes it from the directory's stream", error as Error));
}

export interface ApiHandlerOptions {
  /** Where the link-signing secrets are read from; default: Secrets Manager through a Powertools provider of its own. */
  readonly secrets?: SecretsProvider;
  readonly logger?: Logger;
}

/**
 * The API Lambda's handler. Building it reads nothing over the network: the link-signing
 * secrets (SIGNING_SECRET_ARN) are read on the first request and then kept, read again once
 * older than their maximum age (functions/security/signing-secrets.ts). If they cannot be read
 * at all, requests get a 503 problem and may be retried.
 */
export function apiHandlerFromEnvironment(env: Record<string, string | undefined>, options: ApiHandlerOptions = {}) {
  const logger = options.logger ?? new Logger({ serviceName: 'api' });
  const signing = linkSigningFromEnvironment(env, {
    ...(options.secrets ? { secrets: options.secrets } : {}),
    onStaleSecrets: (error) => logger.warn('could not read the link-signing secrets again: signing with the ones read before', error as Error),
  });
  const serve = handle(apiFromEnvironment(env, { logger, signer: signing.signer, ...(options.secrets ? { secrets: options.secrets } : {}) }));
  return async (event: LambdaEvent, context?: LambdaContext): Promise<APIGatewayProxyResult> => {
    try {
      await signing.ready();
    } catch (error) {
      logger.error('could not read the link-signing secrets', error as Error);
      const { problem, headers } = toProblem(
        new ApiError(503, 'secrets-unavailable', 'Temporarily unavailable', 'We cannot check or sign links right now; nothing was done. Send the same request again shortly.', undefined, { 'Retry-After': '5' }),
      );
      return { statusCode: problem.status, headers: { ...headers, 'Content-Type': 'application/problem+json' }, body: JSON.stringify(problem), isBase64Encoded: false };
    }
    return serve(event, context);
  };
}
