/**
 * PDFs turned into pixels the way a reader's browser shows them: pdfjs-dist's browser build
 * renders page 1 in a real Chromium page, served from this machine's files (no network);
 * the same page sets reference text with Chromium's own text engine (HarfBuzz shaping, the
 * bidi algorithm) in the certificate fonts, so the two renderings can be compared as ink.
 * The in-page half is ./raster-page.js.
 */
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BrowserContext, Page } from 'playwright-core';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const ORIGIN = 'http://raster.test';

/** What the page's script offers (./raster-page.js); the functions handed to `page.evaluate` run in the page, so each names it in full. */
interface RasterWindow {
  readonly rasterReady?: boolean;
  readonly raster: {
    render(pdf: string, scale: number): Promise<RenderedPdf & { png: string }>;
    pageInk(x: number, y: number, width: number, height: number): string;
    pageRgba(): { rgba: string; width: number; height: number };
    loadFonts(fonts: readonly { family: string; url: string }[]): Promise<void>;
    pngInk(png: string): Promise<{ ink: string; width: number; height: number }>;
  };
}

export interface RenderedPdf {
  readonly width: number;
  readonly height: number;
  readonly pages: number;
  /** The page's box in points: [x0, y0, x1, y1]. */
  readonly view: readonly number[];
  readonly rotate: number;
  /** pdf.js's text items (getTextContent), in content order. */
  readonly text: readonly { readonly str: string; readonly dir: string; readonly hasEOL: boolean }[];
}

/** A grey map: 0 is paper, 255 full ink. */
export interface InkMap {
  readonly width: number;
  readonly height: number;
  readonly ink: Uint8Array;
}

/** Reference text for Chromium to set. `variant` makes the wrong renderings a test must tell apart. */
export interface TextSample {
  readonly text: string;
  /** Web font families, in fallback order (registered by `loadFonts`). */
  readonly families: readonly string[];
  /** In CSS pixels. */
  readonly size: number;
  readonly dir: 'ltr' | 'rtl';
  /**
   * shaped: as written (in a <bdi>); unjoined: every character on its own (no joining, no
   * conjuncts); leftToRight: the characters in memory order drawn left to right (no bidi);
   * wordsReversed: each word right but the words in the opposite order.
   */
  readonly variant?: 'shaped' | 'unjoined' | 'leftToRight' | 'wordsReversed';
}

export interface Raster {
  render(pdf: Buffer, scale: number): Promise<RenderedPdf & { png: Buffer }>;
  /** Ink of a region of the page rendered last, in pixels. */
  pageInk(x: number, y: number, width: number, height: number): Promise<InkMap>;
  /** RGBA pixels of the page rendered last. */
  pageRgba(): Promise<{ data: Uint8ClampedArray; width: number; height: number }>;
  loadFonts(fonts: readonly { family: string; file: string }[]): Promise<void>;
  /** Ink of the sample as Chromium sets it. */
  textInk(sample: TextSample): Promise<InkMap>;
}

const TYPES: Record<string, string> = { '.mjs': 'text/javascript', '.js': 'text/javascript', '.ttf': 'font/ttf', '.html': 'text/html; charset=utf-8' };

async function serve(page: Page): Promise<void> {
  // Everything else (there should be nothing) is refused: this machine has no network.
  await page.route('**/*', (route) => route.abort());
  await page.route(`${ORIGIN}/**`, async (route) => {
    const path = new URL(route.request().url()).pathname;
    const file =
      path === '/'
        ? undefined
        : path === '/raster.js'
          ? join(ROOT, 'test/certificates/raster-page.js')
          : path.startsWith('/pdfjs/')
            ? join(ROOT, 'node_modules/pdfjs-dist/build', normalize(path.slice('/pdfjs/'.length)))
            : path.startsWith('/fonts/')
              ? join(ROOT, 'functions/certificates/fonts', normalize(path.slice('/fonts/'.length)))
              : null;
    if (file === null) return route.fulfill({ status: 404, body: 'not here' });
    if (file === undefined) {
      const html = '<!doctype html><html><head><meta charset="utf-8"><script type="module" src="/raster.js"></script></head><body style="margin:0;background:#fff"></body></html>';
      return route.fulfill({ status: 200, contentType: TYPES['.html'], body: html });
    }
    return route.fulfill({ status: 200, contentType: TYPES[extname(file)] ?? 'application/octet-stream', body: await readFile(file) });
  });
}

