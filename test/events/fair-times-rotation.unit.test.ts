import { describe, expect, it } from 'vitest';
import { chooseTwin, FairTimesInputError, planRotation, scoreCandidates, suggestTimes, type CandidateScore, type RotationPlan } from '../../events/fair-times/index.js';

const HOUR = 3_600_000;

/** Quito (no DST, -05:00), Delhi (+05:30), Sydney (+10:00 in the southern winter). */
const QDS = new Map([
  ['America/Guayaquil', 30],
  ['Asia/Kolkata', 50],
  ['Australia/Sydney', 20],
]);

/**
 * 60-minute slots in June 2027 that each put one group in its night:
 * 05:00Z is 00:00 in Quito (night), 10:30 in Delhi, 15:00 in Sydney: 70 awake;
 * 14:00Z is 09:00 in Quito, 19:30 in Delhi, 00:00 in Sydney (night): 80 awake;
 * 20:00Z is 15:00 in Quito, 01:30 in Delhi (night), 06:00 in Sydney (neither): 30 awake.
 */
function nightPool(days: number): CandidateScore[] {
  const starts: number[] = [];
  for (let d = 0; d < days; d++) for (const h of [5, 14, 20]) starts.push(Date.UTC(2027, 5, 1 + d, h));
  return scoreCandidates(starts, 60, QDS);
}

/** The night count per group of a set of sessions, as planRotation defines it (half a group or more at night). */
function burden(sessions: readonly CandidateScore[], groupOf: (zone: string) => string): Map<string, number> {
  const nights = new Map<string, number>();
  for (const s of sessions) {
    const per = new Map<string, { all: number; night: number }>();
    for (const z of s.zones) {
      const g = per.get(groupOf(z.zone)) ?? { all: 0, night: 0 };
      g.all += z.count;
      if (z.local.night) g.night += z.count;
      per.set(groupOf(z.zone), g);
    }
    for (const [group, g] of per) nights.set(group, (nights.get(group) ?? 0) + (g.night > 0 && g.night * 2 >= g.all ? 1 : 0));
  }
  return nights;
}

const objective = (sessions: readonly CandidateScore[], groupOf: (zone: string) => string) => {
  const counts = [...burden(sessions, groupOf).values()];
  const max = Math.max(...counts);
  return { max, spread: max - Math.min(...counts), awake: sessions.reduce((n, s) => n + s.awake, 0) };
};

const lexBetter = (a: ReturnType<typeof objective>, b: ReturnType<typeof objective>) =>
  a.max < b.max || (a.max === b.max && (a.spread < b.spread || (a.spread === b.spread && a.awake > b.awake)));

function* subsets<T>(items: readonly T[], k: number, from = 0): Generator<T[]> {
  if (k === 0) {
    yield [];
    return;
  }
  for (let i = from; i <= items.length - k; i++) for (const rest of subsets(items, k - 1, i + 1)) yield [items[i]!, ...rest];
}

const region = (zone: string) => zone.split('/')[0]!;
const summary = (plan: RotationPlan) => plan.groups.map((g) => [g.group, g.nights]);

