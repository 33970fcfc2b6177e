/**
 * A rotation for a lecture series: N session times chosen so that the nights fall as evenly
 * as they can on the community's zone groups (Quito, Delhi, Sydney...).
 *
 * A group bears a night session when at least `nightShareThreshold` (default half) of its
 * registrants have some of that session inside their night (see ./score.ts). Plans are
 * compared, best first, by
 *   1. the most night sessions any group bears (smaller is better),
 *   2. the spread: most minus fewest (smaller is better),
 *   3. registrants awake, summed over the sessions (larger is better, i.e. higher awake shares).
 *
 * Two shapes of input:
 * - a pool: `slots` (e.g. from suggestTimes) and `sessions: N`: choose N of them, each at most
 *   `maxUsesPerSlot` times (default 1); the plan lists them by start;
 * - per session: `sessions: [[times for lecture 1], [times for lecture 2], ...]` (e.g. every
 *   hour of each lecture's date): choose one time for each; the plan keeps the sessions' order.
 *
 * The algorithm:
 * - Exact (method 'exact', the guarantee: no other plan is better by the order above) by
 *   dynamic programming over the vector of night counts per group. Slots are first collapsed
 *   by which groups they give a night to (in the pool, only the best c of such a class can be
 *   worth taking c of, by awake count then start; per session, only its best option of each
 *   class); the states are (sessions chosen, nights per group), only the reachable ones, each
 *   keeping its largest awake total. Used while the work stays within EXACT_WORK_LIMIT state
 *   expansions (a few groups: three or four groups and a series of a dozen or more sessions).
 * - Otherwise (method 'greedy'): take one session at a time, each time the slot that leaves
 *   the best partial plan by the order above, then improve by replacing one session's time
 *   with another while that makes the plan better. The guarantee is a local one: no single
 *   replacement improves the plan; it is not necessarily the best plan.
 * Ties are broken the same way every time (earlier starts first), so the plan is deterministic.
 */
import { FairTimesInputError } from './errors.js';
import { groupZonesByRegion, type ZoneGroups } from './groups.js';
import type { CandidateScore } from './score.js';

export const DEFAULT_NIGHT_SHARE_THRESHOLD = 0.5;
/** State expansions (reachable states × moves, summed over stages) the exact method may make before giving way to greedy. */
export const EXACT_WORK_LIMIT = 2_000_000;

export interface RotationInput {
  /** The number of sessions to choose from `slots`, or one list of candidate times per session. */
  readonly sessions: number | readonly (readonly CandidateScore[])[];
  /** The pool, when `sessions` is a number. */
  readonly slots?: readonly CandidateScore[];
  /** Zone → group; default by region (groupZonesByRegion). Every zone with registrants needs a group. */
  readonly groups?: ZoneGroups;
  /** Share of a group's registrants at night that makes it a night session for the group; default 0.5. */
  readonly nightShareThreshold?: number;
  /** Pool only: how often one slot may be chosen (e.g. weekly hours reused); default 1. */
  readonly maxUsesPerSlot?: number;
}

export interface GroupBurden {
  readonly group: string;
  /** Registrants in the group (in the first session's scoring). */
  readonly registrants: number;
  /** Night sessions the group bears, and which (indexes into plan.sessions). */
  readonly nights: number;
  readonly nightSessions: readonly number[];
}

export interface RotationPlan {
  readonly sessions: readonly CandidateScore[];
  /** By group name. */
  readonly groups: readonly GroupBurden[];
  readonly maxNights: number;
  readonly minNights: number;
  readonly spread: number;
  /** Registrants awake summed over the sessions, and the mean awake share. */
  readonly awake: number;
  readonly meanAwakeShare: number;
  readonly method: 'exact' | 'greedy';
  readonly guarantee: string;
}

const GUARANTEE = {
  exact: 'optimal: no other choice has fewer nights for the most burdened group, or as few with a smaller spread, or both with more registrants awake',
  greedy: 'a local optimum: replacing any one session time with another candidate does not improve the plan; not necessarily optimal',
} as const;

interface Slot {
  readonly score: CandidateScore;
  /** Groups that bear a night in it (indexes, ascending). */
  readonly nightGroups: readonly number[];
  readonly key: string;
}

interface Objective {
  readonly max: number;
  readonly spread: number;
  readonly awake: number;
}

