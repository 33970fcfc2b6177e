import type { TestProject } from 'vitest/node';
import { startLocalStack } from '../../infra/local/stack.js';

/** Starts one in-memory local stack on free ports for the integration project. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const started = performance.now();
  const stack = await startLocalStack({ tablePrefix: 'convene-test' });
  console.log(`local stack up in ${Math.round(performance.now() - started)} ms: ${JSON.stringify(stack.info)}`);
  project.provide('localStack', stack.info);
  return async () => {
    const stopping = performance.now();
    await stack.stop();
    console.log(`local stack stopped in ${Math.round(performance.now() - stopping)} ms`);
  };
}
