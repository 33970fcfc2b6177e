/** The pages' stylesheet and script: small static files, cached by browsers and shared caches for a day. */
import { Hono } from 'hono';
import { STYLESHEET } from '../../pages/stylesheet.js';
import { PAGE_SCRIPT } from '../../pages/page-script.js';
import { mount } from '../mount-route.js';

export function assetRoutes() {
  const app = new Hono();
  mount(app, 'stylesheet', (c) => c.body(STYLESHEET, 200, { 'Content-Type': 'text/css; charset=utf-8', 'Cache-Control': 'public, max-age=86400' }));
  mount(app, 'script', (c) => c.body(PAGE_SCRIPT, 200, { 'Content-Type': 'text/javascript; charset=utf-8', 'Cache-Control': 'public, max-age=86400' }));
  return app;
}
