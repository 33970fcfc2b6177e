import { Duration, Stack, Validations } from 'aws-cdk-lib';
import type { TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { FEED_TOKEN_ATTRIBUTES, FEED_TOKEN_ITEM_PREFIX, MEMBER_ITEM_PREFIX } from '../../functions/adapters/members/feed-token-hashes.js';
import { PUBLIC_BASE_URL_ENV } from '../../functions/api/route-table.js';
import { FEEDS_BUCKET_ENV, FEEDS_PREFIX } from '../../functions/feeds/feed-objects.js';
import { membersTable, readModelTable, type TableNames } from '../tables.js';
import { createNodeFunction, serviceEnvironment } from './node-function.js';

/** What the renderer may do to feed objects: read one's validators (HeadObject), write, remove. */
export const FEED_RENDERER_OBJECT_ACTIONS: readonly string[] = ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'];

export interface FeedRendererProps {
  readonly tableNames: TableNames;
  readonly readModelTable: TableV2;
  readonly membersTable: TableV2;
  readonly bucket: IBucket;
  readonly publicBaseUrl: string;
}

/**
 * The feed renderer (functions/feed-renderer/handler.ts) on two DynamoDB Streams (keys only):
 * the read-model table's (schedules, registrations, rosters changed) and the member directory's
 * (feed tokens given, rotated, removed). Like the projector's: batches of 100, bisected on
 * error, partial batch responses, 10 retries or a day, then the record's pointer to a dead-letter
 * queue. It reads the read models, reads of the directory only the feed-token attributes of
 * `member#` and `feed#` items (never an address or a name), and writes objects under `feeds/`
 * of the feeds bucket; nothing else.
 */
export class FeedRenderer extends Construct {
  readonly function: NodejsFunction;
  readonly deadLetterQueue: Queue;

  constructor(scope: Construct, id: string, props: FeedRendererProps) {
    super(scope, id);
    this.function = createNodeFunction(this, 'Function', {
      entry: 'functions/feed-renderer/handler.ts',
      memorySize: 1024,
      timeout: Duration.seconds(60),
      environment: {
        [readModelTable.envVar]: props.tableNames[readModelTable.id]!,
        [membersTable.envVar]: props.tableNames[membersTable.id]!,
        [FEEDS_BUCKET_ENV]: props.bucket.bucketName,
        [PUBLIC_BASE_URL_ENV]: props.publicBaseUrl,
        ...serviceEnvironment('feed-renderer'),
      },
    });
    this.deadLetterQueue = new Queue(this, 'DeadLetterQueue', { encryption: QueueEncryption.SQS_MANAGED, retentionPeriod: Duration.days(14), enforceSSL: true });
    Validations.of(this.deadLetterQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: "This queue is itself the dead-letter queue (on-failure destination) of the feed renderer's stream event source mappings; a queue behind it would only move the same pointers again.",
    });
    for (const table of [props.readModelTable, props.membersTable]) {
      this.function.addEventSource(
        new DynamoEventSource(table, {
          startingPosition: StartingPosition.TRIM_HORIZON,
          batchSize: 100,
          bisectBatchOnError: true,
          reportBatchItemFailures: true,
          retryAttempts: 10,
          maxRecordAge: Duration.hours(24),
          onFailure: new SqsDlq(this.deadLetterQueue),
        }),
      );
    }
    props.readModelTable.grantReadData(this.function);
    // The directory: GetItem of feed-token attributes of member# and feed# items only.
    this.function.addToRolePolicy(
      new PolicyStatement({
        actions: ['dynamodb:GetItem'],
        resources: [props.membersTable.tableArn],
        conditions: {
          'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [`${MEMBER_ITEM_PREFIX}*`, `${FEED_TOKEN_ITEM_PREFIX}*`], 'dynamodb:Attributes': [...FEED_TOKEN_ATTRIBUTES] },
          StringEqualsIfExists: { 'dynamodb:Select': 'SPECIFIC_ATTRIBUTES' },
        },
      }),
    );
    this.function.addToRolePolicy(new PolicyStatement({ actions: [...FEED_RENDERER_OBJECT_ACTIONS], resources: [props.bucket.arnForObjects(`${FEEDS_PREFIX}*`)] }));
    // Without ListBucket a missing object answers 403, not 404 (HeadObject of a feed not yet written).
    this.function.addToRolePolicy(new PolicyStatement({ actions: ['s3:ListBucket'], resources: [props.bucket.bucketArn] }));
    const bucketId = Stack.of(this).getLogicalId(props.bucket.node.defaultChild as never);
    Validations.of(this).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${bucketId}.Arn>/${FEEDS_PREFIX}*]`,
      reason: 'The renderer writes one object per feed (a token hash or a series id in its key), all under feeds/: the prefix is the narrowest resource.',
    });
  }
}
