import { Duration, Validations } from 'aws-cdk-lib';
import type { TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { tableEnvironment } from '../../functions/tables.js';
import type { TableNames } from '../../functions/tables.js';
import { createNodeFunction, serviceEnvironment } from './node-function.js';

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
 * Stream from its oldest record. A failing record is reported alone (partial batch response)
 * and its batch bisected; after 10 retries or a day, the record's pointer goes to the
 * dead-letter queue and the shard moves on. One batch per shard at a time keeps each
 * stream's events in order. It reads the event table, reads and writes the read-model table,
 * and nothing else: no idempotency table, no mail, no buckets.
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
    this.deadLetterQueue = new Queue(this, 'DeadLetterQueue', {
      encryption: QueueEncryption.SQS_MANAGED,
      retentionPeriod: Duration.days(14),
      enforceSSL: true,
    });
    Validations.of(this.deadLetterQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: "This queue is itself the dead-letter queue (on-failure destination) of the projector's stream event source mapping; a queue behind it would only move the same pointers again.",
    });
    // TableV2 is an ITable with a stream ARN: the event source maps its stream and grants
    // the stream reads (ListStreams included, on the stream's ARN only).
    this.function.addEventSource(
      new DynamoEventSource(props.eventTable, {
        startingPosition: StartingPosition.TRIM_HORIZON,
        batchSize: 100,
        maxBatchingWindow: Duration.seconds(1),
        bisectBatchOnError: true,
        reportBatchItemFailures: true,
        retryAttempts: 10,
        maxRecordAge: Duration.hours(24),
        parallelizationFactor: 1,
        onFailure: new SqsDlq(this.deadLetterQueue),
      }),
    );
    props.eventTable.grantReadData(this.function);
    props.readModelTable.grantReadWriteData(this.function);
  }
}
