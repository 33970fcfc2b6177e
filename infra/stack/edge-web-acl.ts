import { CfnWebACL } from 'aws-cdk-lib/aws-wafv2';
import type { Construct } from 'constructs';
import { publicWriteRoutes } from '../../functions/api/route-table.js';

/**
 * Per viewer address, in WAF's 5-minute window: the public routes that act (route-table.ts
 * `publicWriteRoutes`: register, confirm, unregister, the member's page's forms...) together
 * at most 300 (the API's own limit, 60 a minute, over the window), and every request at most
 * 6,000 (a room of members behind one address polling feeds and pages stays far below).
 */
export const EDGE_RATE_LIMITS = { publicWrites: 300, allRequests: 6_000, windowSeconds: 300 } as const;

/** `^/(series/[^/]+/registrations|registrations/confirm|...)$`: the paths of the public routes that act. */
export function publicWritePathPattern(): string {
  const paths = [...new Set(publicWriteRoutes.map((r) => r.path.slice(1).replace(/\{\w+\}/g, '[^/]+')))];
  return `^/(${paths.join('|')})$`;
}

/**
 * The CLOUDFRONT-scope web ACL of the distribution (./edge.ts). CloudFront web ACLs exist only
 * in us-east-1: see ./edge-placement.ts for where this one is made.
 */
export function createEdgeWebAcl(scope: Construct, id: string): CfnWebACL {
  const visibility = (metricName: string) => ({ cloudWatchMetricsEnabled: true, metricName, sampledRequestsEnabled: true });
  return new CfnWebACL(scope, id, {
    scope: 'CLOUDFRONT',
    defaultAction: { allow: {} },
    visibilityConfig: visibility('ConveneEdge'),
    rules: [
      {
        name: 'PublicWritesPerAddress',
        priority: 0,
        action: { block: { customResponse: { responseCode: 429, responseHeaders: [{ name: 'Retry-After', value: String(EDGE_RATE_LIMITS.windowSeconds) }] } } },
        visibilityConfig: visibility('PublicWritesPerAddress'),
        statement: {
          rateBasedStatement: {
            aggregateKeyType: 'IP',
            limit: EDGE_RATE_LIMITS.publicWrites,
            evaluationWindowSec: EDGE_RATE_LIMITS.windowSeconds,
            scopeDownStatement: {
              andStatement: {
                statements: [
                  { byteMatchStatement: { fieldToMatch: { method: {} }, positionalConstraint: 'EXACTLY', searchString: 'POST', textTransformations: [{ priority: 0, type: 'NONE' }] } },
                  { regexMatchStatement: { fieldToMatch: { uriPath: {} }, regexString: publicWritePathPattern(), textTransformations: [{ priority: 0, type: 'NONE' }] } },
                ],
              },
            },
          },
        },
      },
      {
        name: 'AllRequestsPerAddress',
        priority: 1,
        action: { block: { customResponse: { responseCode: 429, responseHeaders: [{ name: 'Retry-After', value: String(EDGE_RATE_LIMITS.windowSeconds) }] } } },
        visibilityConfig: visibility('AllRequestsPerAddress'),
        statement: { rateBasedStatement: { aggregateKeyType: 'IP', limit: EDGE_RATE_LIMITS.allRequests, evaluationWindowSec: EDGE_RATE_LIMITS.windowSeconds } },
      },
    ],
  });
}
