/**
 * Seats of a session, derived from the roster: confirmed registrations covering the session,
 * in the order they were confirmed (ties by member id); the first `capacity` have a seat, the
 * rest wait in that order. A seat that frees (a cancellation, a larger capacity) goes to the
 * first in line without anyone deciding it, and nobody is ever seated beyond capacity.
 */
import type { RosterEntry } from './member-registrations.js';

export interface SessionSeats {
  readonly capacity?: number;
  readonly seated: readonly string[];
  readonly waitlist: readonly string[];
}

export function coversSession(entry: RosterEntry, sessionId: string): boolean {
  if (!entry.active) return false;
  return entry.sessions === 'all' ? !entry.declined.includes(sessionId) : entry.sessions.includes(sessionId);
}

export function seatsFor(session: { sessionId: string; capacity?: number }, roster: readonly RosterEntry[]): SessionSeats {
  const queue = roster
    .filter((e) => coversSession(e, session.sessionId))
    .sort((a, b) => (a.confirmedAt ?? '').localeCompare(b.confirmedAt ?? '') || a.memberId.localeCompare(b.memberId))
    .map((e) => e.memberId);
  if (session.capacity === undefined) return { seated: queue, waitlist: [] };
  return { capacity: session.capacity, seated: queue.slice(0, session.capacity), waitlist: queue.slice(session.capacity) };
}
