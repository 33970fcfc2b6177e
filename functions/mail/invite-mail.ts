/**
 * The invitation a member gets for one session, and its update and cancellation: an iTIP
 * message (RFC 5546) sent by mail (RFC 6047, iMIP), so the member's mail client puts the
 * session in their calendar, moves it, or takes it out.
 *
 * - METHOD:REQUEST for a new or changed session (subject "Invitation" when the member has
 *   not got it in their calendar from us, "Updated" when they have), METHOD:CANCEL when it is cancelled (STATUS:CANCELLED). iTIP wants for
 *   both: ORGANIZER, ATTENDEE, UID, SEQUENCE, DTSTAMP, and for REQUEST DTSTART and SUMMARY.
 * - UID is the feeds' `sessionUid`, SEQUENCE the session's `sequence` (a cancellation has
 *   already bumped it), DTSTAMP its `updatedAt`: the same values the calendar feeds carry,
 *   so a client that has both the feed and the invitation sees one event.
 * - Times: in the session's zone with its VTIMEZONE, generated from the runtime's tz database,
 *   when it gives back the exact instants (everywhere but a fall-back's repeated hour), else
 *   in UTC (functions/feeds/vtimezone.ts, as the feeds do).
 * - RSVP=TRUE and ORGANIZER the invitation's reply address (functions/inbound/reply-address.ts,
 *   signed for this member and session, CN the organiser's name) when the dispatcher has one:
 *   the member's Yes, Maybe or No in their calendar app comes back to Convene as an iMIP REPLY
 *   (functions/inbound/). A person's written reply goes to the organiser (Reply-To). Without a
 *   reply address (none configured), ORGANIZER is the organiser and RSVP=FALSE.
 *
 * Organiser and member text is never trusted: single-lined for headers and the calendar's
 * one-line values, HTML-escaped in the HTML part; ical-generator escapes and folds the
 * calendar, nodemailer's MailComposer writes the MIME (see ./compose-calendar.ts).
 */
import ical, { ICalAttendeeRole, ICalAttendeeStatus, ICalCalendarMethod, ICalEventStatus } from 'ical-generator';
import type { ScheduledSession, SeriesSchedule } from '../../events/projections/schedule.js';
import { pickText, sessionEventCore } from '../feeds/ical.js';
import { vtimezoneGenerator } from '../feeds/vtimezone.js';
import { htmlMessage, type MessageParams } from './catalogue.js';
import { composeCalendarMime, isSingleAddress, type ItipMethod } from './compose-calendar.js';
import { escapeHtml, htmlDocument, memberMail, singleLine, webUrl, type ComposeOptions, type MailContent, type MemberMailInput } from './compose.js';
import { describeSessionTime } from './format-time.js';
import { htmlUrlLink } from './member-mail-parts.js';
import { inviteTranslator, type InviteMessageId } from './invite-catalogue.js';

export type { ComposeOptions } from './compose.js';
export type { ItipMethod } from './compose-calendar.js';

export interface InviteMailInput extends MemberMailInput {
  readonly method: ItipMethod;
  readonly schedule: SeriesSchedule;
  readonly sessionId: string;
  /** Whether this member may see the session's join link (mail text and calendar). */
  readonly joinUrlVisible: boolean;
  /**
   * The SEQUENCE to send, when it is not the session's: a CANCEL to one member who left a
   * session that still takes place, or a REQUEST after such a CANCEL (events/delivery/invites.ts).
   */
  readonly sequence?: number;
  /**
   * The member's calendar has this session from an earlier REQUEST: a REQUEST is worded as an
   * update ("Updated: …"). Otherwise it is their first (or, after a CANCEL, a new) invitation,
   * whatever the SEQUENCE: wording follows what this member last received.
   */
  readonly update?: boolean;
  /** The ORGANIZER address that takes this member's REPLY for this session; absent: the organiser's, RSVP=FALSE. */
  readonly replyAddress?: string;
  /**
   * The member's own join link for the session (functions/api/routes/join.ts): the text, the
   * calendar's LOCATION and URL carry it instead of the meeting URL, which it opens as it is
   * then (a changed meeting link reaches calendars that refresh once a day). Absent: the URL.
   */
  readonly joinLink?: string;
}

