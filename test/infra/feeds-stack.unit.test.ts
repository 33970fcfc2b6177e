/**
 * Feeds at the edge in the CDK app: the feeds bucket, the feed renderer (its event sources,
 * dead-letter queue and grants), the CloudFront distribution with its feed function, and the
 * CLOUDFRONT-scope web ACL. Synthesised without bundling (STACK trap 7).
 */
import { describe, expect, it } from 'vitest';
import { ConveneStack } from '../../infra/stack/convene-stack.js';
import { EDGE_RATE_LIMITS, publicWritePathPattern } from '../../infra/stack/edge-web-acl.js';
import { publicWriteRoutes } from '../../functions/api/route-table.js';
import { membersTable, readModelTable } from '../../functions/tables.js';
import { FEED_RENDERER_OBJECT_ACTIONS } from '../../infra/stack/feed-renderer.js';
import { grantsOfRole, tableArns } from './template-grants.js';
import { synthTestStack, TEST_CONTEXT, testApp } from './test-stack.js';

const { stack, template, resources, logicalId } = synthTestStack();
const ofType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);
const bucketId = logicalId(stack.feeds.bucket);
const fnId = logicalId(stack.feeds.renderer.function);

describe('feeds bucket', () => {
  it('is private, encrypted, TLS only and bucket-owner enforced', () => {
    expect(resources[bucketId]!.Properties).toMatchObject({
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
    });
    const policy = ofType('AWS::S3::BucketPolicy').find(([, p]) => p.Properties.Bucket.Ref === bucketId)![1];
    const statements = policy.Properties.PolicyDocument.Statement as { Effect: string; Condition?: unknown; Principal?: unknown; Action: unknown }[];
    expect(statements).toContainEqual(expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }));
    // Only CloudFront reads it (OAC), scoped to this distribution.
    const reads = statements.filter((s) => JSON.stringify(s.Principal ?? '').includes('cloudfront.amazonaws.com'));
    expect(reads.length).toBeGreaterThan(0);
    for (const s of reads) expect(JSON.stringify(s)).toContain('AWS:SourceArn');
  });
});

describe('feed renderer', () => {
  it('follows the read-model and directory streams from the oldest record, with partial batch failures and a dead-letter queue', () => {
    const mappings = ofType('AWS::Lambda::EventSourceMapping').filter(([, m]) => m.Properties.FunctionName.Ref === fnId).map(([, m]) => m.Properties);
    expect(mappings.map((m) => JSON.stringify(m.EventSourceArn)).sort()).toEqual(
      [tableArns(logicalId(stack.table(readModelTable))).stream, tableArns(logicalId(stack.table(membersTable))).stream].map((a) => JSON.stringify(a)).sort(),
    );
    const queueId = logicalId(stack.feeds.renderer.deadLetterQueue);
    for (const m of mappings) {
      expect(m).toMatchObject({ StartingPosition: 'TRIM_HORIZON', BatchSize: 100, BisectBatchOnFunctionError: true, FunctionResponseTypes: ['ReportBatchItemFailures'], MaximumRetryAttempts: 10, DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [queueId, 'Arn'] } } } });
    }
    expect(resources[queueId]!.Properties).toEqual({ SqsManagedSseEnabled: true, MessageRetentionPeriod: 14 * 24 * 3600 });
  });

  it('reads the read models, only feed-token attributes of the directory, and writes only feeds/ objects', () => {
    const grants = grantsOfRole(resources, logicalId(stack.feeds.renderer.function.role as never));
    const text = JSON.stringify(grants);
    expect(text).not.toMatch(/dynamodb:(PutItem|UpdateItem|DeleteItem|BatchWriteItem)/);
    expect(text).not.toMatch(/ses:|sqs:Receive/);
    const statements = ofType('AWS::IAM::Policy')
      .filter(([, p]) => JSON.stringify(p.Properties.Roles) === JSON.stringify([{ Ref: logicalId(stack.feeds.renderer.function.role as never) }]))
      .flatMap(([, p]) => p.Properties.PolicyDocument.Statement as { Action: string | string[]; Resource: unknown; Condition?: Record<string, Record<string, unknown>> }[]);
    const members = statements.find((s) => JSON.stringify(s.Resource).includes(logicalId(stack.table(membersTable))) && JSON.stringify(s.Action).includes('GetItem'))!;
    expect(members.Action).toBe('dynamodb:GetItem');
    expect(members.Condition!['ForAllValues:StringLike']).toEqual({ 'dynamodb:LeadingKeys': ['member#*', 'feed#*'], 'dynamodb:Attributes': ['pk', 'memberId', 'feedTokenHash'] });
    const objects = statements.find((s) => JSON.stringify(s.Action) === JSON.stringify(FEED_RENDERER_OBJECT_ACTIONS))!;
    expect(objects.Resource).toEqual({ 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucketId, 'Arn'] }, '/feeds/*']] });
    // The recordings bucket is not the renderer's.
    expect(text).not.toContain(logicalId(stack.recordings.bucket));
  });
});

