/**
 * Every line this test process logs, for "nothing secret in the logs" assertions: what is
 * written to stdout and stderr (the Powertools logger writes there through a Console of its
 * own) and every console method (vitest puts its own console in place of Node's). Call it
 * before useTestApi so that the API's start and stop are captured too; what is captured is
 * not printed.
 */
import { afterAll, beforeAll } from 'vitest';

export interface CapturedLogs {
  /** Every chunk written or console call made since the file's tests started, in order. */
  readonly lines: string[];
}

const CONSOLE_METHODS = ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const;

const text = (value: unknown): string => {
  if (typeof value === 'string') return value;
  if (value instanceof Uint8Array) return Buffer.from(value).toString('utf8');
  if (value instanceof Error) return `${value.name}: ${value.message}\n${value.stack ?? ''}${value.cause ? `\ncause: ${text(value.cause)}` : ''}`;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
};

export function captureLogs(): CapturedLogs {
  const captured: CapturedLogs = { lines: [] };
  const restore: (() => void)[] = [];
  beforeAll(() => {
    for (const stream of [process.stdout, process.stderr]) {
      const write = stream.write;
      stream.write = ((chunk: unknown, ...rest: unknown[]) => {
        captured.lines.push(text(chunk));
        const callback = rest.find((r) => typeof r === 'function') as (() => void) | undefined;
        callback?.();
        return true;
      }) as typeof stream.write;
      restore.push(() => (stream.write = write));
    }
    for (const method of CONSOLE_METHODS) {
      const original = console[method];
      console[method] = (...args: unknown[]) => void captured.lines.push(args.map(text).join(' '));
      restore.push(() => (console[method] = original));
    }
  });
  afterAll(() => {
    for (const undo of restore.splice(0).reverse()) undo();
  });
  return captured;
}
