/**
 * The API answers only requests that came through the edge, when it is behind one
 * (functions/security/edge-origin.ts): others get 403 and nothing happens. Who sent a request
 * that did: the viewer address CloudFront wrote; else the source address the server saw.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { carriesEdgeSecret, EDGE_ORIGIN_HEADER, VIEWER_ADDRESS_HEADER, type EdgeOrigin } from '../security/edge-origin.js';
import { ApiError } from './problems.js';

const viewerAddresses = new WeakMap<Request, string>();

export function fromEdgeOnly(edge: EdgeOrigin, logError: (message: string, error: unknown) => void): MiddlewareHandler {
  return async (c, next) => {
    let secret: string;
    try {
      secret = await edge.secret();
    } catch (error) {
      logError('could not read the edge origin secret', error);
      throw new ApiError(503, 'secrets-unavailable', 'Temporarily unavailable', 'We cannot check where this request came from right now; nothing was done. Send the same request again shortly.', undefined, { 'Retry-After': '5' });
    }
    if (!carriesEdgeSecret(c.req.header(EDGE_ORIGIN_HEADER), secret)) {
      throw new ApiError(403, 'not-through-edge', 'Use Convene’s own address', 'This address of the API takes no requests; send them to the address in your links (Convene’s public domain).');
    }
    const viewer = c.req.header(VIEWER_ADDRESS_HEADER);
    if (viewer) viewerAddresses.set(c.req.raw, viewer);
    await next();
  };
}

/** The viewer address of a request that came through the edge, or undefined. */
export const viewerAddressOf = (c: Context): string | undefined => viewerAddresses.get(c.req.raw);
