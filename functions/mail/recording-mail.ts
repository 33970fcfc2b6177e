/**
 * The mail a member gets when a session's recording is published: which session (its title in
 * the member's language, when it took place in their zone with the home zone beside), one
 * link per file (recording, captions, transcript, slides) with its size, and a link to the
 * series' archive of recordings. Plain multipart/alternative mail, text and HTML, with no
 * calendar part.
 *
 * Languages are chosen as in the reminder (./reminder-mail.ts): the member's language, else
 * the series' languages in order, else English (`recordingTranslator`). Sizes are formatted by
 * Intl in the translator's locale ("1.2 GB", "350 Mo"), in decimal units as Intl names them.
 *
 * Links are only the public, stable ones of ../recordings/links.ts: never a storage key or a
 * presigned URL, which would leak the bucket and expire in the inbox. Organiser text (titles,
 * file names, organiser name) is single-lined for headers and HTML-escaped in the HTML part;
 * nodemailer's MailComposer writes the MIME (see ./compose.ts).
 */
import type { RecordingFile, SeriesSchedule } from '../../events/projections/schedule.js';
import { recordingFileUrl, recordingsArchiveUrl } from '../recordings/links.js';
import { htmlMessage, type MessageParams } from './catalogue.js';
import { composeMime, escapeHtml, htmlDocument, memberMail, singleLine, webUrl, type ComposeOptions, type MailContent, type MemberMailInput } from './compose.js';
import { describeSessionTime } from './format-time.js';
import { footerHtml, footerLines, htmlUrlLink, seriesMailNames, sessionName, type MailFooter } from './member-mail-parts.js';
import { recordingTranslator, type RecordingMessageId } from './recording-catalogue.js';

export type { ComposeOptions, MailContent } from './compose.js';

export interface RecordingMailInput extends MemberMailInput {
  readonly schedule: SeriesSchedule;
  /** The session whose recording was published. */
  readonly sessionId: string;
  /** The public base URL the links of ../recordings/links.ts start with (https). */
  readonly baseUrl: string;
  /**
   * Whether the member took part (their join link, or a participants report): "thank you for
   * joining, here is the recording"; false: "you missed it: watch it here"; absent (nobody
   * knows, e.g. a session without attendance taken): the plain announcement.
   */
  readonly attended?: boolean;
}

/** The raw MIME message (multipart/alternative, text and HTML), for `Mailer.sendRaw`. */
export async function composeRecordingMail(input: RecordingMailInput, options: ComposeOptions): Promise<Buffer> {
  return composeMime(memberMail(input, input.schedule.organiser, recordingContent(input)), options);
}

/**
 * The subject, text and HTML of the mail. Throws a RangeError for a session the series does
 * not have or whose recording is not published (or has no file); a TypeError for a base URL
 * that is not https.
 */
export function recordingContent(input: RecordingMailInput): MailContent {
  const { schedule } = input;
  const session = schedule.sessions.find((s) => s.sessionId === input.sessionId);
  if (!session) throw new RangeError(`series ${schedule.seriesId} has no session ${JSON.stringify(input.sessionId)}`);
  if (!session.recording || session.recording.files.length === 0) {
    throw new RangeError(`session ${session.sessionId} has no published recording: no recording mail for it`);
  }

  const tr = recordingTranslator(input.language, schedule.languages);
  const { t } = tr;
  const h = (id: RecordingMessageId, params?: MessageParams) => htmlMessage(tr, id, params);
  const names = seriesMailNames(input, schedule);
  const title = sessionName(names, session);
  const when = describeSessionTime(session, input.memberTimeZone, tr.locale);
  const files = session.recording.files.map((file) => ({
    label: `recording.file.${file.asset}` as RecordingMessageId,
    details: { fileName: singleLine(file.fileName), size: humanSize(file.size, tr.locale) },
    url: webUrl(recordingFileUrl(input.baseUrl, schedule.seriesId, session.sessionId, file.asset), 'recording URL'),
  }));
  const archiveUrl = webUrl(recordingsArchiveUrl(input.baseUrl, schedule.seriesId), 'recordings archive URL');

  const greeting: [RecordingMessageId, MessageParams] = names.member ? ['recording.greeting', { name: names.member }] : ['recording.greetingNoName', {}];
  const by = input.attended === undefined ? '' : input.attended ? '.attended' : '.missed';
  const intro: [RecordingMessageId, MessageParams] = [`recording.intro${by}` as RecordingMessageId, { session: title, series: names.series }];
  const archive: [RecordingMessageId, MessageParams] = ['recording.archive', { series: names.series }];
  const footer = (render: typeof t): MailFooter => ({
    replyNote: render('recording.replyNote', { organiser: names.organiser }),
    sentBy: render('recording.sentBy', { organiser: names.organiser }),
    unsubscribeIntro: render('recording.unsubscribeIntro'),
    unsubscribeLink: render('recording.unsubscribeLink'),
    manageLink: render('recording.manageLink'),
  });

  const subject = t(`recording.subject${by}` as RecordingMessageId, { session: title });
  const text = [
    t(...greeting),
    '',
    t(...intro),
    '',
    `${t('recording.when')}: ${when}`,
    '',
    `${t('recording.filesHeading')}:`,
    ...files.flatMap((f) => [`- ${t(f.label)}: ${t('recording.fileDetails', f.details)}`, `  ${f.url}`]),
    '',
    `${t(...archive)}: ${archiveUrl}`,
    '',
    ...footerLines(footer(t), names),
  ].join('\n');

  const items = files.map(
    (f) => `<li style="margin:0 0 12px;"><strong>${h(f.label)}:</strong> ${h('recording.fileDetails', f.details)}<br>${htmlUrlLink(f.url)}</li>`,
  );
  const body = `<p>${h(...greeting)}</p>
<p>${h(...intro)}</p>
<p><strong>${h('recording.when')}:</strong> ${escapeHtml(when)}</p>
<h2 style="font-size:18px;margin:32px 0 8px;">${h('recording.filesHeading')}</h2>
<ul style="padding-left:20px;">
${items.join('\n')}
</ul>
<p><strong>${h(...archive)}:</strong> ${htmlUrlLink(archiveUrl)}</p>
${footerHtml(footer(h), names)}`;
  const html = htmlDocument(tr.language, subject, body);
  return { language: tr.language, subject, text, html };
}

const SIZE_UNITS = ['byte', 'kilobyte', 'megabyte', 'gigabyte', 'terabyte'] as const;

/** A file's size in `locale`, in decimal units: "812 bytes", "4.5 kB", "350 MB", "1,2 Go". */
function humanSize(bytes: RecordingFile['size'], locale: string): string {
  if (!Number.isSafeInteger(bytes) || bytes < 0) throw new RangeError(`a file size must be a whole number of bytes: ${bytes}`);
  let exponent = 0;
  while (exponent < SIZE_UNITS.length - 1 && bytes >= 1000 ** (exponent + 1)) exponent += 1;
  // 999,950 bytes would round to "1,000 kB": say "1 MB".
  if (exponent > 0 && exponent < SIZE_UNITS.length - 1 && Math.round(bytes / 1000 ** exponent) >= 1000) exponent += 1;
  const value = bytes / 1000 ** exponent;
  return new Intl.NumberFormat(locale, {
    style: 'unit',
    unit: SIZE_UNITS[exponent]!,
    // "812 bytes", not the short form's "812 byte".
    unitDisplay: exponent === 0 ? 'long' : 'short',
    maximumFractionDigits: exponent === 0 || value >= 10 ? 0 : 1,
  }).format(value);
}
