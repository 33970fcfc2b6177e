/**
 * Operational alarms in the CDK app: errors and throttles of every function createNodeFunction
 * built, the projector's dead-letter queue, SES reputation and API 5xx, all notifying one
 * encrypted TLS-only topic that CloudWatch may publish to. Synthesised once per describe,
 * without bundling (STACK trap 7).
 */
import { Template } from 'aws-cdk-lib/assertions';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { beforeAll, describe, expect, it } from 'vitest';
import { DISPATCHER_SERVICE, METRICS_NAMESPACE, TICK_METRICS } from '../../functions/dispatcher/metrics.js';
import { ALARM_EMAIL_CONTEXT, alarmEmailContext } from '../../infra/stack/alarms.js';
import { ConveneStack } from '../../infra/stack/convene-stack.js';
import { entryOf } from '../../infra/stack/node-function.js';
import { arnKey } from './template-grants.js';
import type { Resource } from './template-grants.js';
import { TEST_CONTEXT, publishOnlyThroughTls, synthTestStack, testApp } from './test-stack.js';
import type { TestStack } from './test-stack.js';

const FUNCTION_NAMES = ['api', 'recordings-api', 'projector', 'intake', 'dispatcher', 'ses-feedback', 'archiver', 'publisher', 'feed-renderer', 'inbound-mail'];

/** The ConveneStack with extra context (synthTestStack takes none). */
function stackWithContext(context: Record<string, unknown>): ConveneStack {
  return new ConveneStack(testApp({ builtinCloudFormationValidation: false, context: { ...TEST_CONTEXT, ...context } }), 'Test');
}

/** Properties every alarm here shares: one 1-period evaluation, >= threshold, quiet when there is no data. */
const COMMON = {
  ComparisonOperator: 'GreaterThanOrEqualToThreshold',
  EvaluationPeriods: 1,
  DatapointsToAlarm: 1,
  TreatMissingData: 'notBreaching',
};

