/**
 * The member directory on DynamoDB: who a member id is (email, name), the member id of an
 * email address, and the member a feed token belongs to. Emails and tokens are looked up by
 * their SHA-256, so no key holds them in clear; a token itself is never stored.
 */
import { createHash, randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { DeleteCommand, GetCommand, PutCommand, TransactWriteCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { FEED_TOKEN_ITEM_PREFIX, MEMBER_EXPIRES_AT, MEMBER_ITEM_PREFIX, MEMBER_PK } from '../../tables.js';
import { batchGetAll } from '../dynamodb-pages.js';
import { isAwsError } from '../aws-errors.js';

export interface MemberRecord {
  readonly memberId: string;
  readonly email: string;
  readonly name: string;
  readonly createdAt: string;
  readonly feedTokenHash?: string;
}

export interface MemberDirectory {
  /**
   * The member with this email address, created (with `newId()`) if there is none, with this
   * name (a self-service request passes none: the name is taken when its owner confirms). An
   * existing member's name is never changed here. Safe under races.
   */
  findOrCreate(email: string, name: string, now: Date): Promise<{ member: MemberRecord; created: boolean }>;
  /**
   * The member id of this address, creating the member (without a name) if there is none: one
   * read for a known address, one read and one transaction for a new one, so that a request with
   * any address costs the same round trips. Safe under races.
   */
  claimOrCreate(email: string, now: Date): Promise<{ memberId: string; created: boolean }>;
  /** Sets the member's name (the member confirmed it, or changed it from their page). */
  setName(memberId: string, name: string): Promise<void>;
  /** Keeps the name given with a self-service request until its owner confirms (15 days). */
  noteRequestedName(requestId: string, memberId: string, name: string, now: Date): Promise<void>;
  /** The name given with a request of this member, if it is still kept. */
  requestedName(requestId: string, memberId: string): Promise<string | undefined>;
  /** A feed token for a member who has none yet (shown once); undefined when they have one. Safe under races. */
  ensureFeedToken(memberId: string): Promise<string | undefined>;
  get(memberId: string): Promise<MemberRecord | undefined>;
  /** The members of these ids that exist, by id (BatchGet, 100 at a time). */
  getMany(memberIds: readonly string[]): Promise<Map<string, MemberRecord>>;
  /** A new feed token for the member; the previous one stops working. Returns the token (shown once). */
  rotateFeedToken(memberId: string): Promise<string>;
  memberIdForFeedToken(token: string): Promise<string | undefined>;
  /** The member id this email address (compared normalised) belongs to, if any. */
  memberIdForEmail(email: string): Promise<string | undefined>;
}

export const sha256 = (text: string) => createHash('sha256').update(text).digest('base64url');
/** Addresses are compared without case and surrounding space (the domain is case-insensitive; local parts are in practice). */
export const normaliseEmail = (email: string) => email.trim().toLowerCase();
/** What a personal feed token looks like (192 random bits, base64url). */
export const FEED_TOKEN = /^[\w-]{32}$/;
/** The key of the item naming a feed token's member: the token's hash, never the token. */
export const feedTokenPk = (token: string) => `${FEED_TOKEN_ITEM_PREFIX}${sha256(token)}`;
const memberPk = (memberId: string) => `${MEMBER_ITEM_PREFIX}${memberId}`;

export function createMemberDirectory(client: DynamoDBDocumentClient, table: string, newId: () => string = () => crypto.randomUUID()): MemberDirectory {
  const get = async (pk: string) =>
    (await client.send(new GetCommand({ TableName: table, Key: { [MEMBER_PK]: pk }, ConsistentRead: true }))).Item;
  // A record without an address or name reads as empty ones (the dispatcher reports such a member), never as "undefined".
  const text = (value: unknown) => (typeof value === 'string' ? value : '');
  const memberItem = (item: Record<string, unknown>): MemberRecord => ({
    memberId: String(item.memberId),
    email: text(item.email),
    name: text(item.name),
    createdAt: String(item.createdAt),
    ...(item.feedTokenHash ? { feedTokenHash: String(item.feedTokenHash) } : {}),
  });

  return {
    async findOrCreate(email, name, now) {
      const emailKey = `email#${sha256(normaliseEmail(email))}`;
      for (let attempt = 1; ; attempt++) {
        const existing = await get(emailKey);
        if (existing) {
          const member = await get(memberPk(existing.memberId));
          if (member) return { member: memberItem(member), created: false };
        }
        const memberId = String(existing?.memberId ?? newId());
        const record: MemberRecord = { memberId, email: email.trim(), name, createdAt: now.toISOString() };
        try {
          await client.send(new TransactWriteCommand({ TransactItems: memberAndClaim(table, record, emailKey) }));
          return { member: record, created: true };
        } catch (error) {
          // Another request claimed this address first (its member is the one: read it on the
          // next turn), or is doing so right now (a transaction conflict: wait, read again).
          const lostRace = isAwsError(error, 'TransactionCanceledException', 'TransactionConflictException');
          if (!lostRace || attempt >= CLAIM_ATTEMPTS) throw error;
          await sleep(Math.random() * 20 * attempt);
        }
      }
    },

    async claimOrCreate(email, now) {
      const emailKey = `email#${sha256(normaliseEmail(email))}`;
      for (let attempt = 1; ; attempt++) {
        const existing = await get(emailKey);
        if (existing) return { memberId: String(existing.memberId), created: false };
        const record: MemberRecord = { memberId: newId(), email: email.trim(), name: '', createdAt: now.toISOString() };
        try {
          await client.send(new TransactWriteCommand({ TransactItems: memberAndClaim(table, record, emailKey) }));
          return { memberId: record.memberId, created: true };
        } catch (error) {
          // Another request claimed this address first: its member is the one (read on the next turn).
          const lostRace = isAwsError(error, 'TransactionCanceledException', 'TransactionConflictException');
          if (!lostRace || attempt >= CLAIM_ATTEMPTS) throw error;
          await sleep(Math.random() * 20 * attempt);
        }
      }
    },

    async get(memberId) {
      const item = await get(memberPk(memberId));
      return item ? memberItem(item) : undefined;
    },

    async setName(memberId, name) {
      await client.send(
        new UpdateCommand({
          TableName: table,
          Key: { [MEMBER_PK]: memberPk(memberId) },
          UpdateExpression: 'SET #n = :n',
          ConditionExpression: `attribute_exists(${MEMBER_PK})`,
          ExpressionAttributeNames: { '#n': 'name' },
          ExpressionAttributeValues: { ':n': name },
        }),
      );
    },

    async noteRequestedName(requestId, memberId, name, now) {
      await client.send(
        new PutCommand({
          TableName: table,
          Item: { [MEMBER_PK]: `request#${requestId}`, memberId, name, [MEMBER_EXPIRES_AT]: Math.floor(now.getTime() / 1000) + REQUESTED_NAME_TTL_SECONDS },
        }),
      );
    },

    async requestedName(requestId, memberId) {
      const item = await get(`request#${requestId}`);
      return item && item.memberId === memberId && typeof item.name === 'string' ? item.name : undefined;
    },

    async ensureFeedToken(memberId) {
      const token = randomBytes(24).toString('base64url'); // 192 bits
      const hash = sha256(token);
      try {
        await client.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Update: {
                  TableName: table,
                  Key: { [MEMBER_PK]: memberPk(memberId) },
                  UpdateExpression: 'SET feedTokenHash = :h',
                  ConditionExpression: `attribute_exists(${MEMBER_PK}) AND attribute_not_exists(feedTokenHash)`,
                  ExpressionAttributeValues: { ':h': hash },
                },
              },
              { Put: { TableName: table, Item: { [MEMBER_PK]: feedTokenPk(token), memberId } } },
            ],
          }),
        );
        return token;
      } catch (error) {
        // The member has a token already (or another request just gave them one).
        if (isAwsError(error, 'TransactionCanceledException')) return undefined;
        throw error;
      }
    },

    async getMany(memberIds) {
      const keys = [...new Set(memberIds)].map((id) => ({ [MEMBER_PK]: memberPk(id) }));
      const items = await batchGetAll(client, table, keys);
      return new Map(items.map((item) => [String(item.memberId), memberItem(item)]));
    },

    async rotateFeedToken(memberId) {
      const token = randomBytes(24).toString('base64url'); // 192 bits
      const hash = sha256(token);
      await client.send(new PutCommand({ TableName: table, Item: { [MEMBER_PK]: feedTokenPk(token), memberId } }));
      const { Attributes } = await client.send(
        new UpdateCommand({
          TableName: table,
          Key: { [MEMBER_PK]: memberPk(memberId) },
          UpdateExpression: 'SET feedTokenHash = :h',
          ConditionExpression: `attribute_exists(${MEMBER_PK})`,
          ExpressionAttributeValues: { ':h': hash },
          ReturnValues: 'ALL_OLD',
        }),
      );
      const previous = Attributes?.feedTokenHash;
      if (previous && previous !== hash) await client.send(new DeleteCommand({ TableName: table, Key: { [MEMBER_PK]: `${FEED_TOKEN_ITEM_PREFIX}${previous}` } }));
      return token;
    },

    async memberIdForFeedToken(token) {
      if (!FEED_TOKEN.test(token)) return undefined;
      const item = await get(feedTokenPk(token));
      return item ? String(item.memberId) : undefined;
    },

    async memberIdForEmail(email) {
      const item = await get(`email#${sha256(normaliseEmail(email))}`);
      return item ? String(item.memberId) : undefined;
    },
  };
}

/** Turns of read-then-claim before findOrCreate gives up on an address others keep claiming. */
const CLAIM_ATTEMPTS = 6;
/** A requested name is kept a day longer than the confirmation link lives (14 days). */
const REQUESTED_NAME_TTL_SECONDS = 15 * 24 * 3600;

/**
 * The member and its address claim, written in one transaction: both or neither, so no member
 * is ever unreachable by its address and no claim names a member that is not there.
 */
function memberAndClaim(table: string, record: MemberRecord, emailKey: string) {
  return [
    { Put: { TableName: table, Item: { [MEMBER_PK]: memberPk(record.memberId), ...record }, ConditionExpression: `attribute_not_exists(${MEMBER_PK})` } },
    {
      Put: {
        TableName: table,
        Item: { [MEMBER_PK]: emailKey, memberId: record.memberId },
        ConditionExpression: `attribute_not_exists(${MEMBER_PK}) OR memberId = :m`,
        ExpressionAttributeValues: { ':m': record.memberId },
      },
    },
  ];
}
