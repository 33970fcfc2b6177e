import { createRequire } from 'node:module';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

type StartSes = (config?: Partial<{ host: string; port: number }>) => Promise<Server>;

// STACK trap 5: tsx and vitest disagree on default interop; go through require.
const startSes = createRequire(import.meta.url)('aws-ses-v2-local').default as StartSes;

export interface SesLocal {
  readonly endpoint: string;
  readonly port: number;
  stop(): Promise<void>;
}

/**
 * Starts aws-ses-v2-local in this process on 127.0.0.1 (port 0 = any free port).
 * Its mail store is module-global: every instance in one process shares it.
 */
export async function startSesLocal(port = 0): Promise<SesLocal> {
  const server = await startSes({ host: '127.0.0.1', port });
  // Express 5 hands a listen error to the callback, so a busy port resolves a dead server.
  if (!server.listening) {
    throw new Error(`aws-ses-v2-local could not listen on 127.0.0.1:${port} (port in use?)`);
  }
  const actual = (server.address() as AddressInfo).port;
  return {
    endpoint: `http://127.0.0.1:${actual}`,
    port: actual,
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}
