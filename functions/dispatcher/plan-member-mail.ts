/**
 * Mail about a member's own registrations, found through the mail queue like invitations (a
 * member whose stream changed): for each series, the latest ask someone made with the
 * member's address (confirm a registration, accept a change), an organiser's welcome, the
 * member's certificate of participation (once), and a requested manage link. Sent from here, never from the HTTP request: the request's answer
 * and its time are the same whoever the address belongs to.
 *
 * Limits, so nobody's inbox can be bombed through Convene: per member and series, at most one
 * ask mail per 15 minutes and five a day (asks in between are answered by the link already
 * sent, which stays valid); at most one manage-link mail per 15 minutes. A ledger item per
 * member and series holds what went and when; its rank is the number of asks, so a new ask
 * can go once the limits allow, and two dispatchers never send one twice.
 */
import type { MemberRegistrations } from '../../events/projections/member-registrations.js';
import type { SeriesSchedule } from '../../events/projections/schedule.js';
import type { LedgerItem } from '../adapters/deliveries/delivery-ledger.js';
import { ledgerKeys } from '../adapters/deliveries/delivery-ledger.js';
import type { StoredDocument } from '../read-models/read-model-store.js';
import { LINK_LIFETIME_MS } from '../links/member-links.js';
import { mapLimited } from '../map-limited.js';
import { madeFrom, type MemberMailWork, type PerStream, type PlanDeps } from './work.js';

/** At most one ask mail (or manage-link mail) per this gap, per member and series. */
export const MEMBER_MAIL_GAP_MS = 15 * 60_000;
/** And at most this many ask mails a day, per member and series. */
export const ASKS_PER_DAY = 5;
/** A welcome goes for a registration made within this time (not for old ones, after an upgrade). */
const WELCOME_WITHIN_MS = 7 * 24 * 3600_000;
/** A manage link is mailed for a request made within this time. */
const MANAGE_LINK_WITHIN_MS = 24 * 3600_000;
const DAY_MS = 24 * 3600_000;
/** The ledger keeps what it sent about a member's registrations this long. */
const KEEP_MS = 30 * DAY_MS;
const READ_CONCURRENCY = 8;

export async function planMemberMail(
  deps: PlanDeps,
  now: Date,
  members: ReadonlyMap<string, StoredDocument<MemberRegistrations>>,
  scheduleOf: (seriesId: string) => Promise<SeriesSchedule | undefined>,
  perStream: PerStream,
): Promise<MemberMailWork[]> {
  const at = now.getTime();
  const expiresAt = new Date(at + KEEP_MS);
  const perMember = await mapLimited([...members], READ_CONCURRENCY, ([memberId, { version, doc }]) =>
    perStream(`member-${memberId}`, [], async () => {
      const work: MemberMailWork[] = [];
      const wanted = Object.entries(doc.registrations).some(([, r]) => r.asked || r.source === 'organiser') || doc.manageLink || doc.certificates;
      if (!wanted) return work;
      const items = new Map((await deps.ledger.items(ledgerKeys.memberMail(memberId, '').pk)).map((item) => [item.sk, item]));
      const base = (what: string, seriesVersion: number) => {
        const key = ledgerKeys.memberMail(memberId, what);
        const item = items.get(key.sk);
        return {
          memberId,
          key,
          expiresAt,
          preferences: doc.preferences,
          madeFrom: madeFrom(seriesVersion, version),
          recent: recentSends(item, at),
          ...(item?.failure ? { failure: item.failure } : {}),
          ...(item?.unreadable ? { unreadable: item.unreadable } : {}),
        };
      };

      for (const [seriesId, registration] of Object.entries(doc.registrations)) {
        const mailAllowed = !doc.unsubscribed.all && !doc.unsubscribed.series.includes(seriesId);
        if (!mailAllowed || registration.status === 'cancelled') continue;
        const { asked } = registration;
        if (asked && at - Date.parse(asked.at) < LINK_LIFETIME_MS.confirm) {
          const item = items.get(`ask#${seriesId}`);
          const due = (item?.sent?.rank ?? 0) < asked.count && !item?.unreadable ? allowed(item, at) : false;
          const kind =
            asked.what === 'confirm' && registration.status === 'requested'
              ? 'confirmation'
              : asked.what === 'change' && registration.pendingChange?.requestId === asked.requestId
                ? 'change'
                : undefined;
          if ((due || item?.unreadable) && kind) {
            const schedule = await scheduleOf(seriesId);
            if (schedule) work.push({ ...base(`ask#${seriesId}`, schedule.version), kind, seriesId, registration, ask: asked, rank: asked.count });
          }
        }
        if (registration.source === 'organiser' && registration.status === 'confirmed' && registration.confirmedAt && at - Date.parse(registration.confirmedAt) < WELCOME_WITHIN_MS) {
          const what = `welcome#${seriesId}#${registration.registrationId}`;
          if (!items.get(what)?.sent) {
            const schedule = await scheduleOf(seriesId);
            if (schedule) work.push({ ...base(what, schedule.version), kind: 'welcome', seriesId, registration, rank: 1 });
          }
        }
      }

      // A certificate of participation, mailed once (a revoked one is not mailed, whatever it was before).
      for (const [seriesId, certificate] of Object.entries(doc.certificates ?? {})) {
        const mailAllowed = !doc.unsubscribed.all && !doc.unsubscribed.series.includes(seriesId);
        const what = `certificate#${seriesId}#${certificate.certificateId}`;
        if (!mailAllowed || certificate.revokedAt !== undefined || items.get(what)?.sent) continue;
        const schedule = await scheduleOf(seriesId);
        const registration = doc.registrations[seriesId];
        if (schedule) work.push({ ...base(what, schedule.version), kind: 'certificate', seriesId, certificate, ...(registration ? { registration } : {}), rank: 1 });
      }

      const { manageLink } = doc;
      if (manageLink && at - Date.parse(manageLink.at) < MANAGE_LINK_WITHIN_MS) {
        const item = items.get('manage-link');
        if ((item?.sent?.rank ?? 0) < manageLink.count && (!item?.sent || at - Date.parse(item.sent.sentAt) >= MEMBER_MAIL_GAP_MS)) {
          work.push({ ...base('manage-link', 0), kind: 'manage-link', seriesId: '', ask: manageLink, rank: manageLink.count });
        }
      }
      return work;
    }),
  );
  return perMember.flat();
}

/** Whether an ask mail may go now: the last one 15 minutes ago or more, fewer than five in a day. */
function allowed(item: LedgerItem | undefined, at: number): boolean {
  if (!item?.sent) return true;
  if (at - Date.parse(item.sent.sentAt) < MEMBER_MAIL_GAP_MS) return false;
  return recentSends(item, at).length < ASKS_PER_DAY;
}

/** The sends of the last day an item records (`detail.recent`, instants separated by spaces). */
function recentSends(item: LedgerItem | undefined, at: number): string[] {
  const recent = item?.sent?.detail?.recent;
  if (typeof recent !== 'string') return [];
  return recent.split(' ').filter((instant) => at - Date.parse(instant) < DAY_MS);
}
