/**
 * What /openapi.json says of issue #15's items 12 and 13: the 429 (with Retry-After) of each
 * public route that acts, and of no other; the organiser's public contact address in the
 * series bodies; the public schedule, whose organiser has no address but the public contact
 * (checked against what the route really answers).
 */
import { describe, expect, it } from 'vitest';
import { openApiDocument } from '../../functions/api/openapi.js';
import { publicWriteRoutes, routes } from '../../functions/api/route-table.js';
import { publicSchedule } from '../../functions/api/routes/public-series.js';
import { PublicSeriesView } from '../../functions/api/schemas.js';
import type { SeriesSchedule } from '../../events/projections/schedule.js';
import { scheduledSession } from '../support/schedule-fixtures.js';

type Schema = { properties?: Record<string, Schema>; required?: string[]; additionalProperties?: unknown; items?: Schema; type?: string };
type Operation = { responses: Record<string, { headers?: Record<string, unknown>; content?: Record<string, { schema: Schema }> }>; requestBody?: { content: Record<string, { schema: Schema }> } };
const doc = openApiDocument() as { paths: Record<string, Record<string, Operation>> };
const operation = (method: string, path: string) => doc.paths[path]![method.toLowerCase()]!;

describe('the OpenAPI document', () => {
  it('documents 429 with Retry-After on every public route that acts, and on no other route', () => {
    const keys = new Set(publicWriteRoutes.map((r) => `${r.method} ${r.path}`));
    expect(keys.size).toBe(11);
    for (const route of routes) {
      const tooMany = operation(route.method, route.path).responses['429'];
      const name = `${route.method} ${route.path}`;
      if (!keys.has(name)) {
        expect(tooMany, name).toBeUndefined();
        continue;
      }
      expect(tooMany, name).toBeDefined();
      expect(Object.keys(tooMany!.headers ?? {}), name).toEqual(['Retry-After']);
      expect(Object.keys(tooMany!.content ?? {}).sort(), name).toEqual(['application/problem+json', 'text/html']);
    }
  });

  it('takes the organiser’s public contact address, optional, in the series bodies', () => {
    for (const [method, path] of [['POST', '/admin/series'], ['PATCH', '/admin/series/{seriesId}']] as const) {
      const organiser = operation(method, path).requestBody!.content['application/json']!.schema.properties!['organiser']!;
      expect(Object.keys(organiser.properties!).sort(), `${method} ${path}`).toEqual(['contactEmail', 'email', 'name']);
      expect(organiser.required!.sort(), `${method} ${path}`).toEqual(['email', 'name']);
    }
  });

  it('shows the public schedule’s organiser: the name and the public contact, nothing else', () => {
    const schema = operation('GET', '/series/{seriesId}').responses['200']!.content!['application/json']!.schema;
    const organiser = schema.properties!['organiser']!;
    expect(Object.keys(organiser.properties!).sort()).toEqual(['contactEmail', 'name']);
    expect(organiser.additionalProperties).toBe(false);
  });

  it('describes what GET /series/{seriesId} answers (the schema is checked against the route’s own rendering)', () => {
    const schedule: SeriesSchedule = {
      seriesId: 'care',
      version: 4,
      kind: 'lecture-series',
      title: { en: 'Care' },
      description: {},
      timeZone: 'America/Guayaquil',
      languages: ['en', 'es'],
      organiser: { name: 'Care Centre', email: 'private@example.org', contactEmail: 'hello@example.org' },
      reminderOffsets: ['P1D'],
      createdAt: '2027-01-10T09:00:00.000Z',
      updatedAt: '2027-02-01T12:00:00.000Z',
      sessions: [
        scheduledSession('2027-01-10T09:00:00.000Z', {
          sessionId: 'one',
          title: { en: 'One' },
          startsAt: '2027-05-23T15:00:00.000Z',
          endsAt: '2027-05-23T16:00:00.000Z',
          capacity: 50,
          recording: { publishedAt: '2027-05-24T00:00:00.000Z', files: [{ asset: 'recording', uploadId: 'u1', fileName: 'one.mp4', contentType: 'video/mp4', size: 10, objectKey: 'recordings/care/one/u1' }] },
        }),
        scheduledSession('2027-01-10T09:00:00.000Z', { sessionId: 'two', title: { es: 'Dos' }, startsAt: '2027-05-30T15:00:00.000Z', endsAt: '2027-05-30T16:00:00.000Z', status: 'cancelled', joinUrl: 'https://webinar.example.org/secret' }),
      ],
    };
    const answer = publicSchedule(schedule, 'https://convene.example.org');
    expect(PublicSeriesView.parse(answer)).toEqual(answer);
    expect(JSON.stringify(answer)).not.toContain('private@example.org');
    expect(JSON.stringify(answer)).not.toContain('secret');
  });
});
