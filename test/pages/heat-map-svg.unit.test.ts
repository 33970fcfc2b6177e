/**
 * The heat map as an SVG document, as an organiser sees it: opened in Chromium (served as
 * image/svg+xml) and embedded as an <img> in a report page. What is checked is what the
 * browser makes of it: it parses; 168 cells lie in 7 rows and 24 columns; the cells where
 * everyone is awake are darker than those where no one is, read from the screenshot's pixels
 * (so a reversed or flat scale fails); the marks sit in their cells, at their minute; the
 * organisers' words stay text, Arabic ones intact.
 */
import { inflateSync } from 'node:zlib';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { weekHeatMap, type WeekHeatMap } from '../../events/fair-times/index.js';
import { heatMapSvg } from '../../functions/pages/heat-map-svg.js';
import { useBrowser } from '../support/browser.js';

// ---- what the functions run in the page see (this project compiles without the DOM's types) ----

interface Rect {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}
interface PageElement {
  readonly localName: string;
  readonly namespaceURI: string | null;
  readonly textContent: string | null;
  readonly nextElementSibling: PageElement | null;
  readonly children: ArrayLike<PageElement>;
  getAttribute(name: string): string | null;
  getBoundingClientRect(): Rect;
  querySelector(selector: string): PageElement | null;
}
declare const document: {
  readonly documentElement: PageElement;
  querySelectorAll(selector: string): ArrayLike<PageElement>;
  getElementsByTagName(name: string): ArrayLike<PageElement>;
  getElementsByTagNameNS(ns: string, name: string): ArrayLike<PageElement>;
};
declare function getComputedStyle(element: PageElement): { readonly fill: string };

// ---- PNG screenshots to pixels (8-bit RGB or RGBA, not interlaced: what Chromium writes) ----

interface Pixels {
  readonly width: number;
  readonly height: number;
  /** RGB of (x, y). */
  at(x: number, y: number): [number, number, number];
}

function decodePng(png: Buffer): Pixels {
  expect(png.subarray(0, 8).toString('latin1')).toBe('\x89PNG\r\n\x1a\n');
  let width = 0;
  let height = 0;
  let channels = 0;
  const data: Buffer[] = [];
  for (let at = 8; at < png.length; ) {
    const length = png.readUInt32BE(at);
    const type = png.toString('latin1', at + 4, at + 8);
    const body = png.subarray(at + 8, at + 8 + length);
    if (type === 'IHDR') {
      width = body.readUInt32BE(0);
      height = body.readUInt32BE(4);
      const [depth, colour, , , interlace] = [body[8], body[9], body[10], body[11], body[12]];
      if (depth !== 8 || (colour !== 2 && colour !== 6) || interlace !== 0) throw new Error(`a PNG this decoder does not read: depth ${depth}, colour ${colour}, interlace ${interlace}`);
      channels = colour === 6 ? 4 : 3;
    } else if (type === 'IDAT') data.push(body);
    at += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(data));
  const stride = width * channels;
  const out = Buffer.alloc(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]!;
    for (let i = 0; i < stride; i++) {
      const x = raw[y * (stride + 1) + 1 + i]!;
      const a = i >= channels ? out[y * stride + i - channels]! : 0;
      const b = y > 0 ? out[(y - 1) * stride + i]! : 0;
      const c = y > 0 && i >= channels ? out[(y - 1) * stride + i - channels]! : 0;
      const p = a + b - c;
      const paeth = Math.abs(p - a) <= Math.abs(p - b) && Math.abs(p - a) <= Math.abs(p - c) ? a : Math.abs(p - b) <= Math.abs(p - c) ? b : c;
      const predicted = [0, a, b, (a + b) >> 1, paeth][filter];
      if (predicted === undefined) throw new Error(`PNG filter ${filter}`);
      out[y * stride + i] = (x + predicted) & 0xff;
    }
  }
  return { width, height, at: (x, y) => [0, 1, 2].map((k) => out[y * stride + x * channels + k]!) as [number, number, number] };
}

/** WCAG relative luminance of an RGB triple (0 black to 1 white): how light it reads in greyscale. */
function luminance([r, g, b]: readonly number[]): number {
  const lin = (c: number) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(r!) + 0.7152 * lin(g!) + 0.0722 * lin(b!);
}
const contrast = (a: readonly number[], b: readonly number[]) => {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
};
const rgbOfCss = (css: string) => (/rgb\((\d+), (\d+), (\d+)\)/.exec(css) ?? []).slice(1).map(Number);

