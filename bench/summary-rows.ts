/** The benchmarks of the summary table, in the order of issue #8 (then issue #16's feed freshness and partition load, issue #17's pages); each is bench/<name>.ts. */
export const BENCHMARKS = ['registrations', 'reminders', 'feeds', 'feed-freshness', 'rebuild', 'cold-start', 'partition-load', 'pages'] as const;
