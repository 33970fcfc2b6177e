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
import { handleCommand } from '../../functions/commands/command-handler.js';
import { memberEvents, seriesEvents } from '../../functions/adapters/event-store/category-stores.js';

const organiser = { name: 'Training Centre', email: 'training@example.org' };

/** The 10th Virtual Dialogue: open 24 April to 14 May, one-hour live webinar on 3 May. */
export const dialogueCommands: SeriesCommand[] = [
  {
    type: 'CreateSeries',
    seriesId: 'vd10-understanding-change',
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
    window: { opens: '2027-04-24', closes: '2027-05-14' },
  },
  {
    type: 'ScheduleSession',
    seriesId: 'vd10-understanding-change',
    sessionId: 'live-webinar',
    title: { en: 'Live webinar: Understanding Change through Training for Gender Equality' },
    description: { en: 'Three expert guest speakers; send your questions through the webinar questions facility.' },
    start: '2027-05-03T10:00',
    durationMinutes: 60,
    language: 'en',
    speakers: [{ name: 'Guest speaker 1' }, { name: 'Guest speaker 2' }, { name: 'Guest speaker 3' }],
    joinUrl: 'https://webinar.example.org/vd10',
    capacity: 500,
  },
];

/** The Care Economy lecture series: live webinars in English and Spanish. */
const careLectures: [string, string, string][] = [
  ['2027-05-23T15:00', 'en', 'Care work and the economy'],
  ['2027-05-30T15:00', 'es', 'Trabajo de cuidados y economía'],
  ['2027-06-06T15:00', 'en', 'Measuring unpaid care'],
  ['2027-06-27T15:00', 'es', 'Políticas públicas de cuidado'],
];

export const careCommands: SeriesCommand[] = [
  {
    type: 'CreateSeries',
    seriesId: 'care-economy-2027',
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
      seriesId: 'care-economy-2027',
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

/** Members from Haifa to Quito, Delhi and New York, registered by the organiser. */
const members: [string, string, string][] = [
  ['demo-haifa', 'ar', 'Asia/Jerusalem'],
  ['demo-ramallah', 'ar', 'Asia/Hebron'],
  ['demo-quito', 'es', 'America/Guayaquil'],
  ['demo-delhi', 'en', 'Asia/Kolkata'],
  ['demo-new-york', 'en', 'America/New_York'],
];

export const memberCommands: MemberCommand[] = members.flatMap(([memberId, language, timeZone]) =>
  ['vd10-understanding-change', 'care-economy-2027'].map(
    (seriesId): MemberCommand => ({
      type: 'RequestRegistration',
      memberId,
      seriesId,
      registrationId: `${memberId}-${seriesId}`,
      sessions: 'all',
      language,
      timeZone,
      source: 'organiser',
    }),
  ),
);

export interface SeedReport {
  readonly appended: number;
  readonly streams: readonly string[];
}

/** Run every demo command; commands whose effect is already there change nothing. */
export async function seedDemoData(store: EventStore<ConveneEvent>): Promise<SeedReport> {
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
  for (const command of memberCommands) {
    const stream = memberStreamId(command.memberId);
    streams.add(stream);
    appended += (await handleCommand({ store: memberEvents(store), decider: memberDecider, streamId: stream, command, context })).events.length;
  }
  return { appended, streams: [...streams] };
}