describe('ConveneStack operational alarms', () => {
  let stack: ConveneStack;
  let resources: Record<string, Resource>;
  let logicalId: TestStack['logicalId'];
  let resourcesOfType: TestStack['resourcesOfType'];
  let topicPolicies: TestStack['topicPolicies'];
  let alarms: Resource['Properties'][];
  let ids: { topic: string; key: string };

  beforeAll(() => {
    ({ stack, resources, logicalId, resourcesOfType, topicPolicies } = synthTestStack());
    alarms = resourcesOfType('AWS::CloudWatch::Alarm').map(([, r]) => r.Properties);
    ids = { topic: logicalId(stack.alarms.topic), key: logicalId(stack.alarms.key) };
  });

  /** The alarms on a metric (and, if given, one dimension's value). */
  const alarmsOn = (namespace: string, metricName: string, dimension?: { Name: string; Value: unknown }) =>
    alarms.filter(
      (a) =>
        a.Namespace === namespace &&
        a.MetricName === metricName &&
        (dimension === undefined || arnKey(a.Dimensions) === arnKey([dimension])),
    );

  describe('functions', () => {
    it('watches exactly the functions createNodeFunction built, from the stack fields', () => {
      const built = stack.node.findAll().filter((c): c is NodejsFunction => c instanceof NodejsFunction && entryOf(c) !== undefined);
      expect(built).toHaveLength(FUNCTION_NAMES.length);
      const watched = [
        stack.apiFunction,
        stack.projector.function,
        stack.intake.function,
        stack.dispatcher.function,
        stack.sesFeedback.function,
        stack.recordings.api,
        stack.recordings.archiver,
        stack.recordings.publisher,
        stack.feeds.renderer.function,
        stack.inboundMail.function,
      ];
      expect(new Set(watched)).toEqual(new Set(built));
      // Lambda alarms are on these functions and no other (not CDK's bucket-notifications handler).
      const lambdaAlarms = alarms.filter((a) => a.Namespace === 'AWS/Lambda');
      expect(lambdaAlarms).toHaveLength(2 * built.length);
      expect(new Set(lambdaAlarms.map((a) => arnKey(a.Dimensions)))).toEqual(
        new Set(built.map((fn) => arnKey([{ Name: 'FunctionName', Value: { Ref: logicalId(fn) } }]))),
      );
    });

    it('has one Errors alarm per function: >= 1 summed over 5 minutes', () => {
      for (const fn of stack.node.findAll().filter((c): c is NodejsFunction => c instanceof NodejsFunction && entryOf(c) !== undefined)) {
        const dimension = { Name: 'FunctionName', Value: { Ref: logicalId(fn) } };
        const found = alarmsOn('AWS/Lambda', 'Errors', dimension);
        expect(found, entryOf(fn)).toHaveLength(1);
        expect(found[0]).toMatchObject({ ...COMMON, Statistic: 'Sum', Period: 300, Threshold: 1 });
      }
    });

    it('has one Throttles alarm per function: >= 1 summed over 5 minutes', () => {
      for (const fn of stack.node.findAll().filter((c): c is NodejsFunction => c instanceof NodejsFunction && entryOf(c) !== undefined)) {
        const dimension = { Name: 'FunctionName', Value: { Ref: logicalId(fn) } };
        const found = alarmsOn('AWS/Lambda', 'Throttles', dimension);
        expect(found, entryOf(fn)).toHaveLength(1);
        expect(found[0]).toMatchObject({ ...COMMON, Statistic: 'Sum', Period: 300, Threshold: 1 });
      }
    });

    it('names the function in each description', () => {
      for (const name of FUNCTION_NAMES) {
        expect(alarms.filter((a) => a.Namespace === 'AWS/Lambda' && String(a.AlarmDescription).includes(`Convene ${name} function`))).toHaveLength(2);
      }
    });
  });

  it("alarms when the projector's, the intake's or the feed renderer's dead-letter queue holds a message", () => {
    for (const queue of [stack.projector.deadLetterQueue, stack.intake.deadLetterQueue, stack.feeds.renderer.deadLetterQueue]) {
      const dimension = { Name: 'QueueName', Value: { 'Fn::GetAtt': [logicalId(queue), 'QueueName'] } };
      const found = alarmsOn('AWS/SQS', 'ApproximateNumberOfMessagesVisible', dimension);
      expect(found).toHaveLength(1);
      expect(found[0]).toMatchObject({ ...COMMON, Statistic: 'Maximum', Period: 300, Threshold: 1 });
    }
    expect(alarms.filter((a) => a.Namespace === 'AWS/SQS')).toHaveLength(3);
  });

  it('alarms on the SES account reputation: bounce rate >= 5% and complaint rate >= 0.1%, maximum over an hour', () => {
    const bounce = alarmsOn('AWS/SES', 'Reputation.BounceRate');
    const complaint = alarmsOn('AWS/SES', 'Reputation.ComplaintRate');
    expect(bounce).toHaveLength(1);
    expect(complaint).toHaveLength(1);
    for (const [alarm, threshold] of [
      [bounce[0], 0.05],
      [complaint[0], 0.001],
    ] as const) {
      expect(alarm).toMatchObject({ ...COMMON, Statistic: 'Maximum', Period: 3600, Threshold: threshold });
      // Account-wide: no dimensions.
      expect(alarm!.Dimensions).toBeUndefined();
    }
  });

  it('alarms on 5 or more 5xx responses of the HTTP API in 5 minutes', () => {
    const found = alarmsOn('AWS/ApiGateway', '5xx', { Name: 'ApiId', Value: { Ref: logicalId(stack.api) } });
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ ...COMMON, Statistic: 'Sum', Period: 300, Threshold: 5 });
  });

  it("alarms on any mail the dispatcher could not send, and on any series it could not plan, summed over 5 minutes", () => {
    const service = { Name: 'service', Value: DISPATCHER_SERVICE };
    for (const metric of [TICK_METRICS.undeliverable, TICK_METRICS.planFailures]) {
      const found = alarmsOn(METRICS_NAMESPACE, metric, service);
      expect(found, metric).toHaveLength(1);
      expect(found[0]).toMatchObject({ ...COMMON, Statistic: 'Sum', Period: 300, Threshold: 1 });
    }
    expect(alarmsOn(METRICS_NAMESPACE, TICK_METRICS.undeliverable, service)[0]!.AlarmDescription).toContain('/admin/series/{seriesId}/undeliverable');
    expect(alarms.filter((a) => a.Namespace === METRICS_NAMESPACE)).toHaveLength(2);
  });

  it('has no other alarm, and exposes them all on the construct', () => {
    expect(alarms).toHaveLength(2 * FUNCTION_NAMES.length + 8);
    expect(stack.alarms.alarms.map((a) => logicalId(a))).toEqual(resourcesOfType('AWS::CloudWatch::Alarm').map(([id]) => id));
  });

  it('sends every alarm, and its return to OK, to the topic, with a description and missing data not breaching', () => {
    for (const alarm of alarms) {
      expect(alarm.AlarmActions).toEqual([{ Ref: ids.topic }]);
      expect(alarm.OKActions).toEqual([{ Ref: ids.topic }]);
      expect(alarm.InsufficientDataActions).toBeUndefined();
      expect(alarm.TreatMissingData).toBe('notBreaching');
      expect(typeof alarm.AlarmDescription).toBe('string');
      expect(alarm.AlarmDescription.length).toBeGreaterThan(60);
    }
  });

  describe('topic', () => {
    it('is encrypted with a rotating customer managed key that CloudWatch of this account may use', () => {
      expect(resources[ids.topic]!.Properties).toMatchObject({ KmsMasterKeyId: { 'Fn::GetAtt': [ids.key, 'Arn'] } });
      const key = resources[ids.key]!;
      expect(key.Type).toBe('AWS::KMS::Key');
      expect(key.Properties.EnableKeyRotation).toBe(true);
      const statements = key.Properties.KeyPolicy.Statement as { Principal: unknown }[];
      expect(statements.filter((s) => arnKey(s.Principal) === arnKey({ Service: 'cloudwatch.amazonaws.com' }))).toEqual([
        {
          Sid: 'CloudWatchAlarmsPublish',
          Effect: 'Allow',
          Principal: { Service: 'cloudwatch.amazonaws.com' },
          Action: ['kms:GenerateDataKey*', 'kms:Decrypt'],
          Resource: '*',
          Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
        },
      ]);
      // Besides CloudWatch, only the account itself (CDK's default key administration statement).
      expect(statements.filter((s) => !arnKey(s.Principal).includes('cloudwatch.amazonaws.com') && !arnKey(s.Principal).includes(':root'))).toEqual([]);
    });

    it('refuses publishes without TLS and lets CloudWatch alarms of this account publish', () => {
      const policies = topicPolicies(ids.topic);
      expect(policies).toHaveLength(1);
      expect(policies[0]!.Topics).toEqual([{ Ref: ids.topic }]);
      expect(policies[0]!.PolicyDocument.Statement).toEqual([
        publishOnlyThroughTls(ids.topic),
        {
          Sid: 'CloudWatchAlarmsPublish',
          Effect: 'Allow',
          Principal: { Service: 'cloudwatch.amazonaws.com' },
          Action: 'sns:Publish',
          Resource: { Ref: ids.topic },
          Condition: {
            StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
            ArnLike: {
              'aws:SourceArn': {
                'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':cloudwatch:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':alarm:*']],
              },
            },
          },
        },
      ]);
    });

    it('has no subscription without the alarmEmail context', () => {
      const subscriptions = resourcesOfType('AWS::SNS::Subscription').filter(([, r]) => arnKey(r.Properties.TopicArn) === arnKey({ Ref: ids.topic }));
      expect(subscriptions).toEqual([]);
      expect(stack.alarms.alarmEmail).toBeUndefined();
    });
  });
});

