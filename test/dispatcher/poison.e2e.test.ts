/**
 * Failure is per mail: each kind of poison sits in one series among several (a join link no
 * mail can carry, an address SES refuses, a ledger record that does not parse, an event that
 * fails its schema on read in a series stream and in a member stream, a member with no
 * address, a suppressed address, a record an earlier version wrote for mail it never sent).
 * In the same tick every other member of every series gets their invitation exactly once; the
 * poisoned ones are on their organiser's list with the reason, held (not tried each tick), and
 * tried again once the organiser fixes what was wrong.
 */
import { PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memberStreamId } from '../../events/member/index.js';
import { seriesStreamId } from '../../events/series/index.js';
import { ledgerKeys } from '../../functions/adapters/deliveries/delivery-ledger.js';
import { documentClient } from '../../functions/adapters/dynamodb-client.js';
import { toItem } from '../../functions/adapters/event-store/items.js';
import { createSesMailer } from '../../functions/adapters/mailer/ses-mailer.js';
import { createSuppressionList } from '../../functions/adapters/members/suppression-list.js';
import { DELIVERY_PK, DELIVERY_SK, MEMBER_PK, deliveryTable, eventTable, membersTable } from '../../functions/tables.js';
import { useTestApi } from '../support/api.js';
import { testDispatcher } from '../support/dispatcher.js';
import { clients, localStackInfo } from '../support/local.js';
import { mailTo } from '../support/mailbox.js';
import { startRefusingSes, type RefusingSes } from '../support/refusing-ses.js';
import { careRequest } from '../support/seed-requests.js';

// Tables of its own per test: each test plants the same poisoned world and runs its own ticks.
const api = useTestApi({ scope: 'test' });
const NOW = new Date('2027-02-01T12:00:00Z');
const doc = () => documentClient(clients().dynamodb);
let tag = '';
let ses: RefusingSes;

interface Series {
  seriesId: string;
  /** Session ids by title. */
  sessions: Record<string, string>;
  /** Addresses by short name. */
  members: Record<string, string>;
}

let series: Record<string, Series> = {};

/** A series with sessions (title -> start) and members (name -> zone), registered by the organiser. */
async function seriesOf(name: string, sessions: Record<string, string>, members: string[]): Promise<Series> {
  const seriesId = (await api.request('POST', '/admin/series', { body: { ...careRequest, title: { en: `${name} series`, es: `Serie ${name}` } } })).body.id as string;
  const ids: Record<string, string> = {};
  for (const [title, start] of Object.entries(sessions)) {
    const res = await api.request('POST', `/admin/series/${seriesId}/sessions`, {
      body: { title: { en: title }, start, durationMinutes: 60, joinUrl: `https://webinar.example.org/${encodeURIComponent(title)}` },
    });
    expect(res.status).toBe(201);
    ids[title] = res.body.sessionId;
  }
  const emails = Object.fromEntries(members.map((m) => [m, `${name.toLowerCase()}-${m}-${tag}@example.org`]));
  const res = await api.request('POST', `/admin/series/${seriesId}/registrations`, {
    body: { members: Object.entries(emails).map(([m, email]) => ({ email, name: `${name} ${m}`, language: 'en', timeZone: 'Europe/Paris' })) },
  });
  expect(res.status).toBe(200);
  return { seriesId, sessions: ids, members: emails };
}

const memberId = async (email: string) => (await api.members.memberIdForEmail(email))!;
const streamVersion = async (streamId: string) => (await api.store.read(streamId)).at(-1)!.metadata.version;

/** An event written past the deciders and the schema, as a bug or a hand edit would leave it. */
async function plantEvent(streamId: string, type: string, data: Record<string, unknown>) {
  const version = (await streamVersion(streamId)) + 1;
  const item = toItem({
    type,
    data,
    metadata: { eventId: crypto.randomUUID(), streamId, version, schemaVersion: 1, recordedAt: new Date().toISOString(), actor: { kind: 'system', id: 'poison-test' }, correlationId: 'poison', causationId: 'poison' },
  });
  await doc().send(new PutCommand({ TableName: api.names[eventTable.id], Item: item }));
  return version;
}

const undeliverable = async (s: Series) => {
  const res = await api.request('GET', `/admin/series/${s.seriesId}/undeliverable`);
  expect(res.status).toBe(200);
  return res.body as {
    mail: { kind: string; member: { memberId: string; name?: string }; sessionId?: string; code: string; reason: string; retry: string; attempts: number; firstFailedAt: string; lastFailedAt: string }[];
    streams: { streamId: string; member?: { memberId: string; name?: string }; version: number; eventType?: string; reason: string }[];
  };
};

/**
 * Calendar invitations an address got for a session title, at the SES endpoint (worded as an
 * update when the session changed before it went out: issue 18's wording).
 */
