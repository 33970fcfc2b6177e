/**
 * Registering for a series. A member asks with their address (double opt-in): the request is
 * kept in the intake and answered 202 the same way, with the same single write, whoever the
 * address belongs to (the intake, functions/intake/, appends it after the answer);
 * the mail that asks the owner to confirm (or, for a registration they have, to accept a
 * change) leaves from the dispatcher, never from this request. Nothing a request asks changes
 * what the owner decided until they answer that mail (functions/api/routes/registration-links.tsx).
 *
 * Organisers register members in bulk (already consented: no confirmation; each gets one
 * welcome mail), and see who has a seat.
 */
import { Hono, type Context } from 'hono';
// A namespace import: esbuild then keeps only the parts of zod in use (not its 64 locales).
import * as z from 'zod';
import { memberDecider, memberStreamId, type MemberCommand } from '../../../events/member/index.js';
import { ReminderOffset } from '../../../events/shared/values.js';
import type { ConveneEvent } from '../../../events/registry.js';
import type { Actor } from '../../../events/shared/event.js';
import type { ActiveSeries } from '../../../events/series/index.js';
import type { EventStore } from '../../adapters/event-store/event-store.js';
import type { MemberDirectory } from '../../adapters/members/member-directory.js';
import { RegistrantFields, RequestedSessions, type RegistrationIntake } from '../../adapters/intake/registration-intake.js';
import type { ReadModelStore } from '../../read-models/read-model-store.js';
import { handleCommand, type ExpectedVersion } from '../../commands/command-handler.js';
import { memberEvents, seriesEvents } from '../../adapters/event-store/category-stores.js';
import { getRosterEntries } from '../../read-models/queries.js';
import { seatsFor } from '../../../events/projections/seats.js';
import type { OrganiserVariables } from '../auth.js';
import { NotFoundProblem, UnprocessableError, fieldProblem } from '../problems.js';
import { isForm, readBody, readForm } from '../request.js';
import { getSchedule } from '../../read-models/queries.js';
import { seriesPageRenderer } from '../series-page-view.js';
import { registrationFromForm, RegistrationFormFields } from '../registration-form.js';
import { languageSwitch } from '../language-switch.js';
import { wantsPage } from '../negotiation.js';
import { rosterCsv, wantsCsv } from '../roster-csv.js';
import { pageTranslatorFor } from '../page-language.js';
import { pickText } from '../../feeds/ical.js';
import { page } from '../member-access.js';
import { RegisteredPage } from '../../pages/series-page.js';
import { cachedSeriesLoader } from './series-stream.js';
import { mount } from '../mount-route.js';

export interface RegistrationDeps {
  readonly store: EventStore<ConveneEvent>;
  /** Public base URL of the API, for the series page's links. */
  readonly baseUrl: string;
  readonly readModels: ReadModelStore;
  readonly members: MemberDirectory;
  /** Where members' own requests wait to be taken (functions/intake/). */
  readonly intake: RegistrationIntake;
  readonly clock?: () => Date;
  readonly newId?: () => string;
}

export const RegisterBody = z.strictObject({
  ...RegistrantFields,
  sessions: RequestedSessions.default('all'),
  reminderOffsets: z.array(ReminderOffset).max(10).optional().describe("The reminders wanted before each session (P1D, PT1H...; [] for none); absent: the series' own. The member's once they confirm"),
});

export const BulkRegisterBody = z.strictObject({
  members: z.array(z.strictObject(RegistrantFields)).min(1).max(500),
  sessions: RequestedSessions.default('all'),
});

/** The answer to every registration request: the same whoever the address is. */
const checkYourInbox = (email: string) => ({ status: 'check-your-inbox', detail: `If ${email} can take part, a mail is on its way: open its link to confirm. Nothing changes until you do.` });

type Env = { Variables: OrganiserVariables & { requestId: string } };

