/** The benchmarks of the summary table, in the order of issue #8 (then issue #16's feed freshness and partition load); each is bench/<name>.ts. */
export const BENCHMARKS = ['registrations', 'reminders', 'feeds', 'feed-freshness', 'rebuild', 'cold-start', 'partition-load'] as const;
