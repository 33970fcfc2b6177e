/**
 * The certificate of participation as a reader sees it: each PDF is rendered by pdf.js in
 * Chromium (./pdf-raster.ts), and names and titles in other scripts are compared, as ink,
 * with the same text set by Chromium's own engine (HarfBuzz shaping, the bidi algorithm) in
 * the same fonts at the same size; the wrong renderings (letters not joined, right-to-left
 * text drawn left to right, words in the wrong order) must compare clearly worse. Also: the QR
 * code scans to the verification address (jsQR on the rendered page), the page's text has
 * the hours, the title and the date in each language, one A4 landscape page, the same bytes
 * for the same input, and the same bytes again from an esbuild bundle reading its fonts from
 * CERTIFICATE_FONTS_DIR.
 *
 * With CONVENE_SCREENSHOTS=<folder>, the English and Arabic certificates are saved there as PNG
 * (`CONVENE_SCREENSHOTS=test/certificates/screenshots npx vitest run --config
 * test/vitest.config.ts --project unit test/certificates/`); otherwise nothing is written.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import jsQRModule from 'jsqr';
import { beforeAll, describe, expect, it } from 'vitest';
import { renderCertificate, renderCertificatePdf, type CertificateBlockName, type CertificateInput } from '../../functions/certificates/certificate-pdf.js';
import { CERTIFICATE_CATALOGUE, CERTIFICATE_LANGUAGES } from '../../functions/certificates/certificate-texts.js';
import { FACES, FONT_FILES, type Face, type FontStyle } from '../../functions/certificates/fonts.js';
import { useBrowser } from '../support/browser.js';
import { inkSimilarity, openRaster, type Raster, type TextSample } from './pdf-raster.js';

// jsqr is CommonJS typed as an ES module with a default export: at run time the default import is the function itself.
type JsQR = typeof jsQRModule.default;
const jsQR: JsQR = (jsQRModule as { default?: JsQR }).default ?? (jsQRModule as unknown as JsQR);

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** Pixels a point: 144 dpi. */
const SCALE = 2;
const SLOW = 30_000;

const browser = useBrowser();
let raster: Raster;

beforeAll(async () => {
  const context = await browser.context({ javaScriptEnabled: true, viewport: { width: 1800, height: 1300 }, deviceScaleFactor: 1 });
  raster = await openRaster(context);
  await raster.loadFonts(FACES.flatMap((face) => (['regular', 'bold'] as const).map((style) => ({ family: family(face, style), file: FONT_FILES[face][style] }))));
}, SLOW);

const family = (face: Face, style: FontStyle) => `cert-${face}-${style}`;
/** The certificate's fallback chain, the script's own face first, as web font families. */
const families = (first: Face, style: FontStyle) => [first, ...FACES.filter((f) => f !== first)].map((f) => family(f, style));

const base: CertificateInput = {
  language: 'en',
  memberName: 'Aïcha Benali-Ramírez',
  seriesTitle: 'Care Economy lecture series',
  organiserName: 'ITC-ILO Gender Equality Community of Practice',
  hours: 15,
  sessionsAttended: 6,
  sessionsTotal: 8,
  // 21:00 on 27 June in Quito: the 28th in UTC.
  issuedAt: '2027-06-28T02:00:00Z',
  timeZone: 'America/Guayaquil',
  certificateId: 'CERT-2027-0042',
  verifyUrl: 'https://convene.example.org/certificates/CERT-2027-0042/verify',
};

