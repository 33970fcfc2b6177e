/**
 * Events of a member stream (`member-<memberId>`): registrations, preferences, consent and
 * the mail delivered to them. Members are referred to by id only: their email address and
 * name live in an erasable store, so this log can be kept after a member asks to be forgotten.
 */
// A namespace import: esbuild then keeps only the parts of zod in use (not its 64 locales).
import * as z from 'zod';
import { defineEvent, type EventOf } from '../shared/event.js';
import { Id, LanguageTag, ReminderOffset, TimeZone, UtcInstant } from '../shared/values.js';

/** Which sessions of a series a registration covers. */
export const SessionSelection = z.union([z.literal('all'), z.array(Id).min(1).max(500)]);
export type SessionSelection = z.infer<typeof SessionSelection>;

/**
 * Who asked: `self-service` (anyone, with the member's address: waits for the member's
 * confirmation), `organiser` (already consented), `member` (the member themselves, through
 * a signed link mailed to them: applies at once).
 */
export const RegistrationSource = z.enum(['self-service', 'organiser', 'member']);

export const RegistrationRequested = defineEvent(
  'RegistrationRequested',
  z.object({
    memberId: Id,
    seriesId: Id,
    registrationId: Id,
    sessions: SessionSelection,
    language: LanguageTag,
    timeZone: TimeZone,
    /** Self-service registrations wait for the member's confirmation (double opt-in). */
    source: RegistrationSource,
    /** The request (one HTTP request) it came from; absent on events from before requests had ids. */
    requestId: Id.optional(),
    /**
     * The reminder offsets the request asked for (the series page's form). A request made with
     * an address changes nothing its owner decided: they become the member's preference only
     * when the member confirms (ConfirmRegistration).
     */
    reminderOffsets: z.array(ReminderOffset).max(10).optional(),
  }),
);

/**
 * A self-service request for a registration the member has, asking for nothing new: for one
 * still waiting for its confirmation, the confirmation mail may go again (at most once per 15
 * minutes and 5 a day); for a confirmed one nothing happens.
 */
export const RegistrationRequestRepeated = defineEvent(
  'RegistrationRequestRepeated',
  z.object({ memberId: Id, seriesId: Id, registrationId: Id, requestId: Id }),
);

/**
 * Someone asked, with the member's address, to change a registration the member has (more
 * sessions, another language or zone). Nothing changes until the member accepts it through the
 * link mailed to them; a later request replaces an earlier one.
 */
export const RegistrationChangeRequested = defineEvent(
  'RegistrationChangeRequested',
  z.object({
    memberId: Id,
    seriesId: Id,
    registrationId: Id,
    requestId: Id,
    /** Sessions to add, if any. */
    sessions: SessionSelection.optional(),
    language: LanguageTag,
    timeZone: TimeZone,
  }),
);

/** The member accepted a requested change: it applies now (and confirms a registration still pending). */
export const RegistrationChangeAccepted = defineEvent(
  'RegistrationChangeAccepted',
  z.object({ memberId: Id, seriesId: Id, registrationId: Id, requestId: Id }),
);

/** Someone asked, with the member's address, for a fresh "manage my registrations" link: it is mailed to the member. */
export const ManageLinkRequested = defineEvent('ManageLinkRequested', z.object({ memberId: Id, requestId: Id }));

export const RegistrationConfirmed = defineEvent(
  'RegistrationConfirmed',
  z.object({ memberId: Id, seriesId: Id, registrationId: Id }),
);

/** Cancels the listed sessions, or the whole registration when `sessions` is "all". */
export const RegistrationCancelled = defineEvent(
  'RegistrationCancelled',
  z.object({
    memberId: Id,
    seriesId: Id,
    registrationId: Id,
    sessions: SessionSelection,
    cancelledBy: z.enum(['member', 'organiser', 'system']),
  }),
);

