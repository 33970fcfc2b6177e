import { Duration, Stack, Validations } from 'aws-cdk-lib';
import type { TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { EventType } from 'aws-cdk-lib/aws-s3';
import type { Bucket } from 'aws-cdk-lib/aws-s3';
import { LambdaDestination } from 'aws-cdk-lib/aws-s3-notifications';
import { Construct } from 'constructs';
import { RECORDINGS_BUCKET_ENV } from '../../functions/adapters/recordings/recording-store.js';
import { RECORDINGS_PREFIX } from '../../functions/recordings/object-keys.js';
import { AUTH_ENV, PUBLIC_BASE_URL_ENV } from '../../functions/api/route-table.js';
import { tableEnvironment } from '../../functions/tables.js';
import type { Organisers } from './organisers.js';
import type { TableNames } from '../../functions/tables.js';
import { createNodeFunction, serviceEnvironment } from './node-function.js';
import { createRecordingsBucket, grantRecordingObjects } from './recordings-bucket.js';

/** What the archiver may do to an uploaded file: read it (any version) and delete it if not kept. */
export const ARCHIVER_OBJECT_ACTIONS: readonly string[] = ['s3:GetObject', 's3:GetObjectVersion', 's3:DeleteObject'];

/**
 * What the recordings API may do to objects under `recordings/`: PutObject covers the presigned
 * POST form and every step of a multipart upload (create, upload part, complete); abort a multipart
 * upload; GetObject and GetObjectVersion for presigned downloads (of the archived version).
 */
export const RECORDINGS_API_OBJECT_ACTIONS: readonly string[] = ['s3:PutObject', 's3:AbortMultipartUpload', 's3:GetObject', 's3:GetObjectVersion'];

export interface RecordingsProps {
  /** Table names by definition id, for the handlers' environment. */
  readonly tableNames: TableNames;
  /** Whose tokens the recordings API accepts on its organiser routes. */
  readonly organisers: Organisers;
  /** Public base URL of the API, for the stable links of recordings. */
  readonly publicBaseUrl: string;
  /** The event table and the idempotency table: both functions decide commands and append. */
  readonly eventTable: TableV2;
  readonly idempotencyTable: TableV2;
  /** Where the publisher finds recordings that are due. */
  readonly readModelTable: TableV2;
  /** Origins browsers upload from (the bucket's CORS). */
  readonly uploadOrigins: readonly string[];
}

/**
 * Recordings: the private bucket uploads land in (./recordings-bucket.ts), the recordings API
 * function that presigns uploads and downloads (functions/recordings-api/handler.ts: it reads and
 * appends to the event and idempotency tables, reads the read models, and puts and gets objects
 * under `recordings/`), the archiver that S3
 * invokes for every object created under `recordings/` (functions/archiver/handler.ts), and
 * the publisher run every minute (functions/publisher/handler.ts).
 *
 * The archiver reads and appends to the event and idempotency tables, and reads and deletes
 * objects under `recordings/` (no listing, no writing). The publisher reads the read models and
 * reads and appends to the event and idempotency tables: no bucket, no mail.
 */
export class Recordings extends Construct {
  readonly bucket: Bucket;
  /** Serves the recordings routes of the HTTP API: announces uploads, presigns, publishes, withdraws. */
  readonly api: NodejsFunction;
  /** Verifies each uploaded file against its announced upload; streams up to 10 GiB to hash it. */
  readonly archiver: NodejsFunction;
  /** Posts recordings that are due and expires uploads that never arrived. */
  readonly publisher: NodejsFunction;
  /** The publisher's every-minute schedule. */
  readonly publisherSchedule: Rule;

  constructor(scope: Construct, id: string, props: RecordingsProps) {
    super(scope, id);
    this.bucket = createRecordingsBucket(this, 'Bucket', { uploadOrigins: props.uploadOrigins });

    this.archiver = createNodeFunction(this, 'Archiver', {
      entry: 'functions/archiver/handler.ts',
      memorySize: 1024,
      // Reading a 10 GiB file once, at S3's per-stream rate, takes minutes.
      timeout: Duration.minutes(15),
      environment: {
        ...tableEnvironment(props.tableNames),
        ...serviceEnvironment('archiver'),
        [RECORDINGS_BUCKET_ENV]: this.bucket.bucketName,
      },
    });
    // S3 invokes asynchronously (retried twice on error); the archiver is safe to run again.
    // CDK applies the notification through its own custom resource (BucketNotificationsHandler).
    this.bucket.addEventNotification(EventType.OBJECT_CREATED, new LambdaDestination(this.archiver), { prefix: RECORDINGS_PREFIX });
    const notificationsHandler = Stack.of(this).node.children.find((c) => c.node.id.startsWith('BucketNotificationsHandler'));
    if (notificationsHandler) {
      Validations.of(notificationsHandler).acknowledge({
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        reason: "CDK's own function that applies bucket notifications at deploy; its role is CDK's (basic execution for its logs, s3:PutBucketNotification on this bucket only).",
      });
    }
    for (const table of [props.eventTable, props.idempotencyTable]) table.grantReadWriteData(this.archiver);
    grantRecordingObjects(this.archiver, this.bucket, ARCHIVER_OBJECT_ACTIONS);

    this.api = createNodeFunction(this, 'Api', {
      entry: 'functions/recordings-api/handler.ts',
      memorySize: 512,
      timeout: Duration.seconds(10),
      environment: {
        ...tableEnvironment(props.tableNames),
        ...serviceEnvironment('recordings-api'),
        [AUTH_ENV.issuer]: props.organisers.issuer,
        [AUTH_ENV.jwksUrl]: props.organisers.jwksUrl,
        [AUTH_ENV.clientId]: props.organisers.client.userPoolClientId,
        // A token older than the client's access-token validity is refused, whatever its exp says.
        [AUTH_ENV.maxAgeSeconds]: String(props.organisers.accessTokenValidity.toSeconds()),
        [PUBLIC_BASE_URL_ENV]: props.publicBaseUrl,
        [RECORDINGS_BUCKET_ENV]: this.bucket.bucketName,
      },
    });
    for (const table of [props.eventTable, props.idempotencyTable]) table.grantReadWriteData(this.api);
    props.readModelTable.grantReadData(this.api);
    // A presigned URL acts with the signer's permissions: these are what browsers can do with one.
    grantRecordingObjects(this.api, this.bucket, RECORDINGS_API_OBJECT_ACTIONS);

    this.publisher = createNodeFunction(this, 'Publisher', {
      entry: 'functions/publisher/handler.ts',
      memorySize: 512,
      timeout: Duration.minutes(1),
      environment: { ...tableEnvironment(props.tableNames), ...serviceEnvironment('publisher') },
    });
    this.publisherSchedule = new Rule(this, 'PublisherSchedule', {
      description: 'Runs the Convene publisher: posts recordings that are due, expires stale uploads',
      schedule: Schedule.rate(Duration.minutes(1)),
      targets: [new LambdaFunction(this.publisher, { retryAttempts: 2, maxEventAge: Duration.minutes(2) })],
    });
    props.readModelTable.grantReadData(this.publisher);
    for (const table of [props.eventTable, props.idempotencyTable]) table.grantReadWriteData(this.publisher);
  }
}
