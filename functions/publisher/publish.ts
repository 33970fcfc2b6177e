/**
 * The publisher, run every minute by an EventBridge schedule (locally by the clock tick of
 * `npm start`): posts recordings whose publication time has come, and expires uploads whose
 * file never arrived. It finds both through the timetable (one small item per series), not by
 * reading streams, and lets the series decider say what is due: a tick that runs twice, or two
 * publishers at once, append each event once (the decider finds it done; the append is optimistic).
 */
import type { ConveneEvent } from '../../events/registry.js';
import { seriesDecider, seriesStreamId, type SeriesCommand } from '../../events/series/index.js';
import type { EventStore } from '../adapters/event-store/event-store.js';
import type { ReadModelStore } from '../read-models/read-model-store.js';
import { handleCommand } from '../commands/command-handler.js';
import { seriesEvents } from '../adapters/event-store/category-stores.js';
import { mapLimited } from '../map-limited.js';
import type { SeriesTimetable } from '../read-models/documents.js';
import { getTimetables } from '../read-models/queries.js';

export interface PublisherDeps {
  readonly store: EventStore<ConveneEvent>;
  readonly readModels: ReadModelStore;
  readonly log?: (level: 'info' | 'warn' | 'error', message: string, detail?: Record<string, unknown>) => void;
}

export interface PublisherReport {
  readonly published: number;
  readonly expired: number;
  readonly failed: number;
}

/** Commands due at `now` according to the timetables. */
export function dueCommands(timetables: readonly SeriesTimetable[], now: Date): Extract<SeriesCommand, { type: 'PublishDueRecording' | 'ExpireRecordingUpload' }>[] {
  const at = now.getTime();
  const iso = now.toISOString();
  return timetables.flatMap(({ seriesId, sessions }) =>
    sessions.flatMap(({ sessionId, recordingPublishAt, pendingUploads = [] }) => [
      ...(recordingPublishAt !== undefined && Date.parse(recordingPublishAt) <= at
        ? [{ type: 'PublishDueRecording' as const, seriesId, sessionId, now: iso }]
        : []),
      ...pendingUploads
        .filter((u) => Date.parse(u.expiresAt) <= at)
        .map((u) => ({ type: 'ExpireRecordingUpload' as const, seriesId, sessionId, uploadId: u.uploadId, now: iso })),
    ]),
  );
}

export function createPublisher(deps: PublisherDeps) {
  const store = seriesEvents(deps.store);
  const log = deps.log ?? (() => {});

  async function tick({ now }: { now: Date }): Promise<PublisherReport> {
    const timetables = await getTimetables(deps.readModels);
    const commands = dueCommands(timetables, now);
    const correlationId = `publisher:${now.toISOString()}`;
    const outcomes = await mapLimited(commands, 4, async (command) => {
      try {
        const { events } = await handleCommand({
          store,
          decider: seriesDecider,
          streamId: seriesStreamId(command.seriesId),
          command,
          context: { actor: { kind: 'system', id: 'publisher' }, correlationId, now: () => now },
        });
        return events.length === 0 ? 'none' : command.type === 'PublishDueRecording' ? 'published' : 'expired';
      } catch (error) {
        log('error', 'could not run a due recording command', { command, error: String(error) });
        return 'failed';
      }
    });
    const count = (o: string) => outcomes.filter((x) => x === o).length;
    const report = { published: count('published'), expired: count('expired'), failed: count('failed') };
    if (commands.length > 0) log('info', 'tick', { due: commands.length, ...report });
    return report;
  }

  return { tick };
}
