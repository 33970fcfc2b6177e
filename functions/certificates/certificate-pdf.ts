/**
 * A certificate of participation as a PDF: A4 landscape, one page, in the member's language
 * (English, Spanish, French or Arabic; any other falls back to English), the Arabic one laid
 * out right to left (mirrored: the band on the right, the QR code on the left, text aligned
 * right). Names and titles may be in any script: ./text-runs.ts applies the bidirectional
 * algorithm and picks a face per script from ./fonts.ts; fontkit (inside pdfkit) shapes.
 *
 * Pure: the same input gives the same bytes (the document's dates are the issue instant, its
 * file id is derived from its metadata), so a retried render stores the same file.
 */
import PDFDocument from 'pdfkit';
import * as fontkit from 'fontkit';
import { numberFormat, unitFormat } from '../pages/formats.js';
import { CERTIFICATE_CATALOGUE, CERTIFICATE_LOCALES, certificateDirection, certificateLanguageOf, type CertificateMessageId } from './certificate-texts.js';
import { FACES, loadCertificateFonts, type CertificateFonts, type Face, type FontStyle } from './fonts.js';
import { qrSymbol, QUIET_ZONE_MODULES } from './qr-code.js';
import { isolate, TextSetter, type Direction, type SetParagraph } from './text-runs.js';
import { templateParts } from '../message-template.js';

export interface CertificateInput {
  /** BCP 47; en, es, fr, ar supported, others fall back to en. */
  readonly language: string;
  /** Any script. */
  readonly memberName: string;
  /** Any script. */
  readonly seriesTitle: string;
  readonly organiserName: string;
  /** Hours attended, e.g. 15 or 7.5. */
  readonly hours: number;
  readonly sessionsAttended: number;
  readonly sessionsTotal: number;
  /** ISO instant. */
  readonly issuedAt: string;
  /** IANA zone the date is written in. */
  readonly timeZone: string;
  /** Shown small. */
  readonly certificateId: string;
  /** Printed as text and as a QR code. */
  readonly verifyUrl: string;
}

