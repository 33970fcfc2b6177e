/**
 * Twin sessions: one session given twice, a member registering for either. The pair is chosen
 * to maximise the registrants awake (./score.ts) for at least one of the two, then to leave
 * the fewest at night for both, then the earliest first time and the earliest second time.
 * Exact: every pair that does not overlap is weighed (zones that are awake in exactly the same
 * candidates are weighed together, so the work is pairs × such zone classes, not pairs × zones).
 */
import { FairTimesInputError } from './errors.js';
import { MINUTE_MS } from './offsets.js';
import type { CandidateScore } from './score.js';

export interface TwinOptions {
  /** Minutes at least between the end of the first and the start of the second; default 0. */
  readonly minGapMinutes?: number;
}

export interface TwinChoice {
  /** The earlier and the later time. */
  readonly first: CandidateScore;
  readonly second: CandidateScore;
  /** Registrants awake for at least one of them, and their share. */
  readonly covered: number;
  readonly coveredShare: number;
  /** Registrants at night for both. */
  readonly nightForBoth: number;
  /** The best single time by awake registrants (then fewer at night, then earlier), and what the twin adds to it. */
  readonly bestSingle: CandidateScore;
  readonly gain: number;
}

/** The best twin among `slots` (candidates of one session, scored against the same zones); undefined when no two are apart enough. */
export function chooseTwin(slots: readonly CandidateScore[], options: TwinOptions = {}): TwinChoice | undefined {
  const gap = options.minGapMinutes ?? 0;
  if (!Number.isFinite(gap) || gap < 0) throw new FairTimesInputError(`minGapMinutes must be 0 or more, not ${gap}`, 'minGapMinutes');
  if (slots.length === 0) return undefined;
  const ordered = [...slots].sort((a, b) => a.startMs - b.startMs);
  // Zone classes: zones with the same awake and night flags in every slot.
  const zoneNames = [...new Set(ordered.flatMap((s) => s.zones.map((z) => z.zone)))].sort();
  const zoneIndex = new Map(zoneNames.map((z, i) => [z, i]));
  const signatures = zoneNames.map(() => [] as string[]);
  const weights = new Array<number>(zoneNames.length).fill(0);
  for (const slot of ordered) {
    const flags = new Array<string>(zoneNames.length).fill('-');
    for (const z of slot.zones) {
      const i = zoneIndex.get(z.zone)!;
      flags[i] = z.local.awake ? 'a' : z.local.night ? 'n' : 'o';
      weights[i] = Math.max(weights[i]!, z.count);
    }
    flags.forEach((f, i) => signatures[i]!.push(f));
  }
  const classOf = new Map<string, number>();
  const classWeight: number[] = [];
  zoneNames.forEach((_, i) => {
    const key = signatures[i]!.join('');
    let c = classOf.get(key);
    if (c === undefined) classOf.set(key, (c = classWeight.length)), classWeight.push(0);
    classWeight[c]! += weights[i]!;
  });
  const classes = classWeight.length;
  const awake = ordered.map(() => new Uint8Array(classes));
  const night = ordered.map(() => new Uint8Array(classes));
  for (const [key, c] of classOf) {
    for (let s = 0; s < ordered.length; s++) {
      awake[s]![c] = key[s] === 'a' ? 1 : 0;
      night[s]![c] = key[s] === 'n' ? 1 : 0;
    }
  }
  const single = [...ordered].sort((a, b) => b.awake - a.awake || a.night - b.night || a.startMs - b.startMs)[0]!;
  let best: { a: number; b: number; covered: number; nightForBoth: number } | undefined;
  for (let a = 0; a < ordered.length; a++) {
    const free = ordered[a]!.startMs + ordered[a]!.durationMinutes * MINUTE_MS + gap * MINUTE_MS;
    for (let b = a + 1; b < ordered.length; b++) {
      if (ordered[b]!.startMs < free) continue;
      if (best && ordered[a]!.awake + ordered[b]!.awake < best.covered) continue;
      let covered = 0;
      let nightForBoth = 0;
      const aw = awake[a]!;
      const bw = awake[b]!;
      const an = night[a]!;
      const bn = night[b]!;
      for (let c = 0; c < classes; c++) {
        if (aw[c]! | bw[c]!) covered += classWeight[c]!;
        else if (an[c]! & bn[c]!) nightForBoth += classWeight[c]!;
      }
      if (!best || covered > best.covered || (covered === best.covered && nightForBoth < best.nightForBoth)) best = { a, b, covered, nightForBoth };
    }
  }
  if (!best) return undefined;
  const total = single.total;
  return {
    first: ordered[best.a]!,
    second: ordered[best.b]!,
    covered: best.covered,
    coveredShare: total > 0 ? best.covered / total : 0,
    nightForBoth: best.nightForBoth,
    bestSingle: single,
    gain: best.covered - single.awake,
  };
}
