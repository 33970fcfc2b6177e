/**
 * Personal feeds served from a warm instance: what it keeps in memory (the member a token
 * belonged to, schedules by version, rendered feeds) must never show a member a stale feed.
 * Every case runs on two instances against the same tables: the API over HTTP (the stores'
 * reads, in parallel) and a feed route reading with one BatchGetItem, as the API Lambda does.
 * Each is warmed with the feed first, then the change is made, then the next read must show it.
 */
import ICAL from 'ical.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { memberDecider, memberStreamId } from '../../events/member/index.js';
import { documentClient } from '../../functions/adapters/dynamodb-client.js';
import { batchedFeedReads } from '../../functions/read-models/member-feed-reads.js';
import { httpApp } from '../../functions/api/http-app.js';
import { memberFeedRoutes } from '../../functions/api/routes/member-feed.js';
import { handleCommand } from '../../functions/commands/command-handler.js';
import { membersTable, readModelTable } from '../../functions/tables.js';
import { useTestApi } from '../support/api.js';
import { pathOf } from '../support/members.js';
import { clients } from '../support/local.js';
import { careRequest, dialogueRequest } from '../support/seed-requests.js';

const api = useTestApi();
let seriesId = '';
let sessionId = '';
let batched: ReturnType<typeof httpApp>;

beforeAll(async () => {
  seriesId = (await api.request('POST', '/admin/series', { body: careRequest })).body.id;
  sessionId = (await api.request('POST', `/admin/series/${seriesId}/sessions`, { body: { title: { en: 'Care work' }, start: '2027-05-23T15:00', durationMinutes: 90 } })).body.sessionId;
  const tables = { members: api.names[membersTable.id]!, readModels: api.names[readModelTable.id]! };
  const read = batchedFeedReads(documentClient(clients().dynamodb), tables, { readModels: api.readModels, store: api.store });
  // The feed route alone, with the API's error handling (no organiser routes: no verifier needed).
  batched = httpApp({ verifyOrganiserToken: () => Promise.reject(new Error('no organiser routes here')) }, (app) => app.route('/', memberFeedRoutes({ read, baseUrl: api.url })));
});

interface Feed {
  status: number;
  etag: string | null;
  text: string;
}

const instances: Record<string, (path: string, headers?: Record<string, string>) => Promise<Feed>> = {
  'the API (stores read in parallel)': async (path, headers = {}) => {
    const res = await api.request('GET', path, { token: null, headers });
    return { status: res.status, etag: res.headers.get('etag'), text: res.text };
  },
  'a feed route reading with one BatchGetItem': async (path, headers = {}) => {
    const res = await batched.request(path, { headers });
    return { status: res.status, etag: res.headers.get('etag'), text: await res.text() };
  },
};

const events = (ics: string) =>
  new ICAL.Component(ICAL.parse(ics)).getAllSubcomponents('vevent').map((v) => {
    const event = new ICAL.Event(v);
    return { uid: event.uid, start: event.startDate.toJSDate().toISOString(), summary: event.summary };
  });

/** A member registered (by an organiser: confirmed at once) for `sessions` of `series`, with a feed token. */
async function member(series = seriesId, sessions: 'all' | string[] = 'all') {
  const email = `feed-${crypto.randomUUID().slice(0, 8)}@example.org`;
  const res = await api.request('POST', `/admin/series/${series}/registrations`, { body: { members: [{ email, name: 'Amal Haddad', language: 'en', timeZone: 'Asia/Jerusalem' }], sessions } });
  expect(res.status).toBe(200);
  const memberId = res.body.members[0].memberId as string;
  await api.settle();
  // The member's page, from the link every mail carries: what they rotate and leave with.
  const manage = `/manage?token=${api.signer.sign({ a: 'manage', m: memberId }, new Date(Date.now() + 24 * 3600_000))}`;
  return { memberId, manage, token: await api.members.rotateFeedToken(memberId) };
}

/** POST one of the member's page's forms, as a program (JSON in and out). */
const onTheirPage = (manage: string, what: string, body: Record<string, unknown> = {}) =>
  api.request('POST', manage.replace('/manage?', `/manage/${what}?`), { token: null, body, headers: { accept: 'application/json' } });

