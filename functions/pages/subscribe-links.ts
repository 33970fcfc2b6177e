/**
 * The ways to add a calendar feed, as the subscribe buttons offer them: `webcal:` (Apple
 * Calendar, Outlook on a computer, most phone calendars subscribe from it), Google Calendar's
 * add-by-URL link, Outlook.com's add-from-web link, and the plain file.
 */
import type { SubscribeLinks } from './member-pages.js';

export function subscribeLinks(feedUrl: string, calendarName: string): SubscribeLinks {
  const webcal = feedUrl.replace(/^https?:/, 'webcal:');
  return {
    webcal,
    google: `https://calendar.google.com/calendar/render?cid=${encodeURIComponent(webcal)}`,
    outlook: `https://outlook.live.com/calendar/0/addfromweb?url=${encodeURIComponent(feedUrl)}&name=${encodeURIComponent(calendarName)}`,
    download: feedUrl,
  };
}
