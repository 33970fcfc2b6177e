import { Aws, CfnOutput, CfnRule, Duration, Fn, Stack, Token, Validations } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import {
  AllowedMethods,
  CacheCookieBehavior,
  CacheHeaderBehavior,
  CachePolicy,
  CacheQueryStringBehavior,
  Distribution,
  Function as CloudFrontFunction,
  FunctionCode,
  FunctionEventType,
  FunctionRuntime,
  HeadersReferrerPolicy,
  HttpVersion,
  OriginProtocolPolicy,
  OriginRequestPolicy,
  ResponseHeadersPolicy,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { HttpOrigin, S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { EDGE_ORIGIN_HEADER, EDGE_ORIGIN_SECRET_ARN_ENV } from '../../functions/security/edge-origin.js';
import { API_VIEWER_REQUEST_SOURCE } from '../edge/api-viewer-request.js';
import { NON_HTML_CONTENT_SECURITY_POLICY } from '../../functions/api/http-app.js';
import { FEED_VIEWER_REQUEST_SOURCE } from '../edge/feed-viewer-request.js';
import { createEdgeWebAcl } from './edge-web-acl.js';

/** The ARN of a CLOUDFRONT-scope web ACL made in us-east-1 (the ConveneEdgeSecurity stack's output), for a stack deployed elsewhere. */
export const EDGE_WEB_ACL_ARN_CONTEXT = 'edgeWebAclArn';

export interface EdgeProps {
  readonly api: HttpApi;
  readonly feedsBucket: IBucket;
  /** The functions behind the HTTP API: each refuses requests that did not come through the distribution. */
  readonly apiFunctions: readonly NodejsFunction[];
}

/**
 * One CloudFront distribution in front of the HTTP API and the feeds bucket, so members see one
 * domain:
 * - `/feeds/*` from the feeds bucket through origin access control; a CloudFront Function
 *   (cloudfront-js-2.0, infra/edge/feed-viewer-request.ts) turns a personal feed's token into
 *   its hash, the object's key. ETag, Last-Modified and 304 are S3's. Personal feeds are
 *   `Cache-Control: private`, so no edge keeps one: a rotated token's removed object is gone at
 *   once; public feeds (`public, max-age=60`) are kept a minute.
 * - `/series/*` (public schedules as JSON or pages, the public routes under them) from the API,
 *   cached as the API's Cache-Control says, keyed on Accept and Accept-Language (Authorization
 *   too: an organiser's preview is never another's answer).
 * - everything else (admin, members' links and pages, registrations) from the API, never cached.
 * - AWS WAF (CLOUDFRONT scope) with rate-based rules per viewer address (./edge-web-acl.ts).
 * - The API's behaviours send a generated secret in an origin header, and a viewer-request
 *   function (infra/edge/api-viewer-request.ts) writes the viewer's address: the API functions
 *   refuse a request without the secret (one sent to API Gateway's own address, past WAF) and
 *   count a request with it by its viewer (functions/security/edge-origin.ts).
 */
export class Edge extends Construct {
  readonly distribution: Distribution;
  readonly feedFunction: CloudFrontFunction;
  readonly webAclArn: string;
  readonly apiFunction: CloudFrontFunction;
  /** What CloudFront sends the API in EDGE_ORIGIN_HEADER. */
  readonly originSecret: Secret;

  constructor(scope: Construct, id: string, props: EdgeProps) {
    super(scope, id);
    this.webAclArn = webAclArnFor(this);
    this.originSecret = new Secret(this, 'OriginSecret', {
      description: 'Sent by CloudFront to the Convene HTTP API: requests without it did not come through the distribution',
      generateSecretString: { passwordLength: 48, excludePunctuation: true },
    });
    Validations.of(this.originSecret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason: 'CloudFront reads the value at deploy time (a dynamic reference in the origin header): rotate by putting a new value and deploying; the API reads it again within 5 minutes, so a rotation refuses requests for at most that long.',
    });
    for (const fn of props.apiFunctions) {
      fn.addEnvironment(EDGE_ORIGIN_SECRET_ARN_ENV, this.originSecret.secretArn);
      this.originSecret.grantRead(fn);
    }
    const apiOrigin = new HttpOrigin(Fn.select(2, Fn.split('/', props.api.apiEndpoint)), {
      protocolPolicy: OriginProtocolPolicy.HTTPS_ONLY,
      customHeaders: { [EDGE_ORIGIN_HEADER]: this.originSecret.secretValue.unsafeUnwrap() },
    });
    this.apiFunction = new CloudFrontFunction(this, 'ApiViewerRequest', {
      runtime: FunctionRuntime.JS_2_0,
      code: FunctionCode.fromInline(API_VIEWER_REQUEST_SOURCE),
      comment: "The viewer's address for the API's per-client rate limit",
    });
    this.feedFunction = new CloudFrontFunction(this, 'FeedViewerRequest', {
      runtime: FunctionRuntime.JS_2_0,
      code: FunctionCode.fromInline(FEED_VIEWER_REQUEST_SOURCE),
      comment: 'Personal feed token -> its SHA-256 (the object key); other paths under /feeds/ answer 404',
    });
    const feedsCache = new CachePolicy(this, 'FeedsCache', {
      comment: 'Feeds: as the object says (personal feeds private, public ones a minute); no headers, cookies or query strings',
      minTtl: Duration.seconds(0),
      defaultTtl: Duration.seconds(0),
      maxTtl: Duration.hours(1),
      headerBehavior: CacheHeaderBehavior.none(),
      cookieBehavior: CacheCookieBehavior.none(),
      queryStringBehavior: CacheQueryStringBehavior.none(),
      enableAcceptEncodingGzip: true,
      enableAcceptEncodingBrotli: true,
    });
    const publicCache = new CachePolicy(this, 'PublicSeriesCache', {
      comment: "Public schedules and pages: as the API's Cache-Control says, per representation (Accept, Accept-Language) and credential",
      minTtl: Duration.seconds(0),
      defaultTtl: Duration.seconds(0),
      maxTtl: Duration.minutes(5),
      headerBehavior: CacheHeaderBehavior.allowList('Accept', 'Accept-Language', 'Authorization'),
      cookieBehavior: CacheCookieBehavior.none(),
      queryStringBehavior: CacheQueryStringBehavior.all(),
      enableAcceptEncodingGzip: true,
      enableAcceptEncodingBrotli: true,
    });
    const feedHeaders = new ResponseHeadersPolicy(this, 'FeedHeaders', {
      comment: 'The security headers the API sets on every answer (functions/api/http-app.ts)',
      securityHeadersBehavior: {
        contentTypeOptions: { override: true },
        referrerPolicy: { referrerPolicy: HeadersReferrerPolicy.NO_REFERRER, override: true },
        contentSecurityPolicy: { contentSecurityPolicy: NON_HTML_CONTENT_SECURITY_POLICY, override: true },
      },
    });
    const toApi = {
      origin: apiOrigin,
      viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
      allowedMethods: AllowedMethods.ALLOW_ALL,
      originRequestPolicy: OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
      functionAssociations: [{ function: this.apiFunction, eventType: FunctionEventType.VIEWER_REQUEST }],
    };
    this.distribution = new Distribution(this, 'Distribution', {
      comment: 'Convene: the API and the feeds, one domain',
      httpVersion: HttpVersion.HTTP2_AND_3,
      webAclId: this.webAclArn,
      defaultBehavior: { ...toApi, cachePolicy: CachePolicy.CACHING_DISABLED },
      additionalBehaviors: {
        '/feeds/*': {
          origin: S3BucketOrigin.withOriginAccessControl(props.feedsBucket),
          viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
          allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
          cachePolicy: feedsCache,
          responseHeadersPolicy: feedHeaders,
          functionAssociations: [{ function: this.feedFunction, eventType: FunctionEventType.VIEWER_REQUEST }],
        },
        '/series/*': { ...toApi, cachePolicy: publicCache },
      },
    });
    // A feed that is not there answers 404, not 403: CloudFront may list the bucket (the function lets only feed keys through).
    props.feedsBucket.addToResourcePolicy(
      new iam.PolicyStatement({
        actions: ['s3:ListBucket'],
        resources: [props.feedsBucket.bucketArn],
        principals: [new iam.ServicePrincipal('cloudfront.amazonaws.com')],
        conditions: { StringEquals: { 'AWS:SourceArn': Stack.of(this).formatArn({ service: 'cloudfront', region: '', resource: 'distribution', resourceName: this.distribution.distributionId }) } },
      }),
    );
    new CfnOutput(this, 'Url', { value: `https://${this.distribution.distributionDomainName}`, description: 'The one domain of the API and the feeds (point publicBaseUrl here, or a custom domain at it)' });
    Validations.of(this.distribution).acknowledge(
      { id: 'AwsSolutions-CFR1', reason: 'A global community of practice (Haifa to Quito): no country is excluded.' },
      { id: 'AwsSolutions-CFR3', reason: 'CloudFront access logs hold each viewer URI, and personal feed URIs carry feed tokens: no log may hold them (README Security). Requests are counted in CloudFront and WAF metrics.' },
      { id: 'AwsSolutions-CFR4', reason: "The default *.cloudfront.net certificate is used until the operator attaches a custom domain's ACM certificate (then TLSv1.2_2021 applies); viewers are redirected to HTTPS either way." },
    );
  }
}

/**
 * Where the web ACL comes from. CloudFront takes only CLOUDFRONT-scope web ACLs, which exist
 * only in us-east-1: given `-c edgeWebAclArn=...` (the ConveneEdgeSecurity stack's output,
 * deployed in us-east-1 first), that one; otherwise one made in this stack, which must then
 * be deployed in us-east-1 (a template rule refuses any other region before anything is made).
 */
function webAclArnFor(scope: Construct): string {
  const given: unknown = scope.node.tryGetContext(EDGE_WEB_ACL_ARN_CONTEXT);
  if (typeof given === 'string' && given !== '') {
    if (!/^arn:aws[\w-]*:wafv2:us-east-1:\d{12}:global\/webacl\/[\w-]+\/[\w-]+$/.test(given)) {
      throw new Error(`CDK context "${EDGE_WEB_ACL_ARN_CONTEXT}" must be the ARN of a CLOUDFRONT-scope web ACL (arn:aws:wafv2:us-east-1:<account>:global/webacl/<name>/<id>), not ${JSON.stringify(given)}`);
    }
    return given;
  }
  const region = Stack.of(scope).region;
  if (!Token.isUnresolved(region) && region !== 'us-east-1') {
    throw new Error(`This stack is in ${region}, and CloudFront's web ACL must be made in us-east-1: deploy the ConveneEdgeSecurity stack there (-c edgeSecurityStack=true) and pass its WebAclArn output as -c ${EDGE_WEB_ACL_ARN_CONTEXT}=...`);
  }
  new CfnRule(scope, 'WebAclRegion', {
    assertions: [
      {
        assert: Fn.conditionEquals(Aws.REGION, 'us-east-1'),
        assertDescription: `CloudFront web ACLs exist only in us-east-1: deploy this stack there, or deploy ConveneEdgeSecurity in us-east-1 and pass its WebAclArn output as -c ${EDGE_WEB_ACL_ARN_CONTEXT}=...`,
      },
    ],
  });
  return createEdgeWebAcl(scope, 'WebAcl').attrArn;
}
