/**
 * Which representation a request gets, from its Accept header. The routes that serve people
 * and programs at one URL default one way or the other: the public series and recordings
 * default to JSON (a page only when the browser names HTML), the members' links default to a
 * page (JSON only when a program names JSON and not HTML).
 */
import type { Context } from 'hono';

/** A browser asked for a page (its Accept names HTML); anything else gets JSON. */
export function wantsPage(c: Context): boolean {
  return /\btext\/html\b|application\/xhtml\+xml/i.test(c.req.header('accept') ?? '');
}

/** A program asked for JSON and not HTML; anything else (a browser, a mail scanner) gets the page. */
export function wantsJson(c: Context): boolean {
  const accept = c.req.header('accept') ?? '';
  return /application\/(?:[\w.+-]+\+)?json/i.test(accept) && !/text\/html/i.test(accept);
}

/** What a URL that serves people and programs varies by (a shared cache keys on these: infra/stack/edge.ts). */
export const PAGE_VARY = 'Accept, Accept-Language';
