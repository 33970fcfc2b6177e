import { describe, expect, it } from 'vitest';
import type { RosterEntry } from '../../events/projections/member-registrations.js';
import { seatsFor } from '../../events/projections/seats.js';

const entry = (memberId: string, confirmedAt: string, extra: Partial<RosterEntry> = {}): RosterEntry => ({
  memberId,
  seriesId: 's',
  active: true,
  confirmedAt,
  sessions: 'all',
  declined: [],
  language: 'en',
  timeZone: 'UTC',
  mailAllowed: true,
  ...extra,
});

describe('seats', () => {
  const roster = [entry('c', '2027-01-01T00:00:03Z'), entry('a', '2027-01-01T00:00:01Z'), entry('b', '2027-01-01T00:00:02Z'), entry('d', '2027-01-01T00:00:02Z')];

  it('seats in confirmation order up to capacity, ties by member id, the rest wait in order', () => {
    expect(seatsFor({ sessionId: 'x', capacity: 2 }, roster)).toEqual({ capacity: 2, seated: ['a', 'b'], waitlist: ['d', 'c'] });
  });

  it('leaves out cancelled registrations and sessions a member declined or did not choose', () => {
    const mixed = [...roster, entry('e', '2027-01-01T00:00:00Z', { active: false }), entry('f', '2027-01-01T00:00:00Z', { declined: ['x'] }), entry('g', '2027-01-01T00:00:00Z', { sessions: ['y'] })];
    expect(seatsFor({ sessionId: 'x', capacity: 10 }, mixed).seated).toEqual(['a', 'b', 'd', 'c']);
  });

  it('seats everyone when the session has no capacity', () => {
    expect(seatsFor({ sessionId: 'x' }, roster)).toEqual({ seated: ['a', 'b', 'd', 'c'], waitlist: [] });
  });
});