const inkFrom = ({ ink, width, height }: { ink: string; width: number; height: number }): InkMap => ({ width, height, ink: new Uint8Array(Buffer.from(ink, 'base64')) });

export async function openRaster(context: BrowserContext): Promise<Raster> {
  const page = await context.newPage();
  await serve(page);
  await page.goto(`${ORIGIN}/`);
  await page.waitForFunction(() => (globalThis as unknown as RasterWindow).rasterReady === true);
  return {
    async render(pdf, scale) {
      const result = await page.evaluate(([data, s]) => (globalThis as unknown as RasterWindow).raster.render(data, s), [pdf.toString('base64'), scale] as const);
      return { ...result, png: Buffer.from(result.png, 'base64') };
    },
    async pageInk(x, y, width, height) {
      const ink = await page.evaluate(([a, b, c, d]) => (globalThis as unknown as RasterWindow).raster.pageInk(a, b, c, d), [x, y, width, height] as const);
      return inkFrom({ ink, width, height });
    },
    async pageRgba() {
      const { rgba, width, height } = await page.evaluate(() => (globalThis as unknown as RasterWindow).raster.pageRgba());
      return { data: new Uint8ClampedArray(Buffer.from(rgba, 'base64')), width, height };
    },
    async loadFonts(fonts) {
      await page.evaluate((list) => (globalThis as unknown as RasterWindow).raster.loadFonts(list), fonts.map((f) => ({ family: f.family, url: `/fonts/${f.file}` })));
    },
    async textInk(sample) {
      await page.evaluate((s) => {
        // The sample is built with DOM calls only: this function runs in the page.
        const doc = (globalThis as unknown as { document: SampleDocument }).document;
        doc.getElementById('sample')?.remove();
        const box = doc.createElement('div');
        box.id = 'sample';
        box.setAttribute('dir', s.dir);
        box.setAttribute(
          'style',
          `position:absolute;left:0;top:0;padding:${Math.ceil(s.size)}px;background:#fff;color:#000;white-space:nowrap;` +
            `font-family:${s.families.map((f) => `'${f}'`).join(',')};font-size:${s.size}px;line-height:normal;font-kerning:normal`,
        );
        const variant = s.variant ?? 'shaped';
        if (variant === 'shaped' || variant === 'wordsReversed') {
          const bdi = doc.createElement('bdi');
          bdi.textContent = variant === 'shaped' ? s.text : s.text.split(' ').reverse().join(' ');
          box.appendChild(bdi);
        } else if (variant === 'leftToRight') {
          const bdo = doc.createElement('bdo');
          bdo.setAttribute('dir', 'ltr');
          bdo.textContent = s.text;
          box.appendChild(bdo);
        } else {
          const bdi = doc.createElement('bdi');
          for (const char of s.text) {
            const span = doc.createElement('span');
            span.setAttribute('style', 'display:inline-block;white-space:pre');
            span.textContent = char;
            bdi.appendChild(span);
          }
          box.appendChild(bdi);
        }
        doc.body.appendChild(box);
      }, sample);
      const png = await page.locator('#sample').screenshot({ animations: 'disabled', caret: 'hide' });
      return inkFrom(await page.evaluate((data) => (globalThis as unknown as RasterWindow).raster.pngInk(data), png.toString('base64')));
    },
  };
}

/** The few DOM calls the sample needs (this project compiles without the DOM's types). */
interface SampleElement {
  id: string;
  textContent: string | null;
  setAttribute(name: string, value: string): void;
  appendChild(child: SampleElement): void;
  remove(): void;
}
interface SampleDocument {
  getElementById(id: string): SampleElement | null;
  createElement(tag: string): SampleElement;
  readonly body: SampleElement;
}

