/**
 * `GET /admin/series/{seriesId}/undeliverable`: what of a series could not reach its members,
 * for its organisers. Each mail the dispatcher could not send (delivery-failures.ts): to whom
 * (member id and name, never the address), about which session or reminder, why, when first and
 * last, how often, and when it is tried again; and each stream of the series the projector had
 * to set aside (an event that fails its schema on read), while it stands.
 */
import { Hono } from 'hono';
import type { FailureReader } from '../../adapters/deliveries/delivery-failures.js';
import { streamCategory } from '../../../events/shared/event.js';
import type { MemberDirectory } from '../../adapters/members/member-directory.js';
import type { ReadModelStore } from '../../read-models/read-model-store.js';
import { mapLimited } from '../../map-limited.js';
import { getMemberRegistrations, getProjectionFailures, getSchedule } from '../../read-models/queries.js';
import type { ProjectionFailure } from '../../read-models/documents.js';
import { NotFoundProblem } from '../problems.js';
import { pathId } from '../request.js';
import type { OrganiserEnv } from '../series-command.js';
import { mount } from '../mount-route.js';

export interface UndeliverableDeps {
  readonly failures: FailureReader;
  readonly readModels: ReadModelStore;
  readonly members: Pick<MemberDirectory, 'getMany'>;
}

export function undeliverableRoutes(deps: UndeliverableDeps) {
  const app = new Hono<OrganiserEnv>();

  mount(app, 'undeliverable', async (c) => {
    const seriesId = pathId(c.req.param('seriesId'), 'series');
    const [schedule, mail, noted] = await Promise.all([
      getSchedule(deps.readModels, seriesId),
      deps.failures.failuresOf(seriesId),
      getProjectionFailures(deps.readModels, seriesId),
    ]);
    if (!schedule && mail.length === 0 && noted.length === 0) throw new NotFoundProblem(`There is no series ${seriesId}.`);
    const streams = await openStreamFailures(deps.readModels, seriesId, schedule?.version, noted);
    const memberIds = [...new Set([...mail.map((m) => m.memberId), ...streams.flatMap((s) => (s.memberId ? [s.memberId] : []))])];
    const names = await deps.members.getMany(memberIds);
    const member = (memberId: string) => ({ memberId, ...(names.get(memberId)?.name ? { name: names.get(memberId)!.name } : {}) });
    c.header('Cache-Control', 'no-store');
    return c.json({
      seriesId,
      mail: mail.map((m) => ({
        kind: m.kind,
        member: member(m.memberId),
        ...(m.sessionId ? { sessionId: m.sessionId } : {}),
        ...(m.slot ? { slot: m.slot } : {}),
        code: m.code,
        reason: m.reason,
        retry: m.retry,
        firstFailedAt: m.firstAt,
        lastFailedAt: m.lastAt,
        attempts: m.attempts,
      })),
      streams: streams.map(({ memberId, ...s }) => ({ ...s, ...(memberId ? { member: member(memberId) } : {}) })),
    });
  });

  return app;
}

/** The noted streams that still stand: their main document has not been projected past the bad event. */
async function openStreamFailures(readModels: ReadModelStore, seriesId: string, scheduleVersion: number | undefined, noted: readonly ProjectionFailure[]) {
  const open = await mapLimited(noted, 8, async (failure) => {
    const category = streamCategory(failure.streamId);
    const id = failure.streamId.slice(category.length + 1);
    const projectedTo = category === 'series' && id === seriesId ? scheduleVersion : (await getMemberRegistrations(readModels, id))?.version;
    if (projectedTo !== undefined && projectedTo >= failure.version) return undefined;
    return { ...failure, ...(category === 'member' ? { memberId: id } : {}) };
  });
  return open.filter((f) => f !== undefined);
}
