/** The member stream's decider: `member-<memberId>`. */
import type { Decider } from '../shared/decider.js';
import type { MemberCommand } from './commands.js';
import { decideMember } from './decide.js';
import type { MemberEvent } from './events.js';
import { evolveMember, initialMemberState, type MemberState } from './state.js';

export const memberStreamId = (memberId: string) => `member-${memberId}`;

export const memberDecider: Decider<MemberCommand, MemberEvent, MemberState> = {
  decide: decideMember,
  evolve: evolveMember,
  initialState: initialMemberState,
};

export type { MemberCommand } from './commands.js';
export type { MemberEvent } from './events.js';
export { covers, isActive, type MemberState, type RegistrationState } from './state.js';
