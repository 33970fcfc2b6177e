/**
 * The HTTP API: one hono app that runs as the API Lambda and, unchanged, on Node for
 * `npm start`. Every error becomes an RFC 9457 problem document here.
 */
import type { ConveneEvent } from '../../events/registry.js';
import type { EventStore } from '../adapters/event-store/event-store.js';
import type { TokenVerifier } from './auth.js';
import { openApiDocument } from './openapi.js';
import { adminSeriesRoutes } from './routes/admin-series.js';
import { publicSeriesRoutes } from './routes/public-series.js';
import { registrationRoutes } from './routes/registrations.js';
import { registrationLinkRoutes } from './routes/registration-links.js';
import { manageRoutes } from './routes/manage.js';
import { assetRoutes } from './routes/assets.js';
import { memberAccess } from './member-access.js';
import type { ManageAttempts } from '../adapters/members/manage-attempts.js';
import { memberFeedRoutes } from './routes/member-feed.js';
import { feedReadsFrom, type FeedReads } from '../read-models/member-feed-reads.js';
import { joinRoutes } from './routes/join.js';
import { attendanceRoutes } from './routes/attendance.js';
import { certificateRoutes } from './routes/certificates.js';
import { memberHistoryRoutes } from './routes/member-history.js';
import { fairTimesRoutes } from './routes/fair-times.js';
import { unsubscribeRoutes } from './routes/unsubscribe.js';
import { recordingRoutes } from './routes/recordings.js';
import { httpApp } from './http-app.js';
import type { RecordingStore } from '../adapters/recordings/recording-store.js';
import type { MemberDirectory } from '../adapters/members/member-directory.js';
import type { RegistrationIntake } from '../adapters/intake/registration-intake.js';
import type { TokenSigner } from '../security/signed-token.js';
import type { ReadModelStore } from '../read-models/read-model-store.js';
import type { FailureReader } from '../adapters/deliveries/delivery-failures.js';
import { undeliverableRoutes } from './routes/undeliverable.js';
import type { RateLimitDeps } from './rate-limit.js';
import { mount } from './mount-route.js';
import type { EdgeOrigin } from '../security/edge-origin.js';

export { MAX_BODY_BYTES } from './http-app.js';

export interface ApiDeps {
  readonly store: EventStore<ConveneEvent>;
  readonly readModels: ReadModelStore;
  /** The dispatcher's record of mail it could not send (the delivery ledger's failures index). */
  readonly failures: FailureReader;
  /** Public base URL of the API, for links in feeds. */
  readonly baseUrl: string;
  readonly members: MemberDirectory;
  /** Members' registration requests, kept for the intake (functions/intake/). */
  readonly intake: RegistrationIntake;
  /** Requests for a manage link with an address that is no member's (see routes/manage.tsx). */
  readonly manageAttempts: ManageAttempts;
  /** Signs and reads the links mailed to members (functions/links/member-links.ts). */
  readonly signer: TokenSigner;
  readonly verifyOrganiserToken: TokenVerifier;
  readonly newId?: () => string;
  /** Recording files (presigned uploads and downloads). */
  readonly recordings: RecordingStore;
  /** The API's clock; tests pass their own. */
  readonly now?: () => Date;
  /**
   * What personal feeds read: `batchedFeedReads` (one BatchGetItem per request) where the
   * DynamoDB client is at hand; default: the same reads through the stores, in parallel.
   */
  readonly feedReads?: FeedReads;
  /** Where unexpected errors are reported (the Lambda's logger); default console.error. */
  readonly logError?: (message: string, error: unknown) => void;
  /** The per-client limit of the public routes that act (./rate-limit.ts): its counter, and its limits where not the real ones. */
  readonly rateLimit: RateLimitDeps;
  /** Behind CloudFront (AWS): requests that did not come through it are refused (./edge-only.ts). */
  readonly edgeOrigin?: EdgeOrigin;
}

/**
 * The API: every route (what `npm start` and the tests serve). On Lambda the routes are split
 * over two functions (route-table.ts `fn`): this app without `recordings` runs as the API
 * Lambda, `createRecordingsApi` (functions/recordings-api/app.ts) as the recordings Lambda, so the one serving feeds carries no
 * S3 client and may not touch the bucket.
 */
export function createApi(deps: Omit<ApiDeps, 'recordings'> & { readonly recordings?: RecordingStore }) {
  return httpApp(deps, (app) => {
    mount(app, 'openapi', (c) => c.json(openApiDocument()));
    app.route('/', adminSeriesRoutes({ store: deps.store, ...(deps.newId ? { newId: deps.newId } : {}), ...(deps.now ? { now: deps.now } : {}) }));
    app.route('/', publicSeriesRoutes({ readModels: deps.readModels, baseUrl: deps.baseUrl }));
    app.route('/', assetRoutes());
    app.route('/', registrationRoutes({ ...deps, ...(deps.now ? { clock: deps.now } : {}) }));
    const access = memberAccess({ ...deps, ...(deps.now ? { clock: deps.now } : {}) });
    app.route('/', registrationLinkRoutes({ access, members: deps.members }));
    app.route('/', manageRoutes({ access, members: deps.members, manageAttempts: deps.manageAttempts }));
    app.route('/', memberFeedRoutes({ read: deps.feedReads ?? feedReadsFrom(deps), baseUrl: deps.baseUrl, signer: deps.signer }));
    app.route('/', unsubscribeRoutes({ ...deps, ...(deps.now ? { clock: deps.now } : {}) }));
    app.route('/', joinRoutes({ ...deps, ...(deps.now ? { clock: deps.now } : {}) }));
    app.route('/', attendanceRoutes({ ...deps, ...(deps.now ? { clock: deps.now } : {}) }));
    app.route('/', certificateRoutes({ ...deps, ...(deps.now ? { clock: deps.now } : {}) }));
    app.route('/', memberHistoryRoutes(deps));
    app.route('/', fairTimesRoutes({ ...deps, ...(deps.now ? { clock: deps.now } : {}) }));
    app.route('/', undeliverableRoutes(deps));
    if (deps.recordings) app.route('/', recordingRoutes({ ...deps, recordings: deps.recordings }));
  });
}

