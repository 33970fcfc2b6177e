/**
 * The calendar feeds, read back by two independent parsers: ical.js (which converts TZID
 * times with the VTIMEZONE blocks in the file) and node-ical (which converts them with the
 * runtime's IANA database). Every instant must come back exactly as stored.
 */
import ICAL from 'ical.js';
import { DateTime } from 'luxon';
import nodeIcal from 'node-ical';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { contentLines, expectFoldedCrlf } from '../support/icalendar.js';
import type { RecordedEvent } from '../../events/shared/event.js';
import type { SeriesEvent } from '../../events/series/events.js';
import { scheduleFromEvents, type RecordingFile, type ScheduledSession, type SeriesSchedule } from '../../events/projections/schedule.js';
import { recordingFileUrl } from '../../functions/recordings/links.js';
import {
  feedEtag,
  feedLastModified,
  memberFeed,
  seriesFeed,
  sessionUid,
  windowUid,
  type FeedOptions,
} from '../../functions/feeds/ical.js';
import { exactTzid, offsetAt, zoneBlock } from '../../functions/feeds/vtimezone.js';
import { scheduledSession, seriesRecorder } from '../support/schedule-fixtures.js';

// ical.js predates RFC 7986: teach it that NAME and X-WR-CALNAME are TEXT (else it returns
// them still escaped) and REFRESH-INTERVAL a duration.
const icalProperties = ICAL.design.icalendar.property as Record<string, { defaultType: string }>;
icalProperties['name'] = { defaultType: 'text' };
icalProperties['x-wr-calname'] = { defaultType: 'text' };
icalProperties['refresh-interval'] = { defaultType: 'duration' };

// ---------------------------------------------------------------------------------------
// Fixtures: the seeds' series, plus DST and southern-hemisphere series.

const organiser = { name: 'Training Centre', email: 'training@example.org' };
const baseUrl = 'https://convene.example.org';
const options: FeedOptions = { baseUrl };
const created = '2027-01-10T09:00:00.000Z';

const session = (fields: Parameters<typeof scheduledSession>[1]) => scheduledSession(created, fields);

function series(fields: Partial<SeriesSchedule> & Pick<SeriesSchedule, 'seriesId' | 'title' | 'sessions'>): SeriesSchedule {
  return {
    version: 1 + fields.sessions.length,
    kind: 'lecture-series',
    description: {},
    timeZone: 'America/New_York',
    languages: ['en'],
    organiser,
    reminderOffsets: ['P1D', 'PT1H'],
    createdAt: created,
    updatedAt: '2027-02-01T12:00:00.000Z',
    ...fields,
  };
}

/** The 10th Virtual Dialogue: window 24 April to 14 May; live webinar 3 May, 10:00 New York. */
const dialogue = series({
  seriesId: 'vd10-understanding-change',
  kind: 'virtual-dialogue',
  title: { en: 'Understanding Change through Training for Gender Equality' },
  description: { en: 'What kinds of change can training for gender equality achieve?' },
  reminderOffsets: ['P7D', 'P1D', 'PT1H'],
  window: { opens: '2027-04-24', closes: '2027-05-14' },
  updatedAt: '2027-02-02T08:30:00.000Z',
  sessions: [
    session({
      sessionId: 'live-webinar',
      title: { en: 'Live webinar: Understanding Change through Training for Gender Equality' },
      description: { en: 'Three expert guest speakers; send your questions through the webinar questions facility.' },
      startsAt: '2027-05-03T14:00:00.000Z',
      endsAt: '2027-05-03T15:00:00.000Z',
      speakers: [{ name: 'Guest speaker 1', affiliation: 'University of Haifa' }, { name: 'Guest speaker 2' }, { name: 'Guest speaker 3' }],
      joinUrl: 'https://webinar.example.org/vd10',
      capacity: 500,
      updatedAt: '2027-01-12T10:00:00.000Z',
    }),
  ],
});

/** The Care Economy lectures: 15:00 New York (EDT, 19:00Z), 90 minutes, English and Spanish. */
const care = series({
  seriesId: 'care-economy-2027',
  title: { en: 'Care Economy Lecture Series', es: 'Ciclo de conferencias sobre la economía del cuidado' },
  description: { en: 'Free live online lectures on the care economy.', es: 'Conferencias en línea, gratuitas y en vivo.' },
  languages: ['en', 'es'],
  sessions: [
    session({ sessionId: 'lecture-1', title: { en: 'Care work and the economy', es: 'El trabajo de cuidados y la economía' }, startsAt: '2027-05-23T19:00:00.000Z', endsAt: '2027-05-23T20:30:00.000Z', joinUrl: 'https://webinar.example.org/care-1' }),
    session({ sessionId: 'lecture-2', title: { es: 'Trabajo de cuidados y economía' }, language: 'es', startsAt: '2027-05-30T19:00:00.000Z', endsAt: '2027-05-30T20:30:00.000Z', joinUrl: 'https://webinar.example.org/care-2' }),
    session({ sessionId: 'lecture-3', title: { en: 'Measuring unpaid care' }, startsAt: '2027-06-06T19:00:00.000Z', endsAt: '2027-06-06T20:30:00.000Z', joinUrl: 'https://webinar.example.org/care-3' }),
    session({ sessionId: 'lecture-4', title: { es: 'Políticas públicas de cuidado' }, language: 'es', startsAt: '2027-06-27T19:00:00.000Z', endsAt: '2027-06-27T20:30:00.000Z', joinUrl: 'https://webinar.example.org/care-4' }),
  ],
});

/** 15:00 New York on both sides of both 2027 DST changes (14 March, 7 November). */
const dstSeries = series({
  seriesId: 'dst-new-york',
  title: { en: 'Across the clock change' },
  sessions: [
    session({ sessionId: 'before-spring', title: { en: 'Before spring forward (EST)' }, startsAt: '2027-03-07T20:00:00.000Z', endsAt: '2027-03-07T21:00:00.000Z' }),
    session({ sessionId: 'after-spring', title: { en: 'After spring forward (EDT)' }, startsAt: '2027-03-21T19:00:00.000Z', endsAt: '2027-03-21T20:00:00.000Z' }),
    session({ sessionId: 'before-fall', title: { en: 'Before fall back (EDT)' }, startsAt: '2027-10-31T19:00:00.000Z', endsAt: '2027-10-31T20:00:00.000Z' }),
    session({ sessionId: 'after-fall', title: { en: 'After fall back (EST)' }, startsAt: '2027-11-14T20:00:00.000Z', endsAt: '2027-11-14T21:00:00.000Z' }),
    // Spans the spring-forward night: 23:00 EST to 04:00 EDT, five hours of wall clock, four real.
    session({ sessionId: 'overnight', title: { en: 'Overnight across the change' }, startsAt: '2027-03-14T04:00:00.000Z', endsAt: '2027-03-14T08:00:00.000Z' }),
  ],
});

/** DST in the opposite season: Sydney (ends 4 April, starts 3 October) and Santiago (4 April, 5 September). */
const southern = series({
  seriesId: 'southern',
  title: { en: 'Southern hemisphere' },
  timeZone: 'Australia/Sydney',
  sessions: [
    session({ sessionId: 'syd-aedt-march', title: { en: 'Sydney 18:00 AEDT' }, timeZone: 'Australia/Sydney', startsAt: '2027-03-28T07:00:00.000Z', endsAt: '2027-03-28T08:00:00.000Z' }),
    session({ sessionId: 'syd-aest-april', title: { en: 'Sydney 18:00 AEST' }, timeZone: 'Australia/Sydney', startsAt: '2027-04-11T08:00:00.000Z', endsAt: '2027-04-11T09:00:00.000Z' }),
    session({ sessionId: 'syd-aest-sept', title: { en: 'Sydney 18:00 AEST (spring)' }, timeZone: 'Australia/Sydney', startsAt: '2027-09-26T08:00:00.000Z', endsAt: '2027-09-26T09:00:00.000Z' }),
    session({ sessionId: 'syd-aedt-oct', title: { en: 'Sydney 18:00 AEDT (spring)' }, timeZone: 'Australia/Sydney', startsAt: '2027-10-10T07:00:00.000Z', endsAt: '2027-10-10T08:00:00.000Z' }),
    session({ sessionId: 'scl-summer', title: { en: 'Santiago 12:00 (-03)' }, timeZone: 'America/Santiago', language: 'es', startsAt: '2027-03-31T15:00:00.000Z', endsAt: '2027-03-31T16:00:00.000Z' }),
    session({ sessionId: 'scl-winter', title: { en: 'Santiago 12:00 (-04)' }, timeZone: 'America/Santiago', language: 'es', startsAt: '2027-04-07T16:00:00.000Z', endsAt: '2027-04-07T17:00:00.000Z' }),
  ],
});

