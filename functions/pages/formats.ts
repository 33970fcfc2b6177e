/**
 * The Intl formatters the pages use, made once per locale (and zone) and kept: building one
 * costs about as much as rendering a page's worth of markup, and a series page needs a few per
 * session. The set of locales and zones is small (four page languages, the series' zones);
 * the cache is bounded all the same.
 */
const MAX_ENTRIES = 500;
const formats = new Map<string, unknown>();

function kept<T>(key: string, make: () => T): T {
  let format = formats.get(key) as T | undefined;
  if (format === undefined) {
    if (formats.size >= MAX_ENTRIES) formats.clear();
    format = make();
    formats.set(key, format);
  }
  return format;
}

/** "Saturday, 20 March 2027" in a zone. */
export const dayFormat = (locale: string, zone: string) =>
  kept(`day|${locale}|${zone}`, () => new Intl.DateTimeFormat(locale, { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', timeZone: zone }));

/** "18:00" in a zone (24-hour clock). */
export const clockFormat = (locale: string, zone: string) => kept(`clock|${locale}|${zone}`, () => new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: zone }));

/** "+02:00": a zone's offset from UTC at an instant. */
export const offsetFormat = (zone: string) => kept(`offset|${zone}`, () => new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longOffset' }));

export const languageNames = (locale: string) => kept(`languages|${locale}`, () => new Intl.DisplayNames([locale], { type: 'language' }));

export const andList = (locale: string) => kept(`and|${locale}`, () => new Intl.ListFormat(locale, { type: 'conjunction' }));

export const numberFormat = (locale: string) => kept(`number|${locale}`, () => new Intl.NumberFormat(locale));

/** "5 minutes", "1.5 MB": a number with its unit (`unitDisplay` long or short). */
export const unitFormat = (locale: string, unit: string, unitDisplay: 'long' | 'short' = 'short', maximumFractionDigits = 1) =>
  kept(`unit|${locale}|${unit}|${unitDisplay}|${maximumFractionDigits}`, () => new Intl.NumberFormat(locale, { style: 'unit', unit, unitDisplay, maximumFractionDigits }));

/** "1 day, 2 hours": a list of measures. */
export const unitList = (locale: string) => kept(`units|${locale}`, () => new Intl.ListFormat(locale, { type: 'unit' }));