async function invitations(email: string, title: string) {
  return (await mailTo(email)).filter((m) => m.subject === `Invitation: ${title}` || m.subject === `Updated: ${title}`).length;
}

const dispatcher = () => testDispatcher(api, { mailer: createSesMailer(ses.client) });
const allAddresses = () => Object.values(series).flatMap((s) => Object.values(s.members));

beforeAll(async () => {
  ses = await startRefusingSes(localStackInfo().ses.endpoint);
});

afterAll(async () => {
  await ses?.stop();
});

/** Seven series, six of them poisoned one way each; the projector has seen everything. */
async function plantPoisonedWorld() {
  tag = crypto.randomUUID().slice(0, 8);
  series = {};
  series.healthy = await seriesOf('Healthy', { 'Healthy one': '2027-03-21T15:00', 'Healthy two': '2027-03-28T15:00' }, ['a', 'b', 'c']);
  series.link = await seriesOf('Link', { 'Old link': '2027-03-21T15:00', 'Good link': '2027-03-22T15:00' }, ['a', 'b']);
  series.refused = await seriesOf('Refused', { 'Refused session': '2027-03-21T15:00' }, ['ok', 'refused']);
  series.ledger = await seriesOf('Ledger', { 'Ledger session': '2027-03-21T15:00' }, ['ok', 'broken']);
  series.event = await seriesOf('Event', { 'Event session': '2027-03-21T15:00' }, ['a', 'b']);
  series.member = await seriesOf('Member', { 'Member session': '2027-03-21T15:00' }, ['ok', 'gone', 'odd', 'suppressed']);
  series.legacy = await seriesOf('Legacy', { 'Legacy session': '2027-03-21T15:00' }, ['a']);
  await api.settle();

  // The API refuses a plain-http join link at the door, naming the field, and writes nothing...
  const before = await api.eventCount();
  const refusedAtTheDoor = await api.request('PATCH', `/admin/series/${series.link!.seriesId}/sessions/${series.link!.sessions['Old link']}`, { body: { joinUrl: 'http://meet.example.org/room-42' } });
  expect(refusedAtTheDoor.status).toBe(422);
  expect(refusedAtTheDoor.body.errors).toEqual([expect.objectContaining({ field: 'joinUrl', pointer: '/joinUrl', detail: expect.stringContaining('https') })]);
  expect(await api.eventCount()).toBe(before);
  // ...so one is planted as an event written before that rule: no mail can be made of it.
  const link = series.link!;
  await plantEvent(seriesStreamId(link.seriesId), 'SessionDetailsChanged', { seriesId: link.seriesId, sessionId: link.sessions['Old link'], joinUrl: 'http://meet.example.org/room-42' });

  ses.refused.add(series.refused!.members.refused!);

  const ledger = series.ledger!;
  await doc().send(
    new PutCommand({
      TableName: api.names[deliveryTable.id],
      Item: { [DELIVERY_PK]: ledgerKeys.invitesOf(ledger.seriesId), [DELIVERY_SK]: ledgerKeys.invite(ledger.seriesId, ledger.sessions['Ledger session']!, await memberId(ledger.members.broken!)).sk, sentRank: 'two', detail: 'REQUEST' },
    }),
  );

  const event = series.event!;
  await plantEvent(seriesStreamId(event.seriesId), 'SessionRescheduled', { seriesId: event.seriesId, sessionId: event.sessions['Event session'], startsAt: 'next Tuesday', endsAt: 'soon', timeZone: 'America/New_York' });

  const member = series.member!;
  const gone = await memberId(member.members.gone!);
  await doc().send(new UpdateCommand({ TableName: api.names[membersTable.id], Key: { [MEMBER_PK]: `member#${gone}` }, UpdateExpression: 'REMOVE email' }));
  await plantEvent(memberStreamId(await memberId(member.members.odd!)), 'MemberPreferencesChanged', { memberId: await memberId(member.members.odd!), timeZone: 'Mars/Olympus_Mons' });
  await createSuppressionList(doc(), api.names[membersTable.id]!).suppress(member.members.suppressed!, 'bounce', new Date());

  // What an earlier version wrote for an invitation it never sent (the NaN of the issue).
  const legacy = series.legacy!;
  await doc().send(
    new PutCommand({
      TableName: api.names[deliveryTable.id],
      Item: {
        [DELIVERY_PK]: ledgerKeys.invitesOf(legacy.seriesId),
        [DELIVERY_SK]: ledgerKeys.invite(legacy.seriesId, legacy.sessions['Legacy session']!, await memberId(legacy.members.a!)).sk,
        sentRank: 0,
        messageId: 'not-composed:TypeError: join URL must be an https URL',
        sentAt: NOW.toISOString(),
        detail: {},
      },
    }),
  );
  await api.settle();
  // The two unreadable events were set aside by the projector's poller, the records behind them projected.
  expect(api.deadLetters().map((l) => (l.keys as { streamId: { S: string } }).streamId.S).sort()).toEqual(
    [seriesStreamId(series.event!.seriesId), memberStreamId(await memberId(series.member!.members.odd!))].sort(),
  );
}

