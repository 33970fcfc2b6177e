/**
 * Members: register for a series (double opt-in), confirm, unregister, rotate the personal
 * feed token (the feed itself is member-feed.ts). Organisers register members in bulk
 * (already consented: no confirmation).
 *
 * Signed links (confirm, unregister) carry what they act on; a personal feed token (random,
 * 192 bits, stored only as a hash) is also the member's bearer token for DELETE and rotation.
 */
import { Hono, type Context } from 'hono';
// A namespace import: esbuild then keeps only the parts of zod in use (not its 64 locales).
import * as z from 'zod';
import { memberDecider, memberStreamId, type MemberCommand } from '../../../events/member/index.js';
import type { MemberEvent } from '../../../events/member/events.js';
import type { RosterEntry } from '../../../events/projections/member-registrations.js';
import type { ConveneEvent } from '../../../events/registry.js';
import type { Actor } from '../../../events/shared/event.js';
import { NotFoundError } from '../../../events/shared/errors.js';
import { Email, Id, LanguageTag, SingleLine, TimeZone } from '../../../events/shared/values.js';
import type { ActiveSeries } from '../../../events/series/index.js';
import type { SeriesEvent } from '../../../events/series/events.js';
import type { EventStore } from '../../adapters/event-store/event-store.js';
import type { MemberDirectory } from '../../adapters/members/member-directory.js';
import type { ReadModelStore } from '../../adapters/read-models/read-model-store.js';
import { runCommand, type RunOptions } from '../../commands/run-command.js';
import { rosterPk } from '../../projector/projections.js';
import { seatsFor } from '../../../events/projections/seats.js';
import type { TokenSigner } from '../../security/signed-token.js';
import { signedLinkReader } from '../signed-link.js';
import type { OrganiserVariables } from '../auth.js';
import { ApiError, NotFoundProblem, UnauthorizedError, UnprocessableError, fieldProblem } from '../problems.js';
import { pathId, readBody } from '../request.js';
import { cachedSeriesLoader } from './series-stream.js';

export interface RegistrationDeps {
  readonly store: EventStore<ConveneEvent>;
  readonly readModels: ReadModelStore;
  readonly members: MemberDirectory;
  readonly signer: TokenSigner;
  readonly baseUrl: string;
  /** Sends the double opt-in mail; the route does not wait on what the mail says. */
  readonly sendConfirmation: (mail: ConfirmationRequest) => Promise<void>;
  readonly clock?: () => Date;
  readonly newId?: () => string;
}

export interface ConfirmationRequest {
  readonly to: { readonly email: string; readonly name: string };
  readonly language: string;
  readonly memberTimeZone: string;
  readonly series: ActiveSeries;
  readonly sessionIds: 'all' | readonly string[];
  readonly confirmUrl: string;
  readonly unregisterUrl: string;
}

const LINK_LIFETIME_MS = 14 * 24 * 3600 * 1000;

const Sessions = z.union([z.literal('all'), z.array(Id).min(1).max(500)]);

export const RegisterBody = z.strictObject({
  email: Email,
  name: SingleLine(200),
  language: LanguageTag,
  timeZone: TimeZone,
  sessions: Sessions.default('all'),
});

export const BulkRegisterBody = z.strictObject({
  members: z.array(z.strictObject({ email: Email, name: SingleLine(200), language: LanguageTag, timeZone: TimeZone })).min(1).max(500),
  sessions: Sessions.default('all'),
});

const ConfirmLink = z.object({ a: z.literal('confirm'), m: Id, s: Id, r: Id });
const UnregisterLink = z.object({ a: z.literal('unregister'), m: Id, s: Id });

type Env = { Variables: OrganiserVariables & { requestId: string } };

