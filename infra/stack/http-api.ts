import { CfnOutput, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import { CfnStage, CorsHttpMethod, HttpApi, HttpMethod, HttpNoneAuthorizer, HttpStage, LogGroupLogDestination, type HttpRoute, type ThrottleSettings } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { publicWriteRoutes, routes } from '../../functions/api/route-table.js';
import { LOG_RETENTION } from './node-function.js';
import type { Organisers } from './organisers.js';

/**
 * Requests per second the API accepts in steady state, and in a burst, across all clients
 * (API Gateway answers 429 above): a registration storm before a popular webinar is a few
 * hundred a second for a minute; calendar clients poll feeds every few minutes at most.
 */
export const API_THROTTLE = { rateLimit: 200, burstLimit: 400 } as const;

/**
 * Throttles of their own for the public routes that act (route-table.ts `publicWriteRoutes`),
 * across all clients: the API limits each client (functions/api/rate-limit.ts), these bound what
 * many clients together can make it do. A registration is one write into the intake; its
 * confirmation mail leaves later from the dispatcher at SES's rate: 100 a second (6,000 a
 * minute, twice a community's whole membership) with a burst of 300 takes a registration storm
 * and keeps a flood from many addresses to what SES bears (the README's capacity model). Unregistering, unsubscribing and new feed tokens are one person at a time, a few
 * a minute even after a mailing to everyone.
 */
export const PUBLIC_WRITE_THROTTLES: Readonly<Record<string, ThrottleSettings>> = {
  'POST /series/{seriesId}/registrations': { rateLimit: 100, burstLimit: 300 },
  // A storm of registrations is followed by a storm of confirmations.
  'POST /registrations/confirm': { rateLimit: 100, burstLimit: 300 },
  'POST /registrations/change': { rateLimit: 20, burstLimit: 50 },
  'POST /registrations/unregister': { rateLimit: 20, burstLimit: 50 },
  'POST /mail/unsubscribe': { rateLimit: 20, burstLimit: 50 },
  'POST /manage/preferences': { rateLimit: 20, burstLimit: 50 },
  'POST /manage/sessions': { rateLimit: 20, burstLimit: 50 },
  'POST /manage/leave': { rateLimit: 20, burstLimit: 50 },
  'POST /manage/stop-mail': { rateLimit: 20, burstLimit: 50 },
  'POST /manage/feed': { rateLimit: 20, burstLimit: 50 },
  'POST /members/manage-link': { rateLimit: 20, burstLimit: 50 },
};

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
 * Its `$default` stage throttles every route (`API_THROTTLE`), the public routes that act by their
 * own lower limits (`PUBLIC_WRITE_THROTTLES`), and writes a JSON access log line per request
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
  const throttled: HttpRoute[] = [];
  for (const route of routes) {
    const added = api.addRoutes({
      path: route.path,
      methods: [HttpMethod[route.method]],
      integration: integrations['fn' in route ? route.fn : 'api'],
      authorizer: route.auth === 'organiser' ? organiserAuthorizer : publicAuthorizer,
    });
    if (PUBLIC_WRITE_THROTTLES[`${route.method} ${route.path}`]) throttled.push(...added);
    if (route.auth === 'public') {
      for (const r of added) {
        Validations.of(r).acknowledge({
          id: 'AwsSolutions-APIG4',
          reason: `${route.method} ${route.path} is public by design (${route.summary}); what it needs is checked in the handler: signed links, member tokens, or nothing for public schedules and feeds.`,
        });
      }
    }
  }
  // HttpStage has no per-route settings: set them on its CloudFormation stage. The stage must
  // come after those routes, or CloudFormation cannot find their keys ("Unable to find Route by key").
  const missing = publicWriteRoutes.map((r) => `${r.method} ${r.path}`).filter((key) => !PUBLIC_WRITE_THROTTLES[key]);
  if (missing.length > 0) throw new Error(`no throttle for the public route(s) ${missing.join(', ')}: add them to PUBLIC_WRITE_THROTTLES`);
  const unknown = Object.keys(PUBLIC_WRITE_THROTTLES).filter((key) => !publicWriteRoutes.some((r) => `${r.method} ${r.path}` === key));
  if (unknown.length > 0) throw new Error(`PUBLIC_WRITE_THROTTLES names ${unknown.join(', ')}, not a public route that acts`);
  const cfnStage = stage.node.defaultChild as CfnStage;
  cfnStage.routeSettings = Object.fromEntries(
    Object.entries(PUBLIC_WRITE_THROTTLES).map(([key, t]) => [key, { ThrottlingRateLimit: t.rateLimit, ThrottlingBurstLimit: t.burstLimit }]),
  );
  for (const route of throttled) cfnStage.node.addDependency(route);
  new CfnOutput(scope, `${id}Url`, { value: stage.url, description: 'Base URL of the Convene API' });
  return { api, stage, accessLogs };
}
