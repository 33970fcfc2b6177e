import { inject } from 'vitest';
import { localClients } from '../../infra/local/clients.js';
import type { LocalClients } from '../../infra/local/clients.js';
import type { LocalStackInfo } from '../../infra/local/stack.js';

/** The stack started by the global setup of the integration and e2e projects. */
export function localStackInfo(): LocalStackInfo {
  const info = inject('localStack');
  if (!info) throw new Error("no 'localStack' provided: run this test in the integration or e2e project");
  return info;
}

let cached: LocalClients | undefined;

/** SDK clients for that stack, made once per test file (worker). */
export function clients(): LocalClients {
  return (cached ??= localClients(localStackInfo()));
}
