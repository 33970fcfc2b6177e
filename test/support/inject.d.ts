import type { LocalStackInfo } from '../../infra/local/stack.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The local stack started once by test/support/global-setup.ts (integration and e2e projects). */
    localStack: LocalStackInfo;
  }
}
