/**
 * The organiser on the public routes over HTTP (issue #15, item 12): the public schedule
 * (JSON) and the public feed follow one rule, the public contact address (`organiser.
 * contactEmail`) if the organiser set one, else the name only; the organiser's own address
 * appears in neither, ever. Organisers set, change and clear the contact with the series; it
 * is checked like every address; their own view shows both.
 */
import ICAL from 'ical.js';
import nodeIcal from 'node-ical';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestApi } from '../support/api.js';
import { careRequest } from '../support/seed-requests.js';

const api = useTestApi();
const PRIVATE = `care-${crypto.randomUUID().slice(0, 8)}@organisers.example.org`;
const CONTACT = 'hello@care-economy.example.org';
let seriesId = '';

beforeAll(async () => {
  const created = await api.request('POST', '/admin/series', { body: { ...careRequest, organiser: { name: 'Care Economy Centre', email: PRIVATE, contactEmail: CONTACT } } });
  expect(created.status, created.text).toBe(201);
  seriesId = created.body.id;
  const session = await api.request('POST', `/admin/series/${seriesId}/sessions`, {
    body: { title: { en: 'Lecture' }, start: '2027-05-23T10:00', durationMinutes: 60, language: 'en' },
  });
  expect(session.status, session.text).toBe(201);
  await api.settle();
});

/** ORGANIZER of the feed's first VEVENT, read by ical.js and node-ical (checked to agree). */
function organizerOf(ics: string) {
  const property = new ICAL.Component(ICAL.parse(ics)).getFirstSubcomponent('vevent')!.getFirstProperty('organizer')!;
  const viaIcalJs = { cn: property.getParameter('cn'), address: String(property.getFirstValue()) };
  const vevent = (Object.values(nodeIcal.sync.parseICS(ics)) as Record<string, unknown>[]).find((c) => c['type'] === 'VEVENT')!;
  const o = vevent['organizer'] as { val: string; params: Record<string, string> };
  expect({ cn: o.params['CN'], address: o.val }).toEqual(viaIcalJs);
  return viaIcalJs;
}

const publicViews = async () => {
  const json = await api.request('GET', `/series/${seriesId}`, { token: null });
  const feed = await api.request('GET', `/feeds/series/${seriesId}.ics`, { token: null });
  expect(json.status, json.text).toBe(200);
  expect(feed.status, feed.text).toBe(200);
  return { json, feed };
};

describe('the organiser on the public routes', () => {
  it('with a public contact: the schedule and the feed show it, and not the organiser’s address', async () => {
    const { json, feed } = await publicViews();
    expect(json.body.organiser).toEqual({ name: 'Care Economy Centre', contactEmail: CONTACT });
    expect(organizerOf(feed.text)).toEqual({ cn: 'Care Economy Centre', address: `mailto:${CONTACT}` });
    expect(json.text).not.toContain(PRIVATE);
    expect(feed.text).not.toContain(PRIVATE);
  });

  it('the organiser’s own view shows both', async () => {
    const res = await api.request('GET', `/admin/series/${seriesId}`);
    expect(res.body.organiser).toEqual({ name: 'Care Economy Centre', email: PRIVATE, contactEmail: CONTACT });
  });

  it('without one (cleared by giving the organiser without it): the name only, in both', async () => {
    const changed = await api.request('PATCH', `/admin/series/${seriesId}`, { body: { organiser: { name: 'Care Economy Centre', email: PRIVATE } } });
    expect(changed.status, changed.text).toBe(200);
    await api.settle();
    const { json, feed } = await publicViews();
    expect(json.body.organiser).toEqual({ name: 'Care Economy Centre' });
    expect(organizerOf(feed.text)).toEqual({ cn: 'Care Economy Centre', address: `${api.url}/series/${seriesId}` });
    expect(json.text).not.toContain(PRIVATE);
    expect(feed.text).not.toContain(PRIVATE);
    expect(feed.text.toLowerCase()).not.toContain('mailto:');
  });

  it('a contact that is not one plain address is a 422 naming the field, and changes nothing', async () => {
    const before = await api.eventCount();
    const res = await api.request('PATCH', `/admin/series/${seriesId}`, {
      body: { organiser: { name: 'Care Economy Centre', email: PRIVATE, contactEmail: 'Eve <eve@example.org>, bcc@example.org' } },
    });
    expect(res.status, res.text).toBe(422);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain('organiser.contactEmail');
    expect(await api.eventCount()).toBe(before);
  });
});
