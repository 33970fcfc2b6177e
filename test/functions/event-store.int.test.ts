import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { memberDecider, memberStreamId } from '../../events/member/index.js';
import type { ConveneEvent } from '../../events/registry.js';
import { seriesDecider, seriesStreamId, type SeriesCommand } from '../../events/series/index.js';
import {
  IdempotencyKeyReusedError,
  StoredEventInvalidError,
  StreamConflictError,
  seriesEvents,
} from '../../functions/adapters/event-store/index.js';
import { cachedSeriesLoader } from '../../functions/api/routes/series-stream.js';
import { handleCommand, TooMuchContentionError } from '../../functions/commands/command-handler.js';
import { EVENT_STREAM_ID, EVENT_VERSION, eventTable } from '../../functions/tables.js';
import { careCreated } from '../events/fixtures.js';
import { localDocumentClient, localEventStore, uniqueId } from '../support/event-store.js';
import { localStackInfo } from '../support/local.js';

const store = localEventStore();
const organiser = { actor: { kind: 'organiser', id: 'org-1' }, correlationId: 'req-1' } as const;
/** As an append gets it from a command: who, why and when. */
const appending = { ...organiser, recordedAt: new Date() };
const eventsTable = () => localStackInfo().tables[eventTable.id]!;

async function newSeries() {
  const seriesId = uniqueId('care');
  const created = { ...careCreated, data: { ...careCreated.data, seriesId } } as ConveneEvent;
  await store.append(seriesStreamId(seriesId), [created], 0, appending);
  return seriesId;
}

const scheduleCommand = (seriesId: string, sessionId: string): SeriesCommand => ({
  type: 'ScheduleSession',
  seriesId,
  sessionId,
  title: { en: `Lecture ${sessionId}` },
  start: '2027-05-23T15:00',
  durationMinutes: 60,
});

