/**
 * The reminder a member gets: some time before a session (the series' reminder offsets),
 * on the day a virtual dialogue's discussion opens, and some days before it closes. Plain
 * multipart/alternative mail, text and HTML, with no calendar part: the invitation
 * (./invite-mail.ts) already put the session in the member's calendar.
 *
 * Languages and organiser texts are chosen as in the invitation: the member's language, else
 * the series' languages in order, else English (`reminderTranslator`); titles in the member's
 * language when the series has them (`pickText`). Durations ("1 day and 12 hours"), relative
 * days ("tomorrow", "dans 3 jours") and dates are formatted by Luxon and Intl in the
 * translator's locale; session times by `describeSessionTime` (the member's zone, named, with
 * the home zone beside it).
 *
 * Organiser and member text is never trusted: single-lined for headers, HTML-escaped in the
 * HTML part; nodemailer's MailComposer writes the MIME (see ./compose.ts).
 */
import { DateTime, Duration, IANAZone } from 'luxon';
import type { ScheduledSession, SeriesSchedule } from '../../events/projections/schedule.js';
import { ReminderOffset } from '../../events/shared/values.js';
import { boundedCache } from '../bounded-cache.js';
import { htmlMessage, type MessageParams } from './catalogue.js';
import { composeMime, escapeHtml, htmlDocument, memberMail, webUrl, type ComposeOptions, type MailContent, type MemberMailInput } from './compose.js';
import { describeSessionTime } from './format-time.js';
import { footerHtml, footerLines, htmlUrlLink, seriesMailNames, sessionName, type MailFooter, type SeriesMailNames } from './member-mail-parts.js';
import { reminderTranslator, type ReminderMessageId, type ReminderTranslator } from './reminder-catalogue.js';

export type { ComposeOptions, MailContent } from './compose.js';

export type ReminderSpec =
  | {
      readonly kind: 'before-session';
      readonly sessionId: string;
      /** How long before the session starts: an ISO 8601 duration in weeks, days, hours or minutes (P7D, P1W, PT1H, P1DT12H). */
      readonly offset: string;
    }
  | { readonly kind: 'dialogue-opens' }
  | {
      readonly kind: 'dialogue-closes';
      /** How long before the last day: whole days, e.g. P3D. */
      readonly offset: string;
    };

export interface ReminderMailInput extends MemberMailInput {
  readonly schedule: SeriesSchedule;
  readonly reminder: ReminderSpec;
  /** Whether this member may see the session's join link. */
  readonly joinUrlVisible: boolean;
  /**
   * The member's own join link for the session (functions/api/routes/join.ts), shown instead of
   * the meeting URL (which it opens); absent: the meeting URL itself.
   */
  readonly joinLink?: string;
}

/**
 * Where a member's own join link goes in a reminder's shared content: the content is made once
 * per language, zone and reminder and shared by every member, the link is each member's own.
 */
const JOIN_MARK = 'https://join.convene.invalid/member-link';

/** The raw MIME message (multipart/alternative, text and HTML), for `Mailer.sendRaw`. */
export async function composeReminderMail(input: ReminderMailInput, options: ComposeOptions): Promise<Buffer> {
  return composeMime(memberMail(input, input.schedule.organiser, reminderContent(input)), options);
}

/**
 * The subject, text and HTML of the reminder. Throws a RangeError for a session that does
 * not exist or is cancelled, an offset that is not a reminder offset, or a window whose dates
 * do not parse; a TypeError for a window reminder on a series that has no window.
 */
export function reminderContent(input: ReminderMailInput): MailContent {
  const { tr, subject, body, footerText, footerMarkup } = sharedContent(input);
  const names = seriesMailNames(input, input.schedule);
  const greeting: [ReminderMessageId, MessageParams] = names.member ? ['reminder.greeting', { name: names.member }] : ['reminder.greetingNoName', {}];
  const link = input.joinLink === undefined ? undefined : webUrl(input.joinLink, 'join link');
  const own = (part: string, written: string) => (link === undefined ? part : part.split(JOIN_MARK).join(written));
  const text = own([tr.t(...greeting), '', ...body.text, '', ...footerLines(footerText, names)].join('\n'), link ?? '');
  const html = own(htmlDocument(tr.language, subject, `<p>${htmlMessage(tr, ...greeting)}</p>\n${body.html}${footerHtml(footerMarkup, names)}`), escapeHtml(link ?? ''));
  return { language: tr.language, subject, text, html };
}

/** What a reminder says to every member of one language and zone: all but the greeting and the unsubscribe link. */
interface SharedContent {
  readonly tr: ReminderTranslator;
  readonly subject: string;
  readonly body: Body;
  readonly footerText: MailFooter;
  readonly footerMarkup: MailFooter;
}

