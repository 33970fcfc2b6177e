/**
 * Value schemas shared by every event and command: language tags, IANA zones, instants,
 * durations, localised text. Pure: zod and luxon only.
 */
import { Duration, IANAZone } from 'luxon';
// A namespace import: esbuild then keeps only the parts of zod in use (not its 64 locales).
import * as z from 'zod';

/** Ids are generated outside the domain; here they only have to be safe in keys, URLs and UIDs. */
export const Id = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/, 'must be 1 to 64 letters, digits, "-" or "_"');

/** The canonical form of a BCP 47 language tag (`es-419`, `pt-BR`), or undefined for anything else. */
export function canonicalLanguageTag(tag: string): string | undefined {
  try {
    return Intl.getCanonicalLocales(tag)[0];
  } catch {
    return undefined;
  }
}

/** A BCP 47 language tag, stored in its canonical form (`es-419`, `pt-BR`). */
export const LanguageTag = z
  .string()
  .min(2)
  .max(35)
  .transform((tag, ctx) => {
    const canonical = canonicalLanguageTag(tag);
    if (canonical) return canonical;
    ctx.addIssue({ code: 'custom', message: `"${tag}" is not a BCP 47 language tag` });
    return z.NEVER;
  });
export type LanguageTag = z.infer<typeof LanguageTag>;

/**
 * Zone names already checked. Luxon checks a name by building an Intl.DateTimeFormat (~50 µs,
 * uncached), and every stored event with a zone is validated on each read: a storm of
 * registrations spent more time here than in its mail. The tz database does not change while
 * the process lives; the cache is bounded, so made-up names cannot grow it without end.
 */
const checkedZones = new Map<string, boolean>();
const CHECKED_ZONES_MAX = 2000;

export function isKnownTimeZone(zone: string): boolean {
  let known = checkedZones.get(zone);
  if (known === undefined) {
    known = IANAZone.isValidZone(zone);
    if (checkedZones.size >= CHECKED_ZONES_MAX) checkedZones.clear();
    checkedZones.set(zone, known);
  }
  return known;
}

/** An IANA time zone name known to this runtime's tz database. */
export const TimeZone = z
  .string()
  .refine((zone) => zone.includes('/') || zone === 'UTC', 'must be an IANA time zone such as "America/New_York"')
  .refine(isKnownTimeZone, { message: 'is not a known IANA time zone' });
export type TimeZone = z.infer<typeof TimeZone>;

/** An instant in UTC, ISO 8601 with a `Z` (how every instant is stored). */
export const UtcInstant = z.iso.datetime({ message: 'must be an ISO 8601 UTC instant ending in Z' });
export type UtcInstant = z.infer<typeof UtcInstant>;

/** A calendar date (`2027-04-24`), read in the series' home time zone. */
export const CalendarDate = z.iso.date({ message: 'must be a date such as 2027-04-24' });

/**
 * One line of text that may reach mail headers and calendar properties: no control characters.
 * Stored as given (not trimmed); escaped wherever it is rendered.
 */
export const SingleLine = (max: number) =>
  z
    .string()
    .refine((text) => text.trim().length > 0, 'must not be empty')
    .max(max, `must be at most ${max} characters`)
    .regex(/^[^\p{Cc}\u2028\u2029]*$/u, 'must be one line without control characters');

/** Free text (descriptions): line breaks allowed, other control characters not. */
export const MultiLine = (max: number) =>
  z
    .string()
    .max(max, `must be at most ${max} characters`)
    .regex(/^(?:[^\p{Cc}]|[\r\n\t])*$/u, 'must not contain control characters other than line breaks');

/** Text per language, e.g. `{"en": "Live webinar", "es": "Seminario web"}`. */
export const LocalizedText = (inner: z.ZodType<string>, required: boolean) =>
  z
    .record(z.string(), inner)
    .superRefine((record, ctx) => {
      if (required && Object.keys(record).length === 0) ctx.addIssue({ code: 'custom', message: 'needs at least one language' });
    })
    .transform((record, ctx) => {
      const out: Record<string, string> = {};
      for (const [tag, text] of Object.entries(record)) {
        const parsed = LanguageTag.safeParse(tag);
        if (!parsed.success) {
          ctx.addIssue({ code: 'custom', message: `"${tag}" is not a BCP 47 language tag`, path: [tag] });
          continue;
        }
        out[parsed.data] = text;
      }
      return out;
    });
