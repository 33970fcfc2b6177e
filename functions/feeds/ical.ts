/**
 * Calendar feeds (RFC 5545 iCalendar, with RFC 7986 NAME and REFRESH-INTERVAL): the public
 * feed of a series and a member's personal feed across series. Pure: the same schedules
 * and options give the same bytes (no clock, no randomness; the only read is the runtime's tz
 * database, for the generated VTIMEZONE blocks, see ./vtimezone.ts).
 *
 * ical-generator does the escaping, folding and CRLFs, except for three things handled here:
 * it writes NAME / X-WR-CALNAME unescaped (we escape them); it writes REFRESH-INTERVAL
 * and X-PUBLISHED-TTL after the VTIMEZONE components, which RFC 5545's grammar does not
 * allow (`icalbody = calprops component`), so they are moved up (see `propertiesFirst`); and
 * its event ATTACH has no FMTTYPE parameter, which is added afterwards (see `typedAttachments`).
 *
 * ORGANIZER: a personal feed names the organiser with the organiser's address, as the
 * invitations do (a member's calendar needs a real ORGANIZER for iTIP). The public feed never
 * does: it shows the public contact address if the organiser set one (`organiser.contactEmail`),
 * else the organiser's name (CN) with the series' public page as the cal-address, a URI as RFC
 * 5545 (3.3.3) allows; RFC 5546 (3.2.1) wants an ORGANIZER in every VEVENT of a METHOD:PUBLISH
 * object, so it is not left out. The public JSON follows the same rule (api/routes/public-series.ts).
 *
 * A session whose recording is published shows its files: one ATTACH per file with the
 * stable public link (../recordings/links.ts, never the storage key) and a line per file in
 * DESCRIPTION. Publishing and withdrawing raise the session's SEQUENCE (the projection does).
 * Per TRAP 3 and 4 (shared/STACK.md): no calendar-wide zone; a zone per event; Luxon values.
 */
import { createHash } from 'node:crypto';
import ical, { escape, foldLines, ICalCalendarMethod, ICalEventStatus, ICalEventTransparency, type ICalCalendar } from 'ical-generator';
import { DateTime, Duration } from 'luxon';
import type { RecordingFile, ScheduledSession, SeriesSchedule } from '../../events/projections/schedule.js';
import { recordingFileUrl } from '../recordings/links.js';
import { exactTzid, vtimezoneGenerator } from './vtimezone.js';

export interface FeedOptions {
  /** Public base URL of the site, e.g. `https://convene.example.org` (no trailing slash needed). */
  readonly baseUrl: string;
  /** NAME / X-WR-CALNAME; default: the series title (series feed), or the organiser's name and "My sessions" in the member's language (member feed). */
  readonly calendarName?: string;
  /** Requested text language (BCP 47); series feed default: the series' first language. */
  readonly language?: string;
  /** ISO 8601 duration in weeks, days, hours, minutes or seconds; default PT1H. */
  readonly refreshInterval?: string;
}

export interface MemberFeedEntry {
  readonly schedule: SeriesSchedule;
  /** The sessions the member is registered for, or 'all' (which also brings a dialogue's window). */
  readonly sessionIds: readonly string[] | 'all';
  /** A dialogue's open window too (a member registered for the whole series); default: for 'all'. */
  readonly window?: boolean;
}

export type MemberFeedOptions = FeedOptions & {
  /** The member's preferred language; `language`, when given, overrides it. */
  readonly memberLanguage: string;
  /**
   * The member's own join link for a session that has a meeting URL (functions/api/routes/join.ts),
   * written instead of the URL (LOCATION, URL, DESCRIPTION); absent: the URL itself.
   */
  readonly joinLink?: JoinLinker;
};

/** The member's own link to a session's meeting. */
export type JoinLinker = (seriesId: string, session: ScheduledSession) => string;

