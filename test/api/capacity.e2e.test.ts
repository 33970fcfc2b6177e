/**
 * A registration storm on one session: 60 concurrent registrations for 15 seats. Exactly 15
 * seated, 45 waiting in the order they were confirmed, none lost, none twice; a cancellation
 * or a larger capacity promotes the first in line; nobody waiting finds the session in their feed.
 */
import ICAL from 'ical.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { memberDecider, memberStreamId } from '../../events/member/index.js';
import type { MemberRegistrations } from '../../events/projections/member-registrations.js';
import { handleCommand } from '../../functions/commands/command-handler.js';
import { memberRegistrationsKey } from '../../functions/read-models/keys.js';
import { useTestApi } from '../support/api.js';
import { mapLimited } from '../../functions/map-limited.js';
import { careRequest } from '../support/seed-requests.js';

const api = useTestApi();
let seriesId = '';
let sessionId = '';
// 60, not 200: the race for the seats is the same, and 200 admin registrations took 10 s on
// their own on the 2-core CI machine and over 30 s under the rest of the suite (a CI run timed
// out): each is a few DynamoDB Local transactions, which it serialises.
const registrants = Array.from({ length: 60 }, (_, i) => ({ email: `storm-${i}-${crypto.randomUUID().slice(0, 6)}@example.org`, name: `Member ${i}`, language: 'en', timeZone: 'Asia/Kolkata' }));

const roster = async () => (await api.request('GET', `/admin/series/${seriesId}/sessions/${sessionId}/registrations`)).body as {
  capacity: number;
  seated: { memberId: string; email: string }[];
  waitlist: { memberId: string; position: number }[];
};

beforeAll(async () => {
  seriesId = (await api.request('POST', '/admin/series', { body: careRequest })).body.id;
  sessionId = (await api.request('POST', `/admin/series/${seriesId}/sessions`, { body: { title: { en: 'Popular lecture' }, start: '2027-05-23T15:00', durationMinutes: 90, capacity: 15 } })).body.sessionId;
});

describe('60 concurrent registrations for 15 seats', () => {
  it('seats exactly 15 and queues 45 in confirmation order, losing and doubling nobody', async () => {
    // 20 in flight at a time: still racing for the seats, without thrashing DynamoDB Local's
    // transaction lock (each conflict there is an SDK retry after a back-off).
    const responses = await mapLimited(registrants, 20, (member) => api.request('POST', `/admin/series/${seriesId}/registrations`, { body: { members: [member], sessions: [sessionId] } }));
    expect(responses.map((r) => r.status)).toEqual(Array(60).fill(200));
    const memberIds = responses.map((r) => r.body.members[0].memberId as string);
    expect(new Set(memberIds).size).toBe(60);
    await api.settle();

    const { capacity, seated, waitlist } = await roster();
    expect(capacity).toBe(15);
    expect(seated).toHaveLength(15);
    expect(waitlist).toHaveLength(45);
    expect(waitlist.map((w) => w.position)).toEqual(Array.from({ length: 45 }, (_, i) => i + 1));
    const everyone = [...seated, ...waitlist].map((m) => m.memberId);
    expect(new Set(everyone)).toEqual(new Set(memberIds));
    expect(everyone).toHaveLength(60);

    // In order: nobody waits who was confirmed before someone seated, and the queue is by confirmation time.
    const confirmedAt = async (memberId: string) =>
      (await api.readModels.get<MemberRegistrations>(memberRegistrationsKey(memberId)))!.doc.registrations[seriesId]!.confirmedAt!;
    const times = await Promise.all(everyone.map(confirmedAt));
    expect([...times].sort()).toEqual(times);
  });

  it('a cancellation promotes the first in line; nobody is ever over capacity', async () => {
    const before = await roster();
    const leaving = before.seated[0]!.memberId;
    await handleCommand({ store: api.store, decider: memberDecider, streamId: memberStreamId(leaving), command: { type: 'CancelRegistration', memberId: leaving, seriesId, sessions: 'all', cancelledBy: 'member' }, context: { actor: { kind: 'member', id: leaving }, correlationId: 'test' } });
    await api.settle();
    const after = await roster();
    expect(after.seated).toHaveLength(15);
    expect(after.seated.map((m) => m.memberId)).toContain(before.waitlist[0]!.memberId);
    expect(after.seated.map((m) => m.memberId)).not.toContain(leaving);
    expect(after.waitlist[0]!.memberId).toBe(before.waitlist[1]!.memberId);
  });

  it('a larger capacity seats the next ten in line', async () => {
    const before = await roster();
    const patch = await api.request('PATCH', `/admin/series/${seriesId}/sessions/${sessionId}`, { body: { capacity: 25 } });
    expect(patch.status).toBe(200);
    await api.settle();
    const after = await roster();
    expect(after.seated).toHaveLength(25);
    expect(after.seated.slice(15).map((m) => m.memberId)).toEqual(before.waitlist.slice(0, 10).map((m) => m.memberId));
  });

  it('a waiting member does not find the session in their feed; a seated one does', async () => {
    const { seated, waitlist } = await roster();
    const starts = async (memberId: string) => {
      const token = await api.members.rotateFeedToken(memberId);
      const feed = await api.request('GET', `/feeds/members/${token}.ics`, { token: null });
      expect(feed.status).toBe(200);
      return new ICAL.Component(ICAL.parse(feed.text)).getAllSubcomponents('vevent').length;
    };
    expect(await starts(seated[0]!.memberId)).toBe(1);
    expect(await starts(waitlist[0]!.memberId)).toBe(0);
  });
});
