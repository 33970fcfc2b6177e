/**
 * Rebuild: replay every stream of the event table into read models. The result equals what
 * incremental projection produced, because both are the same fold of each whole stream.
 */
import { ScanCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { EVENT_STREAM_ID, EVENT_VERSION } from '../../infra/tables.js';
import { projectStream, type ProjectorDeps } from './project-stream.js';
import { mapLimited } from '../map-limited.js';

/** Every stream id in the event table (a Scan for the first event of each stream). */
export async function allStreamIds(client: DynamoDBDocumentClient, eventsTable: string, segments = 4): Promise<string[]> {
  const ids: string[] = [];
  await Promise.all(
    Array.from({ length: segments }, async (_, segment) => {
      let ExclusiveStartKey: Record<string, unknown> | undefined;
      do {
        const page = await client.send(
          new ScanCommand({
            TableName: eventsTable,
            Segment: segment,
            TotalSegments: segments,
            ProjectionExpression: '#s',
            FilterExpression: '#v = :one',
            ExpressionAttributeNames: { '#s': EVENT_STREAM_ID, '#v': EVENT_VERSION },
            ExpressionAttributeValues: { ':one': 1 },
            ExclusiveStartKey,
          }),
        );
        for (const item of page.Items ?? []) ids.push(String(item[EVENT_STREAM_ID]));
        ExclusiveStartKey = page.LastEvaluatedKey;
      } while (ExclusiveStartKey);
    }),
  );
  return ids.sort();
}

export interface RebuildReport {
  readonly streams: number;
  readonly projected: number;
  readonly milliseconds: number;
}

export async function rebuildReadModels(
  deps: ProjectorDeps & { readonly client: DynamoDBDocumentClient; readonly eventsTable: string },
  concurrency = 16,
): Promise<RebuildReport> {
  const started = performance.now();
  const ids = await allStreamIds(deps.client, deps.eventsTable);
  const outcomes = await mapLimited(ids, concurrency, (id) => projectStream(deps, id));
  const projected = outcomes.filter((o) => o === 'projected').length;
  return { streams: ids.length, projected, milliseconds: Math.round(performance.now() - started) };
}
