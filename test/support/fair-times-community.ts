/** A community of practice much like the seeds': New York, Quito, Delhi, Sydney, London, Haifa, Ramallah (510 registrants). */
export const COMMUNITY: ReadonlyMap<string, number> = new Map([
  ['America/New_York', 120],
  ['America/Guayaquil', 80],
  ['Asia/Kolkata', 150],
  ['Australia/Sydney', 40],
  ['Europe/London', 60],
  ['Asia/Jerusalem', 30],
  ['Asia/Hebron', 30],
]);
