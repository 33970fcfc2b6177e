/**
 * S3's Signature Version 4 checks, written out here from AWS's specification (not with the SDK
 * that made the signatures), for what the local stand-in does not check: s3rver 3.7.1 verifies no
 * SigV4 signature and ignores a POST form's policy. With these a test shows what S3 would refuse:
 * a presigned URL whose signed headers (Content-Length) differ from the request's, a POST policy
 * changed or signed with another key.
 *
 * https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-query-string-auth.html
 * https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-authentication-HTTPPOST.html
 */
import { createHash, createHmac } from 'node:crypto';

const hmac = (key: Buffer | string, data: string) => createHmac('sha256', key).update(data, 'utf8').digest();
const sha256Hex = (data: string) => createHash('sha256').update(data, 'utf8').digest('hex');
/** RFC 3986 unreserved characters stay, everything else is %XX (what SigV4 calls UriEncode). */
const uriEncode = (value: string) => encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** The signing key of a credential scope `<key id>/<date>/<region>/<service>/aws4_request`. */
function signingKey(secretAccessKey: string, credential: string): Buffer {
  const [, date, region, service, terminator] = credential.split('/');
  if (!date || !region || !service || terminator !== 'aws4_request') throw new Error(`not a SigV4 credential: ${credential}`);
  return hmac(hmac(hmac(hmac(`AWS4${secretAccessKey}`, date), region), service), 'aws4_request');
}

/**
 * The signature S3 computes for a request to a presigned URL, from the request as it arrives:
 * its method, path, query and the values of the headers the URL names in X-Amz-SignedHeaders
 * (`host` is taken from the URL). S3 serves the request only if this equals X-Amz-Signature.
 */
export function presignedUrlSignature(url: URL, method: string, headers: Readonly<Record<string, string>>, secretAccessKey: string): string {
  const query = url.searchParams;
  const signedHeaders = (query.get('X-Amz-SignedHeaders') ?? '').split(';');
  const values: Record<string, string> = { host: url.host, ...Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v])) };
  const canonicalHeaders = signedHeaders.map((name) => {
    if (values[name] === undefined) throw new Error(`the request has no ${name} header, which the URL signs`);
    return `${name}:${values[name]!.trim().replace(/\s+/g, ' ')}\n`;
  });
  const canonicalQuery = [...query.entries()]
    .filter(([k]) => k !== 'X-Amz-Signature')
    .map(([k, v]) => [uriEncode(k), uriEncode(v)] as const)
    .sort(([a, x], [b, y]) => (a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  // S3 signs the path as sent (each segment encoded once), and presigned uploads an unsigned payload.
  const canonicalRequest = [method, url.pathname, canonicalQuery, canonicalHeaders.join(''), signedHeaders.join(';'), query.get('X-Amz-Content-Sha256') ?? 'UNSIGNED-PAYLOAD'].join('\n');
  const credential = query.get('X-Amz-Credential') ?? '';
  const scope = credential.split('/').slice(1).join('/');
  const stringToSign = ['AWS4-HMAC-SHA256', query.get('X-Amz-Date'), scope, sha256Hex(canonicalRequest)].join('\n');
  return hmac(signingKey(secretAccessKey, credential), stringToSign).toString('hex');
}

/** The signature S3 expects of a POST form: the HMAC of its base64 policy under the form's credential scope. */
export function postPolicySignature(fields: Readonly<Record<string, string>>, secretAccessKey: string): string {
  const policy = fields.Policy ?? fields.policy;
  const credential = fields['X-Amz-Credential'] ?? fields['x-amz-credential'];
  if (!policy || !credential) throw new Error('the form has no policy or no credential');
  return hmac(signingKey(secretAccessKey, credential), policy).toString('hex');
}

export type PolicyCondition = Record<string, string> | [string, ...(string | number)[]];

/** A POST form's policy, decoded. */
export function decodePolicy(fields: Readonly<Record<string, string>>): { expiration: string; conditions: PolicyCondition[] } {
  return JSON.parse(Buffer.from(fields.Policy ?? fields.policy ?? '', 'base64').toString('utf8'));
}

/**
 * The signature S3 computes for a request signed in its Authorization header (what the SDK and
 * functions/adapters/feeds/feed-remover.ts send): from the request's method, path, query and the
 * headers the header's SignedHeaders names, under its Credential's scope. S3 serves the request
 * only if this equals the header's Signature.
 */
export function authorizationHeaderSignature(method: string, url: URL, headers: Readonly<Record<string, string>>, secretAccessKey: string): { expected: string; provided: string } {
  const values: Record<string, string> = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  const match = /^AWS4-HMAC-SHA256 Credential=([^,]+), ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]+)$/.exec(values.authorization ?? '');
  if (!match) throw new Error(`not a SigV4 Authorization header: ${values.authorization}`);
  const [, credential, signedHeaderList, provided] = match as unknown as [string, string, string, string];
  const signedHeaders = signedHeaderList.split(';');
  if (!signedHeaders.includes('host') || !signedHeaders.includes('x-amz-date') || !signedHeaders.includes('x-amz-content-sha256')) throw new Error(`S3 requires host, x-amz-date and x-amz-content-sha256 to be signed: ${signedHeaderList}`);
  const canonicalHeaders = signedHeaders.map((name) => {
    if (values[name] === undefined) throw new Error(`the request has no ${name} header, which it signs`);
    return `${name}:${values[name]!.trim().replace(/\s+/g, ' ')}\n`;
  });
  const canonicalQuery = [...url.searchParams.entries()]
    .map(([k, v]) => [uriEncode(k), uriEncode(v)] as const)
    .sort(([a, x], [b, y]) => (a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  const canonicalRequest = [method, url.pathname, canonicalQuery, canonicalHeaders.join(''), signedHeaders.join(';'), values['x-amz-content-sha256']].join('\n');
  const scope = credential.split('/').slice(1).join('/');
  const stringToSign = ['AWS4-HMAC-SHA256', values['x-amz-date'], scope, sha256Hex(canonicalRequest)].join('\n');
  return { expected: hmac(signingKey(secretAccessKey, credential), stringToSign).toString('hex'), provided };
}
