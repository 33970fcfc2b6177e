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

/** The From address of every mail; its domain must be a verified SES identity. */
export const MAIL_FROM_CONTEXT = 'mailFrom';

/** `Convene <no-reply@convene.example.org>` -> the address and its domain (the SES identity). */
export function requiredMailFromContext(scope: Construct): { from: string; domain: string } {
  const example = 'Convene <no-reply@convene.example.org>';
  const value: unknown = scope.node.tryGetContext(MAIL_FROM_CONTEXT);
  if (typeof value !== 'string' || value === '') {
    throw new Error(`CDK context "${MAIL_FROM_CONTEXT}" is missing: pass it as \`npx cdk deploy -c "${MAIL_FROM_CONTEXT}=${example}"\` (its domain must be verified in SES)`);
  }
  const m = /^(?:[^<>\r\n]*<)?([^<>@\s]+)@([A-Za-z0-9.-]+\.[A-Za-z]{2,})>?$/.exec(value.trim());
  if (!m) throw new Error(`CDK context "${MAIL_FROM_CONTEXT}" must be an address such as ${example}, not ${JSON.stringify(value)}`);
  return { from: value.trim(), domain: m[2]!.toLowerCase() };
}

/**
 * The origins browsers upload recordings from (S3 CORS of the recordings bucket), comma-separated:
 * `-c uploadOrigins=https://convene.example.org,https://admin.example.org` (or a list in
 * cdk.json). Default: the origin of the public base URL.
 */
export const UPLOAD_ORIGINS_CONTEXT = 'uploadOrigins';

export function uploadOriginsContext(scope: Construct, publicBaseUrl: string): string[] {
  const example = 'https://convene.example.org,https://admin.example.org';
  const value: unknown = scope.node.tryGetContext(UPLOAD_ORIGINS_CONTEXT);
  if (value === undefined) return [new URL(publicBaseUrl).origin];
  const given = typeof value === 'string' ? value.split(',') : Array.isArray(value) ? value : undefined;
  const origins = given?.map((o: unknown) => (typeof o === 'string' ? o.trim() : o)).filter((o) => o !== '');
  if (!origins || origins.length === 0) {
    throw new Error(`CDK context "${UPLOAD_ORIGINS_CONTEXT}" must list origins, comma-separated, such as ${example}, not ${JSON.stringify(value)}`);
  }
  return origins.map((origin) => {
    let url: URL | undefined;
    try {
      url = typeof origin === 'string' ? new URL(origin) : undefined;
    } catch {
      url = undefined;
    }
    // An origin is scheme, host and port (S3 allows one `*` in the host): no path, and https like every other URL here.
    if (!url || url.protocol !== 'https:' || url.origin !== String(origin).replace(/\/$/, '')) {
      throw new Error(`CDK context "${UPLOAD_ORIGINS_CONTEXT}": ${JSON.stringify(origin)} is not an https origin such as https://convene.example.org (scheme and host, no path)`);
    }
    return url.origin;
  });
}

/**
 * The domain invitations' reply addresses are on (`-c replyDomain=reply.convene.example.org`),
 * whose MX record points at SES receiving in the stack's region. Default: `reply.` and the mail
 * domain. It must be a domain SES receives for (verified), not the From domain itself, so that
 * other mail to the From domain is left alone.
 */
export const REPLY_DOMAIN_CONTEXT = 'replyDomain';

export function replyDomainContext(scope: Construct, mailDomain: string): string {
  const value: unknown = scope.node.tryGetContext(REPLY_DOMAIN_CONTEXT);
  if (value === undefined) return `reply.${mailDomain}`;
  if (typeof value !== 'string' || !/^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,}$/.test(value.trim().toLowerCase())) {
    throw new Error(`CDK context "${REPLY_DOMAIN_CONTEXT}" must be a domain such as reply.convene.example.org, not ${JSON.stringify(value)}`);
  }
  return value.trim().toLowerCase();
}
