/**
 * Members as the tests need them: registered over HTTP as a person does, and confirmed with
 * the link the confirmation mail carries (signed here as the dispatcher signs it, so a test
 * that is not about that mail needs no dispatcher tick). test/api/registrations.e2e.test.ts
 * and member-identity.e2e.test.ts go through the real mail.
 */
import { expect } from 'vitest';
import { memberDecider, memberStreamId } from '../../events/member/index.js';
import { fold } from '../../events/shared/decider.js';
import type { MemberEvent } from '../../events/member/events.js';
import type { RecordedEvent } from '../../events/shared/event.js';
import { memberLinks } from '../../functions/links/member-links.js';
import type { TestApi } from './api.js';

export interface Registration {
  readonly email: string;
  readonly name?: string;
  readonly language?: string;
  readonly timeZone?: string;
  readonly sessions?: 'all' | readonly string[];
}

export const pathOf = (url: string) => url.replace(/^https?:\/\/[^/]+/, '');

/** POST /series/{id}/registrations as a person's browser would (no token), expecting 202; the intake has then taken it. */
export async function register(api: TestApi, seriesId: string, r: Registration) {
  const res = await api.request('POST', `/series/${seriesId}/registrations`, {
    token: null,
    body: { email: r.email, name: r.name ?? 'Amal Haddad', language: r.language ?? 'en', timeZone: r.timeZone ?? 'Asia/Jerusalem', ...(r.sessions ? { sessions: r.sessions } : {}) },
  });
  expect(res.status, res.text).toBe(202);
  await api.takeRequests();
  return res;
}

/** The confirmation link the dispatcher would mail for a member's pending registration in a series. */
export async function confirmLinkFor(api: TestApi, email: string, seriesId: string, now = api.clock.now ?? new Date()): Promise<string> {
  const memberId = await api.members.memberIdForEmail(email);
  if (!memberId) throw new Error(`no member has ${email}`);
  const events = (await api.store.read(memberStreamId(memberId))) as RecordedEvent<MemberEvent>[];
  const registration = fold(memberDecider, events).registrations[seriesId];
  if (!registration) throw new Error(`${email} has no registration for ${seriesId}`);
  const ask = [...events].reverse().find((e) => (e.type === 'RegistrationRequested' || e.type === 'RegistrationRequestRepeated') && e.data.seriesId === seriesId);
  const requestId = ask && 'requestId' in ask.data ? (ask.data.requestId as string | undefined) : undefined;
  return memberLinks(api.signer, api.url).confirm({ memberId, seriesId, registrationId: registration.registrationId, ...(requestId ? { requestId } : {}) }, now);
}

/** What the confirm link's POST answers a program: the feed link (first time only) and the manage link. */
export interface Confirmed {
  readonly memberId: string;
  readonly feedUrl?: string;
  readonly manageUrl: string;
}

/** Registers and confirms, as the owner of the address does from the mail; the projector has seen it. */
export async function registerAndConfirm(api: TestApi, seriesId: string, r: Registration): Promise<Confirmed> {
  await register(api, seriesId, r);
  const link = await confirmLinkFor(api, r.email, seriesId);
  const confirmed = await api.request('POST', pathOf(link), { token: null, body: { name: r.name ?? 'Amal Haddad' }, headers: { accept: 'application/json' } });
  expect(confirmed.status, confirmed.text).toBe(200);
  await api.settle();
  return { memberId: (await api.members.memberIdForEmail(r.email))!, ...(confirmed.body.feedUrl ? { feedUrl: confirmed.body.feedUrl } : {}), manageUrl: confirmed.body.manageUrl };
}

/** The token of a personal feed URL. */
export const feedTokenOf = (feedUrl: string) => /\/feeds\/members\/([\w-]{32})\.ics$/.exec(feedUrl)![1]!;
