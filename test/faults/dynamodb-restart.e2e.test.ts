/**
 * DynamoDB stopped and restarted under load. The API runs on a DynamoDB Local of this file's
 * own, with its data on disk; clients register members and organisers schedule, move and
 * cancel sessions (with Idempotency-Key) concurrently. Mid-load the DynamoDB Local process is
 * killed (SIGKILL, by pid: no chance to finish anything), kept down a few seconds, and started
 * again on the same port and data directory. The same API process, never restarted, must:
 * answer 503 storage-unavailable with Retry-After (problem+json) while it is down and never a
 * 500; serve again by itself; and have written nothing by halves: every stream gap-free, every
 * command with all its events or none, no retried key applied twice, the member directory
 * consistent, and every request answered 2xx in effect.
 *
 * One thing the stand-in does not promise: DynamoDB Local (SQLite underneath) can roll back
 * writes it acknowledged in the last moments before a SIGKILL. Measured with the raw SDK and
 * 10-40 concurrent writers: in 6 of 33 kills the last acknowledged write (answered between
 * 8 ms before the signal and 5 ms after it) was gone after the restart, a hot `-journal` file
 * rolled back on open; with one writer at a time nothing was ever lost. AWS DynamoDB acknowledges only
 * durable writes. So here an answer given within LOSS_WINDOW_MS of the kill may have no effect,
 * and then none of it (all or nothing still holds), and requests that build on it (moving a
 * session whose scheduling was rolled back) get the 404 a user would; everything answered
 * earlier must have its effect, and the test reports how many answers the stand-in dropped.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memberStreamId } from '../../events/member/index.js';
import { documentClient } from '../../functions/adapters/dynamodb-client.js';
import { normaliseEmail, sha256 } from '../../functions/adapters/members/member-directory.js';
import { organiserIdempotencyKey } from '../../functions/api/series-command.js';
import { LOCAL_CREDENTIALS } from '../../infra/local/clients.js';
import { createTables } from '../../infra/local/create-tables.js';
import { startDynamoDbLocal, type DynamoDbLocal } from '../../infra/local/dynamodb-local.js';
import { freePort } from '../../infra/local/free-port.js';
import { EVENT_STREAM_ID, EVENT_VERSION, IDEMPOTENCY_KEY, MEMBER_PK, eventTable, idempotencyTable, intakeTable, localTableNames, membersTable } from '../../functions/tables.js';
import { createRegistrationIntake, requestFromItem } from '../../functions/adapters/intake/registration-intake.js';
import { takeRegistrationRequest } from '../../functions/intake/take-request.js';
import { memberEvents } from '../../functions/adapters/event-store/category-stores.js';
import { buildTestApp, closeServer, requestApi, type ApiResponse, type RequestOptions, type TestApp } from '../support/api-app.js';
import { clients } from '../support/local.js';
import { careRequest } from '../support/seed-requests.js';

const names = localTableNames('restart');
const DOWN_MS = 3_000;
/** Clients here retry a 503 after this, not the 5 s Retry-After: more requests land in the outage. */
const RETRY_MS = 150;
const ORGANISERS = 4;
const REGISTRANTS = 6;
/** Answers given this close before the kill may be rolled back by DynamoDB Local (see above). */
const LOSS_WINDOW_MS = 1_000;

let dataDir = '';
let port = 0;
let dynamodb: DynamoDbLocal | undefined;
let client: DynamoDBClient;
let app: TestApp;
let server: Server | undefined;

/**
 * This file's DynamoDB Local on `port` and `dataDir`, with the JVM's temp folder in `dataDir`
 * too: a JVM killed by SIGKILL leaves the SQLite library it unpacked (libsqlite4java.so) in its
 * temp folder (the system's, /tmp, whatever TMPDIR says), and this one goes with `dataDir`.
 */
async function startOwnDynamoDb(): Promise<DynamoDbLocal> {
  const jvmTmp = join(dataDir, 'jvm-tmp');
  await mkdir(jvmTmp, { recursive: true });
  const saved = process.env.JAVA_TOOL_OPTIONS;
  process.env.JAVA_TOOL_OPTIONS = [saved, `-Djava.io.tmpdir=${jvmTmp}`].filter(Boolean).join(' ');
  try {
    return await startDynamoDbLocal({ port, path: dataDir, startTimeoutMs: 60_000 });
  } finally {
    if (saved === undefined) delete process.env.JAVA_TOOL_OPTIONS;
    else process.env.JAVA_TOOL_OPTIONS = saved;
  }
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'convene-dynamodb-restart-'));
  port = await freePort();
  dynamodb = await startOwnDynamoDb();
  // The SDK's defaults, as the API Lambda has them (3 attempts): nothing tuned for the test.
  client = new DynamoDBClient({ region: 'us-east-1', credentials: LOCAL_CREDENTIALS, endpoint: dynamodb.endpoint });
  await createTables(client, names);
  app = await buildTestApp({ dynamodb: client, ses: clients().ses, names });
  server = await app.listen();
}, 120_000);

