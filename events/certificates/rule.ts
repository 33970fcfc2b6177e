/**
 * A series' rule for certificates of participation, and whether a member's attendance meets
 * it. Pure: the member decider evaluates it when attendance is recorded or an organiser asks
 * for certificates to be issued, with the series' sessions as they are then.
 *
 * - `{ sessions: N }`: at least N of its sessions attended; `{ sessions: 'all' }`: every session
 *   not cancelled (at least one);
 * - `{ hours: H }`: at least H hours present, a session counting with the minutes a participants
 *   report gives (at most its length), else its whole length.
 * Cancelled sessions count for nothing, in the total either.
 */
export type CertificateRule = { readonly sessions: number | 'all' } | { readonly hours: number };

export interface SessionFacts {
  readonly sessionId: string;
  readonly status: 'scheduled' | 'cancelled';
  readonly startsAt: string;
  readonly endsAt: string;
}

export interface AttendanceFacts {
  readonly minutes?: number;
}

export interface RuleOutcome {
  readonly met: boolean;
  readonly sessionsAttended: number;
  /** Sessions not cancelled. */
  readonly sessionsTotal: number;
  /** Hours present, to the hundredth. */
  readonly hours: number;
}

export function evaluateCertificateRule(rule: CertificateRule, sessions: readonly SessionFacts[], attendance: Readonly<Record<string, AttendanceFacts>>): RuleOutcome {
  const held = sessions.filter((s) => s.status !== 'cancelled');
  const attended = held.filter((s) => attendance[s.sessionId] !== undefined);
  const minutes = attended.reduce((sum, s) => {
    const length = Math.max(0, (Date.parse(s.endsAt) - Date.parse(s.startsAt)) / 60_000);
    const present = attendance[s.sessionId]!.minutes;
    return sum + (present === undefined ? length : Math.min(present, length));
  }, 0);
  const hours = Math.round((minutes / 60) * 100) / 100;
  const met =
    'hours' in rule
      ? hours >= rule.hours
      : rule.sessions === 'all'
        ? held.length > 0 && attended.length === held.length
        : attended.length >= rule.sessions;
  return { met, sessionsAttended: attended.length, sessionsTotal: held.length, hours };
}
