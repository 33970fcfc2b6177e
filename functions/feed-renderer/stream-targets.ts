/**
 * Which feeds a batch of stream records asks to render. The records are keys only (both
 * streams are KEYS_ONLY): the read-model table's (`pk` and `sk`) and the member directory's
 * (`pk` alone), told apart by the sort key. Each target remembers the records that asked for
 * it, so a target that fails fails those records (and they are delivered again).
 *
 * - `series#S / schedule`: S's public feed, and the personal feed of everyone on S's roster;
 * - `member#M / registrations`: M's personal feed;
 * - `roster#S#shard / member#M`: M's personal feed, and (when S has sessions with a capacity, where
 *   one member's registration moves others' seats) everyone on S's roster;
 * - directory `member#M` written: M's personal feed (a feed token given or rotated);
 * - directory `feed#H` written: the feed of the member H names; removed: H's object goes.
 */
import type { DynamoDBRecord } from 'aws-lambda';
import { FEED_TOKEN_ITEM_PREFIX, MEMBER_ITEM_PREFIX } from '../tables.js';
import { readModelOfKey } from '../read-models/keys.js';

export interface FeedTargets {
  readonly series: Map<string, string[]>;
  /** Series whose roster members' feeds are all rendered (`always`), or only if the series has capacity-limited sessions. */
  readonly rosters: Map<string, { always: boolean; records: string[] }>;
  readonly members: Map<string, string[]>;
  /** Token hashes whose member must be looked up and rendered. */
  readonly tokens: Map<string, string[]>;
  /** Token hashes no longer valid: their objects go. */
  readonly forgotten: Map<string, string[]>;
}

const add = (map: Map<string, string[]>, key: string, record: string) => {
  const list = map.get(key);
  if (list) list.push(record);
  else map.set(key, [record]);
};

export function feedTargets(records: readonly DynamoDBRecord[]): FeedTargets {
  const targets: FeedTargets = { series: new Map(), rosters: new Map(), members: new Map(), tokens: new Map(), forgotten: new Map() };
  const roster = (seriesId: string, always: boolean, record: string) => {
    const have = targets.rosters.get(seriesId);
    if (have) {
      have.always ||= always;
      have.records.push(record);
    } else targets.rosters.set(seriesId, { always, records: [record] });
  };
  for (const record of records) {
    const id = record.dynamodb?.SequenceNumber ?? record.eventID ?? '';
    const pk = record.dynamodb?.Keys?.pk?.S;
    const sk = record.dynamodb?.Keys?.sk?.S;
    if (!pk) continue;
    if (sk !== undefined) {
      // The read-model table.
      const model = readModelOfKey({ pk, sk });
      if (model?.kind === 'schedule') {
        add(targets.series, model.seriesId, id);
        roster(model.seriesId, true, id);
      } else if (model?.kind === 'registrations') {
        add(targets.members, model.memberId, id);
      } else if (model?.kind === 'roster') {
        add(targets.members, model.memberId, id);
        roster(model.seriesId, false, id);
      }
      continue;
    }
    // The member directory.
    if (pk.startsWith(MEMBER_ITEM_PREFIX) && record.eventName !== 'REMOVE') {
      add(targets.members, pk.slice(MEMBER_ITEM_PREFIX.length), id);
    } else if (pk.startsWith(FEED_TOKEN_ITEM_PREFIX)) {
      const hash = pk.slice(FEED_TOKEN_ITEM_PREFIX.length);
      add(record.eventName === 'REMOVE' ? targets.forgotten : targets.tokens, hash, id);
    }
  }
  return targets;
}
