import { CfnOutput, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import { CorsHttpMethod, HttpApi, HttpMethod, HttpNoneAuthorizer, HttpStage, LogGroupLogDestination } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { routes } from '../../functions/api/route-table.js';
import { LOG_RETENTION } from './node-function.js';
import type { Organisers } from './organisers.js';

/**
 * Requests per second the API accepts in steady state, and in a burst, across all clients
 * (API Gateway answers 429 above): a registration storm before a popular webinar is a few
 * hundred a second for a minute; calendar clients poll feeds every few minutes at most.
 */
export const API_THROTTLE = { rateLimit: 200, burstLimit: 400 } as const;

/** What browsers on other origins may call: the public routes are meant to be embedded in community sites. */
export const API_CORS = {
  allowOrigins: ['*'],
  allowMethods: [CorsHttpMethod.GET, CorsHttpMethod.HEAD, CorsHttpMethod.POST, CorsHttpMethod.DELETE, CorsHttpMethod.PATCH, CorsHttpMethod.OPTIONS],
  allowHeaders: ['authorization', 'content-type', 'idempotency-key', 'if-match', 'if-none-match'],
  exposeHeaders: ['etag', 'location', 'retry-after', 'x-request-id', 'idempotent-replayed'],
};

export interface ConveneHttpApi {
  readonly api: HttpApi;
  readonly stage: HttpStage;
  readonly accessLogs: LogGroup;
}

/**
 * The HTTP API: one route per entry of functions/api/route-table.ts, to the API function, or to
 * the recordings function for the routes the table marks `fn: 'recordings'`.
 * Organiser routes need a JWT from the organisers' user pool. Cognito access tokens carry
 * the client in `client_id`, not `aud`; API Gateway accepts either against the audience. The
 * handler checks the token again, and the `organisers` group, which API Gateway cannot.
 * Its `$default` stage throttles (`API_THROTTLE`) and writes a JSON access log line per request
 * (no query strings: feed and unsubscribe tokens travel in paths and queries, and a log must
 * not hold them); CORS lets browsers call the API from any origin (organiser routes still need
 * a token in Authorization, never a cookie).
 */
export function createHttpApi(
  scope: Construct,
  id: string,
  handlers: { readonly api: IFunction; readonly recordings: IFunction },
  organisers: Organisers,
): ConveneHttpApi {
  const api = new HttpApi(scope, id, { description: 'Convene API', createDefaultStage: false, corsPreflight: API_CORS });
  const accessLogs = new LogGroup(scope, `${id}AccessLogs`, { retention: LOG_RETENTION, removalPolicy: RemovalPolicy.DESTROY });
  const stage = new HttpStage(scope, `${id}DefaultStage`, {
    httpApi: api,
    stageName: '$default',
    autoDeploy: true,
    throttle: API_THROTTLE,
    accessLogSettings: {
      destination: new LogGroupLogDestination(accessLogs),
      format: AccessLogFormat.custom(
        JSON.stringify({
          requestId: '$context.requestId',
          time: '$context.requestTime',
          method: '$context.httpMethod',
          route: '$context.routeKey',
          status: '$context.status',
          latencyMs: '$context.responseLatency',
          integrationLatencyMs: '$context.integrationLatency',
          bytes: '$context.responseLength',
          sourceIp: '$context.identity.sourceIp',
          userAgent: '$context.identity.userAgent',
          error: '$context.error.message',
          authorizerError: '$context.authorizer.error',
        }),
      ),
    },
  });
  const integrations = {
    api: new HttpLambdaIntegration('ApiIntegration', handlers.api),
    recordings: new HttpLambdaIntegration('RecordingsIntegration', handlers.recordings),
  };
  const organiserAuthorizer = new HttpJwtAuthorizer('OrganiserAuthorizer', organisers.issuer, {
    jwtAudience: [organisers.client.userPoolClientId],
  });
  const publicAuthorizer = new HttpNoneAuthorizer();
  for (const route of routes) {
    const added = api.addRoutes({
      path: route.path,
      methods: [HttpMethod[route.method]],
      integration: integrations['fn' in route ? route.fn : 'api'],
      authorizer: route.auth === 'organiser' ? organiserAuthorizer : publicAuthorizer,
    });
    if (route.auth === 'public') {
      for (const r of added) {
        Validations.of(r).acknowledge({
          id: 'AwsSolutions-APIG4',
          reason: `${route.method} ${route.path} is public by design (${route.summary}); what it needs is checked in the handler: signed links, member tokens, or nothing for public schedules and feeds.`,
        });
      }
    }
  }
  new CfnOutput(scope, `${id}Url`, { value: stage.url, description: 'Base URL of the Convene API' });
  return { api, stage, accessLogs };
}
