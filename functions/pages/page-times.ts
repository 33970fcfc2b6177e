/**
 * Times as the series page writes them before any script runs: in the series' home zone,
 * with the UTC offset of that moment ("Thursday, 25 March 2027, 16:00–17:30 (Europe/Rome,
 * UTC+01:00)"), so a visitor anywhere can work out their own time, and nothing is wrong
 * without script. When start and end have different offsets (a DST change in between, or an
 * ambiguous wall time), both offsets are shown.
 */
import { clockFormat, dayFormat, offsetFormat } from './formats.js';

export interface PageTime {
  /** What the page shows. */
  readonly text: string;
  /** The start as an RFC 3339 UTC instant, for `<time datetime>`. */
  readonly datetime: string;
}

/** "UTC+02:00" (and "UTC+00:00" where Intl says plain "GMT"). */
function offset(instant: Date, zone: string): string {
  const name = offsetFormat(zone).formatToParts(instant).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
  return name === 'GMT' ? 'UTC+00:00' : name.replace(/^GMT/, 'UTC');
}

export function sessionTime(startsAt: string, endsAt: string, zone: string, locale: string): PageTime {
  const start = new Date(startsAt);
  const end = new Date(endsAt);
  const comma = locale.startsWith('ar') ? '، ' : ', ';
  const day = dayFormat(locale, zone);
  const clock = clockFormat(locale, zone);
  const [startDay, endDay] = [day.format(start), day.format(end)];
  const [startOffset, endOffset] = [offset(start, zone), offset(end, zone)];
  const sameOffset = startOffset === endOffset;
  const startText = `${clock.format(start)}${sameOffset ? '' : ` (${startOffset})`}`;
  const endText = `${startDay === endDay ? '' : `${endDay}${comma}`}${clock.format(end)}${sameOffset ? '' : ` (${endOffset})`}`;
  const zoneText = sameOffset ? `${zone}${comma}${startOffset}` : zone;
  return { text: `${startDay}${comma}${startText}–${endText} (${zoneText})`, datetime: start.toISOString().replace(/\.000Z$/, 'Z') };
}

/** A day of a dialogue's open window, in the home zone. */
export function windowDay(instant: string, zone: string, locale: string): string {
  return dayFormat(locale, zone).format(new Date(instant));
}
