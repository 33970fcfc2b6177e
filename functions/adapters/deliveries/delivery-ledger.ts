/**
 * The delivery ledger on DynamoDB (functions/tables.ts `deliveryTable`): one item per thing a
 * member can be sent (their invite state for a session, one reminder slot), claimed before a
 * send and recorded after it.
 *
 * - claim: a conditional update that takes a lease (owner, until) on the item, only if what it
 *   is about to send ranks above what the item says was sent, and nobody else holds a live
 *   lease. Two dispatchers cannot both win it.
 * - record: writes what was sent and drops the lease, only while the caller still holds it.
 * - release: drops the caller's lease without recording (nothing was sent): the next tick may
 *   claim the item again at once.
 * - fail: records why the caller's claimed mail was not sent (./delivery-failures.ts) and drops
 *   the lease; what was sent before stays as it was. `note` does the same for mail nobody
 *   claimed (a member with no address). A later successful `record` removes the failure.
 * A dispatcher that dies holding a lease leaves the item claimed until the lease runs out;
 * then another claims and sends it. That is the one window in which a mail can go twice: the
 * dead one had SES accept the mail but died before `record` (one DynamoDB write later).
 *
 * Claims and records made while others are in flight are grouped (./group-commit.ts) into one
 * TransactWriteItems each, the same conditional update per item: a fan-out of ten thousand
 * mails makes a few hundred ledger requests, not twenty thousand. Each caller still gets its
 * own item's answer. A transaction is all or nothing, so when DynamoDB cancels one, the items
 * whose condition failed are answered false and the others go again; what keeps conflicting is
 * settled one item at a time.
 */
import { TransactWriteCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DELIVERY_EXPIRES_AT, DELIVERY_PK, DELIVERY_SK } from '../../tables.js';
import { queryAll } from '../dynamodb-pages.js';
import * as z from 'zod';
import { groupCommit } from './group-commit.js';
import { isAwsError } from '../aws-errors.js';
import { FAILURE_ATTRIBUTES, FAILURE_NAMES, failureOf, setFailure, type DeliveryFailure, type FailureNote } from './delivery-failures.js';

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
  /** Why the last attempt failed, while it stands. */
  readonly failure?: DeliveryFailure;
  /**
   * The item says something was sent but not what (its send record does not parse): nothing
   * may be sent over it, as its rank is unknown. Says what is wrong with it.
   */
  readonly unreadable?: string;
  /**
   * Written by an earlier version for a mail it did not send (`not-composed:`/`rejected:` in
   * place of a message id, an empty detail): `sent` then holds the rank it meant to send.
   */
  readonly notSent?: string;
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
  /** Records why the caller's claimed mail was not sent and drops the lease; false if the lease was lost. */
  fail(key: LedgerKey, owner: string, note: FailureNote, expiresAt: Date): Promise<boolean>;
  /** Records why mail nobody claimed is not sent (no live lease on it); false if someone holds one. */
  note(key: LedgerKey, note: FailureNote, expiresAt: Date): Promise<boolean>;
}

export const ledgerKeys = {
  /** A member's invite state for a session. */
  invite: (seriesId: string, sessionId: string, memberId: string): LedgerKey => ({ pk: `invites#${seriesId}`, sk: `${sessionId}#${memberId}` }),
  invitesOf: (seriesId: string) => `invites#${seriesId}`,
  /** One member's reminder of one slot. */
  reminder: (seriesId: string, slotKey: string, memberId: string): LedgerKey => ({ pk: `reminders#${seriesId}#${slotKey}`, sk: memberId }),
  remindersOf: (seriesId: string, slotKey: string) => `reminders#${seriesId}#${slotKey}`,
  /**
   * Mail about a member's own registrations: `ask#<series>` (confirm a registration, or accept
   * a change: one item per series, so its rate limit holds across both), `welcome#<series>#<registration>`, `manage-link`.
   */
  memberMail: (memberId: string, what: string): LedgerKey => ({ pk: `member-mail#${memberId}`, sk: what }),
  memberMailOf: (memberId: string) => `member-mail#${memberId}`,
  /** A reminder slot every member was handled for. */
  slot: (seriesId: string, slotKey: string): LedgerKey => ({ pk: `slots#${seriesId}`, sk: slotKey }),
  slotsOf: (seriesId: string) => `slots#${seriesId}`,
};

const conditionFailed = (error: unknown) => isAwsError(error, 'ConditionalCheckFailedException');

