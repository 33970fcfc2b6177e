/**
 * What every route of the HTTP API shares, in either Lambda (functions/api, functions/
 * recordings-api) and on Node: request ids, the body limit, organiser auth on /admin, and every
 * error as an RFC 9457 problem document.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { routePath } from 'hono/route';
import { requireOrganiser, type OrganiserVariables, type TokenVerifier } from './auth.js';
import { ApiError, toProblem } from './problems.js';

export const MAX_BODY_BYTES = 64 * 1024;

export type AppEnv = { Variables: OrganiserVariables & { requestId: string } };

export interface HttpAppDeps {
  readonly verifyOrganiserToken: TokenVerifier;
  /** Where unexpected errors are reported (the Lambda's logger); default console.error. */
  readonly logError?: (message: string, error: unknown) => void;
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
  app.use(
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: () => {
        throw new ApiError(413, 'body-too-large', 'Body too large', `A request body may be at most ${MAX_BODY_BYTES / 1024} KiB.`);
      },
    }),
  );
  app.use('/admin/*', requireOrganiser(deps.verifyOrganiserToken));
  mount(app);

  app.notFound((c) => {
    const { problem } = toProblem(new ApiError(404, 'not-found', 'Not found', `There is no ${c.req.method} ${c.req.path}.`));
    return c.body(JSON.stringify(problem), 404, { 'Content-Type': 'application/problem+json' });
  });
  app.onError((error, c) => {
    const { problem, headers } = toProblem(error);
    // The route pattern, never the path: feed paths and link queries carry credentials.
    if (problem.status >= 500) logError(`${c.req.method} ${routePatternOf(c)} failed`, error);
    return c.body(JSON.stringify(problem), problem.status as 500, { ...headers, 'Content-Type': 'application/problem+json' });
  });
  return app;
}
