/**
 * The intake in the CDK app: its function on the intake table's stream (keys only), its
 * dead-letter queue and alarm, its grants, and the API's one grant on the intake table (it
 * puts requests there, nothing else). Synthesised without bundling (STACK trap 7).
 */
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { ConveneStack } from '../../infra/stack/convene-stack.js';
import { entryOf } from '../../infra/stack/node-function.js';
import { eventTable, intakeTable, membersTable, readModelTable, idempotencyTable } from '../../functions/tables.js';
import { QUEUE_SEND_ACTIONS, STREAM_READ_ACTIONS, TABLE_READ_WRITE_ACTIONS, arnKey, grantsOfRole, tableArns } from './template-grants.js';
import type { Resource } from './template-grants.js';
import { testApp } from './test-stack.js';

describe('ConveneStack intake', () => {
  let stack: ConveneStack;
  let resources: Record<string, Resource>;
  const id = (construct: { node: { defaultChild?: unknown } }) => stack.getLogicalId(construct.node.defaultChild as never);
  let ids: { intake: string; events: string; members: string; fn: string; role: string; queue: string; apiRole: string };

  beforeAll(() => {
    const app = testApp({ builtinCloudFormationValidation: false, context: { 'aws:cdk:bundling-stacks': [], publicBaseUrl: 'https://convene.example.org', mailFrom: 'Convene <no-reply@convene.example.org>' } });
    stack = new ConveneStack(app, 'Test');
    resources = Template.fromStack(stack).toJSON().Resources;
    ids = {
      intake: id(stack.table(intakeTable)),
      events: id(stack.table(eventTable)),
      members: id(stack.table(membersTable)),
      fn: id(stack.intake.function),
      role: id(stack.intake.function.role!),
      queue: id(stack.intake.deadLetterQueue),
      apiRole: id(stack.apiFunction.role!),
    };
  });

  it('keeps requests in a table whose stream carries keys only (no address in the stream) and whose items expire', () => {
    expect(resources[ids.intake]).toMatchObject({
      Type: 'AWS::DynamoDB::GlobalTable',
      Properties: {
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        StreamSpecification: { StreamViewType: 'KEYS_ONLY' },
        TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      },
    });
  });

  it('runs functions/intake/handler.ts on the intake stream, from the oldest record, with partial batch failures and a dead-letter queue', () => {
    expect(entryOf(stack.intake.function)).toBe('functions/intake/handler.ts');
    expect(resources[ids.fn]!.Properties).toMatchObject({ Runtime: 'nodejs24.x', MemorySize: 512, Timeout: 30 });
    expect(resources[ids.fn]!.Properties.Environment.Variables).toMatchObject({ POWERTOOLS_SERVICE_NAME: 'intake', [intakeTable.envVar]: { Ref: ids.intake } });
    const mappings = Object.values(resources).filter((r) => r.Type === 'AWS::Lambda::EventSourceMapping' && r.Properties.FunctionName.Ref === ids.fn);
    expect(mappings.map((m) => m.Properties)).toEqual([
      expect.objectContaining({
        EventSourceArn: tableArns(ids.intake).stream,
        StartingPosition: 'TRIM_HORIZON',
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        BisectBatchOnFunctionError: true,
        MaximumRetryAttempts: 10,
        DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [ids.queue, 'Arn'] } } },
      }),
    ]);
    expect(resources[ids.queue]!.Properties).toEqual({ SqsManagedSseEnabled: true, MessageRetentionPeriod: 14 * 24 * 3600 });
  });

  it('may read and delete intake items, read and write members and events, and nothing else: no read models, no mail', () => {
    const intake = tableArns(ids.intake);
    const events = tableArns(ids.events);
    const members = tableArns(ids.members);
    const grants = grantsOfRole(resources, ids.role);
    expect(grants).toEqual({
      [arnKey(intake.table)]: ['dynamodb:DeleteItem', 'dynamodb:GetItem'],
      [arnKey(intake.stream)]: STREAM_READ_ACTIONS,
      [arnKey(events.table)]: TABLE_READ_WRITE_ACTIONS,
      [arnKey(events.indexes)]: TABLE_READ_WRITE_ACTIONS,
      [arnKey(members.table)]: TABLE_READ_WRITE_ACTIONS,
      [arnKey({ 'Fn::GetAtt': [ids.queue, 'Arn'] })]: QUEUE_SEND_ACTIONS,
    });
    expect(Object.keys(grants).filter((r) => r.includes(id(stack.table(readModelTable))) || r.includes(id(stack.table(idempotencyTable))))).toEqual([]);
    expect(Object.values(grants).flat().filter((a) => !/^(dynamodb|sqs):/.test(a))).toEqual([]);
  });

  it("gives the API PutItem on the intake table and nothing else there: it cannot read back anyone's request", () => {
    const intake = tableArns(ids.intake);
    const grants = grantsOfRole(resources, ids.apiRole);
    expect(grants[arnKey(intake.table)]).toEqual(['dynamodb:PutItem']);
    expect(Object.keys(grants).filter((r) => r.includes(ids.intake))).toEqual([arnKey(intake.table)]);
  });

  it('raises an alarm as soon as the intake sets a request aside', () => {
    const alarms = Object.values(resources).filter((r) => r.Type === 'AWS::CloudWatch::Alarm' && JSON.stringify(r.Properties.Dimensions ?? []).includes(ids.queue));
    expect(alarms).toHaveLength(1);
    expect(alarms[0]!.Properties).toMatchObject({ MetricName: 'ApproximateNumberOfMessagesVisible', Threshold: 1, AlarmDescription: expect.stringContaining('registration request') });
  });
});