describe('ConveneStack operational alarms with alarmEmail', () => {
  it('subscribes the address to the topic by email', () => {
    const stack = stackWithContext({ [ALARM_EMAIL_CONTEXT]: ' ops@convene.example.org ' });
    const resources: Record<string, Resource> = Template.fromStack(stack).toJSON().Resources;
    const topic = stack.getLogicalId(stack.alarms.topic.node.defaultChild as never);
    const subscriptions = Object.values(resources).filter((r) => r.Type === 'AWS::SNS::Subscription' && arnKey(r.Properties.TopicArn) === arnKey({ Ref: topic }));
    expect(subscriptions.map((r) => r.Properties)).toEqual([{ Protocol: 'email', TopicArn: { Ref: topic }, Endpoint: 'ops@convene.example.org' }]);
    expect(stack.alarms.alarmEmail).toBe('ops@convene.example.org');
  });
});

describe('the alarmEmail context', () => {
  const read = (value: unknown) => alarmEmailContext(testApp({ context: value === undefined ? {} : { [ALARM_EMAIL_CONTEXT]: value } }));

  it('is optional, and trimmed', () => {
    expect(read(undefined)).toBeUndefined();
    expect(read('ops@convene.example.org')).toBe('ops@convene.example.org');
    expect(read(' Ops.Team+alarms@mail.convene.example.org\n')).toBe('Ops.Team+alarms@mail.convene.example.org');
  });

  it.each(['', 'ops', 'ops@', '@convene.example.org', 'ops@convene', 'Ops <ops@convene.example.org>', 'a@example.org,b@example.org', 'a b@example.org', 42, ['ops@convene.example.org']])(
    'rejects %j with a clear message',
    (value) => {
      expect(() => read(value)).toThrow(/CDK context "alarmEmail" must be one email address such as ops@convene\.example\.org, not /);
    },
  );

  it('fails the synth of the stack when it is not an address', () => {
    expect(() => stackWithContext({ [ALARM_EMAIL_CONTEXT]: 'ops.convene.example.org' })).toThrow(
      'CDK context "alarmEmail" must be one email address such as ops@convene.example.org, not "ops.convene.example.org"',
    );
  });
});
