/**
 * SES feedback in the CDK app: the configuration set and its bounce and complaint event
 * destination, the encrypted TLS-only topic it publishes to, the feedback function subscribed
 * to the topic, and that function's grants. Synthesised once, without bundling (STACK trap 7).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { ConveneStack } from '../../infra/stack/convene-stack.js';
import { entryOf } from '../../infra/stack/node-function.js';
import { eventTable, idempotencyTable, membersTable, tables } from '../../functions/tables.js';
import { TABLE_READ_WRITE_ACTIONS, arnKey, grantsOfRole, tableArns } from './template-grants.js';
import type { Resource } from './template-grants.js';
import { expectNodeFunction, publishOnlyThroughTls, synthTestStack } from './test-stack.js';
import type { TestStack } from './test-stack.js';

let stack: ConveneStack;
let resources: Record<string, Resource>;
let logicalId: TestStack['logicalId'];
let resourcesOfType: TestStack['resourcesOfType'];
let topicPolicies: TestStack['topicPolicies'];
let ids: { configurationSet: string; topic: string; key: string; fn: string; role: string; events: string; idempotency: string; members: string };

beforeAll(() => {
  let tableId: TestStack['tableId'];
  ({ stack, resources, logicalId, resourcesOfType, topicPolicies, tableId } = synthTestStack());
  const { sesFeedback } = stack;
  ids = {
    configurationSet: logicalId(sesFeedback.configurationSet),
    topic: logicalId(sesFeedback.topic),
    key: logicalId(sesFeedback.key),
    fn: logicalId(sesFeedback.function),
    role: logicalId(sesFeedback.function.role!),
    events: tableId(eventTable),
    idempotency: tableId(idempotencyTable),
    members: tableId(membersTable),
  };
});

describe('ConveneStack SES feedback', () => {
  describe('configuration set', () => {
    it('is one SES configuration set, whose name the construct exposes', () => {
      expect(resourcesOfType('AWS::SES::ConfigurationSet').map(([id]) => id)).toEqual([ids.configurationSet]);
      expect(stack.resolve(stack.sesFeedback.configurationSetName)).toEqual({ Ref: ids.configurationSet });
    });

    it('publishes bounces and complaints, and nothing else, to the topic', () => {
      const destinations = resourcesOfType('AWS::SES::ConfigurationSetEventDestination').map(([, r]) => r);
      expect(destinations).toHaveLength(1);
      const { ConfigurationSetName, EventDestination } = destinations[0]!.Properties;
      expect(ConfigurationSetName).toEqual({ Ref: ids.configurationSet });
      expect(EventDestination.Enabled).toBe(true);
      expect([...EventDestination.MatchingEventTypes].sort()).toEqual(['bounce', 'complaint']);
      expect(EventDestination.SnsDestination).toEqual({ TopicARN: { Ref: ids.topic } });
      expect(Object.keys(EventDestination).sort()).toEqual(['Enabled', 'MatchingEventTypes', 'SnsDestination']);
    });
  });

  describe('topic', () => {
    it('is encrypted with a rotating customer managed key that SES of this account may use', () => {
      expect(resources[ids.topic]!.Properties).toEqual({ KmsMasterKeyId: { 'Fn::GetAtt': [ids.key, 'Arn'] } });
      const key = resources[ids.key]!;
      expect(key.Properties.EnableKeyRotation).toBe(true);
      const statements = key.Properties.KeyPolicy.Statement as { Principal: unknown; Action: unknown; Condition?: unknown }[];
      expect(statements.filter((s) => arnKey(s.Principal) === arnKey({ Service: 'ses.amazonaws.com' }))).toEqual([
        {
          Effect: 'Allow',
          Principal: { Service: 'ses.amazonaws.com' },
          Action: ['kms:GenerateDataKey*', 'kms:Decrypt'],
          Resource: '*',
          Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
        },
      ]);
      // Besides SES, only the account itself (CDK's default key administration statement).
      expect(statements.filter((s) => !arnKey(s.Principal).includes('ses.amazonaws.com') && !arnKey(s.Principal).includes(':root'))).toEqual([]);
    });

    it('refuses publishes without TLS and lets SES publish for this configuration set only', () => {
      const policies = topicPolicies(ids.topic);
      expect(policies).toHaveLength(1);
      expect(policies[0]!.Topics).toEqual([{ Ref: ids.topic }]);
      expect(policies[0]!.PolicyDocument.Statement).toEqual([
        publishOnlyThroughTls(ids.topic),
        {
          Sid: '1',
          Effect: 'Allow',
          Principal: { Service: 'ses.amazonaws.com' },
          Action: 'sns:Publish',
          Resource: { Ref: ids.topic },
          Condition: {
            StringEquals: {
              'AWS:SourceAccount': { Ref: 'AWS::AccountId' },
              'AWS:SourceArn': {
                'Fn::Join': [
                  '',
                  ['arn:', { Ref: 'AWS::Partition' }, ':ses:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':configuration-set/', { Ref: ids.configurationSet }],
                ],
              },
            },
          },
        },
      ]);
    });
  });

  describe('function', () => {
    it('runs functions/ses-feedback/handler.ts on Node.js 24, arm64, 256 MB, 30 s, with the table names and Powertools settings', () => {
      expect(entryOf(stack.sesFeedback.function)).toBe('functions/ses-feedback/handler.ts');
      expectNodeFunction(resources[ids.fn], { memorySize: 256, timeoutSeconds: 30, roleId: ids.role });
      expect(resources[ids.fn]!.Properties.Environment.Variables).toEqual({
        ...Object.fromEntries(tables.map((t) => [t.envVar, { Ref: logicalId(stack.table(t)) }])),
        NODE_OPTIONS: '--enable-source-maps',
        POWERTOOLS_SERVICE_NAME: 'ses-feedback',
        POWERTOOLS_LOG_LEVEL: 'INFO',
      });
    });

    it('is subscribed to the topic, and the topic alone may invoke it', () => {
      const subscriptions = resourcesOfType('AWS::SNS::Subscription').map(([, r]) => r.Properties);
      expect(subscriptions.filter((s) => arnKey(s.TopicArn) === arnKey({ Ref: ids.topic }))).toEqual([
        { Protocol: 'lambda', TopicArn: { Ref: ids.topic }, Endpoint: { 'Fn::GetAtt': [ids.fn, 'Arn'] } },
      ]);
      const permissions = resourcesOfType('AWS::Lambda::Permission')
        .map(([, r]) => r.Properties)
        .filter((p) => arnKey(p.FunctionName) === arnKey({ 'Fn::GetAtt': [ids.fn, 'Arn'] }));
      expect(permissions).toEqual([
        { Action: 'lambda:InvokeFunction', FunctionName: { 'Fn::GetAtt': [ids.fn, 'Arn'] }, Principal: 'sns.amazonaws.com', SourceArn: { Ref: ids.topic } },
      ]);
    });

    it('may read and write the members, event and idempotency tables, and nothing else', () => {
      const events = tableArns(ids.events);
      expect(grantsOfRole(resources, ids.role)).toEqual({
        [arnKey(tableArns(ids.members).table)]: TABLE_READ_WRITE_ACTIONS,
        [arnKey(events.table)]: TABLE_READ_WRITE_ACTIONS,
        // grantReadWriteData covers the event table's index too.
        [arnKey(events.indexes)]: TABLE_READ_WRITE_ACTIONS,
        [arnKey(tableArns(ids.idempotency).table)]: TABLE_READ_WRITE_ACTIONS,
      });
    });
  });
});
