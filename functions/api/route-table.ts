/**
 * Every HTTP route of the API, declared once: the hono apps mount their handlers on these by
 * name (`mount`, ./mount-route.ts), and the CDK stack creates the same routes on the HTTP API,
 * with the JWT authorizer where `auth` is `organiser`. Paths use API Gateway's `{param}`
 * syntax; hono's form is derived from them (`honoPath`).
 */
import type { MemberLinkAction } from '../links/member-links.js';

/** A feed file: `<name>.ics`. */
const ICS_FILE = '[^/]+\\.ics';

export type RouteAuth = 'organiser' | 'public';

export interface RouteDefinition {
  /** How the handler that serves it names it (mount-route.ts). */
  readonly name: string;
  readonly method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  readonly path: string;
  readonly auth: RouteAuth;
  readonly summary: string;
  /** The Lambda that serves it: the API function unless `recordings` (functions/recordings-api/). */
  readonly fn?: 'recordings';
  /** The signed link the caller holds (a public route that takes `?token=`). */
  readonly link?: MemberLinkAction;
  /** What a path parameter must match, where the API refuses anything else with a 404 (hono only; API Gateway passes any). */
  readonly params?: Readonly<Record<string, string>>;
}

export const routes = [
  { name: 'createSeries', method: 'POST', path: '/admin/series', auth: 'organiser', summary: 'Create a lecture series or a virtual dialogue' },
  { name: 'listSeries', method: 'GET', path: '/admin/series', auth: 'organiser', summary: 'List every series with its version' },
  { name: 'getSeries', method: 'GET', path: '/admin/series/{seriesId}', auth: 'organiser', summary: 'A series as it is now, or as it stood at ?asOf=' },
  { name: 'changeSeries', method: 'PATCH', path: '/admin/series/{seriesId}', auth: 'organiser', summary: 'Change the details of a series' },
  { name: 'seriesHistory', method: 'GET', path: '/admin/series/{seriesId}/history', auth: 'organiser', summary: 'The audit trail: every event with who, when and what' },
  { name: 'scheduleSession', method: 'POST', path: '/admin/series/{seriesId}/sessions', auth: 'organiser', summary: 'Schedule a session' },
  { name: 'changeSession', method: 'PATCH', path: '/admin/series/{seriesId}/sessions/{sessionId}', auth: 'organiser', summary: 'Reschedule a session or change its details' },
  { name: 'cancelSession', method: 'POST', path: '/admin/series/{seriesId}/sessions/{sessionId}/cancel', auth: 'organiser', summary: 'Cancel a session, with a reason' },
  { name: 'sessionRegistrations', method: 'GET', path: '/admin/series/{seriesId}/sessions/{sessionId}/registrations', auth: 'organiser', summary: 'Who has a seat and who waits, in order, with answers and attendance (JSON, or CSV with Accept: text/csv)' },
  { name: 'memberHistory', method: 'GET', path: '/admin/series/{seriesId}/member-history/{memberId}', auth: 'organiser', summary: "One member's audit trail in a series: registration, answers from the calendar app, attendance, certificates, and their member-wide preferences and consent" },
  { name: 'fairTimes', method: 'GET', path: '/admin/series/{seriesId}/fair-times', auth: 'organiser', summary: "How fair the series' times are to its registrants' zones (or chosen members'): its sessions scored, candidates scored, the best times between two dates, a rotation sharing the nights out, a twin session; JSON, or a heat map of the week with Accept: image/svg+xml" },
  { name: 'issueCertificates', method: 'POST', path: '/admin/series/{seriesId}/certificates', auth: 'organiser', summary: "Issue certificates of participation now to every member who meets the series' rule (each member once)" },
  { name: 'revokeCertificate', method: 'POST', path: '/admin/series/{seriesId}/certificates/{certificateId}/revoke', auth: 'organiser', summary: 'Revoke a certificate: its verification page says so from now on' },
  { name: 'importAttendance', method: 'POST', path: '/admin/series/{seriesId}/sessions/{sessionId}/attendance', auth: 'organiser', summary: "Import a meeting's participants report (Zoom's or BigBlueButton's CSV): members matched by address; rows that match no member are reported" },
  { name: 'registerMembers', method: 'POST', path: '/admin/series/{seriesId}/registrations', auth: 'organiser', summary: 'Register members in bulk (already consented: no confirmation mail)' },
  { name: 'undeliverable', method: 'GET', path: '/admin/series/{seriesId}/undeliverable', auth: 'organiser', summary: 'Mail that could not reach its members (who, why, since when, how often) and streams the projector set aside' },
  { name: 'announceUpload', method: 'POST', path: '/admin/series/{seriesId}/sessions/{sessionId}/recording/uploads', auth: 'organiser', summary: 'Announce a recording, captions, transcript or slides file: returns a presigned POST form that storage takes only at the announced size, type and checksum (or one presigned PUT per part, each signing its size)', fn: 'recordings' },
  { name: 'completeUpload', method: 'POST', path: '/admin/series/{seriesId}/sessions/{sessionId}/recording/uploads/{uploadId}/complete', auth: 'organiser', summary: 'Complete a multipart upload with the ETag of every part', fn: 'recordings' },
  { name: 'sessionRecording', method: 'GET', path: '/admin/series/{seriesId}/sessions/{sessionId}/recording', auth: 'organiser', summary: "A session's recording: its publication, its files and every upload with its fate", fn: 'recordings' },
  { name: 'publishRecording', method: 'POST', path: '/admin/series/{seriesId}/sessions/{sessionId}/recording/publish', auth: 'organiser', summary: 'Post the recording now, or at a chosen time', fn: 'recordings' },
  { name: 'withdrawRecording', method: 'POST', path: '/admin/series/{seriesId}/sessions/{sessionId}/recording/withdraw', auth: 'organiser', summary: 'Take the recording down: its links stop working and it leaves the feeds', fn: 'recordings' },
  { name: 'publicRecordings', method: 'GET', path: '/series/{seriesId}/recordings', auth: 'public', summary: 'The public archive of a series: published recordings, newest session first', fn: 'recordings' },
  { name: 'recordingFile', method: 'GET', path: '/series/{seriesId}/sessions/{sessionId}/recording/{asset}', auth: 'public', summary: 'A published file: a redirect to a short-lived download link (an organiser token previews unpublished files)', fn: 'recordings' },
  { name: 'register', method: 'POST', path: '/series/{seriesId}/registrations', auth: 'public', summary: 'Ask to register for a series: the owner of the address is mailed a link to confirm (or, for a registration they have, to accept the change); the same answer for every address' },
  { name: 'confirmPage', method: 'GET', path: '/registrations/confirm', auth: 'public', link: 'confirm', summary: 'The signed confirmation link from the mail: a page that asks for the name and to confirm (POST does it)' },
  { name: 'confirm', method: 'POST', path: '/registrations/confirm', auth: 'public', link: 'confirm', summary: 'Confirm the registration with the name given; the first confirmation shows the personal feed link once' },
  { name: 'changePage', method: 'GET', path: '/registrations/change', auth: 'public', link: 'change', summary: 'The signed link to a change someone asked for with the member\'s address: a page that shows it (POST accepts it)' },
  { name: 'acceptChange', method: 'POST', path: '/registrations/change', auth: 'public', link: 'change', summary: 'Accept the change: only now does it apply' },
  { name: 'unregisterPage', method: 'GET', path: '/registrations/unregister', auth: 'public', link: 'unregister', summary: 'The signed unregister link from the mail: a page that asks (POST does it)' },
  { name: 'unregister', method: 'POST', path: '/registrations/unregister', auth: 'public', link: 'unregister', summary: 'Leave the series the link was mailed for (also RFC 8058 one-click); a link of an earlier registration cancels nothing' },
  { name: 'managePage', method: 'GET', path: '/manage', auth: 'public', link: 'manage', summary: "The member's own page, from the signed link in every mail: registrations, sessions, language, zone, reminders, mail, calendar link" },
  { name: 'managePreferences', method: 'POST', path: '/manage/preferences', auth: 'public', link: 'manage', summary: 'Change language, time zone or reminder offsets (the signed manage link)' },
  { name: 'manageSessions', method: 'POST', path: '/manage/sessions', auth: 'public', link: 'manage', summary: "Choose a registration's sessions (the signed manage link)" },
  { name: 'manageLeave', method: 'POST', path: '/manage/leave', auth: 'public', link: 'manage', summary: 'Leave a series (the signed manage link)' },
  { name: 'manageStopMail', method: 'POST', path: '/manage/stop-mail', auth: 'public', link: 'manage', summary: "Stop one series' mail, or all mail (the signed manage link)" },
  { name: 'manageFeed', method: 'POST', path: '/manage/feed', auth: 'public', link: 'manage', summary: 'A new personal feed link, shown once; the old one stops working (the signed manage link)' },
  { name: 'manageLinkPage', method: 'GET', path: '/members/manage-link', auth: 'public', summary: 'A page to ask for the manage link by mail' },
  { name: 'manageLink', method: 'POST', path: '/members/manage-link', auth: 'public', summary: 'Mail the manage link to this address if it is a member\'s (the same answer whatever the address; at most one mail per 15 minutes)' },
  { name: 'join', method: 'GET', path: '/sessions/join', auth: 'public', link: 'join', summary: "The member's own join link of mail and feeds: redirects to the session's current meeting URL, and records that the member joined when opened from 15 minutes before the start to the end" },
  { name: 'verifyCertificate', method: 'GET', path: '/certificates/{certificateId}', auth: 'public', summary: 'The public verification page of a certificate of participation (its PDF links here): valid or revoked, for whom, which series, how many hours' },
  { name: 'unsubscribePage', method: 'GET', path: '/mail/unsubscribe', auth: 'public', link: 'unsubscribe', summary: "The signed unsubscribe link of every mail: a page that asks (POST does it)" },
  { name: 'unsubscribe', method: 'POST', path: '/mail/unsubscribe', auth: 'public', link: 'unsubscribe', summary: "One-click unsubscribe (RFC 8058): stops this series' mail for the member at once" },
  { name: 'memberFeed', method: 'GET', path: '/feeds/members/{file}', params: { file: ICS_FILE }, auth: 'public', summary: "A member's personal iCalendar feed: /feeds/members/<token>.ics" },
  { name: 'publicSeries', method: 'GET', path: '/series/{seriesId}', auth: 'public', summary: 'The public schedule of a series (no personal data, no join links)' },
  { name: 'seriesFeed', method: 'GET', path: '/feeds/series/{file}', params: { file: ICS_FILE }, auth: 'public', summary: 'The public iCalendar feed of a series: /feeds/series/<seriesId>.ics' },
  { name: 'openapi', method: 'GET', path: '/openapi.json', auth: 'public', summary: 'This API as an OpenAPI 3.1 document' },
  { name: 'stylesheet', method: 'GET', path: '/assets/convene.css', auth: 'public', summary: "The pages' stylesheet" },
  { name: 'script', method: 'GET', path: '/assets/convene.js', auth: 'public', summary: "The pages' one script (fills the visitor's zone; the pages work without it)" },
] as const satisfies readonly RouteDefinition[];