// ---- the map ----

/**
 * London home, 2027-W12 (its clocks go forward on Sunday 28 March: 01:00 does not exist),
 * ten registrants in London and ten in Tokyo: from Monday to Saturday, starts 08:00 to 11:00
 * keep all twenty awake, 21:00 and 22:00 none, every other hour half.
 */
const HOSTILE = '</title><script>alert("x")</script> <b>Q&A</b> & \'quotes\' "too"';
const ARABIC = 'اقتصاد الرعاية: الجلسة 6# حول الرعاية';
const MAP: WeekHeatMap = weekHeatMap({
  homeZone: 'Europe/London',
  week: '2027-W12',
  durationMinutes: 60,
  zones: new Map([
    ['Europe/London', 10],
    ['Asia/Tokyo', 10],
  ]),
  marks: [
    { start: '2027-03-23T14:00:00Z', label: ARABIC },
    { start: '2027-03-25T16:45:00Z', label: HOSTILE, kind: 'suggestion' },
    { start: '2027-04-06T09:00:00Z', label: 'Lecture 3 (another week)' },
    { start: '2027-03-27T22:59:00Z', label: 'Late on Saturday', kind: 'suggestion' },
  ],
});
const SVG = heatMapSvg(MAP, { title: 'Care economies: who is awake' });
const SVG_URL = 'http://heat-map.test/week.svg';

const browser = useBrowser();

/** A page showing `svg` as a document of its own, as a browser opens the route's answer. */
async function openSvg(svg = SVG): Promise<Page> {
  const context = await browser.context({ viewport: { width: 920, height: 640 } });
  const page = await context.newPage();
  await page.route(SVG_URL, (route) => route.fulfill({ status: 200, contentType: 'image/svg+xml; charset=utf-8', body: svg }));
  await page.goto(SVG_URL);
  return page;
}
const closing = async (page: Page, check: (page: Page) => Promise<void>) => {
  try {
    await check(page);
  } finally {
    await page.context().close();
  }
};