export const LocalizedTitle = LocalizedText(SingleLine(200), true);
/** Descriptions are optional in every language: `{}` is a series without one. */
export const LocalizedDescription = LocalizedText(MultiLine(10_000), false);
export type LocalizedText = Record<string, string>;

/**
 * A reminder offset: a positive ISO 8601 duration in weeks, days, hours or minutes
 * (`P7D`, `P1D`, `PT1H`, `PT15M`), at most 90 days. Months and years are refused: their
 * length depends on the calendar, and "a month before" is better said as P4W or P30D.
 */
export const ReminderOffset = z
  .string()
  .regex(/^P(?:\d+W|(?:\d+D)?(?:T(?:\d+H)?(?:\d+M)?)?)$/, 'must be an ISO 8601 duration in weeks, days, hours or minutes, such as P7D or PT1H')
  .refine((text) => {
    const ms = Duration.fromISO(text).toMillis();
    return ms > 0 && ms <= 90 * 24 * 3600 * 1000;
  }, 'must be longer than zero and at most 90 days');

/**
 * One addr-spec, nothing an address parser could read as a second address or a group: the
 * rule every address that reaches a mail header (To, Reply-To) or a mailto: URL obeys.
 */
const ADDR_SPEC = /^[^\s@<>()[\]\\,;:"\p{Cc}]+@[^\s@<>()[\]\\,;:"\p{Cc}]+\.[^\s@<>()[\]\\,;:"\p{Cc}]+$/u;

export function isSingleAddress(email: string): boolean {
  return ADDR_SPEC.test(email);
}

/** A member's or organiser's address: what the mail composer will put in To or Reply-To. */
export const Email = z
  .email({ message: 'must be an email address' })
  .max(254)
  .refine(isSingleAddress, 'must be one plain address (no name, group or second address)');

/** The longest link a mail header or an HTML attribute of ours carries. */
export const MAX_WEB_URL_LENGTH = 900;

/**
 * A link Convene puts in mail, pages and feeds: https (http only on a loopback host, for the
 * local stack), as the WHATWG URL parser serialises it, in visible ASCII without `"`, `<` or
 * `>` (so it cannot end a `<...>` in a header or an attribute in HTML), at most 900
 * characters. Returns that serialisation, or why the text is not such a link.
 */
export function checkWebUrl(raw: string): { readonly href: string } | { readonly problem: string } {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { problem: 'is not a URL' };
  }
  const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
  if (!(url.protocol === 'https:' || (url.protocol === 'http:' && loopback))) return { problem: 'must be an https URL (http only on a loopback host)' };
  if (!/^[!#-;=?-~]+$/.test(url.href)) return { problem: 'has characters a mail header cannot carry' };
  if (url.href.length > MAX_WEB_URL_LENGTH) return { problem: `must be at most ${MAX_WEB_URL_LENGTH} characters` };
  return { href: url.href };
}

/** A link members are sent (a session's join URL): checkWebUrl's rule, stored as it serialises. */
export const WebUrl = z
  .string()
  .max(2000, `must be at most ${MAX_WEB_URL_LENGTH} characters`)
  .transform((raw, ctx) => {
    const checked = checkWebUrl(raw);
    if ('href' in checked) return checked.href;
    ctx.addIssue({ code: 'custom', message: checked.problem });
    return z.NEVER;
  });

/**
 * Any http(s) URL of at most 2,000 characters: what stored events of the first schema versions
 * accepted as a join URL. Only for reading those events back; everything written takes WebUrl.
 */
export const HttpUrl = z
  .url({ protocol: /^https?$/, message: 'must be an http(s) URL' })
  .max(2000);
