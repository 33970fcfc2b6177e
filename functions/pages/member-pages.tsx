/**
 * The pages a member sees when they open a link Convene mailed them: each link's GET shows
 * one of these and asks; only the form's POST changes anything (mail scanners open links).
 * Every text comes from the catalogues (./texts/), in the member's language.
 */
import type { Child, FC } from 'hono/jsx';
import { Layout } from './layout.js';
import { andList, unitFormat, unitList } from './formats.js';
import type { PageLanguage, PageTranslator } from './texts/index.js';
import { languageName, PAGE_LANGUAGES } from './texts/index.js';

export interface SessionLine {
  readonly title: string;
  readonly when: string;
}

/** What every page takes: its translator, and the same page's address in another language. */
export interface PageFrame {
  readonly tr: PageTranslator;
  readonly languageHref: (language: PageLanguage) => string;
}

const Sessions: FC<{ tr: PageTranslator; sessions: readonly SessionLine[] }> = ({ tr, sessions }) =>
  sessions.length === 0 ? (
    <p class="muted">{tr.t('series.noSessions')}</p>
  ) : (
    <ul>
      {sessions.map((s) => (
        <li>
          <bdi>{s.title}</bdi>
          <br />
          <span class="muted">{s.when}</span>
        </li>
      ))}
    </ul>
  );

const ManageLinkParagraph: FC<{ tr: PageTranslator; manageUrl: string; intro: Child }> = ({ tr, manageUrl, intro }) => (
  <p>
    {intro} <a href={manageUrl}>{tr.t('confirmed.manageLink')}</a>
  </p>
);

export const ConfirmPage: FC<PageFrame & { series: string; action: string; name: string; timeZone: string; sessions: readonly SessionLine[]; reminders?: readonly string[] | undefined }> = (p) => (
  <Layout title={p.tr.t('confirm.title')} tr={p.tr} languageHref={p.languageHref}>
    <p>{p.tr.n('confirm.intro', { series: <strong>{p.series}</strong> })}</p>
    <h2>{p.tr.t('series.sessions')}</h2>
    <p class="muted">{p.tr.n('confirm.timesNote', { zone: p.timeZone })}</p>
    <Sessions tr={p.tr} sessions={p.sessions} />
    {p.reminders ? (
      <p>
        {p.tr.n('confirm.reminders', {
          reminders: p.reminders.length === 0 ? p.tr.t('confirm.noReminders') : andList(p.tr.locale).format(p.reminders.map((o) => offsetLabel(p.tr, o))),
        })}
      </p>
    ) : null}
    <form method="post" action={p.action}>
      <label for="name">{p.tr.t('confirm.name')}</label>
      <input type="text" id="name" name="name" value={p.name} maxlength={200} autocomplete="name" dir="auto" />
      <button type="submit">{p.tr.t('confirm.submit')}</button>
    </form>
    <p class="muted">{p.tr.t('confirm.notYou')}</p>
  </Layout>
);

/** The subscribe buttons of a calendar feed (./subscribe-links.ts makes the addresses). */
export interface SubscribeLinks {
  readonly webcal: string;
  readonly google: string;
  readonly outlook: string;
  readonly download: string;
}

export const SubscribeButtons: FC<{ tr: PageTranslator; links: SubscribeLinks }> = ({ tr, links }) => (
  <ul class="subscribe">
    <li>
      <a class="button" href={links.webcal}>{tr.t('subscribe.webcal')}</a>
    </li>
    <li>
      <a class="button" href={links.google}>{tr.t('subscribe.google')}</a>
    </li>
    <li>
      <a class="button" href={links.outlook}>{tr.t('subscribe.outlook')}</a>
    </li>
    <li>
      <a class="button secondary" href={links.download}>{tr.t('subscribe.download')}</a>
    </li>
  </ul>
);

