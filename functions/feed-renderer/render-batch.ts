/**
 * One batch of stream records -> the feeds they ask for, each rendered once, at most
 * RENDERS_IN_FLIGHT at a time. Failure is per feed: a feed that cannot be rendered fails the
 * records that asked for it (a partial batch response), every other feed is written.
 */
import type { DynamoDBBatchResponse, DynamoDBRecord } from 'aws-lambda';
import type { ReadModelStore } from '../read-models/read-model-store.js';
import type { FeedTokenHashes } from '../adapters/members/feed-token-hashes.js';
import { mapLimited } from '../map-limited.js';
import { currentReads } from './current-reads.js';
import type { FeedRenderer, RenderOutcome } from './render-feeds.js';
import { feedTargets } from './stream-targets.js';

const RENDERS_IN_FLIGHT = 16;

export interface RenderBatchDeps {
  readonly readModels: ReadModelStore;
  readonly tokens: FeedTokenHashes;
  readonly render: FeedRenderer;
  readonly log?: (level: 'debug' | 'error', message: string, detail: Record<string, unknown>) => void;
}

export interface BatchReport {
  readonly rendered: { readonly feed: string; readonly outcome: RenderOutcome }[];
  readonly failed: { readonly feed: string; readonly reason: string }[];
}

export async function renderBatch(deps: RenderBatchDeps, records: readonly DynamoDBRecord[]): Promise<DynamoDBBatchResponse & { report: BatchReport }> {
  const targets = feedTargets(records);
  const reads = currentReads(deps.readModels);
  const failedRecords = new Set<string>();
  const report: { rendered: BatchReport['rendered'][number][]; failed: BatchReport['failed'][number][] } = { rendered: [], failed: [] };
  const attempt = async <T>(feed: string, asked: readonly string[], work: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await work();
    } catch (error) {
      asked.forEach((r) => failedRecords.add(r));
      const reason = error instanceof Error ? error.message : String(error);
      report.failed.push({ feed, reason });
      deps.log?.('error', 'a feed could not be rendered: its records fail and are delivered again', { feed, reason });
      return undefined;
    }
  };

  // Who a new token belongs to, and who is on the rosters that changed.
  const members = new Map(targets.members);
  const join = (memberId: string, asked: readonly string[]) => members.set(memberId, [...(members.get(memberId) ?? []), ...asked]);
  await Promise.all([
    ...[...targets.tokens].map(([hash, asked]) =>
      attempt('token', asked, async () => {
        const memberId = await deps.tokens.memberOfHash(hash);
        if (memberId) join(memberId, asked);
      }),
    ),
    ...[...targets.rosters].map(([seriesId, { always, records: asked }]) =>
      attempt(`roster ${seriesId}`, asked, async () => {
        if (!always) {
          const schedule = await reads.schedule(seriesId);
          if (!schedule?.doc.sessions.some((s) => s.capacity !== undefined)) return;
        }
        for (const entry of await reads.roster(seriesId)) join(entry.memberId, asked);
      }),
    ),
  ]);

  const jobs: { feed: string; asked: readonly string[]; run: () => Promise<RenderOutcome> }[] = [
    ...[...targets.forgotten].map(([hash, asked]) => ({ feed: 'forgotten token', asked, run: () => deps.render.forgetToken(hash) })),
    ...[...targets.series].map(([seriesId, asked]) => ({ feed: `series ${seriesId}`, asked, run: () => deps.render.series(reads, seriesId) })),
    ...[...members].map(([memberId, asked]) => ({ feed: `member ${memberId}`, asked, run: () => deps.render.member(reads, memberId) })),
  ];
  await mapLimited(jobs, RENDERS_IN_FLIGHT, async (job) => {
    const outcome = await attempt(job.feed, job.asked, job.run);
    if (outcome) report.rendered.push({ feed: job.feed, outcome });
  });
  deps.log?.('debug', 'feeds rendered', { records: records.length, feeds: report.rendered.length, failed: report.failed.length });
  return { batchItemFailures: [...failedRecords].map((itemIdentifier) => ({ itemIdentifier })), report };
}