afterAll(async () => {
  // The JVM first: if the test failed mid-load its clients are still sending, and closing the
  // server would wait for them (the hook then timed out and left DynamoDB Local running).
  await dynamodb?.stop();
  server?.closeAllConnections();
  await closeServer(server);
  client?.destroy();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

interface Attempt {
  readonly intent: string;
  readonly requestId: string;
  readonly started: number;
  readonly ended: number;
  readonly response: ApiResponse | { status: 'network-error'; error: string };
}

/** What one client wants done, sent again (same Idempotency-Key, new X-Request-Id) while the answer is 503. */
interface Intent {
  readonly id: string;
  readonly kind: 'schedule' | 'reschedule' | 'cancel' | 'register';
  readonly method: string;
  readonly path: string;
  readonly body: unknown;
  readonly key?: string;
  /** The schedule intent whose session this one moves or cancels. */
  readonly after?: string;
  final?: ApiResponse;
  /** When the final answer arrived. */
  answeredAt?: number;
}

describe('DynamoDB Local killed and restarted under load', () => {
  it('answers 503 + Retry-After while down, serves again by itself, and nothing is half-written or lost', { timeout: 180_000 }, async () => {
    const tag = crypto.randomUUID().slice(0, 8);
    const send = (method: string, path: string, options?: RequestOptions) => requestApi(app.url, app.organiserToken, method, path, options);
    const created = async (body: unknown) => {
      const res = await send('POST', '/admin/series', { body, headers: { 'idempotency-key': `create-${crypto.randomUUID()}` } });
      expect(res.status).toBe(201);
      return res.body.id as string;
    };
    const organiserSeries = await Promise.all(Array.from({ length: ORGANISERS }, (_, w) => created({ ...careRequest, title: { en: `Restart ${tag} organiser ${w}` } })));
    const openSeries = await created({ ...careRequest, title: { en: `Restart ${tag} open` } });
    expect((await send('POST', `/admin/series/${openSeries}/sessions`, { body: { title: { en: 'Open lecture' }, start: '2027-06-06T15:00', durationMinutes: 60 } })).status).toBe(201);

    const attempts: Attempt[] = [];
    const intents: Intent[] = [];
    const clock = { killing: Infinity, killed: Infinity, restarting: Infinity, restarted: Infinity };
    let stopping = false;

    /** Sends the intent until the answer is not a 503 (or the API cannot be reached at all). */
    const carryOut = async (intent: Intent): Promise<ApiResponse | undefined> => {
      intents.push(intent);
      for (let n = 0; ; n++) {
        const requestId = `${intent.id}.${n}`;
        const started = Date.now();
        const headers: Record<string, string> = { 'x-request-id': requestId, ...(intent.key ? { 'idempotency-key': intent.key } : {}) };
        const response = await send(intent.method, intent.path, { body: intent.body, headers, ...(intent.kind === 'register' ? { token: null } : {}) }).catch(
          (error: unknown) => ({ status: 'network-error' as const, error: String(error) }),
        );
        attempts.push({ intent: intent.id, requestId, started, ended: Date.now(), response });
        if (response.status === 'network-error') return undefined;
        if (response.status !== 503) {
          intent.answeredAt = Date.now();
          return (intent.final = response);
        }
        if (Date.now() - clock.restarted > 30_000) return undefined; // gave up (asserted below)
        await new Promise((r) => setTimeout(r, RETRY_MS));
      }
    };

    const organiser = async (w: number) => {
      const seriesId = organiserSeries[w]!;
      for (let i = 0; !stopping; i++) {
        const id = `o${w}-${i}`;
        const day = String(1 + (i % 28)).padStart(2, '0');
        const scheduled = await carryOut({
          id: `${id}-schedule`,
          kind: 'schedule',
          method: 'POST',
          path: `/admin/series/${seriesId}/sessions`,
          body: { title: { en: `Lecture ${id}` }, start: `2027-09-${day}T15:00`, durationMinutes: 60 },
          key: `${tag}-${id}-schedule`,
        });
        const sessionId = scheduled?.status === 201 ? (scheduled.body.sessionId as string) : undefined;
        if (!sessionId) continue;
        // Two events in one command (moved and retitled): the all-or-none check has something to split.
        await carryOut({
          id: `${id}-reschedule`,
          kind: 'reschedule',
          method: 'PATCH',
          path: `/admin/series/${seriesId}/sessions/${sessionId}`,
          body: { start: `2027-10-${day}T16:00`, title: { en: `Lecture ${id}, moved` } },
          key: `${tag}-${id}-reschedule`,
          after: `${id}-schedule`,
        });
        if (i % 3 === 2) {
          await carryOut({
            id: `${id}-cancel`,
            kind: 'cancel',
            method: 'POST',
            path: `/admin/series/${seriesId}/sessions/${sessionId}/cancel`,
            body: { reason: `Cancelled ${id}` },
            key: `${tag}-${id}-cancel`,
            after: `${id}-schedule`,
          });
        }
      }
    };

    const registrant = async (w: number) => {
      for (let i = 0; !stopping; i++) {
        const email = `r${w}-${i}-${tag}@example.org`;
        await carryOut({
          id: `r${w}-${i}`,
          kind: 'register',
          method: 'POST',
          path: `/series/${openSeries}/registrations`,
          body: { email, name: `Member ${w}.${i}`, language: 'en', timeZone: 'Asia/Kolkata', sessions: 'all' },
        });
      }
    };

    const successes = () => attempts.filter((a) => typeof a.response.status === 'number' && a.response.status < 300).length;
    const until = async (condition: () => boolean, timeoutMs: number, what: string) => {
      const deadline = Date.now() + timeoutMs;
      while (!condition()) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
        await new Promise((r) => setTimeout(r, 25));
      }
    };

    const load = Promise.all([...Array.from({ length: ORGANISERS }, (_, w) => organiser(w)), ...Array.from({ length: REGISTRANTS }, (_, w) => registrant(w))]);
    await until(() => successes() >= 40, 30_000, 'load before the kill');

    // Kill it mid-load: SIGKILL gives DynamoDB Local no chance to finish what it was doing.
    const beforeKill = successes();
    clock.killing = Date.now();
    process.kill(dynamodb!.pid, 'SIGKILL');
    await dynamodb!.stop(); // resolves once the JVM has exited
    dynamodb = undefined;
    clock.killed = Date.now();
    await new Promise((r) => setTimeout(r, DOWN_MS));

    clock.restarting = Date.now();
    dynamodb = await startOwnDynamoDb();
    clock.restarted = Date.now();
    await until(() => attempts.some((a) => a.started >= clock.restarted && typeof a.response.status === 'number' && a.response.status < 300), 15_000, 'the API to serve again');
    const firstServed = Math.min(...attempts.filter((a) => a.started >= clock.restarted && a.response.status !== 503).map((a) => a.ended)) - clock.restarted;
    const afterRestart = successes();
    await until(() => successes() >= afterRestart + 40, 30_000, 'load after the restart');
    stopping = true;
    await load;
    // The intake takes the requests kept (on AWS from the intake table's stream, retried across
    // an outage like this one; here, once DynamoDB is back, every item the table holds).
    await takeEveryKeptRequest();

    // While down: every answer a 503 storage-unavailable with Retry-After, as problem+json.
    const whileDown = attempts.filter((a) => a.started >= clock.killed && a.ended <= clock.restarting);
    expect(whileDown.length).toBeGreaterThan(ORGANISERS + REGISTRANTS);
    for (const a of whileDown) {
      const res = a.response as ApiResponse;
      expect({ id: a.requestId, status: res.status, type: res.body?.type, retryAfter: res.headers?.get('retry-after'), contentType: res.headers?.get('content-type') }).toEqual({
        id: a.requestId,
        status: 503,
        type: expect.stringContaining('storage-unavailable'),
        retryAfter: '5',
        contentType: expect.stringContaining('application/problem+json'),
      });
    }
    // Ever: no 500, no dropped connection, every 503 says when to come back.
    const statuses = new Map<string | number, number>();
    for (const a of attempts) statuses.set(a.response.status, (statuses.get(a.response.status) ?? 0) + 1);
    expect(attempts.filter((a) => a.response.status === 'network-error' || (a.response.status >= 500 && a.response.status !== 503))).toEqual([]);
    expect(attempts.filter((a) => a.response.status === 503 && !(a.response as ApiResponse).headers.get('retry-after'))).toEqual([]);

    const report = await stateOfTheStore();
    const eventsBefore = report.events.length;
    const byIntent = new Map<string, StoredEvent[]>();
    for (const e of report.events) {
      const intent = e.correlationId.replace(/\.\d+$/, '');
      byIntent.set(intent, [...(byIntent.get(intent) ?? []), e]);
    }

    // Answers DynamoDB Local rolled back (see the top of the file): only ones given just before
    // the kill, at most one per client, and the requests built on them refused as a user would be.
    const dropped = new Set(intents.filter((i) => i.final !== undefined && i.final.status < 300 && !byIntent.has(i.id)).map((i) => i.id));
    const builtOnDropped = (i: Intent) => i.after !== undefined && dropped.has(i.after) && !dropped.has(i.id);
    for (const i of intents.filter((i) => dropped.has(i.id))) {
      expect({ id: i.id, answeredBeforeKillMs: clock.killing - i.answeredAt! }).toEqual({ id: i.id, answeredBeforeKillMs: expect.toSatisfy((ms: number) => ms <= LOSS_WINDOW_MS) });
      expect(i.answeredAt!, i.id).toBeLessThanOrEqual(clock.killed);
    }
    expect(dropped.size).toBeLessThanOrEqual(ORGANISERS + REGISTRANTS);
    for (const i of intents.filter(builtOnDropped)) expect([i.id, i.final?.status, i.final?.body?.type]).toEqual([i.id, 404, expect.stringContaining('not-found')]);
    const withoutEffect = (i: Intent) => dropped.has(i.id) || builtOnDropped(i);
    // Every other intent done.
    expect(intents.filter((i) => !withoutEffect(i) && (i.final === undefined || i.final.status >= 300)).map((i) => [i.id, i.final?.status, i.final?.text])).toEqual([]);

    // Gap-free: each stream holds versions 1..n.
    for (const [streamId, versions] of report.streams) expect(versions, streamId).toEqual(versions.map((_, i) => i + 1));

    // All or none, and no key applied twice: the events of each intent came from one attempt,
    // are contiguous in one stream, and are exactly what the command decides.
    const expectedTypes: Record<Intent['kind'], string[]> = {
      schedule: ['SessionScheduled'],
      reschedule: ['SessionRescheduled', 'SessionDetailsChanged'],
      cancel: ['SessionCancelled'],
      register: ['RegistrationRequested'],
    };
    for (const intent of intents) {
      if (withoutEffect(intent)) {
        expect(byIntent.get(intent.id) ?? [], `${intent.id}: none of its events`).toEqual([]);
        continue;
      }
      const events = (byIntent.get(intent.id) ?? []).sort((a, b) => a.version - b.version);
      expect(new Set(events.map((e) => e.correlationId)).size, `${intent.id}: one attempt wrote`).toBe(1);
      expect(new Set(events.map((e) => e.streamId)).size, `${intent.id}: one stream`).toBe(1);
      expect(events.map((e) => e.version), `${intent.id}: contiguous`).toEqual(events.map((_, i) => events[0]!.version + i));
      expect(events.map((e) => e.type), `${intent.id}: all its events`).toEqual(expectedTypes[intent.kind]);
    }
    // Each idempotency record covers exactly the events of one command.
    for (const record of report.idempotency) {
      const events = report.events.filter((e) => e.streamId === record.streamId && e.version > record.fromVersion && e.version <= record.toVersion);
      expect(events.length, record.key).toBe(record.toVersion - record.fromVersion);
      expect(new Set(events.map((e) => e.correlationId)).size, record.key).toBe(1);
      expect(report.events.filter((e) => e.correlationId === events[0]!.correlationId).length, record.key).toBe(events.length);
    }
    // Records are keyed by a hash of (organiser, Idempotency-Key): map each back to the key sent.
    const organiserId = decodeJwt(app.organiserToken).sub!;
    const keyOfRecord = new Map(intents.flatMap((i) => (i.key ? [[organiserIdempotencyKey(organiserId, i.key), i.key] as const] : [])));
    const recordedKeys = report.idempotency.flatMap((r) => (keyOfRecord.has(r.key) ? [keyOfRecord.get(r.key)!] : []));
    expect(recordedKeys.sort()).toEqual(intents.flatMap((i) => (i.key && !withoutEffect(i) ? [i.key] : [])).sort());

    // The member directory: each address claimed once, by a member record of that address, and
    // every member record reachable through its address (the two are written in one transaction).
    const records = new Map(report.members.filter((m) => m.pk.startsWith('member#')).map((m) => [m.pk.slice('member#'.length), m]));
    const claims = report.members.filter((m) => m.pk.startsWith('email#'));
    for (const claim of claims) {
      const member = records.get(String(claim.memberId));
      expect(member, claim.pk).toBeDefined();
      expect(`email#${sha256(normaliseEmail(String(member!.email)))}`).toBe(claim.pk);
    }
    const claimed = new Set(claims.map((c) => String(c.memberId)));
    const unreachable = [...records.keys()].filter((id) => !claimed.has(id));
    expect(unreachable, 'member records without their address claim').toEqual([]);
    for (const streamId of report.streams.keys()) {
      if (streamId.startsWith('member-')) expect(claimed.has(streamId.slice('member-'.length)), streamId).toBe(true);
    }
    // Every registration answered 202 is a member of its address with the registration recorded once.
    const registrations = intents.filter((i) => i.kind === 'register');
    for (const intent of registrations.filter((i) => !withoutEffect(i))) {
      const { email } = intent.body as { email: string };
      const memberId = await app.members.memberIdForEmail(email);
      expect(memberId, email).toBeDefined();
      const requested = report.events.filter((e) => e.streamId === memberStreamId(memberId!) && e.type === 'RegistrationRequested');
      expect(requested.map((e) => e.correlationId.replace(/\.\d+$/, '')), email).toEqual([intent.id]);
    }

    // Every organiser request answered 2xx, sent again with its key: the first answer, nothing appended.
    for (const intent of intents.filter((i) => i.key && !withoutEffect(i))) {
      const again = await send(intent.method, intent.path, { body: intent.body, headers: { 'idempotency-key': intent.key! } });
      expect([intent.id, again.status, again.headers.get('idempotent-replayed')]).toEqual([intent.id, intent.final!.status, 'true']);
      if (intent.kind === 'schedule') expect(again.body.sessionId).toBe(intent.final!.body.sessionId);
    }
    expect((await stateOfTheStore()).events.length).toBe(eventsBefore);

    console.log(
      `dynamodb restart: ${intents.length} requests (${registrations.length} registrations), ${attempts.length} attempts, ` +
        `${beforeKill} answered 2xx before the kill (${dropped.size} of them rolled back by DynamoDB Local), ${whileDown.length} while down (all 503), statuses ${JSON.stringify(Object.fromEntries(statuses))}; ` +
        `restart took ${clock.restarted - clock.restarting} ms, first answer ${firstServed} ms after; ` +
        `${report.events.length} events in ${report.streams.size} streams`,
    );
  });
});

interface StoredEvent {
  streamId: string;
  version: number;
  type: string;
  correlationId: string;
}

/** Everything written, read back from the restarted DynamoDB Local (consistent scans). */
/** What the intake does for each kept registration request, for every item of the intake table. */
async function takeEveryKeptRequest() {
  const doc = documentClient(client);
  const intake = createRegistrationIntake(doc, names[intakeTable.id]!);
  const { Items = [] } = await doc.send(new ScanCommand({ TableName: names[intakeTable.id], ConsistentRead: true }));
  for (const item of Items) {
    await takeRegistrationRequest({ store: memberEvents(app.store), members: app.members, intake }, requestFromItem(item));
  }
}

async function stateOfTheStore() {
  const doc = documentClient(client);
  const scan = async (table: string) => {
    const items: Record<string, any>[] = [];
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const page = await doc.send(new ScanCommand({ TableName: table, ConsistentRead: true, ExclusiveStartKey }));
      items.push(...(page.Items ?? []));
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    return items;
  };
  const events: StoredEvent[] = (await scan(names[eventTable.id]!)).map((item) => ({
    streamId: String(item[EVENT_STREAM_ID]),
    version: Number(item[EVENT_VERSION]),
    type: String(item.type),
    correlationId: String(item.correlationId),
  }));
  const streams = new Map<string, number[]>();
  for (const e of events) streams.set(e.streamId, [...(streams.get(e.streamId) ?? []), e.version]);
  for (const versions of streams.values()) versions.sort((a, b) => a - b);
  const idempotency = (await scan(names[idempotencyTable.id]!)).map((item) => ({
    key: String(item[IDEMPOTENCY_KEY]),
    streamId: String(item.streamId),
    fromVersion: Number(item.fromVersion),
    toVersion: Number(item.toVersion),
  }));
  const members = (await scan(names[membersTable.id]!)).map((item) => ({ pk: String(item[MEMBER_PK]), memberId: String(item.memberId), email: String(item.email) }));
  return { events, streams, idempotency, members };
}
