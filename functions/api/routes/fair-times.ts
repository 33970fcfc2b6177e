/**
 * `GET /admin/series/{seriesId}/fair-times`: how fair a series' times are to the zones of its
 * registrants (or of chosen members, or of another series' registrants), and better times:
 * the series' own sessions scored, explicit candidates (`at=`), the best start times between
 * two dates (`from`, `to`), a rotation of N sessions sharing the nights out (`rotation=N`), a
 * twin session (`twin=true`). JSON by default; with `Accept: image/svg+xml` (or `format=svg`)
 * a heat map of one week's hours in the series' zone, shaded by the share of registrants
 * awake, the sessions and the chosen times marked. A read: nothing is written. The work is
 * the pure functions of events/fair-times/; this file only gathers their inputs.
 */
import { Hono, type Context } from 'hono';
import { DateTime } from 'luxon';
import {
  FairTimesInputError,
  candidateWallTimes,
  chooseTwin,
  groupZonesByOffsetBand,
  groupZonesByRegion,
  isoWeekOf,
  planRotation,
  scoreCandidate,
  scoreCandidates,
  suggestTimes,
  weekHeatMap,
  type FairTimeOptions,
  type ZoneWeights,
} from '../../../events/fair-times/index.js';
import type { ConveneEvent } from '../../../events/registry.js';
import type { ActiveSeries } from '../../../events/series/index.js';
import type { EventStore } from '../../adapters/event-store/event-store.js';
import { seriesEvents } from '../../adapters/event-store/category-stores.js';
import type { ReadModelReader } from '../../read-models/read-model-store.js';
import { pickText } from '../../feeds/ical.js';
import { heatMapSvg } from '../../pages/heat-map-svg.js';
import type { OrganiserVariables } from '../auth.js';
import { chosenMembers, registrantsOf, type Registrants } from '../fair-times-registrants.js';
import { readFairTimesQuery, type FairTimesQuery } from '../fair-times-query.js';
import { rotationView, scoreView, suggestionsView, twinView, zonesView } from '../fair-times-view.js';
import { BadRequestError, fieldProblem } from '../problems.js';
import { mount } from '../mount-route.js';
import { cachedSeriesLoader } from './series-stream.js';

export interface FairTimesDeps {
  readonly store: EventStore<ConveneEvent>;
  readonly readModels: ReadModelReader;
  readonly clock?: () => Date;
}

const DEFAULT_DURATION_MINUTES = 60;
const MINUTE_MS = 60_000;

/** The sessions still to be held or held: cancelled ones bear no one's night. */
const scheduled = (series: ActiveSeries) => Object.values(series.sessions).filter((s) => s.status === 'scheduled').sort((a, b) => a.startsAt.localeCompare(b.startsAt));

/** A session's length in minutes. */
const minutesOf = (s: { readonly startsAt: string; readonly endsAt: string }) => Math.round((Date.parse(s.endsAt) - Date.parse(s.startsAt)) / MINUTE_MS);

/** The series' usual session length (the median), else an hour. */
function usualDuration(series: ActiveSeries): number {
  const lengths = scheduled(series).map(minutesOf).sort((a, b) => a - b);
  return lengths.length === 0 ? DEFAULT_DURATION_MINUTES : lengths[Math.floor((lengths.length - 1) / 2)]!;
}

/**
 * At most this many candidate times in one request, so the heaviest stays within a few seconds
 * on the API function (512 MB: about a third of a vCPU; its timeout is 10 s). Measured on this
 * machine's one core (`npm run bench:fair-times`, README): ranking 1,000 times for 400 zones
 * takes about 0.2 s; a twin weighs every pair, so a rotation or a twin takes fewer.
 */
export const MAX_RANGE_CANDIDATES = 5_000;
export const MAX_PLAN_CANDIDATES = 1_200;

