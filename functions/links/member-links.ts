/**
 * The signed links Convene mails to a member, and the only credentials that change what a
 * member decided (a personal feed token only reads a feed). Each names the member and what it
 * is for, expires, and is verified by the route it opens (GET shows a page that asks, POST
 * does it): functions/api/routes/member-pages.ts and unsubscribe.ts.
 */
// A namespace import: esbuild then keeps only the parts of zod in use (not its 64 locales).
import * as z from 'zod';
import { Id } from '../../events/shared/values.js';
import type { TokenSigner } from '../security/signed-token.js';

const DAY_MS = 24 * 3600 * 1000;

export const LINK_LIFETIME_MS = {
  /** Confirm a registration (double opt-in). */
  confirm: 14 * DAY_MS,
  /** Accept a change someone asked for with the member's address. */
  change: 14 * DAY_MS,
  /** Manage my registrations: every mail carries a fresh one. */
  manage: 30 * DAY_MS,
  /** Leave a series, from a mail about it: an old mail's link should still work. */
  unregister: 365 * DAY_MS,
  /** Stop a series' mail (RFC 8058 one-click): the same. */
  unsubscribe: 365 * DAY_MS,
  /**
   * Join a session (the personal join link of mail and feeds): from the session's creation, not
   * from the mail, so every mail and feed names one link for the session and a feed's bytes
   * do not change with the clock. The route itself decides what the link does when.
   */
  join: 730 * DAY_MS,
} as const;

/** Every kind of link a member is mailed. */
export type MemberLinkAction = keyof typeof LINK_LIFETIME_MS;

/** `q`: the request it confirms (its name is offered to the member to confirm). */
export const ConfirmLink = z.object({ a: z.literal('confirm'), m: Id, s: Id, r: Id, q: Id.optional() });
export const ChangeLink = z.object({ a: z.literal('change'), m: Id, s: Id, q: Id });
/** `r`: the registration it was mailed for; a later registration is not cancelled by it. */
export const UnregisterLink = z.object({ a: z.literal('unregister'), m: Id, s: Id, r: Id });
export const ManageLink = z.object({ a: z.literal('manage'), m: Id });
/** `e`: the session. Opens the session's current meeting URL and records that the member joined. */
export const JoinLink = z.object({ a: z.literal('join'), m: Id, s: Id, e: Id });
/** Without `s`, every mail of the member stops (from a mail about no series). */
export const UnsubscribeLink = z.object({ a: z.literal('unsubscribe'), m: Id, s: Id.optional() });

export interface MemberLinks {
  confirm(link: { memberId: string; seriesId: string; registrationId: string; requestId?: string }, issuedAt: Date): string;
  change(link: { memberId: string; seriesId: string; requestId: string }, issuedAt: Date): string;
  unregister(link: { memberId: string; seriesId: string; registrationId: string }, issuedAt: Date): string;
  manage(memberId: string, issuedAt: Date): string;
  unsubscribe(link: { memberId: string; seriesId?: string }, issuedAt: Date): string;
  /** A personal feed's URL, for a feed token. */
  feed(token: string): string;
  /** The member's own link to a session's meeting (signed from the session's creation: one link per member and session). */
  join(link: { memberId: string; seriesId: string; sessionId: string }, sessionCreatedAt: Date): string;
}

export function memberLinks(signer: TokenSigner, baseUrl: string): MemberLinks {
  const until = (kind: keyof typeof LINK_LIFETIME_MS, at: Date) => new Date(at.getTime() + LINK_LIFETIME_MS[kind]);
  return {
    confirm: (l, at) =>
      `${baseUrl}/registrations/confirm?token=${signer.sign({ a: 'confirm', m: l.memberId, s: l.seriesId, r: l.registrationId, ...(l.requestId ? { q: l.requestId } : {}) }, until('confirm', at))}`,
    change: (l, at) => `${baseUrl}/registrations/change?token=${signer.sign({ a: 'change', m: l.memberId, s: l.seriesId, q: l.requestId }, until('change', at))}`,
    unregister: (l, at) => `${baseUrl}/registrations/unregister?token=${signer.sign({ a: 'unregister', m: l.memberId, s: l.seriesId, r: l.registrationId }, until('unregister', at))}`,
    manage: (memberId, at) => `${baseUrl}/manage?token=${signer.sign({ a: 'manage', m: memberId }, until('manage', at))}`,
    unsubscribe: (l, at) => `${baseUrl}/mail/unsubscribe?token=${signer.sign({ a: 'unsubscribe', m: l.memberId, ...(l.seriesId ? { s: l.seriesId } : {}) }, until('unsubscribe', at))}`,
    feed: (token) => `${baseUrl}/feeds/members/${token}.ics`,
    join: (l, createdAt) => `${baseUrl}/sessions/join?token=${signer.sign({ a: 'join', m: l.memberId, s: l.seriesId, e: l.sessionId }, until('join', createdAt))}`,
  };
}

/** A personal feed's join links for one member (functions/feeds/ical.ts JoinLinker). */
export function memberJoinLinks(signer: TokenSigner, baseUrl: string, memberId: string) {
  const links = memberLinks(signer, baseUrl);
  return (seriesId: string, session: { readonly sessionId: string; readonly createdAt: string }) => links.join({ memberId, seriesId, sessionId: session.sessionId }, new Date(session.createdAt));
}

/** The public verification page of a certificate (route verifyCertificate): its PDF's link and QR code, and its mail, name it. */
export const certificateVerificationUrl = (baseUrl: string, certificateId: string) => `${baseUrl}/certificates/${encodeURIComponent(certificateId)}`;
