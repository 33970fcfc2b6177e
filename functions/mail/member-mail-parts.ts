/**
 * Pieces that mails about one series share: a translator over a mail's own catalogue, the
 * names they say (organiser texts picked in the member's language, single-lined) and the
 * footer (reply note, sent-by line, unsubscribe link) in plain text and in HTML. Each mail
 * keeps its own catalogue; the footer takes its messages already rendered.
 */
import type { ScheduledSession, SeriesSchedule } from '../../events/projections/schedule.js';
import { pickText } from '../feeds/ical.js';
import { messageFunctions, translator, type Translator } from './catalogue.js';
import { escapeHtml, singleLine, webUrl, type MemberMailInput } from './compose.js';

/**
 * A translator over one mail's own catalogue (tables by the lower-case tags of
 * ./catalogue.ts's CATALOGUE): the language and locale `translator()` chooses, the messages
 * from `tables`. The function it returns throws if `tables` lacks the chosen language.
 */
export function tablesTranslator<Id extends string>(
  tables: Readonly<Record<string, Readonly<Record<Id, string>>>>,
  catalogueName: string,
): (language: string, fallbackLanguages?: readonly string[]) => Translator<Id> {
  return (language, fallbackLanguages = []) => {
    const base = translator(language, fallbackLanguages);
    const messages = tables[base.language];
    if (!messages) throw new Error(`the ${catalogueName} catalogue has no "${base.language}" table`);
    return { language: base.language, locale: base.locale, ...messageFunctions(messages) };
  };
}

/** What a mail about a series calls things, each on one line and safe for a header. */
export interface SeriesMailNames {
  /** An organiser text in the member's language when the series has it, else its first language's. */
  readonly pick: (texts: Readonly<Record<string, string>> | undefined) => string | undefined;
  /** The series title, or its id when it has none. */
  readonly series: string;
  /** The organiser's name, or their address when it is blank. */
  readonly organiser: string;
  /** The member's name; empty when they gave none. */
  readonly member: string;
  /** The checked one-click unsubscribe URL. */
  readonly unsubscribeUrl: string;
  /** The checked "manage my registrations" URL. */
  readonly manageUrl: string;
}

export function seriesMailNames(input: MemberMailInput, schedule: SeriesSchedule): SeriesMailNames {
  const pick = (texts: Readonly<Record<string, string>> | undefined) => pickText(texts, input.language, schedule.languages);
  return {
    pick,
    series: singleLine(pick(schedule.title) ?? '') || schedule.seriesId,
    organiser: singleLine(schedule.organiser.name) || schedule.organiser.email,
    member: singleLine(input.to.name),
    unsubscribeUrl: webUrl(input.unsubscribeUrl, 'unsubscribe URL'),
    manageUrl: webUrl(input.manageUrl, 'manage URL'),
  };
}

/** A session's title for a mail: picked like the series title, single-lined, else its id. */
export function sessionName(names: Pick<SeriesMailNames, 'pick'>, session: ScheduledSession): string {
  return singleLine(names.pick(session.title) ?? '') || session.sessionId;
}

/** The footer's messages, rendered: plain text for `footerLines`, HTML for `footerHtml`. */
export interface MailFooter {
  readonly replyNote: string;
  readonly sentBy: string;
  readonly unsubscribeIntro: string;
  readonly unsubscribeLink: string;
  readonly manageLink: string;
}

/** The links of a footer: one-click unsubscribe and the member's own page. */
export interface FooterLinks {
  readonly unsubscribeUrl: string;
  readonly manageUrl: string;
}

/** The plain-text footer, from the signature separator ("-- ") to the closing blank line. */
export function footerLines(footer: MailFooter, links: FooterLinks): string[] {
  return ['-- ', footer.replyNote, footer.sentBy, `${footer.manageLink}: ${links.manageUrl}`, `${footer.unsubscribeIntro} ${footer.unsubscribeLink}: ${links.unsubscribeUrl}`, ''];
}

/** The HTML footer: a rule, then the messages (already HTML) in small grey type. */
export function footerHtml(footer: MailFooter, links: FooterLinks): string {
  return `<hr style="border:none;border-top:1px solid #e5e7eb;margin:32px 0 16px;">
<p style="font-size:13px;color:#6b7280;">${footer.replyNote}<br>${footer.sentBy}<br><a href="${escapeHtml(links.manageUrl)}" style="color:#6b7280;">${footer.manageLink}</a><br>${footer.unsubscribeIntro} <a href="${escapeHtml(links.unsubscribeUrl)}" style="color:#6b7280;">${footer.unsubscribeLink}</a></p>
`;
}

/**
 * A link shown as its own URL (a join link), for the HTML part. Always left to right and
 * isolated (`dir="ltr"`): in an Arabic paragraph a URL ending in `/` or `=` would otherwise
 * show that character at its start.
 */
export function htmlUrlLink(url: string): string {
  return `<a href="${escapeHtml(url)}" dir="ltr" style="color:#1d4ed8;word-break:break-all;">${escapeHtml(url)}</a>`;
}
