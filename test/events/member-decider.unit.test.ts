import { describe, expect, it } from 'vitest';
import { InvalidCommandError, fold } from '../../events/shared/decider.js';
import { NotFoundError } from '../../events/shared/errors.js';
import { covers, memberDecider, type MemberCommand, type MemberEvent } from '../../events/member/index.js';
import { specFor } from '../support/decider-spec.js';

const spec = specFor(memberDecider);
const member = { memberId: 'm1', seriesId: 'care-economy' };
const request = (overrides: Partial<Extract<MemberCommand, { type: 'RequestRegistration' }>> = {}): MemberCommand => ({
  type: 'RequestRegistration',
  ...member,
  registrationId: 'r1',
  sessions: 'all',
  language: 'es',
  timeZone: 'America/Guayaquil',
  source: 'self-service',
  ...overrides,
});
const requested: MemberEvent = {
  type: 'RegistrationRequested',
  data: { ...member, registrationId: 'r1', sessions: 'all', language: 'es', timeZone: 'America/Guayaquil', source: 'self-service', requestId: 'r1' },
};
const confirmed: MemberEvent = { type: 'RegistrationConfirmed', data: { ...member, registrationId: 'r1' } };

describe('reminders asked for with a request', () => {
  const withReminders = (reminderOffsets: string[]): MemberEvent => ({ type: 'RegistrationRequested', data: { ...(requested as Extract<MemberEvent, { type: 'RegistrationRequested' }>).data, reminderOffsets } });
  const askedFor = withReminders(['P1D', 'PT15M']);
  const preferred = (reminderOffsets: string[]): MemberEvent => ({ type: 'MemberPreferencesChanged', data: { memberId: 'm1', reminderOffsets } });

  it('travel with a self-service request, and are left out of an organiser’s registration', () => {
    spec().when(request({ reminderOffsets: ['P1D', 'PT15M'] })).then([askedFor]);
    expect(spec().when(request({ source: 'organiser', reminderOffsets: ['PT15M'] })).events().some((e) => JSON.stringify(e.data).includes('PT15M'))).toBe(false);
  });

  it('become the member’s preference only when the member confirms', () => {
    spec([askedFor]).when({ type: 'ConfirmRegistration', ...member, registrationId: 'r1' }).then([confirmed, preferred(['P1D', 'PT15M'])]);
    // Already the member's: confirming changes nothing more.
    spec([preferred(['P1D', 'PT15M']), askedFor]).when({ type: 'ConfirmRegistration', ...member, registrationId: 'r1' }).then([confirmed]);
    // None at all is a choice too.
    spec([withReminders([])]).when({ type: 'ConfirmRegistration', ...member, registrationId: 'r1' }).then([confirmed, preferred([])]);
    // A request without reminders leaves the member's preference alone.
    spec([preferred(['PT1H']), requested]).when({ type: 'ConfirmRegistration', ...member, registrationId: 'r1' }).then([confirmed]);
  });
});

