/** The organisers' routes: series, sessions, history. Thin: parse, run a command, render. */
import { Hono } from 'hono';
import type { ConveneEvent } from '../../../events/registry.js';
import { fold as foldWith } from '../../../events/shared/decider.js';
import { seriesDecider, type ActiveSeries, type SeriesCommand } from '../../../events/series/index.js';
import type { SeriesEvent } from '../../../events/series/events.js';
import type { RecordedEvent } from '../../../events/shared/event.js';
import type { EventStore } from '../../adapters/event-store/event-store.js';
import { seriesEvents } from '../../adapters/event-store/category-stores.js';
import { StoredEventInvalidError } from '../../adapters/event-store/errors.js';
import { BadRequestError, NotFoundProblem } from '../problems.js';
import { etag, ifMatchVersion, isNotModified, pathId, readBody } from '../request.js';
import { activeSeries, respondWithVersion, seriesCommandRunner, type OrganiserEnv, type SeriesResult } from '../series-command.js';
import { readSeries } from './series-stream.js';
import { mapLimited } from '../../map-limited.js';
import { historyView, seriesSummary, seriesView, sessionView } from '../representation.js';
import { AsOfQuery, CancelSessionBody, ChangeSeriesBody, ChangeSessionBody, CreateSeriesBody, ScheduleSessionBody } from '../schemas.js';
import { mount } from '../mount-route.js';

export interface AdminDeps {
  readonly store: EventStore<ConveneEvent>;
  readonly newId?: () => string;
  /** The API's clock (tests pass their own). */
  readonly now?: () => Date;
}

type Env = OrganiserEnv;

