/**
 * The organiser in the public feed (issue #15, item 12), one rule with the public JSON: the
 * public contact address if the organiser set one, the name otherwise; the organiser's own
 * address never. Without a public contact, ORGANIZER carries the name (CN) and the series'
 * public page as its cal-address (RFC 5545 3.3.3: a URI; RFC 5546 3.2.1: a METHOD:PUBLISH
 * VEVENT has exactly one ORGANIZER). Both parsers the tests use read it the same. A personal
 * feed keeps the organiser's address (members' calendars need it for iTIP), and so do invitations
 * (test/mail/invite-mail.unit.test.ts). Events written before `contactEmail` existed still read.
 */
import ICAL from 'ical.js';
import nodeIcal from 'node-ical';
import { describe, expect, it } from 'vitest';
import type { SeriesSchedule } from '../../events/projections/schedule.js';
import { SeriesCreated, SeriesDetailsChanged } from '../../events/series/events.js';
import { memberFeed, seriesFeed } from '../../functions/feeds/ical.js';
import { publicOrganiser, publicSchedule } from '../../functions/api/routes/public-series.js';
import { contentLines, expectFoldedCrlf } from '../support/icalendar.js';
import { scheduledSession } from '../support/schedule-fixtures.js';

const baseUrl = 'https://convene.example.org';
const created = '2027-01-10T09:00:00.000Z';
const PRIVATE = 'training.private@example.org';
const CONTACT = 'contact@community.example.org';

function schedule(organiser: SeriesSchedule['organiser'], fields: Partial<SeriesSchedule> = {}): SeriesSchedule {
  return {
    seriesId: 'vd10',
    version: 3,
    kind: 'virtual-dialogue',
    title: { en: 'Understanding Change' },
    description: {},
    timeZone: 'America/New_York',
    languages: ['en'],
    organiser,
    reminderOffsets: [],
    window: { opens: '2027-04-24', closes: '2027-05-14' },
    createdAt: created,
    updatedAt: '2027-02-01T12:00:00.000Z',
    sessions: [
      scheduledSession(created, { sessionId: 'live', title: { en: 'Live webinar' }, startsAt: '2027-05-03T14:00:00.000Z', endsAt: '2027-05-03T15:00:00.000Z' }),
      scheduledSession(created, { sessionId: 'closing', title: { en: 'Closing' }, startsAt: '2027-05-10T14:00:00.000Z', endsAt: '2027-05-10T15:00:00.000Z' }),
    ],
    ...fields,
  };
}

interface Organizer {
  cn: string | undefined;
  address: string;
}

/** ORGANIZER of every VEVENT, as ical.js and as node-ical read it (checked to agree). */
function organizers(ics: string): Organizer[] {
  const viaIcalJs = new ICAL.Component(ICAL.parse(ics)).getAllSubcomponents('vevent').map((vevent) => {
    const property = vevent.getFirstProperty('organizer')!;
    expect(vevent.getAllProperties('organizer')).toHaveLength(1);
    const cn = property.getParameter('cn');
    return { uid: String(vevent.getFirstPropertyValue('uid')), cn: typeof cn === 'string' ? cn : undefined, address: String(property.getFirstValue()) };
  });
  const parsed = Object.values(nodeIcal.sync.parseICS(ics)) as Record<string, unknown>[];
  const viaNodeIcal = parsed
    .filter((c) => c['type'] === 'VEVENT')
    .map((c) => {
      const o = c['organizer'] as string | { val: string; params: Record<string, string> };
      return { uid: c['uid'] as string, cn: typeof o === 'string' ? undefined : o.params['CN'], address: typeof o === 'string' ? o : o.val };
    });
  const byUid = (a: { uid: string }, b: { uid: string }) => a.uid.localeCompare(b.uid);
  expect(viaNodeIcal.sort(byUid), 'ical.js and node-ical read the same ORGANIZER').toEqual(viaIcalJs.sort(byUid));
  return viaIcalJs.map(({ cn, address }) => ({ cn, address }));
}

