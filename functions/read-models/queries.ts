/**
 * The queries readers use (API routes, dispatcher, publisher): each read model by its key, with
 * the version of the stream it reflects where a reader needs it. Reads only; the projector is
 * the only writer (functions/projector/).
 */
import type { CustomOffsets, MailQueueItem, MemberRegistrations, ProjectionFailure, RosterEntry, SeriesSchedule, SeriesTimetable } from './documents.js';
import { MAIL_QUEUE_PK, TIMETABLE_PK, customOffsetsPk, memberRegistrationsKey, projectionFailuresPk, rosterPk, scheduleKey } from './keys.js';
import type { ReadModelReader, StoredDocument } from './read-model-store.js';

const docs = <T>(stored: readonly StoredDocument<T>[]) => stored.map(({ doc }) => doc);

export const getSchedule = (readModels: ReadModelReader, seriesId: string) => readModels.get<SeriesSchedule>(scheduleKey(seriesId));

export const getMemberRegistrations = (readModels: ReadModelReader, memberId: string) =>
  readModels.get<MemberRegistrations>(memberRegistrationsKey(memberId));

/** A series' roster entries, each with the version of the member stream it reflects. */
export const getRoster = (readModels: ReadModelReader, seriesId: string) => readModels.query<RosterEntry>(rosterPk(seriesId));

export const getRosterEntries = async (readModels: ReadModelReader, seriesId: string): Promise<RosterEntry[]> => docs(await getRoster(readModels, seriesId));

/** Every series' timetable. */
export const getTimetables = async (readModels: ReadModelReader): Promise<SeriesTimetable[]> => docs(await readModels.query<SeriesTimetable>(TIMETABLE_PK));

/** The streams that changed since the dispatcher last reconciled them, each item at its version. */
export const getMailQueue = (readModels: ReadModelReader) => readModels.query<MailQueueItem>(MAIL_QUEUE_PK);

export const getCustomOffsets = async (readModels: ReadModelReader, seriesId: string): Promise<CustomOffsets[]> =>
  docs(await readModels.query<CustomOffsets>(customOffsetsPk(seriesId)));

export const getProjectionFailures = async (readModels: ReadModelReader, seriesId: string): Promise<ProjectionFailure[]> =>
  docs(await readModels.query<ProjectionFailure>(projectionFailuresPk(seriesId)));