const firstTick = async () => {
  const report = await dispatcher().tick({ now: NOW });
  expect(report.planFailures).toEqual([]);
  // Every failure is a planted one: none from the SES stand-in's connections.
  expect(report.failures['send-failed']).toBeUndefined();
  return report;
};

describe('one tick with every kind of poison in one series among several', () => {
  it('finishes; every other member of every series gets each invitation exactly once; each poisoned mail is listed with its reason, never an address', { timeout: 120_000 }, async () => {
    await plantPoisonedWorld();
    const refusalsBefore = ses.refusals();
    const first = await firstTick();
    const expected: [Series, string, string[]][] = [
      [series.healthy!, 'Healthy one', ['a', 'b', 'c']],
      [series.healthy!, 'Healthy two', ['a', 'b', 'c']],
      [series.link!, 'Good link', ['a', 'b']],
      [series.refused!, 'Refused session', ['ok']],
      [series.ledger!, 'Ledger session', ['ok']],
      // The poisoned event is set aside: members are invited as the series stood before it.
      [series.event!, 'Event session', ['a', 'b']],
      [series.member!, 'Member session', ['ok', 'odd']],
      [series.legacy!, 'Legacy session', ['a']],
    ];
    for (const [s, title, who] of expected) {
      for (const m of who) expect(await invitations(s.members[m]!, title), `${m} of ${title}`).toBe(1);
    }
    expect(first.invites).toBe(expected.reduce((n, [, , who]) => n + who.length, 0));
    // And the poisoned ones got nothing.
    for (const [s, title, m] of [
      [series.link!, 'Old link', 'a'],
      [series.link!, 'Old link', 'b'],
      [series.refused!, 'Refused session', 'refused'],
      [series.ledger!, 'Ledger session', 'broken'],
      [series.member!, 'Member session', 'suppressed'],
    ] as const) {
      expect(await invitations(s.members[m]!, title), `${m} of ${title}`).toBe(0);
    }
    expect(ses.refusals() - refusalsBefore).toBe(1);
    expect(first.failures).toEqual({ 'not-composed': 2, refused: 1, 'ledger-unreadable': 1, 'no-address': 1, suppressed: 1 });

    const link = await undeliverable(series.link!);
    expect(link.mail.map((m) => [m.member.name, m.code, m.sessionId, m.retry, m.attempts]).sort()).toEqual([
      ['Link a', 'not-composed', series.link!.sessions['Old link'], 'after-change', 1],
      ['Link b', 'not-composed', series.link!.sessions['Old link'], 'after-change', 1],
    ]);
    expect(link.mail[0]!.reason).toMatch(/join URL must be an https URL/);
    expect(link.mail[0]!.firstFailedAt).toBe(link.mail[0]!.lastFailedAt);

    const refused = await undeliverable(series.refused!);
    expect(refused.mail).toEqual([expect.objectContaining({ kind: 'invite', member: { memberId: await memberId(series.refused!.members.refused!), name: 'Refused refused' }, code: 'refused', retry: 'after-change', attempts: 1 })]);
    expect(refused.mail[0]!.reason).toContain('MessageRejected');

    const ledger = await undeliverable(series.ledger!);
    expect(ledger.mail).toEqual([expect.objectContaining({ member: expect.objectContaining({ name: 'Ledger broken' }), code: 'ledger-unreadable', retry: 'never' })]);
    expect(ledger.mail[0]!.reason).toMatch(/cannot be read/);

    const event = await undeliverable(series.event!);
    expect(event.mail).toEqual([]);
    expect(event.streams).toEqual([expect.objectContaining({ streamId: seriesStreamId(series.event!.seriesId), eventType: 'SessionRescheduled' })]);
    expect(event.streams[0]!.reason).toMatch(/startsAt/);

    const member = await undeliverable(series.member!);
    expect(member.mail.map((m) => [m.member.name, m.code, m.retry]).sort()).toEqual([
      ['Member gone', 'no-address', 'after-change'],
      ['Member suppressed', 'suppressed', 'never'],
    ]);
    expect(member.streams).toEqual([
      expect.objectContaining({ streamId: memberStreamId(await memberId(series.member!.members.odd!)), member: expect.objectContaining({ name: 'Member odd' }), eventType: 'MemberPreferencesChanged' }),
    ]);

    for (const s of [series.healthy!, series.legacy!]) expect(await undeliverable(s)).toEqual({ seriesId: s.seriesId, mail: [], streams: [] });
    // Names and reasons only: no address of anyone, anywhere in the lists.
    for (const s of Object.values(series)) {
      const text = JSON.stringify(await undeliverable(s));
      for (const address of allAddresses()) expect(text).not.toContain(address);
      expect(text).not.toMatch(/@example\.org/);
    }
  });

  it('tries nothing again while nothing changed, then sends the held mail once the organiser fixes what was wrong', { timeout: 120_000 }, async () => {
    await plantPoisonedWorld();
    await firstTick();
    const refusals = ses.refusals();
    const mailBefore = await Promise.all(allAddresses().map((a) => mailTo(a).then((m) => m.length)));
    const again = await dispatcher().tick({ now: new Date(NOW.getTime() + 60_000) });
    expect(again.outcomes.sent).toBe(0);
    expect(again.failures).toEqual({});
    expect(ses.refusals()).toBe(refusals);
    expect(await Promise.all(allAddresses().map((a) => mailTo(a).then((m) => m.length)))).toEqual(mailBefore);
    expect((await undeliverable(series.link!)).mail.map((m) => m.attempts)).toEqual([1, 1]);

    const link = series.link!;
    const fixed = await api.request('PATCH', `/admin/series/${link.seriesId}/sessions/${link.sessions['Old link']}`, { body: { joinUrl: 'https://meet.example.org/room-42' } });
    expect(fixed.status).toBe(200);
    // A change of the refused member's series tries their mail again (SES still refuses it).
    const refused = series.refused!;
    expect((await api.request('PATCH', `/admin/series/${refused.seriesId}`, { body: { description: { en: 'Now with a description' } } })).status).toBe(200);
    await api.settle();
    const report = await dispatcher().tick({ now: new Date(NOW.getTime() + 120_000) });
    expect(report.invites).toBe(2);
    expect(ses.refusals()).toBe(refusals + 1);
    for (const m of ['a', 'b']) expect(await invitations(link.members[m]!, 'Old link')).toBe(1);
    expect(await undeliverable(link)).toEqual({ seriesId: link.seriesId, mail: [], streams: [] });
    const stillRefused = await undeliverable(refused);
    expect(stillRefused.mail).toEqual([expect.objectContaining({ code: 'refused', attempts: 2 })]);
    expect(stillRefused.mail[0]!.lastFailedAt > stillRefused.mail[0]!.firstFailedAt).toBe(true);
    // Nobody else got anything twice.
    for (const title of ['Healthy one', 'Healthy two']) {
      for (const email of Object.values(series.healthy!.members)) expect(await invitations(email, title)).toBe(1);
    }
  });
});

