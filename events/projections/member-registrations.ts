/** A member's registrations, preferences and consent, folded from their stream. Pure. */
import type { RecordedEvent } from '../shared/event.js';
import type { MemberEvent } from '../member/events.js';
import { evolveMember, initialMemberState, type CertificateState, type MemberState, type RegistrationState, type SessionAnswer, type SessionAttendance } from '../member/state.js';

export interface ProjectedRegistration extends RegistrationState {
  /**
   * When this registration was first confirmed: its place in the queue for seats. Adding
   * sessions later keeps it; registering again after cancelling starts a new place.
   */
  readonly confirmedAt?: string;
  /**
   * The last time someone asked, with the member's address, for something the member must
   * answer by mail in this series (to confirm a registration, or to accept a change), and how
   * many such asks there were in this series in all: the dispatcher mails the latest ask
   * (rate-limited), its ledger rank being the count.
   */
  readonly asked?: Ask & { readonly what: 'confirm' | 'change' };
}

export interface Ask {
  readonly count: number;
  readonly requestId: string;
  /** UTC instant of the request. */
  readonly at: string;
}

export interface MemberRegistrations {
  readonly memberId: string;
  readonly version: number;
  readonly registrations: Readonly<Record<string, ProjectedRegistration>>;
  readonly preferences: { readonly language?: string; readonly timeZone?: string; readonly reminderOffsets?: readonly string[] };
  readonly unsubscribed: { readonly all: boolean; readonly series: readonly string[] };
  /** Requests for a fresh "manage my registrations" link: the latest, and how many in all. */
  readonly manageLink?: Ask;
  /** Answers from the member's calendar app, by series and session (absent when none). */
  readonly answers?: MemberState['answers'];
  /** Sessions the member took part in, by series and session (absent when none). */
  readonly attendance?: MemberState['attendance'];
  /** The member's certificates of participation, by series (absent when none). */
  readonly certificates?: MemberState['certificates'];
  readonly updatedAt: string;
}

export function memberRegistrationsFromEvents(events: readonly RecordedEvent<MemberEvent>[]): MemberRegistrations | undefined {
  const last = events.at(-1);
  if (!last) return undefined;
  const state = events.reduce(evolveMember, initialMemberState());
  const confirmedAt: Record<string, { registrationId: string; at: string }> = {};
  const asked: Record<string, Ask & { what: 'confirm' | 'change' }> = {};
  let manageLink: Ask | undefined;
  const ask = (seriesId: string, requestId: string, at: string, what: 'confirm' | 'change') =>
    (asked[seriesId] = { count: (asked[seriesId]?.count ?? 0) + 1, requestId, at, what });
  for (const event of events) {
    const at = event.metadata.recordedAt;
    switch (event.type) {
      case 'RegistrationConfirmed': {
        const known = confirmedAt[event.data.seriesId];
        if (known?.registrationId !== event.data.registrationId) confirmedAt[event.data.seriesId] = { registrationId: event.data.registrationId, at };
        break;
      }
      case 'RegistrationRequested':
        // A self-service request that opens a registration asks for its confirmation.
        if (event.data.source === 'self-service') ask(event.data.seriesId, event.data.requestId ?? event.data.registrationId, at, 'confirm');
        break;
      case 'RegistrationRequestRepeated':
        ask(event.data.seriesId, event.data.requestId, at, 'confirm');
        break;
      case 'RegistrationChangeRequested':
        ask(event.data.seriesId, event.data.requestId, at, 'change');
        break;
      case 'ManageLinkRequested':
        manageLink = { count: (manageLink?.count ?? 0) + 1, requestId: event.data.requestId, at };
        break;
      default:
        break;
    }
  }
  const registrations = Object.fromEntries(
    Object.entries(state.registrations).map(([seriesId, r]) => {
      const confirmed = confirmedAt[seriesId];
      const withConfirmed = confirmed?.registrationId === r.registrationId ? { ...r, confirmedAt: confirmed.at } : r;
      return [seriesId, asked[seriesId] ? { ...withConfirmed, asked: asked[seriesId] } : withConfirmed];
    }),
  );
  return {
    memberId: state.memberId!,
    version: last.metadata.version,
    registrations,
    preferences: state.preferences,
    unsubscribed: state.unsubscribed,
    ...(manageLink ? { manageLink } : {}),
    ...(Object.keys(state.answers).length > 0 ? { answers: state.answers } : {}),
    ...(Object.keys(state.attendance).length > 0 ? { attendance: state.attendance } : {}),
    ...(Object.keys(state.certificates).length > 0 ? { certificates: state.certificates } : {}),
    updatedAt: last.metadata.recordedAt,
  };
}

/**
 * One member's place in a series' roster: what the seat allocation and the mail to them
 * need (their language, zone, reminder offsets and consent), nothing personal.
 */
export interface RosterEntry {
  readonly memberId: string;
  readonly seriesId: string;
  readonly active: boolean;
  readonly confirmedAt?: string;
  readonly sessions: 'all' | readonly string[];
  readonly declined: readonly string[];
  /** The member's language and time zone: their preference, else the registration's. */
  readonly language: string;
  readonly timeZone: string;
  /** The member's own reminder offsets; absent means the series' defaults. */
  readonly reminderOffsets?: readonly string[];
  /** False once the member stopped mail from this series (or from all). */
  readonly mailAllowed: boolean;
  /** The member's answers from their calendar app, by session of this series. */
  readonly answers?: Readonly<Record<string, SessionAnswer>>;
  /** The sessions of this series the member took part in. */
  readonly attended?: Readonly<Record<string, SessionAttendance>>;
  /** The member's certificate of participation in this series. */
  readonly certificate?: CertificateState;
}

export function rosterEntries(doc: MemberRegistrations): RosterEntry[] {
  return Object.values(doc.registrations).map((r) => ({
    memberId: doc.memberId,
    seriesId: r.seriesId,
    active: r.status === 'confirmed',
    ...(r.confirmedAt ? { confirmedAt: r.confirmedAt } : {}),
    sessions: r.sessions,
    declined: r.declined,
    language: doc.preferences.language ?? r.language,
    timeZone: doc.preferences.timeZone ?? r.timeZone,
    ...(doc.preferences.reminderOffsets ? { reminderOffsets: doc.preferences.reminderOffsets } : {}),
    mailAllowed: !doc.unsubscribed.all && !doc.unsubscribed.series.includes(r.seriesId),
    ...(doc.answers?.[r.seriesId] ? { answers: doc.answers[r.seriesId] } : {}),
    ...(doc.attendance?.[r.seriesId] ? { attended: doc.attendance[r.seriesId] } : {}),
    ...(doc.certificates?.[r.seriesId] ? { certificate: doc.certificates[r.seriesId] } : {}),
  }));
}
