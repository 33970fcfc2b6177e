/** What the projector needs of a DynamoDB Streams record of the event table, checked with zod. */
import type { DynamoDBRecord } from 'aws-lambda';
// A namespace import: esbuild then keeps only the parts of zod in use (not its 64 locales).
import * as z from 'zod';
import { EVENT_STREAM_ID, EVENT_VERSION } from '../tables.js';

const Keys = z.object({
  [EVENT_STREAM_ID]: z.object({ S: z.string().min(1) }),
  [EVENT_VERSION]: z.object({ N: z.string().regex(/^\d+$/) }),
});

export interface EventPointer {
  readonly streamId: string;
  readonly version: number;
}

export function eventPointer(record: DynamoDBRecord): EventPointer {
  const keys = Keys.parse(record.dynamodb?.Keys);
  return { streamId: keys[EVENT_STREAM_ID].S, version: Number(keys[EVENT_VERSION].N) };
}
