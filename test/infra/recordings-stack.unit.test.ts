/**
 * Recordings in the CDK app: the private bucket uploads land in (encryption, versioning,
 * lifecycle, CORS), the S3 notification that runs the archiver, the publisher's schedule, the
 * grants of both functions, and that every S3 grant of the stack is on `recordings/*`.
 * Synthesised without bundling (STACK trap 7).
 */
import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { RECORDINGS_BUCKET_ENV } from '../../functions/adapters/recordings/recording-store.js';
import { RECORDINGS_PREFIX } from '../../functions/recordings/object-keys.js';
import { AUTH_ENV, PUBLIC_BASE_URL_ENV } from '../../functions/api/route-table.js';
import { UPLOAD_ORIGINS_CONTEXT, uploadOriginsContext } from '../../infra/stack/context.js';
import { ConveneStack } from '../../infra/stack/convene-stack.js';
import { entryOf } from '../../infra/stack/node-function.js';
import { deliveryTable, eventTable, idempotencyTable, membersTable, readModelTable, tables } from '../../functions/tables.js';
import { TABLE_READ_ACTIONS, TABLE_READ_WRITE_ACTIONS, TABLE_WRITE_ACTIONS, arnKey, grantsOfRole, tableArns } from './template-grants.js';
import type { Resource } from './template-grants.js';
import { TEST_CONTEXT, bucketNotificationsHandler, expectNodeFunction, synthTestStack, testApp } from './test-stack.js';
import type { TestStack } from './test-stack.js';
import { EDGE_ORIGIN_SECRET_ARN_ENV } from '../../functions/security/edge-origin.js';

let stack: ConveneStack;
let resources: Record<string, Resource>;
let logicalId: TestStack['logicalId'];
let resourcesOfType: TestStack['resourcesOfType'];
let ids: {
  bucket: string;
  recordingsApi: string;
  recordingsApiRole: string;
  archiver: string;
  archiverRole: string;
  publisher: string;
  publisherRole: string;
  rule: string;
  events: string;
  idempotency: string;
  readModels: string;
  members: string;
  deliveries: string;
};

const bucketArn = () => ({ 'Fn::GetAtt': [ids.bucket, 'Arn'] });
/** `<bucket ARN>/recordings/*`, as the template joins it. */
const recordingObjects = () => ({ 'Fn::Join': ['', [bucketArn(), '/recordings/*']] });
const fnArn = (fnId: string) => ({ 'Fn::GetAtt': [fnId, 'Arn'] });
const permissionsOn = (fnId: string) =>
  resourcesOfType('AWS::Lambda::Permission')
    .map(([, r]) => r.Properties)
    .filter((p) => arnKey(p.FunctionName) === arnKey(fnArn(fnId)));

beforeAll(() => {
  let tableId: TestStack['tableId'];
  ({ stack, resources, logicalId, resourcesOfType, tableId } = synthTestStack());
  const { recordings } = stack;
  ids = {
    bucket: logicalId(recordings.bucket),
    recordingsApi: logicalId(recordings.api),
    recordingsApiRole: logicalId(recordings.api.role!),
    archiver: logicalId(recordings.archiver),
    archiverRole: logicalId(recordings.archiver.role!),
    publisher: logicalId(recordings.publisher),
    publisherRole: logicalId(recordings.publisher.role!),
    rule: logicalId(recordings.publisherSchedule),
    events: tableId(eventTable),
    idempotency: tableId(idempotencyTable),
    readModels: tableId(readModelTable),
    members: tableId(membersTable),
    deliveries: tableId(deliveryTable),
  };
});

