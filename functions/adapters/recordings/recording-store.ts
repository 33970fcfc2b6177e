/**
 * Recording files in S3 (infra/stack/recordings.ts): a private bucket that browsers reach only
 * through presigned URLs. Uploads: one presigned PUT, or a multipart upload with one presigned
 * URL per part that the API completes; downloads: a presigned GET with a bounded life.
 *
 * The client must compute checksums only when required (`recordingsS3Client`): otherwise the
 * SDK signs the CRC32 of an empty body into every presigned PUT and S3 refuses the real file.
 */
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import {
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  NoSuchKey,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
  type S3ClientConfig,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';

/** Environment variable through which handlers learn the recordings bucket. */
export const RECORDINGS_BUCKET_ENV = 'RECORDINGS_BUCKET_NAME';

export interface PresignedUpload {
  readonly url: string;
  /** Headers the upload must carry exactly as signed. */
  readonly headers: Readonly<Record<string, string>>;
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
  presignPut(input: { key: string; contentType: string; expiresInSeconds: number }): Promise<PresignedUpload>;
  /** Starts a multipart upload and presigns each part; S3's upload id comes back to `completeMultipart`. */
  presignMultipart(input: { key: string; contentType: string; parts: number; expiresInSeconds: number }): Promise<{ multipartId: string; partUrls: string[] }>;
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
    async presignPut({ key, contentType, expiresInSeconds }) {
      const url = await getSignedUrl(s3, new PutObjectCommand({ Bucket: bucket, Key: key, ContentType: contentType }), { expiresIn: expiresInSeconds });
      return { url, headers: { 'Content-Type': contentType } };
    },

    async presignMultipart({ key, contentType, parts, expiresInSeconds }) {
      const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: key, ContentType: contentType }));
      if (!UploadId) throw new Error(`S3 gave no upload id for ${key}`);
      const partUrls = await Promise.all(
        Array.from({ length: parts }, (_, i) =>
          getSignedUrl(s3, new UploadPartCommand({ Bucket: bucket, Key: key, UploadId, PartNumber: i + 1 }), { expiresIn: expiresInSeconds }),
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