/** The raw MIME message (text, HTML, text/calendar alternatives + invite.ics), for `Mailer.sendRaw`. */
export async function composeInviteMail(input: InviteMailInput, options: ComposeOptions): Promise<Buffer> {
  const content = inviteContent(input);
  return composeCalendarMime(
    { ...memberMail(input, input.schedule.organiser, content), calendar: { method: input.method, content: content.calendar } },
    options,
  );
}

/** The iCalendar object of the mail alone (CRLF line ends, folded at 75 octets). */
export function inviteCalendar(input: InviteMailInput): string {
  return inviteContent(input).calendar;
}

interface Content extends MailContent {
  readonly calendar: string;
}

function inviteContent(input: InviteMailInput): Content {
  const { schedule, method } = input;
  if (method !== 'REQUEST' && method !== 'CANCEL') throw new TypeError(`not an iTIP method this mail sends: ${JSON.stringify(method)}`);
  const found = schedule.sessions.find((s) => s.sessionId === input.sessionId);
  const session = found && input.sequence !== undefined ? { ...found, sequence: input.sequence } : found;
  if (!session) throw new RangeError(`series ${schedule.seriesId} has no session ${JSON.stringify(input.sessionId)}`);
  if (method === 'REQUEST' && session.status === 'cancelled') {
    throw new RangeError(`session ${session.sessionId} is cancelled: send a CANCEL, not a REQUEST`);
  }
  if (!isSingleAddress(input.to.email)) throw new TypeError(`to address is not a single mail address: ${JSON.stringify(input.to.email)}`);
  if (!isSingleAddress(schedule.organiser.email)) {
    throw new TypeError(`organiser address is not a single mail address: ${JSON.stringify(schedule.organiser.email)}`);
  }

  const tr = inviteTranslator(input.language, schedule.languages);
  const { t } = tr;
  // Organiser texts in the member's own language when the series has it (as the feeds pick).
  const text = (texts: Readonly<Record<string, string>> | undefined) => pickText(texts, input.language, schedule.languages);
  const sessionTitle = singleLine(text(session.title) ?? '') || session.sessionId;
  const seriesTitle = singleLine(text(schedule.title) ?? '') || schedule.seriesId;
  const organiser = singleLine(schedule.organiser.name) || schedule.organiser.email;
  const memberName = singleLine(input.to.name);
  const when = describeSessionTime(session, input.memberTimeZone, tr.locale);
  // The meeting URL is checked even when the member's own link stands in for it: the link redirects there.
  const meetingUrl = method === 'REQUEST' && input.joinUrlVisible && session.joinUrl ? webUrl(session.joinUrl, 'join URL') : undefined;
  const joinUrl = meetingUrl && input.joinLink ? webUrl(input.joinLink, 'join link') : meetingUrl;
  const unsubscribeUrl = webUrl(input.unsubscribeUrl, 'unsubscribe URL');
  const manageUrl = webUrl(input.manageUrl, 'manage URL');

  // A CANCEL of a session that still takes place removes it for this member alone (they left it).
  const kind = method === 'CANCEL' ? (session.status === 'cancelled' ? 'cancel' : 'removed') : input.update ? 'update' : 'request';
  const subject = t(`invite.subject.${kind}`, { session: sessionTitle });
  const greeting: [InviteMessageId, MessageParams] = memberName ? ['invite.greeting', { name: memberName }] : ['invite.greetingNoName', {}];
  const intro: [InviteMessageId, MessageParams] = [`invite.intro.${kind}`, { organiser, session: sessionTitle, series: seriesTitle }];

  // The organiser's words when cancelling, as they wrote them (several lines allowed).
  const reason = kind === 'cancel' && session.cancellationReason ? session.cancellationReason.trim() : undefined;
  const plain = [
    t(...greeting),
    '',
    t(...intro),
    '',
    ...(reason ? [`${t('invite.reason')}: ${reason}`, ''] : []),
    `${t('invite.when')}: ${when}`,
    ...(joinUrl ? [`${t('invite.join')}: ${joinUrl}`] : []),
    ...(method === 'REQUEST' ? ['', t('invite.calendarNote')] : []),
    '',
    '-- ',
    t('invite.replyNote', { organiser }),
    t('invite.sentBy', { organiser }),
    `${t('invite.manageLink')}: ${manageUrl}`,
    `${t('invite.unsubscribeIntro')} ${t('invite.unsubscribeLink')}: ${unsubscribeUrl}`,
    '',
  ].join('\n');

  const h = (id: InviteMessageId, params?: MessageParams) => htmlMessage(tr, id, params);
  const html = htmlDocument(tr.language, subject, `<p>${h(...greeting)}</p>
<p>${h(...intro)}</p>
${reason ? `<p><strong>${h('invite.reason')}:</strong> <span dir="auto">${escapeHtml(reason).replace(/\r?\n/g, '<br>')}</span></p>\n` : ''}<p><strong>${h('invite.when')}:</strong> ${escapeHtml(when)}</p>
${joinUrl ? `<p><strong>${h('invite.join')}:</strong> ${htmlUrlLink(joinUrl)}</p>\n` : ''}${method === 'REQUEST' ? `<p style="font-size:14px;color:#4b5563;">${h('invite.calendarNote')}</p>\n` : ''}<hr style="border:none;border-top:1px solid #e5e7eb;margin:32px 0 16px;">
<p style="font-size:13px;color:#6b7280;">${h('invite.replyNote', { organiser })}<br>${h('invite.sentBy', { organiser })}<br><a href="${escapeHtml(manageUrl)}" style="color:#6b7280;">${h('invite.manageLink')}</a><br>${h('invite.unsubscribeIntro')} <a href="${escapeHtml(unsubscribeUrl)}" style="color:#6b7280;">${h('invite.unsubscribeLink')}</a></p>
`);

  const description = [
    reason ? `${t('invite.reason')}: ${reason}` : undefined,
    text(session.description),
    `${t('invite.when')}: ${when}`,
    ...(joinUrl ? [`${t('invite.join')}: ${joinUrl}`] : []),
  ]
    .filter((part): part is string => part !== undefined && part.length > 0)
    .join('\n\n');
  const calendar = buildCalendar(input, session, { summary: sessionTitle, description, joinUrl });
  return { language: tr.language, subject, text: plain, html, calendar };
}

