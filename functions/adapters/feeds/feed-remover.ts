/**
 * Removes feed objects from the feeds bucket with one signed S3 DeleteObject request, for the
 * API: a rotated feed token's object goes before the answer (./rotated-feeds.ts), so the old URL
 * answers 404 at once. The API holds no S3 client: `@aws-sdk/client-s3` would take its bundle
 * past 1 MiB and its cold import past 300 ms (README, Benchmarks), while the SigV4 signer is
 * already in it (the DynamoDB client signs with it). The request is S3's REST DELETE, signed as
 * the SDK signs it (service `s3`, the path not escaped twice, the payload's hash in
 * `x-amz-content-sha256`); the credentials are the Lambda's own (the DynamoDB client's
 * provider), and its role may delete under `feeds/members/` and nothing else
 * (infra/stack/api-function.ts).
 */
import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentity, Checksum, Provider, SourceData } from '@smithy/types';
import type { FeedBucket } from './feed-bucket.js';

export interface FeedRemoverOptions {
  readonly bucket: string;
  readonly region: string;
  readonly credentials: AwsCredentialIdentity | Provider<AwsCredentialIdentity>;
  /** An S3-compatible endpoint addressed path-style (s3rver locally); default: the region's S3, virtual-hosted. */
  readonly endpoint?: string;
}

export class FeedRemovalError extends Error {
  override readonly name = 'FeedRemovalError';
  constructor(
    readonly status: number,
    readonly code: string | undefined,
  ) {
    super(`S3 DeleteObject answered ${status}${code ? ` ${code}` : ''}`);
  }
}

export function createFeedRemover(options: FeedRemoverOptions): Pick<FeedBucket, 'remove'> {
  const signer = new SignatureV4({ service: 's3', region: options.region, credentials: options.credentials, sha256: NodeSha256, uriEscapePath: false });
  return {
    async remove(key) {
      const url = feedObjectUrl(options, key);
      const signed = await signer.sign({
        method: 'DELETE',
        protocol: url.protocol,
        hostname: url.hostname,
        ...(url.port ? { port: Number(url.port) } : {}),
        path: url.pathname,
        query: {},
        headers: { host: url.host, 'x-amz-content-sha256': EMPTY_SHA256 },
      });
      const res = await fetch(url, { method: 'DELETE', headers: signed.headers as Record<string, string> });
      const text = await res.text();
      // 204 No Content; a key that is not there is no error (S3 answers 204 for it too).
      if (!res.ok && res.status !== 404) throw new FeedRemovalError(res.status, /<Code>([^<]+)<\/Code>/.exec(text)?.[1]);
    },
  };
}

/** Where S3 answers for an object: the region's endpoint, virtual-hosted (the bucket in the host), or an endpoint given, path-style. */
export function feedObjectUrl({ bucket, region, endpoint }: Pick<FeedRemoverOptions, 'bucket' | 'region' | 'endpoint'>, key: string): URL {
  const path = key.split('/').map(encodeURIComponent).join('/');
  if (endpoint) return new URL(`${endpoint.replace(/\/$/, '')}/${encodeURIComponent(bucket)}/${path}`);
  return new URL(`https://${bucket}.s3.${region}.amazonaws.com/${path}`);
}

const EMPTY_SHA256 = createHash('sha256').digest('hex');

/** SHA-256 (and HMAC-SHA-256 with a secret) for the signer, from node:crypto. */
class NodeSha256 implements Checksum {
  private hash: Hash | Hmac;
  constructor(private readonly secret?: SourceData) {
    this.hash = this.fresh();
  }
  update(data: Uint8Array): void {
    this.hash.update(data);
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
  reset(): void {
    this.hash = this.fresh();
  }
  private fresh(): Hash | Hmac {
    return this.secret === undefined ? createHash('sha256') : createHmac('sha256', toBuffer(this.secret));
  }
}

function toBuffer(data: SourceData): Buffer {
  if (typeof data === 'string') return Buffer.from(data, 'utf8');
  if (ArrayBuffer.isView(data)) return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return Buffer.from(data);
}
