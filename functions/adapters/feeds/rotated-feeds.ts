/**
 * The member directory as the API uses it when feeds are served from the feeds bucket: a feed
 * token rotated (a new feed link from the member's page) also removes the old token's object
 * before the answer, so the old URL answers 404 at once, locally and on AWS alike
 * (./feed-remover.ts). The renderer removes it too when the directory's stream shows the old
 * token gone, and re-checks after every write (functions/feed-renderer/render-feeds.ts), so no
 * object of an old token survives a race, nor a removal that failed here: that one is reported
 * (`onRemovalError`) and the new token is still the answer, as the rotation has happened.
 */
import type { MemberDirectory } from '../members/member-directory.js';
import { sha256 } from '../members/member-directory.js';
import { memberFeedKeyOfHash } from '../../feeds/feed-objects.js';
import type { FeedBucket } from './feed-bucket.js';

export type FeedRemover = Pick<FeedBucket, 'remove'>;

export function removingRotatedFeeds(members: MemberDirectory, remover: FeedRemover, onRemovalError: (error: unknown) => void = () => {}): MemberDirectory {
  return {
    ...members,
    async rotateFeedToken(memberId) {
      const before = (await members.get(memberId))?.feedTokenHash;
      const token = await members.rotateFeedToken(memberId);
      if (before && before !== sha256(token)) {
        try {
          await remover.remove(memberFeedKeyOfHash(before));
        } catch (error) {
          onRemovalError(error);
        }
      }
      return token;
    },
  };
}
