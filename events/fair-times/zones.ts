/**
 * Registrants' zones grouped first: everything after works per zone (about 400 distinct)
 * and weighs by count, never per registrant (perhaps 100,000).
 */
import { FairTimesInputError } from './errors.js';
import { formatterOf } from './offsets.js';

/** Registrants per IANA zone (zone → count, counts positive). */
export type ZoneWeights = ReadonlyMap<string, number>;

export interface ZoneGrouping {
  /** The known zones, in first-seen order. */
  readonly weights: ZoneWeights;
  /** Registrants in known zones. */
  readonly total: number;
  /** Names that are not IANA zones of this runtime's tz database, with how many gave each: reported, never guessed. */
  readonly unknown: ReadonlyMap<string, number>;
  readonly unknownTotal: number;
}

const checked = new Map<string, boolean>();
const CHECKED_MAX = 4000;

/**
 * An IANA zone name as a registration accepts one (the rule of the TimeZone schema in
 * ../shared/values.ts: an Area/Location name or UTC, known to the runtime's tz data, i.e. one
 * Intl accepts; checked here with the formatter the offsets are then read with). Aliases
 * (Asia/Calcutta) are known too and kept as spelt; nothing is corrected: a misspelt or
 * differently cased name is unknown.
 */
export function isIanaZone(zone: unknown): zone is string {
  if (typeof zone !== 'string') return false;
  let known = checked.get(zone);
  if (known === undefined) {
    known = (zone.includes('/') || zone === 'UTC') && intlKnows(zone) && canonicalCase(zone);
    if (checked.size >= CHECKED_MAX) checked.clear();
    checked.set(zone, known);
  }
  return known;
}

function intlKnows(zone: string): boolean {
  try {
    formatterOf(zone);
    return true;
  } catch {
    return false;
  }
}

/**
 * Intl matches zone names regardless of case ("america/new_york"); the tz database spells each
 * one way. A name passes when Intl resolves it to itself, or when it is an alias (Asia/Kolkata,
 * which ICU resolves to Asia/Calcutta) spelt as tz names are: every segment starts with a
 * capital and has a small letter, unless it is a short one (US) or a GMT/UTC form (Etc/GMT+5).
 */
function canonicalCase(zone: string): boolean {
  const resolved = formatterOf(zone).resolvedOptions().timeZone;
  if (resolved === zone) return true;
  if (resolved.toLowerCase() === zone.toLowerCase()) return false;
  return zone.split('/').every((part) => /^[A-Z]/.test(part) && (/[a-z]/.test(part) || part.length <= 3 || /^(GMT|UTC|UCT)/.test(part)));
}

/** Count registrants' zones (one name per registrant). */
export function groupByZone(zones: Iterable<string>): ZoneGrouping {
  const counts = new Map<string, number>();
  for (const zone of zones) counts.set(zone, (counts.get(zone) ?? 0) + 1);
  const weights = new Map<string, number>();
  const unknown = new Map<string, number>();
  let total = 0;
  let unknownTotal = 0;
  for (const [zone, count] of counts) {
    if (isIanaZone(zone)) {
      weights.set(zone, count);
      total += count;
    } else {
      unknown.set(zone, count);
      unknownTotal += count;
    }
  }
  return { weights, total, unknown, unknownTotal };
}

/** Zone weights from a plain record or entries (zone → count), checked: unknown zones or bad counts are refused. */
export function zoneWeights(from: Readonly<Record<string, number>> | Iterable<readonly [string, number]>): ZoneWeights {
  const entries = Symbol.iterator in Object(from) ? [...(from as Iterable<readonly [string, number]>)] : Object.entries(from);
  const weights = new Map<string, number>();
  for (const [zone, count] of entries) {
    if (!isIanaZone(zone)) throw new FairTimesInputError(`zones: "${zone}" is not a known IANA time zone`, 'zones');
    if (!Number.isInteger(count) || count < 0) throw new FairTimesInputError(`the count of ${zone} must be a whole number ≥ 0, not ${count}`, 'zones');
    if (count > 0) weights.set(zone, (weights.get(zone) ?? 0) + count);
  }
  return weights;
}

/** Every zone of `weights` checked, in a fixed order (by name), with its count. */
export function checkedZones(weights: ZoneWeights): { zones: string[]; counts: number[]; total: number } {
  const zones = [...weights.keys()].sort();
  const counts: number[] = [];
  let total = 0;
  for (const zone of zones) {
    const count = weights.get(zone)!;
    if (!isIanaZone(zone)) throw new FairTimesInputError(`zones: "${zone}" is not a known IANA time zone`, 'zones');
    if (!Number.isInteger(count) || count < 0) throw new FairTimesInputError(`the count of ${zone} must be a whole number ≥ 0, not ${count}`, 'zones');
    counts.push(count);
    total += count;
  }
  return { zones, counts, total };
}
