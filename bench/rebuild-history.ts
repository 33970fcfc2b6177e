/**
 * A realistic event history for the rebuild benchmark, decided by the real deciders (so every
 * event is one the system could have written): a few series with many sessions, reschedules,
 * detail changes and cancellations; thousands of members registering (self-service or by an
 * organiser), confirming, cancelling, changing preferences and unsubscribing.
 * Deterministic (a seeded PRNG): the same `total` gives the same history.
 */
import { memberDecider, memberStreamId, type MemberCommand } from '../events/member/index.js';
import { inSequence } from '../events/shared/decider.js';
import type { DomainEvent } from '../events/shared/event.js';
import { seriesDecider, seriesStreamId, type SeriesCommand } from '../events/series/index.js';
import type { ConveneEvent } from '../events/registry.js';

export interface StreamHistory {
  readonly streamId: string;
  readonly events: ConveneEvent[];
}

interface SeriesPlan {
  readonly seriesId: string;
  readonly sessionIds: readonly string[];
  readonly rescheduled: ReadonlySet<string>;
  readonly languages: readonly string[];
}

/** mulberry32: small, fast, good enough to spread choices evenly. */
function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    chance: (p: number) => next() < p,
    int: (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1)),
    pick: <T>(xs: readonly T[]) => xs[Math.floor(next() * xs.length)]!,
  };
}

const organiser = { name: 'Training Centre', email: 'training@example.org' };
const zones = ['America/New_York', 'America/Guayaquil', 'Europe/Berlin', 'Asia/Jerusalem', 'Asia/Kolkata', 'Africa/Nairobi', 'Asia/Manila', 'America/Sao_Paulo'];
const day = (from: string, plus: number) => new Date(Date.parse(`${from}T00:00:00Z`) + plus * 86_400_000).toISOString().slice(0, 10);

function decideAll<C, E extends DomainEvent, S>(decider: Parameters<typeof inSequence<C, E, S>>[0], commands: readonly C[]): E[] {
  const sequence = inSequence(decider);
  return sequence.decide(commands, sequence.initialState());
}

function lectureSeries(k: number, random: ReturnType<typeof prng>): { history: StreamHistory; plan: SeriesPlan } {
  const seriesId = `lectures-${k}`;
  const timeZone = zones[k % zones.length]!;
  const sessionIds = Array.from({ length: 30 }, (_, i) => `l${i}`);
  const commands: SeriesCommand[] = [
    { type: 'CreateSeries', seriesId, kind: 'lecture-series', title: { en: `Care Economy Lectures ${k + 1}`, es: `Economía del cuidado ${k + 1}` }, timeZone, languages: ['en', 'es'], organiser, reminderOffsets: ['P1D', 'PT1H'] },
    ...sessionIds.map((sessionId, i): SeriesCommand => ({
      type: 'ScheduleSession',
      seriesId,
      sessionId,
      title: { en: `Lecture ${i + 1}: care work, economies and policy` },
      start: `${day('2027-01-10', 7 * i + k)}T15:00`,
      durationMinutes: 90,
      language: i % 3 === 2 ? 'es' : 'en',
      speakers: [{ name: `Speaker ${i + 1}`, affiliation: 'University' }],
      joinUrl: `https://webinar.example.org/${seriesId}/${sessionId}`,
      ...(i % 4 === 0 ? { capacity: 300 } : {}),
    })),
  ];
  const rescheduled = new Set<string>();
  for (let r = 0; r < 8; r++) {
    const i = random.int(0, sessionIds.length - 1);
    rescheduled.add(sessionIds[i]!);
    commands.push({ type: 'RescheduleSession', seriesId, sessionId: sessionIds[i]!, start: `${day('2027-01-10', 7 * i + k + 1 + r % 2)}T16:00` });
  }
  for (let c = 0; c < 4; c++) {
    commands.push({ type: 'ChangeSessionDetails', seriesId, sessionId: random.pick(sessionIds), title: { en: `Lecture (updated ${c + 1})` } });
  }
  // Cancel sessions nobody rescheduled (a cancelled session cannot be changed afterwards).
  for (const sessionId of sessionIds.filter((id) => !rescheduled.has(id)).slice(-2)) {
    commands.push({ type: 'CancelSession', seriesId, sessionId, reason: 'The speaker is unavailable' });
  }
  return {
    history: { streamId: seriesStreamId(seriesId), events: decideAll(seriesDecider, commands) },
    plan: { seriesId, sessionIds, rescheduled, languages: ['en', 'es'] },
  };
}