describe('appending', () => {
  it('stamps each event with id, version, time, actor and correlation/causation ids', async () => {
    const seriesId = await newSeries();
    const [event] = await store.append(
      seriesStreamId(seriesId),
      seriesDecider.decide(scheduleCommand(seriesId, 's1'), (await load(seriesId)).state),
      1,
      { ...appending, causationId: 'cmd-9' },
    );
    const [read] = await store.read(seriesStreamId(seriesId), 1);
    expect(read).toEqual(event);
    expect(read?.metadata).toMatchObject({
      streamId: seriesStreamId(seriesId),
      version: 2,
      schemaVersion: 1,
      actor: { kind: 'organiser', id: 'org-1' },
      correlationId: 'req-1',
      causationId: 'cmd-9',
    });
    expect(read?.metadata.eventId).toMatch(/^[0-9a-f-]{36}$/);
    expect(Date.now() - Date.parse(read!.metadata.recordedAt)).toBeLessThan(60_000);
  });

  it('20 concurrent writers on one stream: gap-free, duplicate-free, each command applied once or reported', async () => {
    const seriesId = await newSeries();
    const outcomes = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) =>
        handleCommand({
          store,
          decider: seriesDecider,
          streamId: seriesStreamId(seriesId),
          command: scheduleCommand(seriesId, `w${i}`),
          context: organiser,
          maxAttempts: 4,
          backoffMs: 5,
        }),
      ),
    );
    const applied = outcomes.filter((o) => o.status === 'fulfilled');
    const reported = outcomes.filter((o) => o.status === 'rejected');
    for (const r of reported) expect((r as PromiseRejectedResult).reason).toBeInstanceOf(TooMuchContentionError);
    expect(applied.length + reported.length).toBe(20);
    expect(applied.length).toBeGreaterThan(0);

    const events = await store.read(seriesStreamId(seriesId));
    expect(events.map((e) => e.metadata.version)).toEqual(Array.from({ length: events.length }, (_, i) => i + 1));
    const sessions = events.filter((e) => e.type === 'SessionScheduled').map((e) => (e.data as { sessionId: string }).sessionId);
    expect(new Set(sessions).size).toBe(sessions.length);
    expect(sessions.length).toBe(applied.length);
    // Each fulfilled command's event is in the stream at the version it reported.
    for (const o of applied) {
      const [mine] = (o as PromiseFulfilledResult<Awaited<ReturnType<typeof handleCommand>>>).value.events;
      expect(events[mine!.metadata.version - 1]?.metadata.eventId).toBe(mine!.metadata.eventId);
    }
  });

  it('with enough retries all 20 concurrent commands land', async () => {
    const seriesId = await newSeries();
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        handleCommand({ store, decider: seriesDecider, streamId: seriesStreamId(seriesId), command: scheduleCommand(seriesId, `w${i}`), context: organiser, maxAttempts: 60 }),
      ),
    );
    const { state, events } = await load(seriesId);
    expect(events).toHaveLength(21);
    expect(state.status === 'active' && Object.keys(state.sessions).length).toBe(20);
  });

  it('a command told its stream is new, when it is not, still decides on what is there', async () => {
    const seriesId = await newSeries();
    // The hint is wrong: the series exists. The append conflicts, the runner reads, and the
    // session lands at version 2 instead of a second SeriesCreated at version 1.
    const result = await handleCommand({ store, decider: seriesDecider, streamId: seriesStreamId(seriesId), command: scheduleCommand(seriesId, 'hinted'), context: organiser, expectedVersion: 'no-stream' });
    expect(result.version).toBe(2);
    expect((await load(seriesId)).events.map((e) => e.type)).toEqual(['SeriesCreated', 'SessionScheduled']);
  });

  it('a cached series load sees every change made since, by anyone', async () => {
    const seriesId = await newSeries();
    // Every load asks the store (freshMs 0); the next test gives states time to be trusted.
    const loadCached = cachedSeriesLoader(seriesEvents(store), { freshMs: 0 });
    expect(Object.keys((await loadCached(seriesId)).sessions)).toEqual([]);
    await handleCommand({ store, decider: seriesDecider, streamId: seriesStreamId(seriesId), command: scheduleCommand(seriesId, 'later'), context: organiser });
    expect((await loadCached(seriesId)).sessions.later?.status).toBe('scheduled');
    await handleCommand({ store, decider: seriesDecider, streamId: seriesStreamId(seriesId), command: { type: 'CancelSession', seriesId, sessionId: 'later', reason: 'speaker ill' }, context: organiser });
    expect((await loadCached(seriesId)).sessions.later?.status).toBe('cancelled');
    await expect(loadCached(uniqueId('nowhere'))).rejects.toThrow(/There is no series/);
  });

  it('a cached series is used as it is within its fresh window, and asked anew on demand', async () => {
    const seriesId = await newSeries();
    let clock = 0;
    const loadCached = cachedSeriesLoader(seriesEvents(store), { freshMs: 1000, now: () => clock });
    await loadCached(seriesId);
    await handleCommand({ store, decider: seriesDecider, streamId: seriesStreamId(seriesId), command: scheduleCommand(seriesId, 'new'), context: organiser });
    clock = 999;
    expect((await loadCached(seriesId)).sessions.new).toBeUndefined();
    expect((await loadCached(seriesId, { fresh: true })).sessions.new?.status).toBe('scheduled');
    await handleCommand({ store, decider: seriesDecider, streamId: seriesStreamId(seriesId), command: { type: 'CancelSession', seriesId, sessionId: 'new', reason: 'moved online' }, context: organiser });
    // The fresh read at 999 restarted the window: trusted until 1999.
    clock = 1998;
    expect((await loadCached(seriesId)).sessions.new?.status).toBe('scheduled');
    clock = 1999;
    expect((await loadCached(seriesId)).sessions.new?.status).toBe('cancelled');
  });

  it('refuses an append at a stale or a future version with a typed conflict', async () => {
    const seriesId = await newSeries();
    const events = seriesDecider.decide(scheduleCommand(seriesId, 'a'), (await load(seriesId)).state);
    await expect(store.append(seriesStreamId(seriesId), events, 0, appending)).rejects.toBeInstanceOf(StreamConflictError);
    await expect(store.append(seriesStreamId(seriesId), events, 5, appending)).rejects.toBeInstanceOf(StreamConflictError);
    expect(await store.read(seriesStreamId(seriesId))).toHaveLength(1);
  });

  it('writes a multi-event command all or nothing', async () => {
    const memberId = uniqueId('m');
    const stream = memberStreamId(memberId);
    const register = {
      type: 'RequestRegistration',
      memberId,
      seriesId: 'care-economy',
      registrationId: 'r1',
      sessions: 'all',
      language: 'es',
      timeZone: 'America/Guayaquil',
      source: 'organiser',
    } as const;
    const two = memberDecider.decide(register, memberDecider.initialState());
    expect(two).toHaveLength(2);
    // Somebody else took version 2 only: a non-atomic writer would now leave version 1 behind.
    await localDocumentClient().send(
      new PutCommand({ TableName: eventsTable(), Item: { [EVENT_STREAM_ID]: stream, [EVENT_VERSION]: 2, type: 'Placeholder' } }),
    );
    await expect(store.append(stream, two, 0, appending)).rejects.toBeInstanceOf(StreamConflictError);
    const first = await localDocumentClient().send(
      new GetCommand({ TableName: eventsTable(), Key: { [EVENT_STREAM_ID]: stream, [EVENT_VERSION]: 1 } }),
    );
    expect(first.Item).toBeUndefined();

    // And an invalid event in a batch writes none of the batch.
    const other = memberStreamId(uniqueId('m'));
    const bad = [two[0]!, { ...two[1]!, data: { ...two[1]!.data, registrationId: '' } }] as typeof two;
    await expect(store.append(other, bad, 0, appending)).rejects.toThrow(/registrationId/);
    expect(await store.read(other)).toEqual([]);
  });
});

