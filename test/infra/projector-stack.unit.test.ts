/**
 * The projector in the CDK app: its function, the event source mapping from the event
 * table's stream, the dead-letter queue and the projector's grants; and one Lambda per
 * handler file of functions/. Synthesised without bundling (STACK trap 7).
 */
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Template } from 'aws-cdk-lib/assertions';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ConveneStack } from '../../infra/stack/convene-stack.js';
import { entryOf } from '../../infra/stack/node-function.js';
import { deliveryTable, eventTable, idempotencyTable, intakeTable, membersTable, readModelTable } from '../../functions/tables.js';
import {
  QUEUE_SEND_ACTIONS,
  STREAM_READ_ACTIONS,
  TABLE_READ_ACTIONS,
  TABLE_READ_WRITE_ACTIONS,
  TABLE_WRITE_ACTIONS,
  arnKey,
  grantsOfRole,
  tableArns,
} from './template-grants.js';
import type { Resource } from './template-grants.js';
import { bucketNotificationsHandler, testApp } from './test-stack.js';

const projectRoot = fileURLToPath(new URL('../../', import.meta.url));

/** Every functions/**\/handler.ts, relative to the project root, with forward slashes. */
function handlerFiles(): string[] {
  return readdirSync(`${projectRoot}functions`, { recursive: true, encoding: 'utf8' })
    .map((file) => `functions/${file.split('\\').join('/')}`)
    .filter((file) => file === 'functions/handler.ts' || file.endsWith('/handler.ts'))
    .sort();
}

