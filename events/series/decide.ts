/** The rules of a series stream: what each command may do, given the series as it stands. */
import { emit, InvalidCommandError } from '../shared/decider.js';
import { definedOnly, sameValue } from '../shared/objects.js';
import { AlreadyExistsError, InvariantViolation, NotFoundError } from '../shared/errors.js';
import { checkWebUrl } from '../shared/values.js';
import { endOfDate, isLocalWallTime, resolveInstant, resolveWallTime, startOfDate } from '../time/wall-clock.js';
import type { SeriesCommand } from './commands.js';
import { assetFor, baseType, formatRefusal, sizeRefusal } from './recording-files.js';
import {
  RecordingArchived,
  RecordingPublicationScheduled,
  RecordingPublished,
  RecordingRejected,
  RecordingUploadExpired,
  RecordingUploadRequested,
  RecordingWithdrawn,
  SeriesCreated,
  SeriesDetailsChanged,
  SessionCancelled,
  SessionDetailsChanged,
  SessionRescheduled,
  SessionScheduled,
  type SeriesEvent,
} from './events.js';
import type { ActiveSeries, SeriesState, SessionState } from './state.js';

/** Longest session we accept: a 24-hour marathon. Longer events are dialogues (windows). */
export const MAX_SESSION_MINUTES = 24 * 60;

