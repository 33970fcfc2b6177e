/**
 * The links mailed about one registration (functions/links/member-links.ts): confirm it,
 * accept a change someone asked for with the member's address, leave the series. GET (and
 * HEAD) shows a page that asks and changes nothing, as mail scanners open links; the form's
 * POST does it. A program gets JSON for the POST (`Accept: application/json`).
 *
 * Confirming takes the member's name from the form they post (offered pre-filled with the name
 * given with the request): a name nobody confirmed is never used. The first confirmation gives
 * the member their personal feed link, once.
 */
import { Hono, type Context } from 'hono';
import { NotFoundError } from '../../../events/shared/errors.js';
import type { MemberDirectory } from '../../adapters/members/member-directory.js';
import { ChangeLink, ConfirmLink, UnregisterLink } from '../../links/member-links.js';
import { AskPage, ChangedPage, ChangePage, ConfirmedPage, ConfirmPage, DonePage } from '../../pages/member-pages.js';
import { subscribeLinks } from '../../pages/subscribe-links.js';
import { languageSwitch } from '../language-switch.js';
import { pageTranslatorFor } from '../page-language.js';
import type { PageTranslator } from '../../pages/texts/index.js';
import { json, page, seriesTitle, sessionLines, type MemberAccess } from '../member-access.js';
import { wantsJson } from '../negotiation.js';
import { ApiError } from '../problems.js';
import { readForm } from '../request.js';
import { ConfirmForm, EmptyForm } from '../member-forms.js';
import { mount } from '../mount-route.js';

export interface RegistrationLinkDeps {
  readonly access: MemberAccess;
  readonly members: MemberDirectory;
}


const gone = (detail: string) => new ApiError(410, 'registration-gone', 'No longer pending', detail);