describe('registering', () => {
  it('a self-service registration waits for confirmation (double opt-in)', () => {
    spec().when(request()).then([requested]);
  });

  it('an organiser registration is confirmed at once, in one append', () => {
    const events = spec().when(request({ source: 'organiser' })).events();
    expect(events.map((e) => e.type)).toEqual(['RegistrationRequested', 'RegistrationConfirmed']);
  });

  it('asking again for nothing new is only recorded: a pending registration may get its confirmation mail again', () => {
    spec([requested]).when(request({ registrationId: 'r2', requestId: 'q2' })).then([
      { type: 'RegistrationRequestRepeated', data: { ...member, registrationId: 'r1', requestId: 'q2' } },
    ]);
    spec([requested, confirmed]).when(request({ registrationId: 'r2', requestId: 'q3', sessions: ['lecture-1'] })).then([
      { type: 'RegistrationRequestRepeated', data: { ...member, registrationId: 'r1', requestId: 'q3' } },
    ]);
    const state = fold(memberDecider, [requested, confirmed, { type: 'RegistrationRequestRepeated', data: { ...member, registrationId: 'r1', requestId: 'q3' } }]);
    expect(state.registrations['care-economy']).toMatchObject({ status: 'confirmed', sessions: 'all', language: 'es' });
  });

  it('a request taken again (the same request id, redelivered by the intake) changes nothing and asks nothing', () => {
    const repeated: MemberEvent = { type: 'RegistrationRequestRepeated', data: { ...member, registrationId: 'r1', requestId: 'q2' } };
    const change: MemberEvent = { type: 'RegistrationChangeRequested', data: { ...member, registrationId: 'r1', requestId: 'q3', language: 'ar', timeZone: 'Asia/Hebron' } };
    spec([requested]).when(request({ registrationId: 'r9', requestId: 'r1' })).then([]);
    spec([requested, repeated]).when(request({ registrationId: 'r9', requestId: 'q2' })).then([]);
    spec([requested, confirmed, change]).when(request({ requestId: 'q3', language: 'ar', timeZone: 'Asia/Hebron' })).then([]);
    // A new request of the same member is still heard.
    spec([requested, repeated]).when(request({ registrationId: 'r9', requestId: 'q4' })).then([
      { type: 'RegistrationRequestRepeated', data: { ...member, registrationId: 'r1', requestId: 'q4' } },
    ]);
  });

  it("a request with the member's address never changes their registration: it asks them to accept the change", () => {
    const listed: MemberEvent = { ...requested, data: { ...requested.data, sessions: ['lecture-1'] } } as MemberEvent;
    const change: MemberEvent = {
      type: 'RegistrationChangeRequested',
      data: { ...member, registrationId: 'r1', requestId: 'q2', sessions: ['lecture-2'], language: 'ar', timeZone: 'Asia/Hebron' },
    };
    spec([listed, confirmed]).when(request({ requestId: 'q2', sessions: ['lecture-1', 'lecture-2'], language: 'ar', timeZone: 'Asia/Hebron' })).then([change]);
    // Until accepted, the registration is as the member left it.
    const state = fold(memberDecider, [listed, confirmed, change]);
    expect(state.registrations['care-economy']).toMatchObject({ sessions: ['lecture-1'], language: 'es', timeZone: 'America/Guayaquil', pendingChange: { requestId: 'q2' } });
    // Only another language or zone is a change too; the same again asks nothing.
    spec([requested, confirmed]).when(request({ requestId: 'q3', timeZone: 'Asia/Jerusalem' })).events().forEach((e) => expect(e.type).toBe('RegistrationChangeRequested'));
  });

  it('an accepted change applies; a change that is not the one waiting, or was replaced, is refused', () => {
    const change: MemberEvent = { type: 'RegistrationChangeRequested', data: { ...member, registrationId: 'r1', requestId: 'q2', language: 'ar', timeZone: 'Asia/Hebron' } };
    const accepted: MemberEvent = { type: 'RegistrationChangeAccepted', data: { ...member, registrationId: 'r1', requestId: 'q2' } };
    spec([requested, confirmed, change]).when({ type: 'AcceptRegistrationChange', ...member, requestId: 'q2' }).then([accepted]);
    expect(fold(memberDecider, [requested, confirmed, change, accepted]).registrations['care-economy']).toMatchObject({ language: 'ar', timeZone: 'Asia/Hebron', status: 'confirmed' });
    expect(fold(memberDecider, [requested, confirmed, change, accepted]).registrations['care-economy']!.pendingChange).toBeUndefined();
    const later: MemberEvent = { ...change, data: { ...change.data, requestId: 'q3' } } as MemberEvent;
    spec([requested, confirmed, change, later]).when({ type: 'AcceptRegistrationChange', ...member, requestId: 'q2' }).thenThrows(NotFoundError);
    spec([requested, confirmed, change, accepted]).when({ type: 'AcceptRegistrationChange', ...member, requestId: 'q2' }).thenThrows(NotFoundError);
    // Accepting a change of a pending registration confirms it: the link came to the address.
    spec([requested, change]).when({ type: 'AcceptRegistrationChange', ...member, requestId: 'q2' }).then([accepted, confirmed]);
  });

  it('an organiser registering a member again changes nothing the member decided', () => {
    const listed: MemberEvent = { ...requested, data: { ...requested.data, sessions: ['lecture-1'] } } as MemberEvent;
    spec([listed, confirmed]).when(request({ source: 'organiser', sessions: 'all', language: 'fr' })).thenNothing();
  });

  it('the member themselves (a signed link) adds sessions at once, keeping the registration confirmed, language and zone', () => {
    const listed: MemberEvent = { ...requested, data: { ...requested.data, sessions: ['lecture-1'] } } as MemberEvent;
    spec([listed, confirmed])
      .when(request({ source: 'member', requestId: 'q2', sessions: ['lecture-1', 'lecture-2'], language: 'fr' }))
      .then([{ type: 'RegistrationRequested', data: { ...requested.data, sessions: ['lecture-2'], source: 'member', requestId: 'q2' } } as MemberEvent, confirmed]);
  });

  it('refuses an unknown time zone or language tag, naming the field', () => {
    spec().when(request({ timeZone: 'Europe/Atlantis' })).thenThrows(InvalidCommandError, /IANA/, 'timeZone');
    spec().when(request({ language: '12' })).thenThrows(InvalidCommandError, /BCP 47/, 'language');
  });
});

