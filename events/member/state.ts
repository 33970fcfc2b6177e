/** The state of a member stream, folded from its events. */
import type { MemberEvent, SessionSelection } from './events.js';

export interface RegistrationState {
  readonly registrationId: string;
  readonly seriesId: string;
  readonly status: 'requested' | 'confirmed' | 'cancelled';
  readonly sessions: SessionSelection;
  /** Sessions cancelled out of an "all" registration. */
  readonly declined: readonly string[];
  readonly waitlisted: readonly string[];
  readonly language: string;
  readonly timeZone: string;
  readonly source: 'self-service' | 'organiser';
}

export interface MemberState {
  readonly memberId?: string;
  /** One registration per series: the latest. */
  readonly registrations: Readonly<Record<string, RegistrationState>>;
  readonly preferences: { readonly language?: string; readonly timeZone?: string; readonly reminderOffsets?: readonly string[] };
  readonly unsubscribed: { readonly all: boolean; readonly series: readonly string[] };
  /** Delivery ids already recorded: a delivery is recorded once. */
  readonly deliveries: ReadonlySet<string>;
}

export const initialMemberState = (): MemberState => ({
  registrations: {},
  preferences: {},
  unsubscribed: { all: false, series: [] },
  deliveries: new Set(),
});

export const isActive = (r: RegistrationState | undefined): r is RegistrationState =>
  r !== undefined && r.status !== 'cancelled';

/** Does an active registration cover this session? */
export function covers(r: RegistrationState | undefined, sessionId: string): boolean {
  if (!isActive(r)) return false;
  return r.sessions === 'all' ? !r.declined.includes(sessionId) : r.sessions.includes(sessionId);
}

const without = (list: readonly string[], remove: readonly string[]) => list.filter((x) => !remove.includes(x));
const union = (a: readonly string[], b: readonly string[]) => [...new Set([...a, ...b])];

export function evolveMember(state: MemberState, event: MemberEvent): MemberState {
  const memberId = state.memberId ?? event.data.memberId;
  const withRegistration = (seriesId: string, update: (r: RegistrationState) => RegistrationState): MemberState => {
    const r = state.registrations[seriesId];
    return r ? { ...state, memberId, registrations: { ...state.registrations, [seriesId]: update(r) } } : state;
  };

  switch (event.type) {
    case 'RegistrationRequested': {
      const { seriesId, registrationId, sessions, language, timeZone, source } = event.data;
      const current = state.registrations[seriesId];
      const continuing = isActive(current) && current.registrationId === registrationId;
      const next: RegistrationState = !continuing
        ? { registrationId, seriesId, status: 'requested', sessions, declined: [], waitlisted: [], language, timeZone, source }
        : {
            ...current,
            language,
            timeZone,
            // The event names the sessions added to the registration.
            ...(sessions === 'all'
              ? { sessions: 'all', declined: [] }
              : current.sessions === 'all'
                ? { declined: without(current.declined, sessions) }
                : { sessions: union(current.sessions, sessions) }),
          };
      return { ...state, memberId, registrations: { ...state.registrations, [seriesId]: next } };
    }
    case 'RegistrationConfirmed':
      return withRegistration(event.data.seriesId, (r) => ({ ...r, status: 'confirmed' }));
    case 'RegistrationCancelled': {
      const { sessions } = event.data;
      return withRegistration(event.data.seriesId, (r) =>
        sessions === 'all'
          ? { ...r, status: 'cancelled', waitlisted: [] }
          : {
              ...r,
              waitlisted: without(r.waitlisted, sessions),
              ...(r.sessions === 'all' ? { declined: union(r.declined, sessions) } : { sessions: without(r.sessions, sessions) }),
            },
      );
    }
    case 'RegistrationWaitlisted':
      return withRegistration(event.data.seriesId, (r) => ({ ...r, waitlisted: union(r.waitlisted, [event.data.sessionId]) }));
    case 'RegistrationPromoted':
      return withRegistration(event.data.seriesId, (r) => ({ ...r, waitlisted: without(r.waitlisted, [event.data.sessionId]) }));
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
    case 'InviteDelivered':
    case 'ReminderDelivered':
      return { ...state, memberId, deliveries: new Set([...state.deliveries, event.data.deliveryId]) };
  }
}
