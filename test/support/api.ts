/**
 * The API over real HTTP for e2e tests: the same hono app `npm start` serves, on a free
 * port on 127.0.0.1, against the integration run's DynamoDB Local with tables of its own
 * (so a test can assert the whole event table is unchanged), and a test signing key.
 */
import type { Server } from 'node:http';
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import type { S3Client } from '@aws-sdk/client-s3';
import type { S3Event } from 'aws-lambda';
import { afterAll, beforeAll } from 'vitest';
import type { conveneEventStore } from '../../functions/adapters/event-store/index.js';
import type { MemberDirectory } from '../../functions/adapters/members/member-directory.js';
import type { ReadModelStore } from '../../functions/adapters/read-models/read-model-store.js';
import { createRecordingStore, type RecordingStore } from '../../functions/adapters/recordings/recording-store.js';
import { createArchiver, type ArchiveReport } from '../../functions/archiver/archive.js';
import { createProjectorHandler } from '../../functions/projector/handler.js';
import type { TokenSigner } from '../../functions/security/signed-token.js';
import { LOCAL_CREDENTIALS, localClients } from '../../infra/local/clients.js';
import { createTables } from '../../infra/local/create-tables.js';
import { mintOrganiserToken, type SigningKey, type TokenClaims } from '../../infra/local/organiser-token.js';
import { RECORDINGS_BUCKET, startS3Local, type S3Local } from '../../infra/local/s3-local.js';
import { startStreamPoller, type StreamPoller } from '../../infra/local/stream-poller.js';
import { eventTable, localTableNames, type TableNames } from '../../infra/tables.js';
import { buildTestApp, closeServer, requestApi, type ApiResponse, type RequestOptions, type TestAppOptions } from './api-app.js';
import { clients, localStackInfo } from './local.js';

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
  /** Wait until the projector has caught up with every event written so far. */
  settle(): Promise<void>;
  /** The recordings bucket: the run's s3rver, or (`ownS3`) one of this file's with the archiver on its notifications. */
  s3: { client: S3Client; bucket: string; endpoint: string; recordings: RecordingStore; events: S3Event[] };
  /** With `ownS3`: wait until the archiver has handled every notification so far; what each said. */
  archived(): Promise<ArchiveReport[]>;
  /** The API's clock: `now` returns it; tests move it. Default: the real time. */
  clock: { now: Date | undefined };
}

export interface TestApiOptions {
  /**
   * Start an s3rver for this file in the test process, and run the archiver on its bucket
   * notifications as S3 invokes the Lambda (the run's shared s3rver lives in another process).
   */
  readonly ownS3?: boolean;
  /** The rate limit of the public routes that act, and where the app reports errors (see TestAppOptions). */
  readonly app?: Pick<TestAppOptions, 'rateLimit' | 'logError'>;
}

/** Start the API for the calling test file (with the projector following its events); stopped after it. */
export function useTestApi(options: TestApiOptions = {}): TestApi {
  const api = {} as TestApi;
  let server: Server | undefined;
  let poller: StreamPoller | undefined;
  let ownS3: S3Local | undefined;
  const archiving: Promise<ArchiveReport[]>[] = [];
  const reports: ArchiveReport[] = [];
  const clock: TestApi['clock'] = { now: undefined };
  const s3Events: S3Event[] = [];
  beforeAll(async () => {
    const names = localTableNames(`api-${crypto.randomUUID().slice(0, 8)}`);
    await createTables(clients().dynamodb, names);
    let archiver: ReturnType<typeof createArchiver> | undefined;
    if (options.ownS3) {
      ownS3 = await startS3Local({
        onEvent: (event) => (s3Events.push(event), archiving.push(archiver!.handle(event).then((r) => (reports.push(...r), r), (error) => (reports.push({ key: '?', outcome: 'ignored', reason: String(error) }), [])))),
      });
    }
    const s3Client = ownS3 ? localClients({ ...localStackInfo(), s3: { ...localStackInfo().s3, endpoint: ownS3.endpoint } }).s3 : clients().s3;
    const bucket = ownS3 ? RECORDINGS_BUCKET : localStackInfo().s3.bucket;
    const recordings = createRecordingStore(s3Client, bucket);
    const built = await buildTestApp({ dynamodb: clients().dynamodb, ses: clients().ses, names, recordings, now: () => clock.now ?? new Date(), ...options.app });
    const { store, readModels } = built;
    archiver = createArchiver({ store, recordings });
    const info = localStackInfo();
    poller = await startStreamPoller({
      dynamodb: clients().dynamodb,
      streams: new DynamoDBStreamsClient({ region: info.region, endpoint: info.dynamodb.endpoint, credentials: LOCAL_CREDENTIALS }),
      table: names[eventTable.id]!,
      handler: createProjectorHandler({ store, readModels }),
      intervalMs: 50,
    });
    server = await built.listen();
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
      settle: () => poller!.drain(),
      s3: { client: s3Client, bucket, endpoint: ownS3?.endpoint ?? localStackInfo().s3.endpoint, recordings, events: s3Events },
      clock,
      async archived() {
        while (archiving.length > 0) await Promise.all(archiving.splice(0));
        return [...reports];
      },
      async eventCount() {
        const { Count } = await clients().dynamodb.send(new ScanCommand({ TableName: names[eventTable.id], Select: 'COUNT', ConsistentRead: true }));
        return Count ?? 0;
      },
      request: (method: string, path: string, options?: RequestOptions) => requestApi(api.url, api.organiserToken, method, path, options),
    });
  });
  afterAll(async () => {
    await poller?.stop();
    await ownS3?.stop();
    await closeServer(server);
  });
  return api;
}
