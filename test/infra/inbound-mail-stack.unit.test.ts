/**
 * Answers from calendar apps in the CDK app (issue 19): SES receiving for the reply domain, a
 * receipt rule that stores raw mail under `inbound/` of a private bucket, the bucket's
 * notification to the inbound mail function, and that function's grants. Synthesised without
 * bundling (STACK trap 7).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { ConveneStack } from '../../infra/stack/convene-stack.js';
import { ConveneStack as Stack } from '../../infra/stack/convene-stack.js';
import { Template } from 'aws-cdk-lib/assertions';
import { entryOf } from '../../infra/stack/node-function.js';
import { eventTable, idempotencyTable, membersTable, readModelTable } from '../../functions/tables.js';
import { TABLE_READ_ACTIONS, TABLE_READ_WRITE_ACTIONS, arnKey, grantsOfRole, tableArns } from './template-grants.js';
import type { Resource } from './template-grants.js';
import { expectNodeFunction, synthTestStack, TEST_CONTEXT, testApp } from './test-stack.js';

let stack: ConveneStack;
let resources: Record<string, Resource>;
let logicalId: (construct: { node: { defaultChild?: unknown } }) => string;
let resourcesOfType: (type: string) => [string, Resource][];

beforeAll(() => {
  ({ stack, resources, logicalId, resourcesOfType } = synthTestStack());
});

describe('ConveneStack inbound mail', () => {
  it('receives mail for the reply domain (reply. and the mail domain by default) with TLS and a spam and virus scan, storing it under inbound/', () => {
    const rules = resourcesOfType('AWS::SES::ReceiptRule').map(([, r]) => r.Properties);
    expect(rules).toHaveLength(1);
    expect(rules[0]!.RuleSetName).toEqual({ Ref: logicalId(stack.inboundMail.ruleSet) });
    expect(rules[0]!.Rule).toMatchObject({
      Enabled: true,
      Recipients: ['reply.convene.example.org'],
      ScanEnabled: true,
      TlsPolicy: 'Require',
      Actions: [{ S3Action: { BucketName: { Ref: logicalId(stack.inboundMail.bucket) }, ObjectKeyPrefix: 'inbound/' } }],
    });
    expect(resourcesOfType('AWS::SES::ReceiptRuleSet')).toHaveLength(1);
  });

  it('lets SES put objects under inbound/ only, for this account, into a private, encrypted, TLS-only bucket that forgets mail after 14 days', () => {
    const bucket = resources[logicalId(stack.inboundMail.bucket)]!;
    expect(bucket.Properties).toMatchObject({
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      LifecycleConfiguration: { Rules: [expect.objectContaining({ Prefix: 'inbound/', ExpirationInDays: 14, Status: 'Enabled' })] },
    });
    const policy = resourcesOfType('AWS::S3::BucketPolicy').find(([, r]) => JSON.stringify(r.Properties.Bucket) === JSON.stringify({ Ref: logicalId(stack.inboundMail.bucket) }))![1];
    const statements = policy.Properties.PolicyDocument.Statement as { Effect: string; Principal?: unknown; Action: unknown; Resource: unknown; Condition?: unknown }[];
    const ses = statements.filter((s) => JSON.stringify(s.Principal ?? '').includes('ses.amazonaws.com'));
    expect(ses).toHaveLength(1);
    expect(ses[0]).toMatchObject({ Effect: 'Allow', Action: 's3:PutObject', Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } } });
    expect(JSON.stringify(ses[0]!.Resource)).toContain('/inbound/*');
    // No request without TLS.
    expect(statements.some((s) => s.Effect === 'Deny' && JSON.stringify(s.Condition).includes('aws:SecureTransport'))).toBe(true);
  });

  it('runs functions/inbound/handler.ts for every object created under inbound/', () => {
    const fn = logicalId(stack.inboundMail.function);
    expect(entryOf(stack.inboundMail.function)).toBe('functions/inbound/handler.ts');
    expectNodeFunction(resources[fn], { memorySize: 512, timeoutSeconds: 30, roleId: logicalId(stack.inboundMail.function.role!) });
    expect(resources[fn]!.Properties.Environment.Variables).toMatchObject({
      POWERTOOLS_SERVICE_NAME: 'inbound-mail',
      INBOUND_MAIL_BUCKET: { Ref: logicalId(stack.inboundMail.bucket) },
      REPLY_DOMAIN: 'reply.convene.example.org',
      MAIL_FROM: 'Convene <no-reply@convene.example.org>',
      SIGNING_SECRET_ARN: { Ref: logicalId(stack.signingSecret) },
    });
    const notifications = resourcesOfType('Custom::S3BucketNotifications').filter(([, r]) => JSON.stringify(r.Properties.BucketName) === JSON.stringify({ Ref: logicalId(stack.inboundMail.bucket) }));
    expect(notifications).toHaveLength(1);
    expect(notifications[0]![1].Properties.NotificationConfiguration.LambdaFunctionConfigurations).toEqual([
      { Events: ['s3:ObjectCreated:*'], Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: 'inbound/' }] } }, LambdaFunctionArn: { 'Fn::GetAtt': [fn, 'Arn'] } },
    ]);
  });

  it('may read received mail, read schedules and members, append events, and read the signing secret: nothing else', () => {
    const grants = grantsOfRole(resources, logicalId(stack.inboundMail.function.role!));
    const id = (t: Parameters<ConveneStack['table']>[0]) => logicalId(stack.table(t));
    const events = tableArns(id(eventTable));
    expect(grants).toEqual({
      [arnKey(events.table)]: TABLE_READ_WRITE_ACTIONS,
      [arnKey(events.indexes)]: TABLE_READ_WRITE_ACTIONS,
      [arnKey(tableArns(id(idempotencyTable)).table)]: TABLE_READ_WRITE_ACTIONS,
      [arnKey(tableArns(id(readModelTable)).table)]: TABLE_READ_ACTIONS,
      [arnKey(tableArns(id(membersTable)).table)]: TABLE_READ_ACTIONS,
      [arnKey({ 'Fn::Join': ['', [{ 'Fn::GetAtt': [logicalId(stack.inboundMail.bucket), 'Arn'] }, '/inbound/*']] })]: ['s3:GetObject'],
      [arnKey({ Ref: logicalId(stack.signingSecret) })]: ['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue'],
    });
  });

  it('gives the dispatcher the reply domain, so invitations ask for an answer (RSVP=TRUE)', () => {
    expect(resources[logicalId(stack.dispatcher.function)]!.Properties.Environment.Variables).toMatchObject({ REPLY_DOMAIN: 'reply.convene.example.org' });
  });

  it('takes the reply domain from context, and refuses one that is not a domain', () => {
    const synth = (replyDomain: unknown) => new Stack(testApp({ builtinCloudFormationValidation: false, context: { ...TEST_CONTEXT, replyDomain } }), 'Reply');
    const template = Template.fromStack(synth('answers.example.net')).toJSON().Resources as Record<string, Resource>;
    const rule = Object.values(template).find((r) => r.Type === 'AWS::SES::ReceiptRule')!;
    expect(rule.Properties.Rule.Recipients).toEqual(['answers.example.net']);
    expect(() => synth('not a domain')).toThrow(/replyDomain.*must be a domain/);
  });
});
