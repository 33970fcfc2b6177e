import { Stack, Validations } from 'aws-cdk-lib';
import type { StackProps } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import type { TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { Construct } from 'constructs';
import { deliveryTable, eventTable, idempotencyTable, intakeTable, membersTable, readModelTable, tables } from '../../functions/tables.js';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { TableDefinition, TableNames } from '../../functions/tables.js';
import { alarmEmailContext, OperationalAlarms } from './alarms.js';
import { createApiFunction } from './api-function.js';
import { PUBLIC_BASE_URL_CONTEXT, replyDomainContext, requiredMailFromContext, requiredUrlContext, uploadOriginsContext } from './context.js';
import { InboundMail } from './inbound-mail.js';
import { Dispatcher } from './dispatcher.js';
import { createHttpApi, type ConveneHttpApi } from './http-api.js';
import { acknowledgeTableIndexGrants } from './nag.js';
import { Organisers } from './organisers.js';
import { Projector } from './projector.js';
import { Intake } from './intake.js';
import { Recordings } from './recordings.js';
import { SesFeedback } from './ses-feedback.js';
import { createTable } from './tables.js';
import { createFeedsBucket } from './feeds-bucket.js';
import { FeedRenderer } from './feed-renderer.js';
import { Edge } from './edge.js';

export class ConveneStack extends Stack {
  /** Every table of functions/tables.ts, keyed by definition id, for grants and environments. */
  readonly tables: Readonly<Record<string, TableV2>>;
  /** The user pool organisers sign in to, its API client and the organisers group. */
  readonly organisers: Organisers;
  /** The API Lambda behind every route of the HTTP API. */
  readonly apiFunction: NodejsFunction;
  /** The HTTP API, its throttled `$default` stage and its access log group. */
  readonly httpApi: ConveneHttpApi;
  readonly api: HttpApi;
  /** The projector Lambda on the event table's stream, and its dead-letter queue. */
  readonly projector: Projector;
  /** The intake Lambda on the intake table's stream (members' registration requests), and its dead-letter queue. */
  readonly intake: Intake;
  /** The secret that signs links in mail. */
  readonly signingSecret: Secret;
  /** The SES configuration set, its bounce and complaint topic, and the function that suppresses those addresses. */
  readonly sesFeedback: SesFeedback;
  /** The dispatcher Lambda, run every minute, that sends due invites and reminders. */
  readonly dispatcher: Dispatcher;
  /** The recordings bucket, the archiver S3 invokes for each upload, and the every-minute publisher. */
  readonly recordings: Recordings;
  /** The feeds bucket, the renderer that writes it from the read models, and the distribution in front of the API and the feeds. */
  readonly feeds: { readonly bucket: import('aws-cdk-lib/aws-s3').Bucket; readonly renderer: FeedRenderer; readonly edge: Edge };
  /** SES receiving for the reply domain, the bucket it stores mail in, and the function that takes members' answers. */
  readonly inboundMail: InboundMail;
  /** CloudWatch alarms on the functions, the projector's dead letters, SES reputation and API 5xx, and the topic they notify. */
  readonly alarms: OperationalAlarms;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);
    this.tables = Object.fromEntries(tables.map((definition) => [definition.id, createTable(this, definition)]));
    this.organisers = new Organisers(this, 'Organisers');
    this.signingSecret = new Secret(this, 'LinkSigningSecret', {
      description: 'Signs the confirm and unregister links in Convene mail',
      generateSecretString: { passwordLength: 48, excludePunctuation: true },
    });
    const publicBaseUrl = requiredUrlContext(this, PUBLIC_BASE_URL_CONTEXT, 'https://convene.example.org');
    const mail = requiredMailFromContext(this);
    const replyDomain = replyDomainContext(this, mail.domain);
    // Before the HTTP API: its recordings function serves the recordings routes.
    this.recordings = new Recordings(this, 'Recordings', {
      tableNames: this.tableNames(),
      organisers: this.organisers,
      publicBaseUrl,
      eventTable: this.table(eventTable),
      idempotencyTable: this.table(idempotencyTable),
      readModelTable: this.table(readModelTable),
      uploadOrigins: uploadOriginsContext(this, publicBaseUrl),
    });
    // Before the mail-sending functions: they send with its configuration set.
    this.sesFeedback = new SesFeedback(this, 'SesFeedback', {
      tableNames: this.tableNames(),
      membersTable: this.table(membersTable),
      eventTable: this.table(eventTable),
      idempotencyTable: this.table(idempotencyTable),
    });
    // Feeds at the edge: rendered into this bucket by the feed renderer, served by the distribution.
    const feedsBucket = createFeedsBucket(this, 'FeedsBucket');
    this.apiFunction = createApiFunction(this, 'ApiFunction', {
      tableNames: this.tableNames(),
      readWriteTables: [this.table(eventTable), this.table(idempotencyTable), this.table(membersTable)],
      // The delivery ledger only for its failures index (GET /admin/series/{id}/undeliverable).
      readTables: [this.table(readModelTable), this.table(deliveryTable)],
      // Members' own registration requests, taken by the intake after the answer.
      putTables: [this.table(intakeTable)],
      organisers: this.organisers,
      publicBaseUrl,
      signingSecret: this.signingSecret,
      feedsBucket,
    });
    this.httpApi = createHttpApi(this, 'Api', { api: this.apiFunction, recordings: this.recordings.api }, this.organisers);
    this.api = this.httpApi.api;
    this.projector = new Projector(this, 'Projector', {
      tableNames: this.tableNames(),
      eventTable: this.table(eventTable),
      readModelTable: this.table(readModelTable),
    });
    this.intake = new Intake(this, 'RegistrationIntake', {
      tableNames: this.tableNames(),
      intakeTable: this.table(intakeTable),
      membersTable: this.table(membersTable),
      eventTable: this.table(eventTable),
    });
    this.feeds = {
      bucket: feedsBucket,
      renderer: new FeedRenderer(this, 'FeedRenderer', {
        tableNames: this.tableNames(),
        readModelTable: this.table(readModelTable),
        membersTable: this.table(membersTable),
        bucket: feedsBucket,
        publicBaseUrl,
        signingSecret: this.signingSecret,
      }),
      edge: new Edge(this, 'Edge', { api: this.api, feedsBucket, apiFunctions: [this.apiFunction, this.recordings.api] }),
    };
    this.dispatcher = new Dispatcher(this, 'Dispatcher', {
      tableNames: this.tableNames(),
      readModelTable: this.table(readModelTable),
      deliveryTable: this.table(deliveryTable),
      membersTable: this.table(membersTable),
      publicBaseUrl,
      mail,
      signingSecret: this.signingSecret,
      configurationSetName: this.sesFeedback.configurationSetName,
      replyDomain,
    });
    this.inboundMail = new InboundMail(this, 'InboundMail', {
      tableNames: this.tableNames(),
      replyDomain,
      mailFrom: mail.from,
      eventTable: this.table(eventTable),
      idempotencyTable: this.table(idempotencyTable),
      readModelTable: this.table(readModelTable),
      membersTable: this.table(membersTable),
      signingSecret: this.signingSecret,
    });
    // Last: it watches what the constructs above built.
    this.alarms = new OperationalAlarms(this, 'Alarms', {
      functions: {
        api: this.apiFunction,
        projector: this.projector.function,
        intake: this.intake.function,
        dispatcher: this.dispatcher.function,
        'ses-feedback': this.sesFeedback.function,
        'recordings-api': this.recordings.api,
        archiver: this.recordings.archiver,
        publisher: this.recordings.publisher,
        'feed-renderer': this.feeds.renderer.function,
        'inbound-mail': this.inboundMail.function,
      },
      projectorDeadLetterQueue: this.projector.deadLetterQueue,
      intakeDeadLetterQueue: this.intake.deadLetterQueue,
      feedRendererDeadLetterQueue: this.feeds.renderer.deadLetterQueue,
      api: this.api,
      alarmEmail: alarmEmailContext(this),
    });
    acknowledgeTableIndexGrants(this, [this.table(eventTable), this.table(deliveryTable)]);
    Validations.of(this.signingSecret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason: 'Rotated by hand without breaking links already mailed: the secret holds several comma-separated secrets, the first signs and all verify (functions read it again every 5 minutes); a rotation Lambda could not know when old links may lapse.',
    });
  }

  /** The table built from a definition. */
  table(definition: TableDefinition): TableV2 {
    const table = this.tables[definition.id];
    if (!table) throw new Error(`no table ${definition.id} in ${this.stackName}`);
    return table;
  }

  /** Table names (tokens) by definition id, for tableEnvironment(). */
  tableNames(): TableNames {
    return Object.fromEntries(Object.entries(this.tables).map(([id, table]) => [id, table.tableName]));
  }
}