export const ConfirmedPage: FC<PageFrame & { series: string; feed?: { url: string; links: SubscribeLinks }; manageUrl: string; already?: boolean }> = (p) => (
  <Layout title={p.tr.t(p.already ? 'confirmed.already' : 'confirmed.title')} tr={p.tr} languageHref={p.languageHref}>
    <p class="notice">{p.tr.n('confirmed.body', { series: <strong>{p.series}</strong> })}</p>
    {p.feed ? (
      <>
        <h2>{p.tr.t('confirmed.feedHeading')}</h2>
        <p>{p.tr.t('subscribe.personalIntro')}</p>
        <SubscribeButtons tr={p.tr} links={p.feed.links} />
        <p class="link" dir="ltr">
          <a href={p.feed.url}>{p.feed.url}</a>
        </p>
        <p class="muted">{p.tr.t('confirmed.feedOnce')}</p>
      </>
    ) : null}
    <h2>{p.tr.t('confirmed.manageHeading')}</h2>
    <ManageLinkParagraph tr={p.tr} manageUrl={p.manageUrl} intro={p.tr.t('confirmed.manage')} />
  </Layout>
);

export const ChangePage: FC<PageFrame & { series: string; action: string; sessions: readonly SessionLine[]; language: string; timeZone: string }> = (p) => (
  <Layout title={p.tr.t('change.title')} tr={p.tr} languageHref={p.languageHref}>
    <p>{p.tr.n('change.intro', { series: <strong>{p.series}</strong> })}</p>
    {p.sessions.length > 0 ? (
      <>
        <h2>{p.tr.t('change.sessions')}</h2>
        <Sessions tr={p.tr} sessions={p.sessions} />
      </>
    ) : null}
    <h2>{p.tr.t('change.languageZone')}</h2>
    <p>
      {p.tr.n('change.language', { language: p.language })}
      <br />
      {p.tr.n('change.timeZone', { zone: p.timeZone })}
    </p>
    <form method="post" action={p.action}>
      <button type="submit">{p.tr.t('change.submit')}</button>
    </form>
    <p class="muted">{p.tr.t('change.notYou')}</p>
  </Layout>
);

export const ChangedPage: FC<PageFrame & { series: string; manageUrl: string }> = (p) => (
  <Layout title={p.tr.t('changed.title')} tr={p.tr} languageHref={p.languageHref}>
    <p class="notice">{p.tr.n('changed.body', { series: <strong>{p.series}</strong> })}</p>
    <ManageLinkParagraph tr={p.tr} manageUrl={p.manageUrl} intro={p.tr.t('done.manage')} />
  </Layout>
);

/** Asks before a POST: leaving a series (the unregister link), or stopping mail (the unsubscribe link). */
export const AskPage: FC<PageFrame & { title: string; intro: Child; action: string; submit: string }> = (p) => (
  <Layout title={p.title} tr={p.tr} languageHref={p.languageHref}>
    <p>{p.intro}</p>
    <form method="post" action={p.action}>
      <button type="submit" name="List-Unsubscribe" value="One-Click">
        {p.submit}
      </button>
    </form>
  </Layout>
);

export const DonePage: FC<PageFrame & { title: string; message: Child; manageUrl?: string }> = (p) => (
  <Layout title={p.title} tr={p.tr} languageHref={p.languageHref}>
    <p class="notice">{p.message}</p>
    {p.manageUrl ? <ManageLinkParagraph tr={p.tr} manageUrl={p.manageUrl} intro={p.tr.t('done.manage')} /> : null}
  </Layout>
);

export interface ManagedRegistration {
  readonly seriesId: string;
  readonly series: string;
  readonly status: 'requested' | 'confirmed';
  readonly sessions: readonly (SessionLine & { readonly sessionId: string; readonly chosen: boolean })[];
  readonly all: boolean;
  readonly mailStopped: boolean;
}

export interface ManagePageProps extends PageFrame {
  readonly registrations: readonly ManagedRegistration[];
  readonly language: string;
  readonly timeZone: string;
  /** Every IANA zone, for the zone field's list. */
  readonly zones: readonly string[];
  readonly reminders?: readonly string[];
  /** Offsets the member may choose from (the series' defaults and common ones). */
  readonly reminderChoices: readonly string[];
  readonly allMailStopped: boolean;
  /** `/manage/...?token=…` for each action. */
  readonly action: (what: 'preferences' | 'sessions' | 'leave' | 'stop-mail' | 'feed') => string;
  readonly done?: string;
}

