/** The recordings archive as a page for a browser (functions/pages/recordings-page.tsx), from the schedule read model. */
import type { Context } from 'hono';
import type { SeriesSchedule } from '../../events/projections/schedule.js';
import { pickText } from '../feeds/ical.js';
import { pageHtml } from '../pages/layout.js';
import { languageSwitch } from './language-switch.js';
import { sessionTime } from '../pages/page-times.js';
import { RecordingsPage } from '../pages/recordings-page.js';
import { publicFiles } from '../recordings/links.js';
import { PAGE_VARY } from './negotiation.js';
import { pageTranslatorFor } from './page-language.js';

export function recordingsPage(c: Context, schedule: SeriesSchedule, baseUrl: string): Response {
  const tr = pageTranslatorFor(c, { series: schedule.languages });
  const pick = (texts: Readonly<Record<string, string>>) => pickText(texts, tr.language, schedule.languages);
  const recordings = schedule.sessions
    .filter((s) => s.recording !== undefined)
    .sort((a, b) => b.startsAt.localeCompare(a.startsAt) || a.sessionId.localeCompare(b.sessionId))
    .map((s) => ({
      sessionId: s.sessionId,
      title: pick(s.title) ?? s.sessionId,
      when: sessionTime(s.startsAt, s.endsAt, schedule.timeZone, tr.locale),
      speakers: s.speakers.map((speaker) => speaker.name),
      files: publicFiles(baseUrl, schedule.seriesId, s.sessionId, s.recording!),
    }));
  const html = pageHtml(
    <RecordingsPage tr={tr} languageHref={languageSwitch(c)} series={pick(schedule.title) ?? schedule.seriesId} seriesUrl={`/series/${encodeURIComponent(schedule.seriesId)}?lang=${tr.language}`} recordings={recordings} />,
  );
  return c.html(html, 200, { Vary: PAGE_VARY, 'Cache-Control': 'public, max-age=60' });
}
