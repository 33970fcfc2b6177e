/** The state of a member stream, folded from its events. */
import type { InvitationAnswer, MemberEvent, SessionSelection } from './events.js';

export interface RegistrationState {
  readonly registrationId: string;
  readonly seriesId: string;
  readonly status: 'requested' | 'confirmed' | 'cancelled';
  readonly sessions: SessionSelection;
  /** Sessions cancelled out of an "all" registration. */
  readonly declined: readonly string[];
  readonly language: string;
  readonly timeZone: string;
  readonly source: 'self-service' | 'organiser' | 'member';
  /** A change someone asked for with the member's address, waiting for the member to accept it (the latest). */
  readonly pendingChange?: PendingChange;
  /** The reminder offsets the request asked for, until the member confirms (then they are the member's preference). */
  readonly requestedReminders?: readonly string[];
}

export interface PendingChange {
  readonly requestId: string;
  /** Sessions it adds, if any. */
  readonly sessions?: SessionSelection;
  readonly language: string;
  readonly timeZone: string;
}

export interface MemberState {
  readonly memberId?: string;
  /** One registration per series: the latest. */
  readonly registrations: Readonly<Record<string, RegistrationState>>;
  readonly preferences: { readonly language?: string; readonly timeZone?: string; readonly reminderOffsets?: readonly string[] };
  readonly unsubscribed: { readonly all: boolean; readonly series: readonly string[] };
  /** The last requests (HTTP request ids) taken into this stream, newest last: a request is taken once. */
  readonly recentRequests: readonly string[];
  /** Answers from the member's calendar app, by series, then session: the latest (by its DTSTAMP). */
  readonly answers: Readonly<Record<string, Readonly<Record<string, SessionAnswer>>>>;
  /** Sessions the member took part in, by series, then session. */
  readonly attendance: Readonly<Record<string, Readonly<Record<string, SessionAttendance>>>>;
  /** The member's certificate of participation, by series (one each). */
  readonly certificates: Readonly<Record<string, CertificateState>>;
}

export interface CertificateState {
  readonly certificateId: string;
  readonly sessionsAttended: number;
  readonly sessionsTotal: number;
  readonly hours: number;
  readonly issuedAt: string;
  readonly revokedAt?: string;
  readonly revocationReason?: string;
}

export interface SessionAnswer {
  readonly answer: InvitationAnswer;
  readonly answeredAt: string;
}

export interface SessionAttendance {
  /** The earliest join known. */
  readonly joinedAt: string;
  /** Minutes present, from the latest participants report that listed the member. */
  readonly minutes?: number;
  readonly sources: readonly ('join-link' | 'participants-report')[];
}

export const initialMemberState = (): MemberState => ({
  registrations: {},
  preferences: {},
  unsubscribed: { all: false, series: [] },
  recentRequests: [],
  answers: {},
  attendance: {},
  certificates: {},
});

export const isActive = (r: RegistrationState | undefined): r is RegistrationState =>
  r !== undefined && r.status !== 'cancelled';

/** Does an active registration cover this session? */
export function covers(r: RegistrationState | undefined, sessionId: string): boolean {
  if (!isActive(r)) return false;
  return r.sessions === 'all' ? !r.declined.includes(sessionId) : r.sessions.includes(sessionId);
}

const without = (list: readonly string[], remove: readonly string[]) => list.filter((x) => !remove.includes(x));

/** The sessions of a registration once `added` is added to it (an event names only what it adds). */
function withSessions(current: RegistrationState, added: SessionSelection): Pick<RegistrationState, 'sessions' | 'declined'> {
  if (added === 'all') return { sessions: 'all', declined: [] };
  return current.sessions === 'all' ? { sessions: 'all', declined: without(current.declined, added) } : { sessions: union(current.sessions, added), declined: current.declined };
}

function withoutPendingChange(r: RegistrationState): RegistrationState {
  const { pendingChange: _gone, ...rest } = r;
  return rest;
}
const union = (a: readonly string[], b: readonly string[]) => [...new Set([...a, ...b])];

function withoutAnswers(answers: MemberState['answers'], seriesId: string, sessions: SessionSelection): MemberState['answers'] {
  const of = answers[seriesId];
  if (!of) return answers;
  if (sessions === 'all') {
    const { [seriesId]: _gone, ...rest } = answers;
    return rest;
  }
  return { ...answers, [seriesId]: Object.fromEntries(Object.entries(of).filter(([id]) => !sessions.includes(id))) };
}

/** How many request ids a member stream remembers (redelivery comes soon after, never hundreds of requests later). */
export const RECENT_REQUESTS = 20;

export function evolveMember(state: MemberState, event: MemberEvent): MemberState {
  const next = evolveRegistrations(state, event);
  const requestId = 'requestId' in event.data ? event.data.requestId : undefined;
  return typeof requestId === 'string' && !next.recentRequests.includes(requestId)
    ? { ...next, recentRequests: [...next.recentRequests, requestId].slice(-RECENT_REQUESTS) }
    : next;
}

