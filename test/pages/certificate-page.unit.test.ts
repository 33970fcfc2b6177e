/**
 * The public verification page of a certificate of participation, rendered as the server
 * sends it: valid, revoked (with and without the organiser's reason) and unknown, in every
 * page language and direction; names and titles isolated in their own direction; the hours
 * as each language writes 7.5; the dates in the series' home zone (an instant late on
 * 27 June UTC is still the 27th in Quito and already the 28th in Delhi); and nothing personal
 * beyond the name, even when the record handed in carries more. Then the pages in Chromium,
 * with their stylesheet, checked by axe.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { jsx } from 'hono/jsx';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CertificatePage, type CertificatePageProps } from '../../functions/pages/certificate-page.js';
import { pageHtml, STYLESHEET_PATH } from '../../functions/pages/layout.js';
import { STYLESHEET } from '../../functions/pages/stylesheet.js';
import { PAGE_LANGUAGES, pageTranslator, type PageLanguage } from '../../functions/pages/texts/index.js';
import { useBrowser } from '../support/browser.js';

type Certificate = CertificatePageProps['certificate'];
type Issued = Exclude<Certificate, { status: 'unknown' }>;

const MEMBER_ID = 'mem_01J8Z3Q4W5E6R7T8Y9U0IOPASD';
const EMAIL = 'fatima.abdallah@example.org';

/** 20:00 UTC on 27 June 2027: 15:00 on the 27th in Quito, 01:30 on the 28th in Delhi. */
const LATE_ON_27_JUNE = '2027-06-27T20:00:00Z';

const valid = (over: Partial<Issued> = {}): Issued => ({
  status: 'valid',
  certificateId: 'CERT-2027-0042',
  memberName: 'فاطمة الزهراء عبد الله',
  seriesTitle: 'اقتصاد الرعاية: الجلسة 6# حول الرعاية',
  seriesUrl: 'https://convene.example.org/series/care',
  organiser: 'ITC-ILO Gender Equality Community of Practice',
  hours: 7.5,
  sessionsAttended: 6,
  sessionsTotal: 8,
  issuedAt: LATE_ON_27_JUNE,
  timeZone: 'America/Guayaquil',
  ...over,
});

/** A record as a read model might hold it, with more than the page may show: the page takes only what it names. */
const withPersonalData = (certificate: Issued): Certificate => ({ ...certificate, memberId: MEMBER_ID, email: EMAIL, memberEmail: EMAIL }) as Certificate;

function render(language: PageLanguage, certificate: Certificate): string {
  return pageHtml(jsx(CertificatePage, { tr: pageTranslator(language), languageHref: (l: PageLanguage) => `?lang=${l}`, certificate }));
}

