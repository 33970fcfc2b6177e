/**
 * Stopping a series' mail from the link every mail carries (RFC 2369 List-Unsubscribe,
 * RFC 8058 one-click). GET shows a page that asks (mail scanners open links and must not
 * unsubscribe anyone); POST, which mail clients send with `List-Unsubscribe=One-Click`,
 * appends MemberUnsubscribed at once and answers with a confirmation page. The registration
 * stays (the feed keeps working); only mail stops. Doing it twice is harmless.
 */
import { Hono, type Context } from 'hono';
import { memberDecider, memberStreamId } from '../../../events/member/index.js';
import type { ConveneEvent } from '../../../events/registry.js';
import { fold } from '../../../events/shared/decider.js';
import type { EventStore } from '../../adapters/event-store/event-store.js';
import type { ReadModelStore } from '../../read-models/read-model-store.js';
import { handleCommand } from '../../commands/command-handler.js';
import { memberEvents } from '../../adapters/event-store/category-stores.js';
import { UnsubscribeLink } from '../../mail/unsubscribe-links.js';
import { pickText } from '../../feeds/ical.js';
import { AskPage, DonePage } from '../../pages/member-pages.js';
import type { PageTranslator } from '../../pages/texts/index.js';
import { getSchedule } from '../../read-models/queries.js';
import type { TokenSigner } from '../../security/signed-token.js';
import { page } from '../member-access.js';
import { languageSwitch } from '../language-switch.js';
import { pageTranslatorFor } from '../page-language.js';
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
  const members = memberEvents(deps.store);
  /** The page's translator (the member's language) and the series' title in it. */
  const wording = async (c: Context, memberId: string, seriesId: string | undefined) => {
    const [events, schedule] = await Promise.all([members.read(memberStreamId(memberId)), seriesId === undefined ? undefined : getSchedule(deps.readModels, seriesId)]);
    const state = fold(memberDecider, events);
    const language = state.preferences.language ?? (seriesId ? state.registrations[seriesId]?.language : undefined) ?? Object.values(state.registrations)[0]?.language;
    const tr = pageTranslatorFor(c, { member: language, series: schedule?.doc.languages });
    const title = seriesId === undefined ? undefined : ((schedule ? pickText(schedule.doc.title, tr.language, schedule.doc.languages) : undefined) ?? seriesId);
    const stopped = state.unsubscribed.all || (seriesId !== undefined && state.unsubscribed.series.includes(seriesId));
    return { tr, title, stopped };
  };
  const done = (c: Context, tr: PageTranslator, title: string | undefined) =>
    page(c, <DonePage tr={tr} languageHref={languageSwitch(c)} title={tr.t('unsubscribed.title')} message={title === undefined ? tr.t('unsubscribed.allBody') : tr.n('unsubscribed.body', { series: title })} />);

  mount(app, 'unsubscribePage', async (c) => {
    const link = readLink(c, UnsubscribeLink, 'use the link in a newer mail');
    const { tr, title, stopped } = await wording(c, link.m, link.s);
    // Once stopped, the link shows so (the switch of the POST's answer opens this page).
    if (stopped) return done(c, tr, title);
    const action = `/mail/unsubscribe?token=${encodeURIComponent(c.req.query('token') ?? '')}&lang=${tr.language}`;
    return page(
      c,
      <AskPage
        tr={tr}
        languageHref={languageSwitch(c)}
        title={tr.t(title === undefined ? 'unsubscribe.allTitle' : 'unsubscribe.title')}
        intro={title === undefined ? tr.t('unsubscribe.allIntro') : tr.n('unsubscribe.intro', { series: <strong>{title}</strong> })}
        action={action}
        submit={tr.t('unsubscribe.submit')}
      />,
    );
  });

  mount(app, 'unsubscribe', async (c) => {
    const link = readLink(c, UnsubscribeLink, 'use the link in a newer mail');
    await handleCommand({
      store: members,
      decider: memberDecider,
      streamId: memberStreamId(link.m),
      command: { type: 'Unsubscribe', memberId: link.m, ...(link.s ? { seriesId: link.s } : {}), via: 'one-click' },
      context: { actor: { kind: 'member', id: link.m }, correlationId: c.get('requestId') ?? crypto.randomUUID(), now: clock },
    });
    const { tr, title } = await wording(c, link.m, link.s);
    return done(c, tr, title);
  });

  return app;
}
