/**
 * A member's own page, opened with the "manage my registrations" link every mail carries
 * (a signed link, 30 days): their registrations, sessions, language, zone and reminders, leave
 * a series, stop mail, get a new calendar link. GET shows it; each form POSTs one change and
 * comes back to the page (303), or answers JSON to a program.
 *
 * Without a link at hand a member types their address at /members/manage-link: the answer is
 * the same whether the address is known, and the link goes by mail (the dispatcher sends it,
 * at most one per 15 minutes), never in the answer.
 */
import { Hono, type Context } from 'hono';
import { covers, type MemberCommand } from '../../../events/member/index.js';
import type { MemberDirectory } from '../../adapters/members/member-directory.js';
import type { ManageAttempts } from '../../adapters/members/manage-attempts.js';
import { ManageLink } from '../../links/member-links.js';
import { CheckInboxPage, FeedPage, ManageLinkPage, ManagePage, type ManagedRegistration } from '../../pages/member-pages.js';
import { json, page, seriesTitle, sessionLines, type MemberAccess } from '../member-access.js';
import { wantsJson } from '../negotiation.js';
import { NotFoundProblem } from '../problems.js';
import { readForm } from '../request.js';
import { EmptyForm, ManageLinkForm, PreferencesForm, SeriesForm, SessionsForm, StopMailForm } from '../member-forms.js';
import { mount } from '../mount-route.js';
import { subscribeLinks } from '../../pages/subscribe-links.js';
import { languageSwitch } from '../language-switch.js';
import { COMMON_OFFSETS, pageTranslatorFor, ZONES } from '../page-language.js';
import type { PageMessageId, PageTranslator } from '../../pages/texts/index.js';

export interface ManageDeps {
  readonly access: MemberAccess;
  readonly members: MemberDirectory;
  /** Requests for a manage link for addresses with no member: kept as long, so both answers cost the same. */
  readonly manageAttempts: ManageAttempts;
}


