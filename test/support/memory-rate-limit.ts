/**
 * A rate-limit counter in memory, counting like the DynamoDB one (per client and window, up to
 * the limit) and answering at once. The test app's default: a counter that does no I/O keeps
 * the timing of every other suite as it was (test/api/hostile-input.e2e.test.ts races a client
 * that half-closes against the app's answer). The DynamoDB counter is tested on its own
 * (test/functions/rate-limit-counter.int.test.ts) and with the real limits over HTTP
 * (test/api/rate-limit.e2e.test.ts).
 */
import type { CountRequest, RateLimitCounter } from '../../functions/adapters/rate-limits/rate-limit-counter.js';

export interface MemoryRateLimitCounter extends RateLimitCounter {
  /** Every request counted or refused, in order. */
  readonly seen: readonly CountRequest[];
}

export function memoryRateLimitCounter(): MemoryRateLimitCounter {
  const counts = new Map<string, number>();
  const seen: CountRequest[] = [];
  return {
    seen,
    async take(request) {
      seen.push(request);
      const key = `${request.client}|${request.windowSeconds}|${request.windowStart}`;
      const n = counts.get(key) ?? 0;
      if (n >= request.limit) return false;
      counts.set(key, n + 1);
      return true;
    },
  };
}
