/**
 * A per-client rate limit on the public routes that act (every `auth: 'public'` route of
 * route-table.ts that is not a GET: registering, unregistering, unsubscribing, a new feed
 * token). Those are the ones a script can abuse without any credential: each registration
 * mails a confirmation link to any address it is given. Reads (schedules, feeds, the pages
 * behind signed links) are not limited here; the stage throttle and the per-route throttles of
 * infra/stack/http-api.ts cover them and every route across all clients.
 *
 * A client is its source address as the server sees it: on Lambda, API Gateway's
 * `requestContext` (never X-Forwarded-For, which the client writes); on Node, the socket's
 * remote address. IPv6 addresses count by their /64 (one subscriber's network: a client
 * rotating addresses within it is still one client). Counted in fixed windows shared by every
 * instance (functions/adapters/rate-limits/rate-limit-counter.ts). Over a limit, the answer is
 * 429 with Retry-After (the seconds to the window's end): a problem document, or a page for a
 * browser (`Accept: text/html`); nothing else is read, written or sent.
 *
 * If the counter cannot be reached or does not answer within `timeoutMs`, the request goes
 * ahead uncounted (and the failure is logged): the route then meets the same outage and answers
 * for it (503 storage-unavailable), or, if only the counter failed, serves as usual. A limit
 * that failed closed would turn a counter hiccup into a refusal of every public write.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { isIP } from 'node:net';
import type { RateLimitCounter } from '../adapters/rate-limits/rate-limit-counter.js';
import { ApiError } from './problems.js';
import { publicWriteRoutes, type RouteDefinition } from './route-table.js';
import { viewerAddressOf } from './edge-only.js';

export interface RateLimit {
  readonly windowSeconds: number;
  /** Requests a client may send in one window. */
  readonly requests: number;
}

/**
 * The limits of every client on the public routes that act, in every window at once. A person
 * registers, confirms (a GET, not counted), perhaps unregisters or unsubscribes: a handful of
 * requests in an hour. The per-minute limit leaves room for a room of people behind one
 * address (a training centre's NAT) all registering in the minute a facilitator asks them to;
 * the hourly one stops a script that keeps at it after 300, where the stage throttle alone let
 * it send 200 a second (and 200 confirmation mails a second to whoever it named).
 */
export const PUBLIC_WRITE_LIMITS: readonly RateLimit[] = [
  { windowSeconds: 60, requests: 60 },
  { windowSeconds: 3600, requests: 300 },
];

/**
 * For one client that stands for thousands (the tests' and benchmarks' single address): every
 * request is counted as usual, none is ever refused.
 */
export const COUNT_ONLY_LIMITS: readonly RateLimit[] = [{ windowSeconds: 60, requests: Number.MAX_SAFE_INTEGER }];

/** How long the counter may take before the request goes ahead uncounted (DynamoDB answers in milliseconds). */
export const RATE_LIMIT_TIMEOUT_MS = 1000;

export interface RateLimitDeps {
  readonly counter: RateLimitCounter;
  /** Default PUBLIC_WRITE_LIMITS; tests and benchmarks that are one client sending thousands raise them. */
  readonly limits?: readonly RateLimit[];
  /** Default RATE_LIMIT_TIMEOUT_MS. */
  readonly timeoutMs?: number;
}

/** The routes a client's requests are counted on: public, and not a read. */
export const rateLimitedRoutes: readonly RouteDefinition[] = publicWriteRoutes;

interface ConnectionEnv {
  /** API Gateway (hono/aws-lambda): HTTP API payload 2.0, or REST API 1.0. */
  readonly requestContext?: { readonly http?: { readonly sourceIp?: string }; readonly identity?: { readonly sourceIp?: string } };
  /** @hono/node-server. */
  readonly incoming?: { readonly socket?: { readonly remoteAddress?: string } };
}

/** The source address the server saw, or undefined (a request not from a socket or API Gateway). */
export function sourceAddress(env: unknown): string | undefined {
  const e = (env ?? {}) as ConnectionEnv;
  return e.requestContext?.http?.sourceIp ?? e.requestContext?.identity?.sourceIp ?? e.incoming?.socket?.remoteAddress;
}

/** Who a source address counts as: an IPv4 address (also when IPv4-mapped), an IPv6 /64, or `unknown`. */
export function clientKey(address: string | undefined): string {
  if (address === undefined) return 'unknown';
  const bare = address.trim().replace(/%.*$/, '');
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(bare);
  if (mapped) return mapped[1]!;
  switch (isIP(bare)) {
    case 4:
      return bare;
    case 6:
      return `${ipv6Groups(bare).slice(0, 4).join(':')}::/64`;
    default:
      return 'unknown';
  }
}

