/**
 * Where the language switch of a page leads: the same page in another language. A page a GET
 * shows links to itself with `?lang=`. The answer of a POST (and an error it met) must not send
 * the form again, so it links to the page a GET of the same thing shows now: the member's link
 * itself (confirm, unregister, unsubscribe, manage link: their GET pages show what the POST
 * left), the member's own page for everything under /manage and for an accepted change, the
 * series page for a registration. Query parameters (the signed token) go along; the pages
 * carry `Referrer-Policy: no-referrer`.
 */
import type { Context } from 'hono';
import type { PageLanguage } from '../pages/texts/index.js';

/** The GET page that shows what a POST to this path did. */
export function pageAfterPost(path: string): string {
  if (/^\/manage\/[^/]+$/.test(path)) return '/manage';
  const series = /^(\/series\/[^/]+)\/registrations$/.exec(path);
  return series ? series[1]! : path;
}

/**
 * The switch's link for each language, for the page answering this request; `page`: the GET
 * page to link instead (after accepting a change, whose link is spent: the member's own page).
 */
export function languageSwitch(c: Context, page?: string): (language: PageLanguage) => string {
  const here = new URL(page ?? c.req.url, c.req.url);
  const path = page !== undefined || c.req.method === 'GET' || c.req.method === 'HEAD' ? here.pathname : pageAfterPost(here.pathname);
  return (language) => {
    const params = new URLSearchParams(here.search);
    params.set('lang', language);
    return `${path}?${params.toString()}`;
  };
}
