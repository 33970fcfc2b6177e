/**
 * The double opt-in mail a member gets after registering for a series: a link to confirm
 * their address, and the sessions they registered for, in their language and time zone.
 *
 * Languages: the member's language, else a more general tag of it (`es-419` → `es`), else
 * the series' languages in order (its first language first), else English; see
 * `translator()`. Organiser texts (titles) come in the member's language when the series has
 * it, else in the series' first language (`pickText`, shared with the calendar feeds).
 *
 * Organiser and member text is never trusted: single-lined for headers and HTML-escaped in
 * the HTML part; the MIME bytes come from nodemailer's MailComposer (see ./compose.ts).
 */
import type { SeriesSchedule } from '../../events/projections/schedule.js';
import { pickText } from '../feeds/ical.js';
import { htmlMessage, translator, type MessageId, type MessageParams } from './catalogue.js';
import { composeMime, escapeHtml, htmlDocument, memberMail, singleLine, webUrl, type ComposeOptions, type MailContent, type Mailbox, type MemberMailInput } from './compose.js';
import { describeSessionTime } from './format-time.js';
import { htmlUrlLink } from './member-mail-parts.js';

export type { ComposeOptions } from './compose.js';

export interface ConfirmationSession {
  /** By language tag, like the series title. */
  readonly title: Readonly<Record<string, string>>;
  /** ISO 8601 instants (UTC). */
  readonly startsAt: string;
  readonly endsAt: string;
  /** The session's home zone (IANA). */
  readonly timeZone: string;
  readonly status: 'scheduled' | 'cancelled';
}

export interface ConfirmationMailInput extends MemberMailInput {
  readonly series: {
    readonly title: Readonly<Record<string, string>>;
    /** The series' languages, its first (fallback) language first. */
    readonly languages: readonly string[];
    readonly organiser: Mailbox;
    readonly kind: SeriesSchedule['kind'];
  };
  readonly sessions: readonly ConfirmationSession[];
  /** Where the member confirms (https; http only on a loopback host). */
  readonly confirmUrl: string;
}

/** The raw MIME message (multipart/alternative, text and HTML), for `Mailer.sendRaw`. */
export async function composeConfirmationMail(input: ConfirmationMailInput, options: ComposeOptions): Promise<Buffer> {
  return composeMime(memberMail(input, input.series.organiser, confirmationContent(input)), options);
}

type Content = MailContent;

interface SessionLine {
  readonly title: string;
  readonly cancelled: boolean;
  readonly when: string;
}

function confirmationContent(input: ConfirmationMailInput): Content {
  const tr = translator(input.language, input.series.languages);
  const { t } = tr;
  const title = (texts: Readonly<Record<string, string>>) => singleLine(pickText(texts, tr.language, input.series.languages) ?? '');
  const seriesTitle = title(input.series.title);
  if (!seriesTitle) throw new TypeError('the series has no title');
  const organiser = singleLine(input.series.organiser.name) || input.series.organiser.email;
  const memberName = singleLine(input.to.name);
  const confirmUrl = webUrl(input.confirmUrl, 'confirm URL');
  const unsubscribeUrl = webUrl(input.unsubscribeUrl, 'unsubscribe URL');
  const manageUrl = webUrl(input.manageUrl, 'manage URL');

  const sessions: SessionLine[] = [...input.sessions]
    .sort((a, b) => Date.parse(a.startsAt) - Date.parse(b.startsAt))
    .map((session) => ({
      title: title(session.title),
      cancelled: session.status === 'cancelled',
      when: describeSessionTime(session, input.memberTimeZone, tr.locale),
    }));

  const greeting: [MessageId, MessageParams] = memberName ? ['confirm.greeting', { name: memberName }] : ['confirm.greetingNoName', {}];
  const intro: [MessageId, MessageParams] = [`confirm.intro.${input.series.kind}`, { series: seriesTitle, organiser }];
  const sessionTitle = (line: SessionLine) => (line.cancelled ? t('confirm.cancelled', { session: line.title }) : line.title);

  const text = [
    t(...greeting),
    '',
    t(...intro),
    '',
    t('confirm.ask'),
    '',
    t('confirm.linkIntro'),
    confirmUrl,
    '',
    t('confirm.sessionsHeading'),
    t('confirm.timesNote', { zone: input.memberTimeZone }),
    '',
    ...(sessions.length === 0 ? [t('confirm.noSessions')] : sessions.flatMap((line) => [`- ${sessionTitle(line)}`, `  ${line.when}`])),
    '',
    t('confirm.ignore'),
    '',
    '-- ',
    t('confirm.replyNote', { organiser }),
    t('confirm.sentBy', { organiser }),
    `${t('confirm.manageLink')}: ${manageUrl}`,
    `${t('confirm.unsubscribeIntro')} ${t('confirm.unsubscribeLink')}: ${unsubscribeUrl}`,
    '',
  ].join('\n');

  const h = (id: MessageId, params?: MessageParams) => htmlMessage(tr, id, params);
  const sessionItems = sessions.map((line) => {
    const name = line.cancelled ? h('confirm.cancelled', { session: line.title }) : `<bdi>${escapeHtml(line.title)}</bdi>`;
    const style = line.cancelled ? 'margin:0 0 12px;color:#6b7280;' : 'margin:0 0 12px;';
    return `<li style="${style}"><strong>${name}</strong><br>${escapeHtml(line.when)}</li>`;
  });
  const subject = t('confirm.subject', { series: seriesTitle });
  const html = htmlDocument(tr.language, subject, `<p>${h(...greeting)}</p>
<p>${h(...intro)}</p>
<p>${h('confirm.ask')}</p>
<p style="margin:32px 0;text-align:center;"><a href="${escapeHtml(confirmUrl)}" style="display:inline-block;padding:12px 24px;border-radius:6px;background:#1d4ed8;color:#ffffff;font-weight:bold;text-decoration:none;">${h('confirm.button')}</a></p>
<p style="font-size:14px;color:#4b5563;">${h('confirm.linkIntro')}<br>${htmlUrlLink(confirmUrl)}</p>
<h2 style="font-size:18px;margin:32px 0 8px;">${h('confirm.sessionsHeading')}</h2>
<p style="font-size:14px;color:#4b5563;">${h('confirm.timesNote', { zone: input.memberTimeZone })}</p>
${sessions.length === 0 ? `<p>${h('confirm.noSessions')}</p>` : `<ul style="padding-left:20px;">\n${sessionItems.join('\n')}\n</ul>`}
<p>${h('confirm.ignore')}</p>
<hr style="border:none;border-top:1px solid #e5e7eb;margin:32px 0 16px;">
<p style="font-size:13px;color:#6b7280;">${h('confirm.replyNote', { organiser })}<br>${h('confirm.sentBy', { organiser })}<br><a href="${escapeHtml(manageUrl)}" style="color:#6b7280;">${h('confirm.manageLink')}</a><br>${h('confirm.unsubscribeIntro')} <a href="${escapeHtml(unsubscribeUrl)}" style="color:#6b7280;">${h('confirm.unsubscribeLink')}</a></p>
`);
  return { language: tr.language, subject, text, html };
}

