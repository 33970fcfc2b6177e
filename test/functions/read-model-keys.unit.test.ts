/**
 * Read models written once per registration are spread over shards (functions/read-models/
 * keys.ts): the shard of an id never changes, ids spread evenly, and what the projector writes
 * for a registration lands in one of the shards the readers query.
 */
import { describe, expect, it } from 'vitest';
import { memberStreamId } from '../../events/member/index.js';
import type { ConveneEvent } from '../../events/registry.js';
import type { RecordedEvent } from '../../events/shared/event.js';
import { streamDocuments } from '../../functions/projector/project-stream.js';
import { MAIL_QUEUE_PKS, MAIL_QUEUE_SHARDS, ROSTER_SHARDS, TIMETABLE_PKS, customOffsetsKey, mailQueueKey, memberRegistrationsKey, readModelOfKey, rosterKey, rosterPks, scheduleKey, shardOf, timetableKey } from '../../functions/read-models/keys.js';

describe('read-model shards', () => {
  it('puts an id in the same shard every time, whatever the runtime (FNV-1a)', () => {
    expect(shardOf('', 32)).toBe(0x811c9dc5 % 32);
    expect(shardOf('a', 1 << 30)).toBe(0xe40c292c % (1 << 30));
    expect(shardOf('member-6592e9aa-df6c-41cb-8cef-a8f339f43c71', ROSTER_SHARDS)).toBe(shardOf('member-6592e9aa-df6c-41cb-8cef-a8f339f43c71', ROSTER_SHARDS));
  });

  it('spreads 100,000 member ids evenly: no roster or mail-queue shard takes 10% more than its share', () => {
    for (const shards of [ROSTER_SHARDS, MAIL_QUEUE_SHARDS]) {
      const counts = new Array<number>(shards).fill(0);
      for (let i = 0; i < 100_000; i++) counts[shardOf(crypto.randomUUID(), shards)]!++;
      expect(Math.max(...counts) / (100_000 / shards)).toBeLessThan(1.1);
    }
  });

  it("writes a registration's roster entry and mail-queue item into shards the readers query", () => {
    const memberId = crypto.randomUUID();
    const requested = {
      type: 'RegistrationRequested',
      data: { memberId, seriesId: 'care-2027', registrationId: 'r1', requestId: 'q1', sessions: 'all', language: 'en', timeZone: 'Asia/Kolkata', source: 'self-service' },
      metadata: { eventId: 'e1', streamId: memberStreamId(memberId), version: 1, schemaVersion: 1, recordedAt: '2027-03-01T09:00:00.000Z', actor: { kind: 'member', id: memberId }, correlationId: 'c', causationId: 'c' },
    } as unknown as RecordedEvent<ConveneEvent>;
    const pks = streamDocuments([requested]).map((d) => d.key.pk);
    expect(pks.filter((pk) => pk.startsWith('roster#'))).toEqual([expect.toBeOneOf(rosterPks('care-2027'))]);
    expect(pks.filter((pk) => pk.startsWith('mail-queue'))).toEqual([expect.toBeOneOf(MAIL_QUEUE_PKS)]);
    expect(rosterPks('care-2027')).toHaveLength(ROSTER_SHARDS);
    expect(TIMETABLE_PKS).toContain(timetableKey('care-2027').pk);
  });
});

describe('which read model a key is (what the feed renderer reads off the stream)', () => {
  it('reads back the schedule, registrations and roster keys the projector writes, sharded rosters included', () => {
    const seriesId = 'care-economy-2027';
    expect(readModelOfKey(scheduleKey(seriesId))).toEqual({ kind: 'schedule', seriesId });
    expect(readModelOfKey(memberRegistrationsKey('m-1'))).toEqual({ kind: 'registrations', memberId: 'm-1' });
    for (let i = 0; i < 200; i++) {
      const memberId = `member-${i}`;
      expect(readModelOfKey(rosterKey(seriesId, memberId))).toEqual({ kind: 'roster', seriesId, memberId });
    }
  });

  it('is none of them for the dispatcher\'s and other documents', () => {
    for (const key of [timetableKey('s'), mailQueueKey('member-1'), customOffsetsKey('s', 'm'), { pk: 'roster#s', sk: 'member#m' }, { pk: 'series#s', sk: 'other' }]) {
      expect(readModelOfKey(key), JSON.stringify(key)).toBeUndefined();
    }
  });
});