describe('planning a rotation', () => {
  it('shares the nights of 6 sessions evenly over Quito, Delhi and Sydney: 2 each, where the best awake shares would give Sydney all 6', () => {
    const pool = nightPool(14);
    const byAwake = [...pool].sort((a, b) => b.awake - a.awake || a.startMs - b.startMs).slice(0, 6);
    expect([...burden(byAwake, region)]).toEqual([['America', 0], ['Asia', 0], ['Australia', 6]]);

    const plan = planRotation({ slots: pool, sessions: 6 });
    expect(plan.method).toBe('exact');
    expect(summary(plan)).toEqual([['America', 2], ['Asia', 2], ['Australia', 2]]);
    expect([plan.maxNights, plan.minNights, plan.spread]).toEqual([2, 2, 0]);
    // Among the even plans, the best awake: two of each kind of slot (70 + 80 + 30 each pair).
    expect(plan.awake).toBe(2 * 70 + 2 * 80 + 2 * 30);
    expect(plan.meanAwakeShare).toBeCloseTo(360 / 600);
    // Deterministic: equal slots are taken earliest first, and the plan is listed by start.
    expect(plan.sessions.map((s) => s.start)).toEqual([
      '2027-06-01T05:00:00.000Z', '2027-06-01T14:00:00.000Z', '2027-06-01T20:00:00.000Z',
      '2027-06-02T05:00:00.000Z', '2027-06-02T14:00:00.000Z', '2027-06-02T20:00:00.000Z',
    ]);
    expect(plan.groups.find((g) => g.group === 'Australia')!.nightSessions).toEqual([1, 4]);
    expect(planRotation({ slots: pool, sessions: 6 }).sessions.map((s) => s.start)).toEqual(plan.sessions.map((s) => s.start));
  });

  it('bears no nights at all when the pool has times that suit every group', () => {
    // Every hour of two June days: 01:00Z is 20:00 Quito, 06:30 Delhi, 11:00 Sydney (no night anywhere).
    const pool = scoreCandidates(Array.from({ length: 48 }, (_, i) => Date.UTC(2027, 5, 1) + i * HOUR), 60, QDS);
    const plan = planRotation({ slots: pool, sessions: 6 });
    expect([plan.maxNights, plan.spread]).toEqual([0, 0]);
  });

  it('is optimal: the same objective as trying every choice of 4 of 24 hourly slots in four groups', () => {
    const zones = new Map([['America/Guayaquil', 7], ['Europe/London', 5], ['Asia/Kolkata', 11], ['Australia/Sydney', 3]]);
    const pool = scoreCandidates(Array.from({ length: 24 }, (_, i) => Date.UTC(2027, 10, 10) + i * HOUR), 90, zones);
    const groups = new Map([...zones.keys()].map((z) => [z, z]));
    const plan = planRotation({ slots: pool, sessions: 4, groups });
    expect(plan.method).toBe('exact');
    let best: ReturnType<typeof objective> | undefined;
    for (const choice of subsets(pool, 4)) {
      const o = objective(choice, (z) => z);
      if (!best || lexBetter(o, best)) best = o;
    }
    expect({ max: plan.maxNights, spread: plan.spread, awake: plan.awake }).toEqual(best);
  });

  it('plans one time per lecture date (the Care Economy series), optimally, in the sessions\' order', () => {
    // Quito, London, Delhi and Sydney have no common free hour between 13:00 and 22:00 New York
    // (17:00Z to 02:00Z): every option puts somebody's night in it. Brute force over 10^4 choices.
    const zones = new Map([...QDS, ['Europe/London', 25]]);
    const dates = ['2027-05-23', '2027-05-30', '2027-06-06', '2027-06-27'];
    const options = dates.map((date) =>
      suggestTimes({ homeZone: 'America/New_York', dates: { from: date, to: date }, window: { from: '13:00', to: '22:00' }, everyMinutes: 60, durationMinutes: 60, zones, count: 50 }).suggestions.map((s) => s.score),
    );
    expect(options.map((o) => o.length)).toEqual([10, 10, 10, 10]);
    expect(options.flat().every((s) => s.night > 0)).toBe(true);
    const plan = planRotation({ sessions: options });
    expect(plan.method).toBe('exact');
    plan.sessions.forEach((s, i) => expect(options[i]).toContain(s));
    let best: ReturnType<typeof objective> | undefined;
    for (const a of options[0]!) for (const b of options[1]!) for (const c of options[2]!) for (const d of options[3]!) {
      const o = objective([a, b, c, d], region);
      if (!best || lexBetter(o, best)) best = o;
    }
    expect({ max: plan.maxNights, spread: plan.spread, awake: plan.awake }).toEqual(best);
    // Quito's night (04:00Z to 11:00Z) is never in the window; the plan's own count agrees with the brute force's.
    expect(summary(plan)).toEqual([...burden(plan.sessions, region)].sort());
    expect(plan.groups.find((g) => g.group === 'America')!.nights).toBe(0);
  });

  it('falls back to greedy improvement for many groups, and no single replacement then improves the plan', () => {
    const zones = ['America/Los_Angeles', 'America/Guayaquil', 'America/Sao_Paulo', 'Europe/London', 'Africa/Cairo', 'Asia/Dubai', 'Asia/Kolkata', 'Asia/Bangkok', 'Asia/Tokyo', 'Australia/Sydney', 'Pacific/Auckland'];
    const weights = new Map(zones.map((z, i) => [z, 10 + i]));
    const pool = scoreCandidates(Array.from({ length: 48 }, (_, i) => Date.UTC(2027, 8, 1) + i * 30 * 60_000), 60, weights);
    const groups = new Map(zones.map((z) => [z, z]));
    const plan = planRotation({ slots: pool, sessions: 12, groups });
    expect(plan.method).toBe('greedy');
    expect(plan.guarantee).toMatch(/local optimum/);
    expect(plan.sessions).toHaveLength(12);
    const current = objective(plan.sessions, (z) => z);
    expect({ max: plan.maxNights, spread: plan.spread, awake: plan.awake }).toEqual(current);
    const chosen = new Set(plan.sessions);
    for (let i = 0; i < plan.sessions.length; i++) {
      for (const other of pool) {
        if (chosen.has(other)) continue;
        const swapped = plan.sessions.map((s, j) => (j === i ? other : s));
        expect(lexBetter(objective(swapped, (z) => z), current)).toBe(false);
      }
    }
    // Twelve sessions over eleven zones around the globe: the nights go round, none bears more than a few.
    expect(plan.spread).toBeLessThanOrEqual(2);
  });

  it('reuses a slot when allowed (weekly hours), and refuses what it cannot do', () => {
    const pool = nightPool(1);
    expect(summary(planRotation({ slots: pool, sessions: 6, maxUsesPerSlot: 2 }))).toEqual([['America', 2], ['Asia', 2], ['Australia', 2]]);
    expect(() => planRotation({ slots: pool, sessions: 4 })).toThrow(FairTimesInputError);
    expect(() => planRotation({ slots: pool, sessions: 2, groups: new Map([['Asia/Kolkata', 'Delhi']]) })).toThrow(/no group/);
    expect(() => planRotation({ sessions: [[], pool] })).toThrow(/session 1/);
  });
});

