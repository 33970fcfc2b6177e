/**
 * The shapes the VTIMEZONE files share: a block's observances as they are written and parsed
 * back (vtimezone-text.ts), evaluated (vtimezone-evaluate.ts) and checked (vtimezone.ts).
 */

export interface LocalDateTime {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
}

export interface YearlyRule {
  readonly month: number;
  /** 1 to 5: the nth `weekday` of the month; -1 to -5: counted from its end. */
  readonly week: number;
  /** 0 = Sunday. */
  readonly weekday: number;
  /** RRULE UNTIL: the last onset allowed, a UTC instant (ms). */
  readonly until?: number;
}

export interface Observance {
  readonly kind: 'STANDARD' | 'DAYLIGHT';
  /** Offsets in seconds east of UTC. */
  readonly from: number;
  readonly to: number;
  /** TZNAME. */
  readonly name: string;
  /** Local time of the first onset, in the `from` offset. */
  readonly start: LocalDateTime;
  readonly rule?: YearlyRule;
}

export interface ZoneBlock {
  readonly tzid: string;
  /** The VTIMEZONE component text, as ical-generator's generator hook wants it. */
  readonly component: string;
  /** The observances as parsed back from `component`. */
  readonly observances: readonly Observance[];
}

/** Inclusive UTC years. */
export interface Span {
  readonly firstYear: number;
  readonly lastYear: number;
}

/** A transition as a block writes it: its kind, TZNAME and wall time (in the `from` offset). */
export interface Onset {
  readonly kind: 'STANDARD' | 'DAYLIGHT';
  readonly at: number;
  readonly from: number;
  readonly to: number;
  readonly name: string;
  readonly wall: LocalDateTime;
}
