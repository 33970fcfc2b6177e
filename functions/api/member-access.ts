/**
 * What the routes a member opens from a mail share: their signed links read and made, their
 * stream read and commanded as the member, the series they name, and answers that are a page
 * for a person or JSON for a program, never stored by a cache (they carry links and tokens).
 */
import type { Context } from 'hono';
import type { Child } from 'hono/jsx';
import { memberDecider, memberStreamId, type MemberCommand, type MemberState } from '../../events/member/index.js';
import type { ConveneEvent } from '../../events/registry.js';
import type { ActiveSeries } from '../../events/series/index.js';
import { fold } from '../../events/shared/decider.js';
import { memberEvents, seriesEvents } from '../adapters/event-store/category-stores.js';
import type { EventStore } from '../adapters/event-store/event-store.js';
import { handleCommand } from '../commands/command-handler.js';
import { memberLinks } from '../links/member-links.js';
import { describeSessionTime } from '../mail/format-time.js';
import { pickText } from '../feeds/ical.js';
import { pageHtml } from '../pages/layout.js';
import type { SessionLine } from '../pages/member-pages.js';
import type { TokenSigner } from '../security/signed-token.js';
import { signedLinkReader } from './signed-link.js';
import { cachedSeriesLoader } from './routes/series-stream.js';

export interface MemberAccessDeps {
  readonly store: EventStore<ConveneEvent>;
  readonly signer: TokenSigner;
  readonly baseUrl: string;
  readonly clock?: () => Date;
  readonly newId?: () => string;
}

export function memberAccess(deps: MemberAccessDeps) {
  const clock = deps.clock ?? (() => new Date());
  const newId = deps.newId ?? (() => crypto.randomUUID());
  const memberStore = memberEvents(deps.store);
  const loadSeries = cachedSeriesLoader(seriesEvents(deps.store));
  return {
    clock,
    newId,
    links: memberLinks(deps.signer, deps.baseUrl),
    readLink: signedLinkReader(deps.signer, clock),
    loadSeries,
    /** A command of the member's own, through a link mailed to them. */
    run: (c: Context, memberId: string, command: MemberCommand) =>
      handleCommand({
        store: memberStore,
        decider: memberDecider,
        streamId: memberStreamId(memberId),
        command,
        context: { actor: { kind: 'member', id: memberId }, correlationId: requestIdOf(c) ?? newId(), now: clock },
      }),
    /** The member's stream as it stands (read, not a read model: a page acts on what is true now). */
    async state(memberId: string): Promise<MemberState> {
      return fold(memberDecider, await memberStore.read(memberStreamId(memberId)));
    },
  };
}

export type MemberAccess = ReturnType<typeof memberAccess>;

/** A page for a person, never kept by a cache. */
export function page(c: Context, node: Child, status: 200 | 202 | 404 | 410 | 422 = 200) {
  c.header('Cache-Control', 'no-store');
  return c.html(pageHtml(node), status);
}

/** JSON for a program, never kept by a cache. */
export function json(c: Context, body: unknown, status: 200 | 201 | 202 = 200) {
  c.header('Cache-Control', 'no-store');
  return c.json(body, status);
}

/** A series' title in a language (else its first language's). */
export function seriesTitle(series: Pick<ActiveSeries, 'title' | 'languages' | 'seriesId'>, language: string): string {
  return pickText(series.title, language, series.languages) ?? series.seriesId;
}

/** Sessions of a series, in order, as a page lists them for a member in their zone. */
export function sessionLines(series: ActiveSeries, selection: 'all' | readonly string[], language: string, zone: string): (SessionLine & { sessionId: string })[] {
  return Object.values(series.sessions)
    .filter((s) => s.status === 'scheduled' && (selection === 'all' || selection.includes(s.sessionId)))
    .sort((a, b) => a.startsAt.localeCompare(b.startsAt))
    .map((s) => ({ sessionId: s.sessionId, title: pickText(s.title, language, series.languages) ?? s.sessionId, when: describeSessionTime(s, zone, language) }));
}

function requestIdOf(c: Context): string | undefined {
  return (c.get as (key: string) => unknown)('requestId') as string | undefined;
}
