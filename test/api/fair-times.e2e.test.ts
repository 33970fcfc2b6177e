/**
 * Fair times end to end (issue 20): an organiser asks how fair a series' times are to the zones
 * of its registrants (Quito, Delhi, Sydney, Gaza; the series in London), across the British
 * clock change of 28 March 2027: the same 13:00 in London wakes Quito on 22 March and not a
 * week later. The best times between two dates, a rotation sharing the nights between the
 * regions, a twin session; the zones of chosen members or of another series' registrants;
 * the heat map as SVG, rendered in Chromium; and bad queries refused with a 400 naming the
 * parameter. The scoring itself is checked zone by zone in test/events/fair-times-*.
 */
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { careRequest } from '../support/seed-requests.js';
import { useTestApi } from '../support/api.js';
import { useBrowser } from '../support/browser.js';

const api = useTestApi();
const browser = useBrowser();

/** Where the series' registrants live, and how many in each. */
const COMMUNITY = { 'America/Guayaquil': 5, 'Asia/Kolkata': 4, 'Australia/Sydney': 3, 'Asia/Gaza': 2 } as const;
const TOTAL = 14;

let seriesId = '';
let otherSeriesId = '';
const memberIds: Record<string, string[]> = {};

beforeAll(async () => {
  const create = async (title: string) =>
    (await api.request('POST', '/admin/series', { body: { ...careRequest, title: { en: title }, timeZone: 'Europe/London', languages: ['en', 'ar'] } })).body.id as string;
  seriesId = await create('Care Economy Dialogues');
  otherSeriesId = await create('Care Economy Dialogues 2026');
  // 13:00 in London on the Monday before the British change and on the Monday after it.
  for (const [start, title] of [
    ['2027-03-22T13:00', 'Before the change'],
    ['2027-03-29T13:00', 'حوار بعد تغيير الساعة'],
  ] as const) {
    const res = await api.request('POST', `/admin/series/${seriesId}/sessions`, { body: { title: { en: title }, start, durationMinutes: 90, language: 'en' } });
    expect(res.status, res.text).toBe(201);
  }
  const members = Object.entries(COMMUNITY).flatMap(([timeZone, n]) =>
    Array.from({ length: n }, (_, i) => ({ email: `${timeZone.replace('/', '-').toLowerCase()}-${i}-${crypto.randomUUID().slice(0, 6)}@example.org`, name: `Member ${i}`, language: 'en', timeZone })),
  );
  const registered = await api.request('POST', `/admin/series/${seriesId}/registrations`, { body: { members } });
  expect(registered.status, registered.text).toBe(200);
  for (const [i, m] of (registered.body.members as { memberId: string }[]).entries()) (memberIds[members[i]!.timeZone] ??= []).push(m.memberId);
  // Last year's edition: two members in Quito only.
  await api.request('POST', `/admin/series/${otherSeriesId}/registrations`, { body: { members: members.slice(0, 2) } });
  await api.settle();
});

const fairTimes = (query = '', headers: Record<string, string> = {}) => api.request('GET', `/admin/series/${seriesId}/fair-times${query}`, { headers });

