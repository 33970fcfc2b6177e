/**
 * The mail that carries a member's certificate of participation, read back from its raw bytes
 * by mailparser: multipart/mixed (text and HTML, then the PDF), in the member's language (else
 * the series' first), the sessions and hours in the locale's numbers and plurals, the public
 * verification link, the usual footer and one-click unsubscribe; and its catalogue, complete in
 * every language with the same placeholders.
 */
import { describe, expect, it } from 'vitest';
import type { SeriesSchedule } from '../../events/projections/schedule.js';
import { renderCertificatePdf } from '../../functions/certificates/certificate-pdf.js';
import { CATALOGUE } from '../../functions/mail/catalogue.js';
import { CERTIFICATE_MAIL_CATALOGUE } from '../../functions/mail/certificate-catalogue.js';
import { certificateContent, composeCertificateMail, type CertificateMailInput } from '../../functions/mail/certificate-mail.js';
import { mimeTree, writtenInOneGo, type OutgoingMail } from '../../functions/mail/compose.js';
import { single } from './mailparser.js';
import { contentTypes, readMail, unitSpaces } from './read-mail.js';
import { COMPOSE_OPTIONS, CREATED, MANAGE_URL, UNSUBSCRIBE_MAILTO, UNSUBSCRIBE_URL, scheduledSession } from '../support/schedule-fixtures.js';

const options = COMPOSE_OPTIONS;
const VERIFY_URL = 'https://convene.example.org/certificates/c7f3c9e1a2b4';
const CERTIFICATE_ID = 'c7f3c9e1a2b4';

interface ParsedAttachment {
  readonly filename?: string;
  readonly contentType: string;
  readonly contentDisposition?: string;
  readonly content: Buffer;
}

const lectures: SeriesSchedule = {
  seriesId: 'care-economy',
  version: 12,
  kind: 'lecture-series',
  title: { en: 'The Care Economy', es: 'La economía del cuidado', fr: 'L’économie du soin', ar: 'اقتصاد الرعاية' },
  description: {},
  timeZone: 'America/New_York',
  languages: ['en', 'es', 'fr'],
  organiser: { name: 'Training Centre', email: 'training@example.org' },
  reminderOffsets: ['P1D'],
  createdAt: CREATED,
  updatedAt: '2027-06-28T12:00:00.000Z',
  sessions: [
    scheduledSession(CREATED, { sessionId: 's1', title: { en: 'Opening' }, startsAt: '2027-05-23T14:00:00.000Z', endsAt: '2027-05-23T16:00:00.000Z' }),
  ],
};

function input(overrides: Partial<CertificateMailInput> = {}): CertificateMailInput {
  return {
    to: { email: 'ana@example.org', name: 'Ana Pérez' },
    language: 'en',
    memberTimeZone: 'America/Guayaquil',
    schedule: lectures,
    certificate: { certificateId: CERTIFICATE_ID, hours: 7.5, sessionsAttended: 3, sessionsTotal: 4, issuedAt: '2027-06-28T15:00:00.000Z' },
    verifyUrl: VERIFY_URL,
    unsubscribeUrl: UNSUBSCRIBE_URL,
    unsubscribeMailto: UNSUBSCRIBE_MAILTO,
    manageUrl: MANAGE_URL,
    ...overrides,
  };
}

const compose = async (mail: CertificateMailInput) => readMail(await composeCertificateMail(mail, options));
const attachmentsOf = (read: Awaited<ReturnType<typeof compose>>) => read.parsed.attachments as readonly ParsedAttachment[];

// ---------------------------------------------------------------------------------------

