/** The Convene event store on the integration run's DynamoDB Local. */
import { conveneEventStore } from '../../functions/adapters/event-store/index.js';
import { documentClient } from '../../functions/adapters/dynamodb-client.js';
import { tableEnvironment } from '../../functions/tables.js';
import { clients, localStackInfo } from './local.js';

export function localEventStore() {
  return conveneEventStore(tableEnvironment(localStackInfo().tables), localDocumentClient());
}

export function localDocumentClient() {
  return documentClient(clients().dynamodb);
}

/** A stream id no other test uses. */
export const uniqueId = (prefix: string) => `${prefix}-${crypto.randomUUID().slice(0, 8)}`;
