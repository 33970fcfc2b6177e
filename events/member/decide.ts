/** The rules of a member stream: registrations, preferences and consent. */
import { emit } from '../shared/decider.js';
import { NotFoundError } from '../shared/errors.js';
import { definedOnly, sameValue } from '../shared/objects.js';
import type { MemberCommand } from './commands.js';
import { evaluateCertificateRule } from '../certificates/rule.js';
import type { CertificateContext } from './commands.js';
import {
  AttendanceRecorded,
  CertificateIssued,
  CertificateRevoked,
  InvitationAnswered,
  ManageLinkRequested,
  RegistrationChangeAccepted,
  RegistrationChangeRequested,
  RegistrationRequestRepeated,
  MemberPreferencesChanged,
  MemberUnsubscribed,
  RegistrationCancelled,
  RegistrationConfirmed,
  RegistrationRequested,
  type MemberEvent,
  type SessionSelection,
} from './events.js';
import { covers, evolveMember, isActive, type MemberState, type RegistrationState } from './state.js';

export function decideMember(command: MemberCommand, state: MemberState): MemberEvent[] {
  switch (command.type) {
    case 'RequestRegistration': {
      const { type: _t, registrationId, requestId: given, reminderOffsets, ...request } = command;
      const requestId = given ?? registrationId;
      // The same request taken again (a redelivered intake record): it was decided already.
      if (given !== undefined && state.recentRequests.includes(given)) return [];
      const current = state.registrations[command.seriesId];
      if (!isActive(current)) {
        // Reminders asked for with a request wait for the owner's confirmation; an organiser's registration takes none.
        const asked = command.source === 'self-service' && reminderOffsets ? { reminderOffsets: [...reminderOffsets] } : {};
        const requested = emit(RegistrationRequested, { ...request, registrationId, requestId, ...asked });
        return command.source === 'self-service' ? [requested] : [requested, confirmed(command, registrationId)];
      }
      const added = addedSessions(current, command.sessions);
      // Nobody changes what a member decided but the member: an organiser registering them
      // again changes nothing, and a request with their address only asks them (below).
      if (command.source === 'organiser') return [];
      if (command.source === 'member') {
        // The member, through a link mailed to them: the sessions are added at once, in the
        // registration's language and zone (those change with ChangePreferences).
        if (!added) return [];
        const events: MemberEvent[] = [
          emit(RegistrationRequested, { ...request, registrationId: current.registrationId, requestId, sessions: added, language: current.language, timeZone: current.timeZone }),
        ];
        if (current.status === 'confirmed') events.push(confirmed(command, current.registrationId));
        return events;
      }
      const ids = { memberId: command.memberId, seriesId: command.seriesId, registrationId: current.registrationId, requestId };
      const sameAsAsked = !added && command.language === current.language && command.timeZone === current.timeZone;
      // Asked again for what the member has: recorded (a pending one's confirmation may go again;
      // a confirmed one's nothing), so that every request with an address does the same work.
      if (sameAsAsked) return [emit(RegistrationRequestRepeated, ids)];
      return [emit(RegistrationChangeRequested, { ...ids, ...(added ? { sessions: added } : {}), language: command.language, timeZone: command.timeZone })];
    }

    case 'AcceptRegistrationChange': {
      const current = state.registrations[command.seriesId];
      if (!isActive(current) || current.pendingChange?.requestId !== command.requestId) {
        throw new NotFoundError(`no change ${command.requestId} waits for series ${command.seriesId}`, 'requestId');
      }
      const accepted = emit(RegistrationChangeAccepted, { memberId: command.memberId, seriesId: command.seriesId, registrationId: current.registrationId, requestId: command.requestId });
      // Accepting from the link mailed to the address proves the address, as confirming does.
      return current.status === 'requested' ? [accepted, confirmed(command, current.registrationId)] : [accepted];
    }

    case 'RequestManageLink':
      return [emit(ManageLinkRequested, { memberId: command.memberId, requestId: command.requestId })];

    case 'ConfirmRegistration': {
      const current = state.registrations[command.seriesId];
      if (!current || current.registrationId !== command.registrationId || current.status === 'cancelled') {
        throw new NotFoundError(`no pending registration ${command.registrationId} for series ${command.seriesId}`, 'registrationId');
      }
      if (current.status === 'confirmed') return [];
      // Confirming is the member's own act: the reminders their request asked for become theirs.
      const asked = current.requestedReminders;
      const mine = state.preferences.reminderOffsets;
      const changes = asked !== undefined && !(mine !== undefined && mine.length === asked.length && mine.every((o, i) => o === asked[i]));
      return [confirmed(command, current.registrationId), ...(changes ? [emit(MemberPreferencesChanged, { memberId: command.memberId, reminderOffsets: [...asked] })] : [])];
    }

    case 'CancelRegistration': {
      const current = requireRegistration(state, command.seriesId);
      if (command.registrationId !== undefined && command.registrationId !== current.registrationId) {
        throw new NotFoundError(`registration ${command.registrationId} of series ${command.seriesId} is not the member's current one`, 'registrationId');
      }
      if (!isActive(current)) return [];
      const base = { memberId: command.memberId, seriesId: command.seriesId, registrationId: current.registrationId, cancelledBy: command.cancelledBy };
      if (command.sessions === 'all') return [emit(RegistrationCancelled, { ...base, sessions: 'all' })];
      const cancelling = command.sessions.filter((id) => covers(current, id));
      if (cancelling.length === 0) return [];
      const nothingLeft = current.sessions !== 'all' && current.sessions.every((id) => cancelling.includes(id));
      return [emit(RegistrationCancelled, { ...base, sessions: nothingLeft ? 'all' : cancelling })];
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

    case 'AnswerInvitation': {
      const { seriesId, sessionId, answer, answeredAt, memberId } = command;
      const current = state.registrations[seriesId];
      const last = state.answers[seriesId]?.[sessionId];
      // The REPLY's DTSTAMP orders answers: the same reply again, or an older one late, changes nothing.
      if (last && last.answeredAt >= answeredAt) return [];
      const holds = covers(current, sessionId);
      const answered = (registrationId: string) => emit(InvitationAnswered, { memberId, seriesId, registrationId, sessionId, answer, answeredAt, via: 'calendar' });
      if (!holds) {
        // A "Yes" after a "No" from the calendar takes the session again while the registration stands (at the back of the queue for seats).
        if (answer !== 'declined' && isActive(current) && last?.answer === 'declined') {
          return [
            emit(RegistrationRequested, { memberId, seriesId, registrationId: current.registrationId, sessions: [sessionId], language: current.language, timeZone: current.timeZone, source: 'member' }),
            answered(current.registrationId),
          ];
        }
        throw new NotFoundError(`member ${memberId} holds no place in session ${sessionId} of series ${seriesId}`, 'sessionId');
      }
      if (answer !== 'declined') return [answered(current!.registrationId)];
      // "No" gives the seat up: the next in line is seated and invited, as when leaving on the web.
      const nothingLeft = current!.sessions !== 'all' && current!.sessions.every((id) => id === sessionId);
      return [
        answered(current!.registrationId),
        emit(RegistrationCancelled, { memberId, seriesId, registrationId: current!.registrationId, sessions: nothingLeft ? 'all' : [sessionId], cancelledBy: 'member' }),
      ];
    }

    case 'RecordAttendance': {
      const { type: _t, memberId, seriesId, sessionId, source, joinedAt, minutes, reportId, certificate } = command;
      const known = state.attendance[seriesId]?.[sessionId];
      // A join link records the first join only; a report, what it says, unless a report said so already.
      if (source === 'join-link' && known) return [];
      if (source === 'participants-report' && known?.sources.includes('participants-report') && known.minutes === minutes && known.joinedAt <= joinedAt) return [];
      const recorded = emit(AttendanceRecorded, { memberId, seriesId, sessionId, source, joinedAt, ...(minutes !== undefined ? { minutes } : {}), ...(reportId !== undefined ? { reportId } : {}) });
      // With it, the member may meet the series' rule: the certificate is issued at once.
      const issued = certificate ? certificateIfMet(evolveMember(state, recorded), memberId, seriesId, certificate) : [];
      return [recorded, ...issued];
    }

    case 'IssueCertificate': {
      const { type: _t, memberId, seriesId, ...context } = command;
      return certificateIfMet(state, memberId, seriesId, context);
    }

    case 'RevokeCertificate': {
      const { memberId, seriesId, certificateId, revokedAt, reason } = command;
      const known = state.certificates[seriesId];
      if (known?.certificateId !== certificateId) throw new NotFoundError(`member ${memberId} has no certificate ${certificateId} of series ${seriesId}`, 'certificateId');
      if (known.revokedAt !== undefined) return [];
      return [emit(CertificateRevoked, { memberId, seriesId, certificateId, revokedAt, ...(reason ? { reason } : {}) })];
    }

    case 'Unsubscribe': {
      const { unsubscribed } = state;
      if (unsubscribed.all || (command.seriesId !== undefined && unsubscribed.series.includes(command.seriesId))) return [];
      const { type: _t, ...data } = command;
      return [emit(MemberUnsubscribed, data)];
    }
  }
}

/** A certificate once per member and series (a revoked one is not issued again), when the rule is met. */
function certificateIfMet(state: MemberState, memberId: string, seriesId: string, context: CertificateContext): MemberEvent[] {
  if (state.certificates[seriesId]) return [];
  const outcome = evaluateCertificateRule(context.rule, context.sessions, state.attendance[seriesId] ?? {});
  if (!outcome.met) return [];
  const { met: _m, ...numbers } = outcome;
  return [emit(CertificateIssued, { memberId, seriesId, certificateId: context.certificateId, ...numbers, issuedAt: context.issuedAt })];
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

function requireRegistration(state: MemberState, seriesId: string): RegistrationState {
  const current = state.registrations[seriesId];
  if (!current) throw new NotFoundError(`no registration for series ${seriesId}`, 'seriesId');
  return current;
}