function buildCalendar(
  input: InviteMailInput,
  session: ScheduledSession,
  texts: { readonly summary: string; readonly description: string; readonly joinUrl: string | undefined },
): string {
  const { schedule } = input;
  const calendar = ical({
    prodId: { company: 'Convene', product: 'Convene invitations', language: 'EN' },
    method: input.method === 'CANCEL' ? ICalCalendarMethod.CANCEL : ICalCalendarMethod.REQUEST,
    scale: 'GREGORIAN',
  });
  // TRAP 3 (shared/STACK.md): no calendar-wide zone; VTIMEZONE blocks per event zone.
  calendar.timezone({ name: null, generator: vtimezoneGenerator(calendar) });
  calendar.createEvent({
    // UID, SEQUENCE, timestamps and times exactly as the feeds write them.
    ...sessionEventCore(schedule.seriesId, session),
    summary: texts.summary,
    description: texts.description,
    location: texts.joinUrl ?? null,
    // ical-generator TEXT-escapes URI values; leave URLs with `,` `;` `\` out (see feeds/ical.ts).
    url: texts.joinUrl !== undefined && !/[,;\\]/.test(texts.joinUrl) ? texts.joinUrl : null,
    // ical-generator backslash-escapes `"` in a quoted CN, which RFC 5545 has no escape for.
    organizer: { name: cn(schedule.organiser.name), email: input.replyAddress ?? schedule.organiser.email },
    attendees: [
      {
        name: cn(input.to.name),
        email: input.to.email,
        role: ICalAttendeeRole.REQ,
        status: ICalAttendeeStatus.NEEDSACTION,
        rsvp: input.method === 'REQUEST' && input.replyAddress !== undefined,
      },
    ],
    status: input.method === 'CANCEL' ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
  });
  const ics = calendar.toString();
  // RFC 5545: every content line, the last one too, ends with CRLF (ical-generator stops at END:VCALENDAR).
  return ics.endsWith('\r\n') ? ics : `${ics}\r\n`;
}

/** A CN parameter value: one line, no `"` (a quoted parameter value cannot carry one). */
function cn(name: string): string {
  return singleLine(name).replace(/"/g, "'");
}