/** The page's text without its tags, spaces as plain spaces (French writes narrow no-break spaces). */
const text = (html: string) =>
  html
    .replace(/<[^>]+>/g, '')
    .replace(/[\u00a0\u202f]/g, ' ')
    .replace(/&#39;/g, "'");

const DIRECTION = { en: 'ltr', es: 'ltr', fr: 'ltr', ar: 'rtl' } as const;

/** What each language must say: status lines, the hours, and 27/28 June in each zone. */
const EXPECTED = {
  en: { title: 'Certificate of participation', valid: 'Valid certificate', revoked: 'Revoked certificate', unknown: 'Unknown certificate', hours: '7.5 hours', sessions: '6 of 8', quito: 'Sunday, 27 June 2027', delhi: 'Monday, 28 June 2027', revokedOn: 'This certificate was revoked on Thursday, 1 July 2027.' },
  es: { title: 'Certificado de participación', valid: 'Certificado válido', revoked: 'Certificado revocado', unknown: 'Certificado desconocido', hours: '7,5 horas', sessions: '6 de 8', quito: 'domingo, 27 de junio de 2027', delhi: 'lunes, 28 de junio de 2027', revokedOn: 'Este certificado fue revocado el jueves, 1 de julio de 2027.' },
  fr: { title: 'Attestation de participation', valid: 'Attestation valide', revoked: 'Attestation révoquée', unknown: 'Attestation inconnue', hours: '7,5 heures', sessions: '6 sur 8', quito: 'dimanche 27 juin 2027', delhi: 'lundi 28 juin 2027', revokedOn: 'Cette attestation a été révoquée le jeudi 1 juillet 2027.' },
  ar: { title: 'شهادة مشاركة', valid: 'شهادة صالحة', revoked: 'شهادة مُلغاة', unknown: 'شهادة غير معروفة', hours: '7.5 ساعة', sessions: '6 من 8', quito: 'الأحد، 27 يونيو 2027', delhi: 'الاثنين، 28 يونيو 2027', revokedOn: 'أُلغيت هذه الشهادة بتاريخ الخميس، 1 يوليو 2027.' },
} satisfies Record<PageLanguage, Record<string, string>>;

/** 10:00 UTC on 1 July 2027: the same day in both zones. */
const REVOKED_AT = '2027-07-01T10:00:00Z';

describe('a valid certificate’s page', () => {
  it.each(PAGE_LANGUAGES)('%s: in the language and its direction, says it is valid, with the facts of the certificate', (language) => {
    const html = render(language, withPersonalData(valid()));
    const expected = EXPECTED[language];
    expect(html).toMatch(new RegExp(`<html lang="${language}" dir="${DIRECTION[language]}">`));
    expect(html).toContain(`<h1 dir="auto">${expected.title}</h1>`);
    // The status in words (the check mark is decoration, hidden from screen readers).
    expect(html).toContain(`<strong><span aria-hidden="true">✓ </span>${expected.valid}</strong>`);
    expect(text(html)).not.toContain(expected.revoked);
    // Name, title and organiser each isolated in their own direction.
    expect(html).toContain('<bdi>فاطمة الزهراء عبد الله</bdi>');
    expect(html).toContain('<a href="https://convene.example.org/series/care"><bdi>اقتصاد الرعاية: الجلسة 6# حول الرعاية</bdi></a>');
    expect(html).toContain('<bdi>ITC-ILO Gender Equality Community of Practice</bdi>');
    const shown = text(html);
    expect(shown).toContain(expected.hours);
    expect(shown).toContain(expected.sessions);
    expect(shown).toContain('CERT-2027-0042');
    // 20:00 UTC on the 27th is still the 27th in Quito, the series' zone.
    expect(shown).toContain(expected.quito);
    expect(shown).not.toContain(expected.delhi);
    expect(html).toContain(`<time datetime="${LATE_ON_27_JUNE}">`);
  });

  it.each(PAGE_LANGUAGES)('%s: dates are written in the series’ zone, which the page names (the same instant is the 28th in Delhi)', (language) => {
    const shown = text(render(language, valid({ timeZone: 'Asia/Kolkata' })));
    expect(shown).toContain(EXPECTED[language].delhi);
    expect(shown).not.toContain(EXPECTED[language].quito);
    expect(shown).toContain('Asia/Kolkata');
  });

  it.each(PAGE_LANGUAGES)('%s: shows no mail address and no member id, even when the record carries them', (language) => {
    for (const certificate of [withPersonalData(valid()), withPersonalData(valid({ status: 'revoked', revokedAt: REVOKED_AT, revocationReason: 'Attendance was counted twice.' }))]) {
      const html = render(language, certificate);
      expect(html).not.toContain(EMAIL);
      expect(html).not.toContain(MEMBER_ID);
      expect(html).not.toContain('@');
    }
  });

  it('writes whole hours and sessions as each language does', () => {
    expect(text(render('en', valid({ hours: 1, sessionsAttended: 1, sessionsTotal: 1 })))).toContain('1 hour');
    expect(text(render('es', valid({ hours: 12 })))).toContain('12 horas');
    expect(text(render('fr', valid({ hours: 1 })))).toMatch(/1 heure(?!s)/);
    // Arabic: the dual, and the plural of three to ten.
    expect(text(render('ar', valid({ hours: 2 })))).toContain('ساعتان');
    expect(text(render('ar', valid({ hours: 3 })))).toContain('3 ساعات');
  });
});

describe('a revoked certificate’s page', () => {
  const reason = 'La asistencia se contó dos veces <b>por error</b>.';

  it.each(PAGE_LANGUAGES)('%s: says it was revoked and when, in the series’ zone, and the organiser’s reason, isolated', (language) => {
    const html = render(language, withPersonalData(valid({ status: 'revoked', revokedAt: REVOKED_AT, revocationReason: reason })));
    const expected = EXPECTED[language];
    expect(html).toMatch(new RegExp(`<html lang="${language}" dir="${DIRECTION[language]}">`));
    expect(html).toContain(`<strong><span aria-hidden="true">✗ </span>${expected.revoked}</strong>`);
    expect(text(html)).toContain(expected.revokedOn);
    expect(text(html)).not.toContain(expected.valid);
    expect(html).toContain('<bdi>La asistencia se contó dos veces &lt;b&gt;por error&lt;/b&gt;.</bdi>');
    expect(html).not.toContain('<b>');
    // The certificate it was is still shown, so a reader knows which one was revoked.
    expect(html).toContain('<bdi>فاطمة الزهراء عبد الله</bdi>');
    expect(text(html)).toContain(expected.hours);
    expect(text(html)).toContain(expected.quito);
  });

  it('without a reason (or a blank one) says only that it was revoked, and when', () => {
    for (const revocationReason of [undefined, '  ']) {
      const html = render('fr', valid({ status: 'revoked', revokedAt: REVOKED_AT, ...(revocationReason === undefined ? {} : { revocationReason }) }));
      expect(text(html)).toContain(EXPECTED.fr.revokedOn);
      expect(text(html)).not.toContain('Motif');
    }
    const ar = render('ar', valid({ status: 'revoked', revokedAt: REVOKED_AT }));
    expect(text(ar)).toContain(EXPECTED.ar.revokedOn);
    expect(text(ar)).not.toContain('السبب');
  });

  it('dates the revocation in the series’ zone: late on 27 June UTC is the 28th in Delhi', () => {
    const html = render('en', valid({ status: 'revoked', timeZone: 'Asia/Kolkata', revokedAt: LATE_ON_27_JUNE }));
    expect(text(html)).toContain('This certificate was revoked on Monday, 28 June 2027.');
  });

  it('with no date of revocation recorded, still says it was revoked', () => {
    const html = render('es', valid({ status: 'revoked' }));
    expect(text(html)).toContain('Este certificado fue revocado.');
    expect(text(html)).not.toContain(EXPECTED.es.valid);
  });
});

describe('an unknown certificate’s page', () => {
  it.each(PAGE_LANGUAGES)('%s: says no such certificate exists, and shows nothing else of one', (language) => {
    const html = render(language, { status: 'unknown', certificateId: 'CERT-0000-<script>' });
    expect(html).toMatch(new RegExp(`<html lang="${language}" dir="${DIRECTION[language]}">`));
    expect(html).toContain(`<strong>${EXPECTED[language].unknown}</strong>`);
    expect(html).toContain('<bdi>CERT-0000-&lt;script&gt;</bdi>');
    const shown = text(html);
    expect(shown).not.toContain(EXPECTED[language].valid);
    expect(shown).not.toContain(EXPECTED[language].revoked);
    expect(html).not.toContain('<dl>');
  });

  it('repeats at most 80 characters of a long number from the address', () => {
    const html = render('en', { status: 'unknown', certificateId: 'X'.repeat(500) });
    expect(html).toContain(`<bdi>${'X'.repeat(80)}…</bdi>`);
    expect(html).not.toContain('X'.repeat(81));
  });
});

describe('the pages in Chromium', () => {
  const browser = useBrowser();
  const pages = new Map<string, string>();
  let server: Server;
  let origin: string;

  beforeAll(async () => {
    server = createServer((request, response) => {
      const path = new URL(request.url ?? '/', 'http://localhost').pathname;
      const body = path === STYLESHEET_PATH ? STYLESHEET : pages.get(path);
      if (body === undefined) {
        response.writeHead(404).end();
        return;
      }
      response.writeHead(200, { 'content-type': path === STYLESHEET_PATH ? 'text/css; charset=utf-8' : 'text/html; charset=utf-8' }).end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const cases: [string, PageLanguage, Certificate][] = [
    ['valid', 'en', valid()],
    ['revoked', 'ar', valid({ status: 'revoked', revokedAt: REVOKED_AT, revocationReason: 'احتُسب الحضور مرتين.' })],
    ['unknown', 'fr', { status: 'unknown', certificateId: 'CERT-0000-0000' }],
  ];

  it.each(cases)('%s, in %s: styled, has no WCAG 2.2 AA violation', { timeout: 30_000 }, async (status, language, certificate) => {
    const path = `/certificates/${status}-${language}`;
    pages.set(path, render(language, certificate));
    const context = await browser.context();
    try {
      const page = await context.newPage();
      await page.goto(`${origin}${path}`);
      // The stylesheet applied (the column is the stylesheet's, not the browser's default width).
      expect((await page.locator('main').boundingBox())?.width).toBeLessThan(1000);
      expect(await page.locator('html').getAttribute('dir')).toBe(DIRECTION[language]);
      expect(await browser.accessibilityViolations(page)).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
