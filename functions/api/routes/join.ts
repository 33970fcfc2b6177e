/**
 * The member's own join link (mail and personal feeds carry it instead of the meeting URL):
 * `GET /sessions/join?token=…` redirects to the session's meeting URL as it is now, so a changed
 * meeting link reaches everyone at once, even calendars that refresh once a day. Opened from 15
 * minutes before the start to the end, it also records that the member joined (once: the member
 * decider keeps the first join).
 *
 * A GET that records something: following the link is the act, as with any meeting link. Mail
 * scanners open links too, so only a browser's own navigation counts (`Sec-Fetch-Mode:
 * navigate` and `Sec-Fetch-Dest: document`, which every current browser sends and an HTTP
 * client or a HEAD does not); a participants report (the admin import) corrects the rest.
 * The redirect is `no-store` and sends no Referer, so the token stays here.
 */
import { Hono } from 'hono';
import { memberDecider, memberStreamId } from '../../../events/member/index.js';
import type { ConveneEvent } from '../../../events/registry.js';
import type { EventStore } from '../../adapters/event-store/event-store.js';
import { memberEvents } from '../../adapters/event-store/category-stores.js';
import { handleCommand } from '../../commands/command-handler.js';
import { JoinLink } from '../../links/member-links.js';
import { getSchedule } from '../../read-models/queries.js';
import type { ReadModelStore } from '../../read-models/read-model-store.js';
import type { TokenSigner } from '../../security/signed-token.js';
import { ApiError } from '../problems.js';
import { signedLinkReader } from '../signed-link.js';
import { mount } from '../mount-route.js';
import { certificateContexts, withCertificate } from '../certificate-context.js';

/** From how long before the start a join counts as attendance. */
export const JOIN_EARLY_MS = 15 * 60_000;

export interface JoinDeps {
  readonly store: EventStore<ConveneEvent>;
  readonly readModels: ReadModelStore;
  readonly signer: TokenSigner;
  readonly clock?: () => Date;
}

export function joinRoutes(deps: JoinDeps) {
  const app = new Hono<{ Variables: { requestId: string } }>();
  const clock = deps.clock ?? (() => new Date());
  const readLink = signedLinkReader(deps.signer, clock);
  const members = memberEvents(deps.store);

  mount(app, 'join', async (c) => {
    const link = readLink(c, JoinLink, 'open the session from a newer mail or your calendar feed');
    const schedule = (await getSchedule(deps.readModels, link.s))?.doc;
    const session = schedule?.sessions.find((s) => s.sessionId === link.e);
    if (!session) throw new ApiError(404, 'no-such-session', 'No such session', 'This session is no longer in the series.');
    if (session.status === 'cancelled') {
      throw new ApiError(410, 'session-cancelled', 'Session cancelled', `This session was cancelled${session.cancellationReason ? `: ${session.cancellationReason}` : '.'}`);
    }
    if (!session.joinUrl) throw new ApiError(404, 'no-join-link-yet', 'No meeting link yet', 'The organiser has not given this session a meeting link yet: the mail before the session will carry it.');
    const now = clock();
    const inWindow = now.getTime() >= Date.parse(session.startsAt) - JOIN_EARLY_MS && now.getTime() <= Date.parse(session.endsAt);
    const navigation = c.req.method === 'GET' && c.req.header('sec-fetch-mode') === 'navigate' && c.req.header('sec-fetch-dest') === 'document';
    if (inWindow && navigation) {
      await handleCommand({
        store: members,
        decider: memberDecider,
        streamId: memberStreamId(link.m),
        command: { type: 'RecordAttendance', memberId: link.m, seriesId: link.s, sessionId: link.e, source: 'join-link', joinedAt: now.toISOString(), ...withCertificate(certificateContexts(schedule!, now)()) },
        context: { actor: { kind: 'member', id: link.m }, correlationId: c.get('requestId') ?? crypto.randomUUID(), now: clock },
      });
    }
    c.header('Cache-Control', 'no-store');
    c.header('Referrer-Policy', 'no-referrer');
    return c.redirect(session.joinUrl, 302);
  });

  return app;
}
