/** /openapi.json: OpenAPI 3.1, generated from the route table and the same zod schemas the API validates with. */
// A namespace import: esbuild then keeps only the parts of zod in use (not its 64 locales).
import * as z from 'zod';
import { publicWriteRoutes, routes, type RouteDefinition } from './route-table.js';
import { PUBLIC_WRITE_LIMITS } from './rate-limit.js';
import { FairTimesQuery } from './fair-times-query.js';
import { BulkRegisterBody, RegisterBody } from './routes/registrations.js';
import { RegistrationFormFields } from './registration-form.js';
import { ConfirmForm, EmptyForm, ManageLinkForm, PreferencesForm, SeriesForm, SessionsForm, StopMailForm } from './member-forms.js';
import {
  CancelSessionBody,
  ChangeSeriesBody,
  CompleteUploadBody,
  PublishRecordingBody,
  RecordingUploadBody,
  RecordingUploadView,
  WithdrawRecordingBody,
  ChangeSessionBody,
  CreateSeriesBody,
  HistoryView,
  Problem,
  PublicSeriesView,
  ScheduledSessionView,
  ScheduleSessionBody,
  SeriesListView,
  SeriesView,
  UndeliverableView,
} from './schemas.js';

type Key = `${RouteDefinition['method']} ${string}`;

const bodies: Partial<Record<Key, z.ZodType>> = {
  'POST /admin/series': CreateSeriesBody,
  'PATCH /admin/series/{seriesId}': ChangeSeriesBody,
  'POST /admin/series/{seriesId}/sessions': ScheduleSessionBody,
  'PATCH /admin/series/{seriesId}/sessions/{sessionId}': ChangeSessionBody,
  'POST /admin/series/{seriesId}/sessions/{sessionId}/cancel': CancelSessionBody,
  'POST /admin/series/{seriesId}/sessions/{sessionId}/recording/uploads': RecordingUploadBody,
  'POST /admin/series/{seriesId}/sessions/{sessionId}/recording/uploads/{uploadId}/complete': CompleteUploadBody,
  'POST /admin/series/{seriesId}/sessions/{sessionId}/recording/publish': PublishRecordingBody,
  'POST /admin/series/{seriesId}/sessions/{sessionId}/recording/withdraw': WithdrawRecordingBody,
  'POST /series/{seriesId}/registrations': RegisterBody,
  'POST /admin/series/{seriesId}/registrations': BulkRegisterBody,
};

/** The members' pages' forms: a form (application/x-www-form-urlencoded) from a page, or the same fields as JSON. */
const forms: Partial<Record<Key, z.ZodType>> = {
  'POST /registrations/confirm': ConfirmForm,
  'POST /registrations/change': EmptyForm,
  'POST /manage/preferences': PreferencesForm,
  'POST /manage/sessions': SessionsForm,
  'POST /manage/leave': SeriesForm,
  'POST /manage/stop-mail': StopMailForm,
  'POST /manage/feed': EmptyForm,
  'POST /members/manage-link': ManageLinkForm,
};

/** JSON bodies that a page's form may send as well (the series page's registration form: its problems come back as the page, 422). */
const bodyForms: Partial<Record<Key, z.ZodType>> = {
  'POST /series/{seriesId}/registrations': RegistrationFormFields,
};

const results: Partial<Record<Key, [number, z.ZodType]>> = {
  'POST /admin/series': [201, SeriesView],
  'GET /admin/series': [200, SeriesListView],
  'GET /admin/series/{seriesId}': [200, SeriesView],
  'PATCH /admin/series/{seriesId}': [200, SeriesView],
  'GET /admin/series/{seriesId}/history': [200, HistoryView],
  'POST /admin/series/{seriesId}/sessions': [201, ScheduledSessionView],
  'PATCH /admin/series/{seriesId}/sessions/{sessionId}': [200, ScheduledSessionView],
  'POST /admin/series/{seriesId}/sessions/{sessionId}/cancel': [200, ScheduledSessionView],
  'GET /admin/series/{seriesId}/undeliverable': [200, UndeliverableView],
  'POST /admin/series/{seriesId}/sessions/{sessionId}/recording/uploads': [201, RecordingUploadView],
  'GET /series/{seriesId}': [200, PublicSeriesView],
};

const limits = PUBLIC_WRITE_LIMITS.map((l) => `${l.requests} per ${l.windowSeconds === 60 ? 'minute' : l.windowSeconds === 3600 ? 'hour' : `${l.windowSeconds} s`}`).join(' and ');

/** The answer over the per-client limit of the public routes that act (rate-limit.ts). */
const rateLimited = {
  description: `Too many requests from this address (at most ${limits}); nothing was done. A page when the client asks for text/html.`,
  headers: { 'Retry-After': { description: 'Seconds until the window ends', schema: { type: 'integer', minimum: 1 } } },
  content: {
    'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } },
    'text/html': { schema: { type: 'string' } },
  },
};
const isRateLimited = (route: RouteDefinition) => publicWriteRoutes.some((r) => r.method === route.method && r.path === route.path);

