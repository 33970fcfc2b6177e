/**
 * `npm start`: the whole local stack with demo data, kept under .local/ (git-ignored), and
 * the API and health page on one port. Ctrl-C stops everything this process started.
 */
import { randomBytes } from 'node:crypto';
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { join, resolve } from 'node:path';
import { serve } from '@hono/node-server';
import { conveneEventStore } from '../../functions/adapters/event-store/index.js';
import { documentClient } from '../../functions/adapters/dynamodb-client.js';
import { createApi } from '../../functions/api/app.js';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { createReadModelStore } from '../../functions/read-models/read-model-store.js';
import { batchedFeedReads, feedTablesOf } from '../../functions/read-models/member-feed-reads.js';
import { createProjectorHandler } from '../../functions/projector/handler.js';
import { rebuildReadModels } from '../../functions/projector/rebuild.js';
import { deliveryTable, eventTable, idempotencyTable, intakeTable, membersTable, readModelTable, tableEnvironment } from '../../functions/tables.js';
import { createRegistrationIntake } from '../../functions/adapters/intake/registration-intake.js';
import { startIntakePoller } from './intake-poller.js';
import { createRateLimitCounter } from '../../functions/adapters/rate-limits/rate-limit-counter.js';
import { createFailureReader } from '../../functions/adapters/deliveries/delivery-failures.js';
import { createMemberDirectory } from '../../functions/adapters/members/member-directory.js';
import { createManageAttempts } from '../../functions/adapters/members/manage-attempts.js';
import { createTokenSigner } from '../../functions/security/signed-token.js';
import { LOCAL_CREDENTIALS, localClients, localFeedRemover } from './clients.js';
import { startStreamPoller, type StreamPoller } from './stream-poller.js';
import { CARE_SERIES_ID, DIALOGUE_SERIES_ID, seedDemoData } from './demo-data.js';
import { memberLinks } from '../../functions/links/member-links.js';
import { healthRoutes } from './health-page.js';
import { loadOrCreateSigningKey, localTokenVerifier, mintOrganiserToken } from './organiser-token.js';
import { startLocalStack } from './stack.js';
import { dispatcherFromEnvironment } from '../../functions/dispatcher/environment.js';
import { MAIL_SEND_RATE_ENV } from '../../functions/dispatcher/send-rate.js';
import { MAIL_FROM_ENV, PUBLIC_BASE_URL_ENV, SIGNING_SECRETS_ENV } from '../../functions/api/route-table.js';
import { createRecordingStore } from '../../functions/adapters/recordings/recording-store.js';
import { createArchiver } from '../../functions/archiver/archive.js';
import { createPublisher } from '../../functions/publisher/publish.js';
import { startLocalFeedRenderer } from './feed-renderer.js';
import { feedEdge } from './feed-edge.js';
import { removingRotatedFeeds } from '../../functions/adapters/feeds/rotated-feeds.js';
import { createInboundMailStore } from '../../functions/adapters/inbound-mail/inbound-mail-store.js';
import { createInboundMailHandler } from '../../functions/inbound/take-reply.js';
import { LOCAL_REPLY_DOMAIN, REPLY_DOMAIN_ENV, replyAddresses } from '../../functions/inbound/reply-address.js';

const port = (name: string, fallback: number) => Number(process.env[name] ?? fallback);

/** The log function the background handlers take, printing to this terminal under their name. */
const consoleLog =
  (name: string) =>
  (level: 'info' | 'warn' | 'error', message: string, detail?: Record<string, unknown>): void =>
    console.log(`${name} ${level}: ${message}`, detail ? JSON.stringify(detail) : '');

