/**
 * The API as tests run it, on any DynamoDB: the same hono app `npm start` serves, wired to
 * the given client and tables, served on a free port on 127.0.0.1, with a test signing key.
 * useTestApi (./api.ts) builds it on the run's DynamoDB Local; a fault test builds it on a
 * DynamoDB Local of its own that it stops and restarts.
 */
import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { SESClient } from '@aws-sdk/client-ses';
import { serve } from '@hono/node-server';
import { conveneEventStore } from '../../functions/adapters/event-store/index.js';
import { documentClient } from '../../functions/adapters/dynamodb-client.js';
import { createMemberDirectory, type MemberDirectory } from '../../functions/adapters/members/member-directory.js';
import { createReadModelStore, type ReadModelStore } from '../../functions/read-models/read-model-store.js';
import { batchedFeedReads, feedTablesOf } from '../../functions/read-models/member-feed-reads.js';
import type { RecordingStore } from '../../functions/adapters/recordings/recording-store.js';
import { createApi } from '../../functions/api/app.js';
import { createManageAttempts } from '../../functions/adapters/members/manage-attempts.js';
import { createTokenSigner, type TokenSigner } from '../../functions/security/signed-token.js';
import { freePort } from '../../infra/local/free-port.js';
import { localTokenVerifier, mintOrganiserToken, newSigningKey, type SigningKey } from '../../infra/local/organiser-token.js';
import { deliveryTable, idempotencyTable, intakeTable, membersTable, readModelTable, tableEnvironment, type TableNames } from '../../functions/tables.js';
import { createRegistrationIntake } from '../../functions/adapters/intake/registration-intake.js';
import { createFailureReader } from '../../functions/adapters/deliveries/delivery-failures.js';
import { createRateLimitCounter } from '../../functions/adapters/rate-limits/rate-limit-counter.js';
import { COUNT_ONLY_LIMITS, type RateLimitDeps } from '../../functions/api/rate-limit.js';
import { memoryRateLimitCounter } from './memory-rate-limit.js';
import type { FeedRemover } from '../../functions/adapters/feeds/rotated-feeds.js';
import { removingRotatedFeeds } from '../../functions/adapters/feeds/rotated-feeds.js';

export interface ApiResponse<T = any> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

export interface RequestOptions {
  body?: unknown;
  /** Sent as is (for malformed bodies); wins over `body`. */
  raw?: string | Uint8Array;
  headers?: Record<string, string>;
  /** `null`: no Authorization header. Default: a valid organiser token. */
  token?: string | null;
  /** `manual`: answer a redirect as it is (status and Location) instead of following it. */
  redirect?: 'follow' | 'manual';
}

export interface TestAppOptions {
  readonly dynamodb: DynamoDBClient;
  readonly ses: SESClient;
  readonly names: TableNames;
  readonly recordings?: RecordingStore;
  /** The API's clock, for its commands and the events' `recordedAt` alike. Default: the real time. */
  readonly now?: () => Date;
  /**
   * The per-client rate limit of the public routes that act, counted in the idempotency table
   * as on AWS (the real limits unless `limits` says otherwise); test/api/rate-limit.e2e.test.ts
   * passes it. Default: every request goes through the limiter, counted in memory and never
   * refused (COUNT_ONLY_LIMITS): every test client is 127.0.0.1, some tests send thousands of
   * requests, and a counter without I/O leaves their timing as it was (./memory-rate-limit.ts).
   */
  readonly rateLimit?: Omit<RateLimitDeps, 'counter'>;
  /** Where the API reports unexpected errors (5xx), as the Lambda's logger does. Default: nowhere. */
  readonly logError?: (message: string, error: unknown) => void;
  /** When feeds are served from the feeds bucket: what removes a rotated feed token's object at once. */
  readonly feedRemover?: FeedRemover;
}

export interface TestApp {
  readonly url: string;
  readonly port: number;
  readonly key: SigningKey;
  readonly organiserToken: string;
  readonly store: ReturnType<typeof conveneEventStore>;
  readonly readModels: ReadModelStore;
  readonly members: MemberDirectory;
  readonly signer: TokenSigner;
  readonly signingSecret: string;
  /** Serves the app on its port until `close`. */
  listen(): Promise<Server>;
}

export async function buildTestApp(options: TestAppOptions): Promise<TestApp> {
  const { names } = options;
  const now = options.now ?? (() => new Date());
  const client = documentClient(options.dynamodb);
  // The API's commands record their events on its clock (`now`): `asOf` and reminders (due
  // after confirmation) compare instants of that one clock.
  const store = conveneEventStore(tableEnvironment(names), client);
  const readModels = createReadModelStore(client, names[readModelTable.id]!);
  const directory = createMemberDirectory(client, names[membersTable.id]!);
  const members = options.feedRemover ? removingRotatedFeeds(directory, options.feedRemover) : directory;
  const key = await newSigningKey();
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const signingSecret = randomBytes(32).toString('base64url');
  const signer = createTokenSigner([signingSecret]);
  const app = createApi({
    ...(options.recordings ? { recordings: options.recordings } : {}),
    now,
    store,
    readModels,
    failures: createFailureReader(client, names[deliveryTable.id]!),
    members,
    intake: createRegistrationIntake(client, names[intakeTable.id]!),
    feedReads: batchedFeedReads(client, feedTablesOf(names), { readModels, store }),
    signer,
    manageAttempts: createManageAttempts(client, names[membersTable.id]!),
    baseUrl: url,
    verifyOrganiserToken: localTokenVerifier(key.publicJwk),
    rateLimit: options.rateLimit
      ? { counter: createRateLimitCounter(client, names[idempotencyTable.id]!), ...options.rateLimit }
      : { counter: memoryRateLimitCounter(), limits: COUNT_ONLY_LIMITS },
    logError: options.logError ?? (() => {}),
  });
  return {
    url,
    port,
    key,
    organiserToken: await mintOrganiserToken(key, { sub: 'organiser-1' }),
    store,
    readModels,
    members,
    signer,
    signingSecret,
    listen: () =>
      new Promise<Server>((resolve) => {
        const s = serve({ fetch: app.fetch, port, hostname: '127.0.0.1' }, () => resolve(s as Server)) as Server;
      }),
  };
}

/** One request to `url + path`: JSON in and out (the text kept when the answer is not JSON). */
export async function requestApi<T = any>(url: string, defaultToken: string, method: string, path: string, options: RequestOptions = {}): Promise<ApiResponse<T>> {
  const headers: Record<string, string> = { ...options.headers };
  const token = options.token === undefined ? defaultToken : options.token;
  if (token !== null) headers.authorization ??= `Bearer ${token}`;
  let body: string | Uint8Array | undefined = options.raw;
  if (body === undefined && options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers['content-type'] ??= 'application/json';
  }
  const res = await fetch(`${url}${path}`, { method, headers, redirect: options.redirect ?? 'follow', ...(body !== undefined ? { body } : {}) });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON: keep the text
  }
  return { status: res.status, headers: res.headers, body: parsed as T, text };
}

export const closeServer = (server: Server | undefined) => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