/** The UID of a session's VEVENT, shared by feeds and mail so clients match them up. */
export function sessionUid(seriesId: string, sessionId: string): string {
  return `${sessionId}@${seriesId}.convene`;
}

/** The UID of a virtual dialogue's discussion-window VEVENT. */
export function windowUid(seriesId: string): string {
  return `window@${seriesId}.convene`;
}

/** The public feed of one series: every session (cancelled ones with STATUS:CANCELLED). */
export function seriesFeed(schedule: SeriesSchedule, options: FeedOptions): string {
  const language = options.language ?? schedule.languages[0] ?? 'en';
  const context = renderContext(options, language, 'public');
  const name = options.calendarName ?? pickText(schedule.title, language, schedule.languages) ?? schedule.seriesId;
  const page = seriesUrl(context.baseUrl, schedule.seriesId);
  const calendar = newCalendar(name, context.refreshSeconds, page);
  addSeries(calendar, schedule, 'all', context);
  return propertiesFirst(publicOrganizers(typedAttachments(calendar.toString(), context.attachmentTypes), page));
}

/** A member's personal feed: only the sessions they are registered for, across series. */
export function memberFeed(entries: readonly MemberFeedEntry[], options: MemberFeedOptions): string {
  const language = options.language ?? options.memberLanguage;
  const context = renderContext(options, language, 'members');
  const merged = mergeEntries(entries);
  const calendar = newCalendar(options.calendarName ?? personalFeedName(merged, context), context.refreshSeconds);
  for (const { schedule, sessionIds, window } of merged) addSeries(calendar, schedule, sessionIds, context, window ?? sessionIds === 'all');
  return propertiesFirst(typedAttachments(calendar.toString(), context.attachmentTypes));
}

/** A strong ETag: the SHA-256 of the feed's UTF-8 bytes. */
export function feedEtag(ics: string): string {
  return `"${createHash('sha256').update(ics, 'utf8').digest('base64url')}"`;
}

/**
 * The HTTP Last-Modified of a feed built from these schedules: their latest `updatedAt`, as
 * an IMF-fixdate. Pass other change times (a member's registrations) as `{updatedAt}` too.
 * With nothing to go by, the Unix epoch.
 */
export function feedLastModified(schedules: readonly { readonly updatedAt: string }[]): string {
  const latest = schedules.reduce((max, { updatedAt }) => {
    const ms = Date.parse(updatedAt);
    if (Number.isNaN(ms)) throw new RangeError(`updatedAt "${updatedAt}" is not an instant`);
    return Math.max(max, ms);
  }, 0);
  return new Date(latest).toUTCString();
}

// ---------------------------------------------------------------------------------------

interface RenderContext {
  readonly baseUrl: string;
  /** Who reads the feed: anyone (the series feed) or the member it is made for. */
  readonly audience: 'public' | 'members';
  readonly refreshSeconds: number;
  /** The requested text language. */
  readonly language: string;
  /** Labels, and the language the names of languages are given in. */
  readonly labels: Labels;
  readonly languageNames: Intl.DisplayNames;
  /** The media type of each ATTACH URL written so far (for its FMTTYPE). */
  readonly attachmentTypes: Map<string, string>;
  /** A personal feed's join links (MemberFeedOptions). */
  readonly joinLink?: JoinLinker;
}

function renderContext(options: FeedOptions, language: string, audience: RenderContext['audience']): RenderContext {
  const labelLanguage = LABELS[primary(language)] ? language : 'en';
  return {
    baseUrl: normaliseBaseUrl(options.baseUrl),
    audience,
    refreshSeconds: refreshSeconds(options.refreshInterval ?? 'PT1H'),
    language,
    labels: LABELS[primary(labelLanguage)] ?? LABELS.en!,
    languageNames: new Intl.DisplayNames([labelLanguage], { type: 'language', fallback: 'code' }),
    attachmentTypes: new Map(),
    ...('joinLink' in options && options.joinLink ? { joinLink: options.joinLink as JoinLinker } : {}),
  };
}

