import type { Reporter, SerializedError, TestModule } from 'vitest/node';

/**
 * Prints one machine-readable line at the end of the run, which CI reads:
 * `tests: N passed, M failed` (+ `, K skipped` when some were skipped).
 * A module that failed without a failing test (import error, failing hook) and each
 * unhandled error count as one failure, so M > 0 whenever the run failed.
 */
export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<SerializedError>): void {
    let passed = 0;
    let failed = unhandledErrors.length;
    let skipped = 0;
    for (const module of testModules) {
      let moduleFailures = 0;
      for (const test of module.children.allTests()) {
        const state = test.result().state;
        if (state === 'passed') passed++;
        else if (state === 'failed') moduleFailures++;
        else if (state === 'skipped') skipped++;
      }
      if (moduleFailures === 0 && module.state() === 'failed') moduleFailures = 1;
      failed += moduleFailures;
    }
    const line = `tests: ${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}`;
    process.stdout.write(`${line}\n`);
  }
}
