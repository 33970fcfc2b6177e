import { resolve } from 'node:path';
import type { S3Event } from 'aws-lambda';
import { localTableNames, tableEnvironment } from '../../functions/tables.js';
import type { TableNames } from '../../functions/tables.js';
import { LOCAL_CREDENTIALS, localClients } from './clients.js';
import { createTables } from './create-tables.js';
import { startDynamoDbLocal } from './dynamodb-local.js';
import { freePort } from './free-port.js';
import { RECORDINGS_BUCKET, RECORDINGS_BUCKET_ENV, startS3Local } from './s3-local.js';
import { FEEDS_BUCKET_ENV } from '../../functions/feeds/feed-objects.js';
import { INBOUND_MAIL_BUCKET_ENV } from '../../functions/adapters/inbound-mail/inbound-mail-store.js';
import { startSesLocal, startSesLocalProcess } from './ses-local.js';

export { RECORDINGS_BUCKET, RECORDINGS_BUCKET_ENV } from './s3-local.js';
/** Local name of the feeds bucket (rendered feeds; functions/feed-renderer/), created at start. */
export const FEEDS_BUCKET = 'convene-feeds';
/** Local name of the inbound mail bucket (what SES receiving stores under `inbound/`; functions/inbound/), created at start. */
export const INBOUND_MAIL_BUCKET = 'convene-inbound-mail';

export const LOCAL_REGION = 'us-east-1';

/** Where the local services are; plain JSON (safe for vitest `provide` and env files). */
export interface LocalStackInfo {
  region: string;
  dynamodb: { endpoint: string; port: number; pid: number; persistedAt?: string };
  ses: { endpoint: string; port: number; mailboxUrl: string };
  s3: { endpoint: string; port: number; directory: string; bucket: string; feedsBucket: string; inboundMailBucket: string };
  tables: TableNames;
}

export interface LocalStack {
  readonly info: LocalStackInfo;
  /** Stops everything this stack started; safe to call twice. */
  stop(): Promise<void>;
}

export interface LocalStackOptions {
  /** Persist DynamoDB (dataDir/dynamodb) and S3 (dataDir/s3); omitted = in memory + temp dir. */
  dataDir?: string;
  /** Fixed ports; the others are picked free on 127.0.0.1. */
  ports?: Partial<{ dynamodb: number; ses: number; s3: number }>;
  /** Table name prefix, see localTableNames(). */
  tablePrefix?: string;
  /**
   * aws-ses-v2-local in a child process of its own instead of this one (benchmarks: what sends
   * mail then does not share its event loop with the stand-in parsing every mail).
   */
  sesInOwnProcess?: boolean;
  /** Tables (by definition id) created without their stream: a benchmark that runs no consumer of it (infra/local/create-tables.ts). */
  withoutStreams?: readonly string[];
  /** The recordings bucket's notifications, as S3 delivers them to the archiver Lambda. */
  onS3Event?: (event: S3Event) => void;
  /** The inbound mail bucket's notifications, as S3 delivers them to the inbound mail Lambda. */
  onInboundMail?: (event: S3Event) => void;
}

/** Starts DynamoDB Local, aws-ses-v2-local and s3rver on 127.0.0.1 and creates the tables. */
export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  const { dataDir, ports = {}, tablePrefix } = options;
  const root = dataDir === undefined ? undefined : resolve(dataDir);
  const stoppers: (() => Promise<void>)[] = [];
  let stopping: Promise<void> | undefined;
  const stop = () => (stopping ??= stopAll(stoppers));
  const started = <T extends { stop(): Promise<void> }>(service: T): T => {
    stoppers.push(() => service.stop());
    return service;
  };

  try {
    const [dynamodb, ses, s3] = await settleAll([
      freePortUnless(ports.dynamodb).then((port) =>
        startDynamoDbLocal({ port, ...(root ? { path: resolve(root, 'dynamodb') } : {}) }).then(started),
      ),
      (options.sesInOwnProcess ? startSesLocalProcess : startSesLocal)(ports.ses ?? 0).then(started),
      startS3Local({
        port: ports.s3 ?? 0,
        ...(root ? { directory: resolve(root, 's3') } : {}),
        buckets: [RECORDINGS_BUCKET, FEEDS_BUCKET, INBOUND_MAIL_BUCKET],
        // The recordings and inbound mail buckets' notifications, each to its handler, as on AWS (the feeds bucket sends none).
        onEvent: (event: S3Event) => {
          if (event.Records.some((r) => r.s3.bucket.name === RECORDINGS_BUCKET)) options.onS3Event?.(event);
          if (event.Records.some((r) => r.s3.bucket.name === INBOUND_MAIL_BUCKET)) options.onInboundMail?.(event);
        },
      }).then(started),
    ] as const);

    const info: LocalStackInfo = {
      region: LOCAL_REGION,
      dynamodb: {
        endpoint: dynamodb.endpoint,
        port: dynamodb.port,
        pid: dynamodb.pid,
        ...(dynamodb.path ? { persistedAt: dynamodb.path } : {}),
      },
      ses: { endpoint: ses.endpoint, port: ses.port, mailboxUrl: `${ses.endpoint}/` },
      s3: { endpoint: s3.endpoint, port: s3.port, directory: s3.directory, bucket: RECORDINGS_BUCKET, feedsBucket: FEEDS_BUCKET, inboundMailBucket: INBOUND_MAIL_BUCKET },
      tables: localTableNames(tablePrefix),
    };
    const clients = localClients(info);
    try {
      await createTables(clients.dynamodb, info.tables, options.withoutStreams ? { withoutStreams: options.withoutStreams } : {});
    } finally {
      clients.dynamodb.destroy();
      clients.ses.destroy();
      clients.s3.destroy();
    }
    return { info, stop };
  } catch (err) {
    await stop().catch(() => undefined);
    throw err;
  }
}

/** Environment variables a handler needs to talk to this local stack. */
export function localAwsEnvironment(info: LocalStackInfo): Record<string, string> {
  return {
    AWS_REGION: info.region,
    AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
    AWS_ENDPOINT_URL_DYNAMODB: info.dynamodb.endpoint,
    AWS_ENDPOINT_URL_SES: info.ses.endpoint,
    AWS_ENDPOINT_URL_S3: info.s3.endpoint,
    ...tableEnvironment(info.tables),
    [RECORDINGS_BUCKET_ENV]: info.s3.bucket,
    [FEEDS_BUCKET_ENV]: info.s3.feedsBucket,
    [INBOUND_MAIL_BUCKET_ENV]: info.s3.inboundMailBucket,
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
}

function freePortUnless(port: number | undefined): Promise<number> {
  return port === undefined ? freePort() : Promise.resolve(port);
}

/** Like Promise.all, but waits for every promise so that all started services get registered. */
async function settleAll<T extends readonly unknown[]>(promises: { [K in keyof T]: Promise<T[K]> }): Promise<T> {
  const results = await Promise.allSettled(promises);
  const failures = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failures.length === 1) throw failures[0]!.reason;
  if (failures.length > 1) throw new AggregateError(failures.map((f) => f.reason), 'local stack failed to start');
  return results.map((r) => (r as PromiseFulfilledResult<unknown>).value) as unknown as T;
}

async function stopAll(stoppers: (() => Promise<void>)[]): Promise<void> {
  const results = await Promise.allSettled(stoppers.map((s) => s()));
  const failures = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failures.length) throw new AggregateError(failures.map((f) => f.reason), 'local stack failed to stop');
}
