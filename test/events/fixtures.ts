/** The seeds' series as events and commands: the 10th Virtual Dialogue and the Care Economy lectures. */
import type { SeriesCommand, SeriesEvent } from '../../events/series/index.js';

export const dialogueId = 'vd10';
export const careId = 'care-economy';

export const createDialogue: Extract<SeriesCommand, { type: 'CreateSeries' }> = {
  type: 'CreateSeries',
  seriesId: dialogueId,
  kind: 'virtual-dialogue',
  title: { en: 'Understanding Change through Training for Gender Equality' },
  description: { en: 'What kinds of change can training for gender equality achieve?' },
  timeZone: 'America/New_York',
  languages: ['en'],
  organiser: { name: 'Training Centre', email: 'training@example.org' },
  reminderOffsets: ['P7D', 'P1D', 'PT1H'],
  window: { opens: '2027-04-24', closes: '2027-05-14' },
};

export const dialogueCreated: SeriesEvent = {
  type: 'SeriesCreated',
  data: {
    seriesId: dialogueId,
    kind: 'virtual-dialogue',
    title: { en: 'Understanding Change through Training for Gender Equality' },
    description: { en: 'What kinds of change can training for gender equality achieve?' },
    timeZone: 'America/New_York',
    languages: ['en'],
    organiser: { name: 'Training Centre', email: 'training@example.org' },
    reminderOffsets: ['P7D', 'P1D', 'PT1H'],
    window: { opens: '2027-04-24', closes: '2027-05-14' },
  },
};

export const webinarScheduled: SeriesEvent = {
  type: 'SessionScheduled',
  data: {
    seriesId: dialogueId,
    sessionId: 'webinar',
    startsAt: '2027-05-03T14:00:00.000Z',
    endsAt: '2027-05-03T15:00:00.000Z',
    timeZone: 'America/New_York',
    title: { en: 'Live webinar' },
    language: 'en',
    speakers: [{ name: 'Guest speaker' }],
  },
};

export const careCreated: SeriesEvent = {
  type: 'SeriesCreated',
  data: {
    seriesId: careId,
    kind: 'lecture-series',
    title: { en: 'Care Economy Lecture Series', es: 'Ciclo de conferencias sobre la economía del cuidado' },
    description: {},
    timeZone: 'America/New_York',
    languages: ['en', 'es'],
    organiser: { name: 'Training Centre', email: 'training@example.org' },
    reminderOffsets: ['P1D', 'PT1H'],
  },
};
