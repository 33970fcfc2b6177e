/**
 * The API as `npm start` serves it, on a local stack of the benchmark's own: one builder for
 * every benchmark that talks HTTP, so each measures the same app.
 */
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import { serve } from '@hono/node-server';
import { documentClient } from '../../functions/adapters/dynamodb-client.js';
import { conveneEventStore } from '../../functions/adapters/event-store/index.js';
import { createMemberDirectory, type MemberDirectory } from '../../functions/adapters/members/member-directory.js';
import type { Hono } from 'hono';
import { createReadModelStore } from '../../functions/read-models/read-model-store.js';
import { batchedFeedReads, feedTablesOf } from '../../functions/read-models/member-feed-reads.js';
import { createRecordingStore } from '../../functions/adapters/recordings/recording-store.js';
import { createApi } from '../../functions/api/app.js';
import { createManageAttempts } from '../../functions/adapters/members/manage-attempts.js';
import { createTokenSigner } from '../../functions/security/signed-token.js';
import { LOCAL_CREDENTIALS, localClients, type LocalClients } from '../../infra/local/clients.js';
import { freePort } from '../../infra/local/free-port.js';
import { localTokenVerifier, newSigningKey } from '../../infra/local/organiser-token.js';
import type { LocalStack } from '../../infra/local/stack.js';
import { deliveryTable, idempotencyTable, intakeTable, membersTable, readModelTable, tableEnvironment } from '../../functions/tables.js';
import { createRegistrationIntake } from '../../functions/adapters/intake/registration-intake.js';
import { createRateLimitCounter } from '../../functions/adapters/rate-limits/rate-limit-counter.js';
import { COUNT_ONLY_LIMITS } from '../../functions/api/rate-limit.js';
import { createFailureReader } from '../../functions/adapters/deliveries/delivery-failures.js';

export interface BenchApi {
  readonly url: string;
  readonly clients: LocalClients;
  readonly doc: ReturnType<typeof documentClient>;
  readonly store: ReturnType<typeof conveneEventStore>;
  readonly readModels: ReturnType<typeof createReadModelStore>;
  readonly members: ReturnType<typeof createMemberDirectory>;
  /** DynamoDB Local's streams, for the pollers a benchmark starts. */
  readonly streams: DynamoDBStreamsClient;
  /** The key organiser tokens of this API are signed with. */
  readonly key: Awaited<ReturnType<typeof newSigningKey>>;
  stop(): Promise<void>;
}

export interface BenchApiOptions {
  /** The member directory the API uses, from the plain one (e.g. one that also removes rotated feeds' objects). */
  readonly members?: (members: MemberDirectory) => MemberDirectory;
  /** What serves in front of the API (e.g. the local feed edge), as `npm start` puts it. */
  readonly front?: (api: Hono) => { fetch: Hono['fetch'] };
}

export async function startBenchApi(stack: LocalStack, options: BenchApiOptions = {}): Promise<BenchApi> {
  const clients = localClients(stack.info);
  const streams = new DynamoDBStreamsClient({ region: stack.info.region, endpoint: stack.info.dynamodb.endpoint, credentials: LOCAL_CREDENTIALS });
  const doc = documentClient(clients.dynamodb);
  const store = conveneEventStore(tableEnvironment(stack.info.tables), doc);
  const readModels = createReadModelStore(doc, stack.info.tables[readModelTable.id]!);
  const plainMembers = createMemberDirectory(doc, stack.info.tables[membersTable.id]!);
  const members = options.members ? options.members(plainMembers) : plainMembers;
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const key = await newSigningKey();
  const app = createApi({
    store,
    readModels,
    failures: createFailureReader(doc, stack.info.tables[deliveryTable.id]!),
    members,
    intake: createRegistrationIntake(doc, stack.info.tables[intakeTable.id]!),
    feedReads: batchedFeedReads(doc, feedTablesOf(stack.info.tables), { readModels, store }),
    baseUrl: url,
    signer: createTokenSigner([randomBytes(32).toString('base64url')]),
    manageAttempts: createManageAttempts(doc, stack.info.tables[membersTable.id]!),
    recordings: createRecordingStore(clients.s3, stack.info.s3.bucket),
    verifyOrganiserToken: localTokenVerifier(key.publicJwk),
    // The benchmark is one address sending what thousands of members would: counted, never limited.
    rateLimit: { counter: createRateLimitCounter(doc, stack.info.tables[idempotencyTable.id]!), limits: COUNT_ONLY_LIMITS },
  });
  const server = await new Promise<Server>((resolve) => {
    const front = options.front ? options.front(app as unknown as Hono) : app;
    const s = serve({ fetch: front.fetch, port, hostname: '127.0.0.1' }, () => resolve(s as Server)) as Server;
  });
  return {
    url,
    clients,
    doc,
    store,
    readModels,
    members,
    streams,
    key,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
        clients.dynamodb.destroy();
        clients.ses.destroy();
        clients.s3.destroy();
        streams.destroy();
      }),
  };
}
