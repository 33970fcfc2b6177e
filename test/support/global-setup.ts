import type { TestProject } from 'vitest/node';
import { startLocalStack, type LocalStack } from '../../infra/local/stack.js';

/**
 * The integration and e2e projects both list this file. Vitest runs a project's global setup
 * once per project (a root-level one would run for the root and for every project that
 * extends it, unit included), each in its own module instance but in one process: so the
 * stack is kept on globalThis, started by the first project, provided to each, and stopped by
 * the last teardown. `vitest run` with both projects starts one stack.
 */
const SHARED = Symbol.for('convene.test.localStack');
interface Shared {
  users: number;
  readonly stack: Promise<LocalStack>;
}
const registry = globalThis as typeof globalThis & { [SHARED]?: Shared };

/** Starts one in-memory local stack on free ports for the integration and e2e projects. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const shared = (registry[SHARED] ??= { users: 0, stack: start() });
  shared.users++;
  let stack: LocalStack;
  try {
    stack = await shared.stack;
  } catch (error) {
    if (--shared.users === 0 && registry[SHARED] === shared) delete registry[SHARED];
    throw error;
  }
  project.provide('localStack', stack.info);
  return async () => {
    if (--shared.users > 0) return;
    if (registry[SHARED] === shared) delete registry[SHARED];
    const stopping = performance.now();
    await stack.stop();
    console.log(`local stack stopped in ${Math.round(performance.now() - stopping)} ms`);
  };
}

async function start(): Promise<LocalStack> {
  const started = performance.now();
  const stack = await startLocalStack({ tablePrefix: 'convene-test' });
  console.log(`local stack up in ${Math.round(performance.now() - started)} ms: ${JSON.stringify(stack.info)}`);
  return stack;
}
