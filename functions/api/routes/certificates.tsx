/**
 * Certificates of participation (issue 19). A member who meets the series' rule gets one when
 * their attendance is recorded (./join.ts, ./attendance.ts); these routes are the rest:
 * - `POST /admin/series/{seriesId}/certificates`: issue now to every member of the roster who
 *   meets the rule (a rule set, or attendance imported, after the sessions); each member once;
 * - `POST /admin/series/{seriesId}/certificates/{certificateId}/revoke` `{reason?}`;
 * - `GET /certificates/{certificateId}`: the public verification page the PDF's link and QR code
 *   open. It shows only whether the certificate is valid (or revoked, when and why), for whom,
 *   for which series and organiser, how many hours and sessions, and when it was issued; JSON to
 *   a program. Nobody's address, nobody's id; `noindex`.
 */
import { Hono } from 'hono';
import { jsx } from 'hono/jsx';
import * as z from 'zod';
import { memberDecider, memberStreamId } from '../../../events/member/index.js';
import type { ConveneEvent } from '../../../events/registry.js';
import { Id } from '../../../events/shared/values.js';
import type { EventStore } from '../../adapters/event-store/event-store.js';
import { memberEvents, seriesEvents } from '../../adapters/event-store/category-stores.js';
import type { MemberDirectory } from '../../adapters/members/member-directory.js';
import { handleCommand } from '../../commands/command-handler.js';
import { pickText } from '../../feeds/ical.js';
import { CertificatePage } from '../../pages/certificate-page.js';
import type { CertificateDocument } from '../../read-models/documents.js';
import { certificateKey } from '../../read-models/keys.js';
import { getRosterEntries, getSchedule } from '../../read-models/queries.js';
import type { ReadModelStore } from '../../read-models/read-model-store.js';
import type { OrganiserVariables } from '../auth.js';
import { certificateContexts } from '../certificate-context.js';
import { languageSwitch } from '../language-switch.js';
import { json, page } from '../member-access.js';
import { wantsPage } from '../negotiation.js';
import { pageTranslatorFor } from '../page-language.js';
import { NotFoundProblem, UnprocessableError } from '../problems.js';
import { readBody } from '../request.js';
import { mount } from '../mount-route.js';
import { cachedSeriesLoader } from './series-stream.js';

export interface CertificateDeps {
  readonly store: EventStore<ConveneEvent>;
  readonly readModels: ReadModelStore;
  readonly members: Pick<MemberDirectory, 'get'>;
  readonly baseUrl: string;
  readonly clock?: () => Date;
}

const RevokeBody = z.strictObject({ reason: z.string().trim().min(1).max(500).optional() });
/** Issuing takes no options (yet): an empty object, so a body is read and checked as on every POST. */
const IssueBody = z.strictObject({});