/**
 * Shared content, kept per schedule object (a tick hands every mail the same one, and a
 * schedule read model is never changed in place) and per language, zone and reminder: ten
 * thousand reminders of one session are composed from a handful of these.
 */
const sharedBySchedule = new WeakMap<SeriesSchedule, ReturnType<typeof boundedCache<SharedContent>>>();

function sharedContent(input: ReminderMailInput): SharedContent {
  const { schedule } = input;
  let cache = sharedBySchedule.get(schedule);
  if (!cache) sharedBySchedule.set(schedule, (cache = boundedCache<SharedContent>(200)));
  const key = JSON.stringify([input.language, input.memberTimeZone, input.reminder, input.joinUrlVisible, input.joinLink !== undefined]);
  return cache.get(key, () => {
    const tr = reminderTranslator(input.language, schedule.languages);
    const names = seriesMailNames(input, schedule);
    const body = reminderBody(input, tr, names);
    const h = (id: ReminderMessageId, params?: MessageParams) => htmlMessage(tr, id, params);
    const footer = (render: typeof tr.t): MailFooter => ({
      replyNote: render('reminder.replyNote', { organiser: names.organiser }),
      sentBy: render('reminder.sentBy', { organiser: names.organiser }),
      unsubscribeIntro: render('reminder.unsubscribeIntro'),
      unsubscribeLink: render('reminder.unsubscribeLink'),
      manageLink: render('reminder.manageLink'),
    });
    return { tr, subject: tr.t(...body.subject), body, footerText: footer(tr.t), footerMarkup: footer(h) };
  });
}

type Message = [ReminderMessageId, MessageParams];

/** What each kind of reminder says between the greeting and the footer. */
interface Body {
  readonly subject: Message;
  /** Plain-text lines. */
  readonly text: readonly string[];
  /** HTML paragraphs, each ending in a newline. */
  readonly html: string;
}

function reminderBody(input: ReminderMailInput, tr: ReminderTranslator, names: SeriesMailNames): Body {
  const { reminder } = input;
  switch (reminder.kind) {
    case 'before-session':
      return beforeSession(input, reminder, tr, names);
    case 'dialogue-opens':
      return dialogueOpens(input, tr, names);
    case 'dialogue-closes':
      return dialogueCloses(input, reminder.offset, tr, names);
    default:
      throw new TypeError(`not a kind of reminder: ${JSON.stringify((reminder as { kind?: unknown }).kind)}`);
  }
}

function beforeSession(
  input: ReminderMailInput,
  reminder: Extract<ReminderSpec, { kind: 'before-session' }>,
  tr: ReminderTranslator,
  names: SeriesMailNames,
): Body {
  const { schedule } = input;
  const session = schedule.sessions.find((s) => s.sessionId === reminder.sessionId);
  if (!session) throw new RangeError(`series ${schedule.seriesId} has no session ${JSON.stringify(reminder.sessionId)}`);
  if (session.status === 'cancelled') throw new RangeError(`session ${session.sessionId} is cancelled: no reminder for it`);
  const { t } = tr;
  const h = (id: ReminderMessageId, params?: MessageParams) => htmlMessage(tr, id, params);
  const title = sessionName(names, session);
  const duration = humanDuration(reminder.offset, tr.locale);
  const when = describeSessionTime(session, input.memberTimeZone, tr.locale);
  // The meeting URL is checked even when the member's own link stands in for it: the link redirects there.
  const meetingUrl = input.joinUrlVisible && session.joinUrl ? webUrl(session.joinUrl, 'join URL') : undefined;
  const joinUrl = meetingUrl && input.joinLink !== undefined ? JOIN_MARK : meetingUrl;
  const intro: Message = ['reminder.intro.before-session', { session: title, series: names.series, duration }];

  return {
    subject: ['reminder.subject.before-session', { session: title, duration }],
    text: [
      t(...intro),
      '',
      `${t('reminder.when')}: ${when}`,
      ...(joinUrl ? [`${t('reminder.join')}: ${joinUrl}`] : []),
      '',
      t('reminder.calendarNote'),
    ],
    html: `<p>${h(...intro)}</p>
<p><strong>${h('reminder.when')}:</strong> ${escapeHtml(when)}</p>
${joinUrl ? `<p><strong>${h('reminder.join')}:</strong> ${htmlUrlLink(joinUrl)}</p>\n` : ''}<p style="font-size:14px;color:#4b5563;">${h('reminder.calendarNote')}</p>
`,
  };
}

