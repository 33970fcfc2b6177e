/** The pages' stylesheet: one small static file, cached by browsers and shared caches for a day. */
import { Hono } from 'hono';
import { STYLESHEET_PATH } from '../../pages/layout.js';
import { STYLESHEET } from '../../pages/stylesheet.js';

export function assetRoutes() {
  const app = new Hono();
  app.get(STYLESHEET_PATH, (c) => c.body(STYLESHEET, 200, { 'Content-Type': 'text/css; charset=utf-8', 'Cache-Control': 'public, max-age=86400' }));
  return app;
}