export function certificateRoutes(deps: CertificateDeps) {
  const app = new Hono<{ Variables: OrganiserVariables & { requestId: string } }>();
  const clock = deps.clock ?? (() => new Date());
  const members = memberEvents(deps.store);
  const loadSeries = cachedSeriesLoader(seriesEvents(deps.store));
  const certificateOf = async (certificateId: string) =>
    Id.safeParse(certificateId).success ? (await deps.readModels.get<CertificateDocument>(certificateKey(certificateId)))?.doc : undefined;

  mount(app, 'issueCertificates', async (c) => {
    await readBody(c, IssueBody);
    const series = await loadSeries(c.req.param('seriesId'), { fresh: true });
    if (!series.certificateRule) throw new UnprocessableError('no-certificate-rule', `Series ${series.seriesId} has no certificate rule: set certificateRule (PATCH the series) first.`);
    const roster = await getRosterEntries(deps.readModels, series.seriesId);
    const contextFor = certificateContexts({ ...series, sessions: Object.values(series.sessions) }, clock());
    const issued: { memberId: string; certificateId: string; hours: number; sessionsAttended: number }[] = [];
    for (const entry of roster.filter((e) => e.attended && !e.certificate)) {
      const context = contextFor()!;
      const result = await handleCommand({
        store: members,
        decider: memberDecider,
        streamId: memberStreamId(entry.memberId),
        command: { type: 'IssueCertificate', memberId: entry.memberId, seriesId: series.seriesId, ...context },
        context: { actor: c.get('actor'), correlationId: c.get('requestId') ?? context.certificateId, now: clock },
      });
      for (const e of result.events) if (e.type === 'CertificateIssued') issued.push({ memberId: e.data.memberId, certificateId: e.data.certificateId, hours: e.data.hours, sessionsAttended: e.data.sessionsAttended });
    }
    return json(c, { seriesId: series.seriesId, rule: series.certificateRule, issued, alreadyIssued: roster.filter((e) => e.certificate).length });
  });

  mount(app, 'revokeCertificate', async (c) => {
    const body = await readBody(c, RevokeBody);
    const certificate = await certificateOf(c.req.param('certificateId'));
    if (!certificate || certificate.seriesId !== c.req.param('seriesId')) throw new NotFoundProblem(`There is no certificate ${c.req.param('certificateId')} in series ${c.req.param('seriesId')}.`);
    await handleCommand({
      store: members,
      decider: memberDecider,
      streamId: memberStreamId(certificate.memberId),
      command: { type: 'RevokeCertificate', memberId: certificate.memberId, seriesId: certificate.seriesId, certificateId: certificate.certificateId, revokedAt: clock().toISOString(), ...(body.reason ? { reason: body.reason } : {}) },
      context: { actor: c.get('actor'), correlationId: c.get('requestId') ?? certificate.certificateId, now: clock },
    });
    return json(c, { certificateId: certificate.certificateId, status: 'revoked' });
  });

  mount(app, 'verifyCertificate', async (c) => {
    const certificateId = c.req.param('certificateId');
    const certificate = await certificateOf(certificateId);
    const schedule = certificate ? (await getSchedule(deps.readModels, certificate.seriesId))?.doc : undefined;
    const member = certificate ? await deps.members.get(certificate.memberId) : undefined;
    c.header('X-Robots-Tag', 'noindex');
    c.header('Vary', 'Accept, Accept-Language');
    if (!certificate || !schedule) {
      if (!wantsPage(c)) throw new NotFoundProblem(`There is no certificate ${certificateId}.`);
      const tr = pageTranslatorFor(c);
      return page(c, jsx(CertificatePage, { tr, languageHref: languageSwitch(c), certificate: { status: 'unknown', certificateId } }), 404);
    }
    const status = certificate.revokedAt ? ('revoked' as const) : ('valid' as const);
    const shown = {
      status,
      certificateId,
      memberName: member?.name ?? '',
      organiser: schedule.organiser.name,
      hours: certificate.hours,
      sessionsAttended: certificate.sessionsAttended,
      sessionsTotal: certificate.sessionsTotal,
      issuedAt: certificate.issuedAt,
      timeZone: schedule.timeZone,
      ...(certificate.revokedAt ? { revokedAt: certificate.revokedAt } : {}),
      ...(certificate.revocationReason ? { revocationReason: certificate.revocationReason } : {}),
    };
    if (!wantsPage(c)) return json(c, { ...shown, seriesTitle: schedule.title, seriesUrl: `${deps.baseUrl}/series/${schedule.seriesId}` });
    const tr = pageTranslatorFor(c, { series: schedule.languages });
    const seriesTitle = pickText(schedule.title, tr.language, schedule.languages) ?? schedule.seriesId;
    return page(c, jsx(CertificatePage, { tr, languageHref: languageSwitch(c), certificate: { ...shown, seriesTitle, seriesUrl: `${deps.baseUrl}/series/${schedule.seriesId}` } }));
  });

  return app;
}
