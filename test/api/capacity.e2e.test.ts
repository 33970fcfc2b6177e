/**
 * A registration storm on one session: 200 concurrent registrations for 50 seats. Exactly 50
 * seated, 150 waiting in the order they were confirmed, none lost, none twice; a cancellation
 * or a larger capacity promotes the first in line; nobody waiting finds the session in their feed.
 */
import ICAL from 'ical.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { memberDecider, memberStreamId } from '../../events/member/index.js';
import type { MemberRegistrations } from '../../events/projections/member-registrations.js';
import { handleCommand } from '../../functions/commands/command-handler.js';
import { memberRegistrationsKey } from '../../functions/read-models/keys.js';
import { useTestApi } from '../support/api.js';
import { careRequest } from '../support/seed-requests.js';

const api = useTestApi();
let seriesId = '';
let sessionId = '';
const registrants = Array.from({ length: 200 }, (_, i) => ({ email: `storm-${i}-${crypto.randomUUID().slice(0, 6)}@example.org`, name: `Member ${i}`, language: 'en', timeZone: 'Asia/Kolkata' }));

const roster = async () => (await api.request('GET', `/admin/series/${seriesId}/sessions/${sessionId}/registrations`)).body as {
  capacity: number;
  seated: { memberId: string; email: string }[];
  waitlist: { memberId: string; position: number }[];
};

beforeAll(async () => {
  seriesId = (await api.request('POST', '/admin/series', { body: careRequest })).body.id;
  sessionId = (await api.request('POST', `/admin/series/${seriesId}/sessions`, { body: { title: { en: 'Popular lecture' }, start: '2027-05-23T15:00', durationMinutes: 90, capacity: 50 } })).body.sessionId;
});

describe('200 concurrent registrations for 50 seats', () => {
  it('seats exactly 50 and queues 150 in confirmation order, losing and doubling nobody', async () => {
    const responses = await Promise.all(
      registrants.map((member) => api.request('POST', `/admin/series/${seriesId}/registrations`, { body: { members: [member], sessions: [sessionId] } })),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(200).fill(200));
    const memberIds = responses.map((r) => r.body.members[0].memberId as string);
    expect(new Set(memberIds).size).toBe(200);
    await api.settle();

    const { capacity, seated, waitlist } = await roster();
    expect(capacity).toBe(50);
    expect(seated).toHaveLength(50);
    expect(waitlist).toHaveLength(150);
    expect(waitlist.map((w) => w.position)).toEqual(Array.from({ length: 150 }, (_, i) => i + 1));
    const everyone = [...seated, ...waitlist].map((m) => m.memberId);
    expect(new Set(everyone)).toEqual(new Set(memberIds));
    expect(everyone).toHaveLength(200);

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
    expect(after.seated).toHaveLength(50);
    expect(after.seated.map((m) => m.memberId)).toContain(before.waitlist[0]!.memberId);
    expect(after.seated.map((m) => m.memberId)).not.toContain(leaving);
    expect(after.waitlist[0]!.memberId).toBe(before.waitlist[1]!.memberId);
  });

  it('a larger capacity seats the next ten in line', async () => {
    const before = await roster();
    const patch = await api.request('PATCH', `/admin/series/${seriesId}/sessions/${sessionId}`, { body: { capacity: 60 } });
    expect(patch.status).toBe(200);
    await api.settle();
    const after = await roster();
    expect(after.seated).toHaveLength(60);
    expect(after.seated.slice(50).map((m) => m.memberId)).toEqual(before.waitlist.slice(0, 10).map((m) => m.memberId));
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