describe('the fair-times route, as JSON', () => {
  it("scores the series' sessions for its registrants exactly across the British clock change", async () => {
    const res = await fairTimes();
    expect(res.status, res.text).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const { registrants, sessions, homeZone, durationMinutes } = res.body;
    expect(homeZone).toBe('Europe/London');
    expect(durationMinutes).toBe(90);
    expect(registrants.source).toBe('roster');
    expect(registrants.total).toBe(TOTAL);
    expect(Object.fromEntries(registrants.zones.map((z: { zone: string; count: number }) => [z.zone, z.count]))).toEqual(COMMUNITY);

    const [before, after] = sessions;
    expect(before.homeLocal).toBe('2027-03-22T13:00');
    expect(after.homeLocal).toBe('2027-03-29T13:00');
    // 22 March, 13:00 GMT: Quito 08:00, Delhi 18:30, Gaza 15:00 are awake; Sydney is at midnight.
    expect(before.awake).toBe(5 + 4 + 2);
    expect(before.night).toBe(3);
    expect(before.worstOff[0]).toMatchObject({ zone: 'Australia/Sydney', localStart: '2027-03-23T00:00', dayShift: 1, offset: '+11:00' });
    // 29 March, 13:00 BST is an hour earlier for everyone else: Quito at 07:00 is not awake.
    expect(after.awake).toBe(4 + 2);
    expect(after.worstOff.map((z: { zone: string }) => z.zone)).toEqual(['Australia/Sydney', 'America/Guayaquil']);
    expect(after.worstOff[1]).toMatchObject({ localStart: '2027-03-29T07:00', nightMinutes: 0, distanceMinutes: 60 });
    expect(res.body.heatMap.week).toBe('2027-W12');
  });

  it('suggests the best times between two dates, plans a rotation that shares the nights, and chooses a twin session', async () => {
    const res = await fairTimes('?from=2027-03-22&to=2027-04-16&weekdays=1,3&window=06:00-22:00&every=60&count=3&rotation=4&twin=true&duration=60');
    expect(res.status, res.text).toBe(200);
    const { suggestions, rotation, twin, sessions } = res.body;
    expect(suggestions.best).toHaveLength(3);
    expect(suggestions.considered).toBe(8 * 17);
    for (const s of suggestions.best) {
      expect(['Mon', 'Wed'].some((d) => new Date(s.start).toUTCString().startsWith(d))).toBe(true);
      expect(s.homeLocal.slice(11) >= '06:00' && s.homeLocal.slice(11) <= '22:00').toBe(true);
    }
    const shares = suggestions.best.map((s: { awakeShare: number }) => s.awakeShare);
    expect(shares).toEqual([...shares].sort((a, b) => b - a));
    // No hour wakes Quito, Delhi and Sydney at once; the best wake more than the series' own 13:00.
    expect(suggestions.best[0].awake).toBeLessThan(TOTAL);
    expect(suggestions.best[0].awake).toBeGreaterThanOrEqual(Math.max(...sessions.map((s: { awake: number }) => s.awake)));

    // The rotation: four sessions, the nights shared between America, Asia and Australia.
    expect(rotation.sessions).toHaveLength(4);
    expect(rotation.method).toBe('exact');
    expect(rotation.groups.map((g: { group: string }) => g.group).sort()).toEqual(['America', 'Asia', 'Australia']);
    const nights = rotation.groups.map((g: { nights: number }) => g.nights);
    expect(rotation.spread).toBe(Math.max(...nights) - Math.min(...nights));
    expect(rotation.spread).toBeLessThanOrEqual(1);
    // Each group's nights are the sessions where at least half of it is at night.
    for (const group of rotation.groups as { group: string; registrants: number; nightSessions: number[] }[]) {
      const atNight = rotation.sessions
        .map((s: { index: number; worstOff: { zone: string; count: number; nightMinutes: number }[] }) => ({
          index: s.index,
          n: s.worstOff.filter((z) => z.zone.startsWith(`${group.group}/`) && z.nightMinutes > 0).reduce((sum, z) => sum + z.count, 0),
        }))
        .filter((x: { n: number }) => x.n >= group.registrants / 2)
        .map((x: { index: number }) => x.index);
      expect(group.nightSessions).toEqual(atNight);
    }

    // Or between bands of UTC offsets: Quito (-05:00), Gaza (+02:00), Delhi (+05:30), Sydney (+11:00).
    const banded = await fairTimes('?from=2027-03-22&to=2027-04-16&weekdays=1,3&every=60&rotation=4&groupBy=offset');
    expect(banded.status, banded.text).toBe(200);
    expect(banded.body.rotation.groups.map((g: { group: string }) => g.group).sort()).toEqual(['UTC+00:00..+04:00', 'UTC+04:00..+08:00', 'UTC+08:00..+12:00', 'UTC-08:00..-04:00']);

    // The twin: two times that together wake more than any one time.
    expect(twin.first.start < twin.second.start).toBe(true);
    expect(twin.coveredShare).toBeGreaterThan(twin.bestSingle.awakeShare);
    expect(twin.gain).toBe(twin.covered - twin.bestSingle.awake);
    expect(twin.covered).toBeLessThanOrEqual(TOTAL);
  });

  it("weighs the zones of chosen members, or of another series' registrants, instead of the roster", async () => {
    const chosen = [...memberIds['Asia/Kolkata']!.slice(0, 2), memberIds['Australia/Sydney']![0]!];
    const res = await fairTimes(`?members=${chosen.join(',')}&at=2027-03-22T13:00:00Z&at=2027-03-22T05:00:00%2B05:30`);
    expect(res.status, res.text).toBe(200);
    expect(res.body.registrants).toMatchObject({ source: 'members', total: 3, zones: [{ zone: 'Asia/Kolkata', count: 2 }, { zone: 'Australia/Sydney', count: 1 }] });
    expect(res.body.candidates.map((c: { start: string }) => c.start)).toEqual(['2027-03-22T13:00:00.000Z', '2027-03-21T23:30:00.000Z']);
    // 23:30 UTC: Delhi at 05:00 (night), Sydney at 10:30 (awake).
    expect(res.body.candidates[1]).toMatchObject({ awake: 1, night: 2 });

    const unknown = crypto.randomUUID();
    const some = await fairTimes(`?members=${chosen[0]},${unknown}`);
    expect(some.body.registrants).toMatchObject({ total: 1, membersWithoutZone: [unknown] });

    const other = await fairTimes(`?registrantsOf=${otherSeriesId}`);
    expect(other.body.registrants).toMatchObject({ source: 'roster', seriesId: otherSeriesId, total: 2, zones: [{ zone: 'America/Guayaquil', count: 2 }] });
  });

  it('refuses a bad query with a 400 naming the parameter, and an unknown series with a 404', async () => {
    const cases: [string, string, RegExp][] = [
      ['?duration=0', 'duration', /duration/],
      ['?windw=08:00-10:00', 'windw', /unknown parameter windw/],
      ['?waking=8-21', 'waking', /08:00-21:00/],
      ['?rotation=3', 'rotation', /needs from and to/],
      ['?groupBy=offset', 'groupBy', /needs rotation/],
      ['?from=2027-03-22', 'to', /go together/],
      ['?from=2027-03-22&to=2027-03-01', 'to', /before/],
      ['?at=yesterday', 'at', /instant/],
      ['?members=not-an-id!', 'members', /members/],
      ['?from=2027-01-01&to=2029-12-31&every=5', 'from', /narrow/],
      ['?from=2027-01-01&to=2027-12-31&every=60&twin=true', 'from', /8760 candidate times is more than 1200 for a rotation or a twin/],
      ['?duration=60&duration=90', 'duration', /once/],
      ['?week=2027-W60', 'week', /ISO week/],
      ['?week=2027-W53', 'week', /W53/],
    ];
    for (const [query, field, detail] of cases) {
      const res = await fairTimes(query);
      expect(res.status, `${query}: ${res.text}`).toBe(400);
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(res.body.errors.map((e: { field: string }) => e.field), query).toContain(field);
      expect(res.body.detail, query).toMatch(detail);
    }
    const missing = await api.request('GET', `/admin/series/${crypto.randomUUID()}/fair-times`);
    expect(missing.status).toBe(404);
    expect((await api.request('GET', `/admin/series/${seriesId}/fair-times`, { token: null })).status).toBe(401);
  });
});