/** The per-item reason codes of a cancelled transaction (`None` for an item that was fine), else undefined. */
function cancellationReasons(error: unknown): (string | undefined)[] | undefined {
  if (!(error instanceof Error) || error.name !== 'TransactionCanceledException') return undefined;
  const reasons = (error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons;
  return reasons ? reasons.map((r) => r.Code) : undefined;
}
const epochSeconds = (at: Date) => Math.floor(at.getTime() / 1000);

/** A conditional update of one item, as both UpdateItem and a transaction's Update take it. */
interface UpdateInput {
  readonly Key: Record<string, string>;
  readonly UpdateExpression: string;
  readonly ConditionExpression: string;
  readonly ExpressionAttributeNames?: Record<string, string>;
  readonly ExpressionAttributeValues: Record<string, unknown>;
}

/** Items per ledger transaction; DynamoDB takes up to 100. */
const GROUP_SIZE = 25;
/** Grouped ledger transactions running at once, per kind (claims, records). */
const GROUPS_IN_FLIGHT = 2;
/** Transactions tried for one group before what is left goes item by item. */
const GROUP_ATTEMPTS = 3;

export function createDeliveryLedger(client: DynamoDBDocumentClient, table: string): DeliveryLedger {
  const Key = (key: LedgerKey) => ({ [DELIVERY_PK]: key.pk, [DELIVERY_SK]: key.sk });
  const update = async (input: UpdateInput) => {
    try {
      await client.send(new UpdateCommand({ TableName: table, ...input }));
      return true;
    } catch (error) {
      if (conditionFailed(error)) return false;
      throw error;
    }
  };

  /** Each update applied if its condition holds: true or false per input, in order. */
  const updateAll = async (inputs: readonly UpdateInput[]): Promise<boolean[]> => {
    const applied = inputs.map(() => false);
    let pending = inputs.map((_, i) => i);
    for (let attempt = 1; attempt <= GROUP_ATTEMPTS && pending.length > 1; attempt++) {
      try {
        await client.send(new TransactWriteCommand({ TransactItems: pending.map((i) => ({ Update: { TableName: table, ...inputs[i]! } })) }));
        for (const i of pending) applied[i] = true;
        return applied;
      } catch (error) {
        const reasons = cancellationReasons(error);
        if (!reasons) throw error;
        // A failed condition is that item's answer; the rest were not applied and go again.
        pending = pending.filter((_, j) => reasons[j] !== 'ConditionalCheckFailed');
      }
    }
    await Promise.all(pending.map(async (i) => (applied[i] = await update(inputs[i]!))));
    return applied;
  };
  const grouped = () => groupCommit(updateAll, { maxBatch: GROUP_SIZE, inFlight: GROUPS_IN_FLIGHT, key: (input: UpdateInput) => JSON.stringify(input.Key) });
  const claimGroup = grouped();
  const recordGroup = grouped();

  return {
    claim: (key, rank, lease, expiresAt) =>
      claimGroup({
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
      recordGroup({
        Key: Key(key),
        UpdateExpression: `SET sentRank = :rank, messageId = :id, sentAt = :at, detail = :detail REMOVE leaseOwner, leaseUntil, pendingRank, ${FAILURE_ATTRIBUTES}`,
        ConditionExpression: 'leaseOwner = :owner AND pendingRank = :rank',
        ExpressionAttributeNames: FAILURE_NAMES,
        ExpressionAttributeValues: { ':owner': owner, ':rank': sent.rank, ':id': sent.messageId, ':at': sent.sentAt, ':detail': sent.detail ?? {} },
      }),

    fail(key, owner, failure, expiresAt) {
      const { set, names, values } = setFailure(failure);
      return update({
        Key: Key(key),
        UpdateExpression: `SET ${set}, #exp = if_not_exists(#exp, :exp) REMOVE leaseOwner, leaseUntil, pendingRank`,
        ConditionExpression: 'leaseOwner = :owner',
        ExpressionAttributeNames: { ...names, '#exp': DELIVERY_EXPIRES_AT },
        ExpressionAttributeValues: { ...values, ':owner': owner, ':exp': epochSeconds(expiresAt) },
      });
    },

    note(key, failure, expiresAt) {
      const { set, names, values } = setFailure(failure);
      return update({
        Key: Key(key),
        UpdateExpression: `SET ${set}, #exp = if_not_exists(#exp, :exp)`,
        ConditionExpression: 'attribute_not_exists(leaseUntil) OR leaseUntil <= :now',
        ExpressionAttributeNames: { ...names, '#exp': DELIVERY_EXPIRES_AT },
        ExpressionAttributeValues: { ...values, ':now': failure.at.getTime(), ':exp': epochSeconds(expiresAt) },
      });
    },

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
      return items.map(ledgerItem);
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

/** What a send record must hold; anything else on the item is not ours to read here. */
const StoredSend = z.object({
  sentRank: z.number().int().min(0),
  messageId: z.string().min(1),
  sentAt: z.string().min(1),
  detail: z.record(z.string(), z.union([z.string(), z.number().finite()])).optional(),
});

/** An item as stored, read with zod: a send record that does not parse is reported, not guessed. */
export function ledgerItem(item: Record<string, unknown>): LedgerItem {
  const sk = String(item[DELIVERY_SK]);
  const failure = failureOf(item);
  const withFailure = failure ? { failure } : {};
  if (item.sentRank === undefined && item.messageId === undefined) return { sk, ...withFailure };
  const parsed = StoredSend.safeParse(item);
  if (!parsed.success) return { sk, ...withFailure, unreadable: `its send record does not parse: ${z.prettifyError(parsed.error).replace(/\s+/g, ' ')}` };
  const { sentRank, messageId, sentAt, detail } = parsed.data;
  const sent: SentRecord = { rank: sentRank, messageId, sentAt, ...(detail ? { detail } : {}) };
  const legacy = /^(not-composed|rejected):/.exec(messageId);
  return { sk, sent, ...withFailure, ...(legacy ? { notSent: messageId.slice(0, 200) } : {}) };
}