/**
 * The public routes that act (not a read): what a script can abuse without any credential. The
 * API limits each client on them (rate-limit.ts); the HTTP API throttles each of them across
 * all clients (infra/stack/http-api.ts).
 */
export const publicWriteRoutes: readonly RouteDefinition[] = (routes as readonly RouteDefinition[]).filter((r) => r.auth === 'public' && r.method !== 'GET');

export type RouteName = (typeof routes)[number]['name'];
export type RouteNamed<N extends RouteName> = Extract<(typeof routes)[number], { name: N }>;

export function routeNamed<N extends RouteName>(name: N): RouteNamed<N> {
  const route = routes.find((r): r is RouteNamed<N> => r.name === name);
  if (!route) throw new Error(`no route ${name}`);
  return route;
}

/** `/admin/series/{seriesId}` -> `/admin/series/:seriesId`, as a type. */
export type HonoPath<P extends string> = P extends `${infer Head}{${infer Param}}${infer Tail}` ? `${Head}:${Param}${HonoPath<Tail>}` : P;

/** A route's path for hono: `/admin/series/{seriesId}` -> `/admin/series/:seriesId`, with its parameters' patterns (`:file{[^/]+\.ics}`). */
export function honoPath<P extends string>(route: { readonly path: P; readonly params?: Readonly<Record<string, string>> }): HonoPath<P> {
  const path = route.path.replace(/\{(\w+)\}/g, (_, param: string) => `:${param}${route.params?.[param] ? `{${route.params[param]}}` : ''}`);
  return path as HonoPath<P>;
}

