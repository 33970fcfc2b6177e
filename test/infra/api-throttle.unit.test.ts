/**
 * The HTTP API's throttles (issue #15, item 13), AWS's side of the rate limit: the `$default`
 * stage keeps its throttle for every route, and each public route that acts (route-table.ts
 * `publicWriteRoutes`) has a lower one of its own, across all clients; the stage is created
 * after those routes (CloudFormation refuses route settings for a route it cannot find yet).
 * The per-client limit is the API's (test/api/rate-limit.*.test.ts): an HTTP API cannot have
 * AWS WAF attached (STACK trap 13), and has no per-client throttle of its own.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { publicWriteRoutes, routes } from '../../functions/api/route-table.js';
import { API_THROTTLE, PUBLIC_WRITE_THROTTLES } from '../../infra/stack/http-api.js';
import type { Resource } from './template-grants.js';
import { synthTestStack } from './test-stack.js';

describe('HTTP API throttles', () => {
  let stage: Resource & { DependsOn?: string[] };
  let routeIds: Map<string, string>;
  let resources: Record<string, Resource>;

  beforeAll(() => {
    const synth = synthTestStack();
    resources = synth.resources;
    const stages = synth.resourcesOfType('AWS::ApiGatewayV2::Stage');
    expect(stages).toHaveLength(1);
    stage = stages[0]![1] as Resource & { DependsOn?: string[] };
    routeIds = new Map(synth.resourcesOfType('AWS::ApiGatewayV2::Route').map(([id, r]) => [r.Properties.RouteKey as string, id]));
  });

  it('keeps the default throttle of every route', () => {
    expect(stage.Properties.DefaultRouteSettings).toEqual({ ThrottlingRateLimit: API_THROTTLE.rateLimit, ThrottlingBurstLimit: API_THROTTLE.burstLimit });
  });

  it('throttles each public route that acts by its own lower limits, and no other route', () => {
    const settings = stage.Properties.RouteSettings as Record<string, { ThrottlingRateLimit: number; ThrottlingBurstLimit: number }>;
    expect(Object.keys(settings).sort()).toEqual(publicWriteRoutes.map((r) => `${r.method} ${r.path}`).sort());
    expect(Object.keys(settings).length).toBe(11);
    for (const [key, s] of Object.entries(settings)) {
      expect(s, key).toEqual({ ThrottlingRateLimit: PUBLIC_WRITE_THROTTLES[key]!.rateLimit, ThrottlingBurstLimit: PUBLIC_WRITE_THROTTLES[key]!.burstLimit });
      expect(s.ThrottlingRateLimit, key).toBeLessThan(API_THROTTLE.rateLimit);
      expect(s.ThrottlingBurstLimit, key).toBeLessThan(API_THROTTLE.burstLimit);
      expect(routes.find((r) => `${r.method} ${r.path}` === key)?.auth, key).toBe('public');
    }
    // A registration storm still passes: a few hundred at once, 100 a second after.
    expect(settings['POST /series/{seriesId}/registrations']).toEqual({ ThrottlingRateLimit: 100, ThrottlingBurstLimit: 300 });
  });

  it('creates the stage after the routes its settings name', () => {
    for (const key of Object.keys(stage.Properties.RouteSettings as object)) {
      const id = routeIds.get(key);
      expect(id, key).toBeDefined();
      expect(resources[id!]!.Type).toBe('AWS::ApiGatewayV2::Route');
      expect(stage.DependsOn ?? [], key).toContain(id);
    }
  });
});