function evolveRegistrations(state: MemberState, event: MemberEvent): MemberState {
  const memberId = state.memberId ?? event.data.memberId;
  const withRegistration = (seriesId: string, update: (r: RegistrationState) => RegistrationState): MemberState => {
    const r = state.registrations[seriesId];
    return r ? { ...state, memberId, registrations: { ...state.registrations, [seriesId]: update(r) } } : state;
  };

  switch (event.type) {
    case 'RegistrationRequested': {
      const { seriesId, registrationId, sessions, language, timeZone, source, reminderOffsets } = event.data;
      const current = state.registrations[seriesId];
      const continuing = isActive(current) && current.registrationId === registrationId;
      const next: RegistrationState = !continuing
        ? { registrationId, seriesId, status: 'requested', sessions, declined: [], language, timeZone, source, ...(reminderOffsets ? { requestedReminders: reminderOffsets } : {}) }
        : { ...current, language, timeZone, ...withSessions(current, sessions) };
      // A session taken (again) has no answer yet: a "No" from before is no longer the member's.
      const answers = withoutAnswers(state.answers, seriesId, continuing ? sessions : 'all');
      return { ...state, memberId, registrations: { ...state.registrations, [seriesId]: next }, answers };
    }
    case 'InvitationAnswered': {
      const { seriesId, sessionId, answer, answeredAt } = event.data;
      return { ...state, memberId, answers: { ...state.answers, [seriesId]: { ...state.answers[seriesId], [sessionId]: { answer, answeredAt } } } };
    }
    case 'CertificateIssued': {
      const { memberId: _m, seriesId, ...certificate } = event.data;
      return { ...state, memberId, certificates: { ...state.certificates, [seriesId]: certificate } };
    }
    case 'CertificateRevoked': {
      const { seriesId, certificateId, revokedAt, reason } = event.data;
      const known = state.certificates[seriesId];
      if (known?.certificateId !== certificateId) return state;
      return { ...state, memberId, certificates: { ...state.certificates, [seriesId]: { ...known, revokedAt, ...(reason ? { revocationReason: reason } : {}) } } };
    }
    case 'AttendanceRecorded': {
      const { seriesId, sessionId, source, joinedAt, minutes } = event.data;
      const known = state.attendance[seriesId]?.[sessionId];
      const next: SessionAttendance = {
        joinedAt: known && known.joinedAt < joinedAt ? known.joinedAt : joinedAt,
        ...(source === 'participants-report' ? (minutes !== undefined ? { minutes } : {}) : known?.minutes !== undefined ? { minutes: known.minutes } : {}),
        sources: known?.sources.includes(source) ? known.sources : [...(known?.sources ?? []), source],
      };
      return { ...state, memberId, attendance: { ...state.attendance, [seriesId]: { ...state.attendance[seriesId], [sessionId]: next } } };
    }
    case 'RegistrationConfirmed':
      return withRegistration(event.data.seriesId, ({ requestedReminders: _applied, ...r }) => ({ ...r, status: 'confirmed' }));
    case 'RegistrationRequestRepeated':
    case 'ManageLinkRequested':
      return { ...state, memberId };
    case 'RegistrationChangeRequested': {
      const { requestId, sessions, language, timeZone } = event.data;
      return withRegistration(event.data.seriesId, (r) => ({ ...r, pendingChange: { requestId, ...(sessions ? { sessions } : {}), language, timeZone } }));
    }
    case 'RegistrationChangeAccepted':
      return withRegistration(event.data.seriesId, (r) => {
        const change = r.pendingChange;
        if (!change || change.requestId !== event.data.requestId) return r;
        const { pendingChange: _done, ...rest } = r;
        return { ...rest, ...(change.sessions ? withSessions(rest, change.sessions) : {}), language: change.language, timeZone: change.timeZone };
      });
    case 'RegistrationCancelled': {
      const { sessions } = event.data;
      return withRegistration(event.data.seriesId, (r) =>
        sessions === 'all'
          ? { ...withoutPendingChange(r), status: 'cancelled' }
          : {
              ...r,
              ...(r.sessions === 'all' ? { declined: union(r.declined, sessions) } : { sessions: without(r.sessions, sessions) }),
            },
      );
    }
    case 'MemberPreferencesChanged': {
      const { language, timeZone, reminderOffsets } = event.data;
      const preferences: Record<string, unknown> = { ...state.preferences };
      if (language !== undefined) preferences.language = language;
      if (timeZone !== undefined) preferences.timeZone = timeZone;
      if (reminderOffsets === null) delete preferences.reminderOffsets;
      else if (reminderOffsets !== undefined) preferences.reminderOffsets = reminderOffsets;
      return { ...state, memberId, preferences };
    }
    case 'MemberUnsubscribed': {
      const { seriesId } = event.data;
      const unsubscribed = seriesId
        ? { ...state.unsubscribed, series: union(state.unsubscribed.series, [seriesId]) }
        : { ...state.unsubscribed, all: true };
      return { ...state, memberId, unsubscribed };
    }
  }
}