/**
 * Secrets that sign links in mail (comma-separated, at least 32 characters each; the first
 * signs), in the environment itself: locally only (`npm start`, tests, benches).
 */
export const SIGNING_SECRETS_ENV = 'SIGNING_SECRETS';
/**
 * On Lambda: the ARN of the Secrets Manager secret holding them (the same comma-separated
 * form), read at run time (functions/security/signing-secrets.ts), never put in the environment.
 */
export const SIGNING_SECRET_ARN_ENV = 'SIGNING_SECRET_ARN';
/** The From address of every mail, e.g. "Convene <no-reply@convene.example.org>". */
export const MAIL_FROM_ENV = 'MAIL_FROM';

/** The public base URL of the API (links in feeds and mail). */
export const PUBLIC_BASE_URL_ENV = 'PUBLIC_BASE_URL';

/** The group an organiser's token must carry (`cognito:groups`). */
export const ORGANISERS_GROUP = 'organisers';

/** Environment of the API function: how organiser tokens are verified. */
export const AUTH_ENV = {
  issuer: 'ORGANISER_JWT_ISSUER',
  /** A JWKS URL (Cognito: `<issuer>/.well-known/jwks.json`). */
  jwksUrl: 'ORGANISER_JWKS_URL',
  /** Or a public key as a JWK (JSON), for the local stack. */
  publicJwk: 'ORGANISER_JWT_PUBLIC_JWK',
  /** The token's `client_id` (a Cognito access token's) must equal it. */
  clientId: 'ORGANISER_JWT_CLIENT_ID',
  /**
   * The maximum age of a token in seconds, counted from its `iat` whatever its `exp` says: on
   * AWS the client's access-token validity (1 hour), locally the 30 days the local stack mints.
   */
  maxAgeSeconds: 'ORGANISER_JWT_MAX_AGE_SECONDS',
} as const;
