/**
 * The link-signing secret stays in Secrets Manager (issue 15, item 8): no function's
 * environment holds it, nor a dynamic reference CloudFormation would resolve into the plain
 * Lambda configuration (where GetFunctionConfiguration and the console show it). The
 * functions that sign or verify links get the secret's ARN and may read that one secret.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { SIGNING_SECRET_ARN_ENV, SIGNING_SECRETS_ENV } from '../../functions/api/route-table.js';
import { arnKey, grantsOfRole } from './template-grants.js';
import { synthTestStack, type TestStack } from './test-stack.js';

let synth: TestStack;
beforeAll(() => {
  synth = synthTestStack();
});

/** What `secret.grantRead(fn)` allows, as CDK 2.276 grants it. */
const SECRET_READ_ACTIONS = ['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue'];

describe('the link-signing secret', () => {
  it('is in no function environment, neither as a value nor as a dynamic reference', () => {
    const functions = synth.resourcesOfType('AWS::Lambda::Function');
    expect(functions.length).toBeGreaterThan(5);
    for (const [id, fn] of functions) {
      const variables = fn.Properties.Environment?.Variables ?? {};
      expect(JSON.stringify(variables), id).not.toMatch(/\{\{resolve:/);
      expect(variables[SIGNING_SECRETS_ENV], id).toBeUndefined();
    }
    // Nowhere else in the template either: the one dynamic reference is the edge's origin secret,
    // which CloudFront itself sends the API (test/infra/edge-origin-stack.unit.test.ts).
    const references = JSON.stringify(synth.template.toJSON()).match(/\{\{resolve:secretsmanager:[^}]*\}\}|\{\{resolve:secretsmanager:",\{"Ref":"[^"]+"\}/g) ?? [];
    expect(references).toEqual([`{{resolve:secretsmanager:",{"Ref":"${synth.logicalId(synth.stack.feeds.edge.originSecret)}"}`]);
  });

  it('reaches the API and the dispatcher as its ARN, with the right to read that secret and no other', () => {
    const secret = { Ref: synth.logicalId(synth.stack.signingSecret) };
    for (const fn of [synth.stack.apiFunction, synth.stack.dispatcher.function]) {
      const id = synth.logicalId(fn);
      expect(synth.resources[id]!.Properties.Environment.Variables[SIGNING_SECRET_ARN_ENV], id).toEqual(secret);
      expect(grantsOfRole(synth.resources, synth.logicalId(fn.role!))[arnKey(secret)], id).toEqual(SECRET_READ_ACTIONS);
    }
  });

  it('is readable by no other function', () => {
    const readers = synth
      .resourcesOfType('AWS::Lambda::Function')
      .filter(([, fn]) => fn.Properties.Environment?.Variables?.[SIGNING_SECRET_ARN_ENV] !== undefined)
      .map(([id]) => id)
      .sort();
    // The inbound mail function verifies reply addresses, and the feed renderer signs join links, with the same secrets.
    expect(readers).toEqual([synth.logicalId(synth.stack.apiFunction), synth.logicalId(synth.stack.dispatcher.function), synth.logicalId(synth.stack.inboundMail.function), synth.logicalId(synth.stack.feeds.renderer.function)].sort());
    const secret = arnKey({ Ref: synth.logicalId(synth.stack.signingSecret) });
    const policies = synth.resourcesOfType('AWS::IAM::Policy').filter(([, p]) => JSON.stringify(p.Properties.PolicyDocument).includes(secret));
    expect(policies).toHaveLength(4);
  });
});
