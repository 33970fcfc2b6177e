/**
 * VTIMEZONE blocks for calendar feeds and invitations, generated from the runtime's current tz
 * database through Luxon, and a check that a block describes the instants we print in its zone
 * exactly.
 *
 * The parts: zone-transitions.ts reads the tz database (a zone's offset changes per year, its
 * abbreviations), vtimezone-text.ts writes a block's text from its observances and parses it
 * back, vtimezone-evaluate.ts evaluates a parsed block (its offset at an instant, its onsets),
 * and vtimezone-types.ts holds the shapes they share. This file builds and checks the blocks
 * and has the entry points.
 *
 * What a block covers: the years the calendar needs, from the year before the earliest instant
 * written in that zone to the year after the latest (UTC years). It depends on the instants and
 * the tz data only, never on the clock, so a feed's bytes (and ETag) stay the same until its
 * content or the tz data changes.
 *
 * The TZID is the zone name as the series gives it (`Asia/Calcutta` stays `Asia/Calcutta`, a
 * link of the tz database as valid as `Asia/Kolkata`): the block defines it, and parsers that
 * resolve the name instead (node-ical) find the same zone. `UTC` itself is written with a Z
 * by the callers and needs no block.
 *
 * The check, trusting no source blindly (not even this generator): a block is parsed back from
 * its text and its onsets compared with the transitions Luxon reports for every covered year
 * (should the compact form ever disagree, the block is written with one observance per
 * transition, checked the same way; failing that there is none, and the events go out in UTC);
 * then, for each instant we are about to print, the parsed block must give Luxon's offset and
 * the wall time must not be ambiguous under it (the repeated hour of a fall-back). Where that
 * fails the feed prints that event in UTC: the instant stays exact, only the "event time zone"
 * label is lost.
 *
 * ical-generator asks for a block by TZID only, while rendering (`calendar.toString()`), after
 * every event is in the calendar: `vtimezoneGenerator(calendar)` gives it a hook that finds the
 * instants of that calendar's events in the zone, so each block covers exactly what its
 * calendar needs. The per-event check uses a block for that event's own years; within those
 * years it is the same as the calendar's block (both are verified against the same tz data).
 *
 * Pure: results are cached per zone and year, and depend on nothing but the runtime's tz data.
 */
import { DateTime, IANAZone } from 'luxon';
import { offsetAt, onsetsUntil } from './vtimezone-evaluate.js';
import { componentText, oneOff, parseComponent, wallTime, withRules } from './vtimezone-text.js';
import type { Onset, Span, ZoneBlock } from './vtimezone-types.js';
import { offsetSeconds, transitionsIn, zoneName } from './zone-transitions.js';
import type { Transition } from './zone-transitions.js';

export { offsetAt };
export type { ZoneBlock };

// ---------------------------------------------------------------------------------------
// The hooks and the check.

/** An ical-generator calendar as far as the hook needs it (ICalCalendar fits). */
export interface ZonedEventSource {
  events(): readonly { timezone(): string | null; start(): unknown; end(): unknown }[];
}

/**
 * ical-generator's `timezone.generator` for one calendar: the block for a TZID, covering the
 * instants of the calendar's events in that zone (read when the calendar is rendered), or null.
 */
export function vtimezoneGenerator(calendar: ZonedEventSource): (tzid: string) => string | null {
  return (tzid) => {
    const instants = calendar
      .events()
      .filter((event) => event.timezone() === tzid)
      .flatMap((event) => [millisOf(event.start()), millisOf(event.end())])
      .filter((ms): ms is number => ms !== undefined);
    return vtimezoneFor(tzid, instants);
  };
}

/** The VTIMEZONE text for `zone` covering these instants, or null when there is none. */
export function vtimezoneFor(zone: string, instantsMs: readonly number[]): string | null {
  return zoneBlock(zone, instantsMs)?.component ?? null;
}

/**
 * The TZID to print these instants of `zone` with: the zone itself when printing each instant
 * as wall time under the zone's block brings a reader back to exactly that instant (same offset
 * as the runtime's tz database, and a wall time that is not ambiguous under the block).
 * Undefined when the block does not: print those instants in UTC.
 */
export function exactTzid(zone: string, instantsMs: readonly number[]): string | undefined {
  const block = zoneBlock(zone, instantsMs);
  if (!block) return undefined;
  const offsets = [...new Set(block.observances.map((o) => o.to))];
  const exact = instantsMs.every((instant) => {
    const luxonOffset = DateTime.fromMillis(instant, { zone }).offset; // minutes, NaN if invalid
    if (!Number.isFinite(luxonOffset)) return false;
    const offset = Math.round(luxonOffset * 60);
    if (offsetAt(block, instant) !== offset) return false;
    const wall = instant + offset * 1000;
    // Another offset of the block under which the same wall time is also valid: ambiguous.
    return offsets.every((other) => other === offset || offsetAt(block, wall - other * 1000) !== other);
  });
  return exact ? block.tzid : undefined;
}

/**
 * The block for `zone` covering the years around these instants (cached per zone and span),
 * checked against Luxon; undefined for a zone Luxon does not know or without usable instants.
 */
