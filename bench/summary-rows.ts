/** The benchmarks of the summary table, in the order of issue #8 (then issue #16's partition load); each is bench/<name>.ts. */
export const BENCHMARKS = ['registrations', 'reminders', 'feeds', 'rebuild', 'cold-start', 'partition-load'] as const;
