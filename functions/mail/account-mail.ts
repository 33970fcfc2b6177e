/**
 * The mails about a member's own registrations, each sent by the dispatcher from the member's
 * stream (functions/dispatcher/plan-member-mail.ts), claimed and recorded in the ledger:
 *
 * - a change someone asked for with the member's address (more sessions, another language or
 *   zone): what it is, and a link to review and accept it; nothing changes without that;
 * - the welcome of a member an organiser registered: who registered them, the sessions, their
 *   personal calendar link (when they have none yet), their page, how to leave;
 * - a fresh "manage my registrations" link the member asked for.
 *
 * Never a name nobody confirmed: the greeting uses the directory's name, which only the member
 * (or an organiser registering them) sets. Organiser text is single-lined and escaped; the MIME
 * bytes are nodemailer's (./compose.ts).
 */
import type { SeriesSchedule } from '../../events/projections/schedule.js';
import { accountTranslator, type AccountMessageId, type AccountTranslator } from './account-catalogue.js';
import { htmlMessage, type MessageParams } from './catalogue.js';
import { composeMime, escapeHtml, htmlDocument, memberMail, singleLine, webUrl, type ComposeOptions, type MailContent, type Mailbox, type MemberMailInput } from './compose.js';
import { describeSessionTime } from './format-time.js';
import { footerHtml, footerLines, htmlUrlLink, seriesMailNames, sessionName, type MailFooter, type SeriesMailNames } from './member-mail-parts.js';

export interface ChangeRequestMailInput extends MemberMailInput {
  readonly schedule: SeriesSchedule;
  /** What was asked: sessions to add (if any), the language and zone asked for. */
  readonly change: { readonly sessions?: 'all' | readonly string[]; readonly language: string; readonly timeZone: string };
  /** Where the member reviews and accepts it (a signed link). */
  readonly reviewUrl: string;
}

export interface WelcomeMailInput extends MemberMailInput {
  readonly schedule: SeriesSchedule;
  readonly sessions: 'all' | readonly string[];
  /** The member's new personal feed; absent when they have one already (it is not kept in clear). */
  readonly feedUrl?: string;
  /** Leaves this series (a signed link). */
  readonly leaveUrl: string;
}

export interface ManageLinkMailInput extends MemberMailInput {
  /** Replies go here (no organiser stands behind this mail). */
  readonly replyTo: Mailbox;
}

export async function composeChangeRequestMail(input: ChangeRequestMailInput, options: ComposeOptions): Promise<Buffer> {
  return composeMime(memberMail(input, input.schedule.organiser, changeRequestContent(input)), options);
}

export async function composeWelcomeMail(input: WelcomeMailInput, options: ComposeOptions): Promise<Buffer> {
  return composeMime(memberMail(input, input.schedule.organiser, welcomeContent(input)), options);
}

export async function composeManageLinkMail(input: ManageLinkMailInput, options: ComposeOptions): Promise<Buffer> {
  return composeMime(memberMail(input, input.replyTo, manageLinkContent(input)), options);
}

export function changeRequestContent(input: ChangeRequestMailInput): MailContent {
  const { schedule } = input;
  const parts = seriesParts(input);
  const { tr, h, names } = parts;
  const reviewUrl = webUrl(input.reviewUrl, 'review URL');
  const added = sessionsOf(schedule, input.change.sessions ?? [], names);
  const language = languageName(input.change.language, tr.locale);
  const subject = tr.t('change.subject', { series: names.series });
  const lines: [AccountMessageId, MessageParams][] = [
    ['change.language', { language }],
    ['change.timeZone', { zone: input.change.timeZone }],
  ];
  return seriesMail(parts, subject, 'change.intro', {
    text: [
      ...(added.length > 0 ? [tr.t('change.sessions'), ...added.map((s) => `- ${s.title} (${describeSessionTime(s.session, input.change.timeZone, tr.locale)})`), ''] : []),
      ...lines.map((l) => tr.t(...l)),
      '',
      tr.t('change.ask'),
      reviewUrl,
      '',
      tr.t('change.ignore'),
    ],
    html: `${added.length > 0 ? `<p>${h('change.sessions')}</p>\n<ul style="padding-left:20px;">\n${added.map((s) => `<li><bdi>${escapeHtml(s.title)}</bdi><br>${escapeHtml(describeSessionTime(s.session, input.change.timeZone, tr.locale))}</li>`).join('\n')}\n</ul>\n` : ''}<p>${lines.map((l) => h(...l)).join('<br>')}</p>
<p>${h('change.ask')}</p>
${button(reviewUrl, h('change.button'))}
<p>${h('change.ignore')}</p>`,
  });
}

