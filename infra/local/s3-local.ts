import { createRequire } from 'node:module';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { S3Event } from 'aws-lambda';
import { isPortFree } from './free-port.js';

export { RECORDINGS_BUCKET_ENV } from '../../functions/adapters/recordings/recording-store.js';
/** Local name of the recordings bucket, created at start. */
export const RECORDINGS_BUCKET = 'convene-recordings';

interface S3rverInstance {
  run(): Promise<{ address: string; port: number }>;
  close(): Promise<void>;
  on(event: 'event', listener: (event: S3Event) => void): void;
  httpServer?: Server;
}
type S3rverClass = new (options: {
  address: string;
  port: number;
  directory: string;
  silent: boolean;
  configureBuckets: { name: string }[];
}) => S3rverInstance;

const S3rver = createRequire(import.meta.url)('s3rver') as S3rverClass;

export interface S3Local {
  readonly endpoint: string;
  readonly port: number;
  readonly directory: string;
  readonly buckets: readonly string[];
  stop(): Promise<void>;
}

export interface S3LocalOptions {
  /** 0 or omitted = any free port. */
  readonly port?: number;
  /** Where objects are stored; omitted = a temp dir, removed on stop. */
  readonly directory?: string;
  readonly buckets?: readonly string[];
  /**
   * Called with each bucket notification (ObjectCreated:Put, :Post, :Copy, :CompleteMultipartUpload,
   * ObjectRemoved:Delete) as S3 would deliver it to a Lambda: how the local stack runs the archiver.
   */
  readonly onEvent?: (event: S3Event) => void;
}

/**
 * Starts s3rver in this process on 127.0.0.1. STACK trap 6: the host process needs
 * NODE_OPTIONS=--openssl-legacy-provider, and clients need checksums WHEN_REQUIRED.
 */
export async function startS3Local(options: S3LocalOptions = {}): Promise<S3Local> {
  const { port = 0, buckets = [RECORDINGS_BUCKET] } = options;
  // s3rver has no listen error handler: a busy port would be an uncaught exception.
  if (port !== 0 && !(await isPortFree(port))) throw new Error(`s3rver: port ${port} is in use`);
  const ownDirectory = options.directory === undefined;
  const directory = options.directory ?? (await mkdtemp(join(tmpdir(), 'convene-s3-')));
  await mkdir(directory, { recursive: true });
  const server = new S3rver({
    address: '127.0.0.1',
    port,
    directory,
    silent: true,
    configureBuckets: buckets.map((name) => ({ name })),
  });
  if (options.onEvent) server.on('event', options.onEvent);
  const removeOwnDirectory = async () => {
    if (ownDirectory) await rm(directory, { recursive: true, force: true });
  };
  let address: { port: number };
  try {
    address = await server.run();
  } catch (err) {
    await removeOwnDirectory();
    throw err;
  }
  return {
    endpoint: `http://127.0.0.1:${address.port}`,
    port: address.port,
    directory,
    buckets,
    stop: async () => {
      const closed = server.close();
      server.httpServer?.closeAllConnections();
      await closed;
      await removeOwnDirectory();
    },
  };
}