function newCalendar(name: string, refreshSeconds: number, url?: string): ICalCalendar {
  const calendar = ical({
    prodId: { company: 'Convene', product: 'Convene feeds', language: 'EN' },
    method: ICalCalendarMethod.PUBLISH,
    scale: 'GREGORIAN',
    // ical-generator writes NAME and X-WR-CALNAME as given: escape them as TEXT here.
    name: escape(name, false),
    ttl: refreshSeconds,
    ...(url ? { url } : {}),
  });
  // TRAP 3: no calendar-wide zone (it would make DTSTAMP floating); blocks per event zone.
  calendar.timezone({ name: null, generator: vtimezoneGenerator(calendar) });
  return calendar;
}

function addSeries(calendar: ICalCalendar, schedule: SeriesSchedule, sessionIds: readonly string[] | 'all', context: RenderContext, withWindow = sessionIds === 'all') {
  const wanted = sessionIds === 'all' ? undefined : new Set(sessionIds);
  if (schedule.window && withWindow) addWindow(calendar, schedule, context);
  const sessions = [...schedule.sessions]
    .filter((session) => !wanted || wanted.has(session.sessionId))
    .sort((a, b) => byCodeUnits(a.startsAt, b.startsAt) || byCodeUnits(a.sessionId, b.sessionId));
  for (const session of sessions) addSession(calendar, schedule, session, context);
}

function addWindow(calendar: ICalCalendar, schedule: SeriesSchedule, context: RenderContext) {
  const window = schedule.window!;
  const opens = calendarDate(window.opens);
  // DTEND of an all-day event is exclusive: the day after the window closes.
  const end = calendarDate(window.closes).plus({ days: 1 });
  const url = seriesUrl(context.baseUrl, schedule.seriesId);
  const { labels } = context;
  const description = paragraphs(
    pickText(schedule.description, context.language, schedule.languages),
    [
      `${schedule.languages.length > 1 ? labels.languages : labels.language}: ${schedule.languages.map((tag) => languageName(tag, context)).join(', ')}`,
      `${labels.details}: ${url}`,
    ].join('\n'),
  );
  calendar.createEvent({
    id: windowUid(schedule.seriesId),
    // Raised by each change the window's VEVENT shows (events/projections/schedule.ts).
    sequence: schedule.windowSequence ?? 0,
    stamp: instant(schedule.windowUpdatedAt ?? schedule.updatedAt),
    created: instant(schedule.createdAt),
    lastModified: instant(schedule.windowUpdatedAt ?? schedule.updatedAt),
    allDay: true,
    start: opens,
    end,
    summary: pickText(schedule.title, context.language, schedule.languages) ?? schedule.seriesId,
    description,
    url: uriProperty(url),
    organizer: organizer(schedule, context),
    status: ICalEventStatus.CONFIRMED,
    // A three-week discussion should not block anyone's calendar.
    transparency: ICalEventTransparency.TRANSPARENT,
  });
}

/**
 * What a session's VEVENT is wherever it appears (feeds, iMIP mail): its UID, SEQUENCE,
 * timestamps and times. Mail and feeds must agree on every one of these.
 */
export function sessionEventCore(seriesId: string, session: ScheduledSession) {
  const start = instant(session.startsAt);
  const end = instant(session.endsAt);
  return {
    id: sessionUid(seriesId, session.sessionId),
    sequence: session.sequence,
    stamp: instant(session.updatedAt),
    created: instant(session.createdAt),
    lastModified: instant(session.updatedAt),
    start,
    end,
    // The session's zone when its generated VTIMEZONE gives back these exact instants (not
    // at a fall-back's repeated hour), else UTC (still exact; see ./vtimezone.ts). 'UTC'
    // itself is written with a Z.
    timezone: eventZone(session.timeZone, [start.toMillis(), end.toMillis()]),
  };
}

