/** Mounting a handler on a route of the route table, by the route's name: its method and path come from the table. */
import type { Env, Hono } from 'hono';
import type { H } from 'hono/types';
import { honoPath, routeNamed, type HonoPath, type RouteName, type RouteNamed } from './route-table.js';

export function mount<E extends Env, N extends RouteName>(app: Hono<E>, name: N, handler: H<E, HonoPath<RouteNamed<N>['path']>>): void {
  const route = routeNamed(name);
  app.on(route.method, honoPath(route), handler);
}