function dialogueOpens(input: ReminderMailInput, tr: ReminderTranslator, names: SeriesMailNames): Body {
  const { schedule } = input;
  const window = dialogueWindow(schedule, tr.locale);
  const { t } = tr;
  const h = (id: ReminderMessageId, params?: MessageParams) => htmlMessage(tr, id, params);
  const intro: Message = ['reminder.intro.dialogue-opens', { series: names.series, opens: window.opens, closes: window.closes, zone: schedule.timeZone }];
  const sessions = schedule.sessions
    .filter((session) => session.status === 'scheduled')
    .map((session: ScheduledSession) => ({ title: sessionName(names, session), when: describeSessionTime(session, input.memberTimeZone, tr.locale) }));
  const items = sessions.map((s) => `<li style="margin:0 0 12px;"><strong><bdi>${escapeHtml(s.title)}</bdi></strong><br>${escapeHtml(s.when)}</li>`);

  return {
    subject: ['reminder.subject.dialogue-opens', { series: names.series }],
    text: [
      t(...intro),
      ...(sessions.length === 0 ? [] : ['', t('reminder.sessionsHeading'), ...sessions.flatMap((s) => [`- ${s.title}`, `  ${s.when}`])]),
    ],
    html: `<p>${h(...intro)}</p>
${sessions.length === 0 ? '' : `<h2 style="font-size:18px;margin:32px 0 8px;">${h('reminder.sessionsHeading')}</h2>\n<ul style="padding-left:20px;">\n${items.join('\n')}\n</ul>\n`}`,
  };
}

function dialogueCloses(input: ReminderMailInput, offset: string, tr: ReminderTranslator, names: SeriesMailNames): Body {
  const { schedule } = input;
  const window = dialogueWindow(schedule, tr.locale);
  const days = wholeDays(offset);
  const relative = new Intl.RelativeTimeFormat(tr.locale, { numeric: 'auto' }).format(days, 'day');
  const intro: Message = ['reminder.intro.dialogue-closes', { series: names.series, relative, closes: window.closes, zone: schedule.timeZone }];
  return {
    subject: ['reminder.subject.dialogue-closes', { series: names.series, relative }],
    text: [tr.t(...intro)],
    html: `<p>${htmlMessage(tr, ...intro)}</p>\n`,
  };
}

/** The offset in words in `locale`, in the units the organiser chose: "1 week", "7 días", "1 jour et 12 heures". */
function humanDuration(offset: string, locale: string): string {
  const checked = ReminderOffset.safeParse(offset);
  if (!checked.success) throw new RangeError(`reminder offset ${JSON.stringify(offset)} is not a positive ISO 8601 duration in weeks, days, hours or minutes of at most 90 days`);
  return Duration.fromISO(offset, { locale }).removeZeros().toHuman({ listStyle: 'long' });
}

/** A closing reminder's offset as a number of days (P3D → 3; P1W → 7). */
function wholeDays(offset: string): number {
  const checked = ReminderOffset.safeParse(offset);
  const days = checked.success ? Duration.fromISO(offset).as('days') : NaN;
  if (!Number.isInteger(days) || days < 1) throw new RangeError(`a closing reminder's offset must be whole days, such as P3D: ${JSON.stringify(offset)}`);
  return days;
}

const CALENDAR_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The dialogue's first and last day as long dates in `locale` (they are dates in the home zone). */
function dialogueWindow(schedule: SeriesSchedule, locale: string): { readonly opens: string; readonly closes: string } {
  if (schedule.kind !== 'virtual-dialogue' || !schedule.window) {
    throw new TypeError(`series ${schedule.seriesId} is a ${schedule.kind} without a discussion window: no window reminder for it`);
  }
  if (!IANAZone.isValidZone(schedule.timeZone)) throw new RangeError(`"${schedule.timeZone}" is not a known IANA time zone`);
  const day = (date: string, field: string) => {
    const parsed = CALENDAR_DATE.test(date) ? DateTime.fromISO(date, { zone: schedule.timeZone, locale }) : undefined;
    if (!parsed?.isValid) throw new RangeError(`window ${field} "${date}" is not a calendar date (YYYY-MM-DD)`);
    return parsed;
  };
  const opens = day(schedule.window.opens, 'opens');
  const closes = day(schedule.window.closes, 'closes');
  if (closes < opens) throw new RangeError(`window closes (${schedule.window.closes}) before it opens (${schedule.window.opens})`);
  return { opens: opens.toLocaleString(DateTime.DATE_HUGE), closes: closes.toLocaleString(DateTime.DATE_HUGE) };
}
