import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

type StartSes = (config?: Partial<{ host: string; port: number }>) => Promise<Server>;

// STACK trap 5: tsx and vitest disagree on default interop; go through require.
const startSes = createRequire(import.meta.url)('aws-ses-v2-local').default as StartSes;

export interface SesLocal {
  readonly endpoint: string;
  readonly port: number;
  /** The child's pid, when it runs in a process of its own (startSesLocalProcess). */
  readonly pid?: number;
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

const CHILD = fileURLToPath(new URL('./ses-local-process.ts', import.meta.url));

/**
 * Starts aws-ses-v2-local in a child process of its own (./ses-local-process.ts), so that what
 * sends mail (a benchmark's dispatcher) does not share its event loop with the stand-in that
 * parses every mail it receives. Stopped by the child's pid.
 */
export async function startSesLocalProcess(port = 0): Promise<SesLocal> {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, String(port)], { stdio: ['ignore', 'pipe', 'inherit'], env: process.env });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const actual = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      out += chunk;
      const line = /^listening (\d+)$/m.exec(out);
      if (line) resolve(Number(line[1]));
    });
    child.once('error', reject);
    child.once('exit', (code, signal) => reject(new Error(`aws-ses-v2-local (own process) exited ${code ?? signal} before listening`)));
  }).catch(async (error: unknown) => {
    if (child.exitCode === null) process.kill(child.pid!, 'SIGKILL');
    await exited;
    throw error;
  });
  return {
    endpoint: `http://127.0.0.1:${actual}`,
    port: actual,
    pid: child.pid!,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) process.kill(child.pid!, 'SIGTERM');
      await exited;
    },
  };
}