describe('reading', () => {
  it('reports a stored event that fails its schema instead of dropping it', async () => {
    const seriesId = await newSeries();
    const stream = seriesStreamId(seriesId);
    await localDocumentClient().send(
      new PutCommand({
        TableName: eventsTable(),
        Item: {
          [EVENT_STREAM_ID]: stream,
          [EVENT_VERSION]: 2,
          type: 'SessionCancelled',
          schemaVersion: 1,
          data: { seriesId, reason: 'no session id' },
          eventId: 'e',
          recordedAt: new Date().toISOString(),
          actor: organiser.actor,
          correlationId: 'c',
          causationId: 'c',
        },
      }),
    );
    const error = await store.read(stream).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoredEventInvalidError);
    expect(error).toMatchObject({ streamId: stream, version: 2 });
    expect((error as Error).message).toMatch(/SessionCancelled v1[\s\S]*sessionId/);
    // Reading from after the broken event still works.
    expect(await store.read(stream, 2)).toEqual([]);
  });

  it('pages through a long stream', async () => {
    const stream = memberStreamId(uniqueId('m'));
    const changes = Array.from({ length: 90 }, (_, i) => ({
      type: 'MemberPreferencesChanged' as const,
      data: { memberId: 'm', language: i % 2 === 0 ? 'en' : 'es', timeZone: 'America/Guayaquil' },
    }));
    for (let v = 0; v < 90; v += 30) await store.append(stream, changes.slice(v, v + 30), v, appending);
    const events = await store.read(stream);
    expect(events.map((e) => e.metadata.version)).toEqual(Array.from({ length: 90 }, (_, i) => i + 1));
  });
});

describe('idempotency', () => {
  it('a retried command with the same key returns the first result and appends nothing', async () => {
    const seriesId = await newSeries();
    const stream = seriesStreamId(seriesId);
    const key = uniqueId('idem');
    const first = await handleCommand({ store, decider: seriesDecider, streamId: stream, command: scheduleCommand(seriesId, 's1'), context: { ...organiser, idempotencyKey: key } });
    const retry = await handleCommand({ store, decider: seriesDecider, streamId: stream, command: scheduleCommand(seriesId, 's1'), context: { ...organiser, idempotencyKey: key } });
    expect(first.replayed).toBe(false);
    expect(retry.replayed).toBe(true);
    expect(retry.events.map((e) => e.metadata.eventId)).toEqual(first.events.map((e) => e.metadata.eventId));
    expect(retry.version).toBe(2);
    expect(await store.read(stream)).toHaveLength(2);
  });

  it('concurrent retries with one key append once and all see the same events', async () => {
    const seriesId = await newSeries();
    const stream = seriesStreamId(seriesId);
    const key = uniqueId('idem');
    const results = await Promise.all(
      Array.from({ length: 6 }, () =>
        handleCommand({ store, decider: seriesDecider, streamId: stream, command: scheduleCommand(seriesId, 'once'), context: { ...organiser, idempotencyKey: key } }),
      ),
    );
    expect(new Set(results.map((r) => r.events[0]?.metadata.eventId)).size).toBe(1);
    expect(results.filter((r) => !r.replayed)).toHaveLength(1);
    expect(await store.read(stream)).toHaveLength(2);
  });

  it('refuses a key reused for a different command, appending nothing', async () => {
    const seriesId = await newSeries();
    const stream = seriesStreamId(seriesId);
    const key = uniqueId('idem');
    await handleCommand({ store, decider: seriesDecider, streamId: stream, command: scheduleCommand(seriesId, 's1'), context: { ...organiser, idempotencyKey: key } });
    await expect(
      handleCommand({ store, decider: seriesDecider, streamId: stream, command: scheduleCommand(seriesId, 's2'), context: { ...organiser, idempotencyKey: key } }),
    ).rejects.toBeInstanceOf(IdempotencyKeyReusedError);
    expect(await store.read(stream)).toHaveLength(2);
  });
});

async function load(seriesId: string) {
  const events = await store.read(seriesStreamId(seriesId));
  let state = seriesDecider.initialState();
  for (const e of events) state = seriesDecider.evolve(state, e as Parameters<typeof seriesDecider.evolve>[1]);
  return { events, state };
}
