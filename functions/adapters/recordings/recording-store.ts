/**
 * Recording files in S3 (infra/stack/recordings.ts): a private bucket that browsers reach only
 * through presigned requests. Uploads: one presigned POST form, or a multipart upload with one
 * presigned PUT URL per part that the API completes; downloads: a presigned GET with a bounded life.
 *
 * S3 refuses an upload that is not what was announced before it stores anything:
 * - the POST form's policy (signed with the API's credentials) holds `content-length-range` of
 *   exactly the announced size, the exact `Content-Type`, the exact key and bucket, and, when a
 *   checksum was announced, the exact `x-amz-checksum-sha256` (S3 then also checks the bytes
 *   against it). A form that breaks a condition, or changes the policy, is refused (403, or
 *   400 BadDigest for the checksum), and nothing is written.
 * - each part URL signs its Content-Length (`signableHeaders`), so a part of another size does not
 *   match the signature (403 SignatureDoesNotMatch). The part's type is the upload's, set by
 *   the API when it starts the multipart upload; the parts' ETags are checked when it completes.
 * The archiver checks size, type, checksum and format again after arrival (defence in depth, and
 * all that s3rver, which enforces none of the above, leaves to check locally).
 *
 * The client must compute checksums only when required (`recordingsS3Client`): otherwise the
 * SDK signs the CRC32 of an empty body into every presigned part URL and S3 refuses the real part.
 */
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import {
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  NoSuchKey,
  S3Client,
  UploadPartCommand,
  type S3ClientConfig,
} from '@aws-sdk/client-s3';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';

/** Environment variable through which handlers learn the recordings bucket. */
export const RECORDINGS_BUCKET_ENV = 'RECORDINGS_BUCKET_NAME';

/** A presigned POST: a multipart/form-data form to `url` with every field of `fields`, then the file as `file`, last. */
export interface PresignedForm {
  readonly url: string;
  readonly fields: Readonly<Record<string, string>>;
}

export interface StoredFile {
  readonly size: number;
  readonly contentType: string;
  /** SHA-256 of the bytes, base64. */
  readonly checksum: string;
  /** The first bytes (at most `headBytes`). */
  readonly head: Uint8Array;
  /** Where the bucket keeps versions: the version read. */
  readonly versionId?: string;
}

export interface RecordingStore {
  /** A form S3 takes only with exactly this key, size, type (and checksum, when given: SHA-256, base64). */
  presignPost(input: { key: string; contentType: string; size: number; checksum?: string; expiresInSeconds: number }): Promise<PresignedForm>;
  /**
   * Starts a multipart upload of this type and presigns each part for exactly its size
   * (`partSizes[i]` bytes for part i + 1); S3's upload id comes back to `completeMultipart`.
   */
  presignMultipart(input: { key: string; contentType: string; partSizes: readonly number[]; expiresInSeconds: number }): Promise<{ multipartId: string; partUrls: string[] }>;
  completeMultipart(input: { key: string; multipartId: string; parts: readonly { partNumber: number; etag: string }[] }): Promise<void>;
  presignGet(input: { key: string; versionId?: string; fileName: string; contentType: string; expiresInSeconds: number }): Promise<string>;
  /**
   * Reads the whole object once (the given version, where the bucket keeps versions): its size,
   * type, SHA-256 and first bytes; undefined if absent.
   */
  inspect(key: string, headBytes: number, versionId?: string): Promise<StoredFile | undefined>;
  remove(key: string): Promise<void>;
}

/** An S3 client fit for presigning (see above); path-style when an endpoint is set (s3rver). */
export function recordingsS3Client(config: S3ClientConfig = {}, env: Record<string, string | undefined> = process.env): S3Client {
  return new S3Client({
    forcePathStyle: env.AWS_ENDPOINT_URL_S3 !== undefined || config.endpoint !== undefined,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    ...config,
  });
}

export function createRecordingStore(s3: S3Client, bucket: string): RecordingStore {
  return {
    async presignPost({ key, contentType, size, checksum, expiresInSeconds }) {
      // Every field becomes an exact condition of the policy (the key and bucket too); the size is
      // a range of one value. Nothing is left for the uploader to choose.
      const { url, fields } = await createPresignedPost(s3, {
        Bucket: bucket,
        Key: key,
        Expires: expiresInSeconds,
        Conditions: [['content-length-range', size, size]],
        Fields: { 'Content-Type': contentType, ...(checksum ? { 'x-amz-checksum-sha256': checksum } : {}) },
      });
      return { url, fields };
    },

    async presignMultipart({ key, contentType, partSizes, expiresInSeconds }) {
      const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: key, ContentType: contentType }));
      if (!UploadId) throw new Error(`S3 gave no upload id for ${key}`);
      const partUrls = await Promise.all(
        partSizes.map((size, i) =>
          getSignedUrl(s3, new UploadPartCommand({ Bucket: bucket, Key: key, UploadId, PartNumber: i + 1, ContentLength: size }), {
            expiresIn: expiresInSeconds,
            // Signed, so S3 takes the part only at this size (the SDK signs it by default today; this keeps it so).
            signableHeaders: new Set(['content-length']),
          }),
        ),
      );
      return { multipartId: UploadId, partUrls };
    },

    async completeMultipart({ key, multipartId, parts }) {
      await s3.send(
        new CompleteMultipartUploadCommand({
          Bucket: bucket,
          Key: key,
          UploadId: multipartId,
          MultipartUpload: { Parts: parts.map((p) => ({ PartNumber: p.partNumber, ETag: p.etag })) },
        }),
      );
    },

    presignGet({ key, versionId, fileName, contentType, expiresInSeconds }) {
      return getSignedUrl(
        s3,
        new GetObjectCommand({
          Bucket: bucket,
          Key: key,
          ...(versionId ? { VersionId: versionId } : {}),
          ResponseContentType: contentType,
          ResponseContentDisposition: inlineDisposition(fileName),
        }),
        { expiresIn: expiresInSeconds },
      );
    },

    async inspect(key, headBytes, versionId) {
      let object;
      try {
        object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key, ...(versionId ? { VersionId: versionId } : {}) }));
      } catch (error) {
        if (error instanceof NoSuchKey) return undefined;
        throw error;
      }
      const hash = createHash('sha256');
      const head: Buffer[] = [];
      let headLength = 0;
      let size = 0;
      for await (const chunk of object.Body as Readable) {
        const bytes = chunk as Buffer;
        hash.update(bytes);
        size += bytes.length;
        if (headLength < headBytes) {
          const part = bytes.subarray(0, headBytes - headLength);
          head.push(part);
          headLength += part.length;
        }
      }
      return {
        size,
        contentType: object.ContentType ?? 'application/octet-stream',
        checksum: hash.digest('base64'),
        head: Buffer.concat(head),
        ...(object.VersionId && object.VersionId !== 'null' ? { versionId: object.VersionId } : {}),
      };
    },

    async remove(key) {
      await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
    },
  };
}

/** `inline; filename="ascii"; filename*=UTF-8''…` (RFC 6266): the browser plays it and saves it under its own name. */
export function inlineDisposition(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]|["\\]/g, '_');
  const encoded = encodeURIComponent(fileName).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `inline; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
