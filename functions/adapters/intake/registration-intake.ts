/**
 * The registration intake table (infra/tables.ts `intakeTable`): a member's request as sent,
 * kept until the intake (functions/intake/) has taken it from the table's stream. The API
 * writes one item per request, the same single PutItem whoever the address belongs to, so
 * neither the answer nor its time tells who is registered; everything that depends on the
 * address (its member, the name kept, the event) happens after the answer.
 */
import { DeleteCommand, GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import { INTAKE_EXPIRES_AT, INTAKE_PK } from '../../tables.js';
import { Email, Id, LanguageTag, ReminderOffset, SingleLine, TimeZone, UtcInstant } from '../../../events/shared/values.js';

/** Which sessions a registration is for: all of the series', or a list. */
export const RequestedSessions = z.union([z.literal('all'), z.array(Id).min(1).max(500)]);
/** Who registers: the fields of a registration, as the API's bodies take them and the intake reads them back. */
export const RegistrantFields = { email: Email, name: SingleLine(200), language: LanguageTag, timeZone: TimeZone };

/** What a member asked, checked at the door (the API's RegisterBody, with these fields) and again when taken. */
export const RegistrationRequest = z.strictObject({
  requestId: Id,
  seriesId: Id,
  ...RegistrantFields,
  sessions: RequestedSessions,
  /** Reminder offsets asked for: the member's once they confirm (events/member/decide.ts). */
  reminderOffsets: z.array(ReminderOffset).max(10).optional(),
  requestedAt: UtcInstant,
  /** The HTTP request it came with, to follow it through the logs. */
  correlationId: z.string().max(200),
});
export type RegistrationRequest = z.infer<typeof RegistrationRequest>;

/** An item the intake cannot read (written by another version, or by hand): set aside, never retried. */
export class UnreadableRequestError extends Error {
  override readonly name = 'UnreadableRequestError';
  constructor(
    readonly key: string,
    readonly reason: string,
  ) {
    super(`intake item ${key} cannot be read: ${reason}`);
  }
}

export interface RegistrationIntake {
  /** Keeps the request for the intake; answers once it is stored. */
  accept(request: RegistrationRequest): Promise<void>;
  /** The request an item holds, by the item's key (as the stream names it); undefined once taken. */
  read(key: string): Promise<RegistrationRequest | undefined>;
  /** The request is taken: its item (an address and a name) goes. */
  taken(requestId: string): Promise<void>;
}

/** An item expires a day after the request, taken or not. */
export const INTAKE_KEEP_SECONDS = 24 * 3600;

export const intakeKey = (requestId: string) => `request#${requestId}`;

export function createRegistrationIntake(client: DynamoDBDocumentClient, table: string): RegistrationIntake {
  return {
    async accept(request) {
      await client.send(
        new PutCommand({
          TableName: table,
          Item: { [INTAKE_PK]: intakeKey(request.requestId), ...request, [INTAKE_EXPIRES_AT]: Math.floor(Date.parse(request.requestedAt) / 1000) + INTAKE_KEEP_SECONDS },
          // A request id is new for each request: never overwrite one.
          ConditionExpression: 'attribute_not_exists(#pk)',
          ExpressionAttributeNames: { '#pk': INTAKE_PK },
        }),
      );
    },
    async read(key) {
      const { Item } = await client.send(new GetCommand({ TableName: table, Key: { [INTAKE_PK]: key }, ConsistentRead: true }));
      return Item ? requestFromItem(Item) : undefined;
    },
    async taken(requestId) {
      await client.send(new DeleteCommand({ TableName: table, Key: { [INTAKE_PK]: intakeKey(requestId) } }));
    },
  };
}

/** The request an intake item holds. */
export function requestFromItem(item: Record<string, unknown>): RegistrationRequest {
  const key = typeof item[INTAKE_PK] === 'string' ? (item[INTAKE_PK] as string) : '?';
  const { [INTAKE_PK]: _pk, [INTAKE_EXPIRES_AT]: _expires, ...rest } = item;
  const parsed = RegistrationRequest.safeParse(rest);
  if (!parsed.success) throw new UnreadableRequestError(key, parsed.error.issues.map((i) => `${i.path.join('.') || 'item'}: ${i.message}`).join('; '));
  if (key !== intakeKey(parsed.data.requestId)) throw new UnreadableRequestError(key, 'the key does not name its request');
  return parsed.data;
}
