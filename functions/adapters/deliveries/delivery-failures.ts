/**
 * Mail that could not be sent, kept on the delivery-ledger item it is about (functions/tables.ts
 * `deliveryTable`): what failed, why, when first and last, how often, and what the mail was
 * made from (`basis`). An item with a failure carries `failureSeries`, so the sparse index
 * `DELIVERY_FAILURES_INDEX` lists a series' failures for its organisers; a send that succeeds
 * later removes the failure (delivery-ledger.ts `record`).
 *
 * Only this module and the ledger know these attribute names.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
// A namespace import: esbuild then keeps only the parts of zod in use (not its 64 locales).
import * as z from 'zod';
import { DELIVERY_FAILURES_INDEX, DELIVERY_FAILURE_SERIES, DELIVERY_FAILURE_SORT } from '../../tables.js';
import { definedOnly } from '../../../events/shared/objects.js';
import { queryAll } from '../dynamodb-pages.js';

/**
 * Why a mail was not sent:
 * - `not-composed`: no mail could be made of the data (a join link the composer refuses, say);
 * - `no-address`: the member has no record in the directory, or no usable address;
 * - `suppressed`: the address bounced or complained; SES is not asked again;
 * - `refused`: SES refused this one message (MessageRejected);
 * - `ledger-unreadable`: the ledger item does not say what was sent, so nothing is sent over it;
 * - `send-failed`: SES could not be reached or failed; tried again on the next tick;
 * - `sending-paused`: SES refused every send for now (account or configuration set paused,
 *   sender not verified); the tick stops sending and the next one tries again.
 */
export const FAILURE_CODES = ['not-composed', 'no-address', 'suppressed', 'refused', 'ledger-unreadable', 'send-failed', 'sending-paused'] as const;
export type FailureCode = (typeof FAILURE_CODES)[number];

/**
 * When a failed mail is tried again:
 * - `after-change`: once what it is made of changed (the organiser fixed the link, the member's
 *   record or registration changed); until then it is held, not tried each tick;
 * - `next-tick`: on the next tick, as SES may be back;
 * - `never`: not while the reason holds (a suppressed address).
 */
export type FailureRetry = 'after-change' | 'next-tick' | 'never';

export const RETRY_OF: Readonly<Record<FailureCode, FailureRetry>> = {
  'not-composed': 'after-change',
  'no-address': 'after-change',
  suppressed: 'never',
  refused: 'after-change',
  'ledger-unreadable': 'never',
  'send-failed': 'next-tick',
  'sending-paused': 'next-tick',
};

export const MAIL_KINDS = ['invite', 'reminder', 'recording', 'confirmation', 'change', 'welcome', 'certificate', 'manage-link'] as const;
export type MailKind = (typeof MAIL_KINDS)[number];

/** One failure as it is written: who and what it is about, and why. */
export interface FailureNote {
  readonly code: FailureCode;
  /** What went wrong, for an organiser: never the member's address. */
  readonly reason: string;
  readonly kind: MailKind;
  /** The series it is about; empty for mail about no series (a manage link), which is then not listed. */
  readonly seriesId: string;
  readonly memberId: string;
  readonly sessionId?: string;
  /** The reminder slot or recording announcement (`session#…#P1D`, `recording#…`). */
  readonly slot?: string;
  /** What the mail was made from; a held failure is tried again once this differs. */
  readonly basis: string;
  readonly at: Date;
}

/** A failure as stored: the note, with when it first happened and how often. */
export interface DeliveryFailure extends Omit<FailureNote, 'at'> {
  readonly retry: FailureRetry;
  readonly firstAt: string;
  readonly lastAt: string;
  readonly attempts: number;
}

const StoredFailure = z.object({
  code: z.enum(FAILURE_CODES),
  reason: z.string(),
  kind: z.enum(MAIL_KINDS),
  seriesId: z.string(),
  memberId: z.string(),
  sessionId: z.string().optional(),
  slot: z.string().optional(),
  basis: z.string(),
  lastAt: z.string(),
});

/** The failure an item carries, or undefined (none, or one that does not parse: it is written anew). */
export function failureOf(item: Record<string, unknown>): DeliveryFailure | undefined {
  if (item.failure === undefined) return undefined;
  const parsed = StoredFailure.safeParse(item.failure);
  if (!parsed.success) return undefined;
  const attempts = Number(item.failureAttempts);
  return {
    ...parsed.data,
    retry: RETRY_OF[parsed.data.code],
    firstAt: typeof item.failureFirstAt === 'string' ? item.failureFirstAt : parsed.data.lastAt,
    attempts: Number.isInteger(attempts) && attempts > 0 ? attempts : 1,
  };
}

/** The UpdateItem parts that set a failure on an item (and count it). */
export function setFailure(note: FailureNote): { set: string; names: Record<string, string>; values: Record<string, unknown> } {
  const { at, ...rest } = note;
  const lastAt = at.toISOString();
  const counted = 'failure = :failure, failureFirstAt = if_not_exists(failureFirstAt, :fat), failureAttempts = if_not_exists(failureAttempts, :fzero) + :fone';
  const values = { ':failure': { ...definedOnly(rest), lastAt }, ':fat': lastAt, ':fzero': 0, ':fone': 1 };
  // Mail about no series is kept on its item but not listed (an index key cannot be empty).
  if (!note.seriesId) return { set: counted, names: {}, values };
  return {
    set: `${counted}, #fseries = :fseries, #fsort = :fsort`,
    names: { '#fseries': DELIVERY_FAILURE_SERIES, '#fsort': DELIVERY_FAILURE_SORT },
    values: {
      ...values,
      ':fseries': note.seriesId,
      // Newest first when the index is read backwards; the rest makes it unique per item.
      ':fsort': `${lastAt}#${note.kind}#${note.memberId}#${note.sessionId ?? ''}#${note.slot ?? ''}`,
    },
  };
}

/** The attributes a successful send removes. */
export const FAILURE_ATTRIBUTES = `failure, #fseries, #fsort, failureFirstAt, failureAttempts`;
export const FAILURE_NAMES = { '#fseries': DELIVERY_FAILURE_SERIES, '#fsort': DELIVERY_FAILURE_SORT };

export interface FailureReader {
  /** A series' failed mail, newest first. */
  failuresOf(seriesId: string): Promise<DeliveryFailure[]>;
}

export function createFailureReader(client: DynamoDBDocumentClient, table: string): FailureReader {
  return {
    async failuresOf(seriesId) {
      const items = await queryAll(client, {
        TableName: table,
        IndexName: DELIVERY_FAILURES_INDEX,
        KeyConditionExpression: '#s = :s',
        ExpressionAttributeNames: { '#s': DELIVERY_FAILURE_SERIES },
        ExpressionAttributeValues: { ':s': seriesId },
        ScanIndexForward: false,
      });
      return items.flatMap((item) => failureOf(item) ?? []);
    },
  };
}
