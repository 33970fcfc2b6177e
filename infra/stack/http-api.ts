import { CfnOutput } from 'aws-cdk-lib';
import { HttpApi, HttpMethod, HttpNoneAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { Construct } from 'constructs';
import { routes } from '../../functions/api/route-table.js';
import type { Organisers } from './organisers.js';

/**
 * The HTTP API: one route per entry of functions/api/route-table.ts, all to the API function.
 * Organiser routes need a JWT from the organisers' user pool. Cognito access tokens carry
 * the client in `client_id`, not `aud`; API Gateway accepts either against the audience. The
 * handler checks the token again, and the `organisers` group, which API Gateway cannot.
 */
export function createHttpApi(scope: Construct, id: string, handler: IFunction, organisers: Organisers): HttpApi {
  const api = new HttpApi(scope, id, { description: 'Convene API' });
  const integration = new HttpLambdaIntegration('ApiIntegration', handler);
  const organiserAuthorizer = new HttpJwtAuthorizer('OrganiserAuthorizer', organisers.issuer, {
    jwtAudience: [organisers.client.userPoolClientId],
  });
  const publicAuthorizer = new HttpNoneAuthorizer();
  for (const route of routes) {
    api.addRoutes({
      path: route.path,
      methods: [HttpMethod[route.method]],
      integration,
      authorizer: route.auth === 'organiser' ? organiserAuthorizer : publicAuthorizer,
    });
  }
  new CfnOutput(scope, `${id}Url`, { value: api.apiEndpoint, description: 'Base URL of the Convene API' });
  return api;
}
