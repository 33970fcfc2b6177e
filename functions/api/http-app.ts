/**
 * What every route of the HTTP API shares, in either Lambda (functions/api, functions/
 * recordings-api) and on Node: security headers on every answer, request ids, the per-client
 * rate limit of the public routes that act (./rate-limit.ts), the body limit, organiser auth on
 * /admin, and every error as an RFC 9457 problem document.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { routePath } from 'hono/route';
import { requireOrganiser, type OrganiserVariables, type TokenVerifier } from './auth.js';
import { ApiError, toProblem } from './problems.js';
import { rateLimitedRoutes, rateLimiter, type RateLimitDeps } from './rate-limit.js';
import { honoPath } from './route-table.js';
import { fromEdgeOnly } from './edge-only.js';
import { errorAnswer } from './error-answer.js';
import type { EdgeOrigin } from '../security/edge-origin.js';

export const MAX_BODY_BYTES = 64 * 1024;
/** A participants report (one row per join) of a webinar of thousands is larger than any other body. */
export const MAX_REPORT_BYTES = 2 * 1024 * 1024;
const REPORT_PATH = /^\/admin\/series\/[^/]+\/sessions\/[^/]+\/attendance$/;

/**
 * The policy of every HTML answer (the pages behind the links in mail). The pages are markup
 * and forms that work without script: nothing may load (`default-src 'none'`) but the pages'
 * one script file from this origin (`script-src 'self'`, functions/pages/page-script.ts: it
 * fills the visitor's zone and adds local times; no inline script, no handler attribute, no
 * eval runs); inline `style` attributes are what their look
 * needs (functions/mail/compose.ts htmlDocument), so `style-src-attr` allows those, and the
 * members' pages (functions/pages/) load the one stylesheet of this origin (`style-src-elem
 * 'self'`): no `<style>` element, no other site's sheet; a form may only
 * post to this origin; no `<base>` may redirect relative links; no other site may frame a page
 * (clickjacking the "Stop mail" button).
 */
export const HTML_CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src-elem 'self'",
  "style-src-attr 'unsafe-inline'",
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** The policy of every other answer (JSON, problems, feeds): nothing to load, nothing to frame. */
export const NON_HTML_CONTENT_SECURITY_POLICY = "default-src 'none'; frame-ancestors 'none'";

/**
 * On every answer: browsers take the declared type only (no sniffing a JSON or calendar answer
 * into a page), and send no Referer from anything we serve: feed tokens and signed links travel
 * in URLs, and a Referer would hand them to the next site.
 */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
};

/** Sets the security headers on an answer, by its type; what a route set itself (Cache-Control) stays. */
function secureAnswer(headers: Headers) {
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) headers.set(name, value);
  if (/^text\/html\b/i.test(headers.get('content-type') ?? '')) {
    headers.set('Content-Security-Policy', HTML_CONTENT_SECURITY_POLICY);
    // frame-ancestors for browsers that predate it.
    headers.set('X-Frame-Options', 'DENY');
    // A page is made for the token in its URL: no cache keeps it.
    if (!headers.has('cache-control')) headers.set('Cache-Control', 'no-store');
  } else {
    headers.set('Content-Security-Policy', NON_HTML_CONTENT_SECURITY_POLICY);
  }
}

export type AppEnv = { Variables: OrganiserVariables & { requestId: string } };

export interface HttpAppDeps {
  readonly verifyOrganiserToken: TokenVerifier;
  /** Where unexpected errors are reported (the Lambda's logger); default console.error. */
  readonly logError?: (message: string, error: unknown) => void;
  /**
   * The per-client limit of the public routes that act (./rate-limit.ts). Required when the app
   * serves any of them: building such an app without it throws.
   */
  readonly rateLimit?: RateLimitDeps;
  /** Behind CloudFront (AWS): refuse requests that did not come through it, and count its viewers (./edge-only.ts). */
  readonly edgeOrigin?: EdgeOrigin;
  /** The clock of the rate limit's windows; tests pass their own. */
  readonly now?: () => Date;
}

/**
 * The route a request matched, in the route table's form (`/feeds/members/{file}`, as API
 * Gateway's access logs name it), for log lines: never the path or the query, which carry feed
 * tokens and signed links. The last matched route is the handler's, also when the error came
 * from a middleware before it.
 */
export function routePatternOf(c: Context): string {
  return routePath(c, -1).replace(/:(\w+)(\{[^}]*\})?/g, '{$1}') || '(no route)';
}