export function zoneBlock(zone: string, instantsMs: readonly number[]): ZoneBlock | undefined {
  const span = spanOf(instantsMs);
  if (!span) return undefined;
  const key = `${zone}\u0000${span.firstYear}\u0000${span.lastYear}`;
  // (Luxon's isValidZone builds an Intl.DateTimeFormat each time: only on a miss.)
  if (!blocks.has(key)) blocks.set(key, IANAZone.isValidZone(zone) ? buildBlock(zone, span) : undefined);
  return blocks.get(key);
}

const blocks = new Map<string, ZoneBlock | undefined>();

/** From the year before the earliest instant to the year after the latest (UTC years). */
function spanOf(instantsMs: readonly number[]): Span | undefined {
  let first = Infinity;
  let last = -Infinity;
  for (const ms of instantsMs) {
    if (!Number.isFinite(ms)) continue;
    const year = new Date(ms).getUTCFullYear();
    first = Math.min(first, year);
    last = Math.max(last, year);
  }
  if (first > last) return undefined;
  const span = { firstYear: first - 1, lastYear: last + 1 };
  // Four-digit years (as DATE-TIME writes them, and Date.UTC reads them); the year after the
  // span is looked at too.
  return span.firstYear >= 1000 && span.lastYear <= 9998 ? span : undefined;
}

function millisOf(value: unknown): number | undefined {
  let ms: unknown;
  if (value instanceof Date) ms = value.getTime();
  else if (typeof value === 'string') ms = Date.parse(value);
  else if (DateTime.isDateTime(value)) ms = value.toMillis();
  else if (typeof value === 'object' && value !== null) {
    // Temporal values carry epochMilliseconds; Moment and Day.js give milliseconds from valueOf.
    const epoch = (value as { epochMilliseconds?: unknown }).epochMilliseconds;
    ms = typeof epoch === 'number' ? epoch : (value as { valueOf(): unknown }).valueOf();
  }
  return typeof ms === 'number' && Number.isFinite(ms) ? ms : undefined;
}

// ---------------------------------------------------------------------------------------
// Building and checking a block.

/**
 * The block for `zone` over the span: its onsets from Luxon's transitions, written with yearly
 * rules (failing the check, with one observance per onset), parsed back and checked against
 * the onsets; undefined when neither form agrees.
 *
 * A zone with no transition in its first covered year gets a STANDARD observance at the start
 * of the covered years (for a zone without DST that is the only one), so that every instant we
 * print comes after an onset: RFC 5545 leaves times before the first onset undefined (ical.js
 * reads them as UTC). DAYLIGHT is a state above both the offset before it and the offset after
 * it; anything else is STANDARD.
 */
function buildBlock(zone: string, span: Span): ZoneBlock | undefined {
  const spanStart = Date.UTC(span.firstYear, 0, 1);
  const transitions: Transition[] = [];
  for (let year = span.firstYear; year <= span.lastYear; year++) transitions.push(...transitionsIn(zone, year));
  const onsets: Onset[] = transitions.map((t, i) => {
    // The state after the last transition lasts until the next one, perhaps after the span.
    const next = () => transitions[i + 1] ?? transitionsIn(zone, span.lastYear + 1)[0];
    const kind = t.to > t.from && t.to > (next()?.to ?? Infinity) ? 'DAYLIGHT' : 'STANDARD';
    return { kind, ...t, name: zoneName(zone, t.at, t.to), wall: wallTime(t.at, t.from) };
  });
  // No transition in the first year: an observance at its start, so every instant printed
  // (a year or more later) follows an onset.
  if (!transitions.some((t) => t.at <= Date.UTC(span.firstYear + 1, 0, 1))) {
    // At local midnight of 1 January if the offset holds from there, else at 00:00 UTC.
    const offset = offsetSeconds(IANAZone.create(zone), spanStart);
    const midnight = spanStart - offset * 1000;
    const at = offsetSeconds(IANAZone.create(zone), midnight) === offset ? midnight : spanStart;
    onsets.unshift({ kind: 'STANDARD', at, from: offset, to: offset, name: zoneName(zone, at, offset), wall: wallTime(at, offset) });
  }
  for (const observances of [withRules(onsets, span), onsets.map(oneOff)]) {
    const component = componentText(zone, observances);
    const parsed = parseComponent(component);
    if (parsed && parsed.tzid === zone && agrees(parsed, onsets, span)) return parsed;
  }
  return undefined;
}

/** Verifies a parsed block: from its first onset to the end of the span, exactly the onsets. */
function agrees(block: ZoneBlock, onsets: readonly Onset[], span: Span): boolean {
  const spanEnd = Date.UTC(span.lastYear + 1, 0, 1);
  const written = block.observances
    .flatMap((o) => onsetsUntil(o, spanEnd).map((at) => ({ at, from: o.from, to: o.to })))
    .sort((a, b) => a.at - b.at);
  if (written.length !== onsets.length) return false;
  return written.every((w, i) => {
    const expected = onsets[i]!;
    return w.at === expected.at && w.from === expected.from && w.to === expected.to;
  });
}
