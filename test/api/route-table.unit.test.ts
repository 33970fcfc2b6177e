/** The hono apps and the route table (which the CDK stack and OpenAPI use) name the same routes. */
import { describe, expect, it } from 'vitest';
import { createApi, type ApiDeps } from '../../functions/api/app.js';
import { createRecordingsApi } from '../../functions/recordings-api/app.js';
import { routes } from '../../functions/api/route-table.js';
import type { RecordingStore } from '../../functions/adapters/recordings/recording-store.js';
import type { RateLimitCounter } from '../../functions/adapters/rate-limits/rate-limit-counter.js';

// The app refuses to be built without a rate limit for the public routes that act (http-app.ts).
const rateLimit = { counter: {} as RateLimitCounter };

/** What an app serves, in the route table's `METHOD /path/{param}` form. Nothing is called while routes are only listed. */
const served = (app: { routes: { method: string; path: string }[] }) =>
  new Set(app.routes.filter((r) => r.method !== 'ALL').map((r) => `${r.method} ${r.path.replace(/:(\w+)(\{[^}]*\})?/g, '{$1}')}`));
const keysOf = (fn: 'api' | 'recordings' | 'all') =>
  new Set(routes.filter((r) => fn === 'all' || (fn === 'recordings') === ('fn' in r && r.fn === 'recordings')).map((r) => `${r.method} ${r.path}`));

describe('the route table', () => {
  it('lists exactly the routes the app serves (as `npm start` and the tests run it)', () => {
    expect(served(createApi({ recordings: {} as RecordingStore, rateLimit } as ApiDeps))).toEqual(keysOf('all'));
  });

  it('splits them over the two Lambdas: the API function has no recordings route, the recordings function only those', () => {
    expect(served(createApi({ rateLimit } as Omit<ApiDeps, 'recordings'>))).toEqual(keysOf('api'));
    expect(served(createRecordingsApi({} as Parameters<typeof createRecordingsApi>[0]))).toEqual(keysOf('recordings'));
    expect(keysOf('recordings').size).toBe(7);
  });
});
