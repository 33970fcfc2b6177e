/** What members, organisers and the system can ask of a member stream. */
import type { CertificateRule, SessionFacts } from '../certificates/rule.js';
import type { InvitationAnswer, SessionSelection } from './events.js';

/** What a member decider needs to issue a certificate: the series' rule and sessions now, and the id to give it. */
export interface CertificateContext {
  readonly rule: CertificateRule;
  readonly sessions: readonly SessionFacts[];
  readonly certificateId: string;
  readonly issuedAt: string;
}

export type MemberCommand =
  | {
      type: 'RequestRegistration';
      memberId: string;
      seriesId: string;
      /** Used when this starts a new registration; an active one keeps its id. */
      registrationId: string;
      sessions: SessionSelection;
      language: string;
      timeZone: string;
      /** See RegistrationSource: only `member` (a signed link) changes an existing registration at once. */
      source: 'self-service' | 'organiser' | 'member';
      /** The HTTP request it comes from (self-service requests carry one; defaults to the registration id). */
      requestId?: string;
      /** Self-service only: the reminder offsets asked for, applied when the member confirms. */
      reminderOffsets?: readonly string[];
    }
  | { type: 'ConfirmRegistration'; memberId: string; seriesId: string; registrationId: string }
  | { type: 'AcceptRegistrationChange'; memberId: string; seriesId: string; requestId: string }
  | { type: 'RequestManageLink'; memberId: string; requestId: string }
  | {
      type: 'CancelRegistration';
      memberId: string;
      seriesId: string;
      sessions: SessionSelection;
      cancelledBy: 'member' | 'organiser' | 'system';
      /** When given (an unregister link names the registration it was mailed for), only that registration is cancelled. */
      registrationId?: string;
    }
  | {
      type: 'ChangePreferences';
      memberId: string;
      language?: string;
      timeZone?: string;
      reminderOffsets?: string[] | null;
    }
  | {
      type: 'Unsubscribe';
      memberId: string;
      seriesId?: string;
      via: 'one-click' | 'link' | 'mailto' | 'bounce' | 'complaint';
    }
  | {
      /** An answer from the member's calendar app (a checked iMIP REPLY). */
      type: 'AnswerInvitation';
      memberId: string;
      seriesId: string;
      sessionId: string;
      answer: InvitationAnswer;
      /** The REPLY's DTSTAMP (UTC ISO). */
      answeredAt: string;
    }
  | {
      type: 'RecordAttendance';
      memberId: string;
      seriesId: string;
      sessionId: string;
      source: 'join-link' | 'participants-report';
      joinedAt: string;
      minutes?: number;
      reportId?: string;
      /** The series has a certificate rule: issue the certificate if this attendance meets it. */
      certificate?: CertificateContext;
    }
  | ({ type: 'IssueCertificate'; memberId: string; seriesId: string } & CertificateContext)
  | { type: 'RevokeCertificate'; memberId: string; seriesId: string; certificateId: string; revokedAt: string; reason?: string };
