/**
 * A series' public page (`GET /series/{id}` for a browser): what it is, who organises it, a
 * dialogue's open window, every session with its time in the home zone and its offset, its
 * language and speakers, seats left or the waiting list, recordings of past sessions; the
 * subscribe buttons of the public feed; the registration form. Works without script.
 */
import type { FC } from 'hono/jsx';
import { languageNames, numberFormat } from './formats.js';
import { NameList } from './name-list.js';
import { Layout } from './layout.js';
import { LanguageSelect, offsetLabel, SubscribeButtons, ZoneField, type SubscribeLinks } from './member-pages.js';
import type { PageLanguage, PageMessageId, PageTranslator } from './texts/index.js';

export interface SeriesPageSession {
  readonly sessionId: string;
  readonly title: string;
  readonly description?: string | undefined;
  readonly when: { readonly text: string; readonly datetime: string };
  readonly language: string;
  readonly speakers: readonly string[];
  readonly cancelled: boolean;
  /** What the organiser said when cancelling it (their words, in their language). */
  readonly cancellationReason?: string | undefined;
  /** Seats left, or 0 when full (new registrations wait); undefined without a capacity. */
  readonly seatsLeft?: number | undefined;
  readonly files: readonly { readonly asset: 'recording' | 'captions' | 'transcript' | 'slides'; readonly url: string; readonly fileName: string }[];
}

/** What the form was sent with, and what was wrong with it (a 422 shows the form again). */
export interface RegistrationFormState {
  readonly values: { readonly name: string; readonly email: string; readonly language: string; readonly timeZone: string; readonly sessions: readonly string[]; readonly reminders: readonly string[]; readonly consent: boolean };
  readonly problems: readonly RegistrationProblem[];
}

export type RegistrationProblem = 'email' | 'name' | 'language' | 'timeZone' | 'sessions' | 'reminders' | 'consent';

export interface SeriesPageProps {
  readonly tr: PageTranslator;
  readonly languageHref: (language: PageLanguage) => string;
  readonly title: string;
  readonly kind: 'lecture-series' | 'virtual-dialogue';
  readonly description?: string | undefined;
  readonly organiser: string;
  readonly contactEmail?: string | undefined;
  readonly window?: { readonly start: string; readonly end: string } | undefined;
  readonly timeZone: string;
  readonly sessions: readonly SeriesPageSession[];
  readonly subscribe: SubscribeLinks;
  readonly recordingsUrl: string;
  readonly action: string;
  readonly zones: readonly string[];
  /** The reminder offsets offered (the series' own first). */
  readonly reminderChoices: readonly string[];
  readonly form: RegistrationFormState;
}

const PROBLEM_TEXT: Readonly<Record<RegistrationProblem, PageMessageId>> = {
  email: 'register.problem.email',
  name: 'register.problem.name',
  language: 'register.problem.language',
  timeZone: 'register.problem.timeZone',
  sessions: 'register.problem.sessions',
  reminders: 'register.problem.reminders',
  consent: 'register.problem.consent',
};

/** Each field's id in the form, for the error summary's links. */
const FIELD_ID: Readonly<Record<RegistrationProblem, string>> = {
  email: 'email',
  name: 'name',
  language: 'language',
  timeZone: 'timeZone',
  sessions: 'session-all',
  reminders: 'reminders-first',
  consent: 'consent',
};