describe.each(Object.entries(instances))('a warm instance: %s', (_name, get) => {
  it('carries a dialogue’s open window for a member registered for all of it, not for one of its sessions, and is named for its reader', async () => {
    const dialogue = (await api.request('POST', '/admin/series', { body: dialogueRequest })).body.id as string;
    const webinar = (await api.request('POST', `/admin/series/${dialogue}/sessions`, { body: { title: { en: 'Live webinar' }, start: '2027-05-03T10:00', durationMinutes: 90 } })).body.sessionId as string;
    await api.settle();
    const all = await member(dialogue, 'all');
    const one = await member(dialogue, [webinar]);
    const uids = async (token: string) => events((await get(`/feeds/members/${token}.ics`)).text).map((e) => e.uid).sort();
    expect(await uids(all.token)).toEqual([`${webinar}@${dialogue}.convene`, `window@${dialogue}.convene`]);
    expect(await uids(one.token)).toEqual([`${webinar}@${dialogue}.convene`]);
    const feed = new ICAL.Component(ICAL.parse((await get(`/feeds/members/${all.token}.ics`)).text));
    expect(feed.getFirstPropertyValue('x-wr-calname')).toBe('Training Centre · My sessions');
  });

  it('refuses a rotated token at once, and serves the new one', async () => {
    const { token, manage } = await member();
    expect((await get(`/feeds/members/${token}.ics`)).status).toBe(200);
    const rotated = await onTheirPage(manage, 'feed');
    expect(rotated.status).toBe(201);
    expect((await get(`/feeds/members/${token}.ics`)).status).toBe(404);
    expect((await get(pathOf(rotated.body.feedUrl))).status).toBe(200);
  });

  it('shows a rescheduled session in the next read, under a new ETag', async () => {
    const { token } = await member();
    const path = `/feeds/members/${token}.ics`;
    const before = await get(path);
    const session = events(before.text).find((e) => e.uid.startsWith(`${sessionId}@`))!;
    const start = new Date(Date.parse(session.start) + 3_600_000).toISOString();
    expect((await api.request('PATCH', `/admin/series/${seriesId}/sessions/${sessionId}`, { body: { start } })).status).toBe(200);
    await api.settle();
    const after = await get(path, { 'if-none-match': before.etag! });
    expect(after.status).toBe(200);
    expect(after.etag).not.toBe(before.etag);
    expect(events(after.text).find((e) => e.uid === session.uid)!.start).toBe(start);
  });

  it("shows a new series and a change of language in the next read", async () => {
    const { memberId, token } = await member();
    const path = `/feeds/members/${token}.ics`;
    const before = await get(path);
    expect(events(before.text).map((e) => e.summary)).toContain('Care work');
    const other = (await api.request('POST', '/admin/series', { body: { ...careRequest, title: { en: 'Another series', es: 'Otra serie' } } })).body.id as string;
    await api.request('POST', `/admin/series/${other}/sessions`, { body: { title: { en: 'Policy', es: 'Política' }, start: '2027-06-06T15:00', durationMinutes: 60 } });
    await api.request('POST', `/admin/series/${other}/registrations`, { body: { members: [{ email: (await api.members.get(memberId))!.email, name: 'Amal Haddad', language: 'en', timeZone: 'Asia/Jerusalem' }], sessions: 'all' } });
    await handleCommand({ store: api.store, decider: memberDecider, streamId: memberStreamId(memberId), command: { type: 'ChangePreferences', memberId, language: 'es' }, context: { actor: { kind: 'member', id: memberId }, correlationId: 'test' } });
    await api.settle();
    const after = await get(path, { 'if-none-match': before.etag! });
    expect(after.status).toBe(200);
    expect(events(after.text).map((e) => e.summary)).toContain('Política');
  });

  it('shows a session once its member is seated, after someone ahead leaves', async () => {
    // A series of its own: members of the other cases (registered for all sessions) would queue first.
    const series = (await api.request('POST', '/admin/series', { body: careRequest })).body.id as string;
    const limited = (await api.request('POST', `/admin/series/${series}/sessions`, { body: { title: { en: 'One seat' }, start: '2027-07-04T15:00', durationMinutes: 60, capacity: 1 } })).body.sessionId as string;
    const first = await member(series, [limited]);
    const second = await member(series, [limited]);
    const path = `/feeds/members/${second.token}.ics`;
    const waiting = await get(path);
    expect(events(waiting.text).map((e) => e.summary)).not.toContain('One seat');
    expect((await onTheirPage(first.manage, 'leave', { seriesId: series })).status).toBe(200);
    await api.settle();
    const seated = await get(path, { 'if-none-match': waiting.etag! });
    expect(seated.status).toBe(200);
    expect(events(seated.text).map((e) => e.summary)).toContain('One seat');
  });
});
