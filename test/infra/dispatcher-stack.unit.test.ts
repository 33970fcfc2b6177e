/**
 * The dispatcher in the CDK app: its every-minute EventBridge schedule, its function and the
 * function's grants. Synthesised once, without bundling (STACK trap 7).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { MAIL_CONFIGURATION_SET_ENV } from '../../functions/adapters/mailer/configuration-set.js';
import { MAIL_FROM_ENV, PUBLIC_BASE_URL_ENV, SIGNING_SECRET_ARN_ENV } from '../../functions/api/route-table.js';
import { MAIL_SEND_RATE_ENV } from '../../functions/dispatcher/send-rate.js';
import type { ConveneStack } from '../../infra/stack/convene-stack.js';
import { existsSync, readdirSync } from 'node:fs';
import { assetFoldersOfFunction, entryOf } from '../../infra/stack/node-function.js';
import { DELIVERY_EXPIRES_AT, DELIVERY_FAILURE_SERIES, DELIVERY_FAILURE_SORT, DELIVERY_FAILURES_INDEX, DELIVERY_PK, DELIVERY_SK, deliveryTable, eventTable, idempotencyTable, membersTable, readModelTable, tables } from '../../functions/tables.js';
import { TABLE_READ_ACTIONS, TABLE_READ_WRITE_ACTIONS, TABLE_WRITE_ACTIONS, arnKey, conditionalKey, grantsOfRole, tableArns } from './template-grants.js';
import type { Resource } from './template-grants.js';
import { expectNodeFunction, synthTestStack } from './test-stack.js';
import type { TestStack } from './test-stack.js';

let stack: ConveneStack;
let resources: Record<string, Resource>;
let logicalId: TestStack['logicalId'];
let resourcesOfType: TestStack['resourcesOfType'];
let ids: { fn: string; role: string; rule: string; configurationSet: string; readModels: string; deliveries: string; members: string };
/** Logical ids of the tables the dispatcher has no grant on: the event and idempotency tables. */
let ungranted: string[];

/** `arn:${Partition}:ses:${Region}:${AccountId}:<resource>`, as the template joins it. */
const sesArn = (...resource: unknown[]) => ({
  'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ses:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ...resource]],
});

beforeAll(() => {
  let tableId: TestStack['tableId'];
  ({ stack, resources, logicalId, resourcesOfType, tableId } = synthTestStack());
  const { function: fn, rule } = stack.dispatcher;
  ids = {
    fn: logicalId(fn),
    role: logicalId(fn.role!),
    rule: logicalId(rule),
    configurationSet: logicalId(stack.sesFeedback.configurationSet),
    readModels: tableId(readModelTable),
    deliveries: tableId(deliveryTable),
    members: tableId(membersTable),
  };
  ungranted = [eventTable, idempotencyTable].map(tableId);
});

