/**
 * A real browser for page tests: Debian's Chromium (`/usr/bin/chromium`, or CHROMIUM_PATH),
 * driven by playwright-core, no browser download. One browser per test file (`useBrowser`),
 * closed after it (playwright stops the process it started). axe-core checks WCAG 2.2 AA.
 */
import AxeBuilder from '@axe-core/playwright';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';

/** What the functions run in the page see (this project compiles without the DOM's types). */
interface PageElement {
  matches(selector: string): boolean;
}
declare const document: { readonly activeElement: PageElement | null; readonly body: PageElement };
declare function getComputedStyle(element: PageElement): { readonly outlineStyle: string; readonly outlineWidth: string };

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Without these, Chromium reaches for Google's hosts at start, which this machine's closed network refuses. */
const QUIET_FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export interface TestBrowser {
  /** A fresh context (no script unless `javaScriptEnabled`), closed with the browser. */
  context(options?: BrowserContextOptions): Promise<BrowserContext>;
  /**
   * axe-core's WCAG 2.2 A and AA violations of the page as it stands. axe runs as script,
   * which a context without JavaScript does not run (it never answers): the page's document
   * is shown again, at its own URL (so its stylesheet loads as before), in a context with
   * script for axe alone. The page itself runs none either way: its CSP allows no script.
   */
  accessibilityViolations(page: Page): Promise<string[]>;
}

export function useBrowser(): TestBrowser {
  let browser: Browser | undefined;
  /** The one context with script that axe runs in (a fresh page for each check). */
  let checker: BrowserContext | undefined;
  beforeAll(async () => {
    browser = await chromium.launch({ executablePath: CHROMIUM, args: QUIET_FLAGS, headless: true });
  });
  afterAll(async () => {
    checker = undefined;
    await browser?.close();
  });
  return {
    context: (options = {}) => browser!.newContext({ javaScriptEnabled: false, ...options }),
    async accessibilityViolations(page) {
      const [html, url] = [await page.content(), page.url()];
      checker ??= await browser!.newContext({ javaScriptEnabled: true });
      const copy = await checker.newPage();
      try {
        await copy.route(url, (route) => route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html }));
        await copy.goto(url);
        const result = await new AxeBuilder({ page: copy }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']).analyze();
        // Each violation as "rule: target" lines, for a readable failure.
        return result.violations.flatMap((v) => v.nodes.map((n) => `${v.id} (${v.impact}): ${n.target.join(' ')} ${n.failureSummary ?? ''}`));
      } finally {
        await copy.close();
      }
    },
  };
}

/** Presses Tab until the element matching `selector` has the focus (as a keyboard user would); fails after `max` presses. */
export async function tabTo(page: Page, selector: string, max = 80): Promise<void> {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return;
  }
  throw new Error(`${max} presses of Tab never reached ${selector}`);
}

/** Whether the focused element shows a focus ring (a visible outline). */
export async function focusIsVisible(page: Page): Promise<boolean> {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return false;
    const style = getComputedStyle(el);
    return style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2;
  });
}
