import { Duration } from 'aws-cdk-lib';
import type { TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { tableEnvironment, type TableNames } from '../../functions/tables.js';
import { createNodeFunction, serviceEnvironment } from './node-function.js';
import { consumeStream } from './stream-consumer.js';

export interface IntakeProps {
  readonly tableNames: TableNames;
  /** Members' registration requests as the API keeps them: its stream (keys only) feeds the intake. */
  readonly intakeTable: TableV2;
  /** Where the intake finds or makes the address's member and keeps the name given. */
  readonly membersTable: TableV2;
  /** Where the member's request is decided and appended. */
  readonly eventTable: TableV2;
}

/**
 * The intake Lambda (functions/intake/handler.ts), fed by the intake table's stream
 * (./stream-consumer.ts). It reads and deletes intake items, reads and writes the member
 * directory, reads and appends events; nothing else: no read models, no mail, no buckets.
 */
export class Intake extends Construct {
  readonly function: NodejsFunction;
  /** Requests the intake gave up on: pointers to the stream shard; the items themselves expire after a day. */
  readonly deadLetterQueue: Queue;

  constructor(scope: Construct, id: string, props: IntakeProps) {
    super(scope, id);
    this.function = createNodeFunction(this, 'Function', {
      entry: 'functions/intake/handler.ts',
      memorySize: 512,
      timeout: Duration.seconds(30),
      environment: { ...tableEnvironment(props.tableNames), ...serviceEnvironment('intake') },
    });
    this.deadLetterQueue = consumeStream(this, this.function, props.intakeTable, 'intake');
    props.intakeTable.grant(this.function, 'dynamodb:GetItem', 'dynamodb:DeleteItem');
    props.membersTable.grantReadWriteData(this.function);
    props.eventTable.grantReadWriteData(this.function);
  }
}
