/**
 * The pages a member sees when they open a link Convene mailed them: each link's GET shows
 * one of these and asks; only the form's POST changes anything (mail scanners open links).
 * English for now; every text a person reads is here, so one place takes the translations.
 */
import type { FC } from 'hono/jsx';
import { Layout } from './layout.js';

export interface SessionLine {
  readonly title: string;
  readonly when: string;
}

const Sessions: FC<{ sessions: readonly SessionLine[] }> = ({ sessions }) =>
  sessions.length === 0 ? (
    <p class="muted">The sessions will be announced later.</p>
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

export const ConfirmPage: FC<{ series: string; action: string; name: string; language: string; timeZone: string; sessions: readonly SessionLine[] }> = (p) => (
  <Layout title="Confirm your registration">
    <p>
      Please confirm your registration for <strong><bdi>{p.series}</bdi></strong>. It counts once you confirm it here.
    </p>
    <h2>Sessions</h2>
    <p class="muted">Times in your time zone, {p.timeZone}.</p>
    <Sessions sessions={p.sessions} />
    <form method="post" action={p.action}>
      <label for="name">Your name, as the organisers will see it</label>
      <input type="text" id="name" name="name" value={p.name} maxlength={200} autocomplete="name" />
      <button type="submit">Confirm my registration</button>
    </form>
    <p class="muted">If you did not register, close this page: nothing happens, and you get no more mail about this series.</p>
  </Layout>
);

export const ConfirmedPage: FC<{ series: string; feedUrl?: string; manageUrl: string; already?: boolean }> = (p) => (
  <Layout title={p.already ? 'Already confirmed' : 'You are registered'}>
    <p class="notice">
      Your registration for <strong><bdi>{p.series}</bdi></strong> is confirmed. You will get an invitation for each session.
    </p>
    {p.feedUrl ? (
      <>
        <h2>Your personal calendar</h2>
        <p>Subscribe to this link in your calendar app to see your sessions, kept up to date. Keep it to yourself: anyone with it can read your calendar. It is shown only now.</p>
        <p class="link">
          <a href={p.feedUrl}>{p.feedUrl}</a>
        </p>
      </>
    ) : null}
    <h2>Your registrations</h2>
    <p>
      Change your sessions, language, time zone or reminders, leave a series or stop mail on <a href={p.manageUrl}>your page</a>. Every mail from us carries a fresh link to it.
    </p>
  </Layout>
);

export const ChangePage: FC<{ series: string; action: string; sessions: readonly SessionLine[]; language: string; timeZone: string }> = (p) => (
  <Layout title="Accept this change?">
    <p>
      Someone, maybe you, asked to change your registration for <strong><bdi>{p.series}</bdi></strong>. Nothing changes unless you accept it.
    </p>
    {p.sessions.length > 0 ? (
      <>
        <h2>Sessions to add</h2>
        <Sessions sessions={p.sessions} />
      </>
    ) : null}
    <h2>Language and time zone</h2>
    <p>
      Language: {p.language}
      <br />
      Time zone: {p.timeZone}
    </p>
    <form method="post" action={p.action}>
      <button type="submit">Accept the change</button>
    </form>
    <p class="muted">If it was not you, close this page: your registration stays as it is.</p>
  </Layout>
);

export const ChangedPage: FC<{ series: string; manageUrl: string }> = (p) => (
  <Layout title="Your registration is changed">
    <p class="notice">
      Your registration for <strong><bdi>{p.series}</bdi></strong> now has the change you accepted.
    </p>
    <p>
      See it on <a href={p.manageUrl}>your page</a>.
    </p>
  </Layout>
);

export const UnregisterPage: FC<{ series: string; action: string }> = (p) => (
  <Layout title="Leave this series?">
    <p>
      Stop your registration for <strong><bdi>{p.series}</bdi></strong> and its mail? Its sessions leave your calendar.
    </p>
    <form method="post" action={p.action}>
      <button type="submit" name="List-Unsubscribe" value="One-Click">
        Leave this series
      </button>
    </form>
  </Layout>
);

export const DonePage: FC<{ title: string; message: string; manageUrl?: string }> = (p) => (
  <Layout title={p.title}>
    <p class="notice">{p.message}</p>
    {p.manageUrl ? (
      <p>
        See your registrations on <a href={p.manageUrl}>your page</a>.
      </p>
    ) : null}
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

export interface ManagePageProps {
  readonly registrations: readonly ManagedRegistration[];
  readonly language: string;
  readonly timeZone: string;
  readonly reminders?: readonly string[];
  /** Offsets the member may choose from (the series' defaults and common ones). */
  readonly reminderChoices: readonly string[];
  readonly allMailStopped: boolean;
  /** `/manage/...?token=…` for each action. */
  readonly action: (what: 'preferences' | 'sessions' | 'leave' | 'stop-mail' | 'feed') => string;
  readonly done?: string;
}

export const ManagePage: FC<ManagePageProps> = (p) => (
  <Layout title="Your registrations">
    {p.done ? <p class="notice">{p.done}</p> : null}
    {p.registrations.length === 0 ? <p>You have no registrations.</p> : null}
    {p.registrations.map((r) => (
      <section aria-labelledby={`series-${r.seriesId}`}>
        <h2 id={`series-${r.seriesId}`}>
          <bdi>{r.series}</bdi>
        </h2>
        <p class="muted">{r.status === 'confirmed' ? 'Confirmed.' : 'Waiting for your confirmation (see the mail we sent).'}{r.mailStopped ? ' You get no mail about this series.' : ''}</p>
        <form method="post" action={p.action('sessions')}>
          <input type="hidden" name="seriesId" value={r.seriesId} />
          <fieldset>
            <legend>Sessions</legend>
            <label class="choice">
              <input type="checkbox" name="sessions" value="all" checked={r.all} /> Every session, also those announced later
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
          <button type="submit">Save sessions</button>
        </form>
        <form method="post" action={p.action('stop-mail')}>
          <input type="hidden" name="seriesId" value={r.seriesId} />
          <button type="submit" class="secondary">
            Stop mail about this series
          </button>
        </form>
        <form method="post" action={p.action('leave')}>
          <input type="hidden" name="seriesId" value={r.seriesId} />
          <button type="submit" class="secondary">
            Leave this series
          </button>
        </form>
      </section>
    ))}
    <h2>Language, time zone and reminders</h2>
    <form method="post" action={p.action('preferences')}>
      <label for="language">Language (a tag such as en, es, fr or ar)</label>
      <input type="text" id="language" name="language" value={p.language} maxlength={35} />
      <label for="timeZone">Time zone (such as America/Guayaquil or Asia/Hebron)</label>
      <input type="text" id="timeZone" name="timeZone" value={p.timeZone} maxlength={64} />
      <fieldset>
        <legend>Reminders before each session</legend>
        <label class="choice">
          <input type="checkbox" name="reminders" value="default" checked={p.reminders === undefined} /> As each series sets them
        </label>
        {p.reminderChoices.map((offset) => (
          <label class="choice">
            <input type="checkbox" name="reminders" value={offset} checked={p.reminders?.includes(offset) ?? false} /> {offsetLabel(offset)}
          </label>
        ))}
      </fieldset>
      <button type="submit">Save</button>
    </form>
    <h2>All mail</h2>
    <form method="post" action={p.action('stop-mail')}>
      <button type="submit" class="secondary">
        {p.allMailStopped ? 'All mail is stopped' : 'Stop all mail from Convene'}
      </button>
    </form>
    <h2>Your calendar link</h2>
    <p>If your personal calendar link was shared or lost, get a new one: the old one stops working.</p>
    <form method="post" action={p.action('feed')}>
      <button type="submit" class="secondary">
        Get a new calendar link
      </button>
    </form>
  </Layout>
);

export const FeedPage: FC<{ feedUrl: string; manageUrl: string }> = (p) => (
  <Layout title="Your new calendar link">
    <p>Subscribe to this link in your calendar app. The old link no longer works. It is shown only now: keep it to yourself.</p>
    <p class="link">
      <a href={p.feedUrl}>{p.feedUrl}</a>
    </p>
    <p>
      Back to <a href={p.manageUrl}>your page</a>.
    </p>
  </Layout>
);

export const ManageLinkPage: FC<{ action: string }> = (p) => (
  <Layout title="Manage your registrations">
    <p>Type the address you registered with: we mail it a link to your page.</p>
    <form method="post" action={p.action}>
      <label for="email">Your mail address</label>
      <input type="email" id="email" name="email" required maxlength={254} autocomplete="email" />
      <button type="submit">Mail me my link</button>
    </form>
  </Layout>
);

export const CheckInboxPage: FC<{ address?: string }> = () => (
  <Layout title="Check your inbox">
    <p>If this address has registrations with us, a link to manage them is on its way. It can take a few minutes; at most one such mail goes every 15 minutes.</p>
  </Layout>
);

/** "1 day before", "1 hour before": an ISO 8601 offset as a person reads it. */
export function offsetLabel(offset: string): string {
  const m = /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?)?$/.exec(offset);
  if (!m) return offset;
  const parts = [
    [m[1], 'week'],
    [m[2], 'day'],
    [m[3], 'hour'],
    [m[4], 'minute'],
  ]
    .filter(([n]) => n !== undefined && Number(n) > 0)
    .map(([n, unit]) => `${n} ${unit}${Number(n) === 1 ? '' : 's'}`);
  return `${parts.join(' ')} before`;
}