/** Every candidate time in the range, ranked (suggestTimes with no cut): the best are suggested, the rotation and twin choose among all. */
function rankRange(query: FairTimesQuery, on: { homeZone: string; durationMinutes: number; zones: ZoneWeights; options: Omit<FairTimeOptions, 'homeZone'> }) {
  const input = {
    homeZone: on.homeZone,
    dates: { from: query.from!, to: query.to! },
    window: query.window ?? { from: '00:00', to: '23:30' },
    ...(query.every ? { everyMinutes: query.every } : {}),
    ...(query.weekdays ? { weekdays: query.weekdays } : {}),
  };
  const planning = query.rotation !== undefined || query.twin === 'true';
  const limit = planning ? MAX_PLAN_CANDIDATES : MAX_RANGE_CANDIDATES;
  const count = candidateWallTimes(input).length;
  if (count > limit) {
    throw new BadRequestError('invalid-query', `${count} candidate times is more than ${limit}${planning ? ' for a rotation or a twin' : ''}: narrow the dates, the window or the weekdays, or step further (every).`, [
      fieldProblem(['from'], `${count} candidate times between from and to; at most ${limit}`),
    ]);
  }
  return suggestTimes({ ...input, durationMinutes: on.durationMinutes, zones: on.zones, count: Number.MAX_SAFE_INTEGER, options: on.options });
}

const wantsSvg = (c: Context, query: FairTimesQuery) => (query.format ? query.format === 'svg' : /\bimage\/svg\+xml\b/i.test(c.req.header('accept') ?? ''));

