/**
 * Renders one feed into the feeds bucket from the read models as they are now (never from a
 * stream record's delta), so a redelivered or reordered record renders the same bytes again
 * and changes nothing. The bytes are the API's (functions/feeds/feed-bodies.ts, from the same
 * inputs: functions/api/member-feed-inputs.ts).
 *
 * A personal feed is written under its member's current token hash, then checked against the
 * directory: if the token was rotated meanwhile, the object just written is removed again (a
 * rotation removes the old object after it invalidates the token; this check runs after the
 * write: whichever comes last, no object of an old token stays).
 */
import type { FeedBucket, FeedWrite } from '../adapters/feeds/feed-bucket.js';
import type { FeedTokenHashes } from '../adapters/members/feed-token-hashes.js';
import { feedMadeOf, memberFeedInputs } from '../api/member-feed-inputs.js';
import { personalFeedBody, publicSeriesFeedBody } from '../feeds/feed-bodies.js';
import { memberJoinLinks } from '../links/member-links.js';
import type { TokenSigner } from '../security/signed-token.js';
import { MEMBER_FEED_HEADERS, memberFeedKeyOfHash, seriesFeedHeaders, seriesFeedKey } from '../feeds/feed-objects.js';
import type { CurrentReads } from './current-reads.js';

export type RenderOutcome = FeedWrite | 'removed' | 'no-token';

export interface FeedRendererDeps {
  readonly tokens: FeedTokenHashes;
  readonly bucket: FeedBucket;
  /** The public base URL the API writes into feeds (PUBLIC_BASE_URL). */
  readonly baseUrl: string;
  /** Signs the members' own join links personal feeds carry, as the API's feed route does; absent: the meeting URLs. */
  readonly signer?: TokenSigner;
}

export function feedRenderer(deps: FeedRendererDeps) {
  return {
    /** The public feed of a series; removed while the series has no schedule. */
    async series(reads: CurrentReads, seriesId: string): Promise<RenderOutcome> {
      const stored = await reads.schedule(seriesId);
      if (!stored) {
        await deps.bucket.remove(seriesFeedKey(seriesId));
        return 'removed';
      }
      return deps.bucket.put(seriesFeedKey(seriesId), publicSeriesFeedBody(stored.doc, deps.baseUrl), seriesFeedHeaders(seriesId));
    },

    /** The personal feed of a member, under their current token's hash (none without a token). */
    async member(reads: CurrentReads, memberId: string): Promise<RenderOutcome> {
      const hash = await deps.tokens.currentHash(memberId);
      if (!hash) return 'no-token';
      // A fresh one per render: it holds no guesses, so it reads everything (no probes).
      const inputs = await memberFeedInputs(reads.feedReads, { tokens: 1, schedules: 1 })(memberId);
      if (!inputs) return 'no-token';
      const key = memberFeedKeyOfHash(hash);
      // A feed is a function of these (as the API's ETag says).
      const madeOf = feedMadeOf(inputs);
      let body = reads.rendered.get(madeOf);
      const joinLinks = deps.signer ? memberJoinLinks(deps.signer, deps.baseUrl, memberId) : undefined;
      if (body === undefined) reads.rendered.set(madeOf, (body = personalFeedBody(inputs, deps.baseUrl, joinLinks)));
      const outcome = await deps.bucket.put(key, body, MEMBER_FEED_HEADERS);
      if ((await deps.tokens.memberOfHash(hash)) === memberId) return outcome;
      await deps.bucket.remove(key);
      return 'removed';
    },

    /** The object of a token that no longer exists (rotated, or its member erased). */
    async forgetToken(hash: string): Promise<RenderOutcome> {
      await deps.bucket.remove(memberFeedKeyOfHash(hash));
      return 'removed';
    },
  };
}

export type FeedRenderer = ReturnType<typeof feedRenderer>;
