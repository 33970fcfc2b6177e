import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { BlockPublicAccess, Bucket, BucketEncryption, HttpMethods, ObjectOwnership, StorageClass } from 'aws-cdk-lib/aws-s3';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { createAccessLogsBucket } from './access-logs-bucket.js';
import { RECORDINGS_PREFIX } from '../../functions/recordings/object-keys.js';

export interface RecordingsBucketProps {
  /** Origins browsers upload from and play recordings in (see uploadOriginsContext). */
  readonly uploadOrigins: readonly string[];
}

/**
 * The recordings bucket: private (no public access, no ACLs, TLS only), versioned and retained
 * with the stack. Browsers reach it only through presigned requests the API hands out: a POST
 * form (a single upload, its policy fixing size, type, key and checksum), a PUT per part of a
 * multipart upload (each signing its size), and GET.
 *
 * Encrypted with S3-managed keys (SSE-S3): presigned uploads and downloads then need no KMS
 * permission on the signing role, and a multi-GiB multipart upload or download costs no KMS
 * request per part. Who may read a recording is decided by IAM and presigning, not by a key
 * policy, so a customer managed key would add cost and failure modes and no separation.
 */
export function createRecordingsBucket(scope: Construct, id: string, props: RecordingsBucketProps): Bucket {
  // Who fetched or put which recording, when, from where: S3 server access logs, kept a year.
  const accessLogs = createAccessLogsBucket(scope, `${id}AccessLogs`, 'recordings bucket');
  return new Bucket(scope, id, {
    serverAccessLogsBucket: accessLogs,
    serverAccessLogsPrefix: 'recordings-bucket/',
    blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
    objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
    enforceSSL: true,
    encryption: BucketEncryption.S3_MANAGED,
    versioned: true,
    removalPolicy: RemovalPolicy.RETAIN,
    lifecycleRules: [
      {
        id: 'RecordingsTiering',
        prefix: RECORDINGS_PREFIX,
        // Instant Retrieval, not Flexible or Deep Archive: an old recording's presigned
        // download must still start at once, without a restore.
        transitions: [
          { storageClass: StorageClass.INFREQUENT_ACCESS, transitionAfter: Duration.days(30) },
          { storageClass: StorageClass.GLACIER_INSTANT_RETRIEVAL, transitionAfter: Duration.days(180) },
        ],
      },
      {
        // Overwritten and deleted files (rejected uploads) linger 30 days, then go; so do the
        // delete markers left with no version behind them.
        id: 'ExpireNoncurrentVersions',
        noncurrentVersionExpiration: Duration.days(30),
        expiredObjectDeleteMarker: true,
      },
      {
        // Abandoned multipart uploads: their parts are billed until aborted.
        id: 'AbortIncompleteMultipartUploads',
        abortIncompleteMultipartUploadAfter: Duration.days(1),
      },
    ],
    cors: [
      {
        allowedOrigins: [...props.uploadOrigins],
        // POST: a single upload's form; PUT: each part of a multipart upload.
        allowedMethods: [HttpMethods.POST, HttpMethods.PUT, HttpMethods.GET, HttpMethods.HEAD],
        // The presigned request's signature and policy, not CORS, decide what a request may carry.
        allowedHeaders: ['*'],
        // The browser reads each part's ETag to complete a multipart upload.
        exposedHeaders: ['ETag'],
        maxAge: 3000,
      },
    ],
  });
}

/** Objects under `recordings/`: every grant on the bucket is on these, never on the bucket itself. */
export function recordingObjectsArn(bucket: IBucket): string {
  return bucket.arnForObjects(`${RECORDINGS_PREFIX}*`);
}

/**
 * Allows exactly these object actions on `recordings/*` (the bucket's grant* methods add
 * more: tagging, legal holds, retention, bucket listing).
 */
export function grantRecordingObjects(fn: IFunction, bucket: IBucket, actions: readonly string[]): void {
  fn.addToRolePolicy(new PolicyStatement({ actions: [...actions], resources: [recordingObjectsArn(bucket)] }));
  const bucketId = Stack.of(bucket).getLogicalId(bucket.node.defaultChild as never);
  Validations.of(fn.role!).acknowledge({
    id: `AwsSolutions-IAM5[Resource::<${bucketId}.Arn>/${RECORDINGS_PREFIX}*]`,
    reason: `Every recording file is its own object under ${RECORDINGS_PREFIX} (one key per upload); the grant names exactly the actions this function uses, on that prefix only.`,
  });
}
