/**
 * HTTP/1.1 written byte by byte on a TCP socket, for requests `fetch` will not send: a
 * Content-Length that lies, chunked content on a GET, a path with `..` or `%2e%2e` left as
 * written (fetch's URL parser would resolve them), header values fetch refuses.
 * Reads the first response on the connection, then closes it.
 */
import { connect } from 'node:net';

export interface RawRequest {
  readonly method: string;
  /** Sent exactly as given. */
  readonly target: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** Bytes after the header block, as given (frame them yourself for chunked). */
  readonly body?: string | Uint8Array;
  /** Half-close the connection after the body (a client that gave up sending). */
  readonly endAfterBody?: boolean;
  /** Send the body without the Content-Length this client otherwise adds (when no framing header is given). */
  readonly noContentLength?: boolean;
}

export interface RawResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly text: string;
}

const TIMEOUT_MS = 10_000;

export function rawRequest(base: string, request: RawRequest): Promise<RawResponse> {
  const { hostname, port } = new URL(base);
  const headers: Record<string, string> = { ...request.headers };
  const framed = Object.keys(headers).some((name) => /^(content-length|transfer-encoding)$/i.test(name));
  if (request.body !== undefined && !framed && !request.noContentLength) headers['content-length'] = String(Buffer.byteLength(request.body));
  const head = [`${request.method} ${request.target} HTTP/1.1`, `Host: ${hostname}:${port}`, 'Connection: close', ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`)].join('\r\n');
  return new Promise((resolve, reject) => {
    const socket = connect({ host: hostname, port: Number(port), allowHalfOpen: true });
    const chunks: Buffer[] = [];
    let settled = false;
    const finish = (error?: Error) => {
      if (settled) return;
      const response = parseResponse(Buffer.concat(chunks));
      if (!response && !error) return;
      settled = true;
      socket.destroy();
      if (response) resolve(response);
      else reject(error);
    };
    socket.setTimeout(TIMEOUT_MS, () => finish(new Error(`no response to ${request.method} ${request.target.slice(0, 80)} within ${TIMEOUT_MS} ms`)));
    socket.on('data', (chunk) => (chunks.push(chunk), finish()));
    socket.on('end', () => finish(new Error('connection closed without a response')));
    // A server may answer and close before it has read everything we send (EPIPE, ECONNRESET).
    socket.on('error', (error) => finish(error));
    socket.on('connect', () => {
      socket.write(`${head}\r\n\r\n`);
      if (request.body !== undefined) socket.write(request.body);
      if (request.endAfterBody) socket.end();
    });
  });
}

/** The first complete response in `bytes`, or undefined while it is still arriving. */
function parseResponse(bytes: Buffer): RawResponse | undefined {
  const end = bytes.indexOf('\r\n\r\n');
  if (end < 0) return undefined;
  const [statusLine, ...lines] = bytes.subarray(0, end).toString('latin1').split('\r\n');
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine ?? '')?.[1]);
  const headers = Object.fromEntries(lines.map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]));
  let rest = bytes.subarray(end + 4);
  if (headers['transfer-encoding']?.toLowerCase() === 'chunked') {
    const parts: Buffer[] = [];
    for (;;) {
      const lineEnd = rest.indexOf('\r\n');
      if (lineEnd < 0) return undefined;
      const size = parseInt(rest.subarray(0, lineEnd).toString('latin1'), 16);
      if (rest.length < lineEnd + 2 + size + 2) return undefined;
      if (size === 0) break;
      parts.push(rest.subarray(lineEnd + 2, lineEnd + 2 + size));
      rest = rest.subarray(lineEnd + 2 + size + 2);
    }
    return { status, headers, text: Buffer.concat(parts).toString('utf8') };
  }
  const length = Number(headers['content-length'] ?? 0);
  if (rest.length < length) return undefined;
  return { status, headers, text: rest.subarray(0, length).toString('utf8') };
}

/** `body` in chunked transfer coding (chunks of `chunkBytes`), ending with the last chunk. */
export const chunked = (body: string | Uint8Array, chunkBytes = 16 * 1024): Buffer => {
  const bytes = Buffer.from(body);
  const out: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += chunkBytes) {
    const chunk = bytes.subarray(i, i + chunkBytes);
    out.push(Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from('\r\n'));
  }
  out.push(Buffer.from('0\r\n\r\n'));
  return Buffer.concat(out);
};