export function adminSeriesRoutes(deps: AdminDeps) {
  const { store } = deps;
  const newId = deps.newId ?? (() => crypto.randomUUID());
  const app = new Hono<Env>();
  const seriesStore = seriesEvents(store);
  const execute = seriesCommandRunner(store, deps.now);
  const respond = respondWithVersion;

  mount(app, 'createSeries', async (c) => {
    const body = await readBody(c, CreateSeriesBody);
    const seriesId = newId();
    const result = await execute(c, { seriesId, commands: [{ type: 'CreateSeries', seriesId, ...body }], body, expectedVersion: 'no-stream' });
    const series = activeSeries(result, seriesId);
    c.header('Location', `/admin/series/${series.seriesId}`);
    return respond(c, result, 201, seriesView(series, result.history));
  });

  mount(app, 'listSeries', async (c) => {
    const ids = await store.listStreams('series');
    const unreadable: { id: string; detail: string }[] = [];
    const views = await mapLimited(ids, 8, async (streamId) => {
      let events: RecordedEvent<SeriesEvent>[];
      try {
        events = await seriesStore.read(streamId);
      } catch (error) {
        // One series that cannot be read is named, and never hides the others.
        if (!(error instanceof StoredEventInvalidError)) throw error;
        unreadable.push({ id: streamId.slice('series-'.length), detail: `event ${error.version} does not match its schema` });
        return undefined;
      }
      const state = fold(events);
      return state.status === 'active' ? seriesSummary(seriesView(state, events)) : undefined;
    });
    return c.json({ series: views.filter((v) => v !== undefined), ...(unreadable.length > 0 ? { unreadable } : {}) });
  });

  mount(app, 'getSeries', async (c) => {
    const seriesId = pathId(c.req.param('seriesId'), 'series');
    const asOf = c.req.query('asOf');
    let events = await readSeries(seriesStore, seriesId);
    if (asOf !== undefined) {
      const parsed = AsOfQuery.safeParse(asOf);
      if (!parsed.success) throw new BadRequestError('invalid-as-of', `asOf: ${parsed.error.issues[0]!.message}`);
      const at = Date.parse(parsed.data);
      events = events.filter((e) => Date.parse(e.metadata.recordedAt) <= at);
      if (events.length === 0) throw new NotFoundProblem(`Series ${seriesId} did not exist yet at ${asOf}.`);
      return c.json(seriesView(fold(events) as ActiveSeries, events));
    }
    const tag = etag(events.at(-1)!.metadata.version);
    c.header('ETag', tag);
    if (isNotModified(c, tag)) return c.body(null, 304);
    return c.json(seriesView(fold(events) as ActiveSeries, events));
  });

  mount(app, 'changeSeries', async (c) => {
    const seriesId = pathId(c.req.param('seriesId'), 'series');
    const body = await readBody(c, ChangeSeriesBody);
    const result = await execute(c, { seriesId, commands: [{ type: 'ChangeSeriesDetails', seriesId, ...body }], body, expectedVersion: ifMatchVersion(c) });
    return respond(c, result, 200, seriesView(activeSeries(result, seriesId), result.history));
  });

  mount(app, 'seriesHistory', async (c) => {
    const seriesId = pathId(c.req.param('seriesId'), 'series');
    const events = await readSeries(seriesStore, seriesId);
    c.header('ETag', etag(events.at(-1)!.metadata.version));
    return c.json(historyView(seriesId, events));
  });

  mount(app, 'scheduleSession', async (c) => {
    const seriesId = pathId(c.req.param('seriesId'), 'series');
    const body = await readBody(c, ScheduleSessionBody);
    const result = await execute(c, { seriesId, commands: [{ type: 'ScheduleSession', seriesId, sessionId: newId(), ...body }], body, expectedVersion: ifMatchVersion(c) });
    // On an idempotent replay the session is the one the first request scheduled.
    const scheduled = result.events.find((e) => e.type === 'SessionScheduled');
    const sessionId = scheduled?.type === 'SessionScheduled' ? scheduled.data.sessionId : undefined;
    const session = sessionId === undefined ? undefined : activeSeries(result, seriesId).sessions[sessionId];
    if (!session) throw new Error('a scheduled session is missing from the series it was scheduled in');
    c.header('Location', `/admin/series/${seriesId}/sessions/${session.sessionId}`);
    return respond(c, result, 201, { seriesId, version: result.version, ...sessionView(session) });
  });

  mount(app, 'changeSession', async (c) => {
    const seriesId = pathId(c.req.param('seriesId'), 'series');
    const sessionId = pathId(c.req.param('sessionId'), 'session');
    const body = await readBody(c, ChangeSessionBody);
    const { start, durationMinutes, end, ...details } = body;
    const commands: SeriesCommand[] = [];
    if (start !== undefined || durationMinutes !== undefined || end !== undefined) {
      commands.push({ type: 'RescheduleSession', seriesId, sessionId, start, durationMinutes, end });
    }
    if (Object.keys(details).length > 0) commands.push({ type: 'ChangeSessionDetails', seriesId, sessionId, ...details });
    const result = await execute(c, { seriesId, commands, body, expectedVersion: ifMatchVersion(c) });
    return respond(c, result, 200, sessionResponse(result, seriesId, sessionId));
  });

  mount(app, 'cancelSession', async (c) => {
    const seriesId = pathId(c.req.param('seriesId'), 'series');
    const sessionId = pathId(c.req.param('sessionId'), 'session');
    const body = await readBody(c, CancelSessionBody);
    const result = await execute(c, { seriesId, commands: [{ type: 'CancelSession', seriesId, sessionId, reason: body.reason }], body, expectedVersion: ifMatchVersion(c) });
    return respond(c, result, 200, sessionResponse(result, seriesId, sessionId));
  });

  const sessionResponse = (result: SeriesResult, seriesId: string, sessionId: string) => {
    const session = activeSeries(result, seriesId).sessions[sessionId];
    if (!session) throw new NotFoundProblem(`There is no session ${sessionId} in series ${seriesId}.`);
    return { seriesId, version: result.version, ...sessionView(session) };
  };

  return app;
}

const fold = (events: readonly SeriesEvent[]) => foldWith(seriesDecider, events);