/** The local wall time each fixture session is meant to be at. */
const intendedWallTimes: Record<string, string> = {
  'live-webinar': '2027-05-03T10:00',
  'lecture-1': '2027-05-23T15:00',
  'lecture-2': '2027-05-30T15:00',
  'lecture-3': '2027-06-06T15:00',
  'lecture-4': '2027-06-27T15:00',
  'before-spring': '2027-03-07T15:00',
  'after-spring': '2027-03-21T15:00',
  'before-fall': '2027-10-31T15:00',
  'after-fall': '2027-11-14T15:00',
  overnight: '2027-03-13T23:00',
  'syd-aedt-march': '2027-03-28T18:00',
  'syd-aest-april': '2027-04-11T18:00',
  'syd-aest-sept': '2027-09-26T18:00',
  'syd-aedt-oct': '2027-10-10T18:00',
  'scl-summer': '2027-03-31T12:00',
  'scl-winter': '2027-04-07T12:00',
};

// ---------------------------------------------------------------------------------------
// Reading feeds back.

interface ReadEvent {
  readonly uid: string;
  readonly sequence: number;
  readonly status: string | undefined;
  readonly allDay: boolean;
  /** UTC ms for timed events; for all-day ones the dates as YYYY-MM-DD. */
  readonly start: number | string;
  readonly end: number | string;
  readonly dtstamp: number;
  readonly created: number | undefined;
  readonly lastModified: number | undefined;
  readonly summary: string;
  readonly description: string | undefined;
  readonly location: string | undefined;
  readonly url: string | undefined;
  readonly organizer: { cn: string | undefined; address: string } | undefined;
  /** ATTACH properties in order: the URI and its FMTTYPE, if any. */
  readonly attachments: { uri: string; fmttype: string | undefined }[];
}

interface ReadFeed {
  readonly name: string | undefined;
  readonly events: ReadEvent[];
  readonly vtimezones: string[];
}

const ms = (iso: string) => Date.parse(iso);

function readWithIcalJs(ics: string): ReadFeed {
  const calendar = new ICAL.Component(ICAL.parse(ics));
  const time = (value: unknown) => (value instanceof ICAL.Time ? value.toJSDate().getTime() : undefined);
  const text = (value: unknown) => (typeof value === 'string' ? value : undefined);
  const events = calendar.getAllSubcomponents('vevent').map((component): ReadEvent => {
    const event = new ICAL.Event(component);
    const allDay = event.startDate.isDate;
    const organizer = component.getFirstProperty('organizer');
    const cn = organizer?.getParameter('cn');
    return {
      uid: event.uid,
      sequence: event.sequence,
      status: text(component.getFirstPropertyValue('status')),
      allDay,
      start: allDay ? event.startDate.toString() : event.startDate.toJSDate().getTime(),
      end: allDay ? event.endDate.toString() : event.endDate.toJSDate().getTime(),
      dtstamp: time(component.getFirstPropertyValue('dtstamp'))!,
      created: time(component.getFirstPropertyValue('created')),
      lastModified: time(component.getFirstPropertyValue('last-modified')),
      summary: event.summary,
      description: text(component.getFirstPropertyValue('description')),
      location: text(component.getFirstPropertyValue('location')),
      url: text(component.getFirstPropertyValue('url')),
      organizer: organizer ? { cn: typeof cn === 'string' ? cn : undefined, address: String(organizer.getFirstValue()) } : undefined,
      attachments: component.getAllProperties('attach').map((property) => {
        const fmttype = property.getParameter('fmttype');
        return { uri: String(property.getFirstValue()), fmttype: typeof fmttype === 'string' ? fmttype : undefined };
      }),
    };
  });
  const vtimezones = calendar.getAllSubcomponents('vtimezone').map((tz) => String(tz.getFirstPropertyValue('tzid')));
  return { name: text(calendar.getFirstPropertyValue('name')), events, vtimezones };
}

type NodeIcalValue = string | { val: string; params: Record<string, string> } | undefined;
const nodeText = (value: unknown) => {
  const v = value as NodeIcalValue;
  return v === undefined ? undefined : typeof v === 'string' ? v : v.val;
};
/** node-ical puts DATE values at local midnight of the host. */
const localDate = (date: Date) =>
  `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}-${String(date.getDate()).padStart(2, '0')}`;

function readWithNodeIcal(ics: string): ReadFeed {
  const parsed = nodeIcal.sync.parseICS(ics);
  const components = Object.values(parsed) as Record<string, unknown>[];
  const events = components
    .filter((c) => c['type'] === 'VEVENT')
    .map((c): ReadEvent => {
      const start = c['start'] as Date & { dateOnly?: boolean };
      const end = c['end'] as Date;
      const allDay = c['datetype'] === 'date';
      const organizer = c['organizer'] as NodeIcalValue;
      return {
        uid: c['uid'] as string,
        sequence: Number(c['sequence']),
        status: c['status'] as string | undefined,
        allDay,
        start: allDay ? localDate(start) : start.getTime(),
        end: allDay ? localDate(end) : end.getTime(),
        dtstamp: (c['dtstamp'] as Date).getTime(),
        created: (c['created'] as Date | undefined)?.getTime(),
        lastModified: (c['lastmodified'] as Date | undefined)?.getTime(),
        summary: nodeText(c['summary'])!,
        description: nodeText(c['description']),
        location: nodeText(c['location']),
        url: nodeText(c['url']),
        organizer:
          organizer === undefined
            ? undefined
            : typeof organizer === 'string'
              ? { cn: undefined, address: organizer }
              : { cn: organizer.params['CN'], address: organizer.val },
        // node-ical: one ATTACH is a value, several an array; a value with parameters is {params, val}.
        attachments: [c['attach'] ?? []].flat().map((value) => {
          const v = value as NodeIcalValue;
          return typeof v === 'string' ? { uri: v, fmttype: undefined } : { uri: v!.val, fmttype: v!.params['FMTTYPE'] };
        }),
      };
    });
  const vtimezones = components.filter((c) => c['type'] === 'VTIMEZONE').map((c) => c['tzid'] as string);
  const calendar = parsed.vcalendar as Record<string, unknown> | undefined;
  return { name: calendar?.['name'] as string | undefined, events, vtimezones };
}

/** Both parsers' view, checked to agree with each other first. */
function readBoth(ics: string): ReadFeed {
  const viaIcalJs = readWithIcalJs(ics);
  const viaNodeIcal = readWithNodeIcal(ics);
  const byUid = (events: ReadEvent[]) => [...events].sort((a, b) => a.uid.localeCompare(b.uid));
  expect(byUid(viaNodeIcal.events), 'ical.js and node-ical should read the same events').toEqual(byUid(viaIcalJs.events));
  expect([...viaNodeIcal.vtimezones].sort()).toEqual([...viaIcalJs.vtimezones].sort());
  expect(viaNodeIcal.name).toBe(viaIcalJs.name);
  return viaIcalJs;
}

function eventOf(feed: ReadFeed, uid: string): ReadEvent {
  const event = feed.events.find((e) => e.uid === uid);
  expect(event, `event ${uid}`).toBeDefined();
  return event!;
}

/** TZIDs the events use, from the raw text. */
function usedTzids(ics: string): string[] {
  return [...new Set(contentLines(ics).flatMap((line) => [...line.matchAll(/;TZID=([^:;]+)/g)].map((m) => m[1]!)))].sort();
}

/** Asserts the RFC 5545 shape checks every feed must pass. */
function expectWellFormed(ics: string) {
  expectFoldedCrlf(ics);
  // VCALENDAR: its properties, then its components (icalbody = calprops component).
  const lines = contentLines(ics);
  expect(lines[0]).toBe('BEGIN:VCALENDAR');
  expect(lines.at(-1)).toBe('END:VCALENDAR');
  let depth = 0;
  let seenComponent = false;
  for (const line of lines) {
    if (line.startsWith('BEGIN:')) {
      if (++depth === 2) seenComponent = true;
    } else if (line.startsWith('END:')) depth--;
    else if (depth === 1) expect(seenComponent, `calendar property after a component: ${line}`).toBe(false);
  }
  for (const property of ['VERSION:2.0', 'CALSCALE:GREGORIAN', 'METHOD:PUBLISH']) expect(lines).toContain(property);
  expect(lines.some((line) => line.startsWith('PRODID:-//Convene//'))).toBe(true);
  // A VTIMEZONE for every TZID used, and only those.
  expect(readWithIcalJs(ics).vtimezones.sort()).toEqual(usedTzids(ics));
  // DTSTAMP, CREATED and LAST-MODIFIED are UTC (TRAP 3: a calendar-wide zone makes them floating).
  for (const line of lines.filter((l) => /^(DTSTAMP|CREATED|LAST-MODIFIED)[:;]/.test(l))) expect(line).toMatch(/:\d{8}T\d{6}Z$/);
}