async function main() {
  const dataDir = resolve(process.env.CONVENE_DATA_DIR ?? '.local');
  const started = Date.now();
  // S3 notifications reach the archiver once it exists (below); none can come before the API is up.
  let archiver: ReturnType<typeof createArchiver> | undefined;
  let inbound: ReturnType<typeof createInboundMailHandler> | undefined;
  const stack = await startLocalStack({
    // Received mail (`npm run mail:reply FILE` drops one), as SES receiving stores it and S3 invokes the Lambda.
    onInboundMail: (event) => {
      void inbound?.handle(event).then(
        (reports) => reports.forEach((r) => console.log(`inbound mail: ${r.outcome} ${r.key}${r.answer ? ` (${r.answer})` : ''}${r.reason ? ` (${r.reason})` : ''}`)),
        (error: unknown) => console.error('inbound mail failed:', error),
      );
    },
    dataDir,
    onS3Event: (event) => {
      void archiver?.handle(event).then(
        (reports) => reports.forEach((r) => console.log(`archiver: ${r.outcome} ${r.key}${r.reason ? ` (${r.reason})` : ''}`)),
        (error: unknown) => console.error('archiver failed:', error),
      );
    },
    ports: { dynamodb: port('CONVENE_DYNAMODB_PORT', 8000), ses: port('CONVENE_SES_PORT', 8005), s3: port('CONVENE_S3_PORT', 4569) },
  });
  // If anything below throws, or the process exits without a signal, the Java child goes too.
  process.once('exit', () => {
    try {
      process.kill(stack.info.dynamodb.pid);
    } catch {
      // already gone
    }
  });
  let server: Server | undefined;
  let poller: StreamPoller | undefined;
  let intakePoller: StreamPoller | undefined;
  let feedRenderer: { stop(): Promise<void> } | undefined;
  let clockTick: NodeJS.Timeout | undefined;
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping the local stack...`);
    server?.close();
    clearInterval(clockTick);
    await intakePoller?.stop();
    await poller?.stop();
    await feedRenderer?.stop();
    await stack.stop();
    console.log('stopped; no process left behind.');
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));

  const clients = localClients(stack.info);
  const doc = documentClient(clients.dynamodb);
  const store = conveneEventStore(tableEnvironment(stack.info.tables), doc);
  const members = createMemberDirectory(doc, stack.info.tables[membersTable.id]!);
  const seed = await seedDemoData(store, members);

  // Read models: catch up with everything already in the event table, then follow its stream.
  const readModels = createReadModelStore(doc, stack.info.tables[readModelTable.id]!);
  const deadLetterFile = join(dataDir, 'projector-dead-letters.jsonl');
  const rebuild = await rebuildReadModels({ store, readModels });
  const streams = new DynamoDBStreamsClient({ region: stack.info.region, endpoint: stack.info.dynamodb.endpoint, credentials: LOCAL_CREDENTIALS });
  poller = await startStreamPoller({
    dynamodb: clients.dynamodb,
    streams,
    table: stack.info.tables[eventTable.id]!,
    handler: createProjectorHandler({ store, readModels }),
    // As the projector's dead-letter queue on AWS: what it gave up on, kept with a log line.
    onDeadLetter: (letter) => {
      appendFileSync(deadLetterFile, `${JSON.stringify(letter)}\n`);
      console.error(`projector: set aside stream record ${letter.sequenceNumber} (${JSON.stringify(letter.keys)}) after ${letter.attempts} attempts; kept in ${deadLetterFile}`);
    },
  });

  // Members' registration requests, taken after the API has answered them (functions/intake/).
  const intakeDeadLetters = join(dataDir, 'intake-dead-letters.jsonl');
  intakePoller = await startIntakePoller({
    dynamodb: clients.dynamodb,
    doc,
    streams,
    tables: stack.info.tables,
    store,
    onDeadLetter: (letter) => {
      appendFileSync(intakeDeadLetters, `${JSON.stringify(letter)}\n`);
      console.error(`intake: set aside request ${JSON.stringify(letter.keys)} after ${letter.attempts} attempts; kept in ${intakeDeadLetters}`);
    },
  });

  const key = await loadOrCreateSigningKey(join(dataDir, 'organiser-key.json'));
  const token = await mintOrganiserToken(key, { sub: 'local-organiser', email: 'training@example.org' });
  const tokenFile = join(dataDir, 'organiser.token');
  writeFileSync(tokenFile, `${token}\n`, { mode: 0o600 });

  const webPort = port('CONVENE_PORT', 3000);
  const secretFile = join(dataDir, 'signing-secret');
  if (!existsSync(secretFile)) writeFileSync(secretFile, randomBytes(32).toString('base64url'), { mode: 0o600 });
  const mailFrom = 'Convene <no-reply@convene.local>';

  // The clock tick: the dispatcher every minute, as EventBridge runs it on AWS (never two ticks at once here).
  const dispatcher = dispatcherFromEnvironment(
    {
      ...tableEnvironment(stack.info.tables),
      [PUBLIC_BASE_URL_ENV]: `http://127.0.0.1:${port('CONVENE_PORT', 3000)}`,
      [MAIL_FROM_ENV]: mailFrom,
      [SIGNING_SECRETS_ENV]: readFileSync(secretFile, 'utf8').trim(),
      [REPLY_DOMAIN_ENV]: LOCAL_REPLY_DOMAIN,
      // aws-ses-v2-local does not answer GetSendQuota.
      [MAIL_SEND_RATE_ENV]: '50',
    },
    { dynamodb: doc, ses: clients.ses },
    { log: consoleLog('dispatcher') },
  );
  const recordings = createRecordingStore(clients.s3, stack.info.s3.bucket);
  archiver = createArchiver({ store, recordings, log: consoleLog('archiver') });
  const publisher = createPublisher({ store, readModels, log: consoleLog('publisher') });
  let ticking = false;
  const tick = async () => {
    if (ticking || stopping) return;
    ticking = true;
    try {
      await publisher.tick({ now: new Date() });
    } catch (error) {
      console.error('publisher tick failed:', error);
    }
    try {
      await dispatcher.tick({ now: new Date() });
    } catch (error) {
      console.error('dispatcher tick failed:', error);
    } finally {
      ticking = false;
    }
  };
  clockTick = setInterval(() => void tick(), 60_000);
  // Feeds as static files (README "Feeds at the edge"): rendered into the feeds bucket and served
  // from it at /feeds/*, as CloudFront serves them; CONVENE_FEED_EDGE=off serves them from the API's routes.
  const feedsFromBucket = process.env.CONVENE_FEED_EDGE !== 'off';
  const feedsBucket = stack.info.s3.feedsBucket;
  if (feedsFromBucket) {
    feedRenderer = await startLocalFeedRenderer({ info: stack.info, clients, baseUrl: `http://127.0.0.1:${webPort}`, signingSecrets: readFileSync(secretFile, 'utf8').trim(), log: consoleLog('feed-renderer') });
  }
  const signer = createTokenSigner([readFileSync(secretFile, 'utf8').trim()]);
  inbound = createInboundMailHandler({
    store,
    readModels,
    members,
    mail: createInboundMailStore(clients.s3, stack.info.s3.inboundMailBucket),
    replyAddresses: replyAddresses(signer, LOCAL_REPLY_DOMAIN),
    ourAddresses: ['no-reply@convene.local'],
    log: consoleLog('inbound-mail'),
  });
  const app = createApi({
    store,
    readModels,
    members: feedsFromBucket ? removingRotatedFeeds(members, localFeedRemover(stack.info, feedsBucket), (error) => console.warn('could not remove a rotated feed token\'s object (the renderer will):', error)) : members,
    intake: createRegistrationIntake(doc, stack.info.tables[intakeTable.id]!),
    feedReads: batchedFeedReads(doc, feedTablesOf(stack.info.tables), { readModels, store }),
    failures: createFailureReader(doc, stack.info.tables[deliveryTable.id]!),
    signer,
    manageAttempts: createManageAttempts(doc, stack.info.tables[membersTable.id]!),
    baseUrl: `http://127.0.0.1:${webPort}`,
    recordings,
    verifyOrganiserToken: localTokenVerifier(key.publicJwk),
    // The real limits, per client address as on AWS.
    rateLimit: { counter: createRateLimitCounter(doc, stack.info.tables[idempotencyTable.id]!) },
  });
  app.route('/', healthRoutes({ info: stack.info, clients, store, seriesStreams: seed.streams.filter((s) => s.startsWith('series-')) }));
  server = await new Promise<Server>((resolveServer, reject) => {
    const front = feedsFromBucket ? feedEdge({ s3: clients.s3, bucket: feedsBucket, api: app }) : app;
    const s = serve({ fetch: front.fetch, port: webPort, hostname: '127.0.0.1' }, () => resolveServer(s as Server)) as Server;
    s.once('error', reject);
  });
  const url = `http://127.0.0.1:${webPort}`;
  // Each demo member's page, as the link in their mail opens it (signed now, valid 30 days).
  const links = memberLinks(signer, url);
  const memberPages = seed.members.map((m) => `    ${m.city.padEnd(9)} ${m.email.padEnd(26)} ${links.manage(m.memberId, new Date())}`).join('\n');

  console.log(`Convene local stack is up in ${((Date.now() - started) / 1000).toFixed(1)} s (data in ${dataDir})
  health page   ${url}/
  series pages  ${url}/series/${DIALOGUE_SERIES_ID}   ${url}/series/${CARE_SERIES_ID}   (add ?lang=en, es, fr or ar)
  API           ${url}/admin/series   (OpenAPI: ${url}/openapi.json)
  mailbox       ${stack.info.ses.mailboxUrl}
  DynamoDB      ${stack.info.dynamodb.endpoint} (pid ${stack.info.dynamodb.pid})
  S3            ${stack.info.s3.endpoint}  folder ${stack.info.s3.directory}
  tables        ${Object.values(stack.info.tables).join(', ')}
  demo data     ${seed.appended} new events in ${seed.streams.length} streams
  read models   ${rebuild.projected} rebuilt from ${rebuild.streams} streams; the projector follows the event stream${rebuild.unreadable.length > 0 ? `\n  unreadable    ${rebuild.unreadable.map((u) => u.streamId).join(', ')} (left as they were; see GET /admin/series/{id}/undeliverable)` : ''}
  dead letters  stream records the projector gives up on go to ${deadLetterFile}
  feeds         ${feedsFromBucket ? `rendered into bucket ${feedsBucket} on every change and served from it at ${url}/feeds/...` : 'served by the API (CONVENE_FEED_EDGE=off)'}
  mail          the dispatcher sends invites and reminders every minute (see the mailbox)
  recordings    uploads are archived on arrival; the publisher posts due recordings every minute
  members' pages (each member's "manage my registrations" link; their mail is in the mailbox):
${memberPages}
  organiser token (also in ${tokenFile}, valid 30 days):
${token}
Press Ctrl-C to stop.`);
}

main().catch((error: unknown) => {
  console.error('npm start failed:', error);
  process.exit(1);
});
