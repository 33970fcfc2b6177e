/**
 * cdk-nag's AWS Solutions rules over the whole app, as `npm run synth` runs them: no finding
 * may be left. A finding is fixed, or acknowledged beside its construct with a reason.
 */
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { describe, expect, it } from 'vitest';
import { ConveneStack } from '../../infra/stack/convene-stack.js';
import { addNagChecks } from '../../infra/stack/nag.js';
import { TEST_CONTEXT, testApp } from './test-stack.js';

/** Synthesises the app with the checks; every finding as "rule path: description". */
function nagFindings(extend?: (stack: ConveneStack) => void): { findings: string[]; failed: boolean } {
  const app = testApp({ builtinCloudFormationValidation: false, context: { ...TEST_CONTEXT } });
  const stack = new ConveneStack(app, 'Nag');
  extend?.(stack);
  addNagChecks(app);
  let failed = false;
  try {
    app.synth();
  } catch {
    failed = true;
  }
  const file = join(app.outdir, 'validation-report.json');
  if (!existsSync(file)) return { findings: [], failed };
  const report = JSON.parse(readFileSync(file, 'utf8')) as {
    pluginReports: { violations: { ruleName: string; description: string; violatingConstructs: { constructPath: string }[] }[] }[];
  };
  const findings = report.pluginReports.flatMap((p) => p.violations.flatMap((v) => v.violatingConstructs.map((c) => `${v.ruleName} ${c.constructPath}: ${v.description}`)));
  return { findings, failed };
}

describe('cdk-nag AwsSolutions', () => {
  it('finds nothing in the Convene stack: every rule passes or is acknowledged with a reason', () => {
    const { findings, failed } = nagFindings();
    expect(findings).toEqual([]);
    expect(failed).toBe(false);
  });

  it('fails the synth on a new finding (a queue without encryption in transit or a DLQ)', () => {
    const { findings, failed } = nagFindings((stack) => new Queue(stack, 'CarelessQueue'));
    expect(failed).toBe(true);
    expect(findings).toEqual(expect.arrayContaining([expect.stringMatching(/^AwsSolutions-SQS\d Nag\/CarelessQueue/)]));
  });
});