/** Every session of the schedule is in the feed with exactly its instants, UID, SEQUENCE, STATUS and stamps. */
function expectSessions(feed: ReadFeed, schedule: SeriesSchedule, sessions = schedule.sessions) {
  for (const s of sessions) {
    const event = eventOf(feed, sessionUid(schedule.seriesId, s.sessionId));
    expect(event).toMatchObject({
      sequence: s.sequence,
      status: s.status === 'cancelled' ? 'CANCELLED' : 'CONFIRMED',
      allDay: false,
      start: ms(s.startsAt),
      end: ms(s.endsAt),
      dtstamp: ms(s.updatedAt),
      lastModified: ms(s.updatedAt),
      created: ms(s.createdAt),
    });
  }
}

afterEach(() => {
  vi.useRealTimers();
});

// ---------------------------------------------------------------------------------------

describe('fixtures', () => {
  it('put every session at the wall time it is meant to be at', () => {
    for (const schedule of [dialogue, care, dstSeries, southern]) {
      for (const s of schedule.sessions) {
        expect(DateTime.fromISO(s.startsAt).setZone(s.timeZone).toFormat("yyyy-LL-dd'T'HH:mm"), s.sessionId).toBe(intendedWallTimes[s.sessionId]);
      }
    }
  });
});

describe('seriesFeed', () => {
  it('renders the 10th Virtual Dialogue: the window as an all-day event and the live webinar at 10:00 New York', () => {
    const ics = seriesFeed(dialogue, options);
    expectWellFormed(ics);
    const feed = readBoth(ics);
    expect(feed.events).toHaveLength(2);
    expect(feed.name).toBe('Understanding Change through Training for Gender Equality');

    const window = eventOf(feed, windowUid(dialogue.seriesId));
    expect(window.uid).toBe('window@vd10-understanding-change.convene');
    expect(window).toMatchObject({
      allDay: true,
      start: '2027-04-24',
      end: '2027-05-15', // DTEND is exclusive: the day after 14 May
      sequence: 0,
      status: 'CONFIRMED',
      dtstamp: ms(dialogue.updatedAt),
      lastModified: ms(dialogue.updatedAt),
      created: ms(dialogue.createdAt),
      summary: 'Understanding Change through Training for Gender Equality',
      url: `${baseUrl}/series/vd10-understanding-change`,
    });
    const lines = contentLines(ics);
    expect(lines).toContain('DTSTART;VALUE=DATE:20270424');
    expect(lines).toContain('DTEND;VALUE=DATE:20270515');
    expect(lines).toContain('TRANSP:TRANSPARENT');

    expectSessions(feed, dialogue);
    const webinar = eventOf(feed, 'live-webinar@vd10-understanding-change.convene');
    expect(webinar.summary).toBe('Live webinar: Understanding Change through Training for Gender Equality');
    expect(webinar.description).toBe(
      [
        'Three expert guest speakers; send your questions through the webinar questions facility.',
        '',
        'Language: English',
        'Speakers: Guest speaker 1 (University of Haifa), Guest speaker 2, Guest speaker 3',
        'Join: https://webinar.example.org/vd10',
        `Details: ${baseUrl}/series/vd10-understanding-change`,
      ].join('\n'),
    );
    expect(webinar.location).toBe('https://webinar.example.org/vd10');
    expect(webinar.url).toBe('https://webinar.example.org/vd10');
    // The public feed: the organiser's name, the series page for an address (no public contact set).
    expect(webinar.organizer).toEqual({ cn: 'Training Centre', address: `${baseUrl}/series/vd10-understanding-change` });
    expect(lines).toContain('DTSTART;TZID=America/New_York:20270503T100000');
    expect(lines).toContain('DTEND;TZID=America/New_York:20270503T110000');
    expect(lines).toContain('UID:live-webinar@vd10-understanding-change.convene');
    expect(usedTzids(ics)).toEqual(['America/New_York']);
  });

  it('has the calendar properties clients need, with the refresh interval in both spellings', () => {
    const lines = contentLines(seriesFeed(care, { ...options, refreshInterval: 'PT30M', calendarName: 'Care, lectures; 2027 \\ NY' }));
    const header = lines.slice(0, lines.indexOf('BEGIN:VTIMEZONE'));
    expect(header).toEqual([
      'BEGIN:VCALENDAR',
      'VERSION:2.0',
      'PRODID:-//Convene//Convene feeds//EN',
      `URL:${baseUrl}/series/care-economy-2027`,
      'CALSCALE:GREGORIAN',
      'METHOD:PUBLISH',
      'NAME:Care\\, lectures\\; 2027 \\\\ NY',
      'X-WR-CALNAME:Care\\, lectures\\; 2027 \\\\ NY',
      'REFRESH-INTERVAL;VALUE=DURATION:PT30M',
      'X-PUBLISHED-TTL:PT30M',
    ]);
    expect(readBoth(seriesFeed(care, { ...options, calendarName: 'Care, lectures; 2027 \\ NY' })).name).toBe('Care, lectures; 2027 \\ NY');
    expect(contentLines(seriesFeed(care, options))).toContain('REFRESH-INTERVAL;VALUE=DURATION:PT1H');
    expect(contentLines(seriesFeed(care, { ...options, refreshInterval: 'P1D' }))).toContain('X-PUBLISHED-TTL:P1D');
    expect(() => seriesFeed(care, { ...options, refreshInterval: 'P1M' })).toThrow(RangeError);
    expect(() => seriesFeed(care, { ...options, refreshInterval: 'PT0S' })).toThrow(RangeError);
    expect(() => seriesFeed(care, { ...options, baseUrl: 'not a url' })).toThrow(RangeError);
  });

  it('renders the Care Economy lectures in the requested language, falling back to the series first language, then any', () => {
    const english = readBoth(seriesFeed(care, options));
    expectSessions(english, care);
    expect(english.name).toBe('Care Economy Lecture Series');
    expect(eventOf(english, 'lecture-1@care-economy-2027.convene').summary).toBe('Care work and the economy');
    // Only in Spanish: Spanish even in the English feed.
    expect(eventOf(english, 'lecture-2@care-economy-2027.convene').summary).toBe('Trabajo de cuidados y economía');
    expect(eventOf(english, 'lecture-2@care-economy-2027.convene').description).toContain('Language: Spanish');

    const spanish = readBoth(seriesFeed(care, { ...options, language: 'es' }));
    expectSessions(spanish, care);
    expect(spanish.name).toBe('Ciclo de conferencias sobre la economía del cuidado');
    expect(eventOf(spanish, 'lecture-1@care-economy-2027.convene').summary).toBe('El trabajo de cuidados y la economía');
    // Only in English: English in the Spanish feed; labels and language names in Spanish.
    const lecture3 = eventOf(spanish, 'lecture-3@care-economy-2027.convene');
    expect(lecture3.summary).toBe('Measuring unpaid care');
    expect(lecture3.description).toContain('Idioma: inglés');
    expect(lecture3.description).toContain('Enlace para participar: https://webinar.example.org/care-3');

    // A regional tag finds the language; an absent language falls back to the series' first.
    expect(eventOf(readBoth(seriesFeed(care, { ...options, language: 'es-419' })), 'lecture-1@care-economy-2027.convene').summary).toBe(
      'El trabajo de cuidados y la economía',
    );
    const french = readBoth(seriesFeed(care, { ...options, language: 'fr' }));
    expect(eventOf(french, 'lecture-1@care-economy-2027.convene').summary).toBe('Care work and the economy');
    expect(eventOf(french, 'lecture-1@care-economy-2027.convene').description).toContain('Langue: anglais');

    const lines = contentLines(seriesFeed(care, options));
    for (const day of ['20270523', '20270530', '20270606', '20270627']) expect(lines).toContain(`DTSTART;TZID=America/New_York:${day}T150000`);
  });

  it('keeps 15:00 New York on both sides of both DST changes, with exact instants', () => {
    const ics = seriesFeed(dstSeries, options);
    expectWellFormed(ics);
    const feed = readBoth(ics);
    expectSessions(feed, dstSeries);
    const lines = contentLines(ics);
    for (const day of ['20270307', '20270321', '20271031', '20271114']) expect(lines).toContain(`DTSTART;TZID=America/New_York:${day}T150000`);
    expect(lines).toContain('DTSTART;TZID=America/New_York:20270313T230000');
    expect(lines).toContain('DTEND;TZID=America/New_York:20270314T040000');
  });

  it('handles southern-hemisphere zones whose DST is in the opposite season', () => {
    const ics = seriesFeed(southern, options);
    expectWellFormed(ics);
    const feed = readBoth(ics);
    expectSessions(feed, southern);
    expect(usedTzids(ics)).toEqual(['America/Santiago', 'Australia/Sydney']);
    const lines = contentLines(ics);
    for (const day of ['20270328', '20270411', '20270926', '20271010']) expect(lines).toContain(`DTSTART;TZID=Australia/Sydney:${day}T180000`);
    for (const day of ['20270331', '20270407']) expect(lines).toContain(`DTSTART;TZID=America/Santiago:${day}T120000`);
  });

  it('writes each zone with its generated VTIMEZONE, and in UTC (exact instants) only a repeated wall time and UTC itself', () => {
    const edge = series({
      seriesId: 'zones',
      title: { en: 'Zone edge cases' },
      sessions: [
        // Brazil dropped DST in 2019 (a 2018 block still had it in December).
        session({ sessionId: 'sao-paulo', title: { en: 'São Paulo' }, timeZone: 'America/Sao_Paulo', startsAt: '2027-12-01T13:00:00.000Z', endsAt: '2027-12-01T14:00:00.000Z' }),
        // Mexico dropped DST in 2022.
        session({ sessionId: 'mexico', title: { en: 'Mexico City' }, timeZone: 'America/Mexico_City', startsAt: '2027-06-01T16:00:00.000Z', endsAt: '2027-06-01T17:00:00.000Z' }),
        // The name adopted in 2022.
        session({ sessionId: 'kyiv', title: { en: 'Kyiv' }, timeZone: 'Europe/Kyiv', startsAt: '2027-06-01T07:00:00.000Z', endsAt: '2027-06-01T08:00:00.000Z' }),
        // 01:30 happens twice in New York on 7 November: the second one cannot be written with a TZID.
        session({ sessionId: 'ambiguous', title: { en: 'Twice 01:30' }, startsAt: '2027-11-07T06:30:00.000Z', endsAt: '2027-11-07T07:30:00.000Z' }),
        // Aliases keep the name the series gives, with a block of their own.
        session({ sessionId: 'alias', title: { en: 'US/Eastern' }, timeZone: 'US/Eastern', startsAt: '2027-07-01T14:00:00.000Z', endsAt: '2027-07-01T15:00:00.000Z' }),
        session({ sessionId: 'bad-alias', title: { en: 'US/East-Indiana' }, timeZone: 'US/East-Indiana', startsAt: '2027-07-01T14:00:00.000Z', endsAt: '2027-07-01T15:00:00.000Z' }),
        session({ sessionId: 'utc', title: { en: 'UTC' }, timeZone: 'UTC', startsAt: '2027-07-01T14:00:00.000Z', endsAt: '2027-07-01T15:00:00.000Z' }),
        session({ sessionId: 'kolkata', title: { en: 'Delhi' }, timeZone: 'Asia/Kolkata', startsAt: '2027-07-01T09:30:00.000Z', endsAt: '2027-07-01T10:30:00.000Z' }),
      ],
    });
    const ics = seriesFeed(edge, options);
    expectWellFormed(ics);
    expectSessions(readBoth(ics), edge);
    const lines = contentLines(ics);
    for (const [sessionId, start] of [
      ['ambiguous', '20271107T063000Z'],
      ['utc', '20270701T140000Z'],
    ] as const) {
      const at = lines.indexOf(`UID:${sessionId}@zones.convene`);
      expect(lines.slice(at, at + 5), sessionId).toContain(`DTSTART:${start}`);
    }
    expect(lines).toContain('DTSTART;TZID=America/Sao_Paulo:20271201T100000');
    expect(lines).toContain('DTSTART;TZID=America/Mexico_City:20270601T100000');
    expect(lines).toContain('DTSTART;TZID=Europe/Kyiv:20270601T100000');
    expect(lines).toContain('DTSTART;TZID=US/Eastern:20270701T100000');
    expect(lines).toContain('DTSTART;TZID=US/East-Indiana:20270701T100000');
    expect(lines).toContain('DTSTART;TZID=Asia/Kolkata:20270701T150000');
    expect(usedTzids(ics)).toEqual(['America/Mexico_City', 'America/Sao_Paulo', 'Asia/Kolkata', 'Europe/Kyiv', 'US/East-Indiana', 'US/Eastern']);
  });

  it('keeps a rescheduled then cancelled session under its UID with a rising SEQUENCE (through the schedule projection)', () => {
    const recorded = seriesRecorder('series-vd10');
    const history: RecordedEvent<SeriesEvent>[] = [
      recorded('2027-01-10T09:00:00.000Z', {
        type: 'SeriesCreated',
        data: {
          seriesId: 'vd10',
          kind: 'virtual-dialogue',
          title: dialogue.title,
          description: dialogue.description,
          timeZone: 'America/New_York',
          languages: ['en'],
          organiser,
          reminderOffsets: ['P1D'],
          window: { opens: '2027-04-24', closes: '2027-05-14' },
        },
      }),
      recorded('2027-01-11T09:00:00.000Z', {
        type: 'SessionScheduled',
        data: {
          seriesId: 'vd10',
          sessionId: 'webinar',
          startsAt: '2027-05-03T14:00:00.000Z',
          endsAt: '2027-05-03T15:00:00.000Z',
          timeZone: 'America/New_York',
          title: { en: 'Live webinar' },
          language: 'en',
          speakers: [{ name: 'Guest speaker' }],
        },
      }),
    ];
    const scheduled = scheduleFromEvents(history)!;
    history.push(
      recorded('2027-03-01T16:45:00.000Z', {
        type: 'SessionRescheduled',
        data: {
          seriesId: 'vd10',
          sessionId: 'webinar',
          startsAt: '2027-05-04T14:00:00.000Z',
          endsAt: '2027-05-04T15:30:00.000Z',
          timeZone: 'America/New_York',
          previousStartsAt: '2027-05-03T14:00:00.000Z',
          previousEndsAt: '2027-05-03T15:00:00.000Z',
        },
      }),
    );
    const rescheduled = scheduleFromEvents(history)!;
    history.push(recorded('2027-04-20T08:00:00.000Z', { type: 'SessionCancelled', data: { seriesId: 'vd10', sessionId: 'webinar', reason: 'Speakers unavailable' } }));
    const cancelled = scheduleFromEvents(history)!;

    const feeds = [scheduled, rescheduled, cancelled].map((schedule) => seriesFeed(schedule, options));
    feeds.forEach(expectWellFormed);
    const [first, second, third] = feeds.map((ics) => eventOf(readBoth(ics), 'webinar@vd10.convene'));
    expect(first).toMatchObject({ sequence: 0, status: 'CONFIRMED', start: ms('2027-05-03T14:00:00Z'), dtstamp: ms('2027-01-11T09:00:00Z') });
    expect(second).toMatchObject({ sequence: 1, status: 'CONFIRMED', start: ms('2027-05-04T14:00:00Z'), end: ms('2027-05-04T15:30:00Z'), dtstamp: ms('2027-03-01T16:45:00Z') });
    expect(third).toMatchObject({ sequence: 2, status: 'CANCELLED', start: ms('2027-05-04T14:00:00Z'), dtstamp: ms('2027-04-20T08:00:00Z'), lastModified: ms('2027-04-20T08:00:00Z') });
    // The organiser's reason reaches whoever reads the event: it opens the DESCRIPTION, in the feed's language.
    expect(third!.description!.split('\n')[0]).toBe('Cancelled: Speakers unavailable');
    expect(eventOf(readBoth(seriesFeed(cancelled, { ...options, language: 'fr' })), 'webinar@vd10.convene').description!.split('\n')[0]).toBe('Annulée: Speakers unavailable');
    expect(first!.description).not.toContain('Cancelled');
    expect(first!.created).toBe(ms('2027-01-11T09:00:00Z'));
    expect(third!.created).toBe(ms('2027-01-11T09:00:00Z'));
    // Cancelled sessions stay in the feed, and each change changes the ETag and Last-Modified.
    expect(readBoth(feeds[2]!).events).toHaveLength(2);
    expect(new Set(feeds.map(feedEtag)).size).toBe(3);
    expect(feedLastModified([rescheduled])).toBe('Mon, 01 Mar 2027 16:45:00 GMT');
    expect(feedLastModified([cancelled])).toBe('Tue, 20 Apr 2027 08:00:00 GMT');
  });

  it('raises a SEQUENCE only for a change a calendar shows: the window’s dates or texts, a session’s details, never a capacity', () => {
    const recorded = seriesRecorder('series-vd11');
    const history: RecordedEvent<SeriesEvent>[] = [
      recorded('2027-01-10T09:00:00.000Z', {
        type: 'SeriesCreated',
        data: { seriesId: 'vd11', kind: 'virtual-dialogue', title: { en: 'Dialogue' }, description: {}, timeZone: 'America/New_York', languages: ['en'], organiser, reminderOffsets: ['P1D'], window: { opens: '2027-04-24', closes: '2027-05-14' } },
      }),
      recorded('2027-01-11T09:00:00.000Z', {
        type: 'SessionScheduled',
        data: { seriesId: 'vd11', sessionId: 'webinar', startsAt: '2027-05-03T14:00:00.000Z', endsAt: '2027-05-03T15:00:00.000Z', timeZone: 'America/New_York', title: { en: 'Live webinar' }, language: 'en', speakers: [], capacity: 40 },
      }),
    ];
    const feedAt = () => readBoth(seriesFeed(scheduleFromEvents(history)!, options));
    const window = windowUid('vd11');
    const session = 'webinar@vd11.convene';
    expect(eventOf(feedAt(), window)).toMatchObject({ sequence: 0, dtstamp: ms('2027-01-10T09:00:00Z') });
    // More seats: nothing a calendar shows, so nothing moves (no update mail either: events/delivery/invites.ts follows SEQUENCE).
    history.push(recorded('2027-02-01T09:00:00.000Z', { type: 'SessionDetailsChanged', data: { seriesId: 'vd11', sessionId: 'webinar', capacity: 60 } }));
    expect(eventOf(feedAt(), session)).toMatchObject({ sequence: 0, dtstamp: ms('2027-01-11T09:00:00Z') });
    expect(eventOf(feedAt(), window)).toMatchObject({ sequence: 0 });
    // The same title again is no change either; a new one is.
    history.push(recorded('2027-02-02T09:00:00.000Z', { type: 'SessionDetailsChanged', data: { seriesId: 'vd11', sessionId: 'webinar', title: { en: 'Live webinar' } } }));
    expect(eventOf(feedAt(), session).sequence).toBe(0);
    history.push(recorded('2027-02-03T09:00:00.000Z', { type: 'SessionDetailsChanged', data: { seriesId: 'vd11', sessionId: 'webinar', title: { en: 'Live webinar with Q&A' } } }));
    expect(eventOf(feedAt(), session)).toMatchObject({ sequence: 1, dtstamp: ms('2027-02-03T09:00:00Z') });
    // The window closes a week later: its DTEND moves, so its SEQUENCE and DTSTAMP do.
    history.push(recorded('2027-03-01T12:00:00.000Z', { type: 'SeriesDetailsChanged', data: { seriesId: 'vd11', window: { opens: '2027-04-24', closes: '2027-05-21' } } }));
    expect(eventOf(feedAt(), window)).toMatchObject({ sequence: 1, end: '2027-05-22', dtstamp: ms('2027-03-01T12:00:00Z'), lastModified: ms('2027-03-01T12:00:00Z') });
    // Its title is the series': a new title is a change the window shows; reminders are not.
    history.push(recorded('2027-03-02T12:00:00.000Z', { type: 'SeriesDetailsChanged', data: { seriesId: 'vd11', reminderOffsets: ['PT1H'] } }));
    expect(eventOf(feedAt(), window).sequence).toBe(1);
    history.push(recorded('2027-03-03T12:00:00.000Z', { type: 'SeriesDetailsChanged', data: { seriesId: 'vd11', title: { en: 'Dialogue on care' } } }));
    expect(eventOf(feedAt(), window)).toMatchObject({ sequence: 2, summary: 'Dialogue on care' });
  });

  it('round-trips commas, semicolons, backslashes, quotes and long multilingual text through both parsers', () => {
    const tricky = 'Care, work; and \\ the "economy": a\\,b\\;c';
    const multilingual =
      'حوار افتراضي حول فهم التغيير من خلال التدريب على المساواة بين الجنسين — ' +
      'Diálogo virtual: ¿qué cambio logra la formación en igualdad de género? Año, niñez, acción; ' +
      'עברית, हिन्दी, 中文 and emoji 👩🏽‍🏫🌍';
    const description = `${multilingual}\nSecond line, with; punctuation \\ and a trailing space \n\nThird paragraph`;
    const schedule = series({
      seriesId: 'text',
      title: { en: tricky },
      organiser: { name: 'The "Care" Centre, Quito', email: 'care@example.org' },
      sessions: [
        session({ sessionId: 'tricky', title: { en: tricky }, startsAt: '2027-07-01T14:00:00.000Z', endsAt: '2027-07-01T15:00:00.000Z' }),
        session({
          sessionId: 'multilingual',
          title: { ar: multilingual },
          description: { ar: description },
          language: 'ar',
          speakers: [{ name: 'د. ليلى', affiliation: 'Universidad, Andina; Quito' }],
          joinUrl: 'https://webinar.example.org/join?room=a,b;c',
          startsAt: '2027-07-02T14:00:00.000Z',
          endsAt: '2027-07-02T15:00:00.000Z',
        }),
      ],
    });
    for (const language of ['en', 'ar']) {
      const ics = seriesFeed(schedule, { ...options, language });
      expectWellFormed(ics);
      expect(Buffer.byteLength(multilingual)).toBeGreaterThan(3 * 75);
      const feed = readBoth(ics);
      expect(feed.name).toBe(tricky);
      expect(eventOf(feed, 'tricky@text.convene').summary).toBe(tricky);
      const event = eventOf(feed, 'multilingual@text.convene');
      expect(event.summary).toBe(multilingual);
      expect(event.description!.startsWith(`${description}\n\n`)).toBe(true);
      expect(event.description).toContain(language === 'ar' ? 'المتحدثون: د. ليلى (Universidad, Andina; Quito)' : 'Speakers: د. ليلى (Universidad, Andina; Quito)');
      expect(event.description).toContain(language === 'ar' ? 'اللغة: العربية' : 'Language: Arabic');
      // A join URL with , or ; stays exact in LOCATION and DESCRIPTION (TEXT); the URL
      // property falls back to the series page, as ical-generator would escape it wrongly.
      expect(event.location).toBe('https://webinar.example.org/join?room=a,b;c');
      expect(event.description).toContain('https://webinar.example.org/join?room=a,b;c');
      expect(event.url).toBe(`${baseUrl}/series/text`);
      // DQUOTE cannot appear in a parameter value: the organiser's CN uses apostrophes.
      expect(event.organizer).toEqual({ cn: "The 'Care' Centre, Quito", address: `${baseUrl}/series/text` });
    }
  });

  it('round-trips a backslash before an "n" and a ";" in the organiser name (ical.js; node-ical misreads both)', () => {
    // node-ical 0.27 unescapes `\\n` to a backslash and a line break (it replaces `\n` before
    // `\\`), and splits quoted parameter values at `;`. The feed is right; ical.js reads it so.
    const schedule = series({
      seriesId: 'backslash',
      title: { en: 'C:\\new\\notes' },
      organiser: { name: 'Centre; Quito', email: 'care@example.org' },
      sessions: [session({ sessionId: 's', title: { en: 'C:\\new\\notes' }, startsAt: '2027-07-01T14:00:00.000Z', endsAt: '2027-07-01T15:00:00.000Z' })],
    });
    const ics = seriesFeed(schedule, options);
    expectWellFormed(ics);
    expect(contentLines(ics)).toContain('SUMMARY:C:\\\\new\\\\notes');
    expect(contentLines(ics)).toContain(`ORGANIZER;CN="Centre; Quito":${baseUrl}/series/backslash`);
    const feed = readWithIcalJs(ics);
    expect(feed.name).toBe('C:\\new\\notes');
    expect(eventOf(feed, 's@backslash.convene')).toMatchObject({ summary: 'C:\\new\\notes', organizer: { cn: 'Centre; Quito' } });
  });

  it('emits markup as plain text and cannot be made to inject lines or events', () => {
    const injection = 'Ignore this\r\nBEGIN:VEVENT\r\nUID:evil@x\r\nSUMMARY:Injected\r\nEND:VEVENT\r\nAnd this\nEND:VCALENDAR\rX-EVIL:1';
    const schedule = series({
      seriesId: 'hostile',
      title: { en: 'Series\r\nMETHOD:CANCEL' },
      description: { en: injection },
      window: { opens: '2027-07-01', closes: '2027-07-03' },
      kind: 'virtual-dialogue',
      sessions: [
        session({
          sessionId: 'script',
          title: { en: '<script>alert("x")</script> & <b>bold</b>' },
          description: { en: injection },
          speakers: [{ name: 'Eve\r\nATTENDEE:mailto:eve@example.org', affiliation: 'X\nY' }],
          startsAt: '2027-07-01T14:00:00.000Z',
          endsAt: '2027-07-01T15:00:00.000Z',
        }),
      ],
    });
    const ics = seriesFeed(schedule, { ...options, calendarName: 'Name\r\nX-INJECTED:1' });
    expectWellFormed(ics);
    const feed = readBoth(ics);
    expect(feed.events.map((e) => e.uid).sort()).toEqual(['script@hostile.convene', 'window@hostile.convene']);
    expect(nodeIcal.sync.parseICS(ics)['evil@x']).toBeUndefined();
    const lines = contentLines(ics);
    expect(lines.filter((line) => line === 'BEGIN:VEVENT')).toHaveLength(2);
    expect(lines.filter((line) => line.startsWith('METHOD:'))).toEqual(['METHOD:PUBLISH']);
    expect(lines.some((line) => /^(UID:evil|X-EVIL|X-INJECTED|ATTENDEE)/.test(line))).toBe(false);
    expect(lines.filter((line) => line === 'END:VCALENDAR')).toHaveLength(1);

    const script = eventOf(feed, 'script@hostile.convene');
    expect(script.summary).toBe('<script>alert("x")</script> & <b>bold</b>');
    expect(lines).toContain('SUMMARY:<script>alert("x")</script> & <b>bold</b>');
    expect(script.description!.startsWith(injection.replace(/\r\n|\r/g, '\n'))).toBe(true);
    expect(feed.name).toBe('Name\nX-INJECTED:1');
  });

  it('renders the same bytes whatever the clock and the host time zone say', () => {
    const render = () => [dialogue, care, dstSeries, southern].map((s) => seriesFeed(s, options)).join('');
    vi.useFakeTimers();
    vi.setSystemTime(new Date('2030-01-01T00:00:00Z'));
    const first = render();
    vi.setSystemTime(new Date('2027-05-03T14:00:00Z'));
    expect(render()).toBe(first);
    vi.useRealTimers();
    expect(render()).toBe(first);
    const hostZone = process.env.TZ;
    try {
      for (const zone of ['Pacific/Chatham', 'America/Santiago', 'Asia/Kolkata']) {
        process.env.TZ = zone;
        expect(new Date(2027, 0, 1).getTimezoneOffset()).not.toBe(0); // the host zone really changed
        expect(render()).toBe(first);
      }
    } finally {
      if (hostZone === undefined) delete process.env.TZ;
      else process.env.TZ = hostZone;
    }
    expect(seriesFeed(dialogue, options)).toBe(seriesFeed(dialogue, options));
  });
});