export function decideSeries(command: SeriesCommand, state: SeriesState): SeriesEvent[] {
  if (command.type === 'CreateSeries') {
    if (state.status !== 'absent') throw new AlreadyExistsError(`series ${command.seriesId} already exists`);
    const { type: _t, ...fields } = command;
    const created = emit(SeriesCreated, { ...fields, description: fields.description ?? {}, reminderOffsets: fields.reminderOffsets ?? [] });
    checkSeriesRules(created.data);
    return [created];
  }

  const series = requireSeries(state, command.seriesId);
  switch (command.type) {
    case 'ChangeSeriesDetails': {
      const { type: _t, seriesId, ...input } = command;
      const changes = emit(SeriesDetailsChanged, { seriesId, ...input }).data;
      const { seriesId: _s, ...changed } = changes;
      const next = { ...series, ...definedOnly(changed) };
      checkSeriesRules(next);
      for (const session of Object.values(series.sessions)) {
        if (session.status !== 'cancelled') checkWithinWindow(next, session.startsAt, session.endsAt, 'window');
      }
      const actual = Object.fromEntries(
        Object.entries(changed).filter(([key, value]) => value !== undefined && !sameValue(value, series[key as keyof ActiveSeries])),
      );
      if (Object.keys(actual).length === 0) return [];
      return [{ type: 'SeriesDetailsChanged', data: { seriesId, ...actual } }];
    }

    case 'ScheduleSession': {
      if (series.sessions[command.sessionId]) {
        throw new AlreadyExistsError(`session ${command.sessionId} already exists in series ${series.seriesId}`, 'sessionId');
      }
      const startsAt = resolveStart(command.start, series.timeZone, 'start');
      const endsAt = resolveEnd(startsAt, command, series.timeZone);
      const scheduled = emit(SessionScheduled, {
        seriesId: series.seriesId,
        sessionId: command.sessionId,
        startsAt,
        endsAt,
        timeZone: series.timeZone,
        title: command.title,
        description: command.description,
        language: command.language ?? series.languages[0]!,
        speakers: command.speakers ?? [],
        joinUrl: joinUrlOf(command.joinUrl),
        capacity: command.capacity,
      });
      checkSessionLanguage(series, scheduled.data.language);
      checkWithinWindow(series, startsAt, endsAt, 'start');
      return [scheduled];
    }

    case 'RescheduleSession': {
      const session = requireOpenSession(series, command.sessionId, 'rescheduled');
      const startsAt = command.start === undefined ? session.startsAt : resolveStart(command.start, series.timeZone, 'start');
      const keepDuration = command.durationMinutes === undefined && command.end === undefined;
      const endsAt = keepDuration
        ? new Date(Date.parse(startsAt) + Date.parse(session.endsAt) - Date.parse(session.startsAt)).toISOString()
        : resolveEnd(startsAt, command, series.timeZone);
      if (Date.parse(startsAt) === Date.parse(session.startsAt) && Date.parse(endsAt) === Date.parse(session.endsAt)) return [];
      checkWithinWindow(series, startsAt, endsAt, 'start');
      return [
        emit(SessionRescheduled, {
          seriesId: series.seriesId,
          sessionId: session.sessionId,
          startsAt,
          endsAt,
          timeZone: series.timeZone,
          previousStartsAt: session.startsAt,
          previousEndsAt: session.endsAt,
        }),
      ];
    }

    case 'ChangeSessionDetails': {
      const session = requireOpenSession(series, command.sessionId, 'changed');
      const { type: _t, seriesId, sessionId, ...input } = command;
      const { data } = emit(SessionDetailsChanged, { seriesId, sessionId, ...input, joinUrl: joinUrlOf(input.joinUrl) });
      if (data.language !== undefined) checkSessionLanguage(series, data.language);
      const { seriesId: _s, sessionId: _i, ...changed } = data;
      const actual = Object.fromEntries(
        Object.entries(changed).filter(([key, value]) => {
          if (value === undefined) return false;
          const current = session[key as keyof SessionState];
          return value === null ? current !== undefined : !sameValue(value, current);
        }),
      );
      if (Object.keys(actual).length === 0) return [];
      return [{ type: 'SessionDetailsChanged', data: { seriesId, sessionId, ...actual } }];
    }

    case 'CancelSession': {
      const session = requireSession(series, command.sessionId);
      if (session.status === 'cancelled') return [];
      return [emit(SessionCancelled, { seriesId: series.seriesId, sessionId: session.sessionId, reason: command.reason })];
    }

    case 'RequestRecordingUpload': {
      const session = requireOpenSession(series, command.sessionId, 'given a recording');
      if (session.uploads[command.uploadId]) throw new AlreadyExistsError(`upload ${command.uploadId} already exists`, 'uploadId');
      const { type: _t, asset: said, ...data } = command;
      const asset = assetFor(command.contentType, said);
      if ('refusal' in asset) throw new InvalidCommandError(`contentType: ${asset.refusal}`, 'contentType');
      const tooBig = sizeRefusal(asset.asset, command.size);
      if (tooBig) throw new InvalidCommandError(`size: ${tooBig}`, 'size');
      return [emit(RecordingUploadRequested, { ...data, asset: asset.asset })];
    }

    case 'ArchiveRecordingUpload': {
      const session = requireSession(series, command.sessionId);
      const upload = session.uploads[command.uploadId];
      if (!upload) throw new NotFoundError(`no upload ${command.uploadId} was announced for session ${command.sessionId}`, 'uploadId');
      if (upload.status !== 'requested') return []; // a redelivered storage notification
      const ids = { seriesId: series.seriesId, sessionId: session.sessionId, uploadId: upload.uploadId };
      const mismatch =
        command.objectKey !== upload.objectKey
          ? `the file arrived at ${command.objectKey}, not at the announced ${upload.objectKey}`
          : command.size !== upload.size
            ? `the file is ${command.size} bytes, but ${upload.size} were announced`
            : baseType(command.contentType) !== baseType(upload.contentType)
              ? `the file is ${command.contentType}, but ${upload.contentType} was announced`
              : upload.checksum !== undefined && command.checksum !== upload.checksum
                ? `the file's SHA-256 is ${command.checksum}, but ${upload.checksum} was announced: it changed on the way`
                : formatRefusal(command.format, upload.contentType);
      if (mismatch) return [emit(RecordingRejected, { ...ids, reason: mismatch })];
      const { type: _t, format: _f, ...arrived } = command;
      return [emit(RecordingArchived, arrived)];
    }

    case 'ExpireRecordingUpload': {
      const session = requireSession(series, command.sessionId);
      const upload = session.uploads[command.uploadId];
      if (!upload || upload.status !== 'requested' || Date.parse(command.now) < Date.parse(upload.expiresAt)) return [];
      return [emit(RecordingUploadExpired, { seriesId: series.seriesId, sessionId: session.sessionId, uploadId: upload.uploadId })];
    }

    case 'PublishRecording': {
      const session = requireSession(series, command.sessionId);
      const archived = Object.values(session.uploads).some((u) => u.status === 'archived' && u.asset === 'recording');
      if (!archived) {
        throw new InvariantViolation(
          'recording-not-archived',
          `session ${session.sessionId} has no archived recording yet: upload it and wait until it is archived`,
        );
      }
      if (session.publication.status === 'published') return [];
      const ids = { seriesId: series.seriesId, sessionId: session.sessionId };
      const at = command.at === undefined ? undefined : resolveStart(command.at, series.timeZone, 'at');
      if (at !== undefined && Date.parse(at) > Date.parse(command.now)) {
        if (session.publication.status === 'scheduled' && session.publication.publishAt === at) return [];
        return [emit(RecordingPublicationScheduled, { ...ids, publishAt: at })];
      }
      return [emit(RecordingPublished, { ...ids, publishedAt: command.now })];
    }

    case 'PublishDueRecording': {
      const session = requireSession(series, command.sessionId);
      const { publication } = session;
      if (publication.status !== 'scheduled' || Date.parse(publication.publishAt!) > Date.parse(command.now)) return [];
      return [emit(RecordingPublished, { seriesId: series.seriesId, sessionId: session.sessionId, publishedAt: command.now })];
    }

    case 'WithdrawRecording': {
      const session = requireSession(series, command.sessionId);
      if (session.publication.status !== 'published' && session.publication.status !== 'scheduled') return [];
      return [emit(RecordingWithdrawn, { seriesId: series.seriesId, sessionId: session.sessionId, reason: command.reason })];
    }
  }
}

function requireSeries(state: SeriesState, seriesId: string): ActiveSeries {
  if (state.status !== 'active') throw new NotFoundError(`no series ${seriesId}`);
  return state;
}