export const MemberPreferencesChanged = defineEvent(
  'MemberPreferencesChanged',
  z.object({
    memberId: Id,
    language: LanguageTag.optional(),
    timeZone: TimeZone.optional(),
    /** The member's own reminder offsets; `null` goes back to each series' defaults. */
    reminderOffsets: z.array(ReminderOffset).max(10).nullable().optional(),
  }),
);

/** The member stopped mail from one series, or from every series when `seriesId` is absent. */
export const MemberUnsubscribed = defineEvent(
  'MemberUnsubscribed',
  z.object({ memberId: Id, seriesId: Id.optional(), via: z.enum(['one-click', 'link', 'mailto', 'bounce', 'complaint']) }),
);

/** What a member answered to a session's invitation, from their calendar app (an iMIP REPLY). */
export const InvitationAnswer = z.enum(['accepted', 'tentative', 'declined']);
export type InvitationAnswer = z.infer<typeof InvitationAnswer>;

/**
 * The member answered a session's invitation in their calendar app (Yes, Maybe, No): the
 * REPLY's DTSTAMP orders answers, so a reply delivered twice, or an older one delivered late,
 * changes nothing. A "No" also cancels the session for them (RegistrationCancelled beside it).
 */
export const InvitationAnswered = defineEvent(
  'InvitationAnswered',
  z.object({
    memberId: Id,
    seriesId: Id,
    registrationId: Id,
    sessionId: Id,
    answer: InvitationAnswer,
    /** The REPLY's DTSTAMP (UTC): when the member answered, as their calendar app says. */
    answeredAt: UtcInstant,
    via: z.literal('calendar'),
  }),
);

/** How Convene learned that a member took part: their own join link, or the meeting's participants report. */
export const AttendanceSource = z.enum(['join-link', 'participants-report']);

/**
 * The member took part in a session: they opened their personal join link between 15 minutes
 * before the start and the end (once), or an organiser's participants report (Zoom,
 * BigBlueButton) lists their address. A report gives the minutes they were there; a later
 * report that says otherwise replaces them.
 */
export const AttendanceRecorded = defineEvent(
  'AttendanceRecorded',
  z.object({
    memberId: Id,
    seriesId: Id,
    sessionId: Id,
    source: AttendanceSource,
    /** The first join: when the link was used, or the report's earliest join time (UTC). */
    joinedAt: UtcInstant,
    /** Minutes present, from a participants report. */
    minutes: z.number().int().min(0).max(100_000).optional(),
    /** The import the report came in (its id), for the audit trail. */
    reportId: Id.optional(),
  }),
);

/**
 * The member met their series' rule for a certificate of participation (events/certificates/
 * rule.ts): one per member and series. `certificateId` is unguessable (the public verification
 * page is found by it); the numbers are what the certificate says.
 */
export const CertificateIssued = defineEvent(
  'CertificateIssued',
  z.object({
    memberId: Id,
    seriesId: Id,
    certificateId: Id,
    sessionsAttended: z.number().int().min(0).max(500),
    sessionsTotal: z.number().int().min(0).max(500),
    hours: z.number().min(0).max(100_000),
    issuedAt: UtcInstant,
  }),
);

/** An organiser revoked a certificate: its verification page says so from now on. */
export const CertificateRevoked = defineEvent(
  'CertificateRevoked',
  z.object({ memberId: Id, seriesId: Id, certificateId: Id, revokedAt: UtcInstant, reason: z.string().max(500).optional() }),
);

export const memberEventDefinitions = [
  RegistrationRequested,
  RegistrationRequestRepeated,
  RegistrationChangeRequested,
  RegistrationChangeAccepted,
  ManageLinkRequested,
  RegistrationConfirmed,
  RegistrationCancelled,
  MemberPreferencesChanged,
  MemberUnsubscribed,
  InvitationAnswered,
  AttendanceRecorded,
  CertificateIssued,
  CertificateRevoked,
] as const;

export type MemberEvent = EventOf<(typeof memberEventDefinitions)[number]>;
