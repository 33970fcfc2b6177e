import { Duration, Stack } from 'aws-cdk-lib';
import type { TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { ConfigurationSet, EmailSendingEvent, EventDestination } from 'aws-cdk-lib/aws-ses';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { LambdaSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import { tableEnvironment } from '../../functions/tables.js';
import type { TableNames } from '../../functions/tables.js';
import { createNodeFunction, serviceEnvironment } from './node-function.js';

export interface SesFeedbackProps {
  /** Table names by definition id, for the handler's environment. */
  readonly tableNames: TableNames;
  /** Where the suppression list and the email-to-member index live. */
  readonly membersTable: TableV2;
  /** The event table and the idempotency table: a complaint appends MemberUnsubscribed. */
  readonly eventTable: TableV2;
  readonly idempotencyTable: TableV2;
}

/**
 * Bounces and complaints: the SES configuration set mail is sent with publishes BOUNCE and
 * COMPLAINT events to an SNS topic, whose subscriber (functions/ses-feedback/handler.ts)
 * suppresses the addresses and unsubscribes complaining members. The topic is encrypted with
 * a customer managed KMS key (SES cannot use the AWS managed aws/sns key, whose policy cannot
 * name it) and refuses publishes without TLS. The function reads and writes the members, event
 * and idempotency tables, and nothing else.
 */
export class SesFeedback extends Construct {
  /** The configuration set mail-sending functions pass to SES (see MAIL_CONFIGURATION_SET_ENV). */
  readonly configurationSetName: string;
  readonly configurationSet: ConfigurationSet;
  readonly topic: Topic;
  readonly key: Key;
  readonly function: NodejsFunction;

  constructor(scope: Construct, id: string, props: SesFeedbackProps) {
    super(scope, id);
    this.configurationSet = new ConfigurationSet(this, 'ConfigurationSet');
    this.configurationSetName = this.configurationSet.configurationSetName;

    const { account } = Stack.of(this);
    this.key = new Key(this, 'TopicKey', {
      description: 'Encrypts the SES bounce and complaint topic of Convene',
      enableKeyRotation: true,
    });
    // SES publishes to the encrypted topic: SNS then uses this key on SES's behalf.
    this.key.addToResourcePolicy(
      new PolicyStatement({
        principals: [new ServicePrincipal('ses.amazonaws.com')],
        actions: ['kms:GenerateDataKey*', 'kms:Decrypt'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': account } },
      }),
    );
    this.topic = new Topic(this, 'Topic', { masterKey: this.key, enforceSSL: true });
    // Also grants ses.amazonaws.com sns:Publish on the topic, for this configuration set only.
    this.configurationSet.addEventDestination('BouncesAndComplaints', {
      destination: EventDestination.snsTopic(this.topic),
      events: [EmailSendingEvent.BOUNCE, EmailSendingEvent.COMPLAINT],
    });

    this.function = createNodeFunction(this, 'Function', {
      entry: 'functions/ses-feedback/handler.ts',
      memorySize: 256,
      timeout: Duration.seconds(30),
      environment: { ...tableEnvironment(props.tableNames), ...serviceEnvironment('ses-feedback') },
    });
    this.topic.addSubscription(new LambdaSubscription(this.function));
    for (const table of [props.membersTable, props.eventTable, props.idempotencyTable]) table.grantReadWriteData(this.function);
  }
}