export function welcomeContent(input: WelcomeMailInput): MailContent {
  const { schedule } = input;
  const parts = seriesParts(input);
  const { tr, h, names } = parts;
  const leaveUrl = webUrl(input.leaveUrl, 'leave URL');
  const feedUrl = input.feedUrl === undefined ? undefined : webUrl(input.feedUrl, 'feed URL');
  const sessions = sessionsOf(schedule, input.sessions, names).filter((s) => s.session.status === 'scheduled');
  const subject = tr.t('welcome.subject', { series: names.series });
  const when = (s: (typeof sessions)[number]) => describeSessionTime(s.session, input.memberTimeZone, tr.locale);
  return seriesMail(parts, subject, 'welcome.intro', {
    text: [
      tr.t('welcome.sessionsHeading'),
      tr.t('welcome.timesNote', { zone: input.memberTimeZone }),
      ...(sessions.length === 0 ? [tr.t('welcome.noSessions')] : sessions.flatMap((s) => [`- ${s.title}`, `  ${when(s)}`])),
      '',
      ...(feedUrl ? [tr.t('welcome.feedNew'), feedUrl] : [tr.t('welcome.feedKnown')]),
      '',
      tr.t('welcome.manage'),
      names.manageUrl,
      '',
      tr.t('welcome.leave'),
      leaveUrl,
    ],
    html: `<h2 style="font-size:18px;margin:32px 0 8px;">${h('welcome.sessionsHeading')}</h2>
<p style="font-size:14px;color:#4b5563;">${h('welcome.timesNote', { zone: input.memberTimeZone })}</p>
${sessions.length === 0 ? `<p>${h('welcome.noSessions')}</p>` : `<ul style="padding-left:20px;">\n${sessions.map((s) => `<li style="margin:0 0 12px;"><strong><bdi>${escapeHtml(s.title)}</bdi></strong><br>${escapeHtml(when(s))}</li>`).join('\n')}\n</ul>`}
${feedUrl ? `<p>${h('welcome.feedNew')}<br>${htmlUrlLink(feedUrl)}</p>` : `<p>${h('welcome.feedKnown')}</p>`}
<p>${h('welcome.manage')}</p>
${button(names.manageUrl, h('account.manageLink'))}
<p>${h('welcome.leave')} ${htmlUrlLink(leaveUrl)}</p>`,
  });
}

export function manageLinkContent(input: ManageLinkMailInput): MailContent {
  const tr = accountTranslator(input.language);
  const h = (id: AccountMessageId, params?: MessageParams) => htmlMessage(tr, id, params);
  const manageUrl = webUrl(input.manageUrl, 'manage URL');
  const unsubscribeUrl = webUrl(input.unsubscribeUrl, 'unsubscribe URL');
  const name = singleLine(input.to.name);
  const greeting: [AccountMessageId, MessageParams] = name ? ['account.greeting', { name }] : ['account.greetingNoName', {}];
  const subject = tr.t('manage.subject');
  const text = [tr.t(...greeting), '', tr.t('manage.intro'), manageUrl, '', tr.t('manage.lifetime'), '', tr.t('manage.ignore'), '', '-- ', tr.t('account.sentBy'), ''].join('\n');
  const html = htmlDocument(
    tr.language,
    subject,
    `<p>${h(...greeting)}</p>
<p>${h('manage.intro')}</p>
${button(manageUrl, h('manage.button'))}
<p style="font-size:14px;color:#4b5563;">${h('manage.lifetime')}</p>
<p>${h('manage.ignore')}</p>
<hr style="border:none;border-top:1px solid #e5e7eb;margin:32px 0 16px;">
<p style="font-size:13px;color:#6b7280;">${h('account.sentBy')}<br>${h('account.unsubscribeIntro')} <a href="${escapeHtml(unsubscribeUrl)}" style="color:#6b7280;">${h('account.unsubscribeLink')}</a></p>
`,
  );
  return { language: tr.language, subject, text, html };
}

/** What the two mails about a series share: translator, names, greeting, footer. */
function seriesParts(input: MemberMailInput & { readonly schedule: SeriesSchedule }) {
  const tr: AccountTranslator = accountTranslator(input.language, input.schedule.languages);
  const h = (id: AccountMessageId, params?: MessageParams) => htmlMessage(tr, id, params);
  const names = seriesMailNames(input, input.schedule);
  const greeting: [AccountMessageId, MessageParams] = names.member ? ['account.greeting', { name: names.member }] : ['account.greetingNoName', {}];
  const footer = (render: typeof tr.t): MailFooter => ({
    replyNote: render('account.replyNote', { organiser: names.organiser }),
    sentBy: render('account.sentByOrganiser', { organiser: names.organiser }),
    unsubscribeIntro: render('account.unsubscribeIntro'),
    unsubscribeLink: render('account.unsubscribeLink'),
    manageLink: render('account.manageLink'),
  });
  return { tr, h, names, greeting, footer };
}

/** A mail about a series: greeting, its intro (series and organiser named), the body, the footer. */
function seriesMail(parts: ReturnType<typeof seriesParts>, subject: string, intro: AccountMessageId, body: { readonly text: readonly string[]; readonly html: string }): MailContent {
  const { tr, h, names, greeting, footer } = parts;
  const introParams = { series: names.series, organiser: names.organiser };
  const text = [tr.t(...greeting), '', tr.t(intro, introParams), '', ...body.text, '', ...footerLines(footer(tr.t), names)].join('\n');
  const html = htmlDocument(
    tr.language,
    subject,
    `<p>${h(...greeting)}</p>
<p>${h(intro, introParams)}</p>
${body.html}
${footerHtml(footer(h), names)}`,
  );
  return { language: tr.language, subject, text, html };
}

function sessionsOf(schedule: SeriesSchedule, selection: 'all' | readonly string[], names: Pick<SeriesMailNames, 'pick'>) {
  return schedule.sessions
    .filter((s) => selection === 'all' || selection.includes(s.sessionId))
    .sort((a, b) => Date.parse(a.startsAt) - Date.parse(b.startsAt))
    .map((session) => ({ session, title: sessionName(names, session) }));
}

/** "Arabic", "árabe", "arabe": a language tag named in the reader's locale (the tag itself if Intl cannot). */
function languageName(tag: string, locale: string): string {
  try {
    return new Intl.DisplayNames([locale], { type: 'language' }).of(tag) ?? tag;
  } catch {
    return tag;
  }
}

function button(url: string, label: string): string {
  return `<p style="margin:32px 0;text-align:center;"><a href="${escapeHtml(url)}" style="display:inline-block;padding:12px 24px;border-radius:6px;background:#1d4ed8;color:#ffffff;font-weight:bold;text-decoration:none;">${label}</a></p>`;
}
