/** Which language a page for this request is in, and the lists its forms offer. */
import type { Context } from 'hono';
import { choosePageLanguage, pageTranslator, type PageTranslator } from '../pages/texts/index.js';

/**
 * The visitor's choice (`?lang=`, the switch on every page), else the member's language,
 * else the browser's Accept-Language, else the series' first language, else English.
 */
export function pageTranslatorFor(c: Context, from: { readonly member?: string | undefined; readonly series?: readonly string[] | undefined } = {}): PageTranslator {
  return pageTranslator(choosePageLanguage({ chosen: c.req.query('lang'), member: from.member, acceptLanguage: c.req.header('accept-language'), series: from.series }));
}

/** Every IANA zone this runtime knows, for the time-zone fields' suggestions. */
export const ZONES: readonly string[] = [...Intl.supportedValuesOf('timeZone'), 'UTC'];

/** Reminder offsets a member may pick beside their series' own (a week, a day, an hour, a quarter of an hour before). */
export const COMMON_OFFSETS: readonly string[] = ['P7D', 'P1D', 'PT1H', 'PT15M'];
