/** The benchmarks of the summary table, in the order of issue #8; each is bench/<name>.ts. */
export const BENCHMARKS = ['registrations', 'reminders', 'feeds', 'rebuild', 'cold-start'] as const;
