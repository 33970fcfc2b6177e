import { Duration, Validations } from 'aws-cdk-lib';
import type { TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';

/**
 * Feeds a function from a table's DynamoDB Stream, from its oldest record. A failing record is
 * reported alone (partial batch response) and its batch bisected; after 10 retries or a day,
 * the record's pointer goes to the returned dead-letter queue and the shard moves on. One
 * batch per shard at a time keeps each item's records in order. The event source grants the
 * stream reads (ListStreams included, on the stream's ARN only). Several tables' streams share
 * one dead-letter queue.
 */
export function consumeStream(scope: Construct, fn: NodejsFunction, from: TableV2 | readonly TableV2[], who: string): Queue {
  const deadLetterQueue = new Queue(scope, 'DeadLetterQueue', {
    encryption: QueueEncryption.SQS_MANAGED,
    retentionPeriod: Duration.days(14),
    enforceSSL: true,
  });
  Validations.of(deadLetterQueue).acknowledge({
    id: 'AwsSolutions-SQS3',
    reason: `This queue is itself the dead-letter queue (on-failure destination) of the ${who}'s stream event source mapping(s); a queue behind it would only move the same pointers again.`,
  });
  for (const table of Array.isArray(from) ? from : [from as TableV2]) {
  fn.addEventSource(
    new DynamoEventSource(table, {
      startingPosition: StartingPosition.TRIM_HORIZON,
      batchSize: 100,
      maxBatchingWindow: Duration.seconds(1),
      bisectBatchOnError: true,
      reportBatchItemFailures: true,
      retryAttempts: 10,
      maxRecordAge: Duration.hours(24),
      parallelizationFactor: 1,
      onFailure: new SqsDlq(deadLetterQueue),
    }),
  );
  }
  return deadLetterQueue;
}