function requireSession(series: ActiveSeries, sessionId: string): SessionState {
  const session = series.sessions[sessionId];
  if (!session) throw new NotFoundError(`no session ${sessionId} in series ${series.seriesId}`, 'sessionId');
  return session;
}

function requireOpenSession(series: ActiveSeries, sessionId: string, verb: string): SessionState {
  const session = requireSession(series, sessionId);
  if (session.status === 'cancelled') {
    throw new InvariantViolation('session-cancelled', `session ${sessionId} is cancelled and cannot be ${verb}`, 'sessionId');
  }
  return session;
}

/** Rules across fields of a series, checked on creation and after every change. */
function checkSeriesRules(series: {
  kind: string;
  title: Record<string, string>;
  languages: readonly string[];
  window?: { opens: string; closes: string } | undefined;
}): void {
  const fallback = series.languages[0]!;
  if (new Set(series.languages).size !== series.languages.length) {
    throw new InvalidCommandError('languages: must not list a language twice', 'languages');
  }
  if (!series.title[fallback]) {
    throw new InvalidCommandError(`title: needs a title in ${fallback}, the series' first language`, `title.${fallback}`);
  }
  if (series.kind === 'virtual-dialogue') {
    if (!series.window) throw new InvalidCommandError('window: a virtual dialogue needs its discussion window (opens, closes)', 'window');
    if (series.window.closes < series.window.opens) {
      throw new InvariantViolation(
        'window-closes-before-opens',
        `window: a dialogue closes after it opens (opens ${series.window.opens}, closes ${series.window.closes})`,
        'window.closes',
      );
    }
  } else if (series.window) {
    throw new InvalidCommandError('window: only a virtual dialogue has a discussion window', 'window');
  }
}

/** A dialogue's live sessions fall within its window: from the day it opens to the end of the day it closes. */
function checkWithinWindow(
  series: { kind: string; timeZone: string; window?: { opens: string; closes: string } | undefined },
  startsAt: string,
  endsAt: string,
  field: string,
): void {
  if (series.kind !== 'virtual-dialogue' || !series.window) return;
  const { opens, closes } = series.window;
  if (Date.parse(startsAt) < Date.parse(startOfDate(opens, series.timeZone)) || Date.parse(endsAt) > Date.parse(endOfDate(closes, series.timeZone))) {
    throw new InvariantViolation(
      'session-outside-window',
      `${field}: a session of this dialogue must fall within its window, ${opens} to ${closes} (${series.timeZone}); one runs ${startsAt} to ${endsAt}`,
      field,
    );
  }
}

/**
 * A join URL goes into every invitation, reminder and personal feed: it must be a link the
 * mail composer accepts (values.ts checkWebUrl), so no mail is ever refused for it later.
 * Stored events may hold older http links (HttpUrl); the dispatcher reports those per mail.
 */
function joinUrlOf<T extends string | null | undefined>(joinUrl: T): T {
  if (joinUrl === undefined || joinUrl === null) return joinUrl;
  const checked = checkWebUrl(joinUrl);
  if ('problem' in checked) throw new InvalidCommandError(`joinUrl: ${checked.problem}`, 'joinUrl');
  return checked.href as T;
}

function checkSessionLanguage(series: ActiveSeries, language: string): void {
  if (!series.languages.includes(language)) {
    throw new InvalidCommandError(
      `language: ${language} is not one of the series' languages (${series.languages.join(', ')})`,
      'language',
    );
  }
}

function resolveStart(input: string, zone: string, field: string): string {
  if (isLocalWallTime(input)) return resolveWallTime(input, zone, field).utc;
  const instant = resolveInstant(input);
  if (!instant) {
    throw new InvalidCommandError(
      `${field}: must be a local time such as 2027-05-03T10:00 or an instant with offset such as 2027-05-03T14:00:00Z`,
      field,
    );
  }
  return instant;
}

function resolveEnd(startsAt: string, command: { durationMinutes?: number; end?: string }, zone: string): string {
  if (command.durationMinutes !== undefined && command.end !== undefined) {
    throw new InvalidCommandError('durationMinutes: give a duration or an end, not both', 'durationMinutes');
  }
  let endsAt: string;
  let field: string;
  if (command.end !== undefined) {
    endsAt = resolveStart(command.end, zone, 'end');
    field = 'end';
  } else {
    const minutes = command.durationMinutes;
    if (minutes === undefined) throw new InvalidCommandError('durationMinutes: a session needs a duration or an end', 'durationMinutes');
    if (!Number.isInteger(minutes)) throw new InvalidCommandError('durationMinutes: must be a whole number of minutes', 'durationMinutes');
    endsAt = new Date(Date.parse(startsAt) + minutes * 60_000).toISOString();
    field = 'durationMinutes';
  }
  const minutes = (Date.parse(endsAt) - Date.parse(startsAt)) / 60_000;
  if (minutes <= 0) throw new InvariantViolation('session-ends-before-start', `${field}: a session ends after it starts`, field);
  if (minutes > MAX_SESSION_MINUTES) {
    throw new InvariantViolation('session-too-long', `${field}: a session lasts at most ${MAX_SESSION_MINUTES} minutes`, field);
  }
  return endsAt;
}
