/**
 * Where the rendered feeds live in the feeds bucket, and the headers each object carries.
 * The object's key is the URL's path without its leading slash; a personal feed's key holds
 * the feed token's hash (the one the member directory keys the token by), never the token:
 * on AWS a CloudFront Function (infra/edge/feed-viewer-request.ts) and locally the feed edge
 * (infra/local/feed-edge.ts) turn `/feeds/members/<token>.ics` into that key.
 */
import { sha256 } from '../adapters/members/member-directory.js';

/** Environment variable through which handlers learn the feeds bucket. */
export const FEEDS_BUCKET_ENV = 'FEEDS_BUCKET_NAME';
/** Every feed object is under this prefix (the CloudFront behaviour's path pattern is `/feeds/*`). */
export const FEEDS_PREFIX = 'feeds/';
export const MEMBER_FEEDS_PREFIX = 'feeds/members/';
export const SERIES_FEEDS_PREFIX = 'feeds/series/';

/** The object of the personal feed whose token hashes to `tokenHash` (sha256, base64url). */
export const memberFeedKeyOfHash = (tokenHash: string) => `${MEMBER_FEEDS_PREFIX}${tokenHash}.ics`;
/** The object a personal feed URL's token names. */
export const memberFeedKey = (token: string) => memberFeedKeyOfHash(sha256(token));
export const seriesFeedKey = (seriesId: string) => `${SERIES_FEEDS_PREFIX}${seriesId}.ics`;

export interface FeedObjectHeaders {
  readonly contentType: string;
  readonly cacheControl: string;
  readonly contentDisposition?: string;
}

const CALENDAR = 'text/calendar; charset=utf-8';

/** As the API's feed route answers it: a private feed (no shared cache keeps it: a rotated token stops at once). */
export const MEMBER_FEED_HEADERS: FeedObjectHeaders = { contentType: CALENDAR, cacheControl: 'private, max-age=60' };

export const seriesFeedHeaders = (seriesId: string): FeedObjectHeaders => ({
  contentType: CALENDAR,
  cacheControl: 'public, max-age=60',
  contentDisposition: `inline; filename="${seriesId}.ics"`,
});
