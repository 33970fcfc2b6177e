import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Duration } from 'aws-cdk-lib';
import type { TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Architecture, Runtime } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { Construct } from 'constructs';
import { AUTH_ENV } from '../../functions/api/route-table.js';
import { tableEnvironment } from '../tables.js';
import type { TableNames } from '../tables.js';
import type { Organisers } from './organisers.js';

/** The folder of package.json and package-lock.json. */
const projectRoot = fileURLToPath(new URL('../../', import.meta.url));

export interface ApiFunctionProps {
  /** Table names by definition id, for the handler's environment. */
  readonly tableNames: TableNames;
  /** The tables the API reads and writes: the event table (with its indexes) and the idempotency table. */
  readonly tables: readonly TableV2[];
  readonly organisers: Organisers;
}

/**
 * The API Lambda (functions/api/handler.ts), bundled locally by esbuild as an ES module. It
 * may read and write the given tables and nothing else: no mail, no buckets.
 */
export function createApiFunction(scope: Construct, id: string, props: ApiFunctionProps): NodejsFunction {
  const { organisers } = props;
  const fn = new NodejsFunction(scope, id, {
    projectRoot,
    depsLockFilePath: join(projectRoot, 'package-lock.json'),
    entry: join(projectRoot, 'functions/api/handler.ts'),
    handler: 'handler',
    runtime: Runtime.NODEJS_22_X,
    architecture: Architecture.ARM_64,
    memorySize: 512,
    timeout: Duration.seconds(10),
    bundling: {
      format: OutputFormat.ESM,
      minify: true,
      sourceMap: true,
      target: 'node22',
      mainFields: ['module', 'main'],
      // Bundled CommonJS dependencies may still call require(): give the ES module one.
      banner: "import { createRequire } from 'module'; const require = createRequire(import.meta.url);",
    },
    environment: {
      ...tableEnvironment(props.tableNames),
      NODE_OPTIONS: '--enable-source-maps',
      [AUTH_ENV.issuer]: organisers.issuer,
      [AUTH_ENV.jwksUrl]: organisers.jwksUrl,
      [AUTH_ENV.clientId]: organisers.client.userPoolClientId,
    },
  });
  for (const table of props.tables) table.grantReadWriteData(fn);
  return fn;
}
