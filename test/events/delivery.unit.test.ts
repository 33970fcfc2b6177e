import { Duration } from 'luxon';
import { describe, expect, it } from 'vitest';
import { inviteRank, nextInvite, type InviteMessage, type InviteSession } from '../../events/delivery/invites.js';
import {
  dueReminders,
  offsetToSay,
  reminderSlots,
  ZONE_SLACK_MS,
  type ReminderMember,
  type ReminderSeries,
  type ReminderSession,
  type ReminderSlot,
} from '../../events/delivery/reminders.js';

// ---------------------------------------------------------------------------------------------
// Calendar invitations
// ---------------------------------------------------------------------------------------------

const BEFORE_END = '2027-03-10T12:00:00.000Z';
const session = (sequence: number, status: InviteSession['status'] = 'scheduled'): InviteSession => ({
  status,
  sequence,
  endsAt: '2027-03-14T20:30:00.000Z',
});
const request = (sequence: number, basis = sequence): InviteMessage => ({ method: 'REQUEST', sequence, basis });
const cancel = (sequence: number, basis = sequence): InviteMessage => ({ method: 'CANCEL', sequence, basis });

describe('calendar invitations', () => {
  it('ranks by SEQUENCE first, a CANCEL just above the REQUEST of the same SEQUENCE', () => {
    expect([request(0), cancel(0), request(1), cancel(1), request(4), cancel(4)].map(inviteRank)).toEqual([0, 1, 2, 3, 8, 9]);
  });

  it('a registered member first gets a REQUEST at the SEQUENCE the feeds carry', () => {
    expect(nextInvite({ session: session(0), wanted: true, now: BEFORE_END })).toEqual(request(0));
    expect(nextInvite({ session: session(3), wanted: true, now: BEFORE_END })).toEqual(request(3));
  });

  it('sends nothing when the same REQUEST already went out', () => {
    expect(nextInvite({ session: session(2), wanted: true, sent: request(2), now: BEFORE_END })).toBeUndefined();
  });

  it('a dispatcher with an older view of the session sends nothing over a newer REQUEST', () => {
    expect(nextInvite({ session: session(1), wanted: true, sent: request(2), now: BEFORE_END })).toBeUndefined();
  });

  it('a change to the session sends a REQUEST at its higher SEQUENCE', () => {
    expect(nextInvite({ session: session(3), wanted: true, sent: request(2), now: BEFORE_END })).toEqual(request(3));
  });

  it('cancelling a session after its REQUEST sends a CANCEL at the cancelled session’s SEQUENCE', () => {
    // Cancelling bumps the SEQUENCE (2 -> 3): the CANCEL carries the feed's SEQUENCE.
    expect(nextInvite({ session: session(3, 'cancelled'), wanted: true, sent: request(2), now: BEFORE_END })).toEqual(cancel(3));
    expect(nextInvite({ session: session(3, 'cancelled'), wanted: false, sent: request(2), now: BEFORE_END })).toEqual(cancel(3));
  });

  it('sends nothing for a session cancelled before anything was sent', () => {
    expect(nextInvite({ session: session(1, 'cancelled'), wanted: true, now: BEFORE_END })).toBeUndefined();
    expect(nextInvite({ session: session(1, 'cancelled'), wanted: false, now: BEFORE_END })).toBeUndefined();
  });

  it('sends nothing to a member who is not wanted and never got a REQUEST', () => {
    expect(nextInvite({ session: session(2), wanted: false, now: BEFORE_END })).toBeUndefined();
  });

  it('a member who leaves gets a CANCEL one above the REQUEST they had, once', () => {
    expect(nextInvite({ session: session(2), wanted: false, sent: request(2), now: BEFORE_END })).toEqual(cancel(3, 2));
    expect(nextInvite({ session: session(2), wanted: false, sent: cancel(3, 2), now: BEFORE_END })).toBeUndefined();
  });

  it('a member who comes back after a CANCEL gets a REQUEST above the CANCEL, not a stale one', () => {
    const back = nextInvite({ session: session(2), wanted: true, sent: cancel(3, 2), now: BEFORE_END });
    expect(back).toEqual(request(4, 2));
    expect(inviteRank(back!)).toBeGreaterThan(inviteRank(cancel(3)));
    // Once that REQUEST is out, the same view asks for nothing more.
    expect(nextInvite({ session: session(2), wanted: true, sent: request(4, 2), now: BEFORE_END })).toBeUndefined();
  });

  it('after coming back, each later change of the session still sends a REQUEST, above the last', () => {
    // REQUEST 4 was made from the session at SEQUENCE 2; it moves to 3, then to 4.
    expect(nextInvite({ session: session(3), wanted: true, sent: request(4, 2), now: BEFORE_END })).toEqual(request(5, 3));
    expect(nextInvite({ session: session(4), wanted: true, sent: request(5, 3), now: BEFORE_END })).toEqual(request(6, 4));
    expect(nextInvite({ session: session(5), wanted: true, sent: request(6, 4), now: BEFORE_END })).toEqual(request(7, 5));
    expect(nextInvite({ session: session(5), wanted: true, sent: request(7, 5), now: BEFORE_END })).toBeUndefined();
  });

  it('a member who comes back after the session moved past the CANCEL gets the session’s SEQUENCE', () => {
    expect(nextInvite({ session: session(6), wanted: true, sent: cancel(3), now: BEFORE_END })).toEqual(request(6));
  });

  it('sends nothing once the session has ended, whatever changed', () => {
    const ended = '2027-03-14T20:30:00.000Z';
    const later = '2027-03-15T00:00:00.000Z';
    expect(nextInvite({ session: session(0), wanted: true, now: ended })).toBeUndefined();
    expect(nextInvite({ session: session(4), wanted: true, sent: request(2), now: ended })).toBeUndefined();
    expect(nextInvite({ session: session(3, 'cancelled'), wanted: true, sent: request(2), now: later })).toBeUndefined();
    expect(nextInvite({ session: session(2), wanted: false, sent: request(2), now: later })).toBeUndefined();
    // One millisecond before the end it is still updated.
    expect(nextInvite({ session: session(4), wanted: true, sent: request(2), now: '2027-03-14T20:29:59.999Z' })).toEqual(request(4));
  });

  it('a scripted story sends exactly the expected messages, each ranked above the last', () => {
    type Step = { readonly change?: 'session' | 'leave' | 'join' | 'cancel' | 'end'; readonly expect: InviteMessage | undefined };
    const story: Step[] = [
      { expect: request(0) },
      { expect: undefined },
      { change: 'session', expect: request(1) },
      { change: 'session', expect: request(2) },
      { change: 'leave', expect: cancel(3, 2) },
      { expect: undefined },
      { change: 'session', expect: undefined }, // not in their calendar: nothing to update
      { change: 'join', expect: request(4, 3) }, // feed at 3, CANCEL at 3: above it
      { expect: undefined },
      { change: 'leave', expect: cancel(5, 3) },
      { change: 'join', expect: request(6, 3) },
      { change: 'cancel', expect: cancel(7, 4) }, // feed at 4, REQUEST at 6: above it
      { expect: undefined },
      { change: 'end', expect: undefined },
    ];
    let current = session(0);
    let wanted = true;
    let now = BEFORE_END;
    let sent: InviteMessage | undefined;
    const actual: (InviteMessage | undefined)[] = [];
    for (const step of story) {
      if (step.change === 'session') current = { ...current, sequence: current.sequence + 1 };
      if (step.change === 'cancel') current = { ...current, status: 'cancelled', sequence: current.sequence + 1 };
      if (step.change === 'leave') wanted = false;
      if (step.change === 'join') wanted = true;
      if (step.change === 'end') now = current.endsAt;
      const message = nextInvite({ session: current, wanted, now, ...(sent ? { sent } : {}) });
      actual.push(message);
      if (message) {
        if (sent) expect(inviteRank(message)).toBeGreaterThan(inviteRank(sent));
        sent = message;
      }
    }
    expect(actual).toEqual(story.map((step) => step.expect));
  });

  it('over many generated stories every message outranks the last, and a sent message is not asked for again', () => {
    // A small deterministic PRNG (mulberry32), so a failure is reproducible.
    const random = (seed: number) => () => {
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    for (let seed = 1; seed <= 200; seed++) {
      const next = random(seed);
      let current = session(Math.floor(next() * 3));
      let wanted = next() < 0.7;
      let sent: InviteMessage | undefined;
      for (let step = 0; step < 30; step++) {
        const roll = next();
        if (roll < 0.3 && current.status === 'scheduled') current = { ...current, sequence: current.sequence + 1 };
        else if (roll < 0.6) wanted = !wanted;
        else if (roll < 0.65 && current.status === 'scheduled') current = { ...current, status: 'cancelled', sequence: current.sequence + 1 };
        const message = nextInvite({ session: current, wanted, now: BEFORE_END, ...(sent ? { sent } : {}) });
        if (message) {
          if (sent) expect(inviteRank(message), `seed ${seed} step ${step}`).toBeGreaterThan(inviteRank(sent));
          // A CANCEL only ever follows a REQUEST.
          if (message.method === 'CANCEL') expect(sent?.method, `seed ${seed} step ${step}`).toBe('REQUEST');
          // Never behind the feed.
          expect(message.sequence, `seed ${seed} step ${step}`).toBeGreaterThanOrEqual(current.sequence);
          sent = message;
        }
        // Reconciled: asking again with the same view sends nothing.
        expect(nextInvite({ session: current, wanted, now: BEFORE_END, ...(sent ? { sent } : {}) }), `seed ${seed} step ${step}`).toBeUndefined();
        // And the calendar holds what it should: a REQUEST while wanted in a scheduled session,
        // else a CANCEL (or nothing was ever sent).
        if (wanted && current.status === 'scheduled') expect(sent?.method, `seed ${seed} step ${step}`).toBe('REQUEST');
        else expect(sent === undefined || sent.method === 'CANCEL', `seed ${seed} step ${step}`).toBe(true);
      }
    }
  });
});

// ---------------------------------------------------------------------------------------------
// Reminders
// ---------------------------------------------------------------------------------------------

const NY = 'America/New_York';
const LONDON = 'Europe/London';
// 2027-03-14 is the day New York moves to EDT (02:00 -> 03:00); London stays on GMT until 28 March.
const START = '2027-03-14T19:00:00.000Z'; // 15:00 EDT, 19:00 GMT
const SET_EARLY = '2027-01-10T12:00:00.000Z';

const lectureSession = (overrides: Partial<ReminderSession> = {}): ReminderSession => ({
  sessionId: 's1',
  status: 'scheduled',
  startsAt: START,
  timingSetAt: SET_EARLY,
  ...overrides,
});
const lectures = (sessions: readonly ReminderSession[], reminderOffsets: readonly string[] = ['P7D', 'P1D', 'PT1H']): ReminderSeries => ({
  kind: 'lecture-series',
  timeZone: NY,
  reminderOffsets,
  sessions,
});
const member = (overrides: Partial<ReminderMember> = {}): ReminderMember => ({
  confirmedAt: '2027-01-15T09:00:00.000Z',
  timeZone: NY,
  attends: () => true,
  ...overrides,
});
const keyOf = (sessionId: string, startsAt: string, offset: string) => `session#${sessionId}#${startsAt}#${offset}`;
const keys = (slots: readonly ReminderSlot[]) => slots.map((slot) => slot.key);
const dues = (slots: readonly ReminderSlot[]) => slots.map((slot) => [slot.key, slot.dueAt]);

describe('reminder slots before a session', () => {
  it('P1D before a New York session on the DST day is the same wall-clock time the day before: 23 hours for New York', () => {
    const series = lectures([lectureSession()], ['P1D']);
    expect(reminderSlots(series, ['P1D'], NY)).toEqual([
      {
        key: keyOf('s1', START, 'P1D'),
        kind: 'before-session',
        sessionId: 's1',
        offset: 'P1D',
        group: 'session#s1',
        dueAt: '2027-03-13T20:00:00.000Z', // 15:00 EST
        until: START,
        armedAt: SET_EARLY,
      },
    ]);
    expect(dueReminders(series, member(), '2027-03-13T19:59:59.999Z')).toEqual([]);
    expect(dues(dueReminders(series, member(), '2027-03-13T20:00:00.000Z'))).toEqual([[keyOf('s1', START, 'P1D'), '2027-03-13T20:00:00.000Z']]);
  });

  it('the same P1D slot is due 24 hours before for a London member, under the same key', () => {
    const series = lectures([lectureSession()], ['P1D']);
    const london = member({ timeZone: LONDON });
    expect(dueReminders(series, london, '2027-03-13T18:59:59.999Z')).toEqual([]);
    expect(dues(dueReminders(series, london, '2027-03-13T19:00:00.000Z'))).toEqual([[keyOf('s1', START, 'P1D'), '2027-03-13T19:00:00.000Z']]);
    expect(reminderSlots(series, ['P1D'], LONDON)[0]?.key).toBe(reminderSlots(series, ['P1D'], NY)[0]?.key);
  });

  it('the three default offsets fall due at the expected instants in New York', () => {
    expect(dues(reminderSlots(lectures([lectureSession()]), ['P7D', 'P1D', 'PT1H'], NY))).toEqual([
      [keyOf('s1', START, 'P7D'), '2027-03-07T20:00:00.000Z'],
      [keyOf('s1', START, 'P1D'), '2027-03-13T20:00:00.000Z'],
      [keyOf('s1', START, 'PT1H'), '2027-03-14T18:00:00.000Z'],
    ]);
  });

  it('PT1H is exactly one hour, even across the DST change (03:30 EDT -> 01:30 EST)', () => {
    const early = '2027-03-14T07:30:00.000Z'; // 03:30 EDT, just after the clocks went forward
    const series = lectures([lectureSession({ startsAt: early })], ['PT1H']);
    for (const zone of [NY, LONDON, 'Asia/Kolkata']) {
      expect(reminderSlots(series, ['PT1H'], zone).map((slot) => slot.dueAt)).toEqual(['2027-03-14T06:30:00.000Z']);
    }
  });

  it('P1W and P7D are both seven days at the same wall-clock time', () => {
    const start = '2027-03-17T19:00:00.000Z'; // Wednesday 15:00 EDT
    const series = lectures([lectureSession({ startsAt: start })], ['P1W', 'P7D']);
    expect(dues(reminderSlots(series, ['P1W', 'P7D'], NY))).toEqual([
      [keyOf('s1', start, 'P1W'), '2027-03-10T20:00:00.000Z'], // Wednesday 15:00 EST
      [keyOf('s1', start, 'P7D'), '2027-03-10T20:00:00.000Z'],
    ]);
  });

  it('a repeated offset gives one slot', () => {
    expect(keys(reminderSlots(lectures([lectureSession()]), ['P1D', 'P1D'], NY))).toEqual([keyOf('s1', START, 'P1D')]);
  });

  it('a cancelled session has no slots and reminds nobody', () => {
    const series = lectures([lectureSession({ status: 'cancelled' })]);
    expect(reminderSlots(series, ['P7D', 'P1D', 'PT1H'], NY)).toEqual([]);
    expect(dueReminders(series, member(), '2027-03-14T18:30:00.000Z')).toEqual([]);
  });

  it('the slots of a rescheduled session have new keys, none of the old ones', () => {
    const before = reminderSlots(lectures([lectureSession({ startsAt: '2027-03-20T19:00:00.000Z' })]), ['P7D', 'P1D', 'PT1H'], NY);
    const after = reminderSlots(lectures([lectureSession({ timingSetAt: '2027-03-12T12:00:00.000Z' })]), ['P7D', 'P1D', 'PT1H'], NY);
    expect(keys(after)).toEqual([keyOf('s1', START, 'P7D'), keyOf('s1', START, 'P1D'), keyOf('s1', START, 'PT1H')]);
    expect(keys(before)).toEqual([
      keyOf('s1', '2027-03-20T19:00:00.000Z', 'P7D'),
      keyOf('s1', '2027-03-20T19:00:00.000Z', 'P1D'),
      keyOf('s1', '2027-03-20T19:00:00.000Z', 'PT1H'),
    ]);
    expect(keys(after).filter((key) => keys(before).includes(key))).toEqual([]);
  });
});

describe('zone slack', () => {
  it('is three hours', () => {
    expect(ZONE_SLACK_MS).toBe(10_800_000);
  });

  it('bounds how far a slot’s due instant moves between members’ zones, across DST changes', () => {
    const zones = ['UTC', NY, LONDON, 'Australia/Lord_Howe', 'Antarctica/Troll', 'Pacific/Chatham', 'America/Santiago', 'Asia/Kolkata', 'Pacific/Kiritimati'];
    // Sessions just after DST changes in New York, Europe (and Troll's 2-hour jump), Lord Howe and Santiago.
    const starts = ['2027-03-14T19:00:00.000Z', '2027-03-28T12:00:00.000Z', '2027-10-03T12:00:00.000Z', '2027-04-04T12:00:00.000Z', '2027-11-07T19:00:00.000Z'];
    const offsets = ['P1D', 'P2D', 'P1W', 'P14D', 'P90D', 'PT1H', 'PT90M', 'P1DT12H'];
    const series = lectures(starts.map((startsAt, i) => lectureSession({ sessionId: `s${i}`, startsAt })), offsets);
    const home = new Map(reminderSlots(series, offsets, NY).map((slot) => [slot.key, Date.parse(slot.dueAt)]));
    let widest = 0;
    for (const zone of zones) {
      for (const slot of reminderSlots(series, offsets, zone)) {
        widest = Math.max(widest, Math.abs(Date.parse(slot.dueAt) - home.get(slot.key)!));
      }
    }
    // The widest is Antarctica/Troll's two-hour jump to CEST on 28 March (P1D of the session that day).
    expect(widest).toBe(2 * 3600_000);
    expect(widest).toBeLessThanOrEqual(ZONE_SLACK_MS);
  });
});

describe('reminders due to a member', () => {
  it('an unconfirmed member gets nothing', () => {
    expect(dueReminders(lectures([lectureSession()]), member({ confirmedAt: undefined }), '2027-03-14T18:00:00.000Z')).toEqual([]);
  });

  it('the member’s own offsets replace the series’', () => {
    const mine = member({ reminderOffsets: ['PT2H'] });
    expect(dueReminders(lectures([lectureSession()]), mine, '2027-03-14T16:59:59.999Z')).toEqual([]);
    expect(dues(dueReminders(lectures([lectureSession()]), mine, '2027-03-14T17:00:00.000Z'))).toEqual([[keyOf('s1', START, 'PT2H'), '2027-03-14T17:00:00.000Z']]);
  });

  it('each slot is due from its instant on, one at a time when the dispatcher keeps up', () => {
    const series = lectures([lectureSession()]);
    expect(dueReminders(series, member(), '2027-03-07T19:59:59.999Z')).toEqual([]);
    expect(keys(dueReminders(series, member(), '2027-03-07T20:00:00.000Z'))).toEqual([keyOf('s1', START, 'P7D')]);
    expect(keys(dueReminders(series, member(), '2027-03-13T20:00:00.000Z'))).toEqual([keyOf('s1', START, 'P1D')]);
    expect(keys(dueReminders(series, member(), '2027-03-14T18:00:00.000Z'))).toEqual([keyOf('s1', START, 'PT1H')]);
  });

  it('a late registrant gets only the slots still ahead of their confirmation', () => {
    const series = lectures([lectureSession()]);
    const late = member({ confirmedAt: '2027-03-10T00:00:00.000Z' }); // after P7D was due, before P1D
    expect(dueReminders(series, late, '2027-03-10T00:00:00.000Z')).toEqual([]);
    expect(dueReminders(series, late, '2027-03-13T19:59:59.999Z')).toEqual([]);
    expect(dues(dueReminders(series, late, '2027-03-13T20:00:00.000Z'))).toEqual([[keyOf('s1', START, 'P1D'), '2027-03-13T20:00:00.000Z']]);
    expect(dues(dueReminders(series, late, '2027-03-14T18:00:00.000Z'))).toEqual([[keyOf('s1', START, 'PT1H'), '2027-03-14T18:00:00.000Z']]);
  });

  it('a session rescheduled after a slot’s due time does not send that slot; the new slots still ahead are sent', () => {
    // Moved on 12 March from the 20th to the 14th: its new P7D (due 7 March) fell before the move.
    const series = lectures([lectureSession({ timingSetAt: '2027-03-12T12:00:00.000Z' })]);
    expect(dueReminders(series, member(), '2027-03-12T12:00:00.000Z')).toEqual([]);
    expect(dueReminders(series, member(), '2027-03-13T19:59:59.999Z')).toEqual([]);
    expect(dues(dueReminders(series, member(), '2027-03-13T20:00:00.000Z'))).toEqual([[keyOf('s1', START, 'P1D'), '2027-03-13T20:00:00.000Z']]);
    expect(dues(dueReminders(series, member(), '2027-03-14T18:00:00.000Z'))).toEqual([[keyOf('s1', START, 'PT1H'), '2027-03-14T18:00:00.000Z']]);
  });

  it('when P7D, P1D and PT1H are all overdue only PT1H, the latest of the group, is due', () => {
    const series = lectures([lectureSession()]);
    expect(dues(dueReminders(series, member(), '2027-03-14T18:30:00.000Z'))).toEqual([[keyOf('s1', START, 'PT1H'), '2027-03-14T18:00:00.000Z']]);
    expect(dues(dueReminders(series, member(), '2027-03-13T23:00:00.000Z'))).toEqual([[keyOf('s1', START, 'P1D'), '2027-03-13T20:00:00.000Z']]);
  });

  it('the latest-of-group rule is per session: two sessions each get their own', () => {
    const second = '2027-03-14T21:00:00.000Z';
    const series = lectures([lectureSession(), lectureSession({ sessionId: 's2', startsAt: second })]);
    expect(dues(dueReminders(series, member(), '2027-03-14T18:30:00.000Z'))).toEqual([
      [keyOf('s2', second, 'P1D'), '2027-03-13T22:00:00.000Z'],
      [keyOf('s1', START, 'PT1H'), '2027-03-14T18:00:00.000Z'],
    ]);
  });

  it('nothing at or after the start of the session', () => {
    const series = lectures([lectureSession()]);
    expect(keys(dueReminders(series, member(), '2027-03-14T18:59:59.999Z'))).toEqual([keyOf('s1', START, 'PT1H')]);
    expect(dueReminders(series, member(), START)).toEqual([]);
    expect(dueReminders(series, member(), '2027-03-14T19:30:00.000Z')).toEqual([]);
  });

  it('a member not attending a session gets nothing for it, but still gets the sessions they attend', () => {
    const second = '2027-03-14T21:00:00.000Z';
    const series = lectures([lectureSession(), lectureSession({ sessionId: 's2', startsAt: second })]);
    const asked: string[] = [];
    const onlyS2 = member({ attends: (sessionId) => (asked.push(sessionId), sessionId === 's2') });
    expect(dues(dueReminders(series, onlyS2, '2027-03-14T18:30:00.000Z'))).toEqual([[keyOf('s2', second, 'P1D'), '2027-03-13T22:00:00.000Z']]);
    expect(asked).toContain('s1');
    expect(dueReminders(series, member({ attends: () => false }), '2027-03-14T18:30:00.000Z')).toEqual([]);
  });
});

describe('dialogue window reminders', () => {
  const dialogue: ReminderSeries = {
    kind: 'virtual-dialogue',
    timeZone: NY,
    reminderOffsets: ['P1D', 'P1W', 'PT1H'],
    window: { opens: '2027-04-24', closes: '2027-05-14' },
    sessions: [],
  };
  const CLOSE = '2027-05-15T04:00:00.000Z'; // end of 14 May in New York (EDT)
  const pick = (slots: readonly ReminderSlot[]) => slots.map(({ key, kind, offset, group, dueAt, until }) => ({ key, kind, offset, group, dueAt, until }));

  it('opens at the start of the first day and closes N whole days before the end of the last, in the series’ zone', () => {
    const expected = [
      { key: 'opens#2027-04-24', kind: 'dialogue-opens', offset: undefined, group: 'opens', dueAt: '2027-04-24T04:00:00.000Z', until: CLOSE },
      { key: 'closes#2027-05-14#P1D', kind: 'dialogue-closes', offset: 'P1D', group: 'closes', dueAt: '2027-05-14T04:00:00.000Z', until: CLOSE },
      { key: 'closes#2027-05-14#P7D', kind: 'dialogue-closes', offset: 'P7D', group: 'closes', dueAt: '2027-05-08T04:00:00.000Z', until: CLOSE },
    ];
    // PT1H is not a whole number of days: no closing slot for it. The member's zone does not matter.
    expect(pick(reminderSlots(dialogue, ['P1D', 'P1W', 'PT1H'], NY))).toEqual(expected);
    expect(pick(reminderSlots(dialogue, ['P1D', 'P1W', 'PT1H'], 'Asia/Tokyo'))).toEqual(expected);
  });

  it('hour offsets give no closing slot at all', () => {
    expect(keys(reminderSlots(dialogue, ['PT1H', 'PT12H', 'P1DT2H'], NY))).toEqual(['opens#2027-04-24']);
  });

  it('a closing offset reaching back to the opening gives no slot', () => {
    expect(keys(reminderSlots(dialogue, ['P21D', 'P20D'], NY))).toEqual(['opens#2027-04-24', 'closes#2027-05-14#P20D']);
  });

  it('reminds a member of the opening and the closing, the latest closing only, until the close', () => {
    const tokyo = member({ timeZone: 'Asia/Tokyo', confirmedAt: '2027-04-01T00:00:00.000Z' });
    expect(dueReminders(dialogue, tokyo, '2027-04-24T03:59:59.999Z')).toEqual([]);
    expect(dues(dueReminders(dialogue, tokyo, '2027-04-24T04:00:00.000Z'))).toEqual([['opens#2027-04-24', '2027-04-24T04:00:00.000Z']]);
    expect(dues(dueReminders(dialogue, tokyo, '2027-05-08T04:00:00.000Z'))).toEqual([
      ['opens#2027-04-24', '2027-04-24T04:00:00.000Z'],
      ['closes#2027-05-14#P7D', '2027-05-08T04:00:00.000Z'],
    ]);
    expect(dues(dueReminders(dialogue, tokyo, '2027-05-15T03:59:59.999Z'))).toEqual([
      ['opens#2027-04-24', '2027-04-24T04:00:00.000Z'],
      ['closes#2027-05-14#P1D', '2027-05-14T04:00:00.000Z'],
    ]);
    expect(dueReminders(dialogue, tokyo, CLOSE)).toEqual([]);
  });

  it('a member who registers after the opening gets only the closing reminders', () => {
    const late = member({ confirmedAt: '2027-05-01T00:00:00.000Z' });
    expect(dueReminders(dialogue, late, '2027-05-01T00:00:00.000Z')).toEqual([]);
    expect(dues(dueReminders(dialogue, late, '2027-05-08T04:00:00.000Z'))).toEqual([['closes#2027-05-14#P7D', '2027-05-08T04:00:00.000Z']]);
  });
});

describe('what a reminder says is left', () => {
  const nySlots = reminderSlots(lectures([lectureSession()]), ['P7D', 'P1D', 'PT1H'], NY);
  const londonSlots = reminderSlots(lectures([lectureSession()]), ['P7D'], LONDON);
  const slot = (slots: readonly ReminderSlot[], offset: string) => slots.find((s) => s.offset === offset)!;

  it('says its own offset when sent on time or up to 15 minutes late', () => {
    expect(offsetToSay(slot(nySlots, 'P1D'), '2027-03-13T20:00:00.000Z')).toBe('P1D');
    expect(offsetToSay(slot(nySlots, 'P1D'), '2027-03-13T20:15:00.000Z')).toBe('P1D');
    expect(offsetToSay(slot(nySlots, 'PT1H'), '2027-03-14T18:15:00.000Z')).toBe('PT1H');
    expect(offsetToSay(slot(nySlots, 'P7D'), '2027-03-07T20:10:00.000Z')).toBe('P7D');
  });

  it('says the time really left once more than 15 minutes late', () => {
    expect(offsetToSay(slot(nySlots, 'PT1H'), '2027-03-14T18:30:00.000Z')).toBe('PT30M');
    expect(offsetToSay(slot(nySlots, 'PT1H'), '2027-03-14T18:16:00.000Z')).toBe('PT45M'); // 44 min, in steps of 5
    expect(offsetToSay(slot(nySlots, 'P1D'), '2027-03-13T20:20:00.000Z')).toBe('PT22H40M'); // a 23-hour "day"
  });

  it('P7D sent five days late says two days (or days and hours, as computed)', () => {
    expect(offsetToSay(slot(londonSlots, 'P7D'), '2027-03-12T19:00:00.000Z')).toBe('P2D');
    // In New York the week before held an hour more, the same five days late leaves 47 hours.
    expect(offsetToSay(slot(nySlots, 'P7D'), '2027-03-12T20:00:00.000Z')).toBe('P1DT23H');
    expect(offsetToSay(slot(londonSlots, 'P7D'), '2027-03-11T16:00:00.000Z')).toBe('P3DT3H');
  });

  it('says nothing for a slot without an offset (a dialogue opening)', () => {
    expect(offsetToSay({ dueAt: '2027-04-24T04:00:00.000Z', until: '2027-05-15T04:00:00.000Z' }, '2027-04-30T00:00:00.000Z')).toBeUndefined();
  });

  it('never says a zero duration, however late', () => {
    const said = new Set<string>();
    for (const s of [slot(nySlots, 'PT1H'), slot(nySlots, 'P1D'), slot(londonSlots, 'P7D')]) {
      for (let at = Date.parse(s.dueAt); at <= Date.parse(s.until) + 3600_000; at += s.offset === 'P7D' ? 300_000 : 60_000) {
        const text = offsetToSay(s, new Date(at).toISOString())!;
        said.add(text);
        expect(text, new Date(at).toISOString()).toMatch(/^P(?:\d+D(?:T\d+H)?|T(?:\d+H)?(?:\d+M)?)$/);
        expect(Duration.fromISO(text).isValid, text).toBe(true);
        expect(Duration.fromISO(text).toMillis(), text).toBeGreaterThan(0);
      }
    }
    expect(said.has('PT5M')).toBe(true);
    expect(offsetToSay(slot(nySlots, 'PT1H'), START)).toBe('PT5M');
    expect(offsetToSay(slot(nySlots, 'PT1H'), '2027-03-14T18:59:00.000Z')).toBe('PT5M');
  });
});