describe('the heat map as SVG text', () => {
  it('is a standalone document: no script, style sheet, external reference or web font', () => {
    expect(SVG.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ')).toBe(true);
    const root = /<svg [^>]*>/.exec(SVG)![0];
    expect(root).toMatch(/ width="\d+" height="\d+" role="img" aria-labelledby="(heat-map-[0-9a-f]{8})-title \1-desc"/);
    expect(root).toContain('font-family="system-ui, sans-serif"');
    expect(SVG).not.toMatch(/<script|<style|<foreignObject|<image|<use|href=|@import|@font-face|on[a-z]+=/i);
    // The one URL is the namespace; the only url(…) are its own pattern and gradient.
    expect(SVG.match(/https?:\/\/[^"]*/g)).toEqual(['http://www.w3.org/2000/svg']);
    expect(SVG.match(/url\([^)]*\)/g)?.every((u) => /^url\(#heat-map-[0-9a-f]{8}-(gap|scale)\)$/.test(u))).toBe(true);
    // The organiser's label is escaped wherever it appears.
    expect(SVG).toContain('&lt;/title&gt;&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &lt;b&gt;Q&amp;A&lt;/b&gt; &amp; &apos;quotes&apos; &quot;too&quot;');
    expect(SVG).not.toContain('<b>');
  });

  it('keeps ids apart for two maps on one page, and the same for the same map', () => {
    const idOf = (svg: string) => /aria-labelledby="([^ ]+)-title/.exec(svg)![1];
    expect(idOf(heatMapSvg(MAP, { title: 'Care economies: who is awake' }))).toBe(idOf(SVG));
    expect(idOf(heatMapSvg(weekHeatMap({ homeZone: 'Europe/London', week: '2027-W13', durationMinutes: 60, zones: new Map([['Asia/Tokyo', 3]]) })))).not.toBe(idOf(SVG));
  });
});

describe('the heat map in Chromium', () => {
  it('parses as SVG, named by its title and description', async () => {
    await closing(await openSvg(), async (page) => {
      const doc = await page.evaluate(() => ({
        root: document.documentElement.localName,
        ns: document.documentElement.namespaceURI,
        errors: document.getElementsByTagName('parsererror').length + document.getElementsByTagNameNS('http://www.w3.org/1999/xhtml', 'parsererror').length,
        title: document.documentElement.querySelector(':scope > title')?.textContent,
        desc: document.documentElement.querySelector(':scope > desc')?.textContent,
        box: document.documentElement.getBoundingClientRect(),
      }));
      expect(doc).toMatchObject({ root: 'svg', ns: 'http://www.w3.org/2000/svg', errors: 0, title: 'Care economies: who is awake' });
      expect(doc.desc).toContain('20 registrants awake for a 60-minute session starting at each hour of week 2027-W12 (Mon 22 Mar to Sun 28 Mar 2027), hours in Europe/London');
      expect(doc.desc).toContain('Sun 28 Mar 01:00');
      expect(doc.box.width).toBeGreaterThan(800);
      expect(doc.box.height).toBeGreaterThan(300);
    });
  });

  it('lays the 168 cells out in 7 rows (Monday to Sunday, dated) by 24 hour columns', async () => {
    await closing(await openSvg(), async (page) => {
      const { cells, rows, hours } = await page.evaluate(() => {
        const box = (e: PageElement) => {
          const r = e.getBoundingClientRect();
          return { x: r.x, y: r.y, width: r.width, height: r.height };
        };
        return {
          cells: Array.from(document.querySelectorAll('rect[data-day]'), (e) => ({ day: Number(e.getAttribute('data-day')), hour: Number(e.getAttribute('data-hour')), ...box(e) })),
          rows: Array.from(document.querySelectorAll('text[data-row]'), (e) => ({ text: e.textContent, ...box(e) })),
          hours: Array.from(document.querySelectorAll('text'), (e) => ({ text: e.textContent ?? '', ...box(e) })).filter((t) => /^\d\d$/.test(t.text)),
        };
      });
      expect(cells).toHaveLength(168);
      const tops = [...new Set(cells.map((c) => c.y))].sort((a, b) => a - b);
      const lefts = [...new Set(cells.map((c) => c.x))].sort((a, b) => a - b);
      expect(tops).toHaveLength(7);
      expect(lefts).toHaveLength(24);
      for (const c of cells) {
        // Row by day, column by hour, in order; each cell its own, none overlapping the next.
        expect(c.y).toBe(tops[c.day - 1]);
        expect(c.x).toBe(lefts[c.hour]);
        expect(c.width).toBeGreaterThan(20);
        expect(c.height).toBeGreaterThan(20);
      }
      expect(new Set(cells.map((c) => `${c.day}/${c.hour}`)).size).toBe(168);
      expect(lefts[1]! - lefts[0]!).toBeGreaterThanOrEqual(cells[0]!.width);
      expect(tops[1]! - tops[0]!).toBeGreaterThanOrEqual(cells[0]!.height);
      // Each row's label, left of the grid and within the row's height.
      expect(rows.map((r) => r.text)).toEqual(['Mon 22 Mar', 'Tue 23 Mar', 'Wed 24 Mar', 'Thu 25 Mar', 'Fri 26 Mar', 'Sat 27 Mar', 'Sun 28 Mar']);
      rows.forEach((r, d) => {
        expect(r.x + r.width).toBeLessThanOrEqual(lefts[0]!);
        expect(r.y + r.height / 2).toBeGreaterThan(tops[d]!);
        expect(r.y + r.height / 2).toBeLessThan(tops[d]! + cells[0]!.height);
      });
      // The hour labels above the grid, 00 to 23 left to right, each over its column.
      const above = hours.filter((h) => h.y + h.height <= tops[0]!);
      expect(above.map((h) => h.text)).toEqual(Array.from({ length: 24 }, (_, h) => String(h).padStart(2, '0')));
      above.forEach((h, i) => expect(Math.abs(h.x + h.width / 2 - (lefts[i]! + cells[0]!.width / 2))).toBeLessThan(2));
    });
  });

  it('shades by the share awake: dark blue where all are, light where none are, in order of lightness', async () => {
    await closing(await openSvg(), async (page) => {
      const cells = await page.evaluate(() =>
        Array.from(document.querySelectorAll('rect[data-day]'), (e) => {
          const r = e.getBoundingClientRect();
          const number = e.nextElementSibling?.localName === 'text' ? e.nextElementSibling : null;
          return {
            day: Number(e.getAttribute('data-day')),
            hour: Number(e.getAttribute('data-hour')),
            share: e.getAttribute('data-awake-share'),
            title: e.querySelector('title')?.textContent ?? '',
            fill: getComputedStyle(e).fill,
            number: number ? { text: number.textContent, fill: getComputedStyle(number).fill } : null,
            x: r.x,
            y: r.y,
            width: r.width,
            height: r.height,
          };
        }),
      );
      const pixels = decodePng(await page.screenshot({ type: 'png' }));
      /** The cell's colour on screen: a patch in its top left corner, clear of its number and any mark. */
      const onScreen = (c: (typeof cells)[number]) => {
        const patch: number[][] = [];
        for (let dy = 2; dy < 5; dy++) for (let dx = 2; dx < 5; dx++) patch.push(pixels.at(Math.round(c.x) + dx, Math.round(c.y) + dy));
        return [0, 1, 2].map((k) => Math.round(patch.reduce((s, p) => s + p[k]!, 0) / patch.length));
      };
      const cell = (day: number, hour: number) => cells.find((c) => c.day === day && c.hour === hour)!;

      // The map's own figures: Monday 09:00 all awake, 21:00 none, 15:00 half.
      const all = cell(1, 9);
      const none = cell(1, 21);
      const half = cell(1, 15);
      expect([all.share, none.share, half.share]).toEqual(['1', '0', '0.5']);
      expect(all.title).toBe('Mon 22 Mar 09:00 Europe/London (UTC+00:00): 100% awake (20 of 20), 0 at night');
      expect(half.title).toBe('Mon 22 Mar 15:00 Europe/London (UTC+00:00): 50% awake (10 of 20), 10 at night (worst off: Asia/Tokyo)');
      const [allRgb, halfRgb, noneRgb] = [onScreen(all), onScreen(half), onScreen(none)];
      // Light for none, dark blue for all, half in between: in greyscale too (luminance), each step well apart.
      expect(luminance(noneRgb)).toBeGreaterThan(0.9);
      expect(luminance(allRgb)).toBeLessThan(0.08);
      expect(luminance(noneRgb) - luminance(halfRgb)).toBeGreaterThan(0.2);
      expect(luminance(halfRgb) - luminance(allRgb)).toBeGreaterThan(0.1);
      expect(allRgb[2]!).toBeGreaterThan(allRgb[0]! + 60);
      // What is on screen is the cell's fill (no overlay changed it).
      for (const c of [all, half, none]) expect(onScreen(c)).toEqual(rgbOfCss(c.fill));
      // The whole map: the more awake, the darker, without exception; and every cell's number is legible on it.
      const scored = cells.filter((c) => c.share !== null).sort((a, b) => Number(a.share) - Number(b.share));
      expect(new Set(scored.map((c) => c.share)).size).toBeGreaterThanOrEqual(3);
      for (let i = 1; i < scored.length; i++) {
        const [a, b] = [scored[i - 1]!, scored[i]!];
        if (a.share === b.share) expect(b.fill).toBe(a.fill);
        else expect(luminance(rgbOfCss(b.fill))).toBeLessThan(luminance(rgbOfCss(a.fill)));
      }
      for (const c of scored) {
        expect(c.number?.text).toBe(String(Math.round(Number(c.share) * 100)));
        expect(contrast(rgbOfCss(c.number!.fill), rgbOfCss(c.fill)), `${c.day}/${c.hour}`).toBeGreaterThanOrEqual(4.5);
      }
      // The hour London skips: hatched (light and dark stripes in the cell), not a shade, and says why.
      const gap = cells.filter((c) => c.share === null);
      expect(gap.map((c) => [c.day, c.hour])).toEqual([[7, 1]]);
      expect(gap[0]!.title).toBe('Sun 28 Mar 01:00 Europe/London: this hour does not exist that day (the clocks go forward); not scored');
      const inside: number[] = [];
      for (let dy = 3; dy < gap[0]!.height - 3; dy++) for (let dx = 3; dx < gap[0]!.width - 3; dx++) inside.push(luminance(pixels.at(Math.round(gap[0]!.x) + dx, Math.round(gap[0]!.y) + dy)));
      expect(Math.max(...inside)).toBeGreaterThan(0.9);
      expect(Math.min(...inside)).toBeLessThan(0.3);
      // The week's clock change shows in the tooltips: before it GMT, after it BST.
      expect(cell(7, 0).title).toContain('Sun 28 Mar 00:00 Europe/London (UTC+00:00)');
      expect(cell(7, 2).title).toContain('Sun 28 Mar 02:00 Europe/London (UTC+01:00)');
    });
  });

  it('marks each session and suggestion on its cell, at its minute, in its own shape', async () => {
    await closing(await openSvg(), async (page) => {
      const { marks, cells } = await page.evaluate(() => {
        const box = (e: PageElement) => {
          const r = e.getBoundingClientRect();
          return { x: r.x, y: r.y, width: r.width, height: r.height };
        };
        return {
          marks: Array.from(document.querySelectorAll('[data-mark]'), (e) => {
            const shape = e.querySelector('circle, polygon')!;
            return {
              kind: e.getAttribute('data-mark'),
              day: Number(e.getAttribute('data-day')),
              hour: Number(e.getAttribute('data-hour')),
              shape: shape.localName,
              title: e.querySelector('title')?.textContent ?? '',
              box: box(e),
              shapeBox: box(shape),
            };
          }),
          cells: Array.from(document.querySelectorAll('rect[data-day]'), (e) => ({ day: Number(e.getAttribute('data-day')), hour: Number(e.getAttribute('data-hour')), box: box(e) })),
        };
      });
      expect(marks.map((m) => [m.kind, m.day, m.hour, m.shape])).toEqual([
        ['session', 2, 14, 'circle'],
        ['suggestion', 4, 16, 'polygon'],
        ['session', 2, 10, 'circle'],
        ['suggestion', 6, 22, 'polygon'],
      ]);
      const minutes = [0, 45, 0, 59];
      marks.forEach((m, i) => {
        const c = cells.find((k) => k.day === m.day && k.hour === m.hour)!.box;
        // Wholly inside its cell.
        expect(m.box.x).toBeGreaterThanOrEqual(c.x - 0.5);
        expect(m.box.y).toBeGreaterThanOrEqual(c.y - 0.5);
        expect(m.box.x + m.box.width).toBeLessThanOrEqual(c.x + c.width + 0.5);
        expect(m.box.y + m.box.height).toBeLessThanOrEqual(c.y + c.height + 0.5);
        // Across the cell as the minute is across the hour (give or take the shape's margin).
        const along = (m.shapeBox.x + m.shapeBox.width / 2 - c.x) / c.width;
        expect(Math.abs(along - (0.2 + 0.6 * (minutes[i]! / 60)))).toBeLessThan(0.12);
      });
      expect(marks[0]!.title).toBe(`Session: \u2068${ARABIC}\u2069 — Tue 23 Mar 14:00 Europe/London: 50% awake, 10 at night`);
      expect(marks[2]!.title).toBe('Session: \u2068Lecture 3 (another week)\u2069 — Tue 6 Apr 10:00 Europe/London (another week): 100% awake, 0 at night');
      expect(marks[3]!.title).toMatch(/^Suggested time: .* — Sat 27 Mar 22:59 Europe\/London: 0% awake, 10 at night$/);
      // On screen the marks show on a dark cell (Thursday 08:00 is all awake) as on a light one.
      const dark = heatMapSvg(weekHeatMap({ ...baseInput(), marks: [{ start: '2027-03-25T08:00:00Z', label: 'dark' }, { start: '2027-03-25T21:00:00Z', label: 'light', kind: 'suggestion' }] }));
      await page.route(SVG_URL, (route) => route.fulfill({ status: 200, contentType: 'image/svg+xml', body: dark }));
      await page.goto(SVG_URL);
      const pixels = decodePng(await page.screenshot({ type: 'png' }));
      for (const m of await page.evaluate(() => Array.from(document.querySelectorAll('[data-mark]'), (e) => e.querySelector('circle, polygon')!.getBoundingClientRect()))) {
        const seen: number[] = [];
        for (let y = Math.floor(m.y); y <= m.y + m.height; y++) for (let x = Math.floor(m.x); x <= m.x + m.width; x++) seen.push(luminance(pixels.at(x, y)));
        // Black and white both: a shape that shows on any shade.
        expect(Math.min(...seen)).toBeLessThan(0.05);
        expect(Math.max(...seen)).toBeGreaterThan(0.9);
      }
    });
  });

  it('keeps organisers\' words as text: no element made from a hostile label, Arabic intact', async () => {
    const nasty = heatMapSvg(weekHeatMap({ ...baseInput(), marks: [{ start: '2027-03-23T10:00:00Z', label: `bell\u0007 nul\u0000 lone\uD800 ${HOSTILE}` }] }));
    expect(nasty).not.toMatch(/[\u0000\u0007\uD800]/);
    for (const svg of [SVG, nasty]) {
      await closing(await openSvg(svg), async (page) => {
        const seen = await page.evaluate(() => ({
          errors: document.getElementsByTagName('parsererror').length + document.getElementsByTagNameNS('http://www.w3.org/1999/xhtml', 'parsererror').length,
          names: [...new Set(Array.from(document.querySelectorAll('*'), (e) => e.localName))].sort(),
          titles: Array.from(document.querySelectorAll('[data-mark] > title'), (e) => e.textContent ?? ''),
          listed: Array.from(document.querySelectorAll('text[data-mark-label]'), (e) => e.textContent ?? ''),
        }));
        expect(seen.errors).toBe(0);
        // Only the elements the renderer writes: none from a label.
        expect(seen.names).toEqual(expect.arrayContaining(['svg', 'rect', 'text', 'title']));
        for (const name of seen.names) expect(['circle', 'defs', 'desc', 'g', 'line', 'linearGradient', 'pattern', 'polygon', 'rect', 'stop', 'svg', 'text', 'title']).toContain(name);
        expect(seen.titles.some((t) => t.includes(HOSTILE))).toBe(true);
        expect(seen.listed.some((t) => t.includes(HOSTILE))).toBe(true);
        if (svg === SVG) {
          // The Arabic title whole, in its isolate, in the tooltip and in the list below the map.
          expect(seen.titles[0]).toContain(`\u2068${ARABIC}\u2069`);
          expect(seen.listed[0]).toBe(`Tue 23 Mar 14:00 Europe/London · 50% awake, 10 at night · \u2068${ARABIC}\u2069`);
        } else {
          expect(seen.titles[0]).toContain('bell\uFFFD nul\uFFFD lone\uFFFD </title><script>');
        }
      });
    }
  });

  it('renders as an <img> in a report page, at its own size', async () => {
    const context = await browser.context({ viewport: { width: 1000, height: 700 } });
    try {
      const page = await context.newPage();
      const src = `data:image/svg+xml;base64,${Buffer.from(SVG, 'utf8').toString('base64')}`;
      await page.setContent(`<!doctype html><html lang="en"><body style="margin:0;background:#fff"><p>Report</p><img id="map" alt="Heat map" src="${src}"></body></html>`);
      const img = await page.locator('#map').evaluate((e) => {
        const i = e as unknown as PageElement & { readonly complete: boolean; readonly naturalWidth: number; readonly naturalHeight: number };
        return { complete: i.complete, naturalWidth: i.naturalWidth, naturalHeight: i.naturalHeight };
      });
      const [, width, height] = /viewBox="0 0 (\d+) (\d+)"/.exec(SVG)!.map(Number);
      expect(img).toEqual({ complete: true, naturalWidth: width, naturalHeight: height });
      const box = (await page.locator('#map').boundingBox())!;
      expect([box.width, box.height]).toEqual([width, height]);
      // It drew: the screenshot of the image has the scale's dark blue and its near-white.
      const pixels = decodePng(await page.locator('#map').screenshot({ type: 'png' }));
      let dark = 0;
      let light = 0;
      for (let y = 0; y < pixels.height; y += 2) {
        for (let x = 0; x < pixels.width; x += 2) {
          const p = pixels.at(x, y);
          if (luminance(p) < 0.08 && p[2] > p[0] + 60) dark++;
          else if (luminance(p) > 0.9) light++;
        }
      }
      expect(dark).toBeGreaterThan(500);
      expect(light).toBeGreaterThan(500);
    } finally {
      await context.close();
    }
  });
});

function baseInput() {
  return { homeZone: 'Europe/London', week: '2027-W12', durationMinutes: 60, zones: new Map([['Europe/London', 10], ['Asia/Tokyo', 10]]) };
}
