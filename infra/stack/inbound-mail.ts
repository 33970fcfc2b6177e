import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type { TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { BlockPublicAccess, Bucket, BucketEncryption, EventType, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { LambdaDestination } from 'aws-cdk-lib/aws-s3-notifications';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { ReceiptRuleSet, TlsPolicy } from 'aws-cdk-lib/aws-ses';
import { S3 } from 'aws-cdk-lib/aws-ses-actions';
import { Construct } from 'constructs';
import { INBOUND_MAIL_BUCKET_ENV, INBOUND_PREFIX } from '../../functions/adapters/inbound-mail/inbound-mail-store.js';
import { MAIL_FROM_ENV, SIGNING_SECRET_ARN_ENV } from '../../functions/api/route-table.js';
import { REPLY_DOMAIN_ENV } from '../../functions/inbound/reply-address.js';
import { tableEnvironment } from '../../functions/tables.js';
import type { TableNames } from '../../functions/tables.js';
import { createAccessLogsBucket } from './access-logs-bucket.js';
import { createNodeFunction, serviceEnvironment } from './node-function.js';

/** How long a received mail is kept (it was taken, or dropped with a log line, within seconds). */
export const INBOUND_MAIL_RETENTION_DAYS = 14;

export interface InboundMailProps {
  readonly tableNames: TableNames;
  /** The domain invitations' reply addresses are on (its MX points at SES receiving). */
  readonly replyDomain: string;
  /** The From address of Convene's mail: a mail from it is a loop. */
  readonly mailFrom: string;
  /** The event and idempotency tables: an answer is appended to the member's stream. */
  readonly eventTable: TableV2;
  readonly idempotencyTable: TableV2;
  /** Schedules: the session answered must exist and not have ended. */
  readonly readModelTable: TableV2;
  /** The member a reply address names, and their address (the ATTENDEE must be it). */
  readonly membersTable: TableV2;
  /** Signs (and so verifies) reply addresses, as it signs the links in mail. */
  readonly signingSecret: ISecret;
}

/**
 * Answers from members' calendar apps (issue 19): SES receiving takes mail for the reply
 * domain, a receipt rule stores each raw message under `inbound/` of a private bucket (TLS
 * required in transit, spam and virus scanned), and the bucket's notification invokes the
 * inbound mail Lambda (functions/inbound/handler.ts), which appends the member's answer.
 *
 * The function reads objects under `inbound/` (no listing, no writing), reads the read models
 * and the members table and the signing secret, and reads and appends to the event and
 * idempotency tables: nothing else. The rule set must be made the account's active one
 * (`aws ses set-active-receipt-rule-set`, see the README): CloudFormation has no such resource.
 */
export class InboundMail extends Construct {
  readonly bucket: Bucket;
  readonly ruleSet: ReceiptRuleSet;
  readonly function: NodejsFunction;

  constructor(scope: Construct, id: string, props: InboundMailProps) {
    super(scope, id);
    const accessLogs = createAccessLogsBucket(this, 'AccessLogs', 'inbound mail bucket');
    this.bucket = new Bucket(this, 'Bucket', {
      serverAccessLogsBucket: accessLogs,
      serverAccessLogsPrefix: 'inbound-mail-bucket/',
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      encryption: BucketEncryption.S3_MANAGED,
      removalPolicy: RemovalPolicy.RETAIN,
      // Members' mail is personal data: kept only as long as a redelivery or an investigation needs.
      lifecycleRules: [{ id: 'ExpireReceivedMail', prefix: INBOUND_PREFIX, expiration: Duration.days(INBOUND_MAIL_RETENTION_DAYS) }],
    });

    this.ruleSet = new ReceiptRuleSet(this, 'RuleSet', {
      rules: [
        {
          recipients: [props.replyDomain],
          // The S3 action also grants ses.amazonaws.com s3:PutObject under the prefix, for this account only.
          actions: [new S3({ bucket: this.bucket, objectKeyPrefix: INBOUND_PREFIX })],
          scanEnabled: true,
          tlsPolicy: TlsPolicy.REQUIRE,
        },
      ],
    });

    this.function = createNodeFunction(this, 'Function', {
      entry: 'functions/inbound/handler.ts',
      memorySize: 512,
      timeout: Duration.seconds(30),
      environment: {
        ...tableEnvironment(props.tableNames),
        ...serviceEnvironment('inbound-mail'),
        [INBOUND_MAIL_BUCKET_ENV]: this.bucket.bucketName,
        [REPLY_DOMAIN_ENV]: props.replyDomain,
        [MAIL_FROM_ENV]: props.mailFrom,
        [SIGNING_SECRET_ARN_ENV]: props.signingSecret.secretArn,
      },
    });
    // S3 invokes asynchronously (retried twice on error); taking a reply again appends nothing.
    this.bucket.addEventNotification(EventType.OBJECT_CREATED, new LambdaDestination(this.function), { prefix: INBOUND_PREFIX });
    for (const table of [props.eventTable, props.idempotencyTable]) table.grantReadWriteData(this.function);
    props.readModelTable.grantReadData(this.function);
    props.membersTable.grantReadData(this.function);
    props.signingSecret.grantRead(this.function);
    this.function.addToRolePolicy(new PolicyStatement({ actions: ['s3:GetObject'], resources: [this.bucket.arnForObjects(`${INBOUND_PREFIX}*`)] }));
    const bucketId = Stack.of(this.bucket).getLogicalId(this.bucket.node.defaultChild as never);
    Validations.of(this.function.role!).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${bucketId}.Arn>/${INBOUND_PREFIX}*]`,
      reason: `Each received mail is its own object under ${INBOUND_PREFIX} (SES names it by its message id); the grant is GetObject alone, on that prefix only.`,
    });
  }
}
