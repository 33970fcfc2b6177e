/**
 * Where each read model lives in the read-model table (functions/tables.ts `readModelTable`):
 * the keys the projector writes under and every reader reads by.
 */
import type { ReadModelKey } from './read-model-store.js';

export const scheduleKey = (seriesId: string): ReadModelKey => ({ pk: `series#${seriesId}`, sk: 'schedule' });
export const memberRegistrationsKey = (memberId: string): ReadModelKey => ({ pk: `member#${memberId}`, sk: 'registrations' });
/** A series' roster: one item per registered member, queried by series. */
export const rosterPk = (seriesId: string) => `roster#${seriesId}`;
export const rosterKey = (seriesId: string, memberId: string): ReadModelKey => ({ pk: rosterPk(seriesId), sk: `member#${memberId}` });

/**
 * What the dispatcher finds its work through (functions/dispatcher/): the mail queue holds one
 * item per stream that changed since the dispatcher last reconciled it (series: everyone's
 * invites; member: theirs); the timetable one small item per series (when its reminders can
 * fall due); custom offsets one item per member who chose their own reminder offsets.
 */
export const MAIL_QUEUE_PK = 'mail-queue';
export const mailQueueKey = (streamId: string): ReadModelKey => ({ pk: MAIL_QUEUE_PK, sk: streamId });
export const TIMETABLE_PK = 'timetable';
export const timetableKey = (seriesId: string): ReadModelKey => ({ pk: TIMETABLE_PK, sk: seriesId });
export const customOffsetsPk = (seriesId: string) => `offsets#${seriesId}`;
export const customOffsetsKey = (seriesId: string, memberId: string): ReadModelKey => ({ pk: customOffsetsPk(seriesId), sk: memberId });

/**
 * Streams of a series whose events no longer fold (one fails its schema on read): one item per
 * stream, written by the projector when it sets such a record aside, shown to the series'
 * organisers until the stream projects past it (its main document reaches `version`).
 */
export const projectionFailuresPk = (seriesId: string) => `projection-failures#${seriesId}`;
export const projectionFailureKey = (seriesId: string, streamId: string): ReadModelKey => ({ pk: projectionFailuresPk(seriesId), sk: streamId });
