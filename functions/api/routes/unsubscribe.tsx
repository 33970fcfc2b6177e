/**
 * Stopping a series' mail from the link every mail carries (RFC 2369 List-Unsubscribe,
 * RFC 8058 one-click). GET shows a page that asks (mail scanners open links and must not
 * unsubscribe anyone); POST, which mail clients send with `List-Unsubscribe=One-Click`,
 * appends MemberUnsubscribed at once and answers with a confirmation page. The registration
 * stays (the feed keeps working); only mail stops. Doing it twice is harmless.
 */
import { Hono } from 'hono';
import { memberDecider, memberStreamId } from '../../../events/member/index.js';
import type { ConveneEvent } from '../../../events/registry.js';
import type { EventStore } from '../../adapters/event-store/event-store.js';
import type { ReadModelStore } from '../../read-models/read-model-store.js';
import { handleCommand } from '../../commands/command-handler.js';
import { memberEvents } from '../../adapters/event-store/category-stores.js';
import { escapeHtml, htmlDocument } from '../../mail/compose.js';
import { UnsubscribeLink } from '../../mail/unsubscribe-links.js';
import { getSchedule } from '../../read-models/queries.js';
import type { TokenSigner } from '../../security/signed-token.js';
import { signedLinkReader } from '../signed-link.js';
import { mount } from '../mount-route.js';

export interface UnsubscribeDeps {
  readonly store: EventStore<ConveneEvent>;
  readonly readModels: ReadModelStore;
  readonly signer: TokenSigner;
  readonly clock?: () => Date;
}

export function unsubscribeRoutes(deps: UnsubscribeDeps) {
  const app = new Hono<{ Variables: { requestId: string } }>();
  const clock = deps.clock ?? (() => new Date());
  const readLink = signedLinkReader(deps.signer, clock);
  const seriesTitle = async (seriesId: string | undefined) => {
    if (seriesId === undefined) return undefined;
    const schedule = (await getSchedule(deps.readModels, seriesId))?.doc;
    const title = schedule ? (schedule.title[schedule.languages[0] ?? ''] ?? Object.values(schedule.title)[0]) : undefined;
    return title ?? seriesId;
  };
  const page = (title: string, body: string) => htmlDocument('en', title, `<h1 style="font-size:22px;">${escapeHtml(title)}</h1>\n${body}`);

  mount(app, 'unsubscribePage', async (c) => {
    const link = readLink(c, UnsubscribeLink, 'use the link in a newer mail');
    const title = await seriesTitle(link.s);
    const action = `/mail/unsubscribe?token=${encodeURIComponent(c.req.query('token') ?? '')}`;
    c.header('Cache-Control', 'no-store');
    return c.html(
      page(
        title === undefined ? 'Stop all mail from Convene?' : 'Stop mail about this series?',
        `<p>${title === undefined ? 'You will get no more mail from Convene about any series' : `You will get no more mail about “${escapeHtml(title)}”`}: no invitations, updates or reminders. Your registrations and calendar feed stay as they are.</p>
<form method="post" action="${escapeHtml(action)}"><button type="submit" name="List-Unsubscribe" value="One-Click" style="font-size:16px;padding:8px 16px;">Stop mail</button></form>\n`,
      ),
    );
  });

  mount(app, 'unsubscribe', async (c) => {
    const link = readLink(c, UnsubscribeLink, 'use the link in a newer mail');
    await handleCommand({
      store: memberEvents(deps.store),
      decider: memberDecider,
      streamId: memberStreamId(link.m),
      command: { type: 'Unsubscribe', memberId: link.m, ...(link.s ? { seriesId: link.s } : {}), via: 'one-click' },
      context: { actor: { kind: 'member', id: link.m }, correlationId: c.get('requestId') ?? crypto.randomUUID(), now: clock },
    });
    const title = await seriesTitle(link.s);
    c.header('Cache-Control', 'no-store');
    return c.html(page('You are unsubscribed', `<p>You will get no more mail ${title === undefined ? 'from Convene' : `about “${escapeHtml(title)}”`}.</p>\n`));
  });

  return app;
}
