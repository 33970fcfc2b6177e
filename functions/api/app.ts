/**
 * The HTTP API: one hono app that runs as the API Lambda and, unchanged, on Node for
 * `npm start`. Every error becomes an RFC 9457 problem document here.
 */
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { ConveneEvent } from '../../events/registry.js';
import type { EventStore } from '../adapters/event-store/event-store.js';
import { requireOrganiser, type OrganiserVariables, type TokenVerifier } from './auth.js';
import { openApiDocument } from './openapi.js';
import { ApiError, toProblem } from './problems.js';
import { adminSeriesRoutes } from './routes/admin-series.js';
import { publicSeriesRoutes } from './routes/public-series.js';
import { registrationRoutes, type RegistrationDeps } from './routes/registrations.js';
import { unsubscribeRoutes } from './routes/unsubscribe.js';
import { recordingRoutes } from './routes/recordings.js';
import type { RecordingStore } from '../adapters/recordings/recording-store.js';
import type { MemberDirectory } from '../adapters/members/member-directory.js';
import type { TokenSigner } from '../security/signed-token.js';
import type { ReadModelStore } from '../adapters/read-models/read-model-store.js';

export const MAX_BODY_BYTES = 64 * 1024;

export interface ApiDeps {
  readonly store: EventStore<ConveneEvent>;
  readonly readModels: ReadModelStore;
  /** Public base URL of the API, for links in feeds. */
  readonly baseUrl: string;
  readonly members: MemberDirectory;
  readonly signer: TokenSigner;
  readonly sendConfirmation: RegistrationDeps['sendConfirmation'];
  readonly verifyOrganiserToken: TokenVerifier;
  readonly newId?: () => string;
  /** Recording files (presigned uploads and downloads). */
  readonly recordings: RecordingStore;
  /** The API's clock; tests pass their own. */
  readonly now?: () => Date;
  /** Where unexpected errors are reported (the Lambda's logger); default console.error. */
  readonly logError?: (message: string, error: unknown) => void;
}

export function createApi(deps: ApiDeps) {
  const app = new Hono<{ Variables: OrganiserVariables & { requestId: string } }>();
  const logError = deps.logError ?? ((message, error) => console.error(message, error));

  app.use(async (c, next) => {
    const given = c.req.header('x-request-id');
    const requestId = given && /^[\w.:-]{1,100}$/.test(given) ? given : crypto.randomUUID();
    c.set('requestId', requestId);
    c.header('X-Request-Id', requestId);
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

  app.get('/openapi.json', (c) => c.json(openApiDocument()));
  app.route('/', adminSeriesRoutes({ store: deps.store, ...(deps.newId ? { newId: deps.newId } : {}) }));
  app.route('/', publicSeriesRoutes({ readModels: deps.readModels, baseUrl: deps.baseUrl }));
  app.route('/', registrationRoutes(deps));
  app.route('/', unsubscribeRoutes(deps));
  app.route('/', recordingRoutes(deps));

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