export const SeriesPage: FC<SeriesPageProps> = (p) => {
  const { tr, form } = p;
  const has = (field: RegistrationProblem) => form.problems.includes(field);
  const error = (field: RegistrationProblem) =>
    has(field) ? (
      <p class="error" id={`${field}-error`}>
        {tr.t(PROBLEM_TEXT[field])}
      </p>
    ) : null;
  const languageName = (tag: string) => {
    try {
      return languageNames(tr.locale).of(tag) ?? tag;
    } catch {
      return tag;
    }
  };
  const all = form.values.sessions.includes('all');
  const open = p.sessions.filter((s) => !s.cancelled);
  return (
    <Layout title={p.title} tr={tr} languageHref={p.languageHref}>
      <p class="muted">
        {tr.t(`series.kind.${p.kind}`)} · {tr.n('series.organisedBy', { organiser: p.organiser })}
        {p.contactEmail ? (
          <>
            {' '}
            {tr.n('series.contact', { email: <a href={`mailto:${p.contactEmail}`}>{p.contactEmail}</a> })}
          </>
        ) : null}
      </p>
      {p.description ? <p dir="auto">{p.description}</p> : null}
      {p.window ? <p class="notice">{tr.n('series.window', { start: p.window.start, end: p.window.end })}</p> : null}

      <h2>{tr.t('series.sessions')}</h2>
      {p.sessions.length === 0 ? (
        <p class="muted">{tr.t('series.noSessions')}</p>
      ) : (
        <>
          <p class="muted">{tr.n('series.timesNote', { zone: p.timeZone })}</p>
          <ol class="sessions" data-your-time={tr.t('session.yourTime', { zone: '{zone}', time: '{time}' })} data-locale={tr.locale}>
            {p.sessions.map((s) => (
              <li id={`session-${s.sessionId}`}>
                <h3 dir="auto">{s.cancelled ? <del>{s.title}</del> : s.title}</h3>
                <p>
                  <time datetime={s.when.datetime}>
                    <bdi>{s.when.text}</bdi>
                  </time>
                </p>
                {s.cancelled ? (
                  <p class="error">
                    {tr.t('session.cancelled')}
                    {s.cancellationReason ? (
                      <>
                        : <span dir="auto">{s.cancellationReason}</span>
                      </>
                    ) : null}
                  </p>
                ) : null}
                {s.description ? <p dir="auto">{s.description}</p> : null}
                <p class="muted">
                  {tr.n('session.language', { language: languageName(s.language) })}
                  {s.speakers.length > 0 ? (
                    <>
                      {' · '}
                      {tr.n('session.speakers', { speakers: <NameList tr={tr} names={s.speakers} /> })}
                    </>
                  ) : null}
                </p>
                {!s.cancelled && s.seatsLeft !== undefined ? (
                  <p>{s.seatsLeft > 0 ? tr.n('session.seatsLeft', { count: numberFormat(tr.locale).format(s.seatsLeft) }) : tr.t('session.waitingList')}</p>
                ) : null}
                {s.files.length > 0 ? (
                  <>
                    <h4>{tr.t('session.recording')}</h4>
                    <ul>
                      {s.files.map((f) => (
                        <li>
                          <a href={f.url}>{tr.t(`asset.${f.asset}`)}</a> <span class="muted" dir="ltr">({f.fileName})</span>
                        </li>
                      ))}
                    </ul>
                  </>
                ) : null}
              </li>
            ))}
          </ol>
          <p>
            <a href={p.recordingsUrl}>{tr.t('recordings.all')}</a>
          </p>
        </>
      )}

      <h2>{tr.t('subscribe.heading')}</h2>
      <p>{tr.t('subscribe.intro')}</p>
      <SubscribeButtons tr={tr} links={p.subscribe} />

      <h2 id="register">{tr.t('register.heading')}</h2>
      <p>{tr.t('register.intro')}</p>
      {form.problems.length > 0 ? (
        <div class="error-summary" role="alert" aria-labelledby="problems-heading" tabindex={-1} id="problems">
          <p id="problems-heading">
            <strong>{tr.t('register.problems')}</strong>
          </p>
          <ul>
            {form.problems.map((field) => (
              <li>
                <a href={`#${FIELD_ID[field]}`}>{tr.t(PROBLEM_TEXT[field])}</a>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <form method="post" action={p.action} novalidate>
        <label for="name">{tr.t('register.name')}</label>
        {error('name')}
        <input type="text" id="name" name="name" value={form.values.name} maxlength={200} autocomplete="name" dir="auto" required aria-invalid={has('name') ? 'true' : undefined} aria-describedby={has('name') ? 'name-error' : undefined} />
        <label for="email">{tr.t('register.email')}</label>
        {error('email')}
        <input type="email" id="email" name="email" value={form.values.email} maxlength={254} autocomplete="email" dir="ltr" required aria-invalid={has('email') ? 'true' : undefined} aria-describedby={has('email') ? 'email-error' : undefined} />
        {error('language')}
        <LanguageSelect tr={tr} id="language" label={tr.t('register.language')} value={form.values.language} invalid={has('language')} {...(has('language') ? { describedBy: 'language-error' } : {})} />
        {error('timeZone')}
        <ZoneField tr={tr} id="timeZone" label={tr.t('register.timeZone')} hint={tr.t('register.timeZoneHint')} value={form.values.timeZone} zones={p.zones} fromBrowser invalid={has('timeZone')} {...(has('timeZone') ? { describedBy: 'timeZone-error' } : {})} />
        <fieldset aria-describedby={has('sessions') ? 'sessions-error' : undefined}>
          <legend>{tr.t('register.sessions')}</legend>
          {error('sessions')}
          <label class="choice">
            <input type="checkbox" id="session-all" name="sessions" value="all" checked={all} /> {tr.t('register.allSessions')}
          </label>
          {open.map((s) => (
            <label class="choice">
              <input type="checkbox" name="sessions" value={s.sessionId} checked={!all && form.values.sessions.includes(s.sessionId)} />
              <span>
                <bdi>{s.title}</bdi> <span class="muted">{s.when.text}</span>
              </span>
            </label>
          ))}
        </fieldset>
        <fieldset aria-describedby={has('reminders') ? 'reminders-error' : undefined}>
          <legend>{tr.t('manage.reminders')}</legend>
          {error('reminders')}
          <input type="hidden" name="reminders" value="" />
          {p.reminderChoices.map((offset, i) => (
            <label class="choice">
              <input type="checkbox" name="reminders" value={offset} id={i === 0 ? 'reminders-first' : undefined} checked={form.values.reminders.includes(offset)} /> {offsetLabel(tr, offset)}
            </label>
          ))}
        </fieldset>
        <fieldset aria-describedby={has('consent') ? 'consent-error' : undefined}>
          <legend>{tr.t('register.consentLegend')}</legend>
          {error('consent')}
          <label class="choice">
            <input type="checkbox" id="consent" name="consent" value="yes" checked={form.values.consent} required aria-invalid={has('consent') ? 'true' : undefined} />
            <span>{tr.n('register.consent', { organiser: p.organiser })}</span>
          </label>
        </fieldset>
        <button type="submit">{tr.t('register.submit')}</button>
      </form>
    </Layout>
  );
};

export const RegisteredPage: FC<{ tr: PageTranslator; languageHref: (language: PageLanguage) => string; email: string; seriesUrl: string; title: string }> = (p) => (
  <Layout title={p.tr.t('registered.title')} tr={p.tr} languageHref={p.languageHref}>
    <p class="notice" role="status">
      {p.tr.n('registered.body', { email: <strong dir="ltr">{p.email}</strong> })}
    </p>
    <p>{p.tr.t('registered.spam')}</p>
    <p>
      <a href={p.seriesUrl}>
        <bdi>{p.title}</bdi>
      </a>
    </p>
  </Layout>
);
