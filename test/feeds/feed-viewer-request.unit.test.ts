/**
 * The CloudFront Function of the feeds behaviour, run on Node with the same source CloudFront
 * runs: a personal feed's token becomes the hash the member directory keys it by.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sha256 } from '../../functions/adapters/members/member-directory.js';
import { memberFeedKey, seriesFeedKey } from '../../functions/feeds/feed-objects.js';
import { feedObjectKeyOf, FEED_VIEWER_REQUEST_SOURCE, loadFeedViewerRequest } from '../../infra/edge/feed-viewer-request.js';

describe('feed viewer-request function', () => {
  it("maps /feeds/members/<token>.ics to the token's sha256 (base64url), the renderer's key, for many tokens", () => {
    for (let i = 0; i < 200; i++) {
      const token = randomBytes(24).toString('base64url');
      expect(feedObjectKeyOf(`/feeds/members/${token}.ics`)).toBe(memberFeedKey(token));
      expect(memberFeedKey(token)).toBe(`feeds/members/${sha256(token)}.ics`);
    }
  });

  it('passes public feeds as they are and drops query strings', () => {
    const handler = loadFeedViewerRequest();
    const result = handler({ request: { uri: '/feeds/series/care-economy-2027.ics', querystring: { acl: { value: '' } } } });
    expect(result).toEqual({ uri: '/feeds/series/care-economy-2027.ics', querystring: {} });
    expect(feedObjectKeyOf('/feeds/series/care-economy-2027.ics')).toBe(seriesFeedKey('care-economy-2027'));
  });

  it('answers 404 for anything else under /feeds/', () => {
    for (const path of ['/feeds/', '/feeds/members/short.ics', `/feeds/members/${'a'.repeat(33)}.ics`, '/feeds/members/../x.ics', '/feeds/series/-x.ics', '/feeds/series/a/b.ics', '/feeds/other.ics']) {
      expect(feedObjectKeyOf(path), path).toBeUndefined();
    }
  });

  it('is ES5.1 plus what cloudfront-js-2.0 has: var, require, no arrow functions or template literals', () => {
    expect(FEED_VIEWER_REQUEST_SOURCE).not.toMatch(/=>|`|\blet\b|\bconst\b/);
    expect(FEED_VIEWER_REQUEST_SOURCE).toMatch(/^var crypto = require\('crypto'\);/);
    expect(FEED_VIEWER_REQUEST_SOURCE.length).toBeLessThan(10_240); // CloudFront Functions' size limit
  });
});
