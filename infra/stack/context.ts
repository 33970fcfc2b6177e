/** Settings an operator gives the CDK app as context (`-c key=value` or cdk.json), with clear errors. */
import type { Construct } from 'constructs';

/** The public base URL of the API (links in feeds and mail), e.g. https://convene.example.org. */
export const PUBLIC_BASE_URL_CONTEXT = 'publicBaseUrl';

export function requiredUrlContext(scope: Construct, key: string, example: string): string {
  const value: unknown = scope.node.tryGetContext(key);
  if (typeof value !== 'string' || value === '') {
    throw new Error(`CDK context "${key}" is missing: pass it as \`npx cdk deploy -c ${key}=${example}\` or set it in cdk.json`);
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`CDK context "${key}" must be a URL such as ${example}, not ${JSON.stringify(value)}`);
  }
  if (url.protocol !== 'https:') throw new Error(`CDK context "${key}" must be an https URL, not ${value}`);
  return value.replace(/\/$/, '');
}
