/**
 * Two projectors and two dispatchers at once, while organisers and members write. Two stream
 * pollers hand the same DynamoDB Stream records of the event table to two projector handlers;
 * two dispatchers tick together, again and again, as sessions are scheduled, moved, retitled
 * and cancelled and members register (in bulk, and themselves with a confirmation link). At
 * the end the local SES endpoint must hold no mail twice (per member and session the calendar
 * messages go strictly upward, and end at the session as it is), one reminder per member, and
 * the read models must equal a clean rebuild from the events.
 *
 * The interleaving is waited for, not timed: after each step of the session changes both
 * projectors have caught up and a round of both dispatchers has run over the result before the
 * next step is written; the bulk registrations go in after the first and the second step.
 */
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { afterAll, describe, expect, it } from 'vitest';
import type { SeriesSchedule } from '../../events/projections/schedule.js';
import { documentClient } from '../../functions/adapters/dynamodb-client.js';
import { createReadModelStore, type StoredDocument } from '../../functions/read-models/read-model-store.js';
import { createProjectorHandler } from '../../functions/projector/handler.js';
import { MAIL_QUEUE_PREFIX, scheduleKey } from '../../functions/read-models/keys.js';
import { rebuildReadModels } from '../../functions/projector/rebuild.js';
import { sessionUid } from '../../functions/feeds/ical.js';
import { LOCAL_CREDENTIALS } from '../../infra/local/clients.js';
import { startStreamPoller, type StreamPoller } from '../../infra/local/stream-poller.js';
import { eventTable, readModelTable } from '../../functions/tables.js';
import { useTestApi } from '../support/api.js';
import { confirmLinkFor } from '../support/members.js';
import { testDispatcher } from '../support/dispatcher.js';
import { clients, localStackInfo } from '../support/local.js';
import { mailTo, type StoredMail } from '../support/mailbox.js';
import { careRequest } from '../support/seed-requests.js';
import { createTestTables, deleteTestTables } from '../support/tables.js';

const api = useTestApi();
/** The tick instant: a minute after the P1D reminder of the first session is due (it stays open for hours). */
const TICK = new Date('2027-05-22T19:01:00Z');
const REMINDED = { title: 'Care and time', start: '2027-05-23T15:00' }; // 19:00Z (EDT)

let second: StreamPoller | undefined;
afterAll(() => second?.stop());

const pathOf = (url: string) => url.replace(/^https?:\/\/[^/]+/, '');