export function registrationRoutes(deps: RegistrationDeps) {
  const app = new Hono<Env>();
  const clock = deps.clock ?? (() => new Date());
  const newId = deps.newId ?? (() => crypto.randomUUID());
  const memberStore = deps.store as unknown as EventStore<MemberEvent>;

  const loadSeries = cachedSeriesLoader(deps.store as unknown as EventStore<SeriesEvent>);

  const sessionProblems = (series: ActiveSeries, sessions: 'all' | readonly string[]) =>
    sessions === 'all'
      ? []
      : sessions.flatMap((id, i) => {
          const session = series.sessions[id];
          if (!session) return [fieldProblem(['sessions', i], `there is no session ${id} in this series`)];
          if (session.status === 'cancelled') return [fieldProblem(['sessions', i], `session ${id} is cancelled`)];
          return [];
        });

  /** The series, with the sessions asked for checked; a refusal is only made on a fresh read. */
  const seriesWithSessions = async (seriesId: string, sessions: 'all' | readonly string[]) => {
    let series = await loadSeries(seriesId);
    let problems = sessionProblems(series, sessions);
    if (problems.length > 0) {
      series = await loadSeries(seriesId, { fresh: true });
      problems = sessionProblems(series, sessions);
    }
    if (problems.length > 0) throw new UnprocessableError('unknown-session', problems.map((p) => p.detail).join('; '), problems);
    return series;
  };

  const run = (c: Context<Env>, memberId: string, command: MemberCommand, actor: Actor, options: RunOptions = {}) =>
    runCommand(memberStore, memberDecider, memberStreamId(memberId), command, { actor, correlationId: c.get('requestId') ?? newId() }, options);

  const verifyLink = signedLinkReader(deps.signer, clock);

  const memberFromBearer = async (c: Context<Env>): Promise<string> => {
    const m = /^Bearer\s+([\w-]{32})\s*$/.exec(c.req.header('authorization') ?? '');
    const memberId = m ? await deps.members.memberIdForFeedToken(m[1]!) : undefined;
    if (!memberId) throw new UnauthorizedError('Send your personal token (the one in your calendar feed link): Authorization: Bearer <token>.', m !== null);
    return memberId;
  };

  const loadRoster = async (seriesId: string): Promise<RosterEntry[]> =>
    (await deps.readModels.query<RosterEntry>(rosterPk(seriesId))).map((d) => d.doc);

  const feedUrl = (token: string) => `${deps.baseUrl}/feeds/members/${token}.ics`;

  app.post('/series/:seriesId/registrations', async (c) => {
    const body = await readBody(c, RegisterBody);
    const series = await seriesWithSessions(c.req.param('seriesId'), body.sessions);
    const { member, created } = await deps.members.findOrCreate(body.email, body.name, clock());
    const result = await run(
      c,
      member.memberId,
      { type: 'RequestRegistration', memberId: member.memberId, seriesId: series.seriesId, registrationId: newId(), sessions: body.sessions, language: body.language, timeZone: body.timeZone, source: 'self-service' },
      { kind: 'member', id: member.memberId },
      { newStream: created },
    );
    const registration = result.state.registrations[series.seriesId]!;
    if (registration.status === 'requested') {
      const expires = new Date(clock().getTime() + LINK_LIFETIME_MS);
      await deps.sendConfirmation({
        to: { email: member.email, name: body.name },
        language: body.language,
        memberTimeZone: body.timeZone,
        series,
        sessionIds: registration.sessions,
        confirmUrl: `${deps.baseUrl}/registrations/confirm?token=${deps.signer.sign({ a: 'confirm', m: member.memberId, s: series.seriesId, r: registration.registrationId }, expires)}`,
        unregisterUrl: `${deps.baseUrl}/registrations/unregister?token=${deps.signer.sign({ a: 'unregister', m: member.memberId, s: series.seriesId }, expires)}`,
      });
    }
    // The same answer whether or not the address was registered before: nothing leaks about who is.
    return c.json({ status: 'check-your-inbox', detail: `If ${body.email} is not confirmed for this series yet, a confirmation link is on its way.` }, 202);
  });

  app.get('/registrations/confirm', async (c) => {
    const link = verifyLink(c, ConfirmLink);
    try {
      await run(c, link.m, { type: 'ConfirmRegistration', memberId: link.m, seriesId: link.s, registrationId: link.r }, { kind: 'member', id: link.m });
    } catch (error) {
      if (error instanceof NotFoundError) throw new ApiError(410, 'registration-gone', 'Registration no longer pending', 'This registration was cancelled or replaced: register again.');
      throw error;
    }
    const member = await deps.members.get(link.m);
    // A member gets a personal feed token once; later confirmations do not show it again.
    const token = member && !member.feedTokenHash ? await deps.members.rotateFeedToken(link.m) : undefined;
    return c.json({ status: 'confirmed', seriesId: link.s, ...(token ? { feedUrl: feedUrl(token), memberToken: token } : {}) });
  });

  const unregister = async (c: Context<Env>, memberId: string, seriesId: string) => {
    try {
      await run(c, memberId, { type: 'CancelRegistration', memberId, seriesId, sessions: 'all', cancelledBy: 'member' }, { kind: 'member', id: memberId });
    } catch (error) {
      if (error instanceof NotFoundError) throw new NotFoundProblem(`You are not registered for series ${seriesId}.`);
      throw error;
    }
    return c.json({ status: 'unregistered', seriesId });
  };

  // Opening the link only asks: mail scanners follow links, and must not unregister anyone.
  app.get('/registrations/unregister', async (c) => {
    verifyLink(c, UnregisterLink);
    const action = `/registrations/unregister?token=${encodeURIComponent(c.req.query('token') ?? '')}`;
    return c.html(
      `<!doctype html><html><head><meta charset="utf-8"><title>Unregister</title></head><body>` +
        `<form method="post" action="${action}"><p>Stop your registration and mail for this series?</p>` +
        `<button type="submit" name="List-Unsubscribe" value="One-Click">Unregister</button></form></body></html>`,
    );
  });

  // The form above, and RFC 8058 one-click: mail clients POST `List-Unsubscribe=One-Click` here.
  app.post('/registrations/unregister', async (c) => {
    const link = verifyLink(c, UnregisterLink);
    return unregister(c, link.m, link.s);
  });

  app.delete('/series/:seriesId/registrations', async (c) => {
    const memberId = await memberFromBearer(c);
    return unregister(c, memberId, pathId(c.req.param('seriesId'), 'series'));
  });

  app.post('/members/feed-token', async (c) => {
    const memberId = await memberFromBearer(c);
    const token = await deps.members.rotateFeedToken(memberId);
    return c.json({ feedUrl: feedUrl(token), memberToken: token }, 201);
  });

  app.get('/admin/series/:seriesId/sessions/:sessionId/registrations', async (c) => {
    const series = await loadSeries(c.req.param('seriesId'), { fresh: true });
    const session = series.sessions[c.req.param('sessionId')];
    if (!session) throw new NotFoundProblem(`There is no session ${c.req.param('sessionId')} in series ${series.seriesId}.`);
    const seats = seatsFor(session, await loadRoster(series.seriesId));
    const who = async (memberId: string) => {
      const member = await deps.members.get(memberId);
      return { memberId, ...(member ? { name: member.name, email: member.email } : {}) };
    };
    return c.json({
      seriesId: series.seriesId,
      sessionId: session.sessionId,
      ...(seats.capacity !== undefined ? { capacity: seats.capacity } : {}),
      seated: await Promise.all(seats.seated.map(who)),
      waitlist: await Promise.all(seats.waitlist.map(async (memberId, i) => ({ position: i + 1, ...(await who(memberId)) }))),
    });
  });

  app.post('/admin/series/:seriesId/registrations', async (c) => {
    const body = await readBody(c, BulkRegisterBody);
    const series = await seriesWithSessions(c.req.param('seriesId'), body.sessions);
    const actor = c.get('actor');
    const out = [];
    for (const entry of body.members) {
      const { member, created } = await deps.members.findOrCreate(entry.email, entry.name, clock());
      const result = await run(
        c,
        member.memberId,
        { type: 'RequestRegistration', memberId: member.memberId, seriesId: series.seriesId, registrationId: newId(), sessions: body.sessions, language: entry.language, timeZone: entry.timeZone, source: 'organiser' },
        actor,
        { newStream: created },
      );
      out.push({ email: entry.email, memberId: member.memberId, status: result.state.registrations[series.seriesId]!.status, changed: result.events.length > 0 });
    }
    return c.json({ seriesId: series.seriesId, registered: out.length, members: out });
  });

  return app;
}
