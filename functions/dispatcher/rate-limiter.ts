/**
 * Spaces sends evenly at a rate under the mail service's maximum send rate: each `take()`
 * waits for its turn. One limiter per dispatcher process; with several dispatchers at once
 * each should get a share (see the dispatcher's `sendRate`).
 */
export interface RateLimiter {
  take(): Promise<void>;
  /** Pushes every later turn back (after the service said "too fast"). */
  pause(ms: number): void;
}

export function createRateLimiter(perSecond: number, clock: () => number = () => performance.now()): RateLimiter {
  if (!(perSecond > 0)) throw new RangeError(`send rate must be above zero, got ${perSecond}`);
  const interval = 1000 / perSecond;
  let next = 0;
  return {
    async take() {
      const now = clock();
      const at = Math.max(now, next);
      next = at + interval;
      if (at > now) await new Promise((resolve) => setTimeout(resolve, at - now));
    },
    pause(ms) {
      next = Math.max(next, clock() + ms);
    },
  };
}