describe('the public feed', () => {
  it('without a public contact: the name, the series page for an address, and the organiser’s address nowhere', () => {
    const ics = seriesFeed(schedule({ name: 'Training Centre', email: PRIVATE }), { baseUrl });
    expectFoldedCrlf(ics);
    expect(ics).not.toContain(PRIVATE);
    expect(ics.toLowerCase()).not.toContain('mailto:');
    // The window and both sessions.
    expect(organizers(ics)).toEqual(Array(3).fill({ cn: 'Training Centre', address: `${baseUrl}/series/vd10` }));
    expect(contentLines(ics).filter((l) => l.startsWith('ORGANIZER'))).toEqual(Array(3).fill(`ORGANIZER;CN="Training Centre":${baseUrl}/series/vd10`));
  });

  it('with a public contact: that address, and the organiser’s own nowhere', () => {
    const ics = seriesFeed(schedule({ name: 'Training Centre', email: PRIVATE, contactEmail: CONTACT }), { baseUrl });
    expect(ics).not.toContain(PRIVATE);
    expect(organizers(ics)).toEqual(Array(3).fill({ cn: 'Training Centre', address: `mailto:${CONTACT}` }));
  });

  it('a name long enough to fold, with quotes and commas: one well-formed ORGANIZER line, read whole by both', () => {
    // (A `;` in a name node-ical misreads; test/feeds/ical.unit.test.ts has that case.)
    const name = `The "Care" Economy Centre, Quito, ${'Universidad Andina Simón Bolívar '.repeat(3).trim()}`;
    const ics = seriesFeed(schedule({ name, email: PRIVATE }), { baseUrl });
    expectFoldedCrlf(ics);
    expect(ics).not.toContain(PRIVATE);
    expect(contentLines(ics).find((l) => l.startsWith('ORGANIZER'))!.length).toBeGreaterThan(75);
    expect(organizers(ics)).toEqual(Array(3).fill({ cn: name.replace(/"/g, "'"), address: `${baseUrl}/series/vd10` }));
  });

  it('a schedule stored before contactEmail existed shows no contact', () => {
    const stored = JSON.parse(JSON.stringify(schedule({ name: 'Training Centre', email: PRIVATE }))) as SeriesSchedule;
    expect('contactEmail' in stored.organiser).toBe(false);
    expect(organizers(seriesFeed(stored, { baseUrl }))[0]).toEqual({ cn: 'Training Centre', address: `${baseUrl}/series/vd10` });
  });
});

describe('the public JSON, by the same rule', () => {
  it('shows the name, and the public contact when there is one; never the organiser’s address', () => {
    const without = publicSchedule(schedule({ name: 'Training Centre', email: PRIVATE }), baseUrl);
    expect(without.organiser).toEqual({ name: 'Training Centre' });
    const withContact = publicSchedule(schedule({ name: 'Training Centre', email: PRIVATE, contactEmail: CONTACT }), baseUrl);
    expect(withContact.organiser).toEqual({ name: 'Training Centre', contactEmail: CONTACT });
    expect(JSON.stringify([without, withContact])).not.toContain(PRIVATE);
    expect(publicOrganiser({ name: 'A', email: PRIVATE, contactEmail: CONTACT })).toEqual({ name: 'A', contactEmail: CONTACT });
  });
});

describe('a personal feed', () => {
  it('keeps the organiser’s address: a member’s calendar needs a real ORGANIZER', () => {
    const s = schedule({ name: 'Training Centre', email: PRIVATE, contactEmail: CONTACT });
    const ics = memberFeed([{ schedule: s, sessionIds: 'all' }], { baseUrl, memberLanguage: 'en' });
    expect(organizers(ics)).toEqual(Array(3).fill({ cn: 'Training Centre', address: `mailto:${PRIVATE}` }));
  });
});

describe('the events', () => {
  const created = { seriesId: 'vd10', kind: 'virtual-dialogue', title: { en: 'T' }, description: {}, timeZone: 'America/New_York', languages: ['en'], reminderOffsets: [] };

  it('read as they were written before contactEmail existed', () => {
    const old = SeriesCreated.schema.parse({ ...created, organiser: { name: 'Training Centre', email: PRIVATE } });
    expect(old.organiser).toEqual({ name: 'Training Centre', email: PRIVATE });
    expect(SeriesDetailsChanged.schema.parse({ seriesId: 'vd10', organiser: { name: 'X', email: PRIVATE } }).organiser).toEqual({ name: 'X', email: PRIVATE });
  });

  it('carry a public contact, checked like every address', () => {
    expect(SeriesCreated.schema.parse({ ...created, organiser: { name: 'T', email: PRIVATE, contactEmail: CONTACT } }).organiser.contactEmail).toBe(CONTACT);
    expect(SeriesCreated.schema.safeParse({ ...created, organiser: { name: 'T', email: PRIVATE, contactEmail: 'Eve <eve@example.org>, x@example.org' } }).success).toBe(false);
  });
});
