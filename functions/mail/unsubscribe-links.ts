/**
 * The unsubscribe links every mail about a series carries (RFC 2369 List-Unsubscribe, RFC 8058
 * one-click): an https URL with a signed token naming the member and the series, which stops
 * that series' mail on POST (functions/api/routes/unsubscribe.ts), and a mailto to the
 * organiser for clients that only know mailto.
 */
// A namespace import: esbuild then keeps only the parts of zod in use (not its 64 locales).
import * as z from 'zod';
import { Id } from '../../events/shared/values.js';
import type { TokenSigner } from '../security/signed-token.js';

/** A year: an old mail's unsubscribe link should still work. */
export const UNSUBSCRIBE_LINK_LIFETIME_MS = 365 * 24 * 3600 * 1000;

export const UnsubscribeLink = z.object({ a: z.literal('unsubscribe'), m: Id, s: Id });

export interface UnsubscribeLinks {
  readonly unsubscribeUrl: string;
  readonly unsubscribeMailto: string;
}

export function unsubscribeLinks(
  signer: TokenSigner,
  baseUrl: string,
  link: { readonly memberId: string; readonly seriesId: string; readonly organiserEmail: string },
  now: Date,
): UnsubscribeLinks {
  const token = signer.sign({ a: 'unsubscribe', m: link.memberId, s: link.seriesId }, new Date(now.getTime() + UNSUBSCRIBE_LINK_LIFETIME_MS));
  return {
    unsubscribeUrl: `${baseUrl}/mail/unsubscribe?token=${token}`,
    // Read by the organiser's team; the one-click link above needs no one.
    unsubscribeMailto: `mailto:${link.organiserEmail}?subject=${encodeURIComponent(`Unsubscribe ${link.seriesId}`)}`,
  };
}
