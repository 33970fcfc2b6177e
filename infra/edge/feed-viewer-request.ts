/**
 * The viewer-request function of the feeds behaviour (`/feeds/*`): CloudFront Functions,
 * runtime cloudfront-js-2.0, on AWS; the local feed edge (infra/local/feed-edge.ts) runs the
 * same source on Node, so both map a URL to the same object key.
 *
 * `/feeds/members/<token>.ics` -> `/feeds/members/<sha256(token), base64url>.ics`: the key is the
 * hash the member directory keys the token by (functions/adapters/members/member-directory.ts
 * `sha256`), so no object key, log line or bucket listing holds a token. `/feeds/series/<id>.ics`
 * passes as it is. Query strings are dropped (S3 would read `?acl` and the like as subresources);
 * anything else is a 404 before it reaches S3.
 *
 * The digest is taken as base64 and made base64url by hand: plain base64 is the encoding every
 * CloudFront Functions runtime documents.
 */
import { createHash } from 'node:crypto';

export const FEED_VIEWER_REQUEST_SOURCE = `var crypto = require('crypto');
var MEMBER = /^\\/feeds\\/members\\/([A-Za-z0-9_-]{32})\\.ics$/;
var SERIES = /^\\/feeds\\/series\\/[A-Za-z0-9][A-Za-z0-9_-]{0,63}\\.ics$/;
function handler(event) {
  var request = event.request;
  var member = MEMBER.exec(request.uri);
  if (member) {
    var hash = crypto.createHash('sha256').update(member[1]).digest('base64');
    request.uri = '/feeds/members/' + hash.replace(/\\+/g, '-').replace(/\\//g, '_').replace(/=+$/, '') + '.ics';
    request.querystring = {};
    return request;
  }
  if (SERIES.test(request.uri)) {
    request.querystring = {};
    return request;
  }
  return { statusCode: 404, statusDescription: 'Not Found', headers: { 'cache-control': { value: 'no-store' } } };
}
`;

export interface ViewerRequest {
  uri: string;
  querystring: Record<string, { value: string }>;
}
export type ViewerResult = ViewerRequest | { statusCode: number; statusDescription: string };

/** The function's handler, run on Node (its `crypto` is Node's, which CloudFront's mirrors for createHash). */
export function loadFeedViewerRequest(): (event: { request: ViewerRequest }) => ViewerResult {
  const require = (name: string) => {
    if (name !== 'crypto') throw new Error(`CloudFront Functions have no module ${name}`);
    return { createHash };
  };
  return new Function('require', `${FEED_VIEWER_REQUEST_SOURCE}\nreturn handler;`)(require) as never;
}

/** The object key a feed URL's path names, or undefined for a path the edge answers 404. */
export function feedObjectKeyOf(path: string, handler = loadFeedViewerRequest()): string | undefined {
  const result = handler({ request: { uri: path, querystring: {} } });
  return 'uri' in result ? result.uri.slice(1) : undefined;
}
