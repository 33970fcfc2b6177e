/**
 * Rebuild: replay every stream of the event table into read models. The result equals what
 * incremental projection produced: both write streamDocuments() of each whole stream, and only
 * over older versions (putIfNewer), so a rebuild can run beside a live projector.
 *
 * Every event is read once, by the event store's parallel Scan (scanAll): DynamoDB hands out a partition's items together
 * and in sort-key order, so a stream is folded as soon as the scan moves past it. The rebuild
 * does not bet correctness on that order: a stream whose events did not arrive as one gap-free
 * run from version 1 is read again by Query and projected the way the projector does. The
 * documents of many streams are written together (putAllIfNewer: transactions of up to 100
 * conditional puts), a few transactions in flight.
 */
import type { ConveneEvent } from '../../events/registry.js';
import { streamCategory } from '../../events/shared/event.js';
import type { ScannedEvent } from '../adapters/event-store/index.js';
import { StoredEventInvalidError } from '../adapters/event-store/errors.js';
import { MAX_WRITES_PER_TRANSACTION, type ReadModelStore, type ReadModelWrite } from '../read-models/read-model-store.js';
import { mapLimited } from '../map-limited.js';
import { projections } from './projections.js';
import { noteUnreadableStream, projectStream, streamDocuments, type ProjectorDeps } from './project-stream.js';

type Scanned = ScannedEvent<ConveneEvent>;

export interface RebuildReport {
  readonly streams: number;
  /** Streams with an event that cannot be read: left as they were, noted for their series' organisers. */
  readonly unreadable: readonly { readonly streamId: string; readonly version: number; readonly reason: string }[];
  /** Events the scan read (each once). */
  readonly events: number;
  readonly projected: number;
  readonly milliseconds: number;
}

export interface RebuildOptions {
  /** Parallel Scan segments reading the event table. */
  readonly segments?: number;
  /** Write transactions (and, for streams read again, Queries) in flight. */
  readonly concurrency?: number;
}

export async function rebuildReadModels(deps: ProjectorDeps, options: RebuildOptions | number = {}): Promise<RebuildReport> {
  const { segments = 4, concurrency = 8 } = typeof options === 'number' ? { concurrency: options } : options;
  const started = performance.now();
  const writer = batchWriter(deps.readModels, concurrency);
  /** Streams taken from the scan; those not trusted to it are read again afterwards. */
  const seen = new Set<string>();
  const again = new Set<string>();
  const runs: (Scanned[] | undefined)[] = new Array(segments);
  const unreadable: { streamId: string; version: number; reason: string }[] = [];
  let events = 0;
  /** One stream that cannot be read never stops the others. */
  const readable = async <T>(work: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await work();
    } catch (error) {
      if (!(error instanceof StoredEventInvalidError)) throw error;
      unreadable.push({ streamId: error.streamId, version: error.version, reason: error.message });
      await noteUnreadableStream(deps, error);
      return undefined;
    }
  };

  const finish = async (run: readonly Scanned[]) => {
    const { streamId } = run[0]!;
    if (seen.has(streamId)) return void again.add(streamId);
    seen.add(streamId);
    if (!projections[streamCategory(streamId)]) return;
    if (!run.every((scanned, i) => scanned.version === i + 1)) return void again.add(streamId);
    const documents = await readable(async () =>
      streamDocuments(
        run.map((scanned) => {
          if ('unreadable' in scanned) throw scanned.unreadable;
          return scanned.event;
        }),
      ),
    );
    if (documents) await writer.add(documents);
  };

  await deps.store.scanAll(
    async ({ segment, events: page, last }) => {
      let run = runs[segment];
      events += page.length;
      for (const scanned of page) {
        if (run && run[0]!.streamId !== scanned.streamId) {
          await finish(run);
          run = undefined;
        }
        (run ??= []).push(scanned);
      }
      runs[segment] = run;
      if (last && run) await finish(run);
    },
    { segments },
  );
  await writer.close();

  const reread = await mapLimited([...again], concurrency, (id) => readable(() => projectStream(deps, id)));
  const projected = writer.projected() + reread.filter((o) => o === 'projected').length;
  return { streams: seen.size, unreadable, events, projected, milliseconds: Math.round(performance.now() - started) };
}

/**
 * Gathers the documents of whole streams into putAllIfNewer calls of up to 100 writes (a
 * stream's documents never split between two calls running at once), `limit` calls in flight.
 */
function batchWriter(readModels: ReadModelStore, limit: number) {
  let pending: ReadModelWrite[][] = [];
  let count = 0;
  let projected = 0;
  let failure: unknown;
  const inFlight = new Set<Promise<void>>();

  const flush = async () => {
    const streams = pending;
    pending = [];
    count = 0;
    const call: Promise<void> = readModels.putAllIfNewer(streams.flat()).then(
      (outcomes) => {
        inFlight.delete(call);
        let at = 0;
        for (const writes of streams) {
          if (outcomes.slice(at, at + writes.length).includes('written')) projected++;
          at += writes.length;
        }
      },
      (error: unknown) => {
        inFlight.delete(call);
        failure ??= error;
      },
    );
    inFlight.add(call);
    while (inFlight.size >= limit) await Promise.race(inFlight);
    if (failure) throw failure;
  };

  return {
    async add(writes: ReadModelWrite[]) {
      if (writes.length === 0) return;
      if (count > 0 && count + writes.length > MAX_WRITES_PER_TRANSACTION) await flush();
      pending.push(writes);
      count += writes.length;
      if (count >= MAX_WRITES_PER_TRANSACTION) await flush();
    },
    async close() {
      if (count > 0) await flush();
      await Promise.all(inFlight);
      if (failure) throw failure;
    },
    projected: () => projected,
  };
}
