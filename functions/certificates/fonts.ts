/**
 * The fonts certificates are set in, and where their bytes come from. The files live in
 * ./fonts/ beside this module (with their licences, see ./fonts/README.md); a bundled Lambda
 * has no source tree, so CERTIFICATE_FONTS_DIR names the folder the deployment copied them to.
 * pdfkit's own standard fonts (Helvetica and the rest, AFM files read from disk) are never used.
 *
 * Each style (regular, bold) is a fallback chain of faces: every script the certificate may
 * meet in a name or a title gets the face that has its glyphs (see ./text-runs.ts).
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The faces, by the scripts they are for. `fallback` is the last resort (symbols, Armenian, Georgian, ...). */
export const FACES = ['serif', 'arabic', 'devanagari', 'hebrew', 'fallback'] as const;
export type Face = (typeof FACES)[number];
export type FontStyle = 'regular' | 'bold';

/** The file of each face in each style. DejaVu Sans has no bold here: it only fills gaps. */
export const FONT_FILES: Readonly<Record<Face, Readonly<Record<FontStyle, string>>>> = {
  serif: { regular: 'NotoSerif-Regular.ttf', bold: 'NotoSerif-Bold.ttf' },
  arabic: { regular: 'NotoNaskhArabic-Regular.ttf', bold: 'NotoNaskhArabic-Bold.ttf' },
  devanagari: { regular: 'NotoSerifDevanagari-Regular.ttf', bold: 'NotoSerifDevanagari-Bold.ttf' },
  hebrew: { regular: 'NotoSerifHebrew-Regular.ttf', bold: 'NotoSerifHebrew-Bold.ttf' },
  fallback: { regular: 'DejaVuSans.ttf', bold: 'DejaVuSans.ttf' },
};

/** The bytes of every face in every style. */
export type CertificateFonts = Readonly<Record<FontStyle, Readonly<Record<Face, Buffer>>>>;

/** The folder the font files are read from: CERTIFICATE_FONTS_DIR, else ./fonts/ beside this module. */
export function certificateFontsDirectory(): string {
  const configured = process.env.CERTIFICATE_FONTS_DIR;
  return configured ? configured : fileURLToPath(new URL('./fonts/', import.meta.url));
}

/** Loaded once per folder and kept (a warm Lambda renders the next certificate without reading them again). */
const loaded = new Map<string, Promise<CertificateFonts>>();

export function loadCertificateFonts(directory = certificateFontsDirectory()): Promise<CertificateFonts> {
  let fonts = loaded.get(directory);
  if (!fonts) {
    fonts = readFonts(directory);
    // A failed read (a missing file) is not kept: the next call tries again and names the file.
    fonts.catch(() => loaded.delete(directory));
    loaded.set(directory, fonts);
  }
  return fonts;
}

async function readFonts(directory: string): Promise<CertificateFonts> {
  const files = new Map<string, Promise<Buffer>>();
  const read = (file: string) => {
    let bytes = files.get(file);
    if (!bytes) {
      bytes = readFile(join(directory, file)).catch((error: unknown) => {
        throw new Error(`certificate font ${file} could not be read from ${directory} (CERTIFICATE_FONTS_DIR)`, { cause: error });
      });
      files.set(file, bytes);
    }
    return bytes;
  };
  const style = async (s: FontStyle) => Object.fromEntries(await Promise.all(FACES.map(async (face) => [face, await read(FONT_FILES[face][s])] as const))) as Record<Face, Buffer>;
  const [regular, bold] = await Promise.all([style('regular'), style('bold')]);
  return { regular, bold };
}
