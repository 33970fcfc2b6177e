/**
 * Takes one registration request from the intake: the address's member (created if new), the
 * name given kept until its owner confirms it, and the member's `RequestRegistration` decided
 * and appended, at the time the request was made. Safe to run again for the same request (a
 * redelivered stream record, a crash between the steps): the member is found, not made twice;
 * the name is written again; the decider appends nothing for a request it has seen.
 */
import { memberDecider, memberStreamId } from '../../events/member/index.js';
import type { MemberEvent } from '../../events/member/events.js';
import type { StreamStore } from '../adapters/event-store/event-store.js';
import type { RegistrationIntake, RegistrationRequest } from '../adapters/intake/registration-intake.js';
import type { MemberDirectory } from '../adapters/members/member-directory.js';
import { handleCommand } from '../commands/command-handler.js';

export interface IntakeDeps {
  readonly store: StreamStore<MemberEvent>;
  readonly members: MemberDirectory;
  readonly intake: RegistrationIntake;
  readonly newId?: () => string;
}

export type TakeOutcome = 'appended' | 'seen-before';

export async function takeRegistrationRequest(deps: IntakeDeps, request: RegistrationRequest): Promise<TakeOutcome> {
  const requestedAt = new Date(request.requestedAt);
  const { memberId, created } = await deps.members.claimOrCreate(request.email, requestedAt);
  await deps.members.noteRequestedName(request.requestId, memberId, request.name, requestedAt);
  const { requestId, seriesId, sessions, language, timeZone, reminderOffsets } = request;
  const result = await handleCommand({
    store: deps.store,
    decider: memberDecider,
    streamId: memberStreamId(memberId),
    command: { type: 'RequestRegistration', memberId, seriesId, registrationId: (deps.newId ?? (() => crypto.randomUUID()))(), requestId, sessions, language, timeZone, source: 'self-service', ...(reminderOffsets ? { reminderOffsets } : {}) },
    // Decided and recorded as of the request (the API's clock when it answered).
    context: { actor: { kind: 'member', id: memberId }, correlationId: request.correlationId, causationId: requestId, now: () => requestedAt },
    ...(created ? { expectedVersion: 'no-stream' as const } : {}),
  });
  await deps.intake.taken(requestId);
  return result.events.length > 0 ? 'appended' : 'seen-before';
}
