// Runs inside the test's Chromium page (served by ./pdf-raster.ts at http://raster.test/raster.js):
// pdf.js (pdfjs-dist's browser build) renders a PDF's first page to a canvas; the page's own
// HTML text engine sets reference text in the certificate fonts; both come back as ink maps.
// Plain browser JavaScript: the project's TypeScript has no DOM types.
import * as pdfjs from '/pdfjs/pdf.min.mjs';

pdfjs.GlobalWorkerOptions.workerSrc = '/pdfjs/pdf.worker.min.mjs';

const bytesOf = (base64) => Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
const base64Of = (bytes) => {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
};

/** Ink (255 - luminance) of a canvas region, one byte a pixel. */
function inkOf(context, x, y, width, height) {
  const { data } = context.getImageData(x, y, width, height);
  const ink = new Uint8Array(width * height);
  for (let i = 0; i < ink.length; i++) {
    const [r, g, b, a] = [data[4 * i], data[4 * i + 1], data[4 * i + 2], data[4 * i + 3]];
    // Transparent is paper.
    const luminance = (0.299 * r + 0.587 * g + 0.114 * b) * (a / 255) + 255 * (1 - a / 255);
    ink[i] = 255 - Math.round(luminance);
  }
  return ink;
}

let page1;

window.raster = {
  /** Renders page 1 at `scale` pixels a point: PNG, size, page count, the page's box and its text. */
  async render(pdfBase64, scale) {
    const task = pdfjs.getDocument({ data: bytesOf(pdfBase64), isEvalSupported: false });
    const document = await task.promise;
    const page = await document.getPage(1);
    const viewport = page.getViewport({ scale });
    const canvas = window.document.createElement('canvas');
    canvas.width = Math.round(viewport.width);
    canvas.height = Math.round(viewport.height);
    const context = canvas.getContext('2d', { willReadFrequently: true });
    context.fillStyle = '#ffffff';
    context.fillRect(0, 0, canvas.width, canvas.height);
    await page.render({ canvasContext: context, canvas, viewport }).promise;
    const content = await page.getTextContent();
    page1 = { canvas, context };
    const png = canvas.toDataURL('image/png').slice('data:image/png;base64,'.length);
    const result = {
      png,
      width: canvas.width,
      height: canvas.height,
      pages: document.numPages,
      view: page.view,
      rotate: page.rotate,
      text: content.items.filter((item) => 'str' in item).map((item) => ({ str: item.str, dir: item.dir, hasEOL: item.hasEOL })),
    };
    await task.destroy();
    return result;
  },

  /** The ink of a region of the last rendered page, in pixels. */
  pageInk(x, y, width, height) {
    return base64Of(inkOf(page1.context, x, y, width, height));
  },

  /** The RGBA pixels of the whole last rendered page. */
  pageRgba() {
    const { canvas, context } = page1;
    const rgba = base64Of(new Uint8Array(context.getImageData(0, 0, canvas.width, canvas.height).data.buffer));
    return { rgba, width: canvas.width, height: canvas.height };
  },

  /** Loads the certificate fonts as web fonts (family = the name given). */
  async loadFonts(fonts) {
    for (const { family, url } of fonts) {
      const face = new FontFace(family, `url(${url})`);
      await face.load();
      window.document.fonts.add(face);
    }
  },

  /** The ink of a PNG (an element's screenshot). */
  async pngInk(pngBase64) {
    const image = new Image();
    image.src = `data:image/png;base64,${pngBase64}`;
    await image.decode();
    const canvas = window.document.createElement('canvas');
    canvas.width = image.naturalWidth;
    canvas.height = image.naturalHeight;
    const context = canvas.getContext('2d', { willReadFrequently: true });
    context.drawImage(image, 0, 0);
    return { ink: base64Of(inkOf(context, 0, 0, canvas.width, canvas.height)), width: canvas.width, height: canvas.height };
  },
};
window.rasterReady = true;
