/**
 * What the feed renderer may know of the member directory: a member's current feed token hash,
 * and the member a token hash names. Never an address or a name: every read names the
 * attributes it takes (the renderer's role is limited to these attributes on AWS).
 */
import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { FEED_TOKEN_ITEM_PREFIX, MEMBER_ITEM_PREFIX, MEMBER_PK } from '../../tables.js';

export interface FeedTokenHashes {
  /** The hash of the member's current feed token, if they have one. */
  currentHash(memberId: string): Promise<string | undefined>;
  /** The member whose feed token hashes to this, while that token is valid. */
  memberOfHash(hash: string): Promise<string | undefined>;
}

/** The only attributes the renderer reads. */
export const FEED_TOKEN_ATTRIBUTES = [MEMBER_PK, 'memberId', 'feedTokenHash'] as const;

export function createFeedTokenHashes(client: DynamoDBDocumentClient, table: string): FeedTokenHashes {
  const get = async (pk: string, attribute: 'memberId' | 'feedTokenHash') => {
    const { Item } = await client.send(
      new GetCommand({
        TableName: table,
        Key: { [MEMBER_PK]: pk },
        ConsistentRead: true,
        ProjectionExpression: '#a',
        ExpressionAttributeNames: { '#a': attribute },
      }),
    );
    const value = Item?.[attribute];
    return typeof value === 'string' && value !== '' ? value : undefined;
  };
  return {
    currentHash: (memberId) => get(`${MEMBER_ITEM_PREFIX}${memberId}`, 'feedTokenHash'),
    memberOfHash: (hash) => get(`${FEED_TOKEN_ITEM_PREFIX}${hash}`, 'memberId'),
  };
}