describe('ConveneStack recordings', () => {
  describe('bucket', () => {
    it('is retained with the stack, and logs every request to an access-log bucket kept a year', () => {
      expect(resources[ids.bucket]).toMatchObject({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
      expect(RECORDINGS_PREFIX).toBe('recordings/');
      // The inbound mail bucket and its access logs: test/infra/inbound-mail-stack.unit.test.ts.
      const inbound = [logicalId(stack.inboundMail.bucket), stack.getLogicalId(stack.inboundMail.node.findChild('AccessLogs').node.defaultChild as never)];
      const others = resourcesOfType('AWS::S3::Bucket').filter(([id]) => id !== ids.bucket && id !== logicalId(stack.feeds.bucket) && !inbound.includes(id));
      expect(others).toHaveLength(1);
      const [logsId, logs] = others[0]!;
      expect(resources[ids.bucket]!.Properties.LoggingConfiguration).toEqual({ DestinationBucketName: { Ref: logsId }, LogFilePrefix: 'recordings-bucket/' });
      expect(logs.Properties).toMatchObject({
        PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
        BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
        LifecycleConfiguration: { Rules: [{ Id: 'ExpireAccessLogs', ExpirationInDays: 365, Status: 'Enabled' }] },
      });
    });

    it('is private: every public access blocked, ACLs disabled, and no principal allowed by bucket policy', () => {
      const { Properties } = resources[ids.bucket]!;
      expect(Properties.PublicAccessBlockConfiguration).toEqual({
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      });
      expect(Properties.OwnershipControls).toEqual({ Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] });
      expect(Properties.AccessControl).toBeUndefined();
      expect(Properties.WebsiteConfiguration).toBeUndefined();
    });

    it('refuses every request without TLS, and its policy says nothing else', () => {
      const policies = resourcesOfType('AWS::S3::BucketPolicy')
        .map(([, r]) => r.Properties)
        .filter((p) => JSON.stringify(p.Bucket) === JSON.stringify({ Ref: ids.bucket }));
      expect(policies).toHaveLength(1);
      expect(policies[0]!.PolicyDocument.Statement).toEqual([
        {
          Effect: 'Deny',
          Principal: { AWS: '*' },
          Action: 's3:*',
          Resource: [bucketArn(), { 'Fn::Join': ['', [bucketArn(), '/*']] }],
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        },
      ]);
    });

    it('encrypts with S3-managed keys and keeps versions', () => {
      const { Properties } = resources[ids.bucket]!;
      expect(Properties.BucketEncryption).toEqual({ ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] });
      expect(Properties.VersioningConfiguration).toEqual({ Status: 'Enabled' });
    });

    it('moves recordings to Standard-IA at 30 days and Glacier Instant Retrieval at 180, expires old versions at 30 days, aborts stale multipart uploads after a day', () => {
      expect(resources[ids.bucket]!.Properties.LifecycleConfiguration).toEqual({
        Rules: [
          {
            Id: 'RecordingsTiering',
            Status: 'Enabled',
            Prefix: 'recordings/',
            // Current versions only; Instant Retrieval keeps presigned downloads working.
            Transitions: [
              { StorageClass: 'STANDARD_IA', TransitionInDays: 30 },
              { StorageClass: 'GLACIER_IR', TransitionInDays: 180 },
            ],
          },
          { Id: 'ExpireNoncurrentVersions', Status: 'Enabled', NoncurrentVersionExpiration: { NoncurrentDays: 30 }, ExpiredObjectDeleteMarker: true },
          { Id: 'AbortIncompleteMultipartUploads', Status: 'Enabled', AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 } },
        ],
      });
      // Never an archive class a download would have to restore from first, never an expiry of current files.
      const rules = resources[ids.bucket]!.Properties.LifecycleConfiguration.Rules as Record<string, unknown>[];
      expect(JSON.stringify(rules)).not.toMatch(/"(GLACIER|DEEP_ARCHIVE)"|ExpirationInDays/);
    });

    it('lets browsers POST (single uploads), PUT (parts), GET and HEAD from the origin of the public base URL, and read the ETag', () => {
      expect(TEST_CONTEXT).not.toHaveProperty(UPLOAD_ORIGINS_CONTEXT);
      expect(resources[ids.bucket]!.Properties.CorsConfiguration).toEqual({
        CorsRules: [
          {
            AllowedOrigins: ['https://convene.example.org'],
            // A single upload is a presigned POST form; a multipart upload PUTs each part.
            AllowedMethods: ['POST', 'PUT', 'GET', 'HEAD'],
            AllowedHeaders: ['*'],
            // Completing a multipart upload needs each part's ETag, which the browser must be allowed to read.
            ExposedHeaders: ['ETag'],
            MaxAge: 3000,
          },
        ],
      });
    });

    it('takes the upload origins from the uploadOrigins context when given', () => {
      const app = testApp({
        builtinCloudFormationValidation: false,
        context: { ...TEST_CONTEXT, [UPLOAD_ORIGINS_CONTEXT]: 'https://convene.example.org, https://admin.example.org:8443' },
      });
      const other = new ConveneStack(app, 'Origins');
      const bucket = Template.fromStack(other).toJSON().Resources[other.getLogicalId(other.recordings.bucket.node.defaultChild as never)];
      expect(bucket.Properties.CorsConfiguration.CorsRules.map((r: { AllowedOrigins: string[] }) => r.AllowedOrigins)).toEqual([
        ['https://convene.example.org', 'https://admin.example.org:8443'],
      ]);
    });
  });

  describe('upload origins context', () => {
    const origins = (value: unknown, publicBaseUrl = 'https://convene.example.org/api') =>
      uploadOriginsContext(new Stack(testApp({ context: value === undefined ? {} : { [UPLOAD_ORIGINS_CONTEXT]: value } })), publicBaseUrl);

    it('defaults to the origin of the public base URL, without its path', () => {
      expect(origins(undefined)).toEqual(['https://convene.example.org']);
    });

    it('reads a comma-separated list, or a list from cdk.json, and drops trailing slashes', () => {
      expect(origins('https://a.example.org/,https://b.example.org')).toEqual(['https://a.example.org', 'https://b.example.org']);
      expect(origins(['https://a.example.org'])).toEqual(['https://a.example.org']);
    });

    it.each([
      ['', /uploadOrigins.*must list origins/],
      [' , ', /uploadOrigins.*must list origins/],
      [42, /uploadOrigins.*must list origins/],
      ['*', /uploadOrigins.*"\*" is not an https origin/],
      ['http://convene.example.org', /uploadOrigins.*not an https origin/],
      ['https://convene.example.org/app', /uploadOrigins.*not an https origin.*no path/],
      ['convene.example.org', /uploadOrigins.*not an https origin/],
      [[7], /uploadOrigins.*7 is not an https origin/],
    ])('refuses %j, saying why', (value, message) => {
      expect(() => origins(value)).toThrow(message);
    });
  });

  describe('recordings API', () => {
    it('runs functions/recordings-api/handler.ts on Node.js 24, arm64, 512 MB, 10 s', () => {
      expect(entryOf(stack.recordings.api)).toBe('functions/recordings-api/handler.ts');
      expectNodeFunction(resources[ids.recordingsApi], { memorySize: 512, timeoutSeconds: 10, roleId: ids.recordingsApiRole });
    });

    it('learns its tables, how to verify organiser tokens, the link base, the bucket and where the edge origin secret is from its environment, and nothing else', () => {
      const pool = logicalId(stack.organisers.userPool);
      expect(resources[ids.recordingsApi]!.Properties.Environment.Variables).toEqual({
        ...Object.fromEntries(tables.map((t) => [t.envVar, { Ref: logicalId(stack.table(t)) }])),
        NODE_OPTIONS: '--enable-source-maps',
        POWERTOOLS_SERVICE_NAME: 'recordings-api',
        POWERTOOLS_LOG_LEVEL: 'INFO',
        [AUTH_ENV.issuer]: { 'Fn::Join': ['', ['https://cognito-idp.', { Ref: 'AWS::Region' }, '.amazonaws.com/', { Ref: pool }]] },
        [AUTH_ENV.jwksUrl]: { 'Fn::Join': ['', ['https://cognito-idp.', { Ref: 'AWS::Region' }, '.amazonaws.com/', { Ref: pool }, '/.well-known/jwks.json']] },
        [AUTH_ENV.clientId]: { Ref: logicalId(stack.organisers.client) },
        [AUTH_ENV.maxAgeSeconds]: '3600',
        [PUBLIC_BASE_URL_ENV]: 'https://convene.example.org',
        [RECORDINGS_BUCKET_ENV]: { Ref: ids.bucket },
        [EDGE_ORIGIN_SECRET_ARN_ENV]: { Ref: logicalId(stack.feeds.edge.originSecret) },
      });
    });

    it('may read and write the event and idempotency tables, read the read models, put and get objects under recordings/, read the edge origin secret, and nothing else', () => {
      const events = tableArns(ids.events);
      const grants = grantsOfRole(resources, ids.recordingsApiRole);
      expect(grants).toEqual({
        [arnKey(events.table)]: TABLE_READ_WRITE_ACTIONS,
        [arnKey(events.indexes)]: TABLE_READ_WRITE_ACTIONS,
        [arnKey(tableArns(ids.idempotency).table)]: TABLE_READ_WRITE_ACTIONS,
        // Public archive and file links are served from the schedule read model.
        [arnKey(tableArns(ids.readModels).table)]: TABLE_READ_ACTIONS,
        // Presigned requests act with these: PutObject is the single upload's POST form and every step
        // of a multipart upload (create, part, complete); abort; GetObject(Version) for downloads. No list, no delete.
        [arnKey(recordingObjects())]: ['s3:AbortMultipartUpload', 's3:GetObject', 's3:GetObjectVersion', 's3:PutObject'],
        // The edge's origin secret: requests that did not come through CloudFront are refused.
        [arnKey({ Ref: logicalId(stack.feeds.edge.originSecret) })]: ['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue'],
      });
      const actions = Object.values(grants).flat();
      expect(actions.filter((a) => a.startsWith('ses:') || /^s3:(Delete|List|\*)/.test(a) || a === '*')).toEqual([]);
      for (const table of [ids.members, ids.deliveries]) expect(Object.keys(grants).filter((r) => r.includes(table))).toEqual([]);
    });
  });

  describe('archiver', () => {
    it('runs functions/archiver/handler.ts on Node.js 24, arm64, 1024 MB, 15 minutes', () => {
      expect(entryOf(stack.recordings.archiver)).toBe('functions/archiver/handler.ts');
      expectNodeFunction(resources[ids.archiver], { memorySize: 1024, timeoutSeconds: 900, roleId: ids.archiverRole });
    });

    it('learns its tables, the bucket and the Powertools settings from its environment, and nothing else', () => {
      expect(resources[ids.archiver]!.Properties.Environment.Variables).toEqual({
        ...Object.fromEntries(tables.map((t) => [t.envVar, { Ref: logicalId(stack.table(t)) }])),
        NODE_OPTIONS: '--enable-source-maps',
        POWERTOOLS_SERVICE_NAME: 'archiver',
        POWERTOOLS_LOG_LEVEL: 'INFO',
        [RECORDINGS_BUCKET_ENV]: { Ref: ids.bucket },
      });
    });

    it('is invoked for every object created under recordings/, and for nothing else', () => {
      // The inbound mail bucket's own notification: test/infra/inbound-mail-stack.unit.test.ts.
      const notifications = resourcesOfType('Custom::S3BucketNotifications').map(([, r]) => r.Properties).filter((p) => JSON.stringify(p.BucketName) !== JSON.stringify({ Ref: logicalId(stack.inboundMail.bucket) }));
      expect(notifications).toHaveLength(1);
      expect(notifications[0]!.BucketName).toEqual({ Ref: ids.bucket });
      expect(notifications[0]!.NotificationConfiguration).toEqual({
        LambdaFunctionConfigurations: [
          {
            Events: ['s3:ObjectCreated:*'],
            Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: 'recordings/' }] } },
            LambdaFunctionArn: fnArn(ids.archiver),
          },
        ],
      });
    });

    it('may be invoked by S3 for this bucket in this account, and by nothing else', () => {
      expect(permissionsOn(ids.archiver)).toEqual([
        {
          Action: 'lambda:InvokeFunction',
          FunctionName: fnArn(ids.archiver),
          Principal: 's3.amazonaws.com',
          SourceAccount: { Ref: 'AWS::AccountId' },
          SourceArn: bucketArn(),
        },
      ]);
    });

    it('may read and write the event and idempotency tables, read and delete objects under recordings/, and nothing else', () => {
      const events = tableArns(ids.events);
      const grants = grantsOfRole(resources, ids.archiverRole);
      expect(grants).toEqual({
        [arnKey(events.table)]: TABLE_READ_WRITE_ACTIONS,
        // grantReadWriteData covers the event table's index too.
        [arnKey(events.indexes)]: TABLE_READ_WRITE_ACTIONS,
        [arnKey(tableArns(ids.idempotency).table)]: TABLE_READ_WRITE_ACTIONS,
        // Read the file once to hash it (the version S3 notified), delete what is not kept.
        [arnKey(recordingObjects())]: ['s3:DeleteObject', 's3:GetObject', 's3:GetObjectVersion'],
      });
      const actions = Object.values(grants).flat();
      expect(actions.filter((a) => a.startsWith('ses:'))).toEqual([]);
      expect(actions.filter((a) => /^s3:(Put|List|\*)/.test(a))).toEqual([]);
      // No read models, no member directory, no delivery ledger, no bucket-level action.
      for (const table of [ids.readModels, ids.members, ids.deliveries]) {
        expect(Object.keys(grants).filter((r) => r.includes(table))).toEqual([]);
      }
      expect(grants[arnKey(bucketArn())]).toBeUndefined();
    });

    it('has its notification applied by CDK\'s handler, which may put notification settings on this bucket only', () => {
      const handler = bucketNotificationsHandler(stack)!;
      expect(resourcesOfType('Custom::S3BucketNotifications')[0]![1].Properties.ServiceToken).toEqual(fnArn(handler.fn));
      // And on the inbound mail bucket (the one handler serves both; CDK writes a policy per bucket).
      const statements = Object.values(resources)
        .filter((r) => r.Type === 'AWS::IAM::Policy' && JSON.stringify(r.Properties.Roles).includes(JSON.stringify({ Ref: handler.role })))
        .flatMap((r) => r.Properties.PolicyDocument.Statement as { Action: unknown; Resource: unknown }[])
        .map((st) => ({ action: st.Action, resource: arnKey(st.Resource) }));
      expect(statements).toEqual(
        expect.arrayContaining([
          { action: 's3:PutBucketNotification', resource: arnKey(bucketArn()) },
          { action: 's3:PutBucketNotification', resource: arnKey({ 'Fn::GetAtt': [logicalId(stack.inboundMail.bucket), 'Arn'] }) },
        ]),
      );
      expect(statements).toHaveLength(2);
    });
  });

  describe('publisher', () => {
    it('runs functions/publisher/handler.ts on Node.js 24, arm64, 512 MB, 1 minute', () => {
      expect(entryOf(stack.recordings.publisher)).toBe('functions/publisher/handler.ts');
      expectNodeFunction(resources[ids.publisher], { memorySize: 512, timeoutSeconds: 60, roleId: ids.publisherRole });
    });

    it('learns its tables and the Powertools settings from its environment, and nothing else', () => {
      expect(resources[ids.publisher]!.Properties.Environment.Variables).toEqual({
        ...Object.fromEntries(tables.map((t) => [t.envVar, { Ref: logicalId(stack.table(t)) }])),
        NODE_OPTIONS: '--enable-source-maps',
        POWERTOOLS_SERVICE_NAME: 'publisher',
        POWERTOOLS_LOG_LEVEL: 'INFO',
      });
    });

    it('runs every minute on an EventBridge rule whose only target it is, retried twice within 2 minutes', () => {
      const rules = resourcesOfType('AWS::Events::Rule').filter(([, r]) =>
        (r.Properties.Targets as { Arn: unknown }[]).some((t) => arnKey(t.Arn) === arnKey(fnArn(ids.publisher))),
      );
      expect(rules.map(([id]) => id)).toEqual([ids.rule]);
      const { ScheduleExpression, State, Targets, EventPattern } = rules[0]![1].Properties;
      expect(ScheduleExpression).toBe('rate(1 minute)');
      expect(State).toBe('ENABLED');
      expect(EventPattern).toBeUndefined();
      expect(Targets).toEqual([
        { Id: 'Target0', Arn: fnArn(ids.publisher), RetryPolicy: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 120 } },
      ]);
    });

    it('may be invoked by its schedule, and by nothing else', () => {
      expect(permissionsOn(ids.publisher)).toEqual([
        { Action: 'lambda:InvokeFunction', FunctionName: fnArn(ids.publisher), Principal: 'events.amazonaws.com', SourceArn: fnArn(ids.rule) },
      ]);
    });

    it('may read the read-model table, read and write the event and idempotency tables, and nothing else', () => {
      const events = tableArns(ids.events);
      const grants = grantsOfRole(resources, ids.publisherRole);
      expect(grants).toEqual({
        // Recordings that are due, uploads that expired.
        [arnKey(tableArns(ids.readModels).table)]: TABLE_READ_ACTIONS,
        [arnKey(events.table)]: TABLE_READ_WRITE_ACTIONS,
        [arnKey(events.indexes)]: TABLE_READ_WRITE_ACTIONS,
        [arnKey(tableArns(ids.idempotency).table)]: TABLE_READ_WRITE_ACTIONS,
      });
      expect(grants[arnKey(tableArns(ids.readModels).table)]!.filter((a) => TABLE_WRITE_ACTIONS.includes(a))).toEqual([]);
      const actions = Object.values(grants).flat();
      // No bucket, no mail: only DynamoDB.
      expect(actions.filter((a) => !a.startsWith('dynamodb:'))).toEqual([]);
      expect(actions.filter((a) => a.startsWith('s3:') || a.startsWith('ses:'))).toEqual([]);
      for (const table of [ids.members, ids.deliveries]) {
        expect(Object.keys(grants).filter((r) => r.includes(table))).toEqual([]);
      }
    });
  });

  it('grants S3 object actions on recordings/* only, to the recordings API and the archiver, and no bucket-level action but CDK\'s notification setup', () => {
    type Statement = { Action: string | string[]; Resource: unknown };
    const list = <T>(x: T | T[]): T[] => (Array.isArray(x) ? x : [x]);
    const s3Statements = resourcesOfType('AWS::IAM::Policy').flatMap(([, p]) =>
      (p.Properties.PolicyDocument.Statement as Statement[])
        .filter((s) => list(s.Action).some((a) => a.startsWith('s3:') || a === '*'))
        // The feed renderer's and the API's grants are on the feeds bucket (test/infra/feeds-stack.unit.test.ts, api-stack.unit.test.ts).
        .filter((s) => !JSON.stringify(s.Resource).includes(logicalId(stack.feeds.bucket)))
        // The inbound mail function's and CDK's grants on the inbound mail bucket: test/infra/inbound-mail-stack.unit.test.ts.
        .filter((s) => !JSON.stringify(s.Resource).includes(logicalId(stack.inboundMail.bucket)))
        .map((s) => ({ roles: p.Properties.Roles as unknown[], actions: list(s.Action), resources: list(s.Resource) })),
    );
    const roles = (fn: { role?: unknown }) => [{ Ref: logicalId(fn.role as never) }];
    const handler = bucketNotificationsHandler(stack)!;
    expect(s3Statements).toEqual(
      expect.arrayContaining([
        { roles: roles(stack.recordings.archiver), actions: ['s3:GetObject', 's3:GetObjectVersion', 's3:DeleteObject'], resources: [recordingObjects()] },
        { roles: roles(stack.recordings.api), actions: ['s3:PutObject', 's3:AbortMultipartUpload', 's3:GetObject', 's3:GetObjectVersion'], resources: [recordingObjects()] },
        { roles: [{ Ref: handler.role }], actions: ['s3:PutBucketNotification'], resources: [bucketArn()] },
      ]),
    );
    expect(s3Statements).toHaveLength(3);
  });
});