interface CellSeen {
  readonly day: number;
  readonly hour: number;
  readonly share: number;
  readonly skipped: boolean;
  readonly box: { x: number; y: number; width: number; height: number };
}

/** The SVG as Chromium lays it out: every cell's place and share, every mark's place. */
async function layout(page: Page) {
  return page.evaluate(() => {
    const doc = (globalThis as unknown as { document: { querySelectorAll(s: string): ArrayLike<{ getAttribute(n: string): string | null; getBoundingClientRect(): { x: number; y: number; width: number; height: number } }>; querySelector(s: string): unknown } }).document;
    const box = (e: { getBoundingClientRect(): { x: number; y: number; width: number; height: number } }) => {
      const r = e.getBoundingClientRect();
      return { x: r.x, y: r.y, width: r.width, height: r.height };
    };
    return {
      parseError: doc.querySelector('parsererror') !== null,
      cells: Array.from(doc.querySelectorAll('rect[data-day][data-hour]')).map((e) => ({ day: Number(e.getAttribute('data-day')), hour: Number(e.getAttribute('data-hour')), share: Number(e.getAttribute('data-awake-share')), skipped: e.getAttribute('data-skipped') === 'true', box: box(e) })),
      marks: Array.from(doc.querySelectorAll('[data-mark]')).map((e) => ({ mark: e.getAttribute('data-mark') ?? '', box: box(e) })),
    };
  });
}

