/**
 * cdk-nag's AWS Solutions rules, run on every synth (`npm run synth`, `cdk deploy`, and the
 * template tests: test/infra/nag.unit.test.ts fails on any finding). Findings are fixed where
 * they can be; the few acknowledged are acknowledged beside the construct they are about, each
 * with its reason (search for `acknowledge(`), except the stack-wide ones below.
 */
import type { App, Stack } from 'aws-cdk-lib';
import { Validations } from 'aws-cdk-lib';
import type { TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { AwsSolutionsChecks } from 'cdk-nag';

export function addNagChecks(app: App): void {
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
}

/**
 * A function that reads a table through one of its global secondary indexes is granted
 * `<table>/index/*` by CDK's table grants: the index names are the table's own (functions/tables.ts).
 */
export function acknowledgeTableIndexGrants(stack: Stack, tables: readonly TableV2[]): void {
  for (const table of tables) {
    const logicalId = stack.getLogicalId(table.node.defaultChild as never);
    Validations.of(stack).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${logicalId}.Arn>/index/*]`,
      reason: `Queries of table ${table.node.id} go through its own global secondary indexes (functions/tables.ts); CDK grants them as <table>/index/*.`,
    });
  }
}