export function registrationRoutes(deps: RegistrationDeps) {
  const app = new Hono<Env>();
  const clock = deps.clock ?? (() => new Date());
  const newId = deps.newId ?? (() => crypto.randomUUID());
  const memberStore = memberEvents(deps.store);

  const loadSeries = cachedSeriesLoader(seriesEvents(deps.store));

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

  /** A member's command; `'no-stream'` for a member created for this request. */
  const run = (c: Context<Env>, memberId: string, command: MemberCommand, actor: Actor, expectedVersion?: ExpectedVersion) =>
    handleCommand({
      store: memberStore,
      decider: memberDecider,
      streamId: memberStreamId(memberId),
      command,
      context: { actor, correlationId: c.get('requestId') ?? newId(), now: clock },
      ...(expectedVersion === undefined ? {} : { expectedVersion }),
    });

  const seriesPage = seriesPageRenderer({ ...deps, ...(deps.clock ? { now: deps.clock } : {}) });

  /** The series page's form (a browser, without script): its problems shown on the page again, or the check-your-inbox page. */
  const registerFromForm = async (c: Context<Env>) => {
    const fields = await readForm(c, RegistrationFormFields);
    const seriesId = c.req.param('seriesId') ?? '';
    const schedule = (await getSchedule(deps.readModels, seriesId))?.doc;
    if (!schedule) throw new NotFoundProblem(`There is no series ${seriesId}.`);
    const series = await loadSeries(seriesId);
    const form = registrationFromForm(fields, (sessions) => sessionProblems(series, sessions).length === 0, series.reminderOffsets);
    if ('problems' in form) {
      if (wantsPage(c)) return seriesPage(c, schedule, form);
      throw new UnprocessableError('invalid-form', `The form has problems: ${form.problems.join(', ')}`, form.problems.map((field) => fieldProblem([field], 'is missing or invalid')));
    }
    const requestId = newId();
    await deps.intake.accept({ requestId, seriesId, ...form.registration, requestedAt: clock().toISOString(), correlationId: c.get('requestId') ?? requestId });
    c.header('Cache-Control', 'no-store');
    if (!wantsPage(c)) return c.json(checkYourInbox(form.registration.email), 202);
    const tr = pageTranslatorFor(c, { series: schedule.languages });
    const title = pickText(schedule.title, tr.language, schedule.languages) ?? seriesId;
    return page(c, <RegisteredPage tr={tr} languageHref={languageSwitch(c)} email={form.registration.email} title={title} seriesUrl={`/series/${encodeURIComponent(seriesId)}?lang=${tr.language}`} />, 202);
  };

  mount(app, 'register', async (c) => {
    if (isForm(c)) return registerFromForm(c);
    const body = await readBody(c, RegisterBody);
    const series = await seriesWithSessions(c.req.param('seriesId'), body.sessions);
    // One write, the same whoever the address is: the request waits in the intake, which finds
    // its member, keeps the name given (a new member has none until they confirm one) and
    // appends the request after this answer (functions/intake/).
    const requestId = newId();
    await deps.intake.accept({ requestId, seriesId: series.seriesId, ...body, requestedAt: clock().toISOString(), correlationId: c.get('requestId') ?? requestId });
    // The same answer whether or not the address was registered before: nothing leaks about who is.
    c.header('Cache-Control', 'no-store');
    return c.json(checkYourInbox(body.email), 202);
  });

  mount(app, 'sessionRegistrations', async (c) => {
    const series = await loadSeries(c.req.param('seriesId'), { fresh: true });
    const session = series.sessions[c.req.param('sessionId')];
    if (!session) throw new NotFoundProblem(`There is no session ${c.req.param('sessionId')} in series ${series.seriesId}.`);
    const roster = await getRosterEntries(deps.readModels, series.seriesId);
    const seats = seatsFor(session, roster);
    const entries = new Map(roster.map((e) => [e.memberId, e]));
    const records = await deps.members.getMany(roster.map((e) => e.memberId));
    const who = (memberId: string) => {
      const member = records.get(memberId);
      const entry = entries.get(memberId);
      const answer = entry?.answers?.[session.sessionId];
      const attended = entry?.attended?.[session.sessionId];
      return { memberId, ...(member ? { name: member.name, email: member.email } : {}), ...(answer ? { answer } : {}), ...(attended ? { attended } : {}) };
    };
    const placed = new Set([...seats.seated, ...seats.waitlist]);
    // Everyone else the session concerns: a "No" from their calendar, or attendance without a place (a participants report).
    const others = roster.filter((e) => !placed.has(e.memberId) && (e.answers?.[session.sessionId] || e.attended?.[session.sessionId])).map((e) => e.memberId);
    const roll = {
      seriesId: series.seriesId,
      sessionId: session.sessionId,
      ...(seats.capacity !== undefined ? { capacity: seats.capacity } : {}),
      seated: seats.seated.map(who),
      waitlist: seats.waitlist.map((memberId, i) => ({ position: i + 1, ...who(memberId) })),
      withoutPlace: others.map(who),
    };
    c.header('Vary', 'Accept');
    if (wantsCsv(c.req.header('accept'))) {
      c.header('Cache-Control', 'no-store');
      c.header('Content-Disposition', `attachment; filename="${series.seriesId}-${session.sessionId}-roster.csv"`);
      return c.body(rosterCsv(roll), 200, { 'Content-Type': 'text/csv; charset=utf-8; header=present' });
    }
    return c.json(roll);
  });

  mount(app, 'registerMembers', async (c) => {
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
        created ? 'no-stream' : undefined,
      );
      out.push({ email: entry.email, memberId: member.memberId, status: result.state.registrations[series.seriesId]!.status, changed: result.events.length > 0 });
    }
    return c.json({ seriesId: series.seriesId, registered: out.length, members: out });
  });

  return app;
}