/** The domain's refusal of an input, as the 400 naming the parameter it came from. */
function asQueryProblem(error: unknown): never {
  if (error instanceof FairTimesInputError) {
    const parameter = (error.field ?? 'query').split(/[.[]/)[0]!.replace(/^dates$/, 'from').replace(/^everyMinutes$/, 'every').replace(/^minGapMinutes$/, 'twinGap').replace(/^starts?$/, 'at');
    throw new BadRequestError('invalid-query', error.message, [fieldProblem([parameter], error.message)]);
  }
  throw error;
}

export function fairTimesRoutes(deps: FairTimesDeps) {
  const app = new Hono<{ Variables: OrganiserVariables }>();
  const loadSeries = cachedSeriesLoader(seriesEvents(deps.store));
  const clock = deps.clock ?? (() => new Date());

  mount(app, 'fairTimes', async (c) => {
    const query = readFairTimesQuery(c);
    const series = await loadSeries(c.req.param('seriesId'), { fresh: true });
    if (query.registrantsOf) await loadSeries(query.registrantsOf); // 404 for a series that is not there
    const registrants: Registrants = query.members
      ? await chosenMembers(deps.readModels, query.members)
      : await registrantsOf(deps.readModels, query.registrantsOf ?? series.seriesId);
    const zones = registrants.grouping.weights;
    const homeZone = series.timeZone;
    const durationMinutes = query.duration ?? usualDuration(series);
    const options: Omit<FairTimeOptions, 'homeZone'> = { ...(query.waking ? { wakingHours: query.waking } : {}), ...(query.night ? { nightHours: query.night } : {}) };
    const homeLocal = (s: { readonly startMs: number }) => DateTime.fromMillis(s.startMs, { zone: homeZone }).toFormat("yyyy-MM-dd'T'HH:mm");
    const title = (texts: Readonly<Record<string, string>>) => pickText(texts, series.languages[0] ?? 'en', series.languages) ?? '';

    try {
      // The series' own sessions, each at its own length.
      const sessions = scheduled(series).map((s) => ({
        session: s,
        score: scoreCandidate(s.startsAt, minutesOf(s), zones, { ...options, homeZone }),
      }));
      const candidates = query.at ? scoreCandidates(query.at, durationMinutes, zones, { ...options, homeZone }) : undefined;
      // Every candidate time in the range, ranked: the best `count` are suggested, and the rotation and twin choose among all.
      const range = query.from && query.to ? rankRange(query, { homeZone, durationMinutes, zones, options }) : undefined;
      const pool = range?.suggestions.map((s) => s.score) ?? [];
      const suggestions = range && { ...range, suggestions: range.suggestions.slice(0, query.count ?? 5) };
      const rotation =
        query.rotation !== undefined
          ? planRotation({
              sessions: query.rotation,
              slots: pool,
              groups: query.groupBy === 'offset' ? groupZonesByOffsetBand(zones.keys(), pool[0]?.startMs ?? Date.parse(`${query.from}T12:00:00Z`)) : groupZonesByRegion(zones.keys()),
              ...(query.threshold !== undefined ? { nightShareThreshold: query.threshold } : {}),
              ...(query.perSlot !== undefined ? { maxUsesPerSlot: query.perSlot } : {}),
            })
          : undefined;
      const twin = query.twin === 'true' ? chooseTwin(pool, { minGapMinutes: query.twinGap ?? 0 }) : undefined;

      const next = sessions.find((s) => Date.parse(s.session.endsAt) > clock().getTime()) ?? sessions[0];
      const week = query.week ?? query.from ?? (next ? DateTime.fromISO(next.session.startsAt, { zone: homeZone }).toISODate()! : DateTime.fromJSDate(clock(), { zone: homeZone }).toISODate()!);
      c.header('Cache-Control', 'no-store');
      c.header('Vary', 'Accept');

      if (wantsSvg(c, query)) {
        const chosen: { start: string; label: string }[] = [
          ...(candidates ?? []).map((s, i) => ({ start: s.start, label: `Candidate ${i + 1}` })),
          ...(rotation ? rotation.sessions.map((s, i) => ({ start: s.start, label: `Rotation, session ${i + 1}` })) : []),
          ...(twin ? [{ start: twin.first.start, label: 'Twin session, first time' }, { start: twin.second.start, label: 'Twin session, second time' }] : []),
          ...(!rotation && !twin ? (suggestions?.suggestions ?? []).map((s) => ({ start: s.score.start, label: `Suggestion ${s.rank}` })) : []),
        ];
        const map = weekHeatMap({
          homeZone,
          week,
          durationMinutes,
          zones,
          options,
          marks: [...sessions.map((s) => ({ start: s.session.startsAt, label: title(s.session.title), kind: 'session' as const })), ...chosen.map((m) => ({ ...m, kind: 'suggestion' as const }))],
        });
        c.header('Content-Disposition', `inline; filename="${series.seriesId}-fair-times-${map.week}.svg"`);
        return c.body(heatMapSvg(map, { title: `${title(series.title)}: who is awake` }), 200, { 'Content-Type': 'image/svg+xml; charset=utf-8' });
      }

      return c.json({
        seriesId: series.seriesId,
        homeZone,
        durationMinutes,
        wakingHours: options.wakingHours ?? { from: '08:00', to: '21:00' },
        nightHours: options.nightHours ?? { from: '23:00', to: '06:00' },
        registrants: {
          source: registrants.source,
          ...(registrants.seriesId ? { seriesId: registrants.seriesId } : {}),
          ...zonesView(registrants.grouping),
          ...(registrants.membersWithoutZone.length > 0 ? { membersWithoutZone: registrants.membersWithoutZone } : {}),
        },
        sessions: sessions.map(({ session, score }) => ({ sessionId: session.sessionId, title: title(session.title), homeLocal: homeLocal(score), ...scoreView(score) })),
        ...(candidates ? { candidates: candidates.map((s) => ({ homeLocal: homeLocal(s), ...scoreView(s) })) } : {}),
        ...(suggestions ? { suggestions: suggestionsView(suggestions) } : {}),
        ...(rotation ? { rotation: rotationView(rotation, homeLocal) } : {}),
        ...(query.twin === 'true' ? { twin: twinView(twin, homeLocal) } : {}),
        heatMap: { week: isoWeekOf(week).week, accept: 'image/svg+xml' },
      });
    } catch (error) {
      return asQueryProblem(error);
    }
  });

  return app;
}
