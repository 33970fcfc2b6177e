/**
 * The ConveneStack as the infra unit tests synthesise it: with the operator settings of
 * `npm run synth`, without bundling (STACK trap 7) and without the built-in WASM
 * CloudFormation validation (about 8 s per synth here; `cdk synth` keeps it).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import type { AppProps, CfnElement, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { afterAll, expect } from 'vitest';
import { ConveneStack } from '../../infra/stack/convene-stack.js';
import type { TableDefinition } from '../../functions/tables.js';
import type { Resource } from './template-grants.js';

export const TEST_CONTEXT = {
  'aws:cdk:bundling-stacks': [],
  publicBaseUrl: 'https://convene.example.org',
  mailFrom: 'Convene <no-reply@convene.example.org>',
};

/** The calling test file's folder of App outdirs (made on first use), removed after the file. */
let outdirs: string | undefined;
let apps = 0;
// Registered when a test file imports this module (each file has its own module instance).
afterAll(() => {
  if (outdirs) rmSync(outdirs, { recursive: true, force: true });
  outdirs = undefined;
});

/**
 * `new App(props)` for a test, with an outdir of its own in a folder this test file removes when
 * done. Every App a test makes comes from here: without an outdir, each `new App()` makes a
 * fresh `cdk.out*` folder in the system temp folder that nothing removes.
 */
export function testApp(props: Omit<AppProps, 'outdir'> = {}): App {
  outdirs ??= mkdtempSync(join(tmpdir(), 'convene-cdk-'));
  return new App({ ...props, outdir: join(outdirs, `app-${++apps}`) });
}

export function synthTestStack() {
  const stack = new ConveneStack(testApp({ builtinCloudFormationValidation: false, context: { ...TEST_CONTEXT } }), 'Test');
  const template = Template.fromStack(stack);
  const resources: Record<string, Resource> = template.toJSON().Resources;
  /** The logical id of a construct's CloudFormation resource. */
  const logicalId = (construct: { node: { defaultChild?: unknown } }) => stack.getLogicalId(construct.node.defaultChild as never);
  return {
    stack,
    template,
    resources,
    logicalId,
    /** The logical id of the table built from a definition. */
    tableId: (definition: TableDefinition) => logicalId(stack.table(definition)),
    /** [logical id, resource] of every resource of a type. */
    resourcesOfType: (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type),
    /** The properties of every topic policy that names this topic (by logical id). */
    topicPolicies: (topicId: string) =>
      Object.values(resources)
        .filter((r) => r.Type === 'AWS::SNS::TopicPolicy' && JSON.stringify(r.Properties.Topics).includes(JSON.stringify({ Ref: topicId })))
        .map((r) => r.Properties),
  };
}

/** The statement `enforceSSL` puts first in a topic's policy: no publish without TLS. */
export const publishOnlyThroughTls = (topicId: string) => ({
  Sid: 'AllowPublishThroughSSLOnly',
  Effect: 'Deny',
  Principal: '*',
  Action: 'sns:Publish',
  Resource: { Ref: topicId },
  Condition: { Bool: { 'aws:SecureTransport': 'false' } },
});

/** What synthTestStack returns: the stack, its resources and lookups into them. */
export type TestStack = ReturnType<typeof synthTestStack>;

/**
 * Asserts that a resource is a Lambda function as createNodeFunction builds it: Node.js 24, JSON logs,
 * arm64, the bundled entry's `handler` export (NodejsFunction bundles to index.mjs), with this
 * memory, timeout and role.
 */
export function expectNodeFunction(resource: Resource | undefined, expected: { memorySize: number; timeoutSeconds: number; roleId: string }): void {
  expect(resource).toMatchObject({
    Type: 'AWS::Lambda::Function',
    Properties: {
      Runtime: 'nodejs24.x',
      LoggingConfig: { LogFormat: 'JSON' },
      Architectures: ['arm64'],
      Handler: 'index.handler',
      MemorySize: expected.memorySize,
      Timeout: expected.timeoutSeconds,
      Role: { 'Fn::GetAtt': [expected.roleId, 'Arn'] },
    },
  });
}

/** The construct id of the Lambda CDK adds to a stack to apply S3 bucket notifications (one per stack). */
export const BUCKET_NOTIFICATIONS_HANDLER = 'BucketNotificationsHandler050a0587b7544547bf325f094a3db834';

/**
 * Logical ids of the function and role CDK adds for Custom::S3BucketNotifications (how the
 * recordings bucket's notification to the archiver is applied), or undefined if the stack has
 * none. An inline Python function, not one of functions/.
 */
export function bucketNotificationsHandler(stack: Stack): { fn: string; role: string } | undefined {
  const handler = stack.node.tryFindChild(BUCKET_NOTIFICATIONS_HANDLER);
  if (!handler) return undefined;
  const child = (id: string) => handler.node.findChild(id);
  return {
    fn: stack.getLogicalId(child('Resource') as CfnElement),
    role: stack.getLogicalId(child('Role').node.defaultChild as CfnElement),
  };
}