const isBetter = (a: Objective, b: Objective) => a.max < b.max || (a.max === b.max && (a.spread < b.spread || (a.spread === b.spread && a.awake > b.awake)));

function objectiveOf(counts: readonly number[], awake: number): Objective {
  let max = 0;
  let min = counts.length > 0 ? Number.POSITIVE_INFINITY : 0;
  for (const c of counts) {
    if (c > max) max = c;
    if (c < min) min = c;
  }
  return { max, spread: max - min, awake };
}

/** Plan a rotation (see above). */
export function planRotation(input: RotationInput): RotationPlan {
  const threshold = input.nightShareThreshold ?? DEFAULT_NIGHT_SHARE_THRESHOLD;
  if (!(threshold >= 0 && threshold <= 1)) throw new FairTimesInputError(`nightShareThreshold must be from 0 to 1, not ${threshold}`, 'nightShareThreshold');
  const perSession = typeof input.sessions === 'number' ? undefined : input.sessions;
  const pool = perSession ? [] : (input.slots ?? []);
  const n = perSession ? perSession.length : (input.sessions as number);
  if (!Number.isInteger(n) || n < 1) throw new FairTimesInputError(`sessions must be a whole number ≥ 1 or a non-empty list, not ${String(input.sessions)}`, 'sessions');
  const uses = input.maxUsesPerSlot ?? 1;
  if (!Number.isInteger(uses) || uses < 1) throw new FairTimesInputError(`maxUsesPerSlot must be a whole number ≥ 1, not ${uses}`, 'maxUsesPerSlot');
  if (perSession) {
    perSession.forEach((options, i) => {
      if (options.length === 0) throw new FairTimesInputError(`session ${i + 1} has no candidate times`, `sessions[${i}]`);
    });
  } else if (pool.length * uses < n) {
    throw new FairTimesInputError(`${n} sessions cannot be chosen from ${pool.length} slots used at most ${uses} times each`, 'slots');
  }
  const all = perSession ? perSession.flat() : pool;
  const groups = input.groups ?? groupZonesByRegion(new Set(all.flatMap((s) => s.zones.map((z) => z.zone))));
  const names = [...new Set(all.flatMap((s) => s.zones.filter((z) => z.count > 0).map((z) => groupOf(groups, z.zone))))].sort();
  const index = new Map(names.map((g, i) => [g, i]));
  const cache = new Map<CandidateScore, Slot>();
  const slotOf = (score: CandidateScore): Slot => {
    let slot = cache.get(score);
    if (!slot) {
      const registrants = new Array<number>(names.length).fill(0);
      const night = new Array<number>(names.length).fill(0);
      for (const z of score.zones) {
        if (z.count === 0) continue;
        const g = index.get(groupOf(groups, z.zone))!;
        registrants[g]! += z.count;
        if (z.local.night) night[g]! += z.count;
      }
      const nightGroups = names.map((_, g) => g).filter((g) => night[g]! > 0 && night[g]! >= threshold * registrants[g]!);
      slot = { score, nightGroups, key: nightGroups.join(',') };
      cache.set(score, slot);
    }
    return slot;
  };
  const earlier = (a: Slot, b: Slot) => b.score.awake - a.score.awake || a.score.startMs - b.score.startMs;

  let picks: Slot[] | undefined;
  let method: 'exact' | 'greedy' = 'exact';
  if (perSession) {
    const options = perSession.map((list) => list.map(slotOf));
    picks = exactPlan(
      options.map((list) => bestPerClass(list, earlier).map((s) => ({ take: 1, groups: s.nightGroups, awake: s.score.awake, picks: [s] }))),
      n,
      names.length,
    );
    if (!picks) {
      method = 'greedy';
      picks = greedyPerSession(options, names.length);
    }
  } else {
    const slots = pool.map(slotOf);
    const classes = new Map<string, Slot[]>();
    for (const s of slots) {
      const list = classes.get(s.key);
      if (list) list.push(s);
      else classes.set(s.key, [s]);
    }
    const stages = [...classes.values()].map((list) => {
      const ordered = [...list].sort(earlier).flatMap((s) => new Array<Slot>(Math.min(uses, n)).fill(s)).slice(0, n);
      const moves: Move[] = [];
      let awake = 0;
      for (let c = 0; c <= ordered.length; c++) {
        moves.push({ take: c, groups: list[0]!.nightGroups, awake, picks: ordered.slice(0, c) });
        if (c < ordered.length) awake += ordered[c]!.score.awake;
      }
      return moves;
    });
    picks = exactPlan(stages, n, names.length);
    if (!picks) {
      method = 'greedy';
      picks = greedyPool(slots, n, uses, names.length);
    }
    picks = [...picks].sort((a, b) => a.score.startMs - b.score.startMs);
  }

  const sessions = picks.map((p) => p.score);
  const nightSessions = names.map(() => [] as number[]);
  picks.forEach((p, i) => p.nightGroups.forEach((g) => nightSessions[g]!.push(i)));
  const counts = nightSessions.map((list) => list.length);
  const awake = sessions.reduce((sum, s) => sum + s.awake, 0);
  const objective = objectiveOf(counts, awake);
  const first = sessions[0]!;
  const registrantsOf = (g: number) => first.zones.reduce((sum, z) => (z.count > 0 && index.get(groupOf(groups, z.zone)) === g ? sum + z.count : sum), 0);
  return {
    sessions,
    groups: names.map((group, g) => ({ group, registrants: registrantsOf(g), nights: counts[g]!, nightSessions: nightSessions[g]! })),
    maxNights: objective.max,
    minNights: counts.length ? Math.min(...counts) : 0,
    spread: objective.spread,
    awake,
    meanAwakeShare: sessions.reduce((sum, s) => sum + s.awakeShare, 0) / sessions.length,
    method,
    guarantee: GUARANTEE[method],
  };
}