describe('confirming', () => {
  it('confirms a pending registration once; a second click changes nothing', () => {
    spec([requested]).when({ type: 'ConfirmRegistration', ...member, registrationId: 'r1' }).then([confirmed]);
    spec([requested, confirmed]).when({ type: 'ConfirmRegistration', ...member, registrationId: 'r1' }).thenNothing();
  });

  it('refuses to confirm a registration that does not exist or was cancelled', () => {
    spec([requested]).when({ type: 'ConfirmRegistration', ...member, registrationId: 'forged' }).thenThrows(NotFoundError);
    const cancelled: MemberEvent = { type: 'RegistrationCancelled', data: { ...member, registrationId: 'r1', sessions: 'all', cancelledBy: 'member' } };
    spec([requested, cancelled]).when({ type: 'ConfirmRegistration', ...member, registrationId: 'r1' }).thenThrows(NotFoundError);
  });
});

describe('cancelling', () => {
  const cancelAll = { type: 'CancelRegistration', ...member, sessions: 'all', cancelledBy: 'member' } as const;

  it('cancels once; unregistering twice is harmless', () => {
    const cancelled = spec([requested, confirmed]).when(cancelAll).events();
    expect(cancelled).toEqual([{ type: 'RegistrationCancelled', data: { ...member, registrationId: 'r1', sessions: 'all', cancelledBy: 'member' } }]);
    spec([requested, confirmed, ...cancelled]).when(cancelAll).thenNothing();
  });

  it('cancelling one session of an "all" registration keeps the others', () => {
    const events = spec([requested, confirmed]).when({ ...cancelAll, sessions: ['lecture-2'] }).events();
    const state = fold(memberDecider, [requested, confirmed, ...events]);
    const registration = state.registrations['care-economy'];
    expect(covers(registration, 'lecture-2')).toBe(false);
    expect(covers(registration, 'lecture-1')).toBe(true);
  });

  it('cancelling every listed session cancels the registration', () => {
    const listed: MemberEvent = { ...requested, data: { ...requested.data, sessions: ['lecture-1'] } } as MemberEvent;
    const [event] = spec([listed, confirmed]).when({ ...cancelAll, sessions: ['lecture-1'] }).events();
    expect(event?.data).toMatchObject({ sessions: 'all' });
  });

  it('refuses to cancel a registration the member never had', () => {
    spec().when(cancelAll).thenThrows(NotFoundError);
  });

  it('with a registration named (an unregister link), cancels only that one: a link from an earlier registration cancels nothing', () => {
    const cancelled: MemberEvent = { type: 'RegistrationCancelled', data: { ...member, registrationId: 'r1', sessions: 'all', cancelledBy: 'member' } };
    const again: MemberEvent = { ...requested, data: { ...requested.data, registrationId: 'r2', requestId: 'r2' } } as MemberEvent;
    spec([requested, confirmed, cancelled, again]).when({ ...cancelAll, registrationId: 'r1' }).thenThrows(NotFoundError, /not the member's current one/);
    expect(spec([requested, confirmed, cancelled, again]).when({ ...cancelAll, registrationId: 'r2' }).events()).toHaveLength(1);
  });
});

describe('preferences and consent', () => {
  it('changes preferences field by field and unsubscribes once', () => {
    spec().when({ type: 'ChangePreferences', memberId: 'm1', language: 'fr', timeZone: undefined }).then([
      { type: 'MemberPreferencesChanged', data: { memberId: 'm1', language: 'fr' } },
    ]);
    const unsub: MemberEvent = { type: 'MemberUnsubscribed', data: { memberId: 'm1', seriesId: 'care-economy', via: 'one-click' } };
    spec().when({ type: 'Unsubscribe', memberId: 'm1', seriesId: 'care-economy', via: 'one-click' }).then([unsub]);
    spec([unsub]).when({ type: 'Unsubscribe', memberId: 'm1', seriesId: 'care-economy', via: 'link' }).thenNothing();
  });
});

describe('answers from the calendar app', () => {
  const ids = { memberId: 'm1', seriesId: 'care-economy' };
  const only = (sessions: string[]): MemberEvent => ({ type: 'RegistrationRequested', data: { ...ids, registrationId: 'r1', sessions, language: 'es', timeZone: 'America/Guayaquil', source: 'organiser', requestId: 'r1' } });
  const answer = (sessionId: string, answer: 'accepted' | 'tentative' | 'declined', answeredAt: string): MemberCommand => ({ type: 'AnswerInvitation', ...ids, sessionId, answer, answeredAt });
  const answered = (sessionId: string, answer: 'accepted' | 'tentative' | 'declined', answeredAt: string): MemberEvent => ({ type: 'InvitationAnswered', data: { ...ids, registrationId: 'r1', sessionId, answer, answeredAt, via: 'calendar' } });

  it('records a Yes and a Maybe, and changes nothing else', () => {
    spec([only(['s1', 's2']), confirmed]).when(answer('s1', 'accepted', '2027-02-01T10:00:00.000Z')).then([answered('s1', 'accepted', '2027-02-01T10:00:00.000Z')]);
    spec([only(['s1', 's2']), confirmed]).when(answer('s2', 'tentative', '2027-02-01T10:00:00.000Z')).then([answered('s2', 'tentative', '2027-02-01T10:00:00.000Z')]);
  });

  it('a No gives the session up (the whole registration when it was the only one)', () => {
    spec([only(['s1', 's2']), confirmed]).when(answer('s1', 'declined', '2027-02-01T10:00:00.000Z')).then([
      answered('s1', 'declined', '2027-02-01T10:00:00.000Z'),
      { type: 'RegistrationCancelled', data: { ...ids, registrationId: 'r1', sessions: ['s1'], cancelledBy: 'member' } },
    ]);
    spec([only(['s1']), confirmed]).when(answer('s1', 'declined', '2027-02-01T10:00:00.000Z')).then([
      answered('s1', 'declined', '2027-02-01T10:00:00.000Z'),
      { type: 'RegistrationCancelled', data: { ...ids, registrationId: 'r1', sessions: 'all', cancelledBy: 'member' } },
    ]);
    // Out of an "all" registration, only that session.
    spec([requested, confirmed]).when(answer('s1', 'declined', '2027-02-01T10:00:00.000Z')).then([
      answered('s1', 'declined', '2027-02-01T10:00:00.000Z'),
      { type: 'RegistrationCancelled', data: { ...ids, registrationId: 'r1', sessions: ['s1'], cancelledBy: 'member' } },
    ]);
  });

  it('orders answers by the REPLY’s DTSTAMP: the same reply again, or an older one late, appends nothing', () => {
    const yes = answered('s1', 'accepted', '2027-02-01T10:00:00.000Z');
    spec([only(['s1', 's2']), confirmed, yes]).when(answer('s1', 'accepted', '2027-02-01T10:00:00.000Z')).then([]);
    spec([only(['s1', 's2']), confirmed, yes]).when(answer('s1', 'declined', '2027-02-01T09:00:00.000Z')).then([]);
    expect(spec([only(['s1', 's2']), confirmed, yes]).when(answer('s1', 'tentative', '2027-02-01T11:00:00.000Z')).events()).toEqual([answered('s1', 'tentative', '2027-02-01T11:00:00.000Z')]);
  });

  it('a Yes after a No takes the session again (at the back of the queue); without a registration it is refused', () => {
    const no = answered('s1', 'declined', '2027-02-01T10:00:00.000Z');
    const gaveUp: MemberEvent = { type: 'RegistrationCancelled', data: { ...ids, registrationId: 'r1', sessions: ['s1'], cancelledBy: 'member' } };
    spec([only(['s1', 's2']), confirmed, no, gaveUp]).when(answer('s1', 'accepted', '2027-02-01T11:00:00.000Z')).then([
      { type: 'RegistrationRequested', data: { ...ids, registrationId: 'r1', sessions: ['s1'], language: 'es', timeZone: 'America/Guayaquil', source: 'member' } },
      answered('s1', 'accepted', '2027-02-01T11:00:00.000Z'),
    ]);
    spec([only(['s2']), confirmed]).when(answer('s1', 'accepted', '2027-02-01T11:00:00.000Z')).thenThrows(NotFoundError);
    spec().when(answer('s1', 'declined', '2027-02-01T11:00:00.000Z')).thenThrows(NotFoundError);
  });
});

describe('attendance', () => {
  const ids = { memberId: 'm1', seriesId: 'care-economy', sessionId: 's1' };
  const attend = (source: 'join-link' | 'participants-report', joinedAt: string, minutes?: number): MemberCommand => ({ type: 'RecordAttendance', ...ids, source, joinedAt, ...(minutes !== undefined ? { minutes, reportId: 'report-1' } : {}) });
  const recorded = (source: 'join-link' | 'participants-report', joinedAt: string, minutes?: number): MemberEvent => ({ type: 'AttendanceRecorded', data: { ...ids, source, joinedAt, ...(minutes !== undefined ? { minutes, reportId: 'report-1' } : {}) } });

  it('a join link records the first join only', () => {
    spec([requested, confirmed]).when(attend('join-link', '2027-03-21T14:50:00.000Z')).then([recorded('join-link', '2027-03-21T14:50:00.000Z')]);
    spec([requested, confirmed, recorded('join-link', '2027-03-21T14:50:00.000Z')]).when(attend('join-link', '2027-03-21T15:10:00.000Z')).then([]);
  });

  it('a report records the minutes; the same report again appends nothing, a corrected one does', () => {
    const report = recorded('participants-report', '2027-03-21T15:02:00.000Z', 55);
    spec([requested, confirmed, recorded('join-link', '2027-03-21T14:50:00.000Z')]).when(attend('participants-report', '2027-03-21T15:02:00.000Z', 55)).then([report]);
    spec([requested, confirmed, report]).when(attend('participants-report', '2027-03-21T15:02:00.000Z', 55)).then([]);
    spec([requested, confirmed, report]).when(attend('participants-report', '2027-03-21T15:02:00.000Z', 40)).then([recorded('participants-report', '2027-03-21T15:02:00.000Z', 40)]);
  });
});
