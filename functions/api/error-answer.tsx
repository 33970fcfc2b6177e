/**
 * How an error reaches its client: a page for a browser (in the visitor's language), an RFC
 * 9457 problem document for a program. Both carry the same status.
 */
import type { Context } from 'hono';
import { ErrorPage } from '../pages/error-page.js';
import { pageHtml } from '../pages/layout.js';
import type { ProblemDocument } from './problems.js';
import { languageSwitch } from './language-switch.js';
import { PAGE_VARY, wantsPage } from './negotiation.js';
import { pageTranslatorFor } from './page-language.js';

export function errorAnswer(c: Context, problem: ProblemDocument, headers: Record<string, string> = {}): Response {
  if (wantsPage(c) && !/^\/admin(?:\/|$)/.test(c.req.path)) {
    const tr = pageTranslatorFor(c);
    const html = pageHtml(<ErrorPage tr={tr} languageHref={languageSwitch(c)} status={problem.status} detail={problem.detail} manageLinkUrl={`/members/manage-link?lang=${tr.language}`} />);
    return c.body(html, problem.status as 500, { ...headers, 'Content-Type': 'text/html; charset=UTF-8', 'Cache-Control': 'no-store', Vary: PAGE_VARY });
  }
  return c.body(JSON.stringify(problem), problem.status as 500, { ...headers, 'Content-Type': 'application/problem+json' });
}