describe('composeCertificateMail: the envelope and the attachment', () => {
  it('is multipart/mixed: text and HTML, then the certificate as a PDF, with one-click unsubscribe and Content-Language', async () => {
    const read = await compose(input());
    const { bytes, parsed, lines } = read;
    expect(contentTypes(bytes)).toEqual(['multipart/mixed', 'multipart/alternative', 'text/plain', 'text/html', 'application/pdf']);
    expect(lines.get('list-unsubscribe')).toBe(`List-Unsubscribe: <${UNSUBSCRIBE_URL}>, <${UNSUBSCRIBE_MAILTO}>`);
    expect(lines.get('list-unsubscribe-post')).toBe('List-Unsubscribe-Post: List-Unsubscribe=One-Click');
    expect(lines.get('content-language')).toBe('Content-Language: en');
    expect(parsed.headers.get('auto-submitted')).toBe('auto-generated');
    expect(single(parsed.to)?.value).toEqual([{ address: 'ana@example.org', name: 'Ana Pérez' }]);
    expect(parsed.replyTo?.value).toEqual([{ address: 'training@example.org', name: 'Training Centre' }]);

    const attachments = attachmentsOf(read);
    expect(attachments).toHaveLength(1);
    const [pdf] = attachments;
    expect(pdf!.filename).toBe(`certificate-${CERTIFICATE_ID}.pdf`);
    expect(pdf!.contentType).toBe('application/pdf');
    expect(pdf!.contentDisposition).toBe('attachment');
    expect(pdf!.content.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pdf!.content.subarray(-8).toString('latin1')).toMatch(/%%EOF\s*$/);
    // Base64, 7-bit: the raw mail names the encoding and carries no 8-bit byte.
    const raw = bytes.toString('latin1');
    expect(raw).toMatch(/Content-Type: application\/pdf; name=certificate-c7f3c9e1a2b4\.pdf\r\nContent-Transfer-Encoding: base64\r\nContent-Disposition: attachment; filename=certificate-c7f3c9e1a2b4\.pdf\r\n/);
    expect(raw).toMatch(/^[\x00-\x7f]*$/);
  });

  it('attaches the certificate rendered in the mail’s language, with the series title in the member’s language', async () => {
    for (const [language, seriesTitle, pdfLanguage] of [['fr', 'L’économie du soin', 'fr'], ['ar-PS', 'اقتصاد الرعاية', 'ar'], ['de', 'The Care Economy', 'en']] as const) {
      const read = await compose(input({ language }));
      const attached = attachmentsOf(read)[0]!.content;
      expect(attached.toString('latin1')).toMatch(new RegExp(`/Lang \\(${pdfLanguage}\\)`));
      // The renderer is pure: the same input gives the same bytes.
      const expected = await renderCertificatePdf({
        language: pdfLanguage,
        memberName: 'Ana Pérez',
        seriesTitle,
        organiserName: 'Training Centre',
        hours: 7.5,
        sessionsAttended: 3,
        sessionsTotal: 4,
        issuedAt: '2027-06-28T15:00:00.000Z',
        timeZone: 'America/Guayaquil',
        certificateId: CERTIFICATE_ID,
        verifyUrl: VERIFY_URL,
      });
      expect(attached.equals(expected), language).toBe(true);
    }
  });

  it('writes the same bytes in one go as nodemailer’s build() for a mail with a PDF attachment', async () => {
    const mail: OutgoingMail = {
      to: { email: 'ana@example.org', name: 'Ana Pérez' },
      replyTo: { email: 'training@example.org', name: 'Training Centre' },
      subject: 'Your certificate of participation: The Care Economy',
      language: 'en',
      text: 'Hello Ana,\n\nAttached.\n',
      html: '<p>Hello Ana,</p>\n<p>Attached.</p>\n',
      unsubscribe: { url: UNSUBSCRIBE_URL, mailto: UNSUBSCRIBE_MAILTO },
      attachments: [{ filename: 'certificate-c1.pdf', contentType: 'application/pdf', content: Buffer.from(`%PDF-1.7\n${'\u00ff\u0000binary'.repeat(200)}\n%%EOF\n`, 'latin1') }],
    };
    const tree = mimeTree(mail, options);
    const ours = writtenInOneGo(tree);
    expect(ours).toBeDefined();
    expect(ours!.equals(await tree.build())).toBe(true);
    expect(contentTypes(ours!)).toEqual(['multipart/mixed', 'multipart/alternative', 'text/plain', 'text/html', 'application/pdf']);
    // Without attachments the tree is the plain alternative, as every other mail's.
    const { attachments: _none, ...plain } = mail;
    expect(contentTypes(writtenInOneGo(mimeTree(plain, options))!)).toEqual(['multipart/alternative', 'text/plain', 'text/html']);
    expect(contentTypes(writtenInOneGo(mimeTree({ ...plain, attachments: [] }, options))!)).toEqual(['multipart/alternative', 'text/plain', 'text/html']);
  });

  it('refuses an attachment name that is a path and a content type that is not a MIME type', () => {
    const base = { filename: 'c.pdf', contentType: 'application/pdf', content: Buffer.from('%PDF-') };
    const mail = (file: typeof base): OutgoingMail => ({
      to: { email: 'ana@example.org', name: 'Ana' },
      replyTo: { email: 'training@example.org', name: 'Training Centre' },
      subject: 's',
      language: 'en',
      text: 't',
      html: '<p>t</p>',
      unsubscribe: { url: UNSUBSCRIBE_URL, mailto: UNSUBSCRIBE_MAILTO },
      attachments: [file],
    });
    expect(() => mimeTree(mail({ ...base, filename: '../etc/passwd' }), options)).toThrow(TypeError);
    expect(() => mimeTree(mail({ ...base, contentType: 'application/pdf\r\nBcc: x@example.net' }), options)).toThrow(TypeError);
  });
});

