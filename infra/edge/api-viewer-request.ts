/**
 * The viewer-request function of the API's behaviours (everything but `/feeds/*`): writes the
 * viewer's address into VIEWER_ADDRESS_HEADER, over any value the viewer sent, so the API's
 * per-client rate limit counts viewers, not CloudFront's edge servers (API Gateway sees those as
 * the source). The API believes the header only on requests that carry the edge's origin secret
 * (functions/security/edge-origin.ts). cloudfront-js-2.0.
 */
import { VIEWER_ADDRESS_HEADER } from '../../functions/security/edge-origin.js';

export const API_VIEWER_REQUEST_SOURCE = `function handler(event) {
  var request = event.request;
  request.headers['${VIEWER_ADDRESS_HEADER}'] = { value: event.viewer.ip };
  return request;
}
`;

export interface ApiViewerEvent {
  viewer: { ip: string };
  request: { uri: string; headers: Record<string, { value: string }> };
}

/** The function's handler, run on Node. */
export function loadApiViewerRequest(): (event: ApiViewerEvent) => ApiViewerEvent['request'] {
  return new Function(`${API_VIEWER_REQUEST_SOURCE}\nreturn handler;`)() as never;
}