describe('twin sessions', () => {
  it('cover more registrants than the best single time, and as many as the best pair tried by hand', () => {
    const zones = new Map([['America/Guayaquil', 30], ['Asia/Kolkata', 50], ['Australia/Sydney', 20], ['Europe/London', 25], ['America/Los_Angeles', 15]]);
    const slots = scoreCandidates(Array.from({ length: 48 }, (_, i) => Date.UTC(2027, 5, 9) + i * 30 * 60_000), 90, zones);
    const twin = chooseTwin(slots)!;
    expect(twin.covered).toBeGreaterThan(twin.bestSingle.awake);
    expect(twin.gain).toBe(twin.covered - twin.bestSingle.awake);
    expect(twin.bestSingle.awake).toBe(Math.max(...slots.map((s) => s.awake)));
    // The two do not overlap, and the earlier comes first.
    expect(twin.second.startMs).toBeGreaterThanOrEqual(twin.first.startMs + 90 * 60_000);
    // By hand: every non-overlapping pair, registrants awake for either.
    let best = 0;
    for (const a of slots) {
      for (const b of slots) {
        if (b.startMs < a.startMs + 90 * 60_000) continue;
        const covered = a.zones.reduce((n, z, i) => n + (z.local.awake || b.zones[i]!.local.awake ? z.count : 0), 0);
        best = Math.max(best, covered);
      }
    }
    expect(twin.covered).toBe(best);
    expect(twin.coveredShare).toBeCloseTo(best / 140);
  });

  it('keeps the gap asked for, and answers undefined when no two times are far enough apart', () => {
    const slots = scoreCandidates([Date.UTC(2027, 5, 9, 12), Date.UTC(2027, 5, 9, 13), Date.UTC(2027, 5, 9, 18)], 60, QDS);
    const twin = chooseTwin(slots, { minGapMinutes: 120 })!;
    expect([twin.first.start, twin.second.start]).toEqual(['2027-06-09T12:00:00.000Z', '2027-06-09T18:00:00.000Z']);
    expect(chooseTwin(slots.slice(0, 2), { minGapMinutes: 120 })).toBeUndefined();
  });
});