export const ManagePage: FC<ManagePageProps> = (p) => (
  <Layout title={p.tr.t('manage.title')} tr={p.tr} languageHref={p.languageHref}>
    {p.done ? (
      <p class="notice" role="status">
        {p.done}
      </p>
    ) : null}
    {p.registrations.length === 0 ? <p>{p.tr.t('manage.none')}</p> : null}
    {p.registrations.map((r) => (
      <section aria-labelledby={`series-${r.seriesId}`}>
        <h2 id={`series-${r.seriesId}`}>
          <bdi>{r.series}</bdi>
        </h2>
        <p class="muted">
          {p.tr.t(r.status === 'confirmed' ? 'manage.confirmed' : 'manage.requested')}
          {r.mailStopped ? ` ${p.tr.t('manage.mailStopped')}` : ''}
        </p>
        <form method="post" action={p.action('sessions')}>
          <input type="hidden" name="seriesId" value={r.seriesId} />
          <fieldset>
            <legend>{p.tr.t('manage.sessions')}</legend>
            <label class="choice">
              <input type="checkbox" name="sessions" value="all" checked={r.all} /> {p.tr.t('manage.allSessions')}
            </label>
            {r.sessions.map((s) => (
              <label class="choice">
                <input type="checkbox" name="sessions" value={s.sessionId} checked={r.all || s.chosen} />
                <span>
                  <bdi>{s.title}</bdi> <span class="muted">{s.when}</span>
                </span>
              </label>
            ))}
          </fieldset>
          <button type="submit">{p.tr.t('manage.saveSessions')}</button>
        </form>
        <div class="actions">
          <form method="post" action={p.action('stop-mail')}>
            <input type="hidden" name="seriesId" value={r.seriesId} />
            <button type="submit" class="secondary">
              {p.tr.t('manage.stopSeriesMail')}
            </button>
          </form>
          <form method="post" action={p.action('leave')}>
            <input type="hidden" name="seriesId" value={r.seriesId} />
            <button type="submit" class="secondary">
              {p.tr.t('manage.leave')}
            </button>
          </form>
        </div>
      </section>
    ))}
    <h2>{p.tr.t('manage.preferences')}</h2>
    <form method="post" action={p.action('preferences')}>
      <LanguageSelect tr={p.tr} id="language" label={p.tr.t('manage.language')} value={p.language} />
      <ZoneField tr={p.tr} id="timeZone" label={p.tr.t('manage.timeZone')} value={p.timeZone} zones={p.zones} />
      <fieldset>
        <legend>{p.tr.t('manage.reminders')}</legend>
        <label class="choice">
          <input type="checkbox" name="reminders" value="default" checked={p.reminders === undefined} /> {p.tr.t('manage.remindersDefault')}
        </label>
        {p.reminderChoices.map((offset) => (
          <label class="choice">
            <input type="checkbox" name="reminders" value={offset} checked={p.reminders?.includes(offset) ?? false} /> {offsetLabel(p.tr, offset)}
          </label>
        ))}
      </fieldset>
      <button type="submit">{p.tr.t('manage.save')}</button>
    </form>
    <h2>{p.tr.t('manage.allMail')}</h2>
    <form method="post" action={p.action('stop-mail')}>
      <button type="submit" class="secondary">
        {p.tr.t(p.allMailStopped ? 'manage.allMailStopped' : 'manage.stopAllMail')}
      </button>
    </form>
    <h2>{p.tr.t('manage.feedHeading')}</h2>
    <p>{p.tr.t('manage.feedIntro')}</p>
    <form method="post" action={p.action('feed')}>
      <button type="submit" class="secondary">
        {p.tr.t('manage.newFeed')}
      </button>
    </form>
  </Layout>
);

