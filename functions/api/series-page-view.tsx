/**
 * The series page as the API renders it for a browser, from the read models: the schedule,
 * the roster (seats left), links to the public feed and the recordings. Used by `GET
 * /series/{id}` and by the registration form's POST when it shows the form again (422).
 */
import type { Context } from 'hono';
import { seatsFor } from '../../events/projections/seats.js';
import type { SeriesSchedule } from '../../events/projections/schedule.js';
import { pickText } from '../feeds/ical.js';
import type { RosterEntry } from '../../events/projections/member-registrations.js';
import { boundedCache } from '../bounded-cache.js';
import { getRosterEntries } from '../read-models/queries.js';
import type { ReadModelStore } from '../read-models/read-model-store.js';
import { publicFiles, recordingsArchiveUrl } from '../recordings/links.js';
import { pageHtml } from '../pages/layout.js';
import { languageSwitch } from './language-switch.js';
import { sessionTime, windowDay } from '../pages/page-times.js';
import { SeriesPage, type RegistrationFormState } from '../pages/series-page.js';
import { subscribeLinks } from '../pages/subscribe-links.js';
import { PAGE_VARY } from './negotiation.js';
import { COMMON_OFFSETS, pageTranslatorFor, ZONES } from './page-language.js';

export interface SeriesPageDeps {
  readonly readModels: ReadModelStore;
  readonly baseUrl: string;
}

/**
 * How long the page counts seats from one read of the roster. The roster is sharded (32
 * partitions, functions/read-models/keys.ts, so that no partition is written once per
 * registration): reading it is 32 queries, which a page viewed often should not send each
 * time. Seats left may lag by this much; the edge keeps the page a minute anyway, and a seat
 * is only ever given by the roster itself (events/projections/seats.ts), never by this count.
 */
export const SEATS_FRESH_MS = 15_000;
const ROSTERS_KEPT = 100;

export function seriesPageRenderer(deps: SeriesPageDeps & { readonly now?: () => Date }) {
  const now = deps.now ?? (() => new Date());
  const rosters = boundedCache<{ readonly readAt: number; readonly entries: Promise<RosterEntry[]> }>(ROSTERS_KEPT);
  const rosterOf = (seriesId: string) => {
    const at = now().getTime();
    const kept = rosters.peek(seriesId);
    if (kept && at - kept.readAt < SEATS_FRESH_MS) return kept.entries;
    const entries = getRosterEntries(deps.readModels, seriesId);
    rosters.set(seriesId, { readAt: at, entries });
    entries.catch(() => rosters.delete(seriesId));
    return entries;
  };
  return async (c: Context, schedule: SeriesSchedule, form?: RegistrationFormState) => {
    const tr = pageTranslatorFor(c, { series: schedule.languages });
    const pick = (texts: Readonly<Record<string, string>> | undefined) => (texts ? pickText(texts, tr.language, schedule.languages) : undefined);
    const roster = schedule.sessions.some((s) => s.capacity !== undefined) ? await rosterOf(schedule.seriesId) : [];
    const title = pick(schedule.title) ?? schedule.seriesId;
    const feedUrl = `${deps.baseUrl}/feeds/series/${encodeURIComponent(schedule.seriesId)}.ics`;
    const page = (
      <SeriesPage
        tr={tr}
        languageHref={languageSwitch(c)}
        title={title}
        kind={schedule.kind}
        description={pick(schedule.description)}
        organiser={schedule.organiser.name}
        contactEmail={schedule.organiser.contactEmail}
        window={schedule.window ? { start: windowDay(schedule.window.opens, schedule.timeZone, tr.locale), end: windowDay(schedule.window.closes, schedule.timeZone, tr.locale) } : undefined}
        timeZone={schedule.timeZone}
        sessions={schedule.sessions.map((s) => {
          const seats = s.capacity === undefined ? undefined : seatsFor(s, roster);
          return {
            sessionId: s.sessionId,
            title: pick(s.title) ?? s.sessionId,
            description: pick(s.description),
            when: sessionTime(s.startsAt, s.endsAt, schedule.timeZone, tr.locale),
            language: s.language,
            speakers: s.speakers.map((speaker) => speaker.name),
            cancelled: s.status === 'cancelled',
            cancellationReason: s.status === 'cancelled' ? s.cancellationReason : undefined,
            seatsLeft: seats?.capacity === undefined ? undefined : Math.max(0, seats.capacity - seats.seated.length),
            files: s.recording ? publicFiles(deps.baseUrl, schedule.seriesId, s.sessionId, s.recording) : [],
          };
        })}
        subscribe={subscribeLinks(feedUrl, title)}
        recordingsUrl={recordingsArchiveUrl(deps.baseUrl, schedule.seriesId)}
        action={`/series/${encodeURIComponent(schedule.seriesId)}/registrations?lang=${tr.language}`}
        zones={ZONES}
        reminderChoices={[...new Set([...schedule.reminderOffsets, ...COMMON_OFFSETS])]}
        form={form ?? { values: { name: '', email: '', language: tr.language, timeZone: '', sessions: ['all'], reminders: schedule.reminderOffsets, consent: false }, problems: [] }}
      />
    );
    c.header('Vary', PAGE_VARY);
    if (form) {
      c.header('Cache-Control', 'no-store');
      return c.html(pageHtml(page), 422);
    }
    c.header('Cache-Control', 'public, max-age=60');
    return c.html(pageHtml(page));
  };
}
