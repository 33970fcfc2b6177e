/**
 * The feeds bucket on S3: rendered feeds as objects, which S3 (through CloudFront on AWS,
 * through the local feed edge under `npm start`) serves with their own ETag and Last-Modified.
 * An object is written only when its bytes change, so a re-render of the same feed (a
 * redelivered stream record, a change that does not reach the feed) keeps its validators and
 * calendar clients keep getting 304.
 */
import { createHash } from 'node:crypto';
import { DeleteObjectCommand, HeadObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { FeedObjectHeaders } from '../../feeds/feed-objects.js';
import { isMissingObject } from '../aws-errors.js';

export type FeedWrite = 'written' | 'unchanged';

export interface FeedBucket {
  readonly bucket: string;
  /** Writes the feed unless the object already holds these bytes with these headers. */
  put(key: string, body: string, headers: FeedObjectHeaders): Promise<FeedWrite>;
  /** Removes the object (none there is no error). */
  remove(key: string): Promise<void>;
}

export function createFeedBucket(s3: S3Client, bucket: string): FeedBucket {
  // What this instance last wrote to each key (bounded): bytes other than those are written
  // without asking S3 first (a reschedule changes every feed it reaches); the same bytes are
  // still checked against the object, which another instance may have written since.
  const written = new Map<string, string>();
  const remember = (key: string, md5: string) => {
    written.delete(key);
    written.set(key, md5);
    if (written.size > 10_000) written.delete(written.keys().next().value!);
  };
  return {
    bucket,
    async put(key, body, headers) {
      const bytes = Buffer.from(body, 'utf8');
      const md5 = createHash('md5').update(bytes).digest();
      // A single PutObject's ETag is the MD5 of its bytes (SSE-S3 keeps it so); the rendering is in the metadata.
      const known = written.get(key);
      const have = known !== undefined && known !== md5.toString('hex') ? undefined : await head(s3, bucket, key);
      if (have && have.etag === `"${md5.toString('hex')}"` && have.contentType === headers.contentType && have.cacheControl === headers.cacheControl) return 'unchanged';
      await s3.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: key,
          Body: bytes,
          ContentMD5: md5.toString('base64'),
          ContentType: headers.contentType,
          CacheControl: headers.cacheControl,
          ...(headers.contentDisposition ? { ContentDisposition: headers.contentDisposition } : {}),
        }),
      );
      remember(key, md5.toString('hex'));
      return 'written';
    },
    async remove(key) {
      written.delete(key);
      await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
    },
  };
}

async function head(s3: S3Client, bucket: string, key: string) {
  try {
    const out = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    return { etag: out.ETag, contentType: out.ContentType, cacheControl: out.CacheControl };
  } catch (error) {
    if (isMissingObject(error)) return undefined;
    throw error;
  }
}
