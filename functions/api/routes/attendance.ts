/**
 * `POST /admin/series/{seriesId}/sessions/{sessionId}/attendance`: an organiser imports the
 * meeting's participants report (Zoom's or BigBlueButton's CSV, `Content-Type: text/csv`),
 * for members who joined another way than their own link. Each address is matched to a member
 * (the directory, compared normalised) and their attendance recorded with the report's minutes;
 * a row that matches no member, or cannot be read, is reported, not guessed. `?timeZone=` names
 * the zone of the report's wall times (Zoom writes the account's), default the series' own.
 * Importing the same report again appends nothing.
 */
import { Hono } from 'hono';
import { memberDecider, memberStreamId } from '../../../events/member/index.js';
import type { ConveneEvent } from '../../../events/registry.js';
import { TimeZone } from '../../../events/shared/values.js';
import type { EventStore } from '../../adapters/event-store/event-store.js';
import { memberEvents, seriesEvents } from '../../adapters/event-store/category-stores.js';
import type { MemberDirectory } from '../../adapters/members/member-directory.js';
import { handleCommand } from '../../commands/command-handler.js';
import type { OrganiserVariables } from '../auth.js';
import { ApiError, NotFoundProblem, UnprocessableError } from '../problems.js';
import { UnsupportedMediaTypeError } from '../request.js';
import { ParticipantsReportError, readParticipantsReport, reportIdOf } from '../participants-report.js';
import { cachedSeriesLoader } from './series-stream.js';
import { mount } from '../mount-route.js';
import { certificateContexts, withCertificate } from '../certificate-context.js';

export interface AttendanceDeps {
  readonly store: EventStore<ConveneEvent>;
  readonly members: Pick<MemberDirectory, 'memberIdForEmail'>;
  readonly clock?: () => Date;
}

export function attendanceRoutes(deps: AttendanceDeps) {
  const app = new Hono<{ Variables: OrganiserVariables & { requestId: string } }>();
  const loadSeries = cachedSeriesLoader(seriesEvents(deps.store));
  const members = memberEvents(deps.store);

  mount(app, 'importAttendance', async (c) => {
    const series = await loadSeries(c.req.param('seriesId'), { fresh: true });
    const session = series.sessions[c.req.param('sessionId')];
    if (!session) throw new NotFoundProblem(`There is no session ${c.req.param('sessionId')} in series ${series.seriesId}.`);
    const contentType = c.req.header('content-type') ?? '';
    if (!/^text\/csv\b/i.test(contentType)) throw new UnsupportedMediaTypeError(contentType, 'the participants report as CSV, with Content-Type: text/csv');
    const zone = c.req.query('timeZone') ?? series.timeZone;
    if (!TimeZone.safeParse(zone).success) throw new UnprocessableError('unknown-time-zone', `${zone} is not an IANA time zone.`, [{ field: 'timeZone', pointer: '/timeZone', detail: 'must be an IANA time zone such as Europe/London' }]);
    const bytes = new Uint8Array(await c.req.arrayBuffer());
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      throw new ApiError(400, 'invalid-utf8', 'Body is not UTF-8', 'Export the report as UTF-8 CSV.');
    }
    let report;
    try {
      report = readParticipantsReport(text, zone);
    } catch (error) {
      if (error instanceof ParticipantsReportError) throw new UnprocessableError('unreadable-report', `The report cannot be read: ${error.message}.`);
      throw error;
    }
    const reportId = reportIdOf(bytes);
    const now = (deps.clock ?? (() => new Date()))();
    // With the series' certificate rule, a member this report takes over it gets their certificate at once.
    const certificateFor = certificateContexts({ ...series, sessions: Object.values(series.sessions) }, now);
    const actor = c.get('actor');
    const recorded: { email: string; memberId: string; minutes: number; changed: boolean }[] = [];
    const unmatched = [...report.problems];
    for (const attendance of report.attendances) {
      const memberId = await deps.members.memberIdForEmail(attendance.email);
      if (!memberId) {
        for (const line of attendance.lines) unmatched.push({ line, ...(attendance.name ? { name: attendance.name } : {}), email: attendance.email, reason: 'no member has this address' });
        continue;
      }
      const result = await handleCommand({
        store: members,
        decider: memberDecider,
        streamId: memberStreamId(memberId),
        command: { type: 'RecordAttendance', memberId, seriesId: series.seriesId, sessionId: session.sessionId, source: 'participants-report', joinedAt: attendance.joinedAt, minutes: attendance.minutes, reportId, ...withCertificate(certificateFor()) },
        context: { actor, correlationId: c.get('requestId') ?? reportId, ...(deps.clock ? { now: deps.clock } : {}) },
      });
      recorded.push({ email: attendance.email, memberId, minutes: attendance.minutes, changed: result.events.length > 0 });
    }
    c.header('Cache-Control', 'no-store');
    return c.json({
      seriesId: series.seriesId,
      sessionId: session.sessionId,
      reportId,
      timeZone: zone,
      matched: recorded.length,
      recorded,
      unmatched: unmatched.sort((a, b) => a.line - b.line),
    });
  });

  return app;
}
