/**
 * Whose zones a fair-times query weighs: the series' confirmed registrants (its roster), another
 * series' (`registrantsOf`, e.g. last year's edition), or a chosen set of members (before anyone
 * registers). A member's zone is theirs as the mail uses it: their preference, else their
 * latest registration's. Zones the tz database does not know are reported, never guessed.
 */
import { groupByZone, type ZoneGrouping } from '../../events/fair-times/index.js';
import type { MemberRegistrations } from '../../events/projections/member-registrations.js';
import type { ReadModelReader } from '../read-models/read-model-store.js';
import { getMemberRegistrations, getRosterEntries } from '../read-models/queries.js';

export interface Registrants {
  readonly source: 'roster' | 'members';
  /** The series whose roster was read (source roster). */
  readonly seriesId?: string;
  readonly grouping: ZoneGrouping;
  /** Chosen members Convene has no zone for (never registered anywhere). */
  readonly membersWithoutZone: readonly string[];
}

/** A member's zone: their preference, else the zone of their latest confirmed registration. */
export function memberZone(doc: MemberRegistrations): string | undefined {
  if (doc.preferences.timeZone) return doc.preferences.timeZone;
  // The latest confirmed registration's zone; a registration never confirmed says less about where they are.
  const latest = Object.values(doc.registrations).sort((a, b) => Number(b.status === 'confirmed') - Number(a.status === 'confirmed') || (b.confirmedAt ?? '').localeCompare(a.confirmedAt ?? ''))[0];
  return latest?.timeZone;
}

export async function registrantsOf(readModels: ReadModelReader, seriesId: string): Promise<Registrants> {
  const roster = await getRosterEntries(readModels, seriesId);
  return { source: 'roster', seriesId, grouping: groupByZone(roster.filter((e) => e.active).map((e) => e.timeZone)), membersWithoutZone: [] };
}

export async function chosenMembers(readModels: ReadModelReader, memberIds: readonly string[]): Promise<Registrants> {
  const unique = [...new Set(memberIds)];
  const docs = await Promise.all(unique.map((id) => getMemberRegistrations(readModels, id)));
  const zones: string[] = [];
  const membersWithoutZone: string[] = [];
  unique.forEach((id, i) => {
    const zone = docs[i] && memberZone(docs[i].doc);
    if (zone) zones.push(zone);
    else membersWithoutZone.push(id);
  });
  return { source: 'members', grouping: groupByZone(zones), membersWithoutZone };
}