/** The certificates the text checks use, with what their page must say (as Intl writes it in each language). */
const byLanguage = {
  en: { input: base, expected: ['Certificate of participation', 'Care Economy lecture series', '15 hours', '6 of 8', '27 June 2027'] },
  es: {
    input: { ...base, language: 'es-419', hours: 7.5, seriesTitle: 'Economía del cuidado: ciclo de conferencias' },
    expected: ['Certificado de participación', 'Economía del cuidado: ciclo de conferencias', '7,5 horas', '6 de 8', '27 de junio de 2027'],
  },
  fr: {
    input: { ...base, language: 'fr', hours: 7.5, seriesTitle: 'Économie des soins' },
    expected: ['Attestation de participation', 'Économie des soins', '7,5 heures', '6 sur 8', '27 juin 2027'],
  },
  ar: {
    input: { ...base, language: 'ar', memberName: 'فاطمة الزهراء عبد الله', seriesTitle: 'اقتصاد الرعاية: الجلسة 6# حول الرعاية' },
    expected: ['شهادة مشاركة', 'اقتصاد الرعاية: الجلسة 6# حول الرعاية', '15 ساعة', '6 من 8', '27 يونيو 2027', 'بتنظيم ITC-ILO Gender Equality Community of Practice'],
  },
} satisfies Record<(typeof CERTIFICATE_LANGUAGES)[number], { input: CertificateInput; expected: string[] }>;

/**
 * The page's text as read: pdf.js gives items in drawing order (left to right, each
 * right-to-left item already turned back into reading order); on a right-to-left page a
 * line's items are read from the right.
 */
function readText(items: readonly { str: string; hasEOL: boolean }[], rightToLeft: boolean): string[] {
  const lines: string[][] = [[]];
  for (const item of items) {
    lines.at(-1)!.push(item.str);
    if (item.hasEOL) lines.push([]);
  }
  return lines.map((l) => (rightToLeft ? l.reverse() : l).join('').replace(/\s+/g, ' ').trim()).filter(Boolean);
}

async function screenshot(name: string, png: Buffer) {
  const folder = process.env.CONVENE_SCREENSHOTS;
  if (folder) await writeFile(join(folder, `${name}.png`), png);
}

describe('the wording', () => {
  const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
  it.each(CERTIFICATE_LANGUAGES.filter((l) => l !== 'en'))('in %s has every message of English, no other, with the same placeholders', (language) => {
    const english = CERTIFICATE_CATALOGUE.en;
    const table = CERTIFICATE_CATALOGUE[language] as Record<string, string>;
    expect(Object.keys(table).sort()).toEqual(Object.keys(english).sort());
    for (const [id, text] of Object.entries(english)) {
      expect(placeholders(table[id]!), `${language} ${id}`).toEqual(placeholders(text));
      expect(table[id]!.trim(), `${language} ${id}`).not.toBe('');
    }
  });
});

