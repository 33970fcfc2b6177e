/**
 * `npm run rebuild`: replay every event of the running local stack (`npm start`) into fresh
 * read models. Prints how many streams it replayed and how long it took.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { documentClient } from '../../functions/adapters/dynamodb-client.js';
import { conveneEventStore } from '../../functions/adapters/event-store/index.js';
import { createReadModelStore } from '../../functions/read-models/read-model-store.js';
import { rebuildReadModels } from '../../functions/projector/rebuild.js';
import { localTableNames, readModelTable, tableEnvironment } from '../../functions/tables.js';
import { LOCAL_CREDENTIALS } from './clients.js';
import { LOCAL_REGION } from './stack.js';

async function main() {
  const port = Number(process.env.CONVENE_DYNAMODB_PORT ?? 8000);
  const endpoint = `http://127.0.0.1:${port}`;
  const names = localTableNames();
  const dynamodb = new DynamoDBClient({ region: LOCAL_REGION, endpoint, credentials: LOCAL_CREDENTIALS });
  const client = documentClient(dynamodb);
  const readModels = createReadModelStore(client, names[readModelTable.id]!);
  try {
    const cleared = await readModels.clear();
    const report = await rebuildReadModels({
      store: conveneEventStore(tableEnvironment(names), client),
      readModels,
    });
    console.log(`rebuilt ${report.projected} read models from ${report.streams} streams (${report.events} events) in ${report.milliseconds} ms (cleared ${cleared} documents first)`);
    for (const stream of report.unreadable) console.log(`left as it was: ${stream.streamId} (${stream.reason})`);
  } catch (error) {
    if (error instanceof Error && /ECONNREFUSED|fetch failed/.test(`${error.message} ${String((error as { cause?: unknown }).cause)}`)) {
      console.error(`no DynamoDB Local at ${endpoint}: start the stack with \`npm start\` first`);
    } else console.error('rebuild failed:', error);
    process.exitCode = 1;
  }
}

void main();
