import { Duration, Stack, Validations } from 'aws-cdk-lib';
import type { TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { FEED_TOKEN_ATTRIBUTES } from '../../functions/adapters/members/feed-token-hashes.js';
import { PUBLIC_BASE_URL_ENV, SIGNING_SECRET_ARN_ENV } from '../../functions/api/route-table.js';
import { FEEDS_BUCKET_ENV, FEEDS_PREFIX } from '../../functions/feeds/feed-objects.js';
import { FEED_TOKEN_ITEM_PREFIX, MEMBER_ITEM_PREFIX, membersTable, readModelTable, type TableNames } from '../../functions/tables.js';
import { createNodeFunction, serviceEnvironment } from './node-function.js';
import { consumeStream } from './stream-consumer.js';

/** What the renderer may do to feed objects: read one's validators (HeadObject), write, remove. */
export const FEED_RENDERER_OBJECT_ACTIONS: readonly string[] = ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'];

export interface FeedRendererProps {
  readonly tableNames: TableNames;
  /** Signs the members' own join links in personal feeds (functions/links/member-links.ts). */
  readonly signingSecret: ISecret;
  readonly readModelTable: TableV2;
  readonly membersTable: TableV2;
  readonly bucket: IBucket;
  readonly publicBaseUrl: string;
}

/**
 * The feed renderer (functions/feed-renderer/handler.ts) on two DynamoDB Streams (keys only):
 * the read-model table's (schedules, registrations, rosters changed) and the member directory's
 * (feed tokens given, rotated, removed), consumed as the projector's (./stream-consumer.ts), one
 * dead-letter queue for both. It reads the read models, reads of the directory only the feed-token attributes of
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
        // Personal feeds carry members' own join links, signed as the API signs them (the ARN only; read at run time).
        [SIGNING_SECRET_ARN_ENV]: props.signingSecret.secretArn,
        ...serviceEnvironment('feed-renderer'),
      },
    });
    this.deadLetterQueue = consumeStream(this, this.function, [props.readModelTable, props.membersTable], 'feed renderer');
    props.readModelTable.grantReadData(this.function);
    props.signingSecret.grantRead(this.function);
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
