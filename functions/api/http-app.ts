/**
 * What every route of the HTTP API shares, in either Lambda (functions/api, functions/
 * recordings-api) and on Node: request ids, the body limit, organiser auth on /admin, and every
 * error as an RFC 9457 problem document.
 */
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { requireOrganiser, type OrganiserVariables, type TokenVerifier } from './auth.js';
import { ApiError, toProblem } from './problems.js';

export const MAX_BODY_BYTES = 64 * 1024;

export type AppEnv = { Variables: OrganiserVariables & { requestId: string } };

export interface HttpAppDeps {
  readonly verifyOrganiserToken: TokenVerifier;
  /** Where unexpected errors are reported (the Lambda's logger); default console.error. */
  readonly logError?: (message: string, error: unknown) => void;
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
    if (problem.status >= 500) logError(`${c.req.method} ${c.req.path} failed`, error);
    return c.body(JSON.stringify(problem), problem.status as 500, { ...headers, 'Content-Type': 'application/problem+json' });
  });
  return app;
}
