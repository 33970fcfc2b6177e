import { Duration, Stack, Validations } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { FEEDS_BUCKET_ENV, MEMBER_FEEDS_PREFIX } from '../../functions/feeds/feed-objects.js';
import type { TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { Construct } from 'constructs';
import { AUTH_ENV, PUBLIC_BASE_URL_ENV, SIGNING_SECRET_ARN_ENV } from '../../functions/api/route-table.js';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { tableEnvironment } from '../../functions/tables.js';
import type { TableNames } from '../../functions/tables.js';
import { createNodeFunction } from './node-function.js';
import type { Organisers } from './organisers.js';

/** What the API may do in the feeds bucket: remove a personal feed (a rotated token's). */
export const API_FEED_OBJECT_ACTIONS: readonly string[] = ['s3:DeleteObject'];

export interface ApiFunctionProps {
  /** Table names by definition id, for the handler's environment. */
  readonly tableNames: TableNames;
  /** The tables the API reads and writes: the event table (with its indexes) and the idempotency table. */
  readonly readWriteTables: readonly TableV2[];
  /** The tables the API only reads: the read-model table. */
  readonly readTables: readonly TableV2[];
  /** The tables the API only puts new items into: the intake (members' registration requests). */
  readonly putTables: readonly TableV2[];
  readonly organisers: Organisers;
  /** Public base URL of the API, for links in feeds. */
  readonly publicBaseUrl: string;
  /** Signs and checks the links mailed to members; read by the handler at run time. */
  readonly signingSecret: ISecret;
  /** The feeds bucket: the API removes a rotated feed token's object from it, and may do nothing else there. */
  readonly feedsBucket: IBucket;
}

/**
 * The API Lambda (functions/api/handler.ts). It may read and write the given read-write
 * tables, read the read-only ones and the link-signing secret, and nothing else: it sends no
 * mail (the dispatcher sends every mail, confirmation links included), and the recordings
 * routes, which presign S3 uploads and downloads, are another function's (Recordings.api). In
 * the feeds bucket it may only delete personal feeds (`feeds/members/*`): a rotated token's old
 * object goes before the answer (functions/adapters/feeds/rotated-feeds.ts).
 */
export function createApiFunction(scope: Construct, id: string, props: ApiFunctionProps): NodejsFunction {
  const { organisers } = props;
  const fn = createNodeFunction(scope, id, {
    entry: 'functions/api/handler.ts',
    memorySize: 512,
    timeout: Duration.seconds(10),
    environment: {
      ...tableEnvironment(props.tableNames),
      NODE_OPTIONS: '--enable-source-maps',
      [AUTH_ENV.issuer]: organisers.issuer,
      [AUTH_ENV.jwksUrl]: organisers.jwksUrl,
      [AUTH_ENV.clientId]: organisers.client.userPoolClientId,
      // A token older than the client's access-token validity is refused, whatever its exp says.
      [AUTH_ENV.maxAgeSeconds]: String(organisers.accessTokenValidity.toSeconds()),
      [PUBLIC_BASE_URL_ENV]: props.publicBaseUrl,
      // The secret's ARN only: the handler reads the value from Secrets Manager at run time, so it is
      // neither in the template nor in the function's configuration.
      [SIGNING_SECRET_ARN_ENV]: props.signingSecret.secretArn,
      [FEEDS_BUCKET_ENV]: props.feedsBucket.bucketName,
    },
  });
  for (const table of props.readWriteTables) table.grantReadWriteData(fn);
  for (const table of props.readTables) table.grantReadData(fn);
  for (const table of props.putTables) table.grant(fn, 'dynamodb:PutItem');
  props.signingSecret.grantRead(fn);
  fn.addToRolePolicy(new PolicyStatement({ actions: [...API_FEED_OBJECT_ACTIONS], resources: [props.feedsBucket.arnForObjects(`${MEMBER_FEEDS_PREFIX}*`)] }));
  const bucketId = Stack.of(scope).getLogicalId(props.feedsBucket.node.defaultChild as never);
  Validations.of(fn.role!).acknowledge({
    id: `AwsSolutions-IAM5[Resource::<${bucketId}.Arn>/${MEMBER_FEEDS_PREFIX}*]`,
    reason: "The API removes the object of the member's old feed token when it rotates it; the object's key is the token's hash, so the personal-feeds prefix is the narrowest resource.",
  });
  return fn;
}