/** The smallest box around the ink darker than `threshold`, or undefined on a blank map. */
export function inkBounds(map: InkMap, threshold = 64): { x: number; y: number; width: number; height: number } | undefined {
  let [x0, y0, x1, y1] = [Infinity, Infinity, -Infinity, -Infinity];
  for (let y = 0; y < map.height; y++) {
    for (let x = 0; x < map.width; x++) {
      if (map.ink[y * map.width + x]! <= threshold) continue;
      x0 = Math.min(x0, x);
      y0 = Math.min(y0, y);
      x1 = Math.max(x1, x);
      y1 = Math.max(y1, y);
    }
  }
  return x1 < x0 ? undefined : { x: x0, y: y0, width: x1 - x0 + 1, height: y1 - y0 + 1 };
}

function cropped(map: InkMap): { width: number; height: number; ink: Float64Array } {
  const b = inkBounds(map);
  if (!b) return { width: 0, height: 0, ink: new Float64Array(0) };
  let max = 0;
  for (const v of map.ink) max = Math.max(max, v);
  const ink = new Float64Array(b.width * b.height);
  for (let y = 0; y < b.height; y++) for (let x = 0; x < b.width; x++) ink[y * b.width + x] = map.ink[(b.y + y) * map.width + b.x + x]! / max;
  return { width: b.width, height: b.height, ink };
}

/** Shared ink over the larger ink of a region of `p` and the same region of `q` shifted by dx, dy. */
function overlap(p: Crop, q: Crop, dx: number, dy: number, x0 = Math.min(0, -dx), x1 = Math.max(p.width, q.width - dx)): { shared: number; larger: number } {
  let [shared, inP, inQ] = [0, 0, 0];
  for (let y = Math.min(0, -dy); y < Math.max(p.height, q.height - dy); y++) {
    for (let x = x0; x < x1; x++) {
      const a = y >= 0 && y < p.height && x >= 0 && x < p.width ? p.ink[y * p.width + x]! : 0;
      const [qx, qy] = [x + dx, y + dy];
      const b = qy >= 0 && qy < q.height && qx >= 0 && qx < q.width ? q.ink[qy * q.width + qx]! : 0;
      shared += Math.min(a, b);
      inP += a;
      inQ += b;
    }
  }
  return { shared, larger: Math.max(inP, inQ) };
}

type Crop = ReturnType<typeof cropped>;

export interface Similarity {
  /** The whole text: 0 to 1. */
  readonly overall: number;
  /** The least alike stretch of it (a square as high as the text, slid along it), 0 to 1. */
  readonly worstStretch: number;
}

/**
 * How alike two renderings of a text are: each cut to its ink and scaled to its own darkest
 * ink, the shared ink (the smaller of the two at each pixel) over the larger total, at the
 * best alignment within a few pixels. Same glyphs in the same places score near 1; other
 * glyphs or another order far lower. As one wrong bracket in a long title barely moves the
 * whole, the least alike stretch is given too (each stretch aligned again within two pixels,
 * for the rounding of advances along a line).
 */
export function inkSimilarity(a: InkMap, b: InkMap, slack = 4): Similarity {
  const [p, q] = [cropped(a), cropped(b)];
  if (!p.width || !q.width) return { overall: 0, worstStretch: 0 };
  let best = { score: -1, dx: 0, dy: 0 };
  for (let dy = -slack; dy <= slack; dy++) {
    for (let dx = -slack; dx <= slack; dx++) {
      const { shared, larger } = overlap(p, q, dx, dy);
      if (larger && shared / larger > best.score) best = { score: shared / larger, dx, dy };
    }
  }
  // Stretches as wide as the text is high (at least 24 px), half overlapping, with their own little slack.
  const side = Math.max(24, p.height);
  let worst = 1;
  for (let x0 = 0; x0 < Math.max(1, p.width - side / 2); x0 += Math.ceil(side / 2)) {
    const x1 = Math.min(p.width, x0 + side);
    let stretch = 0;
    let ink = 0;
    for (let dy = best.dy - 2; dy <= best.dy + 2; dy++) {
      for (let dx = best.dx - 2; dx <= best.dx + 2; dx++) {
        const { shared, larger } = overlap(p, q, dx, dy, x0, x1);
        ink = Math.max(ink, larger);
        if (larger) stretch = Math.max(stretch, shared / larger);
      }
    }
    // A stretch of blank paper in both (a wide space) says nothing.
    if (ink > 0.02 * side * side) worst = Math.min(worst, stretch);
  }
  return { overall: best.score, worstStretch: worst };
}
