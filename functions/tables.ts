/**
 * Table definitions, declared once, on the handlers' side: the adapters in functions/ read and
 * write items with these key names, and the CDK stack (infra/stack/) and the local stack
 * (infra/local/) build their tables from them. Plain data only: no CDK or SDK imports here.
 */

export type KeyType = 'S' | 'N';

export interface KeyDefinition {
  readonly name: string;
  readonly type: KeyType;
}

export interface IndexDefinition {
  readonly name: string;
  readonly partitionKey: KeyDefinition;
  readonly sortKey?: KeyDefinition;
  /** Attributes copied into the index; keys only when absent. */
  readonly projection: 'KEYS_ONLY' | 'ALL';
}

export interface TableDefinition {
  /** Logical id in the CDK app and suffix of the local table name. */
  readonly id: string;
  readonly partitionKey: KeyDefinition;
  readonly sortKey?: KeyDefinition;
  /** DynamoDB Streams view type, when the table feeds a stream consumer. */
  readonly stream?: 'NEW_IMAGE' | 'NEW_AND_OLD_IMAGES' | 'KEYS_ONLY';
  /** Attribute holding an epoch-seconds expiry, when items expire. */
  readonly timeToLiveAttribute?: string;
  /** The table holds the system of record: protect and retain it. */
  readonly systemOfRecord: boolean;
  /** Environment variable through which handlers learn the table's name. */
  readonly envVar: string;
  /** Global secondary indexes. */
  readonly indexes?: readonly IndexDefinition[];
}

/** Key names of the event table: one item per event, keyed by stream and version. */
export const EVENT_STREAM_ID = 'streamId';
export const EVENT_VERSION = 'version';

/**
 * A sparse index of streams by category: only the first event of a stream in a listed
 * category (see LISTED_STREAM_CATEGORIES) carries these attributes, so the index holds one
 * small item per series. Member streams are not listed: a registration storm would make the
 * index partition hot.
 */
export const STREAM_CATEGORY = 'streamCategory';
export const STREAMS_BY_CATEGORY_INDEX = 'streamsByCategory';
export const LISTED_STREAM_CATEGORIES: readonly string[] = ['series'];

/** Key name and expiry attribute of the idempotency table. */
export const IDEMPOTENCY_KEY = 'idempotencyKey';
export const IDEMPOTENCY_EXPIRES_AT = 'expiresAt';

export const eventTable = {
  id: 'Events',
  partitionKey: { name: EVENT_STREAM_ID, type: 'S' },
  sortKey: { name: EVENT_VERSION, type: 'N' },
  stream: 'NEW_IMAGE',
  systemOfRecord: true,
  envVar: 'EVENT_TABLE_NAME',
  indexes: [
    {
      name: STREAMS_BY_CATEGORY_INDEX,
      partitionKey: { name: STREAM_CATEGORY, type: 'S' },
      sortKey: { name: EVENT_STREAM_ID, type: 'S' },
      projection: 'KEYS_ONLY',
    },
  ],
} as const satisfies TableDefinition;

export const idempotencyTable = {
  id: 'Idempotency',
  partitionKey: { name: IDEMPOTENCY_KEY, type: 'S' },
  timeToLiveAttribute: IDEMPOTENCY_EXPIRES_AT,
  systemOfRecord: false,
  envVar: 'IDEMPOTENCY_TABLE_NAME',
} as const satisfies TableDefinition;

/**
 * Key names of the read-model table: every projection (schedules, member registrations,
 * feeds) keeps items here under `pk`/`sk`, each stamped with the stream version it reflects.
 */
export const READ_MODEL_PK = 'pk';
export const READ_MODEL_SK = 'sk';
export const READ_MODEL_EXPIRES_AT = 'expiresAt';

export const readModelTable = {
  id: 'ReadModels',
  partitionKey: { name: READ_MODEL_PK, type: 'S' },
  sortKey: { name: READ_MODEL_SK, type: 'S' },
  timeToLiveAttribute: READ_MODEL_EXPIRES_AT,
  // Keys only: the feed renderer (functions/feed-renderer/) reads what changed from the table itself.
  stream: 'KEYS_ONLY',
  // Rebuilt from events at any time: not a system of record.
  systemOfRecord: false,
  envVar: 'READ_MODEL_TABLE_NAME',
} as const satisfies TableDefinition;

