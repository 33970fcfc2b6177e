/**
 * The links every mail about a series carries: one-click unsubscribe (RFC 2369
 * List-Unsubscribe, RFC 8058) as a signed https URL naming the member and the series, which
 * stops that series' mail on POST (functions/api/routes/unsubscribe.ts), a mailto to the
 * organiser for clients that only know mailto, and the member's "manage my registrations" link.
 */
import { memberLinks } from '../links/member-links.js';
import type { TokenSigner } from '../security/signed-token.js';

export { UnsubscribeLink } from '../links/member-links.js';

export interface UnsubscribeLinks {
  readonly unsubscribeUrl: string;
  readonly unsubscribeMailto: string;
  readonly manageUrl: string;
}

export function unsubscribeLinks(
  signer: TokenSigner,
  baseUrl: string,
  link: { readonly memberId: string; readonly seriesId: string; readonly organiserEmail: string },
  now: Date,
): UnsubscribeLinks {
  const links = memberLinks(signer, baseUrl);
  return {
    unsubscribeUrl: links.unsubscribe(link, now),
    // Read by the organiser's team; the one-click link above needs no one.
    unsubscribeMailto: `mailto:${link.organiserEmail}?subject=${encodeURIComponent(`Unsubscribe ${link.seriesId}`)}`,
    manageUrl: links.manage(link.memberId, now),
  };
}
