/**
 * A benchmark's load generator, in a process of its own (./load-process.ts starts it), so the
 * system measured does not share its event loop with its clients. Reads one job as JSON from
 * argv, runs it with `concurrency` clients, prints one line of JSON: the throughput and the
 * HTTP statuses seen.
 *
 * - `register`: POST /series/{id}/registrations of `n` addresses `${prefix}${i}@example.org`;
 * - `putEvent`: the conditional PutItem of the event item one registration appends, raw (the
 *   baseline), through the same AWS SDK client a handler uses.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { EVENT_STREAM_ID, EVENT_VERSION } from '../../functions/tables.js';
import { LOCAL_CREDENTIALS } from '../../infra/local/clients.js';
import { measure } from './measure.js';
import type { LoadJob, LoadResult } from './load-process.js';

async function run(job: LoadJob): Promise<LoadResult> {
  const statuses: Record<string, number> = {};
  if (job.kind === 'register') {
    const throughput = await measure(job.n, job.concurrency, async (i) => {
      const email = `${job.prefix}${i}@example.org`;
      const res = await fetch(`${job.url}/series/${job.seriesId}/registrations`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email, name: `Member ${i}`, language: i % 2 ? 'es' : 'en', timeZone: 'America/Bogota', sessions: job.sessions }),
      });
      await res.arrayBuffer();
      statuses[res.status] = (statuses[res.status] ?? 0) + 1;
    });
    return { ...throughput, statuses };
  }
  const doc = DynamoDBDocumentClient.from(new DynamoDBClient({ region: job.region, endpoint: job.endpoint, credentials: LOCAL_CREDENTIALS, maxAttempts: 1 }));
  const throughput = await measure(job.n, job.concurrency, async (i) => {
    const streamId = `${job.prefix}${i}`;
    await doc.send(
      new PutCommand({
        TableName: job.table,
        Item: {
          [EVENT_STREAM_ID]: streamId,
          [EVENT_VERSION]: 1,
          eventId: crypto.randomUUID(),
          type: 'RegistrationRequested',
          schemaVersion: 1,
          data: { memberId: streamId, seriesId: job.seriesId, registrationId: crypto.randomUUID(), sessions: job.sessions, language: 'en', timeZone: 'Asia/Kolkata', source: 'self-service' },
          recordedAt: new Date().toISOString(),
          actor: { kind: 'member', id: streamId },
          correlationId: 'bench',
          causationId: 'bench',
        },
        ConditionExpression: `attribute_not_exists(${EVENT_STREAM_ID})`,
      }),
    );
    statuses.put = (statuses.put ?? 0) + 1;
  });
  doc.destroy();
  return { ...throughput, statuses };
}

const job = JSON.parse(process.argv[2] ?? '') as LoadJob;
run(job).then(
  (result) => {
    process.stdout.write(`${JSON.stringify(result)}\n`);
    process.exit(0);
  },
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  },
);