/** The report of an unexpected error (a 5xx) as an error line of a Lambda's Powertools logger. */
export function logErrorsTo(logger: Logger): (message: string, error: unknown) => void {
  return (message, error) => logger.error(message, error as Error);
}

export function httpApp(deps: HttpAppDeps, mount: (app: Hono<AppEnv>) => void) {
  const app = new Hono<AppEnv>();
  const logError = deps.logError ?? ((message, error) => console.error(message, error));

  // First, so it sees every answer: a route's, a middleware's refusal, the not-found and error handlers'.
  app.use(async (c, next) => {
    await next();
    try {
      secureAnswer(c.res.headers);
    } catch {
      // A Response with immutable headers (one fetched from elsewhere): copy it.
      c.res = new Response(c.res.body, c.res);
      secureAnswer(c.res.headers);
    }
  });
  app.use(async (c, next) => {
    const given = c.req.header('x-request-id');
    const requestId = given && /^[\w.:-]{1,100}$/.test(given) ? given : crypto.randomUUID();
    c.set('requestId', requestId);
    c.header('X-Request-Id', requestId);
    await next();
  });
  // No route reads content on a GET or HEAD: refuse it rather than ignore it, so a cache or
  // proxy in front cannot read the request differently from us. (On Lambda, hono's adapter
  // already answers such a request with a plain-text 400; on Node it would be served.)
  app.use(async (c, next) => {
    const method = c.req.method;
    const length = c.req.header('content-length');
    if ((method === 'GET' || method === 'HEAD') && ((length !== undefined && length.trim() !== '0') || c.req.header('transfer-encoding') !== undefined)) {
      throw new ApiError(400, 'unexpected-body', 'Bad request', `A ${method} request carries no body.`);
    }
    await next();
  });
  // Forms act only from our own pages: a browser says where a form came from (Sec-Fetch-Site),
  // and one sent from another site is refused before anything is read. No credential rides
  // along anyway (no cookies: each member link carries its own token), so this is a second
  // lock. Mail providers' one-click POSTs (RFC 8058) come from their servers, which send none.
  app.use(async (c, next) => {
    if (c.req.method === 'POST' && c.req.header('sec-fetch-site') === 'cross-site' && /^(?:application\/x-www-form-urlencoded|multipart\/form-data|text\/plain)\b/i.test(c.req.header('content-type') ?? '')) {
      throw new ApiError(403, 'cross-site-form', 'Cross-site form refused', 'A form from another site cannot act here: open the page on this site and send the form from there.');
    }
    await next();
  });
  if (deps.edgeOrigin) app.use(fromEdgeOnly(deps.edgeOrigin, logError));
  // Before the body is read: a script sending garbage is counted as much as one sending forms.
  if (deps.rateLimit) {
    const limit = rateLimiter({ ...deps.rateLimit, logError, ...(deps.now ? { now: deps.now } : {}) });
    for (const route of rateLimitedRoutes) app.on(route.method, honoPath(route), limit);
  }
  const limitTo = (maxSize: number) =>
    bodyLimit({
      maxSize,
      onError: () => {
        throw new ApiError(413, 'body-too-large', 'Body too large', `A request body may be at most ${maxSize / 1024} KiB.`);
      },
    });
  const bodies = limitTo(MAX_BODY_BYTES);
  const reports = limitTo(MAX_REPORT_BYTES);
  app.use((c, next) => (REPORT_PATH.test(c.req.path) ? reports(c, next) : bodies(c, next)));
  app.use('/admin/*', requireOrganiser(deps.verifyOrganiserToken));
  const before = app.routes.length;
  mount(app);
  if (!deps.rateLimit) {
    const mounted = new Set(app.routes.slice(before).map((r) => `${r.method} ${r.path}`));
    const unlimited = rateLimitedRoutes.filter((r) => mounted.has(`${r.method} ${honoPath(r)}`));
    if (unlimited.length > 0) throw new Error(`${unlimited.map((r) => `${r.method} ${r.path}`).join(', ')} must be rate limited: pass rateLimit`);
  }

  // A page for a browser, problem+json for a program (./error-answer.tsx).
  app.notFound((c) => {
    const { problem } = toProblem(new ApiError(404, 'not-found', 'Not found', `There is no ${c.req.method} ${c.req.path}.`));
    return errorAnswer(c, problem);
  });
  app.onError((error, c) => {
    const { problem, headers } = toProblem(error);
    // The route pattern, never the path: feed paths and link queries carry credentials.
    if (problem.status >= 500) logError(`${c.req.method} ${routePatternOf(c)} failed`, error);
    return errorAnswer(c, problem, headers);
  });
  return app;
}
