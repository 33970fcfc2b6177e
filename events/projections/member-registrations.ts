/** A member's registrations, preferences and consent, folded from their stream. Pure. */
import type { RecordedEvent } from '../shared/event.js';
import type { MemberEvent } from '../member/events.js';
import { evolveMember, initialMemberState, type RegistrationState } from '../member/state.js';

export interface MemberRegistrations {
  readonly memberId: string;
  readonly version: number;
  readonly registrations: Readonly<Record<string, RegistrationState>>;
  readonly preferences: { readonly language?: string; readonly timeZone?: string; readonly reminderOffsets?: readonly string[] };
  readonly unsubscribed: { readonly all: boolean; readonly series: readonly string[] };
  readonly updatedAt: string;
}

export function memberRegistrationsFromEvents(events: readonly RecordedEvent<MemberEvent>[]): MemberRegistrations | undefined {
  const last = events.at(-1);
  if (!last) return undefined;
  const state = events.reduce(evolveMember, initialMemberState());
  return {
    memberId: state.memberId!,
    version: last.metadata.version,
    registrations: state.registrations,
    preferences: state.preferences,
    unsubscribed: state.unsubscribed,
    updatedAt: last.metadata.recordedAt,
  };
}
