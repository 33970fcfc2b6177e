/**
 * The API over real HTTP for e2e tests: the same hono app `npm start` serves, on a free
 * port on 127.0.0.1, against the integration run's DynamoDB Local with tables of its own
 * (so a test can assert the whole event table is unchanged), and a test signing key.
 */
import type { Server } from 'node:http';
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { serve } from '@hono/node-server';
import { afterAll, beforeAll } from 'vitest';
import { conveneEventStore } from '../../functions/adapters/event-store/index.js';
import { documentClient } from '../../functions/adapters/dynamodb-client.js';
import { createApi } from '../../functions/api/app.js';
import { createTokenVerifier } from '../../functions/api/auth.js';
import { createTables } from '../../infra/local/create-tables.js';
import { freePort } from '../../infra/local/free-port.js';
import { LOCAL_ISSUER, mintOrganiserToken, newSigningKey, type SigningKey, type TokenClaims } from '../../infra/local/organiser-token.js';
import { eventTable, localTableNames, membersTable, readModelTable, tableEnvironment, type TableNames } from '../../infra/tables.js';
import { randomBytes } from 'node:crypto';
import { createMemberDirectory, type MemberDirectory } from '../../functions/adapters/members/member-directory.js';
import { createSesMailer } from '../../functions/adapters/mailer/ses-mailer.js';
import { confirmationSender } from '../../functions/mail/send-confirmation.js';
import { createTokenSigner, type TokenSigner } from '../../functions/security/signed-token.js';
import { createReadModelStore, type ReadModelStore } from '../../functions/adapters/read-models/read-model-store.js';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { createProjectorHandler } from '../../functions/projector/handler.js';
import { LOCAL_CREDENTIALS } from '../../infra/local/clients.js';
import { startStreamPoller, type StreamPoller } from '../../infra/local/stream-poller.js';
import { clients, localStackInfo } from './local.js';
import type { S3Client } from '@aws-sdk/client-s3';
import type { S3Event } from 'aws-lambda';
import { createRecordingStore, type RecordingStore } from '../../functions/adapters/recordings/recording-store.js';
import { createArchiver, type ArchiveReport } from '../../functions/archiver/archive.js';
import { RECORDINGS_BUCKET, startS3Local, type S3Local } from '../../infra/local/s3-local.js';
import { localClients } from '../../infra/local/clients.js';

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
}

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
    const store = conveneEventStore(tableEnvironment(names), documentClient(clients().dynamodb));
    const key = await newSigningKey();
    const readModels = createReadModelStore(documentClient(clients().dynamodb), names[readModelTable.id]!);
    const port = await freePort();
    const signingSecret = randomBytes(32).toString('base64url');
    const members = createMemberDirectory(documentClient(clients().dynamodb), names[membersTable.id]!);
    let archiver: ReturnType<typeof createArchiver> | undefined;
    if (options.ownS3) {
      ownS3 = await startS3Local({
        onEvent: (event) => (s3Events.push(event), archiving.push(archiver!.handle(event).then((r) => (reports.push(...r), r), (error) => (reports.push({ key: '?', outcome: 'ignored', reason: String(error) }), [])))),
      });
    }
    const s3Client = ownS3 ? localClients({ ...localStackInfo(), s3: { ...localStackInfo().s3, endpoint: ownS3.endpoint } }).s3 : clients().s3;
    const bucket = ownS3 ? RECORDINGS_BUCKET : localStackInfo().s3.bucket;
    const recordings = createRecordingStore(s3Client, bucket);
    archiver = createArchiver({ store, recordings });
    const app = createApi({
      recordings,
      now: () => clock.now ?? new Date(),
      store,
      readModels,
      members,
      signer: createTokenSigner([signingSecret]),
      sendConfirmation: confirmationSender(createSesMailer(clients().ses), { from: 'Convene <no-reply@convene.test>', messageIdDomain: 'convene.test' }),
      baseUrl: `http://127.0.0.1:${port}`,
      verifyOrganiserToken: createTokenVerifier({ issuer: LOCAL_ISSUER, publicJwk: key.publicJwk }),
      logError: () => {},
    });
    const info = localStackInfo();
    poller = await startStreamPoller({
      dynamodb: clients().dynamodb,
      streams: new DynamoDBStreamsClient({ region: info.region, endpoint: info.dynamodb.endpoint, credentials: LOCAL_CREDENTIALS }),
      table: names[eventTable.id]!,
      handler: createProjectorHandler({ store, readModels }),
      intervalMs: 50,
    });
    server = await new Promise<Server>((resolve) => {
      const s = serve({ fetch: app.fetch, port, hostname: '127.0.0.1' }, () => resolve(s as Server)) as Server;
    });
    Object.assign(api, {
      url: `http://127.0.0.1:${port}`,
      key,
      store,
      readModels,
      members,
      signer: createTokenSigner([signingSecret]),
      signingSecret,
      names,
      organiserToken: await mintOrganiserToken(key, { sub: 'organiser-1' }),
      token: (claims?: TokenClaims) => mintOrganiserToken(key, { sub: 'organiser-1', ...claims }),
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
      async request(method: string, path: string, options: RequestOptions = {}) {
        const headers: Record<string, string> = { ...options.headers };
        const token = options.token === undefined ? api.organiserToken : options.token;
        if (token !== null) headers.authorization ??= `Bearer ${token}`;
        let body: string | Uint8Array | undefined = options.raw;
        if (body === undefined && options.body !== undefined) {
          body = JSON.stringify(options.body);
          headers['content-type'] ??= 'application/json';
        }
        const res = await fetch(`${api.url}${path}`, { method, headers, ...(body !== undefined ? { body } : {}) });
        const text = await res.text();
        let parsed: unknown = text;
        try {
          parsed = text ? JSON.parse(text) : undefined;
        } catch {
          // not JSON: keep the text
        }
        return { status: res.status, headers: res.headers, body: parsed, text };
      },
    });
  });
  afterAll(async () => {
    await poller?.stop();
    await ownS3?.stop();
    await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  });
  return api;
}