const jsonSchema = (schema: z.ZodType, io: 'input' | 'output') => {
  const { $schema: _s, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' }) as Record<string, unknown>;
  return rest;
};

const problemResponse = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
});

/** The routes that read a query beyond `token` and `asOf`: each field a parameter, as the route reads it. */
const queries: Partial<Record<Key, z.ZodObject>> = {
  'GET /admin/series/{seriesId}/fair-times': FairTimesQuery,
};

const queryParameters = (schema: z.ZodObject) =>
  Object.entries(schema.shape).map(([name, field]) => ({
    name,
    in: 'query',
    required: false,
    ...(field.description ? { description: field.description } : {}),
    schema: jsonSchema(field as z.ZodType, 'input'),
  }));

export function openApiDocument(): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes as readonly RouteDefinition[]) {
    const key = `${route.method} ${route.path}` as Key;
    const params = [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'string' } }));
    const body = bodies[key];
    const form = forms[key];
    const result = results[key];
    const isWrite = route.method !== 'GET';
    // If-Match is a series' version: only the organisers' writes to a series take it.
    const takesIfMatch = isWrite && route.auth === 'organiser' && route.name !== 'createSeries';
    const link = route.link;
    const operation: Record<string, unknown> = {
      summary: route.summary,
      operationId: `${route.method.toLowerCase()}${route.path.replace(/\{(\w+)\}/g, 'By_$1').replace(/[^A-Za-z0-9]+(.)?/g, (_, c: string | undefined) => (c ?? '').toUpperCase())}`,
      ...(route.auth === 'organiser' ? { security: [{ organiserToken: [] }] } : { security: [] }),
      parameters: [
        ...params,
        ...(queries[key] ? queryParameters(queries[key]) : []),
        ...(key === 'GET /admin/series/{seriesId}'
          ? [{ name: 'asOf', in: 'query', required: false, description: 'The series as it stood at this instant', schema: { type: 'string', format: 'date-time' } }]
          : []),
        ...(isWrite && route.method === 'POST'
          ? [{ name: 'Idempotency-Key', in: 'header', required: false, description: 'A retry with the same key and body returns the first response', schema: { type: 'string', maxLength: 255 } }]
          : []),
        ...(takesIfMatch
          ? [{ name: 'If-Match', in: 'header', required: false, description: 'The ETag you read; 412 if the series changed since', schema: { type: 'string' } }]
          : []),
        ...(link
          ? [{ name: 'token', in: 'query', required: true, description: `The member's signed ${link} link, from the mail (functions/links/member-links.ts)`, schema: { type: 'string' } }]
          : []),
      ],
      ...(body
        ? {
            requestBody: {
              required: true,
              content: {
                'application/json': { schema: jsonSchema(body, 'input') },
                ...(bodyForms[key] ? { 'application/x-www-form-urlencoded': { schema: jsonSchema(bodyForms[key], 'input') } } : {}),
              },
            },
          }
        : {}),
      ...(form
        ? {
            requestBody: {
              required: false,
              content: { 'application/x-www-form-urlencoded': { schema: jsonSchema(form, 'input') }, 'application/json': { schema: jsonSchema(form, 'input') } },
            },
          }
        : {}),
      responses: {
        ...(result
          ? { [result[0]]: { description: 'OK', content: { 'application/json': { schema: jsonSchema(result[1], 'output') } } } }
          : { 200: { description: 'OK' } }),
        ...(route.auth === 'organiser' ? { 401: problemResponse('No valid token'), 403: problemResponse('Not an organiser') } : {}),
        ...(body ? { 400: problemResponse('Unreadable body'), 413: problemResponse('Body over 64 KiB'), 415: problemResponse('Not JSON'), 422: problemResponse('A field is wrong; `errors` names each') } : {}),
        ...(form ? { 415: problemResponse('Neither a form nor JSON'), 422: problemResponse('A field is wrong; `errors` names each') } : {}),
        ...(params.length > 0 ? { 404: problemResponse('Unknown id') } : {}),
        ...(link ? { 404: problemResponse('Not one of our links'), 410: problemResponse('The link expired, or what it was for is gone') } : {}),
        ...(takesIfMatch ? { 412: problemResponse('If-Match is stale') } : {}),
        ...(isRateLimited(route) ? { 429: rateLimited } : {}),
      },
    };
    (paths[route.path] ??= {})[route.method.toLowerCase()] = operation;
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Convene API',
      version: '1.0.0',
      description: 'Organisers create lecture series and virtual dialogues and schedule their sessions. Errors are RFC 9457 problem details.',
    },
    paths,
    components: {
      securitySchemes: {
        organiserToken: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description:
            'A Cognito access token of the API client, with the "organisers" group: `token_use` "access" (not an ID or refresh token), `client_id` the API\'s client, `exp` and `iat` present, and issued at most the maximum token age ago (on AWS the access-token validity, 1 hour) whatever its `exp` says.',
        },
      },
      schemas: { Problem: jsonSchema(Problem, 'output') },
    },
  };
}