function addSession(calendar: ICalCalendar, schedule: SeriesSchedule, given: ScheduledSession, context: RenderContext) {
  const { labels } = context;
  // A personal feed carries the member's own join link where the session has a meeting URL.
  const session = given.joinUrl && context.joinLink ? { ...given, joinUrl: context.joinLink(schedule.seriesId, given) } : given;
  const speakers = session.speakers.map((s) => (s.affiliation ? `${s.name} (${s.affiliation})` : s.name));
  const facts = [
    `${labels.language}: ${languageName(session.language, context)}`,
    ...(speakers.length > 0 ? [`${labels.speakers}: ${speakers.join(', ')}`] : []),
    ...(session.joinUrl ? [`${labels.join}: ${session.joinUrl}`] : []),
    `${labels.details}: ${seriesUrl(context.baseUrl, schedule.seriesId)}`,
  ];
  // Present only while the recording is published: a withdrawn one leaves no trace.
  const files = (session.recording?.files ?? []).map((file) => ({
    file,
    url: recordingFileUrl(context.baseUrl, schedule.seriesId, session.sessionId, file.asset),
  }));
  const attachments = files.flatMap(({ file, url }) => {
    const uri = uriProperty(url);
    if (uri === null) return [];
    const type = mediaType(file);
    if (type !== undefined) context.attachmentTypes.set(uri, type);
    return [uri];
  });
  calendar.createEvent({
    ...sessionEventCore(schedule.seriesId, session),
    summary: pickText(session.title, context.language, schedule.languages) ?? session.sessionId,
    description: paragraphs(
      session.status === 'cancelled' && session.cancellationReason ? `${labels.cancelled}: ${session.cancellationReason}` : undefined,
      pickText(session.description, context.language, schedule.languages),
      facts.join('\n'),
      files.map(({ file, url }) => `${labels[file.asset]}: ${url}`).join('\n'),
    ),
    attachments,
    location: session.joinUrl ?? null,
    url: uriProperty(session.joinUrl) ?? uriProperty(seriesUrl(context.baseUrl, schedule.seriesId)),
    organizer: organizer(schedule, context),
    status: session.status === 'cancelled' ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
  });
}

/**
 * A URL for the URL property, or null. ical-generator TEXT-escapes URI values (`,` -> `\,`,
 * `;` -> `\;`), which RFC 5545 does not do for URIs: ical.js then keeps the backslashes. A URL
 * with either character is left out of URL (it stays, correctly escaped, in LOCATION and
 * DESCRIPTION); percent-encoding them would make a different URI (RFC 3986, 2.2).
 */
function uriProperty(url: string | undefined): string | null {
  return url !== undefined && !/[,;\\]/.test(url) ? url : null;
}

/**
 * The FMTTYPE of a recording file: its content type without parameters, lower case, when it
 * is a plain `type/subtype` (RFC 6838 restricted names, all SAFE-CHARs of RFC 5545), else none.
 */
function mediaType(file: RecordingFile): string | undefined {
  const type = file.contentType.split(';')[0]!.trim().toLowerCase();
  const name = '[a-z0-9][a-z0-9!#$&^_.+-]{0,126}';
  return new RegExp(`^${name}/${name}$`).test(type) ? type : undefined;
}

function eventZone(zone: string, instantsMs: readonly number[]): string | null {
  if (zone === 'UTC') return null;
  return exactTzid(zone, instantsMs) ?? null;
}

/**
 * Stands for "no address" in ORGANIZER while ical-generator writes it (it takes no organiser
 * without one); `publicOrganizers` puts the series page in its place. `.invalid` (RFC 6761):
 * even left in place it would name nobody.
 */
const NO_PUBLIC_CONTACT = 'no-public-contact@convene.invalid';

