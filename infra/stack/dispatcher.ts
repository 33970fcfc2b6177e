import { Duration, Validations } from 'aws-cdk-lib';
import type { TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { MAIL_CONFIGURATION_SET_ENV } from '../../functions/adapters/mailer/configuration-set.js';
import { MAIL_FROM_ENV, PUBLIC_BASE_URL_ENV, SIGNING_SECRET_ARN_ENV } from '../../functions/api/route-table.js';
import { FEED_TOKEN_ITEM_PREFIX, MEMBER_ITEM_PREFIX, tableEnvironment } from '../../functions/tables.js';
import type { TableNames } from '../../functions/tables.js';
import { createNodeFunction, serviceEnvironment } from './node-function.js';
import { grantSendRawEmail } from './ses-send.js';
import { REPLY_DOMAIN_ENV } from '../../functions/inbound/reply-address.js';

export interface DispatcherProps {
  /** Table names by definition id, for the handler's environment. */
  readonly tableNames: TableNames;
  /** The schedules and registrations the dispatcher reads to find what is due. */
  readonly readModelTable: TableV2;
  /** The delivery ledger: claims and sends, read and written. */
  readonly deliveryTable: TableV2;
  /** Member records (addresses, names) and the suppression list: read; a member's first feed token written (a welcome mail carries it). */
  readonly membersTable: TableV2;
  /** Public base URL of the API, for links in mail. */
  readonly publicBaseUrl: string;
  /** The From address and the SES identity (domain) it may send as. */
  readonly mail: { readonly from: string; readonly domain: string };
  /** Signs the unsubscribe links in mail; read by the handler at run time. */
  readonly signingSecret: ISecret;
  /** The SES configuration set every mail is sent with: it publishes bounces and complaints. */
  readonly configurationSetName: string;
  /** The domain of invitations' reply addresses (ORGANIZER, RSVP=TRUE), received by the inbound mail function. */
  readonly replyDomain: string;
}

/**
 * The dispatcher Lambda (functions/dispatcher/handler.ts), run every minute by an EventBridge
 * schedule: sends the invites, updates, cancellations and reminders that are due. Two
 * invocations may overlap (a slow tick, a retry): the delivery ledger's claims make that safe,
 * so concurrency is not reserved. It reads the read-model and members tables and the
 * link-signing secret, reads and writes the delivery ledger, sends raw mail as the mail domain
 * with the configuration set, asks SES for its send quota, and nothing else: no event table, no
 * idempotency table, no buckets.
 */
export class Dispatcher extends Construct {
  readonly function: NodejsFunction;
  /** The every-minute schedule. */
  readonly rule: Rule;

  constructor(scope: Construct, id: string, props: DispatcherProps) {
    super(scope, id);
    this.function = createNodeFunction(this, 'Function', {
      entry: 'functions/dispatcher/handler.ts',
      memorySize: 1024,
      // Certificates of participation are rendered here (functions/certificates/fonts.ts reads ./fonts beside the bundle).
      assetFolders: ['functions/certificates/fonts'],
      // A tick stops starting sends 20 s before its limit (SAFETY_MS in the handler).
      timeout: Duration.minutes(2),
      environment: {
        ...tableEnvironment(props.tableNames),
        ...serviceEnvironment('dispatcher'),
        [PUBLIC_BASE_URL_ENV]: props.publicBaseUrl,
        [MAIL_FROM_ENV]: props.mail.from,
        // The secret's ARN only: the handler reads the value from Secrets Manager at run time, so it is
        // neither in the template nor in the function's configuration.
        [SIGNING_SECRET_ARN_ENV]: props.signingSecret.secretArn,
        [MAIL_CONFIGURATION_SET_ENV]: props.configurationSetName,
        [REPLY_DOMAIN_ENV]: props.replyDomain,
      },
    });
    this.rule = new Rule(this, 'Schedule', {
      description: 'Runs the Convene dispatcher: sends the invites and reminders that are due',
      schedule: Schedule.rate(Duration.minutes(1)),
      targets: [new LambdaFunction(this.function, { retryAttempts: 2, maxEventAge: Duration.minutes(2) })],
    });

    props.readModelTable.grantReadData(this.function);
    props.deliveryTable.grantReadWriteData(this.function);
    props.membersTable.grantReadData(this.function);
    // A welcome mail gives a member registered by an organiser their first feed token: the
    // member's record (its token hash) and the token's item, and no other item of the table.
    this.function.addToRolePolicy(
      new PolicyStatement({
        actions: ['dynamodb:UpdateItem', 'dynamodb:PutItem'],
        resources: [props.membersTable.tableArn],
        conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [`${MEMBER_ITEM_PREFIX}*`, `${FEED_TOKEN_ITEM_PREFIX}*`] } },
      }),
    );
    props.signingSecret.grantRead(this.function);
    grantSendRawEmail(this.function, { domain: props.mail.domain, configurationSetName: props.configurationSetName });
    // The send rate comes from the account's quota when MAIL_SEND_RATE is not set.
    // GetSendQuota has no resource type: '*' is the only resource it takes.
    this.function.addToRolePolicy(new PolicyStatement({ actions: ['ses:GetSendQuota'], resources: ['*'] }));
    Validations.of(this.function.role!).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'ses:GetSendQuota has no resource type: IAM accepts only "*" for it, and it reads the account\'s send rate, nothing else.',
    });
  }
}