function groupOf(groups: ZoneGroups, zone: string): string {
  const group = groups.get(zone);
  if (group === undefined) throw new FairTimesInputError(`zone ${zone} has registrants but no group`, 'groups');
  return group;
}

/** The best slot of each night class, classes in order of their best. */
function bestPerClass(list: readonly Slot[], earlier: (a: Slot, b: Slot) => number): Slot[] {
  const best = new Map<string, Slot>();
  for (const s of list) {
    const held = best.get(s.key);
    if (!held || earlier(s, held) < 0) best.set(s.key, s);
  }
  return [...best.values()].sort(earlier);
}

interface Move {
  /** Sessions it adds. */
  readonly take: number;
  /** Groups given one night per session taken. */
  readonly groups: readonly number[];
  readonly awake: number;
  readonly picks: readonly Slot[];
}

/**
 * Exact: stages of moves (a pool's night classes, or a series' sessions), one move from each,
 * `n` sessions in all. A state encodes (sessions so far, nights per group) in base n + 1; only
 * reachable states are kept, each with its largest awake total and the move that reached it.
 * Undefined when the expansions would pass EXACT_WORK_LIMIT (an eighth of it when the keys
 * outgrow 2^30).
 */
function exactPlan(stages: readonly (readonly Move[])[], n: number, groupCount: number): Slot[] | undefined {
  const radix = n + 1;
  const states = radix ** (groupCount + 1);
  if (!Number.isSafeInteger(states)) return undefined;
  // Keys past small integers make every Map operation several times dearer: allow fewer.
  const limit = states <= 2 ** 30 ? EXACT_WORK_LIMIT : EXACT_WORK_LIMIT / 8;
  const place = Array.from({ length: groupCount }, (_, g) => radix ** (g + 1));
  const deltas = stages.map((moves) => moves.map((m) => m.take * (1 + m.groups.reduce((sum, g) => sum + place[g]!, 0))));
  let dp = new Map<number, number>([[0, 0]]);
  const choices: Map<number, number>[] = [];
  let work = 0;
  for (let s = 0; s < stages.length; s++) {
    const moves = stages[s]!;
    work += dp.size * moves.length;
    if (work > limit) return undefined;
    const next = new Map<number, number>();
    const choice = new Map<number, number>();
    for (const [state, value] of dp) {
      const taken = state % radix;
      for (let j = 0; j < moves.length; j++) {
        const move = moves[j]!;
        if (taken + move.take > n) continue;
        const to = state + deltas[s]![j]!;
        const v = value + move.awake;
        const held = next.get(to);
        if (held === undefined || v > held) {
          next.set(to, v);
          choice.set(to, j);
        }
      }
    }
    dp = next;
    choices.push(choice);
  }
  let best: { state: number; objective: Objective } | undefined;
  const counts = new Array<number>(groupCount).fill(0);
  for (const [state, value] of dp) {
    if (state % radix !== n) continue;
    for (let g = 0; g < groupCount; g++) counts[g] = Math.floor(state / place[g]!) % radix;
    const objective = objectiveOf(counts, value);
    if (!best || isBetter(objective, best.objective) || (!isBetter(best.objective, objective) && state < best.state)) best = { state, objective };
  }
  if (!best) return undefined;
  const picks: Slot[] = [];
  let state = best.state;
  for (let s = stages.length - 1; s >= 0; s--) {
    const j = choices[s]!.get(state)!;
    picks.unshift(...stages[s]![j]!.picks);
    state -= deltas[s]![j]!;
  }
  return picks;
}

