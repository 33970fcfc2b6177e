/**
 * Nobody can act for a member, and nobody is mailed against their will (issue 15, findings 2,
 * 3, 5 and the "manage my registrations" link): a request with a member's address only asks
 * them; the name is the one its owner confirms; confirmation mail goes from the dispatcher,
 * at most one per 15 minutes and five a day, never to a suppressed address; a request costs the
 * same round trips whoever the address belongs to; the member's own page changes things only
 * by POST.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBClient as Client } from '@aws-sdk/client-dynamodb';
import type { Server } from 'node:http';
import { beforeEach, describe, expect, it } from 'vitest';
import { memberDecider, memberStreamId } from '../../events/member/index.js';
import type { MemberEvent } from '../../events/member/events.js';
import { fold } from '../../events/shared/decider.js';
import type { RecordedEvent } from '../../events/shared/event.js';
import { documentClient } from '../../functions/adapters/dynamodb-client.js';
import { createSuppressionList } from '../../functions/adapters/members/suppression-list.js';
import { LOCAL_CREDENTIALS } from '../../infra/local/clients.js';
import { membersTable } from '../../functions/tables.js';
import { buildTestApp, closeServer, requestApi } from '../support/api-app.js';
import { useTestApi } from '../support/api.js';
import { testDispatcher } from '../support/dispatcher.js';
import { clients, localStackInfo } from '../support/local.js';
import { linkIn, mailTo } from '../support/mailbox.js';
import { confirmLinkFor, pathOf, register, registerAndConfirm } from '../support/members.js';
import { careRequest } from '../support/seed-requests.js';
import { wiretap } from '../support/ses-wiretap.js';

const api = useTestApi({ scope: 'test' });
const T0 = new Date('2027-01-10T08:00:00Z');
const minutes = (n: number) => new Date(T0.getTime() + n * 60_000);
let seriesId = '';
let sessions: string[] = [];

beforeEach(async () => {
  api.clock.now = T0;
  seriesId = (await api.request('POST', '/admin/series', { body: careRequest })).body.id;
  sessions = [];
  for (const [start, capacity] of [['2027-03-07T15:00', 1], ['2027-03-21T15:00', undefined]] as const) {
    const res = await api.request('POST', `/admin/series/${seriesId}/sessions`, { body: { title: { en: `Lecture ${start.slice(0, 10)}` }, start, durationMinutes: 60, ...(capacity ? { capacity } : {}) } });
    sessions.push(res.body.sessionId);
  }
  await api.settle();
});

const unique = (name: string) => `${name}-${crypto.randomUUID().slice(0, 8)}@example.org`;
const tickAt = async (at: Date) => {
  await api.settle();
  return testDispatcher(api).tick({ now: at });
};
const stateOf = async (email: string) => {
  const memberId = (await api.members.memberIdForEmail(email))!;
  return fold(memberDecider, (await api.store.read(memberStreamId(memberId))) as RecordedEvent<MemberEvent>[]);
};
const confirmations = async (email: string) => (await mailTo(email)).filter((m) => /^(Confirme|Please confirm|Veuillez)/.test(m.subject));

describe("a request with a member's address never changes what they decided", () => {
  it("keeps a confirmed member's language, zone and seat; mails them the change; only their acceptance applies it", async () => {
    const email = unique('victim');
    await registerAndConfirm(api, seriesId, { email, name: 'Daniela Moreno', language: 'es', timeZone: 'America/Guayaquil', sessions: [sessions[0]!] });
    const seated = async () => (await api.request('GET', `/admin/series/${seriesId}/sessions/${sessions[0]}/registrations`)).body.seated.map((m: { email?: string }) => m.email);
    expect(await seated()).toEqual([email]);

    // Someone else, with her address: another language, zone and every session (the one seat too).
    expect((await register(api, seriesId, { email, name: 'Someone else', language: 'ar', timeZone: 'Asia/Hebron', sessions: 'all' })).status).toBe(202);
    // A second person registers for the one-seat session, later (the test's clock stands still
    // otherwise, and a tie in confirmation time goes by member id): the seat stays hers.
    api.clock.now = minutes(0.5);
    await registerAndConfirm(api, seriesId, { email: unique('second'), sessions: [sessions[0]!] });
    await api.settle();
    expect(await stateOf(email)).toMatchObject({ registrations: { [seriesId]: { language: 'es', timeZone: 'America/Guayaquil', sessions: [sessions[0]] } } });
    expect(await seated()).toEqual([email]);
    expect((await api.members.get((await api.members.memberIdForEmail(email))!))!.name).toBe('Daniela Moreno');

    // She is asked, in her own language, with what was asked.
    await tickAt(minutes(1));
    const [asked] = (await mailTo(email)).filter((m) => m.subject.startsWith('¿Pidió cambiar su inscripción?'));
    expect(asked, 'the change request mail').toBeDefined();
    expect(asked!.body.text).toContain('Asia/Hebron');
    expect(asked!.body.text).toMatch(/árabe/);
    const review = linkIn(asked!.body.text, '/registrations/change?token=')!;
    const before = await api.eventCount();
    for (const method of ['GET', 'HEAD']) expect((await api.request(method, pathOf(review), { token: null, headers: { accept: 'text/html' } })).status).toBe(200);
    expect(await api.eventCount()).toBe(before);
    // Only now does the change apply.
    const accepted = await api.request('POST', pathOf(review), { token: null, headers: { accept: 'application/json' } });
    expect(accepted.status).toBe(200);
    expect(await stateOf(email)).toMatchObject({ registrations: { [seriesId]: { language: 'ar', timeZone: 'Asia/Hebron', sessions: 'all' } } });
    // The same link again: nothing waits any more.
    expect((await api.request('POST', pathOf(review), { token: null, headers: { accept: 'application/json' } })).status).toBe(410);
  });

  it("gives the record no name nobody confirmed: the first request's name is not kept, the owner confirms their own", async () => {
    const email = unique('phished');
    const bait = 'Your account is suspended – call +1 555 0100';
    await register(api, seriesId, { email, name: bait, language: 'en', timeZone: 'Europe/London' });
    await tickAt(minutes(1));
    const [mail] = await confirmations(email);
    expect(mail!.destination.to).toEqual([email]);
    expect(`${mail!.body.text}${mail!.body.html}`).not.toContain('suspended');
    expect(mail!.body.text).toMatch(/^Hello,/);
    // The owner confirms from that mail, with their own name.
    const link = linkIn(mail!.body.text, '/registrations/confirm?token=')!;
    const confirmed = await api.request('POST', pathOf(link), { token: null, raw: 'name=Leila+Nasser', headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' } });
    expect(confirmed.status).toBe(200);
    expect(confirmed.text).toContain('You are registered');
    expect((await api.members.get((await api.members.memberIdForEmail(email))!))!.name).toBe('Leila Nasser');
    // Their later mail greets them by it, and the bait never appears.
    await tickAt(minutes(2));
    const invitation = (await mailTo(email)).find((m) => m.subject.startsWith('Invitation'))!;
    expect(invitation.body.text).toContain('Leila Nasser');
    for (const m of await mailTo(email)) expect(`${m.body.text}${m.body.html}`).not.toContain('suspended');
  });
});

describe('confirmation mail cannot be used to bomb an inbox', () => {
  it('five requests in a minute are one mail; then at most one per 15 minutes and five a day', async () => {
    const email = unique('bombed');
    for (let i = 0; i < 5; i++) await register(api, seriesId, { email });
    await tickAt(minutes(1));
    await tickAt(minutes(2));
    expect(await confirmations(email)).toHaveLength(1);
    // Asked again every 20 minutes: a mail each time, up to five in the day.
    for (let k = 1; k <= 6; k++) {
      api.clock.now = minutes(20 * k);
      await register(api, seriesId, { email });
      await tickAt(minutes(20 * k + 1));
      expect(await confirmations(email), `after ${k} more`).toHaveLength(Math.min(1 + k, 5));
    }
    // A day after the first, one more may go.
    api.clock.now = minutes(24 * 60 + 5);
    await register(api, seriesId, { email });
    await tickAt(minutes(24 * 60 + 6));
    expect(await confirmations(email)).toHaveLength(6);
  });

  it('sends none to a suppressed address, and lists it for the organiser instead', async () => {
    const email = unique('bounced');
    await createSuppressionList(documentClient(clients().dynamodb), api.names[membersTable.id]!).suppress(email, 'bounce', new Date());
    await register(api, seriesId, { email });
    const report = await tickAt(minutes(1));
    expect(report.failures).toEqual({ suppressed: 1 });
    expect(await mailTo(email)).toHaveLength(0);
    const listed = await api.request('GET', `/admin/series/${seriesId}/undeliverable`);
    expect(listed.body.mail).toEqual([expect.objectContaining({ kind: 'confirmation', code: 'suppressed' })]);
  });
});

describe('the same work whoever the address belongs to', () => {
  it('a request for a new, a pending and a confirmed address makes the same single DynamoDB write, and none to SES', async () => {
    const pending = unique('pending');
    const confirmed = unique('confirmed');
    await register(api, seriesId, { email: pending });
    await registerAndConfirm(api, seriesId, { email: confirmed });
    // An API of its own on this test's tables, whose every DynamoDB call is counted (no projector shares its client).
    const info = localStackInfo();
    const counted = new Client({ region: info.region, endpoint: info.dynamodb.endpoint, credentials: LOCAL_CREDENTIALS });
    const calls: string[] = [];
    counted.middlewareStack.add(
      (next, context) => async (args) => {
        const input = args.input as { ExpressionAttributeValues?: Record<string, { S?: string }> };
        // Reading the series itself is cached for a second, for every address alike: not counted.
        if (!String(input.ExpressionAttributeValues?.[':s']?.S ?? '').startsWith('series-')) calls.push(String(context.commandName));
        return next(args);
      },
      { step: 'initialize', name: 'count-calls' },
    );
    const sent = wiretap(clients().ses);
    const app = await buildTestApp({ dynamodb: counted as DynamoDBClient, ses: clients().ses, names: api.names });
    const server: Server = await app.listen();
    try {
      const work = async (email: string) => {
        calls.length = 0;
        const mails = sent.length;
        const res = await requestApi(app.url, '', 'POST', `/series/${seriesId}/registrations`, { token: null, body: { email, name: 'Same Work', language: 'en', timeZone: 'UTC' } });
        expect(res.status).toBe(202);
        expect(sent.length - mails, 'no mail from the request').toBe(0);
        return { calls: [...calls].sort(), answer: res.body };
      };
      await work(unique('warm-up'));
      const [fresh, waiting, member] = [await work(unique('new')), await work(pending), await work(confirmed)];
      // One PutItem into the intake, whoever the address is: what depends on it comes after the answer.
      expect(fresh.calls).toEqual(['PutItemCommand']);
      expect(waiting.calls).toEqual(fresh.calls);
      expect(member.calls).toEqual(fresh.calls);
      // And the same answer.
      expect(Object.keys(waiting.answer)).toEqual(Object.keys(fresh.answer));
      expect(member.answer.status).toBe(fresh.answer.status);
    } finally {
      await closeServer(server);
      counted.destroy();
    }
  });
});

describe("the member's own page", () => {
  it('is linked from every mail; GET and HEAD show it, each form POSTs one change and comes back', async () => {
    const email = unique('manager');
    const { manageUrl } = await registerAndConfirm(api, seriesId, { email, name: 'Nadia Haddad', language: 'en', timeZone: 'Asia/Jerusalem' });
    const manage = pathOf(manageUrl);
    await tickAt(minutes(1));
    const invitation = (await mailTo(email)).find((m) => m.subject.startsWith('Invitation'))!;
    const fromMail = linkIn(invitation.body.text, '/manage?token=');
    expect(fromMail, 'the invitation links the page').toBeDefined();
    expect(invitation.body.text).toContain('Manage my registrations');

    const before = await api.eventCount();
    for (const method of ['GET', 'HEAD']) {
      const page = await api.request(method, pathOf(fromMail!), { token: null, headers: { accept: 'text/html' } });
      expect(page.status, method).toBe(200);
      expect(page.headers.get('cache-control'), method).toBe('no-store');
    }
    const page = await api.request('GET', manage, { token: null, headers: { accept: 'text/html' } });
    expect(page.text).toContain('Care Economy Lecture Series');
    expect(page.text).toContain('method="post"');
    expect(await api.eventCount()).toBe(before);

    const form = (what: string, body: string) =>
      api.request('POST', manage.replace('/manage?', `/manage/${what}?`), { token: null, raw: body, redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' } });
    const saved = await form('preferences', 'language=fr&timeZone=Europe%2FParis&reminders=P1D&reminders=PT1H');
    expect(saved.status).toBe(303);
    expect(saved.headers.get('location')).toMatch(/^\/manage\?token=.*&done=preferences$/);
    expect((await stateOf(email)).preferences).toEqual({ language: 'fr', timeZone: 'Europe/Paris', reminderOffsets: ['P1D', 'PT1H'] });
    expect((await form('sessions', `seriesId=${seriesId}&sessions=${sessions[1]!}`)).status).toBe(303);
    expect((await stateOf(email)).registrations[seriesId]).toMatchObject({ sessions: 'all', declined: [sessions[0]] });
    expect((await form('stop-mail', `seriesId=${seriesId}`)).status).toBe(303);
    expect((await stateOf(email)).unsubscribed.series).toEqual([seriesId]);
    expect((await form('leave', `seriesId=${seriesId}`)).status).toBe(303);
    expect((await stateOf(email)).registrations[seriesId]!.status).toBe('cancelled');
    // A bad field is a 422 naming it, and changes nothing.
    const events = await api.eventCount();
    const bad = await api.request('POST', manage.replace('/manage?', '/manage/preferences?'), { token: null, raw: 'timeZone=Mars%2FOlympus', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(bad.status).toBe(422);
    expect(bad.body.errors).toEqual([expect.objectContaining({ field: 'timeZone' })]);
    expect(await api.eventCount()).toBe(events);
  });

  it('comes by mail to whoever asks with a member\'s address: the same answer for any address, at most one mail per 15 minutes', async () => {
    const email = unique('forgot');
    await registerAndConfirm(api, seriesId, { email });
    const stranger = unique('stranger');
    const ask = (address: string) => api.request('POST', '/members/manage-link', { token: null, body: { email: address }, headers: { accept: 'application/json' } });
    const [known, unknown] = [await ask(email), await ask(stranger)];
    expect([known.status, unknown.status]).toEqual([202, 202]);
    expect(known.body).toEqual(unknown.body);
    expect(known.text).not.toContain('/manage?');
    await ask(email);
    await tickAt(minutes(1));
    const links = async () => (await mailTo(email)).filter((m) => m.subject === 'Your link to manage your registrations');
    expect(await links()).toHaveLength(1);
    expect(await mailTo(stranger)).toHaveLength(0);
    const link = linkIn((await links())[0]!.body.text, '/manage?token=')!;
    expect((await api.request('GET', pathOf(link), { token: null, headers: { accept: 'text/html' } })).status).toBe(200);
    api.clock.now = minutes(5);
    await ask(email);
    await tickAt(minutes(6));
    expect(await links()).toHaveLength(1);
    api.clock.now = minutes(20);
    await ask(email);
    await tickAt(minutes(21));
    expect(await links()).toHaveLength(2);
  });
});

describe('confirming', () => {
  it('is refused for a registration the member has left', async () => {
    const email = unique('left');
    await register(api, seriesId, { email });
    const link = await confirmLinkFor(api, email, seriesId);
    const memberId = (await api.members.memberIdForEmail(email))!;
    const registrationId = (await stateOf(email)).registrations[seriesId]!.registrationId;
    const leave = api.signer.sign({ a: 'unregister', m: memberId, s: seriesId, r: registrationId }, minutes(60));
    expect((await api.request('POST', `/registrations/unregister?token=${leave}`, { token: null })).status).toBe(200);
    expect((await api.request('POST', pathOf(link), { token: null, headers: { accept: 'application/json' } })).status).toBe(410);
    expect((await api.request('GET', pathOf(link), { token: null, headers: { accept: 'text/html' } })).status).toBe(410);
  });
});