/** The eight 16-bit groups of a valid IPv6 address, in lower-case hex without leading zeros. */
function ipv6Groups(address: string): string[] {
  let text = address.toLowerCase();
  // A dotted IPv4 tail is the last two groups.
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = tail === undefined ? left : [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right];
  return groups.map((g) => parseInt(g, 16).toString(16));
}

/** Whether the client asks for a page: `text/html` named, and wanted at least as much as JSON. */
export function prefersHtml(accept: string | undefined): boolean {
  if (!accept) return false;
  const quality = (pattern: RegExp) => {
    let best = -1;
    for (const part of accept.split(',')) {
      const [type = '', ...params] = part.trim().split(';');
      if (!pattern.test(type.trim())) continue;
      const q = params.map((p) => /^\s*q\s*=\s*([\d.]+)\s*$/i.exec(p)).find(Boolean);
      best = Math.max(best, q ? Number(q[1]) : 1);
    }
    return best;
  };
  const html = quality(/^text\/html$/i);
  return html > 0 && html >= quality(/^(application\/(problem\+)?json|application\/\*|\*\/\*)$/i);
}

/**
 * The page a browser gets over the limit: markup and style attributes only (the page policy of
 * http-app.ts), the look of the other pages (functions/mail/compose.ts htmlDocument), written
 * here so neither Lambda carries the mail composer for it.
 */
function limitPage(title: string, text: string): string {
  const esc = (s: string) => s.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
</head>
<body style="margin:0;padding:0;background:#f4f4f5;">
<div style="max-width:600px;margin:0 auto;padding:24px;background:#ffffff;color:#1f2937;font-family:Arial,Helvetica,sans-serif;font-size:16px;line-height:1.5;">
<h1 style="font-size:22px;">${esc(title)}</h1>
<p>${esc(text)}</p>
</div>
</body>
</html>
`;
}

const inWords = (seconds: number) => (seconds < 120 ? `${seconds} seconds` : `${Math.ceil(seconds / 60)} minutes`);

/** The middleware, for the routes of `rateLimitedRoutes`. */
export function rateLimiter(deps: RateLimitDeps & { readonly now?: () => Date; readonly logError: (message: string, error: unknown) => void }): MiddlewareHandler {
  const limits = deps.limits ?? PUBLIC_WRITE_LIMITS;
  const timeoutMs = deps.timeoutMs ?? RATE_LIMIT_TIMEOUT_MS;
  const now = deps.now ?? (() => new Date());

  /** The windows over their limit, or undefined when the counter could not tell in time. */
  const count = async (client: string, at: number): Promise<{ limit: RateLimit; windowEnd: number }[] | undefined> => {
    const abort = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const windows = limits.map((limit) => ({ limit, windowStart: Math.floor(at / limit.windowSeconds) * limit.windowSeconds }));
    const counting = Promise.all(
      windows.map(({ limit, windowStart }) => deps.counter.take({ client, windowSeconds: limit.windowSeconds, windowStart, limit: limit.requests, signal: abort.signal })),
    );
    const late = new Promise<'late'>((resolve) => {
      timer = setTimeout(() => resolve('late'), timeoutMs);
    });
    try {
      const taken = await Promise.race([counting, late]);
      if (taken === 'late') {
        abort.abort();
        counting.catch(() => {});
        deps.logError(`rate limit not checked: the counter did not answer within ${timeoutMs} ms; the request went ahead`, new Error('rate limit counter timed out'));
        return undefined;
      }
      return windows.flatMap((w, i) => (taken[i] ? [] : [{ limit: w.limit, windowEnd: w.windowStart + w.limit.windowSeconds }]));
    } catch (error) {
      deps.logError('rate limit not checked: the counter failed; the request went ahead', error);
      return undefined;
    } finally {
      clearTimeout(timer);
    }
  };

  return async (c: Context, next) => {
    const at = Math.floor(now().getTime() / 1000);
    const over = await count(clientKey(viewerAddressOf(c) ?? sourceAddress(c.env)), at);
    if (!over || over.length === 0) return next();
    const retryAfter = Math.max(1, Math.max(...over.map((o) => o.windowEnd)) - at);
    const { limit } = over.reduce((a, b) => (b.windowEnd > a.windowEnd ? b : a));
    const per = limit.windowSeconds === 60 ? 'a minute' : limit.windowSeconds === 3600 ? 'an hour' : `${limit.windowSeconds} seconds`;
    const headers = { 'Retry-After': String(retryAfter) };
    if (prefersHtml(c.req.header('accept'))) {
      const text = `More requests came from your connection than a person sends: at most ${limit.requests} in ${per}. Nothing was done. Please try again in ${inWords(retryAfter)}.`;
      return c.html(limitPage('Too many requests', text), 429, headers);
    }
    throw new ApiError(
      429,
      'rate-limited',
      'Too many requests',
      `More than ${limit.requests} requests in ${per} came from your address; nothing was done. Send it again after ${retryAfter} seconds (Retry-After).`,
      undefined,
      headers,
    );
  };
}