describe('two projectors and two dispatchers while commands are written', () => {
  it('send every mail once and keep read models equal to a clean rebuild', { timeout: 120_000 }, async () => {
    const tag = crypto.randomUUID().slice(0, 8);
    const info = localStackInfo();
    // The second projector: its own poller and handler on the same event table and read models.
    second = await startStreamPoller({
      dynamodb: clients().dynamodb,
      streams: new DynamoDBStreamsClient({ region: info.region, endpoint: info.dynamodb.endpoint, credentials: LOCAL_CREDENTIALS }),
      table: api.names[eventTable.id]!,
      handler: createProjectorHandler({ store: api.store, readModels: api.readModels }),
      intervalMs: 50,
    });

    const ok = async (method: string, path: string, body?: unknown, token?: null) => {
      const res = await api.request(method, path, { ...(body !== undefined ? { body } : {}), ...(token === null ? { token } : {}) });
      expect(res.status, `${method} ${path}: ${res.text}`).toBeLessThan(300);
      return res.body;
    };
    const seriesId = (await ok('POST', '/admin/series', { ...careRequest, title: { en: `Twins ${tag}` } })).id as string;
    const schedule = async (title: string, start: string) =>
      (await ok('POST', `/admin/series/${seriesId}/sessions`, { title: { en: title }, start, durationMinutes: 60 })).sessionId as string;
    await schedule(REMINDED.title, REMINDED.start);

    // The two dispatchers, ticking together until the writes are done.
    const [a, b] = [testDispatcher(api, { concurrency: 8 }), testDispatcher(api, { concurrency: 8 })];
    let writing = true;
    let rounds = 0; // rounds finished
    let roundsStarted = 0;
    let raced = 0;
    /** Callers of nextRound(): resolved once round `after` + 1 (one that started after the call) has finished. */
    const waiting: { after: number; resolve: () => void; reject: (error: Error) => void }[] = [];
    const ticking = (async () => {
      try {
        while (writing) {
          roundsStarted++;
          const [ra, rb] = await Promise.all([a.tick({ now: TICK }), b.tick({ now: TICK })]);
          rounds++;
          raced += ra.outcomes.taken + rb.outcomes.taken;
          for (const w of waiting.filter((w) => rounds > w.after)) {
            waiting.splice(waiting.indexOf(w), 1);
            w.resolve();
          }
        }
      } finally {
        for (const w of waiting.splice(0)) w.reject(new Error(`the dispatchers stopped after ${rounds} rounds`));
      }
    })();
    ticking.catch(() => (writing = false)); // a failed tick stops the loop; `await ticking` below reports it
    const nextRound = () => new Promise<void>((resolve, reject) => waiting.push({ after: roundsStarted, resolve, reject }));
    /** Both projectors have handled every event written so far, and then both dispatchers have ticked over that. */
    const projectedAndDispatched = async () => {
      await Promise.all([api.settle(), second!.drain()]);
      await nextRound();
    };

    const emails = { bulk: [] as string[], self: [] as string[] };
    const bulk = async (batch: number) => {
      const members = Array.from({ length: 8 }, (_, i) => ({ email: `bulk${batch}-${i}-${tag}@example.org`, name: 'Member', language: 'en', timeZone: ['Asia/Kolkata', 'America/Guayaquil', 'Asia/Jerusalem'][i % 3]! }));
      emails.bulk.push(...members.map((m) => m.email));
      await ok('POST', `/admin/series/${seriesId}/registrations`, { members });
    };
    const selfService = async (i: number) => {
      const email = `self${i}-${tag}@example.org`;
      emails.self.push(email);
      await ok('POST', `/series/${seriesId}/registrations`, { email, name: 'Member', language: 'en', timeZone: 'Asia/Jerusalem' }, null);
      await api.takeRequests();
      // The link the confirmation mail carries (the dispatchers here tick at a fixed instant weeks
      // after the request: test/api/registrations.e2e.test.ts follows that mail itself).
      await ok('POST', pathOf(await confirmLinkFor(api, email, seriesId)), { name: 'Member' }, null);
    };
    /** The session changes in steps; `stepped[i]` resolves once step i has been projected and dispatched. */
    const stepped: Promise<void>[] = [];
    const stepDone: (() => void)[] = [];
    for (let i = 0; i < 3; i++) stepped.push(new Promise((resolve) => stepDone.push(resolve)));
    const step = async (i: number) => {
      await projectedAndDispatched();
      stepDone[i]!();
    };
    const sessions = async () => {
      const moved = await schedule('To be moved', '2027-06-06T15:00');
      const retitled = await schedule('To be retitled', '2027-06-13T15:00');
      const cancelled = await schedule('To be cancelled', '2027-06-20T15:00');
      const movedThenCancelled = await schedule('Moved, then cancelled', '2027-06-27T15:00');
      await step(0);
      await ok('PATCH', `/admin/series/${seriesId}/sessions/${moved}`, { start: '2027-06-07T16:00' });
      await ok('PATCH', `/admin/series/${seriesId}/sessions/${movedThenCancelled}`, { start: '2027-06-28T16:00' });
      await step(1);
      await ok('PATCH', `/admin/series/${seriesId}/sessions/${retitled}`, { title: { en: 'Retitled' } });
      await ok('POST', `/admin/series/${seriesId}/sessions/${cancelled}/cancel`, { reason: 'The speaker is ill' });
      await step(2);
      await ok('PATCH', `/admin/series/${seriesId}/sessions/${moved}`, { start: '2027-06-08T17:00' });
      await ok('POST', `/admin/series/${seriesId}/sessions/${movedThenCancelled}/cancel`, { reason: 'Moved to next year' });
    };
    try {
      // Self-service members register from the start; the bulk batches once the first and the second step are out.
      await Promise.all([sessions(), ...[0, 1].map((i) => stepped[i]!.then(() => bulk(i))), ...Array.from({ length: 6 }, (_, i) => selfService(i))]);
      await Promise.all([api.settle(), second.drain()]);
    } finally {
      writing = false;
    }
    await ticking;
    // Then until there is nothing left to send (both projectors settled, no work planned).
    for (let i = 0; ; i++) {
      const [ra, rb] = await Promise.all([a.tick({ now: TICK }), b.tick({ now: TICK })]);
      raced += ra.outcomes.taken + rb.outcomes.taken;
      if (ra.planned + rb.planned === 0) break;
      expect(i, 'dispatchers still have work after 6 rounds').toBeLessThan(6);
    }

    // The read models equal a clean rebuild into a fresh table. The mail queue is the dispatchers'
    // work list, which they delete as they finish it: what is left of it must be in the rebuild.
    const rebuilt = await rebuild();
    const live = await api.readModels.all();
    const isQueue = (key: string) => key.startsWith(MAIL_QUEUE_PREFIX);
    const without = (docs: Map<string, StoredDocument<unknown>>) => new Map([...docs].filter(([key]) => !isQueue(key)));
    expect(without(live)).toEqual(without(rebuilt));
    for (const [key, doc] of live) if (isQueue(key)) expect(rebuilt.get(key), key).toEqual(doc);
    const final = (rebuilt.get(`${scheduleKey(seriesId).pk}|${scheduleKey(seriesId).sk}`) as StoredDocument<SeriesSchedule>).doc;

    // Mail: per member and session the calendar messages go strictly upward (no message twice,
    // none back in time) and end where the session is; one reminder each.
    const members = [...emails.bulk, ...emails.self];
    const store = (await mailTo(`-${tag}@example.org`)) as (StoredMail & { attachments?: { contentType: string; content: string }[] })[];
    let calendarMails = 0;
    for (const email of members) {
      const mine = store.filter((m) => m.destination.to.some((to) => to.includes(email)));
      const messages = mine.flatMap((m) => {
        const ics = m.attachments?.find((att) => att.contentType.startsWith('text/calendar'));
        if (!ics) return [];
        const text = Buffer.from(ics.content, 'base64').toString('utf8').replace(/\r\n[ \t]/g, '');
        const field = (name: string) => new RegExp(`\\r\\n${name}:([^\\r]+)\\r\\n`).exec(text)?.[1];
        return [{ uid: field('UID')!, method: field('METHOD')!, sequence: Number(field('SEQUENCE')) }];
      });
      calendarMails += messages.length;
      for (const session of final.sessions) {
        const uid = sessionUid(seriesId, session.sessionId);
        const sent = messages.filter((m) => m.uid === uid);
        const ranks = sent.map((m) => m.sequence * 2 + (m.method === 'CANCEL' ? 1 : 0));
        expect(ranks, `${email} ${session.sessionId}: strictly upward`).toEqual([...new Set(ranks)].sort((x, y) => x - y));
        if (session.status === 'scheduled') expect(sent.at(-1), `${email} ${session.sessionId}`).toEqual({ uid, method: 'REQUEST', sequence: session.sequence });
        else if (sent.length > 0) expect(sent.at(-1)?.method, `${email} ${session.sessionId}`).toBe('CANCEL');
      }
      expect(mine.filter((m) => m.subject === `Reminder: ${REMINDED.title} starts in 1 day`).length, `${email}: one reminder`).toBe(1);
      expect(messages.every((m) => final.sessions.some((s) => sessionUid(seriesId, s.sessionId) === m.uid)), `${email}: mail about another series`).toBe(true);
    }
    console.log(
      `twin workers: ${members.length} members, ${final.sessions.length} sessions, ${rounds} rounds of two dispatchers during the writes, ` +
        `${calendarMails} calendar mails and ${members.length} reminders, each once; ${raced} claims found taken by the twin; ${live.size} read-model documents equal to the rebuild`,
    );
  });
});

/** Every stream of the test API's event table replayed into the read-model table of fresh tables (deleted after). */
async function rebuild() {
  const fresh = await createTestTables(clients().dynamodb, 'twin-rb');
  try {
    const target = createReadModelStore(documentClient(clients().dynamodb), fresh[readModelTable.id]!);
    await rebuildReadModels({ store: api.store, readModels: target });
    return await target.all();
  } finally {
    await deleteTestTables(clients().dynamodb, fresh);
  }
}