describe('ConveneStack projector', () => {
  let stack: ConveneStack;
  let template: Template;
  let resources: Record<string, Resource>;
  const id = (construct: { node: { defaultChild?: unknown } }) => stack.getLogicalId(construct.node.defaultChild as never);
  const ofType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);

  let ids: { events: string; idempotency: string; readModels: string; members: string; deliveries: string; intake: string; fn: string; role: string; queue: string };

  beforeAll(() => {
    // No bundling (STACK trap 7) and no WASM validation (about 8 s per synth), as in stack.unit.test.ts.
    const app = testApp({ builtinCloudFormationValidation: false, context: { 'aws:cdk:bundling-stacks': [], publicBaseUrl: 'https://convene.example.org', mailFrom: 'Convene <no-reply@convene.example.org>' } });
    stack = new ConveneStack(app, 'Test');
    template = Template.fromStack(stack);
    resources = template.toJSON().Resources;
    ids = {
      events: id(stack.table(eventTable)),
      idempotency: id(stack.table(idempotencyTable)),
      readModels: id(stack.table(readModelTable)),
      members: id(stack.table(membersTable)),
      deliveries: id(stack.table(deliveryTable)),
      intake: id(stack.table(intakeTable)),
      fn: id(stack.projector.function),
      role: id(stack.projector.function.role!),
      queue: id(stack.projector.deadLetterQueue),
    };
  });

  it('skips esbuild: the bundling-stacks context is empty', () => {
    expect(stack.bundlingRequired).toBe(false);
  });

  describe('function', () => {
    it('runs functions/projector/handler.ts on Node.js 24, arm64, 512 MB, 30 s', () => {
      expect(entryOf(stack.projector.function)).toBe('functions/projector/handler.ts');
      expect(resources[ids.fn]).toMatchObject({
        Type: 'AWS::Lambda::Function',
        Properties: {
          Runtime: 'nodejs24.x',
          Architectures: ['arm64'],
          // NodejsFunction bundles the entry to index.mjs and prefixes the handler export.
          Handler: 'index.handler',
          MemorySize: 512,
          Timeout: 30,
          Role: { 'Fn::GetAtt': [ids.role, 'Arn'] },
        },
      });
    });

    it('learns its tables, source maps and Powertools settings from its environment, and nothing else', () => {
      expect(resources[ids.fn]!.Properties.Environment.Variables).toEqual({
        [eventTable.envVar]: { Ref: ids.events },
        // The event store adapter wants both names; the projector has no grant on this table.
        [idempotencyTable.envVar]: { Ref: ids.idempotency },
        [readModelTable.envVar]: { Ref: ids.readModels },
        // Every table's name is in every function's environment; grants decide access (none here).
        [membersTable.envVar]: { Ref: ids.members },
        [deliveryTable.envVar]: { Ref: ids.deliveries },
        [intakeTable.envVar]: { Ref: ids.intake },
        NODE_OPTIONS: '--enable-source-maps',
        POWERTOOLS_SERVICE_NAME: 'projector',
        POWERTOOLS_LOG_LEVEL: 'INFO',
      });
    });
  });

  describe('event source', () => {
    it('maps the event table stream to the projector, from the oldest record, with partial batch failures', () => {
      const mappings = ofType('AWS::Lambda::EventSourceMapping').filter(([, m]) => m.Properties.FunctionName.Ref === ids.fn);
      expect(mappings).toHaveLength(1);
      expect(mappings[0]![1].Properties).toEqual({
        EventSourceArn: tableArns(ids.events).stream,
        FunctionName: { Ref: ids.fn },
        StartingPosition: 'TRIM_HORIZON',
        BatchSize: 100,
        MaximumBatchingWindowInSeconds: 1,
        BisectBatchOnFunctionError: true,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        MaximumRetryAttempts: 10,
        MaximumRecordAgeInSeconds: 86400,
        // One batch per shard at a time: a stream's events reach the projector in order.
        ParallelizationFactor: 1,
        DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [ids.queue, 'Arn'] } } },
      });
    });

    it('sends what it gives up on to an encrypted queue that keeps messages 14 days and refuses plain HTTP', () => {
      expect(resources[ids.queue]!.Properties).toEqual({ SqsManagedSseEnabled: true, MessageRetentionPeriod: 14 * 24 * 3600 });
      const policies = ofType('AWS::SQS::QueuePolicy').map(([, p]) => p.Properties).filter((p) => p.Queues[0].Ref === ids.queue);
      expect(policies).toHaveLength(1);
      expect(policies[0]!.Queues).toEqual([{ Ref: ids.queue }]);
      expect(policies[0]!.PolicyDocument.Statement).toEqual([
        {
          Effect: 'Deny',
          Principal: { AWS: '*' },
          Action: 'sqs:*',
          Resource: { 'Fn::GetAtt': [ids.queue, 'Arn'] },
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        },
      ]);
    });
  });

  it('may read the event table and its stream, read and write the read-model table, send to its queue, and nothing else', () => {
    const events = tableArns(ids.events);
    const readModels = tableArns(ids.readModels);
    const grants = grantsOfRole(resources, ids.role);
    // Exactly these resources with exactly these actions: no idempotency table, no mail, no buckets.
    expect(grants).toEqual({
      [arnKey(events.table)]: TABLE_READ_ACTIONS,
      // grantReadData covers the table's indexes too; the projector reads streams by key only.
      [arnKey(events.indexes)]: TABLE_READ_ACTIONS,
      [arnKey(events.stream)]: STREAM_READ_ACTIONS,
      [arnKey(readModels.table)]: TABLE_READ_WRITE_ACTIONS,
      [arnKey({ 'Fn::GetAtt': [ids.queue, 'Arn'] })]: QUEUE_SEND_ACTIONS,
    });
    // Spelled out, in case the action lists above drift.
    expect(grants[arnKey(events.table)]).toEqual(expect.arrayContaining(['dynamodb:Query', 'dynamodb:GetItem']));
    expect(grants[arnKey(events.table)]!.filter((a) => TABLE_WRITE_ACTIONS.includes(a))).toEqual([]);
    expect(grants[arnKey(readModels.table)]).toEqual(
      expect.arrayContaining(['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:DeleteItem', 'dynamodb:Query']),
    );
    const actions = Object.values(grants).flat();
    expect(actions.filter((a) => !/^(dynamodb|sqs):/.test(a))).toEqual([]);
    expect(Object.entries(grants).filter(([, a]) => a.includes('sqs:SendMessage')).map(([r]) => r)).toEqual([
      arnKey({ 'Fn::GetAtt': [ids.queue, 'Arn'] }),
    ]);
    expect(Object.keys(grants).filter((r) => r.includes(ids.idempotency))).toEqual([]);
  });

  describe('handlers', () => {
    it('finds the handler files of functions/', () => {
      expect(handlerFiles()).toEqual(
        expect.arrayContaining([
          'functions/api/handler.ts',
          'functions/projector/handler.ts',
          'functions/intake/handler.ts',
          'functions/dispatcher/handler.ts',
          'functions/archiver/handler.ts',
          'functions/publisher/handler.ts',
        ]),
      );
    });

    it('has exactly one Lambda function per functions/**/handler.ts, and no other but CDK\'s bucket notifications handler', () => {
      // Every function construct in the stack, by logical id, with the entry it was built from.
      const built = new Map(
        stack.node
          .findAll()
          .filter((c): c is NodejsFunction => c instanceof NodejsFunction)
          .map((fn) => [id(fn), entryOf(fn)] as const),
      );
      // CDK applies the recordings bucket's notification to the archiver through a custom
      // resource backed by its own inline function: that one, and only that one, is not ours.
      const notifications = bucketNotificationsHandler(stack);
      expect(notifications).toBeDefined();
      expect(resources[notifications!.fn]).toMatchObject({
        Type: 'AWS::Lambda::Function',
        Properties: { Description: expect.stringContaining('Custom::S3BucketNotifications'), Code: { ZipFile: expect.any(String) } },
      });
      // Two buckets notify (recordings, inbound mail): both through that one handler.
      expect(ofType('Custom::S3BucketNotifications').map(([, r]) => r.Properties.ServiceToken)).toEqual([{ 'Fn::GetAtt': [notifications!.fn, 'Arn'] }, { 'Fn::GetAtt': [notifications!.fn, 'Arn'] }]);
      const lambdas = ofType('AWS::Lambda::Function')
        .map(([logicalId]) => logicalId)
        .filter((logicalId) => logicalId !== notifications!.fn);
      // Each Lambda of the template was built by createNodeFunction, which records its entry.
      for (const logicalId of lambdas) {
        expect(built.get(logicalId), `entry of ${logicalId}`).toEqual(expect.stringMatching(/^functions\/.+\.ts$/));
      }
      expect(lambdas.map((logicalId) => built.get(logicalId)).sort()).toEqual(handlerFiles());
    });
  });
});
