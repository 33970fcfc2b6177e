/**
 * The bytes of each feed, defined once: the API's feed routes answer them and the feed
 * renderer (functions/feed-renderer/) writes them to the feeds bucket, so both are the same.
 */
import type { SeriesSchedule } from '../../events/projections/schedule.js';
import { memberFeed, seriesFeed, type JoinLinker, type MemberFeedEntry } from './ical.js';

/** The schedule without what only registrants get (join links). */
export function withoutJoinLinks(schedule: SeriesSchedule): SeriesSchedule {
  return { ...schedule, sessions: schedule.sessions.map(({ joinUrl: _j, ...s }) => s) };
}

/** A series' public feed (`/feeds/series/{id}.ics`): no join links, no personal data. */
export function publicSeriesFeedBody(schedule: SeriesSchedule, baseUrl: string): string {
  return seriesFeed(withoutJoinLinks(schedule), { baseUrl });
}

/**
 * A member's personal feed (`/feeds/members/{token}.ics`) of the entries their inputs give,
 * with their own join links when `joinLink` is given (./ical.ts).
 */
export function personalFeedBody(inputs: { readonly entries: readonly MemberFeedEntry[]; readonly language: string }, baseUrl: string, joinLink?: JoinLinker): string {
  return memberFeed(inputs.entries, { baseUrl, memberLanguage: inputs.language, ...(joinLink ? { joinLink } : {}) });
}
