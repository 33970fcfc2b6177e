/** The seeds' series as events and commands: the 10th Virtual Dialogue and the Care Economy lectures. */
import type { SeriesCommand, SeriesEvent } from '../../events/series/index.js';
import { careRequest, dialogueRequest } from '../support/seed-requests.js';

export const dialogueId = 'vd10';
export const careId = 'care-economy';

export const createDialogue: Extract<SeriesCommand, { type: 'CreateSeries' }> = { type: 'CreateSeries', seriesId: dialogueId, ...dialogueRequest };

export const dialogueCreated: SeriesEvent = { type: 'SeriesCreated', data: { seriesId: dialogueId, ...dialogueRequest } };

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

export const careCreated: SeriesEvent = { type: 'SeriesCreated', data: { seriesId: careId, ...careRequest, description: {} } };
