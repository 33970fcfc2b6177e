/**
 * Where received mail waits: SES receiving stores each raw message under `inbound/` of the
 * inbound mail bucket (locally, `npm run mail:reply FILE` puts one there), and the bucket's
 * notification hands its key to the inbound handler (functions/inbound/). Only this adapter
 * knows the bucket's layout.
 */
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';

export const INBOUND_MAIL_BUCKET_ENV = 'INBOUND_MAIL_BUCKET';
/** The key prefix SES receiving writes under, and the one the bucket notifies for. */
export const INBOUND_PREFIX = 'inbound/';

export interface InboundMailStore {
  /** The object's size, before anything is read (a 20 MB mail is dropped unread); undefined when it is gone. */
  size(key: string): Promise<number | undefined>;
  read(key: string): Promise<Uint8Array | undefined>;
  /** Drop a raw mail in, as SES receiving does (the local `mail:reply` script and the tests). */
  put(key: string, bytes: Uint8Array): Promise<void>;
}

const missing = (error: unknown) => {
  const name = (error as { name?: string }).name;
  return name === 'NotFound' || name === 'NoSuchKey' || (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404;
};

export function createInboundMailStore(s3: S3Client, bucket: string): InboundMailStore {
  return {
    async size(key) {
      try {
        const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
        return head.ContentLength ?? 0;
      } catch (error) {
        if (missing(error)) return undefined;
        throw error;
      }
    },
    async read(key) {
      try {
        const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
        return object.Body ? await object.Body.transformToByteArray() : new Uint8Array();
      } catch (error) {
        if (missing(error)) return undefined;
        throw error;
      }
    },
    async put(key, bytes) {
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: bytes, ContentType: 'message/rfc822' }));
    },
  };
}
