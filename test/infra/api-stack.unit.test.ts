/**
 * The API in the CDK app: the organisers' user pool, the API function and the HTTP API with
 * one route per entry of functions/api/route-table.ts. Synthesised without bundling (STACK
 * trap 7), so functions/api need not compile for these tests.
 */
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { AUTH_ENV, ORGANISERS_GROUP, PUBLIC_BASE_URL_ENV, SIGNING_SECRET_ARN_ENV, routes } from '../../functions/api/route-table.js';
import { ConveneStack } from '../../infra/stack/convene-stack.js';
import { deliveryTable, eventTable, idempotencyTable, intakeTable, membersTable, readModelTable } from '../../functions/tables.js';
import { TABLE_READ_ACTIONS, TABLE_READ_WRITE_ACTIONS, TABLE_WRITE_ACTIONS, arnKey, grantsOfRole, tableArns } from './template-grants.js';
import type { Resource } from './template-grants.js';
import { testApp } from './test-stack.js';
import { EDGE_ORIGIN_SECRET_ARN_ENV } from '../../functions/security/edge-origin.js';
import { FEEDS_BUCKET_ENV } from '../../functions/feeds/feed-objects.js';

describe('ConveneStack API', () => {
  let stack: ConveneStack;
  let template: Template;
  let resources: Record<string, Resource>;
  const id = (construct: { node: { defaultChild?: unknown } }) => stack.getLogicalId(construct.node.defaultChild as never);
  const ofType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);

  let ids: {
    events: string;
    idempotency: string;
    readModels: string;
    members: string;
    deliveries: string;
    intake: string;
    pool: string;
    client: string;
    fn: string;
    role: string;
    api: string;
    configurationSet: string;
    recordingsFn: string;
  };
  /** `https://cognito-idp.${AWS::Region}.amazonaws.com/${UserPool}`, as CloudFormation gets it. */
  let issuer: unknown;

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
      pool: id(stack.organisers.userPool),
      client: id(stack.organisers.client),
      fn: id(stack.apiFunction),
      role: id(stack.apiFunction.role!),
      api: id(stack.api),
      configurationSet: id(stack.sesFeedback.configurationSet),
      recordingsFn: id(stack.recordings.api),
    };
    issuer = {
      'Fn::Join': ['', ['https://cognito-idp.', { Ref: 'AWS::Region' }, '.amazonaws.com/', { Ref: ids.pool }]],
    };
  });

  it('skips esbuild: the bundling-stacks context is empty', () => {
    expect(stack.bundlingRequired).toBe(false);
  });

  describe('organisers user pool', () => {
    it('admits no self sign-up, signs in by email, demands strong passwords and is retained', () => {
      const pool = resources[ids.pool]!;
      expect(pool).toMatchObject({
        Type: 'AWS::Cognito::UserPool',
        DeletionPolicy: 'Retain',
        Properties: {
          AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
          UsernameAttributes: ['email'],
          Policies: {
            PasswordPolicy: {
              MinimumLength: 12,
              RequireLowercase: true,
              RequireUppercase: true,
              RequireNumbers: true,
              RequireSymbols: true,
            },
          },
        },
      });
      template.resourceCountIs('AWS::Cognito::UserPool', 1);
    });

    it('requires a second factor from an authenticator app, never SMS', () => {
      expect(resources[ids.pool]!.Properties).toMatchObject({ MfaConfiguration: 'ON', EnabledMfas: ['SOFTWARE_TOKEN_MFA'] });
      expect(resources[ids.pool]!.Properties.SmsConfiguration).toBeUndefined();
    });

    it('has a public client signing in with SRP only, without OAuth flows', () => {
      const client = resources[ids.client]!;
      expect(client.Properties).toMatchObject({ UserPoolId: { Ref: ids.pool }, GenerateSecret: false, AllowedOAuthFlowsUserPoolClient: false });
      expect([...client.Properties.ExplicitAuthFlows].sort()).toEqual(['ALLOW_REFRESH_TOKEN_AUTH', 'ALLOW_USER_SRP_AUTH']);
      expect(client.Properties.AllowedOAuthFlows).toBeUndefined();
      // Access tokens last an hour: the API function's maximum token age (ORGANISER_JWT_MAX_AGE_SECONDS) is the same.
      expect([client.Properties.AccessTokenValidity, client.Properties.TokenValidityUnits?.AccessToken]).toEqual([60, 'minutes']);
      expect(client.Properties.CallbackURLs).toBeUndefined();
      template.resourceCountIs('AWS::Cognito::UserPoolClient', 1);
    });

    it(`has the group '${ORGANISERS_GROUP}'`, () => {
      expect(ORGANISERS_GROUP).toBe('organisers');
      template.resourceCountIs('AWS::Cognito::UserPoolGroup', 1);
      template.hasResourceProperties('AWS::Cognito::UserPoolGroup', { GroupName: 'organisers', UserPoolId: { Ref: ids.pool } });
    });
  });

  describe('API function', () => {
    it('runs functions/api/handler.ts on Node.js 24, arm64, 512 MB, 10 s', () => {
      // How many functions the stack has, one per handler file, is projector-stack.unit.test.ts's to check.
      expect(resources[ids.fn]).toMatchObject({
        Type: 'AWS::Lambda::Function',
        Properties: {
          Runtime: 'nodejs24.x',
          Architectures: ['arm64'],
          // NodejsFunction bundles the entry to index.mjs and prefixes the handler export.
          Handler: 'index.handler',
          MemorySize: 512,
          Timeout: 10,
          Role: { 'Fn::GetAtt': [ids.role, 'Arn'] },
        },
      });
    });

    it('learns its tables, how to verify organiser tokens and where the link-signing secret is from its environment, and nothing else: it sends no mail', () => {
      expect(resources[ids.fn]!.Properties.Environment.Variables).toEqual({
        [eventTable.envVar]: { Ref: ids.events },
        [idempotencyTable.envVar]: { Ref: ids.idempotency },
        [readModelTable.envVar]: { Ref: ids.readModels },
        [membersTable.envVar]: { Ref: ids.members },
        // Every table's name is in every function's environment; grants decide access (none here).
        [deliveryTable.envVar]: { Ref: ids.deliveries },
        [intakeTable.envVar]: { Ref: ids.intake },
        NODE_OPTIONS: '--enable-source-maps',
        [AUTH_ENV.issuer]: issuer,
        [AUTH_ENV.jwksUrl]: {
          'Fn::Join': [
            '',
            ['https://cognito-idp.', { Ref: 'AWS::Region' }, '.amazonaws.com/', { Ref: ids.pool }, '/.well-known/jwks.json'],
          ],
        },
        [AUTH_ENV.clientId]: { Ref: ids.client },
        // The client's access-token validity (1 hour): an older token is refused whatever its exp.
        [AUTH_ENV.maxAgeSeconds]: '3600',
        [PUBLIC_BASE_URL_ENV]: 'https://convene.example.org',
        // The secret's ARN: the handler reads the value at run time (neither the template nor the function configuration holds it).
        [SIGNING_SECRET_ARN_ENV]: { Ref: id(stack.signingSecret) },
        // The secret CloudFront sends: requests without it did not come through the edge (functions/security/edge-origin.ts).
        [EDGE_ORIGIN_SECRET_ARN_ENV]: { Ref: id(stack.feeds.edge.originSecret) },
        // A rotated feed token's object is removed from the feeds bucket before the answer.
        [FEEDS_BUCKET_ENV]: { Ref: id(stack.feeds.bucket) },
      });
    });

    it('may read and write the event table, its indexes, the idempotency table and the member directory, put into the intake, read the read-model table, the delivery ledger (its failures index) and the link-signing and edge origin secrets, delete personal feeds, and nothing else: no other S3 action, no SES', () => {
      const events = tableArns(ids.events);
      const idempotency = tableArns(ids.idempotency);
      const readModels = tableArns(ids.readModels);
      const grants = grantsOfRole(resources, ids.role);
      // Exactly these resources, each with exactly these actions: no streams, no other bucket.
      expect(grants).toEqual({
        [arnKey(events.table)]: TABLE_READ_WRITE_ACTIONS,
        // Listing series queries the sparse streamsByCategory index.
        [arnKey(events.indexes)]: TABLE_READ_WRITE_ACTIONS,
        [arnKey(idempotency.table)]: TABLE_READ_WRITE_ACTIONS,
        // Members register, confirm and rotate feed tokens: the directory is read and written.
        [arnKey(tableArns(ids.members).table)]: TABLE_READ_WRITE_ACTIONS,
        // Schedules are served from the read models, which only the projector writes.
        [arnKey(readModels.table)]: TABLE_READ_ACTIONS,
        // Undeliverable mail is listed from the ledger's failures index, which only the dispatcher writes.
        [arnKey(tableArns(ids.deliveries).table)]: TABLE_READ_ACTIONS,
        [arnKey(tableArns(ids.deliveries).indexes)]: TABLE_READ_ACTIONS,
        // Members' registration requests are kept there for the intake: put, never read back.
        [arnKey(tableArns(ids.intake).table)]: ['dynamodb:PutItem'],
        // The link-signing secret (the links mailed to members), read at run time.
        [arnKey({ Ref: id(stack.signingSecret) })]: ['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue'],
        // The edge's origin secret, read at run time.
        [arnKey({ Ref: id(stack.feeds.edge.originSecret) })]: ['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue'],
        // A rotated feed token's old object, removed before the answer: personal feeds only, delete only.
        [arnKey({ 'Fn::Join': ['', [{ 'Fn::GetAtt': [id(stack.feeds.bucket), 'Arn'] }, '/feeds/members/*']] })]: ['s3:DeleteObject'],
      });
      // The recordings routes, which presign S3 URLs, are the recordings function's; every mail is the dispatcher's.
      expect(Object.values(grants).flat().filter((a) => (a.startsWith('s3:') && a !== 's3:DeleteObject') || a.startsWith('ses:') || a === '*')).toEqual([]);
      for (const action of ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:ConditionCheckItem', 'dynamodb:UpdateItem']) {
        expect(TABLE_READ_WRITE_ACTIONS).toContain(action);
      }
      expect(TABLE_READ_ACTIONS).toEqual(expect.arrayContaining(['dynamodb:GetItem', 'dynamodb:Query']));
      expect(TABLE_READ_ACTIONS.filter((a) => TABLE_WRITE_ACTIONS.includes(a))).toEqual([]);
    });
  });

  describe('HTTP API', () => {
    const organiserRoutes = routes.filter((r) => r.auth === 'organiser');

    it('is an HTTP API that browsers on any origin may call, with a throttled, access-logged default stage and its URL as an output', () => {
      template.resourceCountIs('AWS::ApiGatewayV2::Api', 1);
      expect(resources[ids.api]!.Properties).toMatchObject({ ProtocolType: 'HTTP' });
      expect(resources[ids.api]!.Properties.CorsConfiguration).toMatchObject({
        AllowOrigins: ['*'],
        AllowHeaders: expect.arrayContaining(['authorization', 'content-type', 'idempotency-key', 'if-match']),
        ExposeHeaders: expect.arrayContaining(['etag', 'location', 'retry-after']),
      });
      expect(resources[ids.api]!.Properties.CorsConfiguration.AllowCredentials).toBeUndefined();
      const stages = ofType('AWS::ApiGatewayV2::Stage');
      expect(stages).toHaveLength(1);
      const stage = stages[0]![1].Properties;
      expect(stage).toMatchObject({ ApiId: { Ref: ids.api }, StageName: '$default', AutoDeploy: true, DefaultRouteSettings: { ThrottlingRateLimit: 200, ThrottlingBurstLimit: 400 } });
      const logGroupId = stage.AccessLogSettings.DestinationArn['Fn::GetAtt'][0] as string;
      expect(resources[logGroupId]).toMatchObject({ Type: 'AWS::Logs::LogGroup', Properties: { RetentionInDays: 90 } });
      const format = JSON.parse(stage.AccessLogSettings.Format as string) as Record<string, string>;
      expect(format).toMatchObject({ requestId: '$context.requestId', route: '$context.routeKey', status: '$context.status' });
      // Feed and unsubscribe tokens travel in paths and queries: the log keeps the route, not the path.
      expect(Object.values(format)).not.toContain('$context.path');
      const outputs = Object.values(template.toJSON().Outputs as Record<string, { Value: unknown }>);
      expect(JSON.stringify(outputs.map((o) => o.Value))).toContain(ids.api);
    });

    it('verifies organiser tokens against the user pool, with the client id as audience', () => {
      const authorizers = ofType('AWS::ApiGatewayV2::Authorizer');
      expect(authorizers).toHaveLength(1);
      expect(authorizers[0]![1].Properties).toEqual({
        ApiId: { Ref: ids.api },
        AuthorizerType: 'JWT',
        IdentitySource: ['$request.header.Authorization'],
        JwtConfiguration: { Issuer: issuer, Audience: [{ Ref: ids.client }] },
        Name: 'OrganiserAuthorizer',
      });
    });

    it('sends requests to the API function, or the recordings function, through one Lambda proxy integration each', () => {
      const integrations = ofType('AWS::ApiGatewayV2::Integration');
      expect(integrations).toHaveLength(2);
      expect(integrations.map(([, i]) => i.Properties.IntegrationUri)).toEqual(
        expect.arrayContaining([{ 'Fn::GetAtt': [ids.fn, 'Arn'] }, { 'Fn::GetAtt': [ids.recordingsFn, 'Arn'] }]),
      );
      for (const [, integration] of integrations) {
        expect(integration.Properties).toMatchObject({ ApiId: { Ref: ids.api }, IntegrationType: 'AWS_PROXY', PayloadFormatVersion: '2.0' });
      }
      // Other functions have their own invokers (the SES feedback topic, the dispatcher's
      // schedule): here, every permission on the API function or for API Gateway.
      const permissions = ofType('AWS::Lambda::Permission')
        .map(([, p]) => p.Properties)
        .filter((p) => arnKey(p.FunctionName) === arnKey({ 'Fn::GetAtt': [ids.fn, 'Arn'] }) || p.Principal === 'apigateway.amazonaws.com')
        .filter((p) => arnKey(p.FunctionName) !== arnKey({ 'Fn::GetAtt': [ids.recordingsFn, 'Arn'] }));
      expect(permissions.length).toBeGreaterThan(0);
      for (const permission of permissions) {
        expect(permission).toMatchObject({
          Action: 'lambda:InvokeFunction',
          FunctionName: { 'Fn::GetAtt': [ids.fn, 'Arn'] },
          Principal: 'apigateway.amazonaws.com',
        });
      }
    });

    it('has exactly the routes of functions/api/route-table.ts', () => {
      const keys = ofType('AWS::ApiGatewayV2::Route').map(([, r]) => r.Properties.RouteKey as string);
      expect(keys.sort()).toEqual(routes.map((r) => `${r.method} ${r.path}`).sort());
      expect(organiserRoutes.length).toBeGreaterThan(0);
      expect(routes.some((r) => r.auth === 'public')).toBe(true);
    });

    it.each(routes.map((r) => [`${r.method} ${r.path}`, r.auth, 'fn' in r ? r.fn : 'api'] as const))('%s (%s, %s function)', (routeKey, auth, fn) => {
      const matching = ofType('AWS::ApiGatewayV2::Route').filter(([, r]) => r.Properties.RouteKey === routeKey);
      expect(matching).toHaveLength(1);
      const [, route] = matching[0]!;
      const target = fn === 'recordings' ? ids.recordingsFn : ids.fn;
      const integration = ofType('AWS::ApiGatewayV2::Integration').find(([, i]) => arnKey(i.Properties.IntegrationUri) === arnKey({ 'Fn::GetAtt': [target, 'Arn'] }))![0];
      expect(route.Properties).toMatchObject({
        ApiId: { Ref: ids.api },
        Target: { 'Fn::Join': ['', ['integrations/', { Ref: integration }]] },
      });
      if (auth === 'organiser') {
        const authorizer = ofType('AWS::ApiGatewayV2::Authorizer')[0]![0];
        expect(route.Properties.AuthorizationType).toBe('JWT');
        expect(route.Properties.AuthorizerId).toEqual({ Ref: authorizer });
      } else {
        expect(route.Properties.AuthorizationType).toBe('NONE');
        expect(route.Properties.AuthorizerId).toBeUndefined();
      }
    });
  });
});
