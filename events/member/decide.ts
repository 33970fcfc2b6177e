/** The rules of a member stream: registrations, consent and deliveries. */
import { emit } from '../shared/decider.js';
import { NotFoundError } from '../shared/errors.js';
import { definedOnly, sameValue } from '../shared/objects.js';
import type { MemberCommand } from './commands.js';
import {
  InviteDelivered,
  MemberPreferencesChanged,
  MemberUnsubscribed,
  RegistrationCancelled,
  RegistrationConfirmed,
  RegistrationPromoted,
  RegistrationRequested,
  RegistrationWaitlisted,
  ReminderDelivered,
  type MemberEvent,
  type SessionSelection,
} from './events.js';
import { covers, isActive, type MemberState, type RegistrationState } from './state.js';

export function decideMember(command: MemberCommand, state: MemberState): MemberEvent[] {
  switch (command.type) {
    case 'RequestRegistration': {
      const { type: _t, registrationId, ...request } = command;
      const current = state.registrations[command.seriesId];
      if (!isActive(current)) {
        const requested = emit(RegistrationRequested, { ...request, registrationId });
        return command.source === 'organiser' ? [requested, confirmed(command, registrationId)] : [requested];
      }
      // Registering again is harmless: only sessions not yet covered are added, and a member
      // who consented to this series once (or whom an organiser registers) stays confirmed.
      const added = addedSessions(current, command.sessions);
      if (!added) return [];
      const events: MemberEvent[] = [emit(RegistrationRequested, { ...request, registrationId: current.registrationId, sessions: added })];
      if (current.status === 'confirmed' || command.source === 'organiser') events.push(confirmed(command, current.registrationId));
      return events;
    }

    case 'ConfirmRegistration': {
      const current = state.registrations[command.seriesId];
      if (!current || current.registrationId !== command.registrationId || current.status === 'cancelled') {
        throw new NotFoundError(`no pending registration ${command.registrationId} for series ${command.seriesId}`, 'registrationId');
      }
      return current.status === 'confirmed' ? [] : [confirmed(command, current.registrationId)];
    }

    case 'CancelRegistration': {
      const current = requireRegistration(state, command.seriesId);
      if (!isActive(current)) return [];
      const base = { memberId: command.memberId, seriesId: command.seriesId, registrationId: current.registrationId, cancelledBy: command.cancelledBy };
      if (command.sessions === 'all') return [emit(RegistrationCancelled, { ...base, sessions: 'all' })];
      const cancelling = command.sessions.filter((id) => covers(current, id));
      if (cancelling.length === 0) return [];
      const nothingLeft = current.sessions !== 'all' && current.sessions.every((id) => cancelling.includes(id));
      return [emit(RegistrationCancelled, { ...base, sessions: nothingLeft ? 'all' : cancelling })];
    }

    case 'WaitlistRegistration': {
      const current = requireRegistration(state, command.seriesId);
      if (!covers(current, command.sessionId)) {
        throw new NotFoundError(`member ${command.memberId} is not registered for session ${command.sessionId}`, 'sessionId');
      }
      if (current.waitlisted.includes(command.sessionId)) return [];
      return [emit(RegistrationWaitlisted, { ...ids(command, current), sessionId: command.sessionId })];
    }

    case 'PromoteRegistration': {
      const current = requireRegistration(state, command.seriesId);
      if (!covers(current, command.sessionId) || !current.waitlisted.includes(command.sessionId)) return [];
      return [emit(RegistrationPromoted, { ...ids(command, current), sessionId: command.sessionId })];
    }

    case 'ChangePreferences': {
      const { type: _t, memberId, ...input } = command;
      const changed = Object.fromEntries(
        Object.entries(definedOnly(input)).filter(([key, value]) => {
          const current = state.preferences[key as keyof MemberState['preferences']];
          return value === null ? current !== undefined : !sameValue(value, current);
        }),
      );
      if (Object.keys(changed).length === 0) return [];
      return [emit(MemberPreferencesChanged, { memberId, ...changed })];
    }

    case 'Unsubscribe': {
      const { unsubscribed } = state;
      if (unsubscribed.all || (command.seriesId !== undefined && unsubscribed.series.includes(command.seriesId))) return [];
      const { type: _t, ...data } = command;
      return [emit(MemberUnsubscribed, data)];
    }

    case 'RecordInviteDelivery': {
      if (state.deliveries.has(command.deliveryId)) return [];
      const { type: _t, ...data } = command;
      return [emit(InviteDelivered, data)];
    }

    case 'RecordReminderDelivery': {
      if (state.deliveries.has(command.deliveryId)) return [];
      const { type: _t, ...data } = command;
      return [emit(ReminderDelivered, data)];
    }
  }
}

/** The part of a requested selection an active registration does not cover yet, if any. */
function addedSessions(current: RegistrationState, requested: SessionSelection): SessionSelection | undefined {
  if (requested === 'all') return current.sessions === 'all' && current.declined.length === 0 ? undefined : 'all';
  const missing = requested.filter((id) => !covers(current, id));
  return missing.length > 0 ? missing : undefined;
}

function confirmed(command: { memberId: string; seriesId: string }, registrationId: string) {
  return emit(RegistrationConfirmed, { memberId: command.memberId, seriesId: command.seriesId, registrationId });
}

function ids(command: { memberId: string; seriesId: string }, current: RegistrationState) {
  return { memberId: command.memberId, seriesId: command.seriesId, registrationId: current.registrationId };
}

function requireRegistration(state: MemberState, seriesId: string): RegistrationState {
  const current = state.registrations[seriesId];
  if (!current) throw new NotFoundError(`no registration for series ${seriesId}`, 'seriesId');
  return current;
}