describe('the heat map (Accept: image/svg+xml)', () => {
  it("draws the week's hours in the series' zone shaded by who is awake, the sessions marked, as Chromium renders it", async () => {
    const json = (await fairTimes()).body;
    const res = await fairTimes('', { accept: 'image/svg+xml' });
    expect(res.status, res.text).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/svg+xml; charset=utf-8');
    expect(res.headers.get('vary')).toMatch(/Accept/);
    expect(res.headers.get('content-disposition')).toBe(`inline; filename="${seriesId}-fair-times-2027-W12.svg"`);
    expect(res.text).not.toMatch(/<script|javascript:|href="http/i);
    // The Arabic session title is kept whole.
    expect(res.text).toContain('حوار بعد تغيير الساعة');

    const context = await browser.context();
    const page = await context.newPage();
    const url = `${api.url}/heat-map.svg`;
    await page.route(url, (route) => route.fulfill({ status: 200, contentType: 'image/svg+xml', body: res.text }));
    await page.goto(url);
    const seen = await layout(page);
    expect(seen.parseError).toBe(false);
    expect(seen.cells).toHaveLength(7 * 24);
    // Laid out as a grid: each day a row, each hour a column, left to right.
    const cell = (day: number, hour: number) => seen.cells.find((c: CellSeen) => c.day === day && c.hour === hour)!;
    expect(cell(1, 1).box.x).toBeGreaterThan(cell(1, 0).box.x);
    expect(cell(2, 0).box.y).toBeGreaterThan(cell(1, 0).box.y);
    expect(Math.abs(cell(7, 23).box.x - cell(1, 23).box.x)).toBeLessThan(1);
    // Monday 13:00 is the first session's own score (the JSON's, for a 90-minute session).
    expect(cell(1, 13).share).toBeCloseTo(json.sessions[0].awakeShare, 3);
    // Both sessions are Mondays at 13:00 (the second in another week): both marks in that cell.
    const sessionMarks = seen.marks.filter((m: { mark: string }) => m.mark.startsWith('session'));
    expect(sessionMarks).toHaveLength(2);
    const target = cell(1, 13).box;
    for (const m of sessionMarks) {
      const cx = m.box.x + m.box.width / 2;
      const cy = m.box.y + m.box.height / 2;
      expect(cx >= target.x && cx <= target.x + target.width && cy >= target.y && cy <= target.y + target.height, JSON.stringify({ m, target })).toBe(true);
    }
    // London skips 01:00 on Sunday 28 March: that hour is drawn as not there, not scored.
    expect(seen.cells.filter((c: CellSeen) => c.skipped).map((c: CellSeen) => [c.day, c.hour])).toEqual([[7, 1]]);
    // Shaded by share: the best hour of the week is drawn darker than the worst.
    const scored = seen.cells.filter((c: CellSeen) => !c.skipped);
    const best = scored.reduce((a: CellSeen, b: CellSeen) => (b.share > a.share ? b : a));
    const worst = scored.reduce((a: CellSeen, b: CellSeen) => (b.share < a.share ? b : a));
    expect(best.share).toBeGreaterThan(worst.share);
    const lightness = async (c: CellSeen) => {
      const fill = await page.evaluate(([day, hour]) => {
        const doc = (globalThis as unknown as { document: { querySelector(s: string): unknown } }).document;
        const style = (globalThis as unknown as { getComputedStyle(e: unknown): { fill: string } }).getComputedStyle;
        return style(doc.querySelector(`rect[data-day="${day}"][data-hour="${hour}"]`)).fill;
      }, [c.day, c.hour] as const);
      const [r, g, b] = (fill.match(/\d+/g) ?? []).map(Number);
      return (r! + g! + b!) / 3;
    };
    expect(await lightness(best)).toBeLessThan((await lightness(worst)) - 40);
    await context.close();
  });

  it('marks the suggested times too, and opens in a browser tab with format=svg', async () => {
    const res = await fairTimes('?from=2027-03-22&to=2027-03-26&count=2&format=svg');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/svg+xml; charset=utf-8');
    const json = (await fairTimes('?from=2027-03-22&to=2027-03-26&count=2')).body;
    const context = await browser.context();
    const page = await context.newPage();
    const url = `${api.url}/suggested.svg`;
    await page.route(url, (route) => route.fulfill({ status: 200, contentType: 'image/svg+xml', body: res.text }));
    await page.goto(url);
    const seen = await layout(page);
    const suggested = seen.marks.filter((m: { mark: string }) => m.mark.startsWith('suggestion'));
    expect(suggested).toHaveLength(2);
    for (const [i, s] of (json.suggestions.best as { homeLocal: string }[]).entries()) {
      const day = ((new Date(`${s.homeLocal.slice(0, 10)}T00:00:00Z`).getUTCDay() + 6) % 7) + 1;
      const hour = Number(s.homeLocal.slice(11, 13));
      const target = seen.cells.find((c: CellSeen) => c.day === day && c.hour === hour)!.box;
      const m = suggested[i]!.box;
      expect(m.y + m.height / 2).toBeGreaterThanOrEqual(target.y);
      expect(m.y + m.height / 2).toBeLessThanOrEqual(target.y + target.height);
    }
    await context.close();
  });
});