/** The language a member's mail comes in: a list of the catalogue's languages, each in its own name. */
export const LanguageSelect: FC<{ tr: PageTranslator; id: string; label: string; value: string; describedBy?: string; invalid?: boolean }> = (p) => (
  <>
    <label for={p.id}>{p.label}</label>
    <select id={p.id} name={p.id} aria-describedby={p.describedBy} aria-invalid={p.invalid ? 'true' : undefined}>
      {PAGE_LANGUAGES.map((language) => (
        <option value={language} selected={p.value.toLowerCase().split('-')[0] === language} lang={language}>
          {languageName(language)}
        </option>
      ))}
    </select>
  </>
);

/** A time zone: a text field with every IANA zone as its suggestions (searchable as one types), no script needed. */
export const ZoneField: FC<{ tr: PageTranslator; id: string; label: string; value: string; zones: readonly string[]; hint?: string; describedBy?: string; invalid?: boolean; fromBrowser?: boolean }> = (p) => (
  <>
    <label for={p.id}>{p.label}</label>
    {p.hint ? (
      <p class="hint" id={`${p.id}-hint`}>
        {p.hint}
      </p>
    ) : null}
    <input
      type="text"
      id={p.id}
      name={p.id}
      value={p.value}
      list={`${p.id}-zones`}
      maxlength={64}
      autocomplete="off"
      spellcheck={false}
      dir="ltr"
      aria-describedby={[p.hint ? `${p.id}-hint` : '', p.describedBy ?? ''].filter(Boolean).join(' ') || undefined}
      aria-invalid={p.invalid ? 'true' : undefined}
      data-browser-zone={p.fromBrowser ? '' : undefined}
    />
    <datalist id={`${p.id}-zones`}>
      {p.zones.map((zone) => (
        <option value={zone} />
      ))}
    </datalist>
  </>
);

export const FeedPage: FC<PageFrame & { feedUrl: string; links: SubscribeLinks; manageUrl: string }> = (p) => (
  <Layout title={p.tr.t('feed.title')} tr={p.tr} languageHref={p.languageHref}>
    <p>{p.tr.t('feed.intro')}</p>
    <SubscribeButtons tr={p.tr} links={p.links} />
    <p class="link" dir="ltr">
      <a href={p.feedUrl}>{p.feedUrl}</a>
    </p>
    <p>
      <a href={p.manageUrl}>{p.tr.t('feed.back')}</a>
    </p>
  </Layout>
);

export const ManageLinkPage: FC<PageFrame & { action: string }> = (p) => (
  <Layout title={p.tr.t('manageLink.title')} tr={p.tr} languageHref={p.languageHref}>
    <p>{p.tr.t('manageLink.intro')}</p>
    <form method="post" action={p.action}>
      <input type="hidden" name="lang" value={p.tr.language} />
      <label for="email">{p.tr.t('manageLink.email')}</label>
      <input type="email" id="email" name="email" required maxlength={254} autocomplete="email" dir="ltr" />
      <button type="submit">{p.tr.t('manageLink.submit')}</button>
    </form>
  </Layout>
);

export const CheckInboxPage: FC<PageFrame> = (p) => (
  <Layout title={p.tr.t('registered.title')} tr={p.tr} languageHref={p.languageHref}>
    <p>{p.tr.t('manageLink.sent')}</p>
  </Layout>
);

/** "1 day before", "قبل ساعة": an ISO 8601 offset as a person reads it (Intl writes the plural forms). */
export function offsetLabel(tr: PageTranslator, offset: string): string {
  const m = /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?)?$/.exec(offset);
  if (!m) return offset;
  const units = [
    [m[1], 'week'],
    [m[2], 'day'],
    [m[3], 'hour'],
    [m[4], 'minute'],
  ] as const;
  const parts = units
    .filter(([n]) => n !== undefined && Number(n) > 0)
    .map(([n, unit]) => unitFormat(tr.locale, unit, 'long').format(Number(n)));
  return tr.t('offset.before', { duration: unitList(tr.locale).format(parts) });
}
