/**
 * Demo data for `npm start`: the series from the seed pages (../shared/seeds/) as commands,
 * run through the same command handler the API uses. Ids are fixed, so a restart on the same
 * data folder finds them and adds nothing.
 */
import { memberDecider, memberStreamId, type MemberCommand } from '../../events/member/index.js';
import { AlreadyExistsError } from '../../events/shared/errors.js';
import type { ConveneEvent } from '../../events/registry.js';
import { seriesDecider, seriesStreamId, type SeriesCommand } from '../../events/series/index.js';
import type { EventStore } from '../../functions/adapters/event-store/event-store.js';
import type { MemberDirectory } from '../../functions/adapters/members/member-directory.js';
import { handleCommand } from '../../functions/commands/command-handler.js';
import { memberEvents, seriesEvents } from '../../functions/adapters/event-store/category-stores.js';

const organiser = { name: 'Training Centre', email: 'training@example.org' };

export const DIALOGUE_SERIES_ID = 'vd10-understanding-change';
export const CARE_SERIES_ID = 'care-economy-2028';

/**
 * The 10th Virtual Dialogue: open Monday 24 April to Sunday 14 May, one-hour live webinar on
 * Wednesday 3 May. The seed's weekdays are 2028's (2027's 24 April is a Saturday).
 */
export const dialogueCommands: SeriesCommand[] = [
  {
    type: 'CreateSeries',
    seriesId: DIALOGUE_SERIES_ID,
    kind: 'virtual-dialogue',
    title: { en: 'Understanding Change through Training for Gender Equality' },
    description: {
      en:
        'What kinds of change can training for gender equality achieve? What kinds of change has it achieved so far? ' +
        'How can we assess and evaluate this change? The 10th Virtual Dialogue of the Community of Practice on ' +
        'Training for Gender Equality, open for discussion from Monday 24 April to Sunday 14 May.',
    },
    timeZone: 'America/New_York',
    languages: ['en'],
    organiser,
    reminderOffsets: ['P7D', 'P1D', 'PT1H'],
    window: { opens: '2028-04-24', closes: '2028-05-14' },
  },
  {
    type: 'ScheduleSession',
    seriesId: DIALOGUE_SERIES_ID,
    sessionId: 'live-webinar',
    title: { en: 'Live webinar: Understanding Change through Training for Gender Equality' },
    description: { en: 'Three expert guest speakers; send your questions through the webinar questions facility.' },
    start: '2028-05-03T10:00',
    durationMinutes: 60,
    language: 'en',
    speakers: [{ name: 'Guest speaker 1' }, { name: 'Guest speaker 2' }, { name: 'Guest speaker 3' }],
    joinUrl: 'https://webinar.example.org/vd10',
    capacity: 500,
  },
];

/** The Care Economy lecture series: live webinars in English and Spanish on the seed's days (23 May, 30 May, 6 and 27 June), in the demo's year. */
const careLectures: [string, string, string][] = [
  ['2028-05-23T15:00', 'en', 'Care work and the economy'],
  ['2028-05-30T15:00', 'es', 'Trabajo de cuidados y economía'],
  ['2028-06-06T15:00', 'en', 'Measuring unpaid care'],
  ['2028-06-27T15:00', 'es', 'Políticas públicas de cuidado'],
];


export const careCommands: SeriesCommand[] = [
  {
    type: 'CreateSeries',
    seriesId: CARE_SERIES_ID,
    kind: 'lecture-series',
    title: { en: 'Care Economy Lecture Series', es: 'Ciclo de conferencias sobre la economía del cuidado' },
    description: {
      en: 'Free live online lectures on the care economy, led by international experts.',
      es: 'Conferencias en línea, gratuitas y en vivo, sobre la economía del cuidado, a cargo de especialistas internacionales.',
    },
    timeZone: 'America/New_York',
    languages: ['en', 'es'],
    organiser,
    reminderOffsets: ['P1D', 'PT1H'],
  },
  ...careLectures.map(
    ([start, language, title], i): SeriesCommand => ({
      type: 'ScheduleSession',
      seriesId: CARE_SERIES_ID,
      sessionId: `lecture-${i + 1}`,
      title: { [language]: title },
      start,
      durationMinutes: 90,
      language,
      speakers: [],
      joinUrl: `https://webinar.example.org/care-${i + 1}`,
    }),
  ),
];

/** A demo member: an example.org address (the local mailbox shows their mail), a name, a language and a zone. */
export interface DemoMember {
  readonly city: string;
  readonly email: string;
  readonly name: string;
  readonly language: string;
  readonly timeZone: string;
}

/** Members from Haifa to Quito, Delhi and New York, registered by the organiser. */
export const DEMO_MEMBERS: readonly DemoMember[] = [
  { city: 'Haifa', email: 'amal.haddad@example.org', name: 'أمل حداد', language: 'ar', timeZone: 'Asia/Jerusalem' },
  { city: 'Ramallah', email: 'salma.khalil@example.org', name: 'سلمى خليل', language: 'ar', timeZone: 'Asia/Hebron' },
  { city: 'Quito', email: 'lucia.perez@example.org', name: 'Lucía Pérez', language: 'es', timeZone: 'America/Guayaquil' },
  { city: 'Delhi', email: 'priya.sharma@example.org', name: 'Priya Sharma', language: 'en', timeZone: 'Asia/Kolkata' },
  { city: 'New York', email: 'dana.miller@example.org', name: 'Dana Miller', language: 'en', timeZone: 'America/New_York' },
];

const memberCommandsOf = (memberId: string, m: DemoMember): MemberCommand[] =>
  [DIALOGUE_SERIES_ID, CARE_SERIES_ID].map((seriesId) => ({
    type: 'RequestRegistration',
    memberId,
    seriesId,
    registrationId: `demo-${seriesId}`,
    sessions: 'all',
    language: m.language,
    timeZone: m.timeZone,
    source: 'organiser',
  }));

export interface SeedReport {
  readonly appended: number;
  readonly streams: readonly string[];
  /** Each demo member's id, with the member. */
  readonly members: readonly (DemoMember & { readonly memberId: string })[];
}

/**
 * Run every demo command; commands whose effect is already there change nothing. Members are
 * found or made by address in the member directory, as the API does.
 */
export async function seedDemoData(store: EventStore<ConveneEvent>, directory: MemberDirectory, now = new Date()): Promise<SeedReport> {
  const context = { actor: { kind: 'system', id: 'demo-data' }, correlationId: 'demo-data' } as const;
  let appended = 0;
  const streams = new Set<string>();
  for (const command of [...dialogueCommands, ...careCommands]) {
    const stream = seriesStreamId(command.seriesId);
    streams.add(stream);
    try {
      appended += (await handleCommand({ store: seriesEvents(store), decider: seriesDecider, streamId: stream, command, context })).events.length;
    } catch (error) {
      if (!(error instanceof AlreadyExistsError)) throw error; // seeded by an earlier start
    }
  }
  const members: (DemoMember & { memberId: string })[] = [];
  for (const m of DEMO_MEMBERS) {
    const { member } = await directory.findOrCreate(m.email, m.name, now);
    members.push({ ...m, memberId: member.memberId });
    const stream = memberStreamId(member.memberId);
    streams.add(stream);
    for (const command of memberCommandsOf(member.memberId, m)) {
      appended += (await handleCommand({ store: memberEvents(store), decider: memberDecider, streamId: stream, command, context })).events.length;
    }
  }
  return { appended, streams: [...streams], members };
}
