/**
 * The mail that carries a member's certificate of participation: how many of the series'
 * sessions they took part in and for how many hours, the certificate as a PDF attachment
 * (../certificates/certificate-pdf.ts, in the mail's language), and the public link anyone can
 * check it at. multipart/mixed: the text and HTML alternative, then `certificate-<id>.pdf`.
 *
 * Languages are chosen as in the recording mail (./recording-mail.ts): the member's language,
 * else the series' languages in order, else English. Numbers are formatted by Intl in the
 * translator's locale; the hours with their unit ("7.5 hours", "7,5 heures"), so in the right
 * plural; the sessions' message in the plural Intl.PluralRules picks (./certificate-catalogue.ts).
 *
 * Organiser text (the series title, the organiser's name) and the member's name are
 * single-lined for headers and HTML-escaped, in a <bdi>, in the HTML part; nodemailer's
 * MailComposer writes the MIME (see ./compose.ts).
 */
import type { SeriesSchedule } from '../../events/projections/schedule.js';
import { renderCertificatePdf } from '../certificates/certificate-pdf.js';
import { htmlMessage, type MessageParams } from './catalogue.js';
import { certificateMailTranslator, type CertificateMailMessageId, type CertificateMailTranslator } from './certificate-catalogue.js';
import { composeMime, escapeHtml, htmlDocument, memberMail, webUrl, type ComposeOptions, type MailContent, type MemberMailInput } from './compose.js';
import { footerHtml, footerLines, htmlUrlLink, seriesMailNames, type MailFooter } from './member-mail-parts.js';

export type { ComposeOptions, MailContent } from './compose.js';

/** What a certificate says (the CertificateIssued event's numbers and ids). */
export interface CertificateFacts {
  /** Its id (events/shared/values.ts `Id`): the attachment is named after it. */
  readonly certificateId: string;
  /** Hours of participation, e.g. 15 or 7.5. */
  readonly hours: number;
  readonly sessionsAttended: number;
  readonly sessionsTotal: number;
  /** ISO instant. */
  readonly issuedAt: string;
}

export interface CertificateMailInput extends MemberMailInput {
  readonly schedule: SeriesSchedule;
  readonly certificate: CertificateFacts;
  /** The certificate's public verification page: https (http only on a loopback host, as every mailed link). */
  readonly verifyUrl: string;
}

/** The attachment's MIME type and name. */
export const CERTIFICATE_CONTENT_TYPE = 'application/pdf';
export const certificateFileName = (certificateId: string) => `certificate-${certificateId}.pdf`;

/** As events/shared/values.ts `Id`: safe as it stands in a file name. */
const CERTIFICATE_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

/**
 * The raw MIME message (multipart/mixed: text and HTML, and the certificate's PDF), for
 * `Mailer.sendRaw`. Throws as `certificateContent` does, and a RangeError for a certificate
 * the PDF cannot be made of (see `renderCertificatePdf`).
 */
export async function composeCertificateMail(input: CertificateMailInput, options: ComposeOptions): Promise<Buffer> {
  const content = certificateContent(input);
  const { schedule, certificate } = input;
  const names = seriesMailNames(input, schedule);
  const pdf = await renderCertificatePdf({
    language: content.language,
    memberName: input.to.name,
    seriesTitle: names.series,
    organiserName: schedule.organiser.name,
    hours: certificate.hours,
    sessionsAttended: certificate.sessionsAttended,
    sessionsTotal: certificate.sessionsTotal,
    issuedAt: certificate.issuedAt,
    timeZone: input.memberTimeZone,
    certificateId: certificate.certificateId,
    verifyUrl: webUrl(input.verifyUrl, 'verify URL'),
  });
  return composeMime(
    {
      ...memberMail(input, schedule.organiser, content),
      attachments: [{ filename: certificateFileName(certificate.certificateId), contentType: CERTIFICATE_CONTENT_TYPE, content: pdf }],
    },
    options,
  );
}

/**
 * The subject, text and HTML of the mail. Throws a TypeError for a verify URL that is not
 * https (or http on a loopback host), a RangeError for a certificate id that is not an id or
 * numbers that are not counts and hours.
 */
export function certificateContent(input: CertificateMailInput): MailContent {
  const { schedule, certificate } = input;
  checkFacts(certificate);
  const verifyUrl = webUrl(input.verifyUrl, 'verify URL');

  const tr = certificateMailTranslator(input.language, schedule.languages);
  const { t } = tr;
  const h = (id: CertificateMailMessageId, params?: MessageParams) => htmlMessage(tr, id, params);
  const names = seriesMailNames(input, schedule);
  const count = new Intl.NumberFormat(tr.locale);
  const hours = new Intl.NumberFormat(tr.locale, { style: 'unit', unit: 'hour', unitDisplay: 'long', maximumFractionDigits: 2 }).format(certificate.hours);
  const plural = new Intl.PluralRules(tr.locale).select(certificate.sessionsTotal) === 'one' ? 'one' : 'other';

  const greeting: [CertificateMailMessageId, MessageParams] = names.member ? ['certificate.greeting', { name: names.member }] : ['certificate.greetingNoName', {}];
  const intro: [CertificateMailMessageId, MessageParams] = [
    `certificate.intro.${plural}`,
    { series: names.series, hours, sessionsAttended: count.format(certificate.sessionsAttended), sessionsTotal: count.format(certificate.sessionsTotal) },
  ];
  const footer = (render: typeof t): MailFooter => ({
    replyNote: render('certificate.replyNote', { organiser: names.organiser }),
    sentBy: render('certificate.sentBy', { organiser: names.organiser }),
    unsubscribeIntro: render('certificate.unsubscribeIntro'),
    unsubscribeLink: render('certificate.unsubscribeLink'),
    manageLink: render('certificate.manageLink'),
  });

  const subject = t('certificate.subject', { series: names.series });
  const text = [t(...greeting), '', t(...intro), '', t('certificate.verify', { verifyUrl }), '', ...footerLines(footer(t), names)].join('\n');

  const body = `<p>${h(...greeting)}</p>
<p>${h(...intro)}</p>
<p>${verifyHtml(tr, verifyUrl)}</p>
${footerHtml(footer(h), names)}`;
  const html = htmlDocument(tr.language, subject, body);
  return { language: tr.language, subject, text, html };
}

/** The verification sentence as HTML, its URL a link (left to right, isolated: `htmlUrlLink`). */
function verifyHtml(tr: CertificateMailTranslator, verifyUrl: string): string {
  return tr
    .parts('certificate.verify', { verifyUrl })
    .map((part) => ('text' in part ? escapeHtml(part.text) : htmlUrlLink(part.value)))
    .join('');
}

function checkFacts(certificate: CertificateFacts): void {
  if (!CERTIFICATE_ID.test(certificate.certificateId)) throw new RangeError(`not a certificate id: ${JSON.stringify(certificate.certificateId.slice(0, 100))}`);
  for (const field of ['sessionsAttended', 'sessionsTotal'] as const) {
    if (!Number.isSafeInteger(certificate[field]) || certificate[field] < 0) throw new RangeError(`${field} must be a whole number of at least 0: ${certificate[field]}`);
  }
  if (!Number.isFinite(certificate.hours) || certificate.hours < 0) throw new RangeError(`hours must be a number of at least 0: ${certificate.hours}`);
  if (Number.isNaN(Date.parse(certificate.issuedAt))) throw new RangeError(`issuedAt is not an instant: ${JSON.stringify(certificate.issuedAt)}`);
}
