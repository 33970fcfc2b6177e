/**
 * What a Lambda's role may do, read from a synthesised template: every IAM statement of the
 * policies attached to the role, folded into one sorted action list per resource. Tests
 * compare the result with toEqual, so a grant on another resource, or another action on a
 * granted resource, fails them.
 */
import { expect } from 'vitest';

export type Resource = { Type: string; Properties: Record<string, any>; DeletionPolicy?: string; DependsOn?: string[] };
type Statement = { Effect: string; Action: string | string[]; Resource: unknown; Condition?: unknown };

const list = <T>(x: T | T[]): T[] => (Array.isArray(x) ? x : [x]);

/** The same key for the same CloudFormation expression (an ARN, a GetAtt, a Join). */
export const arnKey = (arn: unknown): string => JSON.stringify(arn);

/** The key of a resource granted only under a condition: the resource and the condition. */
export const conditionalKey = (arn: unknown, condition: unknown): string => `${arnKey(arn)} if ${arnKey(condition)}`;

/**
 * Actions by resource (keyed by arnKey; a grant under a condition keyed by conditionalKey) that
 * the role's policies allow. Asserts along the way that the role has no AWS managed policy and
 * no inline policies of its own, that every statement is an Allow, and that it may write to its function's own log group
 * (CreateLogStream, PutLogEvents on that group and nothing else there): that grant is left out
 * of the result, which holds what the handler itself may touch. `owner: 'cdk'`: a function CDK
 * adds itself, whose role has AWS's basic execution policy instead.
 */
export function grantsOfRole(resources: Record<string, Resource>, roleId: string, owner: 'convene' | 'cdk' = 'convene'): Record<string, string[]> {
  const role = resources[roleId];
  expect(role?.Type).toBe('AWS::IAM::Role');
  expect(role!.Properties.Policies).toBeUndefined();
  if (owner === 'cdk') {
    // A function CDK adds itself (S3 bucket notifications): AWS's basic execution policy for its logs.
    expect(arnKey(role!.Properties.ManagedPolicyArns)).toBe(
      arnKey([{ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/service-role/AWSLambdaBasicExecutionRole']] }]),
    );
  } else {
    expect(role!.Properties.ManagedPolicyArns).toBeUndefined();
  }
  const policies = Object.values(resources).filter(
    (r) =>
      (r.Type === 'AWS::IAM::Policy' || r.Type === 'AWS::IAM::ManagedPolicy') &&
      list(r.Properties.Roles ?? []).some((ref: unknown) => arnKey(ref) === arnKey({ Ref: roleId })),
  );
  expect(policies).toHaveLength(1);
  const grants: Record<string, Set<string>> = {};
  for (const statement of policies.flatMap((p) => p.Properties.PolicyDocument.Statement as Statement[])) {
    expect(statement.Effect).toBe('Allow');
    for (const resource of list(statement.Resource)) {
      const key = statement.Condition === undefined ? arnKey(resource) : conditionalKey(resource, statement.Condition);
      const actions = (grants[key] ??= new Set());
      for (const action of list(statement.Action)) actions.add(action);
    }
  }
  if (owner === 'cdk') return Object.fromEntries(Object.entries(grants).map(([resource, actions]) => [resource, [...actions].sort()]));
  const fn = Object.entries(resources).find(([, r]) => r.Type === 'AWS::Lambda::Function' && arnKey(r.Properties.Role) === arnKey({ 'Fn::GetAtt': [roleId, 'Arn'] }));
  expect(fn, `the function of role ${roleId}`).toBeDefined();
  const logGroupId = fn![1].Properties.LoggingConfig?.LogGroup?.Ref as string | undefined;
  expect(resources[logGroupId ?? '']?.Type).toBe('AWS::Logs::LogGroup');
  const logs = arnKey({ 'Fn::GetAtt': [logGroupId, 'Arn'] });
  expect([...(grants[logs] ?? [])].sort()).toEqual(['logs:CreateLogStream', 'logs:PutLogEvents']);
  delete grants[logs];
  return Object.fromEntries(Object.entries(grants).map(([resource, actions]) => [resource, [...actions].sort()]));
}

/** Actions as CDK 2.276 grants them on a TableV2, sorted as grantsOfRole returns them. */
const READ = ['dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:GetItem', 'dynamodb:Scan', 'dynamodb:ConditionCheckItem'];
/**
 * Table grants also name GetRecords and GetShardIterator on the table's own ARN (CDK's
 * "principal-only" read actions); they give no access to the stream, whose ARN is another.
 */
const READ_EXTRA = ['dynamodb:DescribeTable', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator'];
const WRITE = ['dynamodb:BatchWriteItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'];

export const TABLE_READ_ACTIONS: readonly string[] = [...READ, ...READ_EXTRA].sort();
export const TABLE_READ_WRITE_ACTIONS: readonly string[] = [...READ, ...READ_EXTRA, ...WRITE].sort();
export const TABLE_WRITE_ACTIONS: readonly string[] = [...WRITE].sort();
/** What a DynamoDB event source needs on the stream (DynamoEventSource grants it). */
export const STREAM_READ_ACTIONS: readonly string[] = [
  'dynamodb:ListStreams',
  'dynamodb:DescribeStream',
  'dynamodb:GetRecords',
  'dynamodb:GetShardIterator',
].sort();
/** What an SqsDlq on-failure destination grants on its queue. */
export const QUEUE_SEND_ACTIONS: readonly string[] = ['sqs:SendMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl'].sort();

/** ARNs of a table, its indexes and its stream, as the template names them. */
export function tableArns(tableId: string) {
  const table = { 'Fn::GetAtt': [tableId, 'Arn'] };
  return {
    table,
    indexes: { 'Fn::Join': ['', [table, '/index/*']] },
    stream: { 'Fn::GetAtt': [tableId, 'StreamArn'] },
  };
}
