/** The hono app and the route table (which the CDK stack and OpenAPI use) name the same routes. */
import { describe, expect, it } from 'vitest';
import { createApi, type ApiDeps } from '../../functions/api/app.js';
import { routes } from '../../functions/api/route-table.js';

describe('the route table', () => {
  it('lists exactly the routes the app serves', () => {
    // Nothing is called while routes are only listed.
    const app = createApi({} as ApiDeps);
    const served = app.routes
      .filter((r) => r.method !== 'ALL')
      .map((r) => `${r.method} ${r.path.replace(/:(\w+)(\{[^}]*\})?/g, '{$1}')}`);
    expect(new Set(served)).toEqual(new Set(routes.map((r) => `${r.method} ${r.path}`)));
  });
});