/** A rectangle on the page, in points from the top left corner. */
export interface Box {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** Where a paragraph was set: its box, its size (after shrinking to fit) and its line count. */
export interface TextBlock extends Box {
  readonly fontSize: number;
  readonly lines: number;
  readonly style: FontStyle;
}

export type CertificateBlockName =
  | 'title'
  | 'certifies'
  | 'name'
  | 'participated'
  | 'series'
  | 'organiser'
  | 'hoursLabel'
  | 'hours'
  | 'sessionsLabel'
  | 'sessions'
  | 'issuedLabel'
  | 'issued'
  | 'certificateId'
  | 'verify';

/** Where things were put, for tests and previews. */
export interface CertificateLayout {
  readonly language: string;
  readonly direction: Direction;
  readonly page: { readonly width: number; readonly height: number };
  readonly blocks: Readonly<Record<CertificateBlockName, TextBlock>>;
  /** The QR symbol (without its quiet zone) and its modules per side. */
  readonly qr: Box & { readonly modules: number };
}

export async function renderCertificatePdf(input: CertificateInput): Promise<Buffer> {
  return (await renderCertificate(input)).pdf;
}

/** The PDF and where its parts are. */
export async function renderCertificate(input: CertificateInput): Promise<{ pdf: Buffer; layout: CertificateLayout }> {
  const issued = new Date(input.issuedAt);
  if (Number.isNaN(issued.getTime())) throw new RangeError(`issuedAt is not an instant: ${input.issuedAt}`);
  for (const field of ['hours', 'sessionsAttended', 'sessionsTotal'] as const) {
    if (!Number.isFinite(input[field]) || input[field] < 0) throw new RangeError(`${field} must be a number of at least 0`);
  }
  for (const [field, max] of Object.entries(MAX_LENGTHS) as [keyof typeof MAX_LENGTHS, number][]) {
    if (input[field].length > max) throw new RangeError(`${field} is longer than ${max} characters`);
  }
  const fonts = await loadCertificateFonts();
  // One line each: runs of white space (a pasted line break, a tab) are one space; composed
  // characters (NFC) where a name was typed with combining accents.
  const clean = (text: string) => text.normalize('NFC').replace(/\s+/gu, ' ').trim();
  const text = { memberName: clean(input.memberName), seriesTitle: clean(input.seriesTitle), organiserName: clean(input.organiserName), certificateId: clean(input.certificateId) };
  return compose({ ...input, ...text }, issued, fonts);
}

/**
 * The longest texts a certificate takes (UTF-16 units): far beyond any real name or title, and
 * short enough that setting them (wrapping, shrinking to fit) stays quick. The address fits a QR
 * code of version 10 at most (57 modules): in 30 mm, modules of half a millimetre still scan.
 */
export const MAX_LENGTHS = { memberName: 300, seriesTitle: 400, organiserName: 300, certificateId: 100, verifyUrl: 200 } as const;

// A4 landscape, in points.
const PAGE = { width: 841.89, height: 595.28 } as const;

const INK = '#1f2a30';
const MUTED = '#56636b';
const ACCENT = '#1d5566';
const GOLD = '#b08d4f';

/** How far above and below the baseline a line's box reaches, in ems (room for the marks of Arabic and Devanagari). */
const ASCENT = 1.15;
const DESCENT = 0.55;
const LEADING = 1.3;

function compose(input: CertificateInput, issued: Date, fonts: CertificateFonts): Promise<{ pdf: Buffer; layout: CertificateLayout }> {
  const language = certificateLanguageOf(input.language);
  const direction = certificateDirection(language);
  const locale = CERTIFICATE_LOCALES[language];
  const messages = CERTIFICATE_CATALOGUE[language];
  const rtl = direction === 'rtl';
  const t = (id: CertificateMessageId, params: Record<string, string> = {}) =>
    templateParts(id, messages[id], params)
      .map((p) => ('text' in p ? p.text : isolate(p.value)))
      .join('');

  const title = messages.title;
  const doc = new PDFDocument({
    size: 'A4',
    layout: 'landscape',
    margin: 0,
    // No default font: pdfkit would load Helvetica's metrics from its own folder, which a bundle has not.
    font: '',
    lang: language,
    displayTitle: true,
    info: {
      Title: `${title}: ${input.memberName}`,
      Author: input.organiserName,
      Subject: input.seriesTitle,
      Creator: 'Convene',
      Producer: 'Convene',
      CreationDate: issued,
      ModDate: issued,
    },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const ended = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  const fontName = (face: Face, style: FontStyle) => `${face}-${style}`;
  const faces = parsedFonts(fonts);
  // pdfkit takes a parsed fontkit font as well as bytes (its types list bytes only): one parse
  // serves every certificate, and the glyphs are the ones readableLigatures() sees.
  for (const style of ['regular', 'bold'] as const) for (const face of FACES) doc.registerFont(fontName(face, style), faces[style][face].font as unknown as Buffer);

  const setterFor = (style: FontStyle) =>
    new TextSetter({
      has: (face, codePoint) => faces[style][face].characters.has(codePoint),
      width: (face, size, text) => doc.font(fontName(face, style)).fontSize(size).widthOfString(text, { features: [] }),
    });
  const setters = { regular: setterFor('regular'), bold: setterFor('bold') };

  type Align = 'center' | 'start' | 'end';
  const blocks = {} as Record<CertificateBlockName, TextBlock>;

  /** Draws a set paragraph with its first baseline at `baseline`; returns its box. */
  const draw = (name: CertificateBlockName, paragraph: SetParagraph, style: FontStyle, color: string, x: number, width: number, baseline: number, align: Align) => {
    const { size, lines } = paragraph;
    let left = Infinity;
    let right = -Infinity;
    lines.forEach((line, i) => {
      const side = align === 'center' ? 'center' : (align === 'start') !== rtl ? 'left' : 'right';
      let cursor = side === 'left' ? x : side === 'right' ? x + width - line.width : x + (width - line.width) / 2;
      left = Math.min(left, cursor);
      right = Math.max(right, cursor + line.width);
      const y = baseline + i * size * LEADING;
      for (const run of line.runs) {
        if (run.level % 2 === 1) readableLigatures(faces[style][run.face].font, run.text);
        doc.font(fontName(run.face, style)).fontSize(size).fillColor(color).text(run.text, cursor, y, { lineBreak: false, baseline: 'alphabetic', features: [] });
        cursor += run.width;
      }
    });
    if (!lines.length) [left, right] = [x + width / 2, x + width / 2];
    const top = baseline - ASCENT * size;
    const height = (Math.max(1, lines.length) - 1) * size * LEADING + (ASCENT + DESCENT) * size;
    blocks[name] = { x: left, y: top, width: right - left, height, fontSize: size, lines: lines.length, style };
    return blocks[name];
  };

  const set = (text: string, style: FontStyle, size: number, maxWidth: number, fit: { minSize?: number; maxLines?: number } = {}) =>
    setters[style].set(text, direction, { size, maxWidth, ...fit });
  /** One line, shrunk down to `oneLine` at most; else two lines from that size down to `twoLines`. */
  const setDisplay = (text: string, size: number, maxWidth: number, oneLine: number, twoLines: number) => {
    const single = set(text, 'bold', size, maxWidth, { minSize: oneLine });
    const fits = single.size >= oneLine && single.lines.length <= 1 && (single.lines[0]?.width ?? 0) <= maxWidth;
    return fits ? single : set(text, 'bold', oneLine, maxWidth, { minSize: twoLines, maxLines: 2 });
  };

  // Frame: a band on the leading edge, a fine rule inside the page's edge.
  const band = 16;
  doc.rect(rtl ? PAGE.width - band : 0, 0, band, PAGE.height).fill(ACCENT);
  doc.rect(rtl ? PAGE.width - band - 5 : band + 3, 0, 2, PAGE.height).fill(GOLD);
  const inset = 30;
  doc
    .lineWidth(0.75)
    .rect(rtl ? inset : inset + band, inset, PAGE.width - 2 * inset - band, PAGE.height - 2 * inset)
    .stroke(GOLD);

  // The content's column, beside the band.
  const columnX = rtl ? 70 : 70 + band;
  const columnWidth = PAGE.width - 140 - band;

  draw('title', set(title, 'bold', 30, columnWidth, { minSize: 20 }), 'bold', ACCENT, columnX, columnWidth, 112, 'center');
  const ruleWidth = 96;
  doc.rect(columnX + (columnWidth - ruleWidth) / 2, 132, ruleWidth, 1.2).fill(GOLD);

  // The middle: who took part in what, centred in the room between the rule and the facts.
  const middle = [
    { name: 'certifies', paragraph: set(t('certifies'), 'regular', 14, columnWidth, { minSize: 10, maxLines: 2 }), style: 'regular', color: MUTED },
    { name: 'name', paragraph: setDisplay(isolate(input.memberName), 34, columnWidth - 40, 26, 18), style: 'bold', color: INK },
    { name: 'participated', paragraph: set(t('participated'), 'regular', 14, columnWidth, { minSize: 10, maxLines: 2 }), style: 'regular', color: MUTED },
    { name: 'series', paragraph: setDisplay(isolate(input.seriesTitle), 22, columnWidth - 60, 17, 13), style: 'bold', color: ACCENT },
    { name: 'organiser', paragraph: set(t('organisedBy', { organiser: input.organiserName }), 'regular', 13, columnWidth - 60, { minSize: 9, maxLines: 2 }), style: 'regular', color: MUTED },
  ] as const;
  const gap = 7;
  const heightOf = (p: SetParagraph) => (p.lines.length - 1) * p.size * LEADING + (ASCENT + DESCENT) * p.size;
  const middleHeight = middle.reduce((h, b) => h + heightOf(b.paragraph), 0) + gap * (middle.length - 1);
  const middleTop = 146;
  const middleBottom = 404;
  let top = middleTop + Math.max(0, (middleBottom - middleTop - middleHeight) / 2);
  for (const block of middle) {
    draw(block.name, block.paragraph, block.style, block.color, columnX, columnWidth, top + ASCENT * block.paragraph.size, 'center');
    top += heightOf(block.paragraph) + gap;
  }

  // The facts: hours, sessions, date of issue, in three columns (mirrored in Arabic).
  const hours = unitFormat(locale, 'hour', 'long', 2).format(input.hours);
  const count = numberFormat(locale);
  const sessions = t('fact.sessionsValue', { attended: count.format(input.sessionsAttended), total: count.format(input.sessionsTotal) });
  const date = new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'long', year: 'numeric', timeZone: input.timeZone }).format(issued);
  const facts = [
    ['hours', messages['fact.hours'], hours],
    ['sessions', messages['fact.sessions'], sessions],
    ['issued', messages['fact.issued'], date],
  ] as const;
  const factWidth = 170;
  const factStep = 190;
  const centre = columnX + columnWidth / 2;
  facts.forEach(([name, label, value], i) => {
    const offset = (i - 1) * factStep * (rtl ? -1 : 1);
    const x = centre + offset - factWidth / 2;
    draw(`${name}Label`, set(label, 'regular', 10.5, factWidth, { minSize: 8 }), 'regular', MUTED, x, factWidth, 428, 'center');
    draw(name, set(value, 'bold', 15, factWidth, { minSize: 10 }), 'bold', INK, x, factWidth, 452, 'center');
    if (i > 0) {
      const lineX = centre + (offset - (factStep / 2) * (rtl ? -1 : 1));
      doc.rect(lineX - 0.4, 412, 0.8, 48).fill(GOLD);
    }
  });

  // The QR code of the verification address at the trailing bottom corner, 30 mm wide.
  const symbol = qrSymbol(input.verifyUrl);
  const qrSize = (30 / 25.4) * 72;
  const moduleSize = qrSize / symbol.size;
  const qrX = rtl ? inset + 20 : PAGE.width - inset - 20 - qrSize;
  const qrY = PAGE.height - inset - 16 - qrSize;
  for (const [row, column, length] of symbol.runs) doc.rect(qrX + column * moduleSize, qrY + row * moduleSize, length * moduleSize, moduleSize);
  doc.fill(INK);
  doc.link(qrX, qrY, qrSize, qrSize, input.verifyUrl);
  const quietZone = QUIET_ZONE_MODULES * moduleSize;

  // Beside it, at the leading side: the certificate's number and where to check it.
  const footX = rtl ? qrX + qrSize + quietZone + 12 : columnX;
  const footWidth = rtl ? columnX + columnWidth - footX : qrX - quietZone - 12 - columnX;
  const verify = draw('verify', set(t('verify', { url: input.verifyUrl }), 'regular', 9.5, footWidth, { minSize: 7, maxLines: 2 }), 'regular', MUTED, footX, footWidth, qrY + qrSize - 4, 'start');
  doc.link(verify.x, verify.y, verify.width, verify.height, input.verifyUrl);
  draw('certificateId', set(t('certificateId', { id: input.certificateId }), 'regular', 9.5, footWidth, { minSize: 7 }), 'regular', MUTED, footX, footWidth, verify.y - 8, 'start');

  doc.end();
  const layout: CertificateLayout = {
    language,
    direction,
    page: PAGE,
    blocks,
    qr: { x: qrX, y: qrY, width: qrSize, height: qrSize, modules: symbol.size },
  };
  return ended.then((pdf) => ({ pdf, layout }));
}

interface ParsedFace {
  readonly font: fontkit.Font;
  /** The code points it has a glyph for. */
  readonly characters: ReadonlySet<number>;
}

/** The fonts parsed once per loaded set (fontkit caches glyphs and layout tables in the font). */
const parsed = new WeakMap<CertificateFonts, Record<FontStyle, Record<Face, ParsedFace>>>();

function parsedFonts(fonts: CertificateFonts): Record<FontStyle, Record<Face, ParsedFace>> {
  let faces = parsed.get(fonts);
  if (!faces) {
    const parse = (bytes: Buffer): ParsedFace => {
      const font = fontkit.create(bytes);
      if (!('characterSet' in font)) throw new Error('a certificate font is a font collection');
      return { font, characters: new Set(font.characterSet) };
    };
    const style = (s: FontStyle) => {
      const byFace = {} as Record<Face, ParsedFace>;
      for (const face of FACES) byFace[face] = parse(fonts[s][face]);
      return byFace;
    };
    faces = { regular: style('regular'), bold: style('bold') };
    parsed.set(fonts, faces);
  }
  return faces;
}

/** The ligature glyphs whose text was already turned around. */
const turned = new WeakSet<fontkit.Glyph>();

/**
 * The text a reader copies from a right-to-left run. The run's glyphs are drawn in visual
 * order, and PDF readers (pdf.js, poppler) turn a right-to-left line's characters back into
 * reading order; a ligature (Arabic الله is one glyph for three letters) maps to its letters in
 * reading order, which that turn would reverse. So its text (pdfkit's ToUnicode entry, taken from
 * the glyph when first drawn) is stored the other way round. Right-to-left ligatures only occur
 * in right-to-left runs, so every use of the glyph agrees.
 */
function readableLigatures(font: fontkit.Font, text: string): void {
  for (const glyph of font.layout(text, []).glyphs) {
    if (glyph.codePoints.length < 2 || turned.has(glyph)) continue;
    glyph.codePoints = glyph.codePoints.toReversed();
    turned.add(glyph);
  }
}