describe('composeCertificateMail: what it says', () => {
  const CASES = [
    {
      language: 'en',
      dir: 'ltr',
      subject: 'Your certificate of participation: The Care Economy',
      lines: [
        'Hello Ana Pérez,',
        '',
        'You took part in 3 of 4 sessions of “The Care Economy” (7.5 hours). Your certificate of participation is attached.',
        '',
        `Anyone you show it to can check it here: ${VERIFY_URL}`,
        '',
        '-- ',
        'Questions? Reply to this mail to reach Training Centre.',
        'Sent by Convene on behalf of Training Centre.',
        `Manage my registrations: ${MANAGE_URL}`,
        `No more mail about this series? Unsubscribe: ${UNSUBSCRIBE_URL}`,
      ],
      series: 'The Care Economy',
      unsubscribe: 'Unsubscribe',
    },
    {
      language: 'es',
      dir: 'ltr',
      subject: 'Su certificado de participación: La economía del cuidado',
      lines: [
        'Hola, Ana Pérez:',
        '',
        'Participó en 3 de las 4 sesiones de «La economía del cuidado» (7,5 horas). Le adjuntamos su certificado de participación.',
        '',
        `Cualquier persona a quien se lo muestre puede comprobarlo aquí: ${VERIFY_URL}`,
        '',
        '-- ',
        '¿Preguntas? Responda a este mensaje para escribir a Training Centre.',
        'Enviado por Convene en nombre de Training Centre.',
        `Gestionar mis inscripciones: ${MANAGE_URL}`,
        `¿No desea recibir más correos sobre esta serie? Darse de baja: ${UNSUBSCRIBE_URL}`,
      ],
      series: 'La economía del cuidado',
      unsubscribe: 'Darse de baja',
    },
    {
      language: 'fr',
      dir: 'ltr',
      subject: 'Votre attestation de participation\u00a0: L’économie du soin',
      lines: [
        'Bonjour Ana Pérez,',
        '',
        'Vous avez participé à 3 des 4 séances de «\u00a0L’économie du soin\u00a0» (7,5 heures). Votre attestation de participation est jointe à ce message.',
        '',
        `Toute personne à qui vous la montrez peut la vérifier ici\u00a0: ${VERIFY_URL}`,
        '',
        '-- ',
        'Des questions\u00a0? Répondez à ce message pour écrire à Training Centre.',
        'Envoyé par Convene au nom de Training Centre.',
        `Gérer mes inscriptions: ${MANAGE_URL}`,
        `Vous ne souhaitez plus recevoir de messages sur cette série\u00a0? Se désinscrire: ${UNSUBSCRIBE_URL}`,
      ],
      series: 'L’économie du soin',
      unsubscribe: 'Se désinscrire',
    },
    {
      language: 'ar',
      dir: 'rtl',
      subject: 'شهادة مشاركتك: اقتصاد الرعاية',
      lines: [
        'مرحبًا Ana Pérez،',
        '',
        'شكرًا لمشاركتك في «اقتصاد الرعاية» (7.5 ساعة). عدد الجلسات التي حضرتها: 3 من أصل 4. شهادة مشاركتك مرفقة بهذه الرسالة.',
        '',
        `يمكن لكل من يطّلع عليها التحقق منها هنا: ${VERIFY_URL}`,
        '',
        '-- ',
        'لديك أسئلة؟ يمكنك الرد على هذه الرسالة للتواصل مع Training Centre.',
        'أُرسلت هذه الرسالة من Convene نيابةً عن Training Centre.',
        `إدارة تسجيلاتي: ${MANAGE_URL}`,
        `هل تريد إيقاف الرسائل بشأن هذه السلسلة؟ إلغاء الاشتراك: ${UNSUBSCRIBE_URL}`,
      ],
      series: 'اقتصاد الرعاية',
      unsubscribe: 'إلغاء الاشتراك',
    },
  ] as const;

  for (const c of CASES) {
    it(`says how many sessions and hours, links the verification page and has the footer, in ${c.language}`, async () => {
      const read = await compose(input({ language: c.language }));
      expect(read.subject).toBe(c.subject);
      expect(read.lines.get('content-language')).toBe(`Content-Language: ${c.language}`);
      expect(unitSpaces(read.text).split('\n').slice(0, c.lines.length)).toEqual(c.lines);

      const { html } = read;
      expect(html).toContain(`<html lang="${c.language}" dir="${c.dir}">`);
      expect(html).toContain(`<div lang="${c.language}" dir="${c.dir}"`);
      expect(html).toContain(`<title>${c.subject}</title>`);
      expect(html).toContain(`<bdi>${c.series}</bdi>`);
      expect(html).toContain(`<bdi>Ana Pérez</bdi>`);
      expect(html).toContain(`<a href="${VERIFY_URL}" dir="ltr" style="color:#1d4ed8;word-break:break-all;">${VERIFY_URL}</a>`);
      expect(html).toContain(`<a href="${MANAGE_URL}" style="color:#6b7280;">`);
      expect(html).toContain(`<a href="${UNSUBSCRIBE_URL}" style="color:#6b7280;">${c.unsubscribe}</a>`);
    });
  }

  it('writes the numbers in the member’s locale and the plural the locale gives', () => {
    const intro = (language: string, certificate: Partial<CertificateMailInput['certificate']>) =>
      unitSpaces(certificateContent(input({ language, certificate: { ...input().certificate, ...certificate } })).text.split('\n')[2]!);
    expect(intro('en', { sessionsAttended: 1, sessionsTotal: 1, hours: 1 })).toMatch(/^You took part in 1 of 1 session of “The Care Economy” \(1 hour\)\./);
    expect(intro('en', { sessionsAttended: 1, sessionsTotal: 4, hours: 2 })).toMatch(/^You took part in 1 of 4 sessions of “The Care Economy” \(2 hours\)\./);
    expect(intro('en', { sessionsAttended: 1200, sessionsTotal: 1500, hours: 1234.25 })).toMatch(/ 1,200 of 1,500 sessions .*\(1,234\.25 hours\)/);
    expect(intro('es', { sessionsAttended: 1, sessionsTotal: 1 })).toMatch(/^Participó en 1 de 1 sesión de «La economía del cuidado» \(7,5 horas\)\./);
    expect(intro('es-419', {})).toContain('(7.5 horas)');
    expect(intro('fr', { sessionsAttended: 1, sessionsTotal: 1, hours: 1.5 })).toMatch(/^Vous avez participé à 1 séance sur 1 de «\u00a0L’économie du soin\u00a0» \(1,5 heure\)\./);
    expect(intro('ar', { sessionsAttended: 10, sessionsTotal: 12, hours: 15 })).toContain('(15 ساعة). عدد الجلسات التي حضرتها: 10 من أصل 12.');
  });

  it('greets without a name when the member gave none', () => {
    expect(certificateContent(input({ to: { email: 'ana@example.org', name: '' } })).text).toMatch(/^Hello,\n/);
    expect(certificateContent(input({ language: 'ar', to: { email: 'ana@example.org', name: ' ' } })).text).toMatch(/^مرحبًا،\n/);
  });

  it('falls back to the series’ first language for a language it has no table for', async () => {
    const read = await compose(input({ language: 'de', schedule: { ...lectures, languages: ['es', 'en'] } }));
    expect(read.subject).toBe('Su certificado de participación: La economía del cuidado');
    expect(read.lines.get('content-language')).toBe('Content-Language: es');
    expect(attachmentsOf(read)[0]!.content.toString('latin1')).toMatch(/\/Lang \(es\)/);
  });

  it('takes an http verification link on a loopback host (the local stack) and refuses any other', () => {
    const local = 'http://127.0.0.1:4566/certificates/c7f3c9e1a2b4';
    expect(certificateContent(input({ verifyUrl: local })).text).toContain(local);
    expect(() => certificateContent(input({ verifyUrl: 'http://convene.example.org/certificates/c1' }))).toThrow(TypeError);
    expect(() => certificateContent(input({ verifyUrl: 'javascript:alert(1)//' }))).toThrow(TypeError);
  });

  it('refuses a certificate id that is not an id, and numbers that are not counts', async () => {
    await expect(composeCertificateMail(input({ certificate: { ...input().certificate, certificateId: '../x' } }), options)).rejects.toThrow(RangeError);
    expect(() => certificateContent(input({ certificate: { ...input().certificate, sessionsAttended: 1.5 } }))).toThrow(RangeError);
    expect(() => certificateContent(input({ certificate: { ...input().certificate, hours: -1 } }))).toThrow(RangeError);
    expect(() => certificateContent(input({ certificate: { ...input().certificate, issuedAt: 'yesterday' } }))).toThrow(RangeError);
  });
});

