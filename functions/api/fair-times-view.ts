/**
 * What the fair-times route answers in JSON: scores without their per-zone lists (a score
 * reads every zone; 400 zones for each of a dozen times is noise to an organiser), the worst
 * off zones kept with their local times.
 */
import type { CandidateScore, RotationPlan, Suggestions, TwinChoice, ZoneGrouping, ZoneTime } from '../../events/fair-times/index.js';

const zoneView = (z: ZoneTime) => ({
  zone: z.zone,
  count: z.count,
  localStart: z.local.start,
  localEnd: z.local.end,
  weekday: z.local.weekdayName,
  dayShift: z.local.dayShift,
  offset: z.local.offset,
  nightMinutes: z.local.nightMinutes,
  distanceMinutes: z.local.distanceMinutes,
});

export const scoreView = (s: CandidateScore) => ({
  start: s.start,
  end: s.end,
  durationMinutes: s.durationMinutes,
  total: s.total,
  awake: s.awake,
  awakeShare: s.awakeShare,
  night: s.night,
  nightShare: s.nightShare,
  worstBadness: s.worstBadness,
  worstOff: s.worstOff.map(zoneView),
});

export const suggestionsView = (s: Suggestions) => ({
  considered: s.considered,
  skipped: s.skipped,
  repeated: s.repeated,
  best: s.suggestions.map((x) => ({ rank: x.rank, homeLocal: x.homeLocal, ambiguous: x.ambiguous, ...scoreView(x.score) })),
});

export const rotationView = (plan: RotationPlan, homeLocal: (score: CandidateScore) => string) => ({
  method: plan.method,
  guarantee: plan.guarantee,
  maxNights: plan.maxNights,
  minNights: plan.minNights,
  spread: plan.spread,
  meanAwakeShare: plan.meanAwakeShare,
  groups: plan.groups,
  sessions: plan.sessions.map((s, index) => ({ index, homeLocal: homeLocal(s), ...scoreView(s) })),
});

export const twinView = (twin: TwinChoice | undefined, homeLocal: (score: CandidateScore) => string) =>
  twin
    ? {
        first: { homeLocal: homeLocal(twin.first), ...scoreView(twin.first) },
        second: { homeLocal: homeLocal(twin.second), ...scoreView(twin.second) },
        covered: twin.covered,
        coveredShare: twin.coveredShare,
        nightForBoth: twin.nightForBoth,
        bestSingle: { homeLocal: homeLocal(twin.bestSingle), ...scoreView(twin.bestSingle) },
        gain: twin.gain,
      }
    : null;

const counted = (m: ReadonlyMap<string, number>) => [...m].map(([zone, count]) => ({ zone, count })).sort((a, b) => b.count - a.count || a.zone.localeCompare(b.zone));

export const zonesView = (g: ZoneGrouping) => ({ total: g.total, zones: counted(g.weights), unknownZones: counted(g.unknown), unknownTotal: g.unknownTotal });