describe('reminders with poison among them', () => {
  it('reach every other member once, the member with no address and the suppressed one are listed, and a second dispatcher holds them', { timeout: 120_000 }, async () => {
    await plantPoisonedWorld();
    await firstTick();
    const due = new Date('2027-03-20T19:00:00Z'); // P1D before 15:00 New York (EDT) = 20:00 the day before in Paris (CET)
    const report = await dispatcher().tick({ now: due });
    expect(report.planFailures).toEqual([]);
    const reminded = async (email: string, title: string) => (await mailTo(email)).filter((m) => m.subject === `Reminder: ${title} starts in 1 day`).length;
    for (const m of ['a', 'b', 'c']) expect(await reminded(series.healthy!.members[m]!, 'Healthy one')).toBe(1);
    for (const m of ['a', 'b']) expect(await reminded(series.event!.members[m]!, 'Event session')).toBe(1);
    expect(await reminded(series.member!.members.ok!, 'Member session')).toBe(1);
    expect(await reminded(series.member!.members.suppressed!, 'Member session')).toBe(0);
    // The link series' reminders carry the join link no mail can carry: listed, not sent.
    for (const m of ['a', 'b']) expect(await reminded(series.link!.members[m]!, 'Old link')).toBe(0);
    expect((await undeliverable(series.link!)).mail.filter((m) => m.kind === 'reminder').map((m) => m.code)).toEqual(['not-composed', 'not-composed']);
    const member = await undeliverable(series.member!);
    expect(member.mail.filter((m) => m.kind === 'reminder').map((m) => [m.member.name, m.code]).sort()).toEqual([
      ['Member gone', 'no-address'],
      ['Member suppressed', 'suppressed'],
    ]);
    // A second dispatcher on the same minute sends none of them again, and holds the failed ones.
    const twice = await dispatcher().tick({ now: due });
    expect(twice.outcomes.sent).toBe(0);
    expect(twice.outcomes.held).toBeGreaterThan(0);
    expect(twice.failures).toEqual({});
    expect((await undeliverable(series.member!)).mail.filter((m) => m.kind === 'reminder').every((m) => m.attempts === 1)).toBe(true);
  });
});
