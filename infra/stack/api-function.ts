import { Duration } from 'aws-cdk-lib';
import type { TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { Construct } from 'constructs';
import { AUTH_ENV, PUBLIC_BASE_URL_ENV, SIGNING_SECRET_ARN_ENV } from '../../functions/api/route-table.js';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { tableEnvironment } from '../../functions/tables.js';
import type { TableNames } from '../../functions/tables.js';
import { createNodeFunction } from './node-function.js';
import type { Organisers } from './organisers.js';

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
}

/**
 * The API Lambda (functions/api/handler.ts). It may read and write the given read-write
 * tables, read the read-only ones and the link-signing secret, and nothing else: it sends no
 * mail (the dispatcher sends every mail, confirmation links included), and the recordings
 * routes, which presign S3 uploads and downloads, are another function's (Recordings.api).
 */
export function createApiFunction(scope: Construct, id: string, props: ApiFunctionProps): NodejsFunction {
  const { organisers } = props;
  const fn = createNodeFunction(scope, id, {
    entry: 'functions/api/handler.ts',
    memorySize: 512,
    timeout: Duration.seconds(10),
    // The feed renderer reads VTIMEZONE definitions from this package's folder.
    nodeModules: ['@touch4it/ical-timezones'],
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
    },
  });
  for (const table of props.readWriteTables) table.grantReadWriteData(fn);
  for (const table of props.readTables) table.grantReadData(fn);
  for (const table of props.putTables) table.grant(fn, 'dynamodb:PutItem');
  props.signingSecret.grantRead(fn);
  return fn;
}