describe('ConveneStack dispatcher', () => {
  describe('schedule', () => {
    it('is one EventBridge rule, every minute, whose only target is the dispatcher, retried twice within 2 minutes', () => {
      // Other rules (the publisher's schedule) have other targets: recordings-stack.unit.test.ts.
      const rules = resourcesOfType('AWS::Events::Rule').filter(([, r]) =>
        (r.Properties.Targets as { Arn: unknown }[]).some((t) => arnKey(t.Arn) === arnKey({ 'Fn::GetAtt': [ids.fn, 'Arn'] })),
      );
      expect(rules.map(([id]) => id)).toEqual([ids.rule]);
      const { ScheduleExpression, State, Targets, EventPattern } = rules[0]![1].Properties;
      expect(ScheduleExpression).toBe('rate(1 minute)');
      expect(State).toBe('ENABLED');
      expect(EventPattern).toBeUndefined();
      expect(Targets).toEqual([
        {
          Id: 'Target0',
          Arn: { 'Fn::GetAtt': [ids.fn, 'Arn'] },
          RetryPolicy: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 120 },
        },
      ]);
    });

    it('is what may invoke the dispatcher, and nothing else', () => {
      const permissions = resourcesOfType('AWS::Lambda::Permission')
        .map(([, r]) => r.Properties)
        .filter((p) => arnKey(p.FunctionName) === arnKey({ 'Fn::GetAtt': [ids.fn, 'Arn'] }));
      expect(permissions).toEqual([
        {
          Action: 'lambda:InvokeFunction',
          FunctionName: { 'Fn::GetAtt': [ids.fn, 'Arn'] },
          Principal: 'events.amazonaws.com',
          SourceArn: { 'Fn::GetAtt': [ids.rule, 'Arn'] },
        },
      ]);
    });
  });

  describe('function', () => {
    it('runs functions/dispatcher/handler.ts on Node.js 24, arm64, 1024 MB, 2 minutes, without reserved concurrency', () => {
      expect(entryOf(stack.dispatcher.function)).toBe('functions/dispatcher/handler.ts');
      expectNodeFunction(resources[ids.fn], { memorySize: 1024, timeoutSeconds: 120, roleId: ids.role });
      // Overlapping ticks are safe (the delivery ledger claims each mail before it is sent).
      expect(resources[ids.fn]!.Properties.ReservedConcurrentExecutions).toBeUndefined();
    });

    it('carries the certificates\' fonts beside its bundle (it renders certificates of participation), with their licences', () => {
      expect(assetFoldersOfFunction(stack.dispatcher.function)).toEqual(['functions/certificates/fonts']);
      // The folder the bundling hook copies is the one functions/certificates/fonts.ts reads from beside its module.
      expect(existsSync('functions/certificates/fonts')).toBe(true);
      const files = readdirSync('functions/certificates/fonts');
      expect(files.filter((f) => f.endsWith('.ttf')).length).toBeGreaterThanOrEqual(4);
      expect(files.some((f) => /OFL|LICENSE/i.test(f))).toBe(true);
    });

    it('learns its tables, the link base, the sender, the signing secrets, the configuration set and the reply domain from its environment, and nothing else', () => {
      expect(resources[ids.fn]!.Properties.Environment.Variables).toEqual({
        // Every table's name is in every function's environment; grants decide access.
        ...Object.fromEntries(tables.map((t) => [t.envVar, { Ref: logicalId(stack.table(t)) }])),
        NODE_OPTIONS: '--enable-source-maps',
        POWERTOOLS_SERVICE_NAME: 'dispatcher',
        POWERTOOLS_LOG_LEVEL: 'INFO',
        [PUBLIC_BASE_URL_ENV]: 'https://convene.example.org',
        [MAIL_FROM_ENV]: 'Convene <no-reply@convene.example.org>',
        // The secret's ARN: the handler reads the value at run time (neither the template nor the function configuration holds it).
        [SIGNING_SECRET_ARN_ENV]: { Ref: logicalId(stack.signingSecret) },
        [MAIL_CONFIGURATION_SET_ENV]: { Ref: ids.configurationSet },
        // Invitations' ORGANIZER: a reply address on it (RSVP=TRUE), received by the inbound mail function.
        REPLY_DOMAIN: 'reply.convene.example.org',
      });
      // No fixed send rate: in AWS the rate comes from the account's SES quota.
      expect(resources[ids.fn]!.Properties.Environment.Variables[MAIL_SEND_RATE_ENV]).toBeUndefined();
    });

    it('may read the read-model and members tables and the link-signing secret, give a member their first feed token, read and write the delivery ledger, send raw mail as its domain with the configuration set, read the send quota, and nothing else', () => {
      const grants = grantsOfRole(resources, ids.role);
      expect(grants).toEqual({
        // Schedules and registrations: what is due, and to whom.
        [arnKey(tableArns(ids.readModels).table)]: TABLE_READ_ACTIONS,
        // The ledger: claims before sends, sends (and failures) recorded after. CDK grants a
        // table's indexes with it; the dispatcher never queries the failures index.
        [arnKey(tableArns(ids.deliveries).table)]: TABLE_READ_WRITE_ACTIONS,
        [arnKey(tableArns(ids.deliveries).indexes)]: TABLE_READ_WRITE_ACTIONS,
        // Member records (addresses, names) and the suppression list.
        [arnKey(tableArns(ids.members).table)]: TABLE_READ_ACTIONS,
        // A welcome mail's first feed token: the member's record and the token's item, nothing else.
        [conditionalKey(tableArns(ids.members).table, { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['member#*', 'feed#*'] } })]: ['dynamodb:PutItem', 'dynamodb:UpdateItem'],
        // SES checks SendRawEmail on the sending identity and on the configuration set.
        [arnKey(sesArn(':identity/convene.example.org'))]: ['ses:SendRawEmail'],
        [arnKey(sesArn(':configuration-set/', { Ref: ids.configurationSet }))]: ['ses:SendRawEmail'],
        // The link-signing secret (unsubscribe links), read at run time.
        [arnKey({ Ref: logicalId(stack.signingSecret) })]: ['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue'],
        // GetSendQuota has no resource type.
        [arnKey('*')]: ['ses:GetSendQuota'],
      });
      // Spelled out, in case the action lists above drift.
      expect(grants[arnKey(tableArns(ids.deliveries).table)]).toEqual(
        expect.arrayContaining(['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:Query']),
      );
      for (const readOnly of [ids.readModels, ids.members]) {
        expect(grants[arnKey(tableArns(readOnly).table)]!.filter((a) => TABLE_WRITE_ACTIONS.includes(a))).toEqual([]);
      }
      // No event table, no idempotency table.
      expect(ungranted).toHaveLength(2);
      expect(Object.keys(grants).filter((r) => ungranted.some((table) => r.includes(table)))).toEqual([]);
    });
  });

  it('keeps its ledger in a table keyed by pk and sk, expiring on expiresAt, retained with the stack, with a sparse index of failed mail by series', () => {
    expect(resources[ids.deliveries]).toMatchObject({
      Type: 'AWS::DynamoDB::GlobalTable',
      DeletionPolicy: 'Retain',
      Properties: {
        KeySchema: [
          { AttributeName: DELIVERY_PK, KeyType: 'HASH' },
          { AttributeName: DELIVERY_SK, KeyType: 'RANGE' },
        ],
        TimeToLiveSpecification: { AttributeName: DELIVERY_EXPIRES_AT, Enabled: true },
        Replicas: [{ DeletionProtectionEnabled: true, PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } }],
        GlobalSecondaryIndexes: [
          {
            IndexName: DELIVERY_FAILURES_INDEX,
            KeySchema: [
              { AttributeName: DELIVERY_FAILURE_SERIES, KeyType: 'HASH' },
              { AttributeName: DELIVERY_FAILURE_SORT, KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: 'ALL' },
          },
        ],
      },
    });
  });
});
