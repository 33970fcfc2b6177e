import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import type { Plugin } from 'vitest/config';

/**
 * Resolve bare imports through `main` like Node does. Vite's server environments prefer a
 * package's `module` field; the AWS SDK's is ESM without "type": "module", which Vitest then
 * transforms file by file (about 7 s in the global setup here). `main` (dist-cjs) is
 * loaded natively. Packages with `exports` are unaffected.
 */
const nodeMainFields: Plugin = {
  name: 'convene:node-main-fields',
  configEnvironment: () => ({ resolve: { mainFields: ['main'] } }),
};

/**
 * The integration and e2e projects run against the local stack: one in-memory stack for the
 * whole run, shared by both projects when they run together (see the global setup), which
 * provides 'localStack'.
 */
const onLocalStack = {
  globalSetup: ['./test/support/global-setup.ts'],
  testTimeout: 30_000,
  hookTimeout: 60_000,
};

export default defineConfig({
  // This file lives in test/ (the top level of the repository is fixed); paths are from the root.
  root: fileURLToPath(new URL('..', import.meta.url)),
  plugins: [nodeMainFields],
  test: {
    reporters: ['default', fileURLToPath(new URL('./support/summary-reporter.ts', import.meta.url))],
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/**/*.unit.test.ts'],
        },
      },
      {
        extends: true,
        test: { name: 'integration', include: ['test/**/*.int.test.ts'], ...onLocalStack },
      },
      {
        extends: true,
        test: { name: 'e2e', include: ['test/**/*.e2e.test.ts'], ...onLocalStack },
      },
    ],
  },
});
