/**
 * Proof that a request came through Convene's CloudFront distribution (infra/stack/edge.ts),
 * the one way in on AWS. The distribution sends a secret in an origin header (EDGE_ORIGIN_HEADER)
 * on every request to the HTTP API, and a viewer-request function (infra/edge/api-viewer-request.ts)
 * writes the viewer's address into VIEWER_ADDRESS_HEADER. CloudFront sets both itself, over
 * whatever a viewer sent. A request without the secret reached API Gateway's own address
 * directly and is refused (functions/api/edge-only.ts), so WAF's rules are not bypassed.
 * Only a request with the secret has its viewer address believed: the API's rate limit counts
 * people, not CloudFront's edge servers.
 *
 * On Lambda the environment holds the secret's ARN (EDGE_ORIGIN_SECRET_ARN_ENV), read through
 * Powertools parameters and kept 5 minutes; locally there is no edge and no check.
 */
import { timingSafeEqual } from 'node:crypto';
import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import type { Environment } from '../environment.js';
import { secretText } from './secret-text.js';

export const EDGE_ORIGIN_HEADER = 'x-convene-edge';
export const VIEWER_ADDRESS_HEADER = 'x-convene-viewer-address';
export const EDGE_ORIGIN_SECRET_ARN_ENV = 'EDGE_ORIGIN_SECRET_ARN';
export const EDGE_ORIGIN_SECRET_MAX_AGE_SECONDS = 300;

export interface EdgeOrigin {
  /** The secret CloudFront sends; rejects when it cannot be read. */
  secret(): Promise<string>;
}

/** The check as the environment describes it, or undefined when the API is not behind the edge (local). */
export function edgeOriginFromEnvironment(env: Environment, options: { readonly secrets?: SecretsProvider } = {}): EdgeOrigin | undefined {
  const arn = env[EDGE_ORIGIN_SECRET_ARN_ENV];
  if (!arn) return undefined;
  let provider = options.secrets;
  return {
    async secret() {
      provider ??= new SecretsProvider();
      const text = await secretText(provider, arn, EDGE_ORIGIN_SECRET_MAX_AGE_SECONDS);
      if (!text) throw new Error(`the edge origin secret ${arn} has no value`);
      return text;
    },
  };
}

/** `{ edgeOrigin }` for an app's dependencies where the environment names the secret, else nothing. */
export function edgeOriginDeps(env: Environment, secrets?: SecretsProvider): { edgeOrigin?: EdgeOrigin } {
  const edgeOrigin = edgeOriginFromEnvironment(env, secrets ? { secrets } : {});
  return edgeOrigin ? { edgeOrigin } : {};
}

/** Whether the origin header carries the secret (compared in constant time). */
export function carriesEdgeSecret(given: string | undefined, secret: string): boolean {
  if (given === undefined) return false;
  const a = Buffer.from(given, 'utf8');
  const b = Buffer.from(secret, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}