function add(counts: number[], slot: Slot, sign: 1 | -1): void {
  for (const g of slot.nightGroups) counts[g]! += sign;
}

/** The objective with `slot` in place of `out` (either may be absent). */
function objectiveWith(counts: number[], awake: number, slot: Slot, out?: Slot): Objective {
  if (out) add(counts, out, -1);
  add(counts, slot, 1);
  const objective = objectiveOf(counts, awake + slot.score.awake - (out ? out.score.awake : 0));
  add(counts, slot, -1);
  if (out) add(counts, out, 1);
  return objective;
}

const MAX_PASSES = 1000;

function greedyPool(slots: readonly Slot[], n: number, uses: number, groupCount: number): Slot[] {
  const order = slots.map((_, i) => i).sort((a, b) => slots[a]!.score.startMs - slots[b]!.score.startMs);
  const used = new Array<number>(slots.length).fill(0);
  const counts = new Array<number>(groupCount).fill(0);
  const chosen: number[] = [];
  let awake = 0;
  for (let k = 0; k < n; k++) {
    let best: { i: number; objective: Objective } | undefined;
    for (const i of order) {
      if (used[i]! >= uses) continue;
      const objective = objectiveWith(counts, awake, slots[i]!);
      if (!best || isBetter(objective, best.objective)) best = { i, objective };
    }
    const slot = slots[best!.i]!;
    used[best!.i]!++;
    chosen.push(best!.i);
    add(counts, slot, 1);
    awake += slot.score.awake;
  }
  for (let pass = 0, improved = true; improved && pass < MAX_PASSES; pass++) {
    improved = false;
    const current = objectiveOf(counts, awake);
    search: for (let p = 0; p < chosen.length; p++) {
      const out = slots[chosen[p]!]!;
      for (const i of order) {
        if (i === chosen[p] || used[i]! >= uses) continue;
        const objective = objectiveWith(counts, awake, slots[i]!, out);
        if (isBetter(objective, current)) {
          add(counts, out, -1);
          add(counts, slots[i]!, 1);
          awake += slots[i]!.score.awake - out.score.awake;
          used[chosen[p]!]!--;
          used[i]!++;
          chosen[p] = i;
          improved = true;
          break search;
        }
      }
    }
  }
  return chosen.map((i) => slots[i]!);
}

function greedyPerSession(options: readonly (readonly Slot[])[], groupCount: number): Slot[] {
  const ordered = options.map((list) => [...list].sort((a, b) => a.score.startMs - b.score.startMs));
  const counts = new Array<number>(groupCount).fill(0);
  const chosen: Slot[] = [];
  let awake = 0;
  for (const list of ordered) {
    let best: { slot: Slot; objective: Objective } | undefined;
    for (const slot of list) {
      const objective = objectiveWith(counts, awake, slot);
      if (!best || isBetter(objective, best.objective)) best = { slot, objective };
    }
    chosen.push(best!.slot);
    add(counts, best!.slot, 1);
    awake += best!.slot.score.awake;
  }
  for (let pass = 0, improved = true; improved && pass < MAX_PASSES; pass++) {
    improved = false;
    const current = objectiveOf(counts, awake);
    search: for (let p = 0; p < chosen.length; p++) {
      const out = chosen[p]!;
      for (const slot of ordered[p]!) {
        if (slot === out) continue;
        const objective = objectiveWith(counts, awake, slot, out);
        if (isBetter(objective, current)) {
          add(counts, out, -1);
          add(counts, slot, 1);
          awake += slot.score.awake - out.score.awake;
          chosen[p] = slot;
          improved = true;
          break search;
        }
      }
    }
  }
  return chosen;
}
