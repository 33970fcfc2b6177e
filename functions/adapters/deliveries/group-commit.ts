/**
 * Group commit: single calls made while earlier ones are in flight are gathered and sent as one
 * batch call. A caller still waits for its own answer, so nothing about one call's meaning
 * changes; only the number of round trips (and their fixed cost) falls. With `inFlight` batch
 * calls running, a new call waits at most for one of them to return before its own goes out.
 */
export interface GroupCommitOptions<I> {
  /** Most items in one batch call. */
  readonly maxBatch: number;
  /** Batch calls running at once. */
  readonly inFlight: number;
  /** Items with the same key never share a batch (a transaction may touch an item only once). */
  readonly key: (item: I) => string;
}

interface Waiting<I, R> {
  readonly item: I;
  readonly resolve: (result: R) => void;
  readonly reject: (error: unknown) => void;
}

/** One call per item, answered from `many`, which must answer each item in order. */
export function groupCommit<I, R>(many: (items: readonly I[]) => Promise<readonly R[]>, options: GroupCommitOptions<I>): (item: I) => Promise<R> {
  const queue: Waiting<I, R>[] = [];
  let running = 0;
  let scheduled = false;

  const nextBatch = (): Waiting<I, R>[] => {
    const batch: Waiting<I, R>[] = [];
    const keys = new Set<string>();
    for (let i = 0; i < queue.length && batch.length < options.maxBatch; ) {
      const key = options.key(queue[i]!.item);
      if (keys.has(key)) {
        i++;
        continue;
      }
      keys.add(key);
      batch.push(...queue.splice(i, 1));
    }
    return batch;
  };

  const pump = () => {
    while (running < options.inFlight && queue.length > 0) {
      const batch = nextBatch();
      running++;
      many(batch.map((w) => w.item))
        .then(
          (results) => batch.forEach((w, i) => w.resolve(results[i]!)),
          (error: unknown) => batch.forEach((w) => w.reject(error)),
        )
        .finally(() => {
          running--;
          pump();
        });
    }
  };

  return (item) =>
    new Promise<R>((resolve, reject) => {
      queue.push({ item, resolve, reject });
      // Calls made in the same turn of the event loop go out together.
      if (!scheduled) {
        scheduled = true;
        queueMicrotask(() => {
          scheduled = false;
          pump();
        });
      }
    });
}
