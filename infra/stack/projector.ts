import { Duration } from 'aws-cdk-lib';
import type { TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { tableEnvironment } from '../../functions/tables.js';
import type { TableNames } from '../../functions/tables.js';
import { createNodeFunction, serviceEnvironment } from './node-function.js';
import { consumeStream } from './stream-consumer.js';

export interface ProjectorProps {
  /** Table names by definition id, for the handler's environment. */
  readonly tableNames: TableNames;
  /** The event table: its stream feeds the projector, which reads streams back from it. */
  readonly eventTable: TableV2;
  /** The read-model table the projector keeps up to date. */
  readonly readModelTable: TableV2;
}

/**
 * The projector Lambda (functions/projector/handler.ts), fed by the event table's DynamoDB
 * Stream (./stream-consumer.ts: partial batch responses, bisection, 10 retries or a day, then
 * the dead-letter queue; one batch per shard at a time keeps each stream's events in order).
 * It reads the event table, reads and writes the read-model table, and nothing else: no
 * idempotency table, no mail, no buckets.
 */
export class Projector extends Construct {
  readonly function: NodejsFunction;
  /** Where records go that the projector gave up on: pointers to the stream shard, not the events. */
  readonly deadLetterQueue: Queue;

  constructor(scope: Construct, id: string, props: ProjectorProps) {
    super(scope, id);
    this.function = createNodeFunction(this, 'Function', {
      entry: 'functions/projector/handler.ts',
      memorySize: 512,
      timeout: Duration.seconds(30),
      environment: { ...tableEnvironment(props.tableNames), ...serviceEnvironment('projector') },
    });
    this.deadLetterQueue = consumeStream(this, this.function, props.eventTable, 'projector');
    props.eventTable.grantReadData(this.function);
    props.readModelTable.grantReadWriteData(this.function);
  }
}