function dialogue(k: number): { history: StreamHistory; plan: SeriesPlan } {
  const seriesId = `dialogue-${k}`;
  const opens = day('2027-04-24', 35 * k);
  const sessionIds = ['opening', 'panel', 'webinar', 'workshop', 'closing'];
  const commands: SeriesCommand[] = [
    { type: 'CreateSeries', seriesId, kind: 'virtual-dialogue', title: { en: `Virtual Dialogue ${k + 10}` }, description: { en: 'What kinds of change can training achieve?' }, timeZone: 'America/New_York', languages: ['en'], organiser, reminderOffsets: ['P7D', 'P1D', 'PT1H'], window: { opens, closes: day(opens, 20) } },
    ...sessionIds.map((sessionId, i): SeriesCommand => ({ type: 'ScheduleSession', seriesId, sessionId, title: { en: sessionId }, start: `${day(opens, 4 * i + 1)}T10:00`, durationMinutes: 60, joinUrl: `https://webinar.example.org/${seriesId}`, capacity: 500 })),
    { type: 'RescheduleSession', seriesId, sessionId: 'webinar', start: `${day(opens, 10)}T11:00` },
    { type: 'ChangeSeriesDetails', seriesId, description: { en: 'Training for gender equality: what changes, and how we know.' } },
  ];
  return {
    history: { streamId: seriesStreamId(seriesId), events: decideAll(seriesDecider, commands) },
    plan: { seriesId, sessionIds, rescheduled: new Set(['webinar']), languages: ['en'] },
  };
}

function memberCommands(memberId: string, series: readonly SeriesPlan[], random: ReturnType<typeof prng>): MemberCommand[] {
  const commands: MemberCommand[] = [];
  const count = random.chance(0.6) ? 1 : random.chance(0.75) ? 2 : 3;
  const chosen = new Set<SeriesPlan>();
  while (chosen.size < count) chosen.add(random.pick(series));
  for (const plan of chosen) {
    const { seriesId } = plan;
    const sessions = random.chance(0.5)
      ? ('all' as const)
      : [...new Set(Array.from({ length: random.int(2, 6) }, () => random.pick(plan.sessionIds)))];
    const source = random.chance(0.25) ? 'organiser' : 'self-service';
    const registrationId = `r-${memberId}-${seriesId}`;
    commands.push({ type: 'RequestRegistration', memberId, seriesId, registrationId, sessions, language: random.pick(plan.languages), timeZone: random.pick(zones), source });
    if (source === 'self-service') {
      if (!random.chance(0.85)) continue; // never confirmed: no mail follows
      commands.push({ type: 'ConfirmRegistration', memberId, seriesId, registrationId });
    }
    if (random.chance(0.1)) {
      commands.push({ type: 'CancelRegistration', memberId, seriesId, sessions: 'all', cancelledBy: random.chance(0.8) ? 'member' : 'organiser' });
    }
  }
  if (random.chance(0.1)) {
    commands.push(random.chance(0.5) ? { type: 'ChangePreferences', memberId, reminderOffsets: ['P2D', 'PT30M'] } : { type: 'ChangePreferences', memberId, timeZone: random.pick(zones) });
  }
  if (random.chance(0.03)) commands.push({ type: 'Unsubscribe', memberId, via: random.pick(['one-click', 'link', 'complaint'] as const) });
  return commands;
}

/** Streams holding exactly `total` events between them (the last member's history cut short). */
export function benchHistory(total: number, seed = 8): StreamHistory[] {
  const random = prng(seed);
  const series = [0, 1, 2].map((k) => lectureSeries(k, random)).concat([0, 1].map((k) => dialogue(k)));
  const streams: StreamHistory[] = series.map((s) => s.history);
  let count = streams.reduce((n, s) => n + s.events.length, 0);
  for (let i = 0; count < total; i++) {
    const memberId = `m${i}`;
    // Every prefix of a decided history is itself a valid history, so cutting the last one is safe.
    const events = decideAll(memberDecider, memberCommands(memberId, series.map((s) => s.plan), random)).slice(0, total - count);
    if (events.length === 0) continue;
    streams.push({ streamId: memberStreamId(memberId), events });
    count += events.length;
  }
  return streams;
}