describe('composeCertificateMail: untrusted text', () => {
  const evil: SeriesSchedule = {
    ...lectures,
    title: { en: '<script>alert(1)</script> & "more"\r\nBcc: victim@example.net' },
    organiser: { name: 'Centre <b>\r\nBcc: victim@example.net', email: 'training@example.org' },
  };
  const evilInput = input({ schedule: evil, to: { email: 'ana@example.org', name: 'Ana <i>\r\nBcc: victim@example.net' } });

  it('escapes a <script> title, the organiser’s and the member’s names in the HTML part, and breaks no header', async () => {
    const read = await compose(evilInput);
    expect(read.parsed.headers.has('bcc')).toBe(false);
    expect(read.parsed.bcc).toBeUndefined();
    expect(read.subject).toBe('Your certificate of participation: <script>alert(1)</script> & "more" Bcc: victim@example.net');
    expect(read.html).not.toContain('<script>');
    expect(read.html).not.toContain('<b>');
    expect(read.html).not.toContain('<i>');
    expect(read.html).toContain('<bdi>&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;more&quot; Bcc: victim@example.net</bdi>');
    expect(read.html).toContain('<bdi>Centre &lt;b&gt; Bcc: victim@example.net</bdi>');
    expect(read.html).toContain('<bdi>Ana &lt;i&gt; Bcc: victim@example.net</bdi>');
    expect(read.text).toContain('“<script>alert(1)</script> & "more" Bcc: victim@example.net”'); // plain text is not HTML
    expect(attachmentsOf(read)[0]!.content.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  });
});

describe('the certificate mail catalogue', () => {
  const placeholders = (text: string) => [...text.matchAll(/\{([^{}]*)\}/g)].map((m) => m[1]).sort();

  it('has a table for every language the main catalogue has (en, es, fr, ar at least), each with every message', () => {
    expect(Object.keys(CERTIFICATE_MAIL_CATALOGUE).sort()).toEqual(Object.keys(CATALOGUE).sort());
    expect(Object.keys(CERTIFICATE_MAIL_CATALOGUE)).toEqual(expect.arrayContaining(['en', 'es', 'fr', 'ar']));
    const ids = Object.keys(CERTIFICATE_MAIL_CATALOGUE.en!).sort();
    expect(ids.every((id) => id.startsWith('certificate.'))).toBe(true);
    for (const [language, table] of Object.entries(CERTIFICATE_MAIL_CATALOGUE)) expect(Object.keys(table).sort(), language).toEqual(ids);
  });

  it('uses the same placeholders in every translation as in English, on one line', () => {
    for (const [id, english] of Object.entries(CERTIFICATE_MAIL_CATALOGUE.en!)) {
      for (const [language, table] of Object.entries(CERTIFICATE_MAIL_CATALOGUE)) {
        const message = table[id as keyof typeof table];
        expect(placeholders(message), `${language} ${id}`).toEqual(placeholders(english));
        expect(message.trim(), `${language} ${id}`).not.toBe('');
        expect(message, `${language} ${id}`).not.toMatch(/[\r\n\t]/);
      }
    }
  });

  it('reads as Arabic in Arabic: Arabic script, Arabic punctuation, no Latin quotes', () => {
    for (const [id, message] of Object.entries(CERTIFICATE_MAIL_CATALOGUE.ar!)) {
      const words = message.replace(/\{[^{}]*\}/g, '');
      if (/\p{L}/u.test(words)) expect(words, id).toMatch(/\p{Script=Arabic}/u);
      expect(words, id).not.toMatch(/[,?;"“”\u00a0\u202f]/);
    }
  });
});