function organizer(schedule: SeriesSchedule, context: RenderContext) {
  // ical-generator backslash-escapes `"` inside the quoted CN, which RFC 5545 has no escape
  // for; a plain apostrophe keeps the parameter well-formed.
  const name = schedule.organiser.name.replace(/"/g, "'");
  if (context.audience === 'members') return { name, email: schedule.organiser.email };
  return { name, email: schedule.organiser.contactEmail ?? NO_PUBLIC_CONTACT };
}

/**
 * The public feed's ORGANIZER without a public contact: the organiser's name (CN, as
 * ical-generator wrote it) with `calAddress` (the series page) for a value. Works on unfolded
 * content lines, like `typedAttachments`.
 */
function publicOrganizers(ics: string, calAddress: string): string {
  const placeholder = `:mailto:${NO_PUBLIC_CONTACT}`;
  return rewriteContentLines(ics, 'ORGANIZER;', (line) => (line.endsWith(placeholder) ? `${line.slice(0, -placeholder.length)}:${calAddress}` : line));
}

/** Several registrations for one series (or the same series twice) make one set of events. */
function mergeEntries(entries: readonly MemberFeedEntry[]): (MemberFeedEntry & { readonly window: boolean })[] {
  const bySeries = new Map<string, { schedule: SeriesSchedule; sessionIds: Set<string> | 'all'; window: boolean }>();
  for (const { schedule, sessionIds, window } of entries) {
    const known = bySeries.get(schedule.seriesId);
    const newest = known && known.schedule.version >= schedule.version ? known.schedule : schedule;
    const ids =
      sessionIds === 'all' || known?.sessionIds === 'all'
        ? 'all'
        : new Set([...(known?.sessionIds ?? []), ...sessionIds]);
    bySeries.set(schedule.seriesId, { schedule: newest, sessionIds: ids, window: (known?.window ?? false) || (window ?? sessionIds === 'all') });
  }
  return [...bySeries.values()]
    .sort((a, b) => byCodeUnits(a.schedule.seriesId, b.schedule.seriesId))
    .map(({ schedule, sessionIds, window }) => ({ schedule, sessionIds: sessionIds === 'all' ? 'all' : [...sessionIds], window }));
}

/**
 * A personal feed's NAME, for the member who reads it (calendar apps show only this): the
 * organiser's name when one organiser runs all of the member's series, and "My sessions" in
 * the member's language: "Gender Equality Training Centre · My sessions".
 */
function personalFeedName(entries: readonly MemberFeedEntry[], context: RenderContext): string {
  const organisers = [...new Set(entries.map((e) => e.schedule.organiser.name.trim()).filter((name) => name.length > 0))];
  return `${organisers.length === 1 ? organisers[0] : 'Convene'} · ${context.labels.mySessions}`;
}

/**
 * Text in the requested language (or a more general tag of it, or a regional variant of its
 * language), else in the series' first language likewise, else in any (the first tag in
 * code-point order, so the choice does not depend on key order).
 */
export function pickText(
  texts: Readonly<Record<string, string>> | undefined,
  requested: string,
  seriesLanguages: readonly string[],
): string | undefined {
  if (!texts) return undefined;
  const available = Object.keys(texts)
    .filter((tag) => (texts[tag] ?? '').length > 0)
    .sort();
  if (available.length === 0) return undefined;
  const seriesFirst = seriesLanguages[0];
  for (const wanted of seriesFirst ? [requested, seriesFirst] : [requested]) {
    const tag = matchTag(available, wanted);
    if (tag) return texts[tag];
  }
  return texts[available[0]!];
}

function matchTag(available: readonly string[], wanted: string): string | undefined {
  const lower = new Map(available.map((tag) => [tag.toLowerCase(), tag]));
  const subtags = canonical(wanted).toLowerCase().split('-');
  for (let n = subtags.length; n > 0; n--) {
    const tag = lower.get(subtags.slice(0, n).join('-'));
    if (tag) return tag;
  }
  return available.find((tag) => primary(tag) === subtags[0]);
}

function canonical(tag: string): string {
  try {
    return Intl.getCanonicalLocales(tag)[0] ?? tag;
  } catch {
    return tag;
  }
}

const primary = (tag: string) => canonical(tag).toLowerCase().split('-')[0]!;

/** "English", "inglés", "الإنجليزية": the name of a language in the labels' language. */
function languageName(tag: string, context: RenderContext): string {
  try {
    return context.languageNames.of(tag) ?? tag;
  } catch {
    return tag; // not a well-formed tag
  }
}

interface Labels {
  readonly language: string;
  readonly languages: string;
  readonly speakers: string;
  readonly join: string;
  readonly details: string;
  /** The files of a published recording. */
  readonly recording: string;
  readonly captions: string;
  readonly transcript: string;
  readonly slides: string;
  /** Before the organiser's reason in a cancelled session's DESCRIPTION. */
  readonly cancelled: string;
  /** A personal feed's name: "{organiser} · My sessions". */
  readonly mySessions: string;
}

/** Labels of the DESCRIPTION lines; other languages get the English ones (and English language names). */
const LABELS: Readonly<Record<string, Labels>> = {
  en: {
    language: 'Language',
    languages: 'Languages',
    speakers: 'Speakers',
    join: 'Join',
    details: 'Details',
    recording: 'Recording',
    captions: 'Captions',
    transcript: 'Transcript',
    slides: 'Slides',
    cancelled: 'Cancelled',
    mySessions: 'My sessions',
  },
  es: {
    language: 'Idioma',
    languages: 'Idiomas',
    speakers: 'Ponentes',
    join: 'Enlace para participar',
    details: 'Más información',
    recording: 'Grabación',
    captions: 'Subtítulos',
    transcript: 'Transcripción',
    slides: 'Diapositivas',
    cancelled: 'Cancelada',
    mySessions: 'Mis sesiones',
  },
  fr: {
    language: 'Langue',
    languages: 'Langues',
    speakers: 'Intervenants',
    join: 'Lien pour participer',
    details: 'Plus d’informations',
    recording: 'Enregistrement',
    captions: 'Sous-titres',
    transcript: 'Transcription',
    slides: 'Diapositives',
    cancelled: 'Annulée',
    mySessions: 'Mes sessions',
  },
  pt: {
    language: 'Idioma',
    languages: 'Idiomas',
    speakers: 'Palestrantes',
    join: 'Link para participar',
    details: 'Mais informações',
    recording: 'Gravação',
    captions: 'Legendas',
    transcript: 'Transcrição',
    slides: 'Slides',
    cancelled: 'Cancelada',
    mySessions: 'Minhas sessões',
  },
  ar: {
    language: 'اللغة',
    languages: 'اللغات',
    speakers: 'المتحدثون',
    join: 'رابط المشاركة',
    details: 'مزيد من المعلومات',
    recording: 'التسجيل',
    captions: 'الترجمة المرئية',
    transcript: 'النص المكتوب',
    slides: 'الشرائح',
    cancelled: 'أُلغيت الجلسة',
    mySessions: 'جلساتي',
  },
};

/** Locale-independent order, so the bytes do not depend on the host's ICU locale. */
const byCodeUnits = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function paragraphs(...parts: (string | undefined)[]): string {
  return parts.filter((part): part is string => part !== undefined && part.length > 0).join('\n\n');
}

function seriesUrl(baseUrl: string, seriesId: string): string {
  return `${baseUrl}/series/${encodeURIComponent(seriesId)}`;
}

function normaliseBaseUrl(baseUrl: string): string {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new RangeError(`baseUrl "${baseUrl}" is not a URL`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new RangeError(`baseUrl "${baseUrl}" is not an http(s) URL`);
  return url.href.replace(/\/+$/, '');
}

/** REFRESH-INTERVAL must be a dur-value: no years or months. */
function refreshSeconds(duration: string): number {
  const shape = /^P(?:\d+W|\d+D(?:T(?:\d+H)?(?:\d+M)?(?:\d+S)?)?|T(?:\d+H)?(?:\d+M)?(?:\d+S)?)$/;
  const seconds = shape.test(duration) ? Duration.fromISO(duration).as('seconds') : NaN;
  if (!(seconds > 0)) throw new RangeError(`refreshInterval "${duration}" is not a positive ISO 8601 duration in weeks, days, hours, minutes or seconds`);
  return seconds;
}

/** A UTC instant as a Luxon value (TRAP 4: never a JS Date next to a zone). */
function instant(iso: string): DateTime {
  const value = DateTime.fromISO(iso, { zone: 'utc' });
  if (!value.isValid) throw new RangeError(`"${iso}" is not an ISO 8601 instant`);
  return value;
}

/** A calendar date for VALUE=DATE (a fixed zone, so ical-generator prints it as is). */
function calendarDate(date: string): DateTime {
  const value = DateTime.fromISO(date, { zone: 'utc' });
  if (!value.isValid) throw new RangeError(`"${date}" is not a calendar date`);
  return value;
}

/**
 * Gives each event ATTACH of a known URL its FMTTYPE: ical-generator writes event attachments
 * as bare `ATTACH:<uri>` (only its alarms take a media type). Works on the folded output: an
 * ATTACH content line (a line not starting with a space or tab, so not a continuation; every
 * TEXT value has its line breaks escaped) is unfolded, rewritten as
 * `ATTACH;FMTTYPE=<type>:<uri>` and folded again the way ical-generator folds. The URIs here
 * have no `,`, `;` or `\` (see `uriProperty`), so ical-generator wrote them unescaped.
 */
function typedAttachments(ics: string, types: ReadonlyMap<string, string>): string {
  if (types.size === 0) return ics;
  return rewriteContentLines(ics, 'ATTACH:', (line) => {
    const value = line.slice('ATTACH:'.length);
    const type = types.get(value);
    return type === undefined ? line : `ATTACH;FMTTYPE=${type}:${value}`;
  });
}

/**
 * Rewrites every content line that starts with `prefix`: unfolded (a line not starting with a
 * space or tab starts a content line; every TEXT value has its line breaks escaped), passed to
 * `rewrite`, and folded again the way ical-generator folds.
 */
function rewriteContentLines(ics: string, prefix: string, rewrite: (line: string) => string): string {
  const lines = ics.split('\r\n');
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i]!;
    if (!line.startsWith(prefix)) {
      out.push(line);
      continue;
    }
    while (i + 1 < lines.length && /^[ \t]/.test(lines[i + 1]!)) line += lines[++i]!.slice(1);
    out.push(foldLines(rewrite(line)));
  }
  return out.join('\r\n');
}

/**
 * Moves VCALENDAR properties that ical-generator writes after the first component
 * (REFRESH-INTERVAL and X-PUBLISHED-TTL come after the VTIMEZONEs) in front of it, with their
 * folded continuation lines, and ends the last line with CRLF as RFC 5545 wants (ical-generator
 * stops right after END:VCALENDAR). Works on the folded output, so folding is unaffected.
 */
function propertiesFirst(ics: string): string {
  const head: string[] = []; // BEGIN:VCALENDAR and the properties before the first component
  const late: string[] = []; // calendar properties written after a component
  const body: string[] = []; // the components
  const tail: string[] = []; // END:VCALENDAR
  let depth = 0;
  let target = head;
  for (const line of ics.split('\r\n')) {
    if (line === '') continue;
    if (!line.startsWith(' ') && !line.startsWith('\t')) {
      if (line.startsWith('BEGIN:')) target = ++depth === 1 ? head : body;
      else if (line.startsWith('END:')) target = depth-- === 1 ? tail : body;
      else if (depth === 1) target = body.length > 0 ? late : head;
      else target = body;
    }
    target.push(line);
  }
  return [...head, ...late, ...body, ...tail].map((line) => `${line}\r\n`).join('');
}
