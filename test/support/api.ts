/**
 * The API over real HTTP for e2e tests: the same hono app `npm start` serves, on a free
 * port on 127.0.0.1, against the integration run's DynamoDB Local with tables of its own
 * (so a test can assert the whole event table is unchanged), and a test signing key.
 *
 * By default one API (tables, projector, server) serves the whole calling file. With
 * `scope: 'test'` every test gets a fresh one: a dispatcher or publisher tick plans over every
 * series in its tables, so tests sharing tables would count (and send) what an earlier test
 * left behind, and one failure would cascade into the next test.
 */
import type { Server } from 'node:http';
import { ScanCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import type { S3Client } from '@aws-sdk/client-s3';
import type { S3Event } from 'aws-lambda';
import { Logger } from '@aws-lambda-powertools/logger';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import type { conveneEventStore } from '../../functions/adapters/event-store/index.js';
import type { MemberDirectory } from '../../functions/adapters/members/member-directory.js';
import type { ReadModelStore } from '../../functions/read-models/read-model-store.js';
import { createRecordingStore, type RecordingStore } from '../../functions/adapters/recordings/recording-store.js';
import { createArchiver, type ArchiveReport } from '../../functions/archiver/archive.js';
import { createProjectorHandler } from '../../functions/projector/handler.js';
import type { TokenSigner } from '../../functions/security/signed-token.js';
import { LOCAL_CREDENTIALS, localClients, localFeedRemover } from '../../infra/local/clients.js';
import { mintOrganiserToken, type SigningKey, type TokenClaims } from '../../infra/local/organiser-token.js';
import { RECORDINGS_BUCKET, startS3Local, type S3Local } from '../../infra/local/s3-local.js';
import { startStreamPoller, type DeadLetter, type StreamPoller } from '../../infra/local/stream-poller.js';
import { eventTable, type TableNames } from '../../functions/tables.js';
import { buildTestApp, closeServer, requestApi, type ApiResponse, type RequestOptions, type TestAppOptions } from './api-app.js';
import { clients, localStackInfo } from './local.js';
import { createTestTables, deleteTestTables } from './tables.js';
import { startIntakePoller } from '../../infra/local/intake-poller.js';
import { documentClient } from '../../functions/adapters/dynamodb-client.js';
import { createTestFeedBucket, startTestFeedEdge, type TestFeedEdge } from './feed-edge.js';
import { createInboundMailStore, INBOUND_PREFIX } from '../../functions/adapters/inbound-mail/inbound-mail-store.js';
import { createInboundMailHandler, type InboundReport } from '../../functions/inbound/take-reply.js';
import { LOCAL_REPLY_DOMAIN, replyAddresses, type ReplyAddresses } from '../../functions/inbound/reply-address.js';
import { INBOUND_MAIL_BUCKET } from '../../infra/local/stack.js';

export type { ApiResponse, RequestOptions } from './api-app.js';

export interface TestApi {
  url: string;
  key: SigningKey;
  organiserToken: string;
  token(claims?: TokenClaims): Promise<string>;
  request<T = any>(method: string, path: string, options?: RequestOptions): Promise<ApiResponse<T>>;
  /** Every item of this API's event table, for "nothing was written" assertions. */
  eventCount(): Promise<number>;
  store: ReturnType<typeof conveneEventStore>;
  readModels: ReadModelStore;
  members: MemberDirectory;
  /** Signs links as the API does (to forge expired or foreign ones in tests). */
  signer: TokenSigner;
  signingSecret: string;
  names: TableNames;
  /**
   * Wait until the intake has taken every registration request so far, then until the projector
   * has caught up with every event written so far (or set a record aside).
   */
  settle(): Promise<void>;
  /** Wait until the intake has taken every registration request so far (its member exists, its event is appended). */
  takeRequests(): Promise<void>;
  /** The stream records the projector's poller set aside after its retries. */
  deadLetters(): readonly DeadLetter[];
  /** The recordings bucket: the run's s3rver, or (`ownS3`) one of this file's with the archiver on its notifications. */
  s3: { client: S3Client; bucket: string; endpoint: string; recordings: RecordingStore; events: S3Event[] };
  /** With `ownS3`: wait until the archiver has handled every notification so far; what each said. */
  archived(): Promise<ArchiveReport[]>;
  /**
   * With `ownS3`: received mail, as SES receiving stores it under `inbound/` of the inbound mail
   * bucket and S3 invokes the inbound mail Lambda (`drop`); `taken` waits for every one so far.
   */
  inbound: { drop(raw: Uint8Array): Promise<string>; taken(): Promise<InboundReport[]>; addresses: ReplyAddresses };
  /**
   * The API's clock: `now` returns it; tests move it. Default: the real time. Commands and the
   * events' `recordedAt` both read it. With `scope: 'test'` it is back to the real time in each test.
   */
  clock: { now: Date | undefined };
  /** With `feeds`: the feed renderer and the local feed edge (./feed-edge.ts). */
  feeds: TestFeedEdge;
}

export interface TestApiOptions {
  /**
   * Start an s3rver for this file in the test process, and run the archiver on its bucket
   * notifications as S3 invokes the Lambda (the run's shared s3rver lives in another process).
   */
  readonly ownS3?: boolean;
  /**
   * 'file' (default): one API for the whole file. 'test': fresh tables, projector, archiver
   * and server for each test (beforeEach), deleted after it (afterEach); the returned object
   * stays the same and points at the current test's. About 0.1 s per test here.
   */
  readonly scope?: 'file' | 'test';
  /** The DynamoDB client the API (and the projector) use; default: the run's. E.g. one that fails on demand. */
  readonly dynamodb?: DynamoDBClient;
  /** Where the API reports unexpected errors (5xx), as the Lambda's logger does; default: nowhere. */
  readonly logError?: (message: string, error: unknown) => void;
  /** The rate limit of the public routes that act, and where the app reports errors (see TestAppOptions). */
  readonly app?: Pick<TestAppOptions, 'rateLimit' | 'logError'>;
  /** Run the feed renderer on this API's read models and serve `/feeds/*` from its bucket through a local feed edge (`api.feeds`). */
  readonly feeds?: boolean;
}

/** One API: its tables, server and projector, and how to stop it and delete its tables. */
interface Instance {
  stop(): Promise<void>;
}

/** Start the API for the calling test file, or for each of its tests (with the projector following its events); stopped after it. */
export function useTestApi(options: TestApiOptions = {}): TestApi {
  const api = {} as TestApi;
  const scope = options.scope ?? 'file';
  let ownS3: S3Local | undefined;
  let current: Instance | undefined;
  /** The current instance's archiver, which the file's s3rver hands each notification to. */
  let onS3Event: ((event: S3Event) => void) | undefined;
  /** The current instance's inbound mail handler, for the inbound mail bucket's notifications. */
  let onInboundMail: ((event: S3Event) => void) | undefined;

  async function start(): Promise<Instance> {
    const cleanups: (() => Promise<void>)[] = [];
    const stop = async () => {
      const errors: unknown[] = [];
      for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch((error: unknown) => errors.push(error));
      if (errors.length) throw errors.length === 1 ? errors[0] : new AggregateError(errors, 'stopping the test API failed');
    };
    try {
      const dynamodb = clients().dynamodb;
      const names = await createTestTables(dynamodb, 'api');
      cleanups.push(() => deleteTestTables(dynamodb, names));
      const clock: TestApi['clock'] = { now: undefined };
      const archiving: Promise<ArchiveReport[]>[] = [];
      const reports: ArchiveReport[] = [];
      const s3Events: S3Event[] = [];
      const info = localStackInfo();
      const ownClients = ownS3 ? localClients({ ...info, s3: { ...info.s3, endpoint: ownS3.endpoint } }) : undefined;
      if (ownClients) cleanups.push(async () => Object.values(ownClients).forEach((client) => client.destroy()));
      const s3Client = ownClients?.s3 ?? clients().s3;
      const bucket = ownS3 ? RECORDINGS_BUCKET : info.s3.bucket;
      const recordings = createRecordingStore(s3Client, bucket);
      const inboundMail = createInboundMailStore(s3Client, INBOUND_MAIL_BUCKET);
      const taking: Promise<InboundReport[]>[] = [];
      const taken: InboundReport[] = [];
      const feedBucket = options.feeds ? await createTestFeedBucket(clients().s3) : undefined;
      const built = await buildTestApp({
        ...(feedBucket ? { feedRemover: localFeedRemover(info, feedBucket.bucket) } : {}),
        dynamodb: options.dynamodb ?? dynamodb,
        ses: clients().ses,
        names,
        recordings,
        now: () => clock.now ?? new Date(),
        ...(options.logError ? { logError: options.logError } : {}),
        ...options.app,
      });
      const { store, readModels } = built;
      const addresses = replyAddresses(built.signer, LOCAL_REPLY_DOMAIN);
      if (ownS3) {
        const archiver = createArchiver({ store, recordings, now: () => clock.now ?? new Date() });
        onS3Event = (event) => {
          s3Events.push(event);
          archiving.push(
            archiver.handle(event).then(
              (r) => (reports.push(...r), r),
              (error) => (reports.push({ key: '?', outcome: 'ignored', reason: String(error) }), []),
            ),
          );
        };
        // Notifications of this instance's uploads are handled before its tables go.
        cleanups.push(async () => {
          onS3Event = undefined;
          while (archiving.length > 0) await Promise.allSettled(archiving.splice(0));
        });
        const inboundHandler = createInboundMailHandler({
          store,
          readModels,
          members: built.members,
          mail: inboundMail,
          replyAddresses: addresses,
          ourAddresses: ['no-reply@convene.test'],
          now: () => clock.now ?? new Date(),
        });
        onInboundMail = (event) => {
          taking.push(
            inboundHandler.handle(event).then(
              (r) => (taken.push(...r), r),
              (error) => (taken.push({ key: '?', outcome: 'dropped', reason: `failed: ${String(error)}` }), []),
            ),
          );
        };
        cleanups.push(async () => {
          onInboundMail = undefined;
          while (taking.length > 0) await Promise.allSettled(taking.splice(0));
        });
      }
      const streams = new DynamoDBStreamsClient({ region: info.region, endpoint: info.dynamodb.endpoint, credentials: LOCAL_CREDENTIALS });
      cleanups.push(async () => streams.destroy());
      const poller: StreamPoller = await startStreamPoller({
        dynamodb,
        streams,
        table: names[eventTable.id]!,
        // Quiet: a test reads what it set aside from deadLetters(), not from the log.
        handler: createProjectorHandler({ store, readModels }, new Logger({ serviceName: 'projector', logLevel: 'SILENT' })),
        intervalMs: 50,
        onDeadLetter: () => {},
      });
      cleanups.push(() => poller.stop());
      // Members' own registration requests wait in the intake until this poller takes them.
      const intake = await startIntakePoller({
        dynamodb,
        doc: documentClient(dynamodb),
        streams,
        tables: names,
        store,
        logger: new Logger({ serviceName: 'intake', logLevel: 'SILENT' }),
        intervalMs: 50,
        onDeadLetter: () => {},
      });
      cleanups.push(() => intake.stop());
      const server: Server = await built.listen();
      cleanups.push(() => closeServer(server));
      const feeds = feedBucket
        ? await startTestFeedEdge({ dynamodb, s3: clients().s3, bucket: feedBucket, names, region: info.region, dynamodbEndpoint: info.dynamodb.endpoint, apiUrl: built.url, signingSecret: built.signingSecret })
        : undefined;
      if (feeds) cleanups.push(() => feeds.stop());
      Object.assign(api, {
        url: built.url,
        key: built.key,
        store,
        readModels,
        members: built.members,
        signer: built.signer,
        signingSecret: built.signingSecret,
        names,
        organiserToken: built.organiserToken,
        token: (claims?: TokenClaims) => mintOrganiserToken(built.key, { sub: 'organiser-1', ...claims }),
        takeRequests: () => intake.drain(),
        // Requests first: taking one appends the events the projector then follows; the feeds follow the read models.
        settle: async () => {
          await intake.drain();
          await poller.drain();
          await feeds?.settle();
        },
        feeds: feeds as TestFeedEdge,
        deadLetters: () => poller.deadLetters(),
        s3: { client: s3Client, bucket, endpoint: ownS3?.endpoint ?? info.s3.endpoint, recordings, events: s3Events },
        clock,
        inbound: {
          addresses,
          async drop(raw: Uint8Array) {
            const key = `${INBOUND_PREFIX}${crypto.randomUUID()}`;
            await inboundMail.put(key, raw);
            return key;
          },
          async taken() {
            while (taking.length > 0) await Promise.all(taking.splice(0));
            return [...taken];
          },
        },
        async archived() {
          while (archiving.length > 0) await Promise.all(archiving.splice(0));
          return [...reports];
        },
        async eventCount() {
          const { Count } = await dynamodb.send(new ScanCommand({ TableName: names[eventTable.id], Select: 'COUNT', ConsistentRead: true }));
          return Count ?? 0;
        },
        request: (method: string, path: string, options?: RequestOptions) => requestApi(built.url, built.organiserToken, method, path, options),
      } satisfies TestApi);
      return { stop };
    } catch (error) {
      await stop().catch(() => undefined);
      throw error;
    }
  }

  async function stopCurrent() {
    const instance = current;
    current = undefined;
    await instance?.stop();
  }

  beforeAll(async () => {
    if (options.ownS3) {
      ownS3 = await startS3Local({
        buckets: [RECORDINGS_BUCKET, INBOUND_MAIL_BUCKET],
        onEvent: (event) => (event.Records.some((r) => r.s3.bucket.name === INBOUND_MAIL_BUCKET) ? onInboundMail?.(event) : onS3Event?.(event)),
      });
    }
    if (scope === 'file') current = await start();
  });
  if (scope === 'test') {
    beforeEach(async () => {
      current = await start();
    });
    afterEach(stopCurrent);
  }
  afterAll(async () => {
    try {
      await stopCurrent();
    } finally {
      await ownS3?.stop();
    }
  });
  return api;
}
