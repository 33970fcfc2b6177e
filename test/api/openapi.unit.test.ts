/** /openapi.json is a valid OpenAPI 3.1 document (checked by an independent validator) covering every route. */
import { Validator } from '@seriousme/openapi-schema-validator';
import { describe, expect, it } from 'vitest';
import { openApiDocument } from '../../functions/api/openapi.js';
import { routes } from '../../functions/api/route-table.js';

describe('the OpenAPI document', () => {
  const doc = openApiDocument() as { paths: Record<string, Record<string, { security: unknown[]; requestBody?: unknown }>> };

  it('validates against the OpenAPI 3.1 schema', async () => {
    const validator = new Validator();
    const result = await validator.validate(structuredClone(doc) as Parameters<Validator['validate']>[0]);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe('3.1');
  });

  it('has every route of the route table, with organiser security where the route needs it', () => {
    for (const route of routes) {
      const operation = doc.paths[route.path]?.[route.method.toLowerCase()];
      expect(operation, `${route.method} ${route.path}`).toBeDefined();
      expect(operation!.security.length > 0).toBe(route.auth === 'organiser');
    }
  });

  it("documents the members' links and pages: the signed token each takes, and each form as a form or JSON", () => {
    type Operation = { parameters: { name: string; in: string }[]; requestBody?: { content: Record<string, { schema: { properties?: Record<string, unknown> } }> }; responses: Record<string, unknown> };
    const op = (method: string, path: string) => doc.paths[path]![method] as unknown as Operation;
    for (const [method, path] of [['get', '/registrations/confirm'], ['post', '/registrations/confirm'], ['get', '/registrations/change'], ['post', '/registrations/change'], ['get', '/manage'], ['post', '/manage/preferences']]) {
      expect(op(method!, path!).parameters.filter((p) => p.in === 'query').map((p) => p.name), `${method} ${path}`).toEqual(['token']);
      expect(Object.keys(op(method!, path!).responses), `${method} ${path}`).toEqual(expect.arrayContaining(['404', '410']));
    }
    const preferences = op('post', '/manage/preferences').requestBody!.content;
    expect(Object.keys(preferences)).toEqual(['application/x-www-form-urlencoded', 'application/json']);
    expect(Object.keys(preferences['application/x-www-form-urlencoded']!.schema.properties!)).toEqual(['language', 'timeZone', 'reminders']);
    expect(Object.keys(op('post', '/members/manage-link').requestBody!.content['application/json']!.schema.properties!)).toEqual(['email']);
    // Gone: the feed token acts for nobody.
    expect(doc.paths['/members/feed-token']).toBeUndefined();
    expect(doc.paths['/series/{seriesId}/registrations']!.delete).toBeUndefined();
  });

  it('documents request bodies from the zod schemas the API validates with', () => {
    const body = (doc.paths['/admin/series/{seriesId}/sessions']!.post!.requestBody as { content: Record<string, { schema: { properties: Record<string, unknown>; required: string[] } }> })
      .content['application/json']!.schema;
    expect(Object.keys(body.properties)).toEqual(expect.arrayContaining(['title', 'start', 'durationMinutes', 'language', 'speakers', 'joinUrl', 'capacity']));
    expect(body.required).toEqual(expect.arrayContaining(['title', 'start']));
    const registration = (doc.paths['/series/{seriesId}/registrations']!.post!.requestBody as { content: Record<string, { schema: { required: string[] } }> })
      .content['application/json']!.schema;
    expect(registration.required).toEqual(expect.arrayContaining(['email', 'name', 'language', 'timeZone']));
    expect(doc.paths['/admin/series/{seriesId}/registrations']!.post!.requestBody).toBeDefined();
  });

  it('documents an upload as a POST form fixing size, type and checksum, or parts that each sign their size', () => {
    type Variant = { properties: Record<string, { const?: string; description?: string; properties?: Record<string, any> }>; required: string[] };
    const created = (doc.paths['/admin/series/{seriesId}/sessions/{sessionId}/recording/uploads']!.post as unknown as { responses: Record<string, { content: Record<string, { schema: { oneOf: Variant[] } }> }> })
      .responses['201']!.content['application/json']!.schema.oneOf;
    const variant = (method: string) => created.find((v) => v.properties.method?.const === method)!;
    expect(created.map((v) => v.properties.method?.const).sort()).toEqual(['POST', 'multipart']);
    expect(variant('POST').required).toEqual(expect.arrayContaining(['uploadUrl', 'fields']));
    expect(variant('POST').properties.fields!.description).toMatch(/content-length-range.*Content-Type.*checksum/);
    expect(variant('POST').properties).not.toHaveProperty('headers');
    const part = variant('multipart').properties.multipart!.properties!.parts.items;
    expect(part.properties.url.description).toMatch(/signs Content-Length/);
  });
});
