/** The pages' stylesheet: one small static file, cached by browsers and shared caches for a day. */
import { Hono } from 'hono';
import { STYLESHEET } from '../../pages/stylesheet.js';
import { mount } from '../mount-route.js';

export function assetRoutes() {
  const app = new Hono();
  mount(app, 'stylesheet', (c) => c.body(STYLESHEET, 200, { 'Content-Type': 'text/css; charset=utf-8', 'Cache-Control': 'public, max-age=86400' }));
  return app;
}