describe('recordings', () => {
  const ids = { seriesId: 'care', sessionId: 'lecture-1' };
  const checksum = `${'A'.repeat(43)}=`;
  const uploads = [
    { uploadId: 'u-video', asset: 'recording', fileName: 'lecture 1.mp4', contentType: 'video/mp4', size: 5_000_000 },
    { uploadId: 'u-vtt', asset: 'captions', fileName: 'lecture-1.en.vtt', contentType: 'text/vtt; charset=utf-8', size: 20_000 },
    { uploadId: 'u-txt', asset: 'transcript', fileName: 'lecture-1.txt', contentType: 'text/plain', size: 30_000 },
    { uploadId: 'u-pdf', asset: 'slides', fileName: 'slides.pdf', contentType: 'application/pdf', size: 900_000 },
  ] as const;
  const objectKey = (uploadId: string) => `recordings/care/lecture-1/${uploadId}/private-key`;
  const urlOf = (asset: RecordingFile['asset'], seriesId = 'care', sessionId = 'lecture-1') => recordingFileUrl(baseUrl, seriesId, sessionId, asset);

  /** The Care lecture's schedule: scheduled, then its four files archived, then published, then withdrawn. */
  function lifecycle() {
    const recorded = seriesRecorder('series-care');
    const history: RecordedEvent<SeriesEvent>[] = [
      recorded('2027-01-10T09:00:00.000Z', {
        type: 'SeriesCreated',
        data: {
          seriesId: 'care',
          kind: 'lecture-series',
          title: care.title,
          description: care.description,
          timeZone: 'America/New_York',
          languages: ['en', 'es'],
          organiser,
          reminderOffsets: ['P1D'],
        },
      }),
      recorded('2027-01-11T09:00:00.000Z', {
        type: 'SessionScheduled',
        data: {
          ...ids,
          startsAt: '2027-05-23T19:00:00.000Z',
          endsAt: '2027-05-23T20:30:00.000Z',
          timeZone: 'America/New_York',
          title: { en: 'Care work and the economy', es: 'El trabajo de cuidados y la economía' },
          language: 'en',
          speakers: [],
        },
      }),
    ];
    for (const upload of uploads) {
      history.push(
        recorded('2027-05-24T10:00:00.000Z', {
          type: 'RecordingUploadRequested',
          data: { ...ids, ...upload, objectKey: objectKey(upload.uploadId), expiresAt: '2027-05-25T10:00:00.000Z' },
        }),
        recorded('2027-05-24T11:00:00.000Z', {
          type: 'RecordingArchived',
          data: { ...ids, uploadId: upload.uploadId, objectKey: objectKey(upload.uploadId), size: upload.size, contentType: upload.contentType, checksum },
        }),
      );
    }
    const archived = scheduleFromEvents(history)!;
    history.push(recorded('2027-05-25T12:00:00.000Z', { type: 'RecordingPublished', data: { ...ids, publishedAt: '2027-05-25T12:00:00.000Z' } }));
    const published = scheduleFromEvents(history)!;
    history.push(recorded('2027-06-01T08:00:00.000Z', { type: 'RecordingWithdrawn', data: { ...ids, reason: 'Consent withdrawn' } }));
    const withdrawn = scheduleFromEvents(history)!;
    return { archived, published, withdrawn };
  }

  const uid = sessionUid('care', 'lecture-1');
  const sessionOf = (schedule: SeriesSchedule) => schedule.sessions.find((s) => s.sessionId === 'lecture-1')!;
  const typedAttachments = [
    { uri: urlOf('recording'), fmttype: 'video/mp4' },
    { uri: urlOf('captions'), fmttype: 'text/vtt' },
    { uri: urlOf('transcript'), fmttype: 'text/plain' },
    { uri: urlOf('slides'), fmttype: 'application/pdf' },
  ];

  it('shows a published recording in the series and member feeds: ATTACH with FMTTYPE, DESCRIPTION lines, a higher SEQUENCE', () => {
    const { archived, published } = lifecycle();
    expect(sessionOf(archived).recording).toBeUndefined();
    expect(sessionOf(published).recording?.files).toHaveLength(4);
    expect(sessionOf(published).sequence).toBe(sessionOf(archived).sequence + 1);

    const feeds = [seriesFeed(published, options), memberFeed([{ schedule: published, sessionIds: ['lecture-1'] }], { ...options, memberLanguage: 'en' })];
    for (const ics of feeds) {
      expectWellFormed(ics);
      const event = eventOf(readBoth(ics), uid);
      expect(event).toMatchObject({ sequence: sessionOf(published).sequence, dtstamp: ms('2027-05-25T12:00:00Z'), lastModified: ms('2027-05-25T12:00:00Z') });
      expect(event.attachments).toEqual(typedAttachments);
      expect(event.description!.split('\n\n').at(-1)).toBe(
        [
          `Recording: ${urlOf('recording')}`,
          `Captions: ${urlOf('captions')}`,
          `Transcript: ${urlOf('transcript')}`,
          `Slides: ${urlOf('slides')}`,
        ].join('\n'),
      );
      const lines = contentLines(ics);
      expect(lines.filter((line) => line.startsWith('ATTACH'))).toEqual([
        `ATTACH;FMTTYPE=video/mp4:${baseUrl}/series/care/sessions/lecture-1/recording/recording`,
        `ATTACH;FMTTYPE=text/vtt:${baseUrl}/series/care/sessions/lecture-1/recording/captions`,
        `ATTACH;FMTTYPE=text/plain:${baseUrl}/series/care/sessions/lecture-1/recording/transcript`,
        `ATTACH;FMTTYPE=application/pdf:${baseUrl}/series/care/sessions/lecture-1/recording/slides`,
      ]);
      // The ATTACH lines are long enough to fold: they were (at 75 octets), and unfold exactly.
      expect(ics).toMatch(/\r\nATTACH;FMTTYPE=application\/pdf:[^\r\n]+\r\n [^\r\n]+\r\n/);
      // Never the storage key, nor the file names.
      expect(ics).not.toContain('private-key');
      expect(ics).not.toContain('recordings/care');
      expect(ics).not.toContain('lecture 1.mp4');
    }
    // In the feed's language.
    const spanish = eventOf(readBoth(seriesFeed(published, { ...options, language: 'es' })), uid);
    expect(spanish.description).toContain(`Grabación: ${urlOf('recording')}\nSubtítulos: ${urlOf('captions')}`);
    expect(spanish.attachments).toEqual(typedAttachments);
    // Each change is a new ETag.
    expect(feedEtag(seriesFeed(published, options))).not.toBe(feedEtag(seriesFeed(archived, options)));
  });

  it('shows nothing before publication or once withdrawn, with SEQUENCE rising on withdrawal', () => {
    const { archived, published, withdrawn } = lifecycle();
    expect(sessionOf(withdrawn).recording).toBeUndefined();
    expect(sessionOf(withdrawn).sequence).toBe(sessionOf(published).sequence + 1);
    for (const [schedule, sequence] of [
      [archived, 0],
      [withdrawn, 2],
    ] as const) {
      for (const ics of [seriesFeed(schedule, options), memberFeed([{ schedule, sessionIds: 'all' }], { ...options, memberLanguage: 'en' })]) {
        expectWellFormed(ics);
        const event = eventOf(readBoth(ics), uid);
        expect(event.sequence).toBe(sequence);
        expect(event.sequence).toBe(sessionOf(schedule).sequence);
        expect(event.attachments).toEqual([]);
        expect(event.description).not.toMatch(/Recording|Captions|Transcript|Slides|\/recording\//);
        expect(contentLines(ics).some((line) => line.startsWith('ATTACH'))).toBe(false);
        expect(ics).not.toContain('private-key');
      }
    }
    expect(eventOf(readBoth(seriesFeed(withdrawn, options)), uid).dtstamp).toBe(ms('2027-06-01T08:00:00Z'));
    // The fixtures have no recordings: no ATTACH anywhere.
    for (const schedule of [dialogue, care, dstSeries, southern]) {
      const feed = readBoth(seriesFeed(schedule, options));
      expect(feed.events.every((event) => event.attachments.length === 0)).toBe(true);
      expect(seriesFeed(schedule, options)).not.toContain('ATTACH');
    }
  });

  it('keeps the line structure with hostile titles, file names and content types', () => {
    const file = (asset: RecordingFile['asset'], fileName: string, contentType: string): RecordingFile => ({
      asset,
      uploadId: `u-${asset}`,
      fileName,
      contentType,
      size: 1000,
      objectKey: `secret-bucket/${asset};key,1`,
    });
    const hostileName = 'evil.mp4\r\nATTACH:https://evil.example/x;y,z\r\nEND:VEVENT\r\nX-EVIL:1';
    const schedule = series({
      seriesId: 'a-rather-long-series-identifier-for-folding',
      title: { en: 'Title, with; commas\r\nX-EVIL:1' },
      sessions: [
        session({
          sessionId: 'a-rather-long-session-identifier-too',
          title: { en: 'Recorded; session, with\r\nATTACH:https://evil.example/title' },
          startsAt: '2027-07-01T14:00:00.000Z',
          endsAt: '2027-07-01T15:00:00.000Z',
          sequence: 1,
          recording: {
            publishedAt: '2027-07-02T09:00:00.000Z',
            files: [
              file('recording', hostileName, 'Video/MP4; codecs="avc1.42E01E, mp4a.40.2"'),
              file('captions', 'subs;1,2.vtt', 'text/vtt\r\nX-EVIL:1'),
              file('transcript', 'a\nb.txt', 'text/plain, text/html'),
              file('slides', 'deck "final".pdf', 'application/pdf'),
            ],
          },
        }),
        session({ sessionId: 'unrecorded', title: { en: 'Not recorded' }, startsAt: '2027-07-08T14:00:00.000Z', endsAt: '2027-07-08T15:00:00.000Z' }),
      ],
    });
    const seriesId = schedule.seriesId;
    const sessionId = 'a-rather-long-session-identifier-too';
    for (const ics of [seriesFeed(schedule, options), memberFeed([{ schedule, sessionIds: [sessionId, 'unrecorded'] }], { ...options, memberLanguage: 'fr' })]) {
      expectWellFormed(ics);
      const feed = readBoth(ics);
      expect(feed.events.map((e) => e.uid).sort()).toEqual([sessionUid(seriesId, sessionId), sessionUid(seriesId, 'unrecorded')]);
      const event = eventOf(feed, sessionUid(seriesId, sessionId));
      expect(event.summary).toBe('Recorded; session, with\nATTACH:https://evil.example/title');
      expect(event.sequence).toBe(1);
      // A content type with parameters gives its base type; one that is not a media type, no FMTTYPE.
      expect(event.attachments).toEqual([
        { uri: urlOf('recording', seriesId, sessionId), fmttype: 'video/mp4' },
        { uri: urlOf('captions', seriesId, sessionId), fmttype: undefined },
        { uri: urlOf('transcript', seriesId, sessionId), fmttype: undefined },
        { uri: urlOf('slides', seriesId, sessionId), fmttype: 'application/pdf' },
      ]);
      expect(eventOf(feed, sessionUid(seriesId, 'unrecorded')).attachments).toEqual([]);
      const lines = contentLines(ics);
      expect(lines.filter((line) => line.startsWith('ATTACH'))).toHaveLength(4);
      expect(lines.filter((line) => line === 'BEGIN:VEVENT')).toHaveLength(2);
      expect(lines.filter((line) => line === 'END:VEVENT')).toHaveLength(2);
      expect(lines.some((line) => /^(X-EVIL|ATTACH:https:\/\/evil)/.test(line))).toBe(false);
      expect(ics).not.toContain('evil.example/x');
      expect(ics).not.toContain('secret-bucket');
      expect(ics).not.toContain('key,1');
      // Long ATTACH lines were folded and still parse to the exact URI (checked above).
      expect(ics.split('\r\n').filter((line) => line.startsWith('ATTACH')).every((line) => Buffer.byteLength(line) <= 75)).toBe(true);
    }
    expect(eventOf(readBoth(memberFeed([{ schedule, sessionIds: 'all' }], { ...options, memberLanguage: 'fr' })), sessionUid(seriesId, sessionId)).description).toContain(
      `Enregistrement: ${urlOf('recording', seriesId, sessionId)}`,
    );
  });

  it('leaves a link the URI type cannot carry out of ATTACH but keeps it in DESCRIPTION', () => {
    // ical-generator would TEXT-escape `;` and `,` in ATTACH (as in URL), changing the URI.
    const odd = 'https://convene.example.org/app;v=2';
    const recordedSession = session({
      sessionId: 's1',
      title: { en: 'Recorded' },
      startsAt: '2027-07-01T14:00:00.000Z',
      endsAt: '2027-07-01T15:00:00.000Z',
      recording: {
        publishedAt: '2027-07-02T09:00:00.000Z',
        files: [{ asset: 'recording', uploadId: 'u1', fileName: 'a.mp4', contentType: 'video/mp4', size: 1, objectKey: 'k/u1' }],
      },
    });
    const ics = seriesFeed(series({ seriesId: 'odd', title: { en: 'Odd' }, sessions: [recordedSession] }), { baseUrl: odd });
    expectWellFormed(ics);
    const event = eventOf(readBoth(ics), sessionUid('odd', 's1'));
    expect(event.attachments).toEqual([]);
    expect(event.description).toContain(`Recording: ${recordingFileUrl(odd, 'odd', 's1', 'recording')}`);
    expect(recordingFileUrl(odd, 'odd', 's1', 'recording')).toContain(';');
  });
});

describe('memberFeed', () => {
  it('contains only the registered sessions across two series', () => {
    const ics = memberFeed(
      [
        { schedule: dialogue, sessionIds: ['live-webinar'] },
        { schedule: care, sessionIds: ['lecture-2', 'lecture-4', 'no-such-session'] },
      ],
      { ...options, memberLanguage: 'es' },
    );
    expectWellFormed(ics);
    const feed = readBoth(ics);
    expect(feed.events.map((e) => e.uid).sort()).toEqual([
      'lecture-2@care-economy-2027.convene',
      'lecture-4@care-economy-2027.convene',
      'live-webinar@vd10-understanding-change.convene',
    ]);
    expectSessions(feed, dialogue, dialogue.sessions);
    expectSessions(feed, care, care.sessions.filter((s) => ['lecture-2', 'lecture-4'].includes(s.sessionId)));
    // Named for its reader: the organiser of both series, and "my sessions" in her language.
    expect(feed.name).toBe('Training Centre · Mis sesiones');
    // In the member's language: Spanish labels, English title where there is no Spanish one.
    const webinar = eventOf(feed, 'live-webinar@vd10-understanding-change.convene');
    expect(webinar.summary).toBe('Live webinar: Understanding Change through Training for Gender Equality');
    expect(webinar.description).toContain('Idioma: inglés');
    expect(webinar.description).toContain('Ponentes: Guest speaker 1 (University of Haifa), Guest speaker 2, Guest speaker 3');
    // No personal data: no attendees, no member ids.
    expect(ics).not.toMatch(/ATTENDEE|demo-/);
  });

  it('includes the window and every session (cancelled ones too) of a series registered in full, once', () => {
    const cancelledLecture = { ...care.sessions[0]!, status: 'cancelled' as const, sequence: 1, updatedAt: '2027-05-20T10:00:00.000Z' };
    const careWithCancellation = { ...care, version: care.version + 1, sessions: [cancelledLecture, ...care.sessions.slice(1)] };
    const ics = memberFeed(
      [
        { schedule: care, sessionIds: ['lecture-1'] },
        { schedule: dialogue, sessionIds: 'all' },
        { schedule: careWithCancellation, sessionIds: ['lecture-3'] },
      ],
      { ...options, memberLanguage: 'en', calendarName: 'My Convene sessions' },
    );
    expectWellFormed(ics);
    const feed = readBoth(ics);
    expect(feed.name).toBe('My Convene sessions');
    expect(feed.events.map((e) => e.uid).sort()).toEqual([
      'lecture-1@care-economy-2027.convene',
      'lecture-3@care-economy-2027.convene',
      'live-webinar@vd10-understanding-change.convene',
      'window@vd10-understanding-change.convene',
    ]);
    expect(eventOf(feed, 'lecture-1@care-economy-2027.convene')).toMatchObject({ status: 'CANCELLED', sequence: 1, dtstamp: ms('2027-05-20T10:00:00Z') });
    expect(eventOf(feed, windowUid(dialogue.seriesId))).toMatchObject({ allDay: true, start: '2027-04-24', end: '2027-05-15' });
  });

  it('is named for its reader, in their language: the organiser when one runs all their series, else Convene', () => {
    const entries = [{ schedule: care, sessionIds: ['lecture-1'] }];
    const names = ['en', 'es', 'fr', 'ar'].map((memberLanguage) => readBoth(memberFeed(entries, { ...options, memberLanguage })).name);
    expect(names).toEqual(['Training Centre · My sessions', 'Training Centre · Mis sesiones', 'Training Centre · Mes sessions', 'Training Centre · جلساتي']);
    const other = { ...dialogue, organiser: { name: 'Red de Quito', email: 'quito@example.org' } };
    const ics = memberFeed([...entries, { schedule: other, sessionIds: ['live-webinar'] }], { ...options, memberLanguage: 'en' });
    expect(readBoth(ics).name).toBe('Convene · My sessions');
    expect(contentLines(ics)).toContain('X-WR-CALNAME:Convene · My sessions');
  });

  it('brings a dialogue’s window to a member registered for the whole series, though their sessions come listed', () => {
    const listed = { schedule: dialogue, sessionIds: dialogue.sessions.map((s) => s.sessionId) };
    const whole = readBoth(memberFeed([{ ...listed, window: true }], { ...options, memberLanguage: 'en' }));
    expect(whole.events.map((e) => e.uid)).toContain(windowUid(dialogue.seriesId));
    expect(eventOf(whole, windowUid(dialogue.seriesId))).toMatchObject({ allDay: true, start: '2027-04-24', end: '2027-05-15' });
    // Registered for one session only: that session, without the window.
    const one = readBoth(memberFeed([{ schedule: dialogue, sessionIds: ['live-webinar'], window: false }], { ...options, memberLanguage: 'en' }));
    expect(one.events.map((e) => e.uid)).toEqual(['live-webinar@vd10-understanding-change.convene']);
  });

  it('is independent of the order of the entries and byte-identical on every render', () => {
    const entries = [
      { schedule: southern, sessionIds: 'all' as const },
      { schedule: dstSeries, sessionIds: ['after-fall', 'before-spring'] },
      { schedule: care, sessionIds: ['lecture-3'] },
    ];
    const a = memberFeed(entries, { ...options, memberLanguage: 'ar' });
    const b = memberFeed([...entries].reverse(), { ...options, memberLanguage: 'ar' });
    expect(b).toBe(a);
    expect(feedEtag(b)).toBe(feedEtag(a));
    expectWellFormed(a);
    const feed = readBoth(a);
    expect(feed.events).toHaveLength(southern.sessions.length + 3);
    expectSessions(feed, southern);
    expect(usedTzids(a)).toEqual(['America/New_York', 'America/Santiago', 'Australia/Sydney']);
    expect(eventOf(feed, 'lecture-3@care-economy-2027.convene').description).toContain('اللغة: الإنجليزية');
  });
});

describe('feedEtag and feedLastModified', () => {
  it('makes a strong ETag from the bytes that changes with any change', () => {
    const etag = feedEtag(seriesFeed(care, options));
    expect(etag).toMatch(/^"[A-Za-z0-9_-]{43}"$/);
    expect(feedEtag(seriesFeed(care, options))).toBe(etag);
    const moved = { ...care, sessions: [{ ...care.sessions[0]!, sequence: 1, updatedAt: '2027-03-01T00:00:00.000Z' }, ...care.sessions.slice(1)] };
    expect(feedEtag(seriesFeed(moved, options))).not.toBe(etag);
    expect(feedEtag(seriesFeed(care, { ...options, language: 'es' }))).not.toBe(etag);
    expect(feedEtag('é')).not.toBe(feedEtag('e\u0301'));
  });

  it('gives the latest updatedAt as an HTTP date', () => {
    expect(feedLastModified([care, dialogue])).toBe('Tue, 02 Feb 2027 08:30:00 GMT');
    expect(feedLastModified([dialogue, { updatedAt: '2027-05-03T14:00:00.999Z' }])).toBe('Mon, 03 May 2027 14:00:00 GMT');
    expect(feedLastModified([])).toBe('Thu, 01 Jan 1970 00:00:00 GMT');
    expect(() => feedLastModified([{ updatedAt: 'yesterday' }])).toThrow(RangeError);
  });
});

describe('VTIMEZONE guard', () => {
  it('evaluates the generated blocks as ical.js reads them, hour by hour through 2027', () => {
    for (const zone of ['America/New_York', 'Australia/Sydney', 'America/Santiago', 'Asia/Jerusalem', 'Asia/Kolkata', 'Pacific/Chatham']) {
      const generated = zoneBlock(zone, [ms('2027-01-01T00:00:00Z'), ms('2027-12-31T23:59:59Z')])!;
      const timezone = new ICAL.Timezone({ component: new ICAL.Component(ICAL.parse(generated.component)), tzid: zone });
      let ambiguous = 0;
      for (let t = ms('2027-01-01T00:00:00Z'); t < ms('2028-01-01T00:00:00Z'); t += 3600_000) {
        // The wall time our evaluator gives, read back as a client would: through ical.js.
        const offset = offsetAt(generated, t)!;
        const wall = new Date(t + offset * 1000);
        const local = new ICAL.Time(
          { year: wall.getUTCFullYear(), month: wall.getUTCMonth() + 1, day: wall.getUTCDate(), hour: wall.getUTCHours(), minute: wall.getUTCMinutes(), second: 0 },
          timezone,
        );
        const read = timezone.utcOffset(local);
        if (read === offset) continue;
        // Only where the wall time occurs twice under the block may the reader pick the other one.
        expect(offsetAt(generated, wall.getTime() - read * 1000), `${zone} at ${new Date(t).toISOString()}`).toBe(read);
        expect(exactTzid(zone, [t])).toBeUndefined();
        ambiguous++;
      }
      expect(ambiguous, zone).toBeLessThanOrEqual(2);
    }
  }, 30_000);

  it('accepts a zone only for instants its block represents exactly', () => {
    expect(exactTzid('America/New_York', [ms('2027-03-14T06:59:00Z'), ms('2027-03-14T07:00:00Z')])).toBe('America/New_York');
    // 01:30 on 7 November happens twice: both instants are refused.
    expect(exactTzid('America/New_York', [ms('2027-11-07T05:30:00Z')])).toBeUndefined();
    expect(exactTzid('America/New_York', [ms('2027-11-07T06:30:00Z')])).toBeUndefined();
    // Blocks from the current tz data: no DST in Brazil any more, summer or winter.
    expect(exactTzid('America/Sao_Paulo', [ms('2027-07-01T12:00:00Z')])).toBe('America/Sao_Paulo');
    expect(exactTzid('America/Sao_Paulo', [ms('2027-12-01T12:00:00Z')])).toBe('America/Sao_Paulo');
    // The name the series gives, an alias too; a name adopted in 2022.
    expect(exactTzid('Asia/Calcutta', [ms('2027-07-01T12:00:00Z')])).toBe('Asia/Calcutta');
    expect(exactTzid('Europe/Kyiv', [ms('2027-07-01T12:00:00Z')])).toBe('Europe/Kyiv');
    expect(exactTzid('Not/AZone', [ms('2027-07-01T12:00:00Z')])).toBeUndefined();
  });
});