/**
 * The member directory: the personal data events never hold (email address, name) and the
 * secrets that identify a member (feed token hashes). Erasable item by item, so the event
 * log, which refers to members by id only, can be kept when a member asks to be forgotten.
 */
export const MEMBER_PK = 'pk';
/** Key prefixes of the directory's items: a member's (`member#<id>`) and a feed token's (`feed#<hash>`). */
export const MEMBER_ITEM_PREFIX = 'member#';
export const FEED_TOKEN_ITEM_PREFIX = 'feed#';
/** Only short-lived items carry it (a name given with a request, kept until its owner confirms). */
export const MEMBER_EXPIRES_AT = 'expiresAt';

export const membersTable = {
  id: 'Members',
  partitionKey: { name: MEMBER_PK, type: 'S' },
  // Keys only (token hashes, never an address or name): the feed renderer learns of feed tokens given and rotated.
  stream: 'KEYS_ONLY',
  timeToLiveAttribute: MEMBER_EXPIRES_AT,
  systemOfRecord: true,
  envVar: 'MEMBERS_TABLE_NAME',
} as const satisfies TableDefinition;

/**
 * The delivery ledger: what mail was claimed and sent to whom (invites per member and session,
 * reminders per member and reminder slot, slots finished). The dispatcher claims an item
 * before it sends and records the send on the same item after, so two dispatchers, a killed
 * one or a retried invocation send each mail once. Not rebuildable from events (it records
 * what left the system), so it is kept; items expire some time after their session.
 */
export const DELIVERY_PK = 'pk';
export const DELIVERY_SK = 'sk';
export const DELIVERY_EXPIRES_AT = 'expiresAt';

/**
 * A sparse index of the ledger items whose mail failed (functions/adapters/deliveries/
 * delivery-failures.ts): only such an item carries these attributes, so the index holds a
 * series' undeliverable mail and nothing else, newest first by its sort key.
 */
export const DELIVERY_FAILURE_SERIES = 'failureSeries';
export const DELIVERY_FAILURE_SORT = 'failureSort';
export const DELIVERY_FAILURES_INDEX = 'failuresBySeries';

export const deliveryTable = {
  id: 'Deliveries',
  partitionKey: { name: DELIVERY_PK, type: 'S' },
  sortKey: { name: DELIVERY_SK, type: 'S' },
  timeToLiveAttribute: DELIVERY_EXPIRES_AT,
  systemOfRecord: true,
  envVar: 'DELIVERY_TABLE_NAME',
  indexes: [
    {
      name: DELIVERY_FAILURES_INDEX,
      partitionKey: { name: DELIVERY_FAILURE_SERIES, type: 'S' },
      sortKey: { name: DELIVERY_FAILURE_SORT, type: 'S' },
      projection: 'ALL',
    },
  ],
} as const satisfies TableDefinition;

/**
 * Registration requests as members send them, before anything is decided: one item per
 * request, written by the API in a single PutItem whoever the address belongs to, taken from
 * the table's stream by the intake (functions/intake/) and deleted once taken. Holds an
 * address and a name, so items expire after a day even if never taken, and the stream carries
 * keys only (the intake reads the item; one already taken is gone).
 */
export const INTAKE_PK = 'pk';
export const INTAKE_EXPIRES_AT = 'expiresAt';

export const intakeTable = {
  id: 'Intake',
  partitionKey: { name: INTAKE_PK, type: 'S' },
  stream: 'KEYS_ONLY',
  timeToLiveAttribute: INTAKE_EXPIRES_AT,
  systemOfRecord: false,
  envVar: 'INTAKE_TABLE_NAME',
} as const satisfies TableDefinition;

/** Every table of the system, in creation order. */
export const tables: readonly TableDefinition[] = [eventTable, idempotencyTable, readModelTable, membersTable, deliveryTable, intakeTable];

/** Table names by definition id, as handlers receive them through their environment. */
export type TableNames = Record<string, string>;

/** Local table names: a prefix keeps test runs and `npm start` data apart. */
export function localTableNames(prefix = 'convene'): TableNames {
  return Object.fromEntries(tables.map((t) => [t.id, `${prefix}-${t.id.toLowerCase()}`]));
}

/** Environment variables that tell handlers where their tables are. */
export function tableEnvironment(names: TableNames): Record<string, string> {
  return Object.fromEntries(
    tables.map((t) => {
      const name = names[t.id];
      if (!name) throw new Error(`no table name for ${t.id}`);
      return [t.envVar, name];
    }),
  );
}
