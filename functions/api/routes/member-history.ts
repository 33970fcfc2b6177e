/**
 * `GET /admin/series/{seriesId}/member-history/{memberId}`: the audit trail of one member in a
 * series, as `/history` is the series' own: every event of the member's stream about this series
 * (registration, answers from the calendar app, attendance, certificates) and the member-wide
 * ones (language, zone, reminders, consent), with who, when and why. Nothing about the member's
 * other series; events name members by id only (addresses and names live in the directory).
 */
import { Hono } from 'hono';
import { memberStreamId } from '../../../events/member/index.js';
import type { ConveneEvent } from '../../../events/registry.js';
import type { EventStore } from '../../adapters/event-store/event-store.js';
import { memberEvents } from '../../adapters/event-store/category-stores.js';
import type { OrganiserVariables } from '../auth.js';
import { NotFoundProblem } from '../problems.js';
import { historyView } from '../representation.js';
import { mount } from '../mount-route.js';
import { pathId } from '../request.js';

export function memberHistoryRoutes(deps: { readonly store: EventStore<ConveneEvent> }) {
  const app = new Hono<{ Variables: OrganiserVariables }>();
  const members = memberEvents(deps.store);

  mount(app, 'memberHistory', async (c) => {
    const seriesId = pathId(c.req.param('seriesId'), 'series');
    const memberId = pathId(c.req.param('memberId'), 'member');
    const events = await members.read(memberStreamId(memberId));
    const about = (data: unknown) => (data as { seriesId?: string }).seriesId;
    if (!events.some((e) => about(e.data) === seriesId)) throw new NotFoundProblem(`Member ${memberId} has nothing in series ${seriesId}.`);
    const concerning = events.filter((e) => about(e.data) === undefined || about(e.data) === seriesId);
    c.header('Cache-Control', 'no-store');
    return c.json(historyView(memberId, concerning));
  });

  return app;
}