export function manageRoutes(deps: ManageDeps) {
  const { access, members } = deps;
  const app = new Hono<{ Variables: { requestId: string } }>();
  const token = (c: Context) => encodeURIComponent(c.req.query('token') ?? '');
  /** The page's language, kept from page to form to page (`?lang=`). */
  const lang = (c: Context) => {
    const chosen = c.req.query('lang');
    return chosen && /^[a-z]{2}$/.test(chosen) ? `&lang=${chosen}` : '';
  };
  const back = (c: Context, done: string) => {
    if (wantsJson(c)) return json(c, { status: done });
    c.header('Cache-Control', 'no-store');
    return c.redirect(`/manage?token=${token(c)}&done=${encodeURIComponent(done)}${lang(c)}`, 303);
  };
  const run = (c: Context, memberId: string, command: MemberCommand) => access.run(c, memberId, command);

  mount(app, 'managePage', async (c) => {
    const link = access.readLink(c, ManageLink, 'ask for a new link at /members/manage-link');
    const state = await access.state(link.m);
    const active = Object.values(state.registrations).filter((r) => r.status !== 'cancelled');
    const language = state.preferences.language ?? active[0]?.language ?? 'en';
    const tr = pageTranslatorFor(c, { member: language });
    const timeZone = state.preferences.timeZone ?? active[0]?.timeZone ?? 'UTC';
    const series = await Promise.all(active.map((r) => access.loadSeries(r.seriesId)));
    const registrations: ManagedRegistration[] = active.map((r, i) => {
      const s = series[i]!;
      return {
        seriesId: r.seriesId,
        series: seriesTitle(s, tr.language),
        status: r.status === 'confirmed' ? 'confirmed' : 'requested',
        all: r.sessions === 'all' && r.declined.length === 0,
        sessions: sessionLines(s, 'all', tr.language, timeZone).map((line) => ({ ...line, chosen: covers(r, line.sessionId) })),
        mailStopped: state.unsubscribed.all || state.unsubscribed.series.includes(r.seriesId),
      };
    });
    if (wantsJson(c)) {
      return json(c, {
        memberId: link.m,
        preferences: state.preferences,
        unsubscribed: state.unsubscribed,
        registrations: active.map((r) => ({ seriesId: r.seriesId, status: r.status, sessions: r.sessions, declined: r.declined, language: r.language, timeZone: r.timeZone })),
      });
    }
    const choices = [...new Set([...series.flatMap((s) => s.reminderOffsets), ...COMMON_OFFSETS, ...(state.preferences.reminderOffsets ?? [])])];
    const done = c.req.query('done');
    return page(
      c,
      <ManagePage
        tr={tr}
        languageHref={languageSwitch(c)}
        zones={ZONES}
        registrations={registrations}
        language={language}
        timeZone={timeZone}
        {...(state.preferences.reminderOffsets ? { reminders: state.preferences.reminderOffsets } : {})}
        reminderChoices={choices}
        allMailStopped={state.unsubscribed.all}
        action={(what) => `/manage/${what}?token=${token(c)}&lang=${tr.language}`}
        {...(done ? { done: doneMessage(tr, done) } : {})}
      />,
    );
  });

  mount(app, 'managePreferences', async (c) => {
    const link = access.readLink(c, ManageLink, 'ask for a new link at /members/manage-link');
    const form = await readForm(c, PreferencesForm);
    const reminders = form.reminders === undefined ? undefined : form.reminders.includes('default') ? null : (form.reminders as string[]);
    await run(c, link.m, {
      type: 'ChangePreferences',
      memberId: link.m,
      ...(form.language ? { language: form.language } : {}),
      ...(form.timeZone ? { timeZone: form.timeZone } : {}),
      ...(reminders !== undefined ? { reminderOffsets: reminders } : {}),
    });
    return back(c, 'preferences');
  });

  mount(app, 'manageSessions', async (c) => {
    const link = access.readLink(c, ManageLink, 'ask for a new link at /members/manage-link');
    const form = await readForm(c, SessionsForm);
    const state = await access.state(link.m);
    const registration = state.registrations[form.seriesId];
    if (!registration || registration.status === 'cancelled') throw new NotFoundProblem(`You are not registered for series ${form.seriesId}.`);
    const chosen = form.sessions ?? [];
    const series = await access.loadSeries(form.seriesId, { fresh: true });
    const known = Object.keys(series.sessions);
    const wanted: 'all' | string[] = chosen.includes('all') ? 'all' : chosen.filter((id) => known.includes(id));
    if (wanted !== 'all' && wanted.length === 0) {
      // Nothing ticked: that is leaving the series.
      await run(c, link.m, { type: 'CancelRegistration', memberId: link.m, seriesId: form.seriesId, sessions: 'all', cancelledBy: 'member' });
      return back(c, 'left');
    }
    const removed = wanted === 'all' ? [] : known.filter((id) => covers(registration, id) && !wanted.includes(id));
    const base = { memberId: link.m, seriesId: form.seriesId };
    await run(c, link.m, { type: 'RequestRegistration', ...base, registrationId: registration.registrationId, sessions: wanted, language: registration.language, timeZone: registration.timeZone, source: 'member', requestId: access.newId() });
    if (removed.length > 0) await run(c, link.m, { type: 'CancelRegistration', ...base, sessions: removed, cancelledBy: 'member' });
    return back(c, 'sessions');
  });

  mount(app, 'manageLeave', async (c) => {
    const link = access.readLink(c, ManageLink, 'ask for a new link at /members/manage-link');
    const form = await readForm(c, SeriesForm);
    try {
      await run(c, link.m, { type: 'CancelRegistration', memberId: link.m, seriesId: form.seriesId, sessions: 'all', cancelledBy: 'member' });
    } catch {
      throw new NotFoundProblem(`You are not registered for series ${form.seriesId}.`);
    }
    return back(c, 'left');
  });

  mount(app, 'manageStopMail', async (c) => {
    const link = access.readLink(c, ManageLink, 'ask for a new link at /members/manage-link');
    const form = await readForm(c, StopMailForm);
    await run(c, link.m, { type: 'Unsubscribe', memberId: link.m, ...(form.seriesId ? { seriesId: form.seriesId } : {}), via: 'link' });
    return back(c, form.seriesId ? 'series-mail-stopped' : 'mail-stopped');
  });

  mount(app, 'manageFeed', async (c) => {
    const link = access.readLink(c, ManageLink, 'ask for a new link at /members/manage-link');
    await readForm(c, EmptyForm);
    const feedUrl = access.links.feed(await members.rotateFeedToken(link.m));
    const manageUrl = `/manage?token=${token(c)}${lang(c)}`;
    if (wantsJson(c)) return json(c, { feedUrl }, 201);
    const state = await access.state(link.m);
    const tr = pageTranslatorFor(c, { member: state.preferences.language ?? Object.values(state.registrations)[0]?.language });
    return page(c, <FeedPage tr={tr} languageHref={languageSwitch(c)} feedUrl={feedUrl} links={subscribeLinks(feedUrl, 'Convene')} manageUrl={manageUrl} />);
  });

  mount(app, 'manageLinkPage', (c) => {
    const tr = pageTranslatorFor(c);
    return page(c, <ManageLinkPage tr={tr} languageHref={languageSwitch(c)} action={`/members/manage-link?lang=${tr.language}`} />);
  });

  mount(app, 'manageLink', async (c) => {
    const form = await readForm(c, ManageLinkForm);
    const memberId = await members.memberIdForEmail(form.email);
    // The same work and the same answer whether or not the address is a member's: one read, one write.
    if (memberId) await run(c, memberId, { type: 'RequestManageLink', memberId, requestId: access.newId() });
    else await deps.manageAttempts.note(form.email, access.clock());
    if (wantsJson(c)) return json(c, { status: 'check-your-inbox' }, 202);
    return page(c, <CheckInboxPage tr={pageTranslatorFor(c)} languageHref={languageSwitch(c)} />, 202);
  });

  return app;
}

const DONE: Readonly<Record<string, PageMessageId>> = {
  preferences: 'manage.done.preferences',
  sessions: 'manage.done.sessions',
  left: 'manage.done.left',
  'series-mail-stopped': 'manage.done.series-mail-stopped',
  'mail-stopped': 'manage.done.mail-stopped',
};

function doneMessage(tr: PageTranslator, done: string): string {
  return tr.t(DONE[done] ?? 'manage.done.saved');
}
