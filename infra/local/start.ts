/**
 * `npm start`: the whole local stack with demo data, kept under .local/ (git-ignored).
 * Ctrl-C stops everything this process started.
 */
import type { Server } from 'node:http';
import { resolve } from 'node:path';
import { conveneEventStore } from '../../functions/adapters/event-store/index.js';
import { documentClient } from '../../functions/adapters/dynamodb-client.js';
import { tableEnvironment } from '../tables.js';
import { localClients } from './clients.js';
import { seedDemoData } from './demo-data.js';
import { startHealthServer } from './health-page.js';
import { startLocalStack } from './stack.js';

const port = (name: string, fallback: number) => Number(process.env[name] ?? fallback);

async function main() {
  const dataDir = resolve(process.env.CONVENE_DATA_DIR ?? '.local');
  const started = Date.now();
  const stack = await startLocalStack({
    dataDir,
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
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping the local stack...`);
    server?.close();
    await stack.stop();
    console.log('stopped; no process left behind.');
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));

  const clients = localClients(stack.info);
  const store = conveneEventStore(tableEnvironment(stack.info.tables), documentClient(clients.dynamodb));
  const seed = await seedDemoData(store);
  server = await startHealthServer({
    port: port('CONVENE_PORT', 3000),
    info: stack.info,
    clients,
    store,
    seriesStreams: seed.streams.filter((s) => s.startsWith('series-')),
  });
  const address = server.address();
  const url = typeof address === 'object' && address ? `http://127.0.0.1:${address.port}/` : '?';

  console.log(`Convene local stack is up in ${((Date.now() - started) / 1000).toFixed(1)} s (data in ${dataDir})
  health page   ${url}
  mailbox       ${stack.info.ses.mailboxUrl}
  DynamoDB      ${stack.info.dynamodb.endpoint} (pid ${stack.info.dynamodb.pid})
  S3            ${stack.info.s3.endpoint}  folder ${stack.info.s3.directory}
  tables        ${Object.values(stack.info.tables).join(', ')}
  demo data     ${seed.appended} new events in ${seed.streams.length} streams
Press Ctrl-C to stop.`);
}

main().catch((error: unknown) => {
  console.error('npm start failed:', error);
  process.exit(1);
});
