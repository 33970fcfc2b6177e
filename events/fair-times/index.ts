/**
 * Fair times across a community's zones: pure functions (no I/O, no clock; instants come in
 * as arguments). Group registrants by zone, score candidate times, suggest the best, plan a
 * rotation that shares the nights out, choose twin sessions, map a week's hours.
 */
export { FairTimesInputError } from './errors.js';
export { groupByZone, isIanaZone, zoneWeights, type ZoneGrouping, type ZoneWeights } from './zones.js';
export { groupZonesByOffsetBand, groupZonesByRegion, type ZoneGroups } from './groups.js';
export type { DailyWindow } from './day-window.js';
export {
  BADNESS_PER_NIGHT_MINUTE,
  DEFAULT_NIGHT_HOURS,
  DEFAULT_WAKING_HOURS,
  DEFAULT_WORST_OFF_LIMIT,
  scoreCandidate,
  scoreCandidates,
  type CandidateScore,
  type FairTimeOptions,
  type Instant,
  type LocalReading,
  type ZoneTime,
} from './score.js';
export { candidateWallTimes, compareCandidates, suggestTimes, type SuggestInput, type Suggestion, type Suggestions } from './suggest.js';
export { DEFAULT_NIGHT_SHARE_THRESHOLD, planRotation, type GroupBurden, type RotationInput, type RotationPlan } from './rotation.js';
export {
  HEAT_MAP_WORST_OFF,
  isoWeekOf,
  weekHeatMap,
  type HeatMapCell,
  type HeatMapGap,
  type HeatMapHour,
  type HeatMapMark,
  type HeatMapMarkInput,
  type HeatMapMarkKind,
  type WeekHeatMap,
  type WeekHeatMapInput,
} from './heat-map.js';
export { chooseTwin, type TwinChoice, type TwinOptions } from './twin.js';
