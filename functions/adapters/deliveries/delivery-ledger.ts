/**
 * The delivery ledger on DynamoDB (infra/tables.ts `deliveryTable`): one item per thing a
 * member can be sent (their invite state for a session, one reminder slot), claimed before a
 * send and recorded after it.
 *
 * - claim: a conditional update that takes a lease (owner, until) on the item, only if what it
 *   is about to send ranks above what the item says was sent, and nobody else holds a live
 *   lease. Two dispatchers cannot both win it.
 * - record: writes what was sent and drops the lease, only while the caller still holds it.
 * - release: drops the caller's lease without recording (nothing was sent): the next tick may
 *   claim the item again at once.
 * A dispatcher that dies holding a lease leaves the item claimed until the lease runs out;
 * then another claims and sends it. That is the one window in which a mail can go twice: the
 * dead one had SES accept the mail but died before `record` (one DynamoDB write later).
 */
import { UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DELIVERY_EXPIRES_AT, DELIVERY_PK, DELIVERY_SK } from '../../../infra/tables.js';
import { queryAll } from '../dynamodb-pages.js';

export interface LedgerKey {
  readonly pk: string;
  readonly sk: string;
}

export interface SentRecord {
  /** Ranks grow with each message of one item (an invite's SEQUENCE, CANCEL above REQUEST). */
  readonly rank: number;
  readonly messageId: string;
  readonly sentAt: string;
  /** What was sent, for invites: `{method, sequence}`. */
  readonly detail?: Readonly<Record<string, string | number>>;
}

export interface LedgerItem {
  readonly sk: string;
  readonly sent?: SentRecord;
}

export interface Lease {
  readonly owner: string;
  readonly now: Date;
  readonly leaseMs: number;
}

export interface DeliveryLedger {
  /** Takes the item for sending `rank`; false if it was sent at that rank or above, or is leased by a live claim. */
  claim(key: LedgerKey, rank: number, lease: Lease, expiresAt: Date): Promise<boolean>;
  /** Records the send; false if the caller no longer held the lease (another took it over). */
  record(key: LedgerKey, owner: string, sent: SentRecord): Promise<boolean>;
  release(key: LedgerKey, owner: string): Promise<void>;
  /** Every item under one partition key, with what was sent. */
  items(pk: string): Promise<LedgerItem[]>;
  /** Marks an item done with no send (a finished reminder slot). Idempotent. */
  markDone(key: LedgerKey, at: Date, expiresAt: Date): Promise<void>;
}

export const ledgerKeys = {
  /** A member's invite state for a session. */
  invite: (seriesId: string, sessionId: string, memberId: string): LedgerKey => ({ pk: `invites#${seriesId}`, sk: `${sessionId}#${memberId}` }),
  invitesOf: (seriesId: string) => `invites#${seriesId}`,
  /** One member's reminder of one slot. */
  reminder: (seriesId: string, slotKey: string, memberId: string): LedgerKey => ({ pk: `reminders#${seriesId}#${slotKey}`, sk: memberId }),
  remindersOf: (seriesId: string, slotKey: string) => `reminders#${seriesId}#${slotKey}`,
  /** A reminder slot every member was handled for. */
  slot: (seriesId: string, slotKey: string): LedgerKey => ({ pk: `slots#${seriesId}`, sk: slotKey }),
  slotsOf: (seriesId: string) => `slots#${seriesId}`,
};

const conditionFailed = (error: unknown) => error instanceof Error && error.name === 'ConditionalCheckFailedException';
const epochSeconds = (at: Date) => Math.floor(at.getTime() / 1000);

export function createDeliveryLedger(client: DynamoDBDocumentClient, table: string): DeliveryLedger {
  const Key = (key: LedgerKey) => ({ [DELIVERY_PK]: key.pk, [DELIVERY_SK]: key.sk });
  const update = async (input: Omit<ConstructorParameters<typeof UpdateCommand>[0], 'TableName'>) => {
    try {
      await client.send(new UpdateCommand({ TableName: table, ...input }));
      return true;
    } catch (error) {
      if (conditionFailed(error)) return false;
      throw error;
    }
  };

  return {
    claim: (key, rank, lease, expiresAt) =>
      update({
        Key: Key(key),
        UpdateExpression: 'SET leaseOwner = :owner, leaseUntil = :until, pendingRank = :rank, #exp = :exp',
        ConditionExpression: '(attribute_not_exists(sentRank) OR sentRank < :rank) AND (attribute_not_exists(leaseUntil) OR leaseUntil <= :now)',
        ExpressionAttributeNames: { '#exp': DELIVERY_EXPIRES_AT },
        ExpressionAttributeValues: {
          ':owner': lease.owner,
          ':until': lease.now.getTime() + lease.leaseMs,
          ':now': lease.now.getTime(),
          ':rank': rank,
          ':exp': epochSeconds(expiresAt),
        },
      }),

    record: (key, owner, sent) =>
      update({
        Key: Key(key),
        UpdateExpression: 'SET sentRank = :rank, messageId = :id, sentAt = :at, detail = :detail REMOVE leaseOwner, leaseUntil, pendingRank',
        ConditionExpression: 'leaseOwner = :owner AND pendingRank = :rank',
        ExpressionAttributeValues: { ':owner': owner, ':rank': sent.rank, ':id': sent.messageId, ':at': sent.sentAt, ':detail': sent.detail ?? {} },
      }),

    async release(key, owner) {
      await update({
        Key: Key(key),
        UpdateExpression: 'REMOVE leaseOwner, leaseUntil, pendingRank',
        ConditionExpression: 'leaseOwner = :owner',
        ExpressionAttributeValues: { ':owner': owner },
      });
    },

    async items(pk) {
      const items = await queryAll(client, {
        TableName: table,
        KeyConditionExpression: '#pk = :pk',
        ExpressionAttributeNames: { '#pk': DELIVERY_PK },
        ExpressionAttributeValues: { ':pk': pk },
        ConsistentRead: true,
      });
      return items.map((item): LedgerItem => {
        const sk = String(item[DELIVERY_SK]);
        return item.sentRank === undefined
          ? { sk }
          : { sk, sent: { rank: Number(item.sentRank), messageId: String(item.messageId), sentAt: String(item.sentAt), detail: item.detail as SentRecord['detail'] } };
      });
    },

    async markDone(key, at, expiresAt) {
      await client.send(
        new UpdateCommand({
          TableName: table,
          Key: Key(key),
          UpdateExpression: 'SET sentRank = :rank, messageId = :none, sentAt = :at, #exp = :exp',
          ExpressionAttributeNames: { '#exp': DELIVERY_EXPIRES_AT },
          ExpressionAttributeValues: { ':rank': 1, ':none': '-', ':at': at.toISOString(), ':exp': epochSeconds(expiresAt) },
        }),
      );
    },
  };
}