describe('distribution', () => {
  const [, distribution] = ofType('AWS::CloudFront::Distribution')[0]!;
  const config = distribution.Properties.DistributionConfig;

  it('is one distribution: the API by default (never cached), /feeds/* from the bucket through OAC and the feed function, /series/* cached by Accept', () => {
    expect(ofType('AWS::CloudFront::Distribution')).toHaveLength(1);
    expect(config.DefaultCacheBehavior).toMatchObject({ CachePolicyId: '4135ea2d-6df8-44a3-9df3-4b5a84be39ad', ViewerProtocolPolicy: 'redirect-to-https' });
    const feeds = config.CacheBehaviors.find((b: { PathPattern: string }) => b.PathPattern === '/feeds/*');
    expect(feeds.AllowedMethods).toEqual(['GET', 'HEAD']);
    expect(feeds.FunctionAssociations).toEqual([{ EventType: 'viewer-request', FunctionARN: { 'Fn::GetAtt': [logicalId(stack.feeds.edge.feedFunction), 'FunctionARN'] } }]);
    const s3Origin = config.Origins.find((o: { Id: string }) => o.Id === feeds.TargetOriginId);
    expect(s3Origin.OriginAccessControlId).toBeDefined();
    expect(s3Origin.DomainName).toEqual({ 'Fn::GetAtt': [bucketId, 'RegionalDomainName'] });
    const series = config.CacheBehaviors.find((b: { PathPattern: string }) => b.PathPattern === '/series/*');
    const policy = resources[series.CachePolicyId.Ref]!.Properties.CachePolicyConfig;
    expect(policy.ParametersInCacheKeyAndForwardedToOrigin.HeadersConfig.Headers).toContain('Accept');
    expect(policy.MinTTL).toBe(0);
    expect(config.WebACLId).toEqual({ 'Fn::GetAtt': [expect.any(String), 'Arn'] });
  });

  it('runs the feed function on cloudfront-js-2.0', () => {
    const fn = resources[logicalId(stack.feeds.edge.feedFunction)]!;
    expect(fn.Properties.FunctionConfig.Runtime).toBe('cloudfront-js-2.0');
    expect(fn.Properties.FunctionCode).toContain("createHash('sha256')");
  });
});

describe('web ACL', () => {
  it('is CLOUDFRONT scope, with a rate rule per address on the public routes that act and one on all requests', () => {
    const [, acl] = ofType('AWS::WAFv2::WebACL')[0]!;
    expect(acl.Properties.Scope).toBe('CLOUDFRONT');
    const [writes, all] = acl.Properties.Rules;
    expect(writes.Statement.RateBasedStatement).toMatchObject({ AggregateKeyType: 'IP', Limit: EDGE_RATE_LIMITS.publicWrites, EvaluationWindowSec: 300 });
    expect(all.Statement.RateBasedStatement).toMatchObject({ AggregateKeyType: 'IP', Limit: EDGE_RATE_LIMITS.allRequests });
    const pattern = new RegExp(publicWritePathPattern());
    for (const route of publicWriteRoutes) expect(pattern.test(route.path.replace(/\{\w+\}/g, 'abc-1')), route.path).toBe(true);
    for (const path of ['/admin/series', '/feeds/members/x.ics', '/series/abc', '/series/a/registrations/x']) expect(pattern.test(path), path).toBe(false);
  });

  it('refuses any region but us-east-1 for the in-stack web ACL (a template rule), and takes one from us-east-1 by context', () => {
    const rules = Object.values(template.toJSON().Rules ?? {}) as { Assertions: { Assert: unknown; AssertDescription: string }[] }[];
    expect(rules.flatMap((r) => r.Assertions)).toContainEqual({ Assert: { 'Fn::Equals': [{ Ref: 'AWS::Region' }, 'us-east-1'] }, AssertDescription: expect.stringMatching(/us-east-1/) });
    const arn = 'arn:aws:wafv2:us-east-1:123456789012:global/webacl/convene-edge/0f2b7e6c-1111-4222-8333-944455556666';
    const other = new ConveneStack(testApp({ builtinCloudFormationValidation: false, context: { ...TEST_CONTEXT, edgeWebAclArn: arn } }), 'Other', { env: { region: 'eu-west-1', account: '123456789012' } });
    const json = JSON.stringify(other.resolve(other.feeds.edge.webAclArn));
    expect(json).toBe(JSON.stringify(arn));
    expect(() => new ConveneStack(testApp({ builtinCloudFormationValidation: false, context: { ...TEST_CONTEXT } }), 'Elsewhere', { env: { region: 'eu-west-1', account: '123456789012' } })).toThrow(/us-east-1/);
  });
});
