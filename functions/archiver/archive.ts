/**
 * The archiver: S3 says a file arrived under `recordings/`; read it once (size, type, SHA-256,
 * first bytes), and let the series decider compare it with what the organiser announced:
 * `RecordingArchived`, or `RecordingRejected` with the reason. What is not kept is deleted at
 * once: a rejected file, a file that arrived after its upload expired, a file no upload announced.
 *
 * Safe to redeliver and to run twice at once: the decider archives an upload once (a second
 * notification finds it archived and appends nothing), and the event store's optimistic append
 * makes two archivers re-decide rather than both append.
 */
import type { S3Event } from 'aws-lambda';
import type { ConveneEvent } from '../../events/registry.js';
import { NotFoundError } from '../../events/shared/errors.js';
import { detectFormat, FORMAT_HEAD_BYTES } from '../../events/series/recording-files.js';
import { seriesDecider, seriesStreamId } from '../../events/series/index.js';
import type { EventStore } from '../adapters/event-store/event-store.js';
import type { RecordingStore } from '../adapters/recordings/recording-store.js';
import { handleCommand } from '../commands/command-handler.js';
import { seriesEvents } from '../adapters/event-store/category-stores.js';
import { decodeNotificationKey, uploadOfKey } from '../recordings/object-keys.js';

export type ArchiveOutcome = 'archived' | 'rejected' | 'already-archived' | 'discarded' | 'ignored';

export interface ArchiveReport {
  readonly key: string;
  readonly outcome: ArchiveOutcome;
  readonly reason?: string;
}

export interface ArchiverDeps {
  readonly store: EventStore<ConveneEvent>;
  readonly recordings: RecordingStore;
  /** When its events are recorded; default the real time. */
  readonly now?: () => Date;
  readonly log?: (level: 'info' | 'warn' | 'error', message: string, detail?: Record<string, unknown>) => void;
}

export function createArchiver(deps: ArchiverDeps) {
  const store = seriesEvents(deps.store);
  const log = deps.log ?? (() => {});

  /**
   * `versionId`: the version the notification names. Reading exactly it means a redelivered
   * notification of a file deleted since still reads (S3 answers a missing key with 403, not 404,
   * to a role that may not list the bucket), and a file put again later is judged on its own.
   */
  async function archiveObject(key: string, causationId: string, versionId?: string): Promise<ArchiveReport> {
    const ids = uploadOfKey(key);
    if (!ids) {
      log('warn', 'an object this app did not hand out a key for; left alone', { key });
      return { key, outcome: 'ignored' };
    }
    const file = await deps.recordings.inspect(key, FORMAT_HEAD_BYTES, versionId);
    if (!file) return { key, outcome: 'ignored' }; // deleted since: an older notification
    const discard = async (reason: string): Promise<ArchiveReport> => {
      await deps.recordings.remove(key);
      log('warn', 'upload not kept', { key, reason });
      return { key, outcome: 'discarded', reason };
    };
    let result;
    try {
      result = await handleCommand({
        store,
        decider: seriesDecider,
        streamId: seriesStreamId(ids.seriesId),
        command: {
          type: 'ArchiveRecordingUpload',
          ...ids,
          objectKey: key,
          size: file.size,
          contentType: file.contentType,
          checksum: file.checksum,
          ...(file.versionId ? { versionId: file.versionId } : {}),
          format: detectFormat(file.head),
        },
        context: { actor: { kind: 'system', id: 'archiver' }, correlationId: causationId, causationId, ...(deps.now ? { now: deps.now } : {}) },
      });
    } catch (error) {
      if (error instanceof NotFoundError) return discard(error.message);
      throw error;
    }
    const rejected = result.events.find((e) => e.type === 'RecordingRejected');
    if (rejected?.type === 'RecordingRejected') {
      await deps.recordings.remove(key);
      log('info', 'upload rejected', { key, reason: rejected.data.reason });
      return { key, outcome: 'rejected', reason: rejected.data.reason };
    }
    if (result.events.some((e) => e.type === 'RecordingArchived')) return { key, outcome: 'archived' };
    const upload = result.state.status === 'active' ? result.state.sessions[ids.sessionId]?.uploads[ids.uploadId] : undefined;
    if (upload?.status === 'archived' && upload.objectKey === key) {
      // Put again over an archived file (its upload link still lives): the verified version is the one served.
      if (upload.checksum !== file.checksum) log('warn', 'an archived file was put again; the archived version is still served', { key, archived: upload.versionId });
      return { key, outcome: 'already-archived' };
    }
    return discard(`upload ${ids.uploadId} is ${upload?.status ?? 'unknown'}: the file came too late or twice`);
  }

  /** Every ObjectCreated record of one notification; throws after trying all if any failed (S3 retries). */
  async function handle(event: S3Event): Promise<ArchiveReport[]> {
    const reports: ArchiveReport[] = [];
    const failures: unknown[] = [];
    for (const record of event.Records) {
      if (!record.eventName.startsWith('ObjectCreated:')) continue;
      const key = decodeNotificationKey(record.s3.object.key);
      try {
        const causation = record.responseElements?.['x-amz-request-id'] ?? `s3:${key}`;
        reports.push(await archiveObject(key, causation, record.s3.object.versionId || undefined));
      } catch (error) {
        log('error', 'could not archive', { key, error: String(error) });
        failures.push(error);
      }
    }
    if (failures.length > 0) throw new AggregateError(failures, `${failures.length} of ${event.Records.length} files could not be archived`);
    return reports;
  }

  return { handle, archiveObject };
}