export function registrationLinkRoutes(deps: RegistrationLinkDeps) {
  const { access, members } = deps;
  const app = new Hono<{ Variables: { requestId: string } }>();
  /** This link's address, for its form (in the page's language). */
  const here = (c: Context, language: string) => `${new URL(c.req.url).pathname}?token=${encodeURIComponent(c.req.query('token') ?? '')}&lang=${language}`;

  /** What the unregister link's POST answers, and its GET shows once it is done. */
  const unregistered = (c: Context, tr: PageTranslator, series: Parameters<typeof seriesTitle>[0], memberId: string) =>
    page(
      c,
      <DonePage tr={tr} languageHref={languageSwitch(c)} title={tr.t('unregistered.title')} message={tr.n('unregistered.body', { series: seriesTitle(series, tr.language) })} manageUrl={access.links.manage(memberId, access.clock())} />,
    );

  mount(app, 'confirmPage', async (c) => {
    const link = access.readLink(c, ConfirmLink);
    const [state, series, member] = await Promise.all([access.state(link.m), access.loadSeries(link.s), members.get(link.m)]);
    const registration = state.registrations[link.s];
    if (!registration || registration.registrationId !== link.r || registration.status === 'cancelled') {
      throw gone('This registration was cancelled or replaced: register again.');
    }
    const tr = pageTranslatorFor(c, { member: state.preferences.language ?? registration.language, series: series.languages });
    const title = seriesTitle(series, tr.language);
    if (registration.status === 'confirmed') return page(c, <ConfirmedPage tr={tr} languageHref={languageSwitch(c)} series={title} manageUrl={access.links.manage(link.m, access.clock())} already />);
    const name = (link.q ? await members.requestedName(link.q, link.m) : undefined) ?? member?.name ?? '';
    return page(
      c,
      <ConfirmPage tr={tr} languageHref={languageSwitch(c)} series={title} action={here(c, tr.language)} name={name} timeZone={registration.timeZone} sessions={sessionLines(series, registration.sessions, tr.language, registration.timeZone)} reminders={registration.requestedReminders} />,
    );
  });

  mount(app, 'confirm', async (c) => {
    const link = access.readLink(c, ConfirmLink);
    const form = await readForm(c, ConfirmForm);
    try {
      await access.run(c, link.m, { type: 'ConfirmRegistration', memberId: link.m, seriesId: link.s, registrationId: link.r });
    } catch (error) {
      if (error instanceof NotFoundError) throw gone('This registration was cancelled or replaced: register again.');
      throw error;
    }
    // The name is the member's once they confirm it (a program that sends none keeps the one given with the request).
    const name = form.name?.trim() || (link.q ? await members.requestedName(link.q, link.m) : undefined);
    if (name) await members.setName(link.m, name);
    const token = await members.ensureFeedToken(link.m);
    const manageUrl = access.links.manage(link.m, access.clock());
    const feedUrl = token ? access.links.feed(token) : undefined;
    if (wantsJson(c)) return json(c, { status: 'confirmed', seriesId: link.s, ...(feedUrl ? { feedUrl } : {}), manageUrl });
    const series = await access.loadSeries(link.s);
    const state = await access.state(link.m);
    const tr = pageTranslatorFor(c, { member: state.preferences.language ?? state.registrations[link.s]?.language, series: series.languages });
    const title = seriesTitle(series, tr.language);
    return page(c, <ConfirmedPage tr={tr} languageHref={languageSwitch(c)} series={title} manageUrl={manageUrl} {...(feedUrl ? { feed: { url: feedUrl, links: subscribeLinks(feedUrl, title) } } : {})} />);
  });

  mount(app, 'changePage', async (c) => {
    const link = access.readLink(c, ChangeLink, 'ask for the change again');
    const [state, series] = await Promise.all([access.state(link.m), access.loadSeries(link.s)]);
    const registration = state.registrations[link.s];
    const change = registration?.pendingChange;
    if (!registration || registration.status === 'cancelled' || change?.requestId !== link.q) {
      throw gone('This change was accepted already, replaced by a newer request, or the registration is gone.');
    }
    const tr = pageTranslatorFor(c, { member: state.preferences.language ?? registration.language, series: series.languages });
    return page(
      c,
      <ChangePage tr={tr} languageHref={languageSwitch(c)} series={seriesTitle(series, tr.language)} action={here(c, tr.language)} language={change.language} timeZone={change.timeZone} sessions={change.sessions ? sessionLines(series, change.sessions, tr.language, change.timeZone) : []} />,
    );
  });

  mount(app, 'acceptChange', async (c) => {
    const link = access.readLink(c, ChangeLink, 'ask for the change again');
    await readForm(c, EmptyForm);
    try {
      await access.run(c, link.m, { type: 'AcceptRegistrationChange', memberId: link.m, seriesId: link.s, requestId: link.q });
    } catch (error) {
      if (error instanceof NotFoundError) throw gone('This change was accepted already, replaced by a newer request, or the registration is gone.');
      throw error;
    }
    const manageUrl = access.links.manage(link.m, access.clock());
    if (wantsJson(c)) return json(c, { status: 'changed', seriesId: link.s, manageUrl });
    const [series, state] = await Promise.all([access.loadSeries(link.s), access.state(link.m)]);
    const tr = pageTranslatorFor(c, { member: state.preferences.language ?? state.registrations[link.s]?.language, series: series.languages });
    return page(c, <ChangedPage tr={tr} languageHref={languageSwitch(c, manageUrl)} series={seriesTitle(series, tr.language)} manageUrl={manageUrl} />);
  });

  // Opening the link only asks: mail scanners follow links, and must not unregister anyone.
  mount(app, 'unregisterPage', async (c) => {
    const link = access.readLink(c, UnregisterLink, 'use the link in a newer mail, or your page');
    const [series, state] = await Promise.all([access.loadSeries(link.s), access.state(link.m)]);
    const tr = pageTranslatorFor(c, { member: state.preferences.language ?? state.registrations[link.s]?.language, series: series.languages });
    const registration = state.registrations[link.s];
    if (registration?.registrationId === link.r && registration.status === 'cancelled') return unregistered(c, tr, series, link.m);
    return page(
      c,
      <AskPage tr={tr} languageHref={languageSwitch(c)} title={tr.t('unregister.title')} intro={tr.n('unregister.intro', { series: <strong>{seriesTitle(series, tr.language)}</strong> })} action={here(c, tr.language)} submit={tr.t('unregister.submit')} />,
    );
  });

  // The form above, and RFC 8058 one-click: mail clients POST `List-Unsubscribe=One-Click` here.
  mount(app, 'unregister', async (c) => {
    const link = access.readLink(c, UnregisterLink, 'use the link in a newer mail, or your page');
    try {
      // Only the registration the link was mailed for: an old link never cancels a newer one.
      await access.run(c, link.m, { type: 'CancelRegistration', memberId: link.m, seriesId: link.s, sessions: 'all', cancelledBy: 'member', registrationId: link.r });
    } catch (error) {
      if (error instanceof NotFoundError) throw gone('This link is for an earlier registration of yours; your current one stays. Use the link in a newer mail, or your page.');
      throw error;
    }
    if (wantsJson(c)) return json(c, { status: 'unregistered', seriesId: link.s });
    const [series, state] = await Promise.all([access.loadSeries(link.s), access.state(link.m)]);
    return unregistered(c, pageTranslatorFor(c, { member: state.preferences.language ?? state.registrations[link.s]?.language, series: series.languages }), series, link.m);
  });

  return app;
}