describe('a certificate of participation', () => {
  it('is one A4 landscape page, and the same input gives the same bytes', { timeout: SLOW }, async () => {
    const [first, second] = [await renderCertificatePdf(base), await renderCertificatePdf({ ...base })];
    expect(first.equals(second)).toBe(true);
    expect(first.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    // Another instant is another document.
    expect((await renderCertificatePdf({ ...base, issuedAt: '2027-06-29T02:00:00Z' })).equals(first)).toBe(false);

    const page = await raster.render(first, SCALE);
    expect(page.pages).toBe(1);
    expect(page.rotate).toBe(0);
    const [x0, y0, x1, y1] = page.view;
    // A4 is 210 × 297 mm: 841.89 × 595.28 points wide and high.
    expect([x1! - x0!, y1! - y0!].map((v) => Math.round(v * 100) / 100)).toEqual([841.89, 595.28]);
  });

  it('embeds only the certificate fonts: none of pdfkit’s standard fonts', { timeout: SLOW }, async () => {
    const pdf = (await renderCertificatePdf({ ...byLanguage.ar.input, memberName: 'प्रिया शर्मा · נועה כהן · Ελένη' })).toString('latin1');
    const fonts = [...pdf.matchAll(/\/BaseFont \/([A-Z]{6}\+)?([\w-]+)/g)].map((m) => m[2]);
    expect(new Set(fonts)).toEqual(new Set(['NotoNaskhArabic-Bold', 'NotoNaskhArabic-Regular', 'NotoSerif-Bold', 'NotoSerif-Regular', 'NotoSerifDevanagari-Bold', 'NotoSerifHebrew-Bold']));
    expect(pdf).not.toMatch(/Helvetica|Times-Roman|Courier|StandardEncoding/);
  });

  it.each(CERTIFICATE_LANGUAGES)('in %s, the page says who, what, how long and when', { timeout: SLOW }, async (language) => {
    const { input, expected } = byLanguage[language];
    const { pdf, layout } = await renderCertificate(input);
    expect(layout.language).toBe(language);
    const page = await raster.render(pdf, SCALE);
    const text = readText(page.text, layout.direction === 'rtl');
    for (const phrase of [...expected, input.memberName, input.verifyUrl, input.certificateId]) expect(text.join('\n')).toContain(phrase);
    for (const id of ['fact.hours', 'fact.sessions', 'fact.issued'] as const) expect(text).toContain(CERTIFICATE_CATALOGUE[language][id]);
    if (language === 'en' || language === 'ar') await screenshot(`certificate-${language}`, page.png);
  });

  it('falls back to English for a language it is not written in', { timeout: SLOW }, async () => {
    const { layout, pdf } = await renderCertificate({ ...base, language: 'pt-BR' });
    expect(layout.language).toBe('en');
    expect(readText((await raster.render(pdf, SCALE)).text, false)).toContain('Certificate of participation');
  });

  it.each(['en', 'ar'] as const)('in %s, its QR code scans to the verification address, 30 mm wide with a quiet zone', { timeout: SLOW }, async (language) => {
    const { pdf, layout } = await renderCertificate(byLanguage[language].input);
    await raster.render(pdf, SCALE);
    const { data, width, height } = await raster.pageRgba();
    const code = jsQR(data, width, height, { inversionAttempts: 'dontInvert' });
    expect(code?.data).toBe(base.verifyUrl);
    // At least 25 mm, and nothing else drawn within four modules around it.
    expect(layout.qr.width / 72 * 25.4).toBeGreaterThanOrEqual(25);
    const module = layout.qr.width / layout.qr.modules;
    const zone = 4 * module;
    const ring = await raster.pageInk(
      Math.round((layout.qr.x - zone) * SCALE),
      Math.round((layout.qr.y - zone) * SCALE),
      Math.round((layout.qr.width + 2 * zone) * SCALE),
      Math.round((layout.qr.height + 2 * zone) * SCALE),
    );
    // The symbol itself, and a pixel or two of its edges' antialiasing.
    const inner = { x0: zone * SCALE - 2, y0: zone * SCALE - 2, x1: (zone + layout.qr.width) * SCALE + 2, y1: (zone + layout.qr.height) * SCALE + 2 };
    let stray = 0;
    for (let y = 0; y < ring.height; y++)
      for (let x = 0; x < ring.width; x++) if ((x < inner.x0 || x > inner.x1 || y < inner.y0 || y > inner.y1) && ring.ink[y * ring.width + x]! > 40) stray++;
    expect(stray).toBe(0);
    // Mirrored: the code sits at the trailing corner (right in English, left in Arabic).
    expect(layout.qr.x < layout.page.width / 2).toBe(language === 'ar');
  });

  it('is laid out right to left in Arabic: the facts and the footer mirrored', { timeout: SLOW }, async () => {
    const [en, ar] = [(await renderCertificate(byLanguage.en.input)).layout, (await renderCertificate(byLanguage.ar.input)).layout];
    expect(en.direction).toBe('ltr');
    expect(ar.direction).toBe('rtl');
    expect(en.blocks.hours.x).toBeLessThan(en.blocks.issued.x);
    expect(ar.blocks.hours.x).toBeGreaterThan(ar.blocks.issued.x);
    // The footer is set from the start side: flush left in English, flush right in Arabic.
    const right = (b: { x: number; width: number }) => b.x + b.width;
    expect(Math.abs(en.blocks.verify.x - en.blocks.certificateId.x)).toBeLessThan(0.01);
    expect(Math.abs(right(ar.blocks.verify) - right(ar.blocks.certificateId))).toBeLessThan(0.01);
    expect(ar.blocks.verify.x).toBeGreaterThan(ar.qr.x + ar.qr.width);
  });

  it('wraps a long title on two lines and shrinks a long name, inside the frame', { timeout: SLOW }, async () => {
    const long = {
      ...byLanguage.ar.input,
      memberName: 'محمد عبد الرحمن بن عبد العزيز آل سعود الهاشمي القرشي المكي المدني الأنصاري',
      seriesTitle: 'الحوار الافتراضي العاشر: فهم التغيير من خلال التدريب من أجل المساواة بين الجنسين، مع ثلاثة متحدثين ضيوف',
    };
    const { layout } = await renderCertificate(long);
    const { name, series } = layout.blocks;
    expect(series.lines).toBe(2);
    expect(name.fontSize).toBeLessThan(34);
    for (const block of Object.values(layout.blocks)) {
      expect(block.x).toBeGreaterThan(40);
      expect(block.x + block.width).toBeLessThan(layout.page.width - 40);
    }
    // The middle stays clear of the facts below it.
    expect(layout.blocks.organiser.y + layout.blocks.organiser.height).toBeLessThan(layout.blocks.hoursLabel.y);
  });

  it('rejects an issue date that is not an instant', async () => {
    await expect(renderCertificatePdf({ ...base, issuedAt: 'soon' })).rejects.toThrow(/issuedAt/);
  });
});

interface ScriptCase {
  readonly what: string;
  readonly input: CertificateInput;
  readonly block: CertificateBlockName;
  readonly text: string;
  readonly face: Face;
  readonly wrong: readonly NonNullable<TextSample['variant']>[];
}

const ARABIC_NAME = 'فاطمة الزهراء عبد الله';
const MIXED_TITLE = 'الجلسة 6# حول الرعاية';
const scriptCases: readonly ScriptCase[] = [
  { what: 'an Arabic name in an English certificate', input: { ...base, memberName: ARABIC_NAME }, block: 'name', text: ARABIC_NAME, face: 'arabic', wrong: ['unjoined', 'leftToRight', 'wordsReversed'] },
  { what: 'a mixed-direction title (Arabic with a number) in an English certificate', input: { ...base, seriesTitle: MIXED_TITLE }, block: 'series', text: MIXED_TITLE, face: 'arabic', wrong: ['unjoined', 'leftToRight', 'wordsReversed'] },
  { what: 'a Devanagari name in an Arabic certificate', input: { ...base, language: 'ar', memberName: 'प्रिया शर्मा' }, block: 'name', text: 'प्रिया शर्मा', face: 'devanagari', wrong: ['unjoined', 'wordsReversed'] },
  { what: 'an English title in an Arabic certificate', input: { ...base, language: 'ar', seriesTitle: 'Care Economy: Session 6 (Quito)' }, block: 'series', text: 'Care Economy: Session 6 (Quito)', face: 'serif', wrong: ['wordsReversed'] },
  {
    what: 'an Arabic title with brackets, an arrow and Arabic-Indic digits in an Arabic certificate',
    input: { ...base, language: 'ar', seriesTitle: 'ندوة (الجزء ٢٠٢٧) --> حول الرعاية' },
    block: 'series',
    text: 'ندوة (الجزء ٢٠٢٧) --> حول الرعاية',
    face: 'arabic',
    wrong: ['leftToRight', 'wordsReversed', 'unjoined'],
  },
  { what: 'a Hebrew name in a Spanish certificate', input: { ...base, language: 'es', memberName: 'נועה בת־שבע כהן' }, block: 'name', text: 'נועה בת־שבע כהן', face: 'hebrew', wrong: ['leftToRight', 'wordsReversed'] },
  { what: 'a Greek and Cyrillic name in a French certificate', input: { ...base, language: 'fr', memberName: 'Ελένη Παπαδοπούλου-Ковалёва' }, block: 'name', text: 'Ελένη Παπαδοπούλου-Ковалёва', face: 'serif', wrong: ['wordsReversed'] },
];

describe('names and titles in any script', () => {
  it.each(scriptCases)('$what looks as Chromium sets it, and not as the wrong renderings', { timeout: SLOW }, async ({ input, block, text, face, wrong }) => {
    const { pdf, layout } = await renderCertificate(input);
    const box = layout.blocks[block];
    expect(box.lines).toBe(1);
    await raster.render(pdf, SCALE);
    const pad = 6;
    const [x, y] = [Math.floor(box.x * SCALE) - pad, Math.floor(box.y * SCALE) - pad];
    const crop = await raster.pageInk(x, y, Math.ceil(box.width * SCALE) + 2 * pad, Math.ceil(box.height * SCALE) + 2 * pad);
    const sample = (variant: TextSample['variant']): TextSample => ({ text, families: families(face, box.style), size: box.fontSize * SCALE, dir: layout.direction, variant });
    const right = inkSimilarity(crop, await raster.textInk(sample('shaped')));
    const others: Record<string, number> = {};
    for (const variant of wrong) others[variant] = inkSimilarity(crop, await raster.textInk(sample(variant))).overall;
    // Measured here: 0.92 to 0.99 for the right rendering (its least alike stretch 0.89 and up),
    // 0.21 to 0.50 for the wrong ones. Without the mirroring of brackets in right-to-left runs,
    // the least alike stretch of the bracketed title falls to 0.41; without turning a
    // right-to-left run of neutrals around, to 0.28; without reordering runs, to 0.11.
    expect(right.overall, `similarity to Chromium's rendering (wrong ones: ${JSON.stringify(others)})`).toBeGreaterThan(0.85);
    expect(right.worstStretch, 'the least alike stretch').toBeGreaterThan(0.7);
    for (const [variant, score] of Object.entries(others)) expect(score, `${variant} (right: ${right.overall})`).toBeLessThan(0.7);
  });
});

describe('bundled by esbuild as a Lambda is', () => {
  it('renders the same bytes, reading its fonts from CERTIFICATE_FONTS_DIR', { timeout: SLOW }, async () => {
    const dir = await mkdtemp(join(tmpdir(), 'convene-certificate-bundle-'));
    try {
      // As infra/stack/node-function.ts bundles (ES module, minified, a require() for CommonJS dependencies).
      await build({
        entryPoints: [join(ROOT, 'functions/certificates/certificate-pdf.ts')],
        outfile: join(dir, 'index.mjs'),
        bundle: true,
        platform: 'node',
        format: 'esm',
        target: 'node20',
        minify: true,
        mainFields: ['module', 'main'],
        banner: { js: "import { createRequire } from 'module'; const require = createRequire(import.meta.url);" },
        logLevel: 'silent',
      });
      await writeFile(
        join(dir, 'run.mjs'),
        "import { renderCertificatePdf } from './index.mjs';\nprocess.stdout.write((await renderCertificatePdf(JSON.parse(process.argv[2]))).toString('base64'));\n",
      );
      const input = byLanguage.ar.input;
      // In the temporary folder, away from node_modules: nothing outside the bundle can be read but the fonts.
      const { stdout } = await promisify(execFile)(process.execPath, ['run.mjs', JSON.stringify(input)], {
        cwd: dir,
        env: { PATH: process.env.PATH ?? '', CERTIFICATE_FONTS_DIR: join(ROOT, 'functions/certificates/fonts') },
        maxBuffer: 16 * 1024 * 1024,
      });
      expect(Buffer.from(stdout, 'base64').equals(await renderCertificatePdf(input))).toBe(true);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
