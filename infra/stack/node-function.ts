import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RemovalPolicy, type Duration } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, LoggingFormat, Runtime } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { Construct } from 'constructs';

/** The folder of package.json and package-lock.json. */
const projectRoot = fileURLToPath(new URL('../../', import.meta.url));

export interface NodeFunctionProps {
  /** The handler module, relative to the project root, e.g. 'functions/api/handler.ts'. It exports `handler`. */
  readonly entry: string;
  readonly memorySize: number;
  readonly timeout: Duration;
  readonly environment: Record<string, string>;
  /** Packages installed next to the bundle instead of inlined (they read their own files). */
  readonly nodeModules?: readonly string[];
  /**
   * Folders of the project copied next to the bundle (`index.mjs`), under their last name: files
   * a handler reads at run time beside its module, e.g. the certificates' fonts.
   */
  readonly assetFolders?: readonly string[];
}

/** The folders a function was built with, for tests (a synth without bundling runs no hook). */
const assetFoldersOf = new WeakMap<NodejsFunction, readonly string[]>();

/** Entries (relative to the project root) of the functions built here, for tests and wiring. */
const entries = new WeakMap<NodejsFunction, string>();

/** How long function logs are kept. */
export const LOG_RETENTION = RetentionDays.THREE_MONTHS;

/**
 * A Lambda running one handler of functions/ on Node.js 24, arm64, bundled locally by esbuild
 * as a minified ES module with source maps (NODE_OPTIONS=--enable-source-maps is the
 * caller's, with the rest of the environment: see serviceEnvironment). Logs are JSON (the
 * Powertools logger's lines, and the runtime's own) in a log group of its own kept
 * `LOG_RETENTION`; its role starts empty (no AWS managed policy) with only the right to write
 * to that log group, and each construct grants what its handler uses.
 */
export function createNodeFunction(scope: Construct, id: string, props: NodeFunctionProps): NodejsFunction {
  const logGroup = new LogGroup(scope, `${id}Logs`, { retention: LOG_RETENTION, removalPolicy: RemovalPolicy.DESTROY });
  const role = new Role(scope, `${id}ServiceRole`, { assumedBy: new ServicePrincipal('lambda.amazonaws.com') });
  const fn = new NodejsFunction(scope, id, {
    role,
    logGroup,
    loggingFormat: LoggingFormat.JSON,
    projectRoot,
    depsLockFilePath: join(projectRoot, 'package-lock.json'),
    entry: join(projectRoot, props.entry),
    handler: 'handler',
    runtime: Runtime.NODEJS_24_X,
    architecture: Architecture.ARM_64,
    memorySize: props.memorySize,
    timeout: props.timeout,
    bundling: {
      format: OutputFormat.ESM,
      minify: true,
      sourceMap: true,
      target: 'node24',
      mainFields: ['module', 'main'],
      // The AWS SDK clients are bundled, not taken from the runtime: the versions tested here
      // are the ones that run, and one minified file loads faster than the runtime's many.
      bundleAwsSDK: true,
      // Bundled CommonJS dependencies may still call require(): give the ES module one.
      banner: "import { createRequire } from 'module'; const require = createRequire(import.meta.url);",
      // Packages that read their own files at run time are installed beside the bundle, not inlined.
      ...(props.nodeModules ? { nodeModules: [...props.nodeModules] } : {}),
      ...(props.assetFolders
        ? {
            commandHooks: {
              beforeBundling: () => [],
              beforeInstall: () => [],
              afterBundling: (inputDir: string, outputDir: string) =>
                props.assetFolders!.map((folder) => `cp -R "${join(inputDir, folder)}" "${join(outputDir, folder.split('/').at(-1)!)}"`),
            },
          }
        : {}),
    },
    environment: props.environment,
  });
  // CreateLogStream and PutLogEvents on this function's log group only.
  logGroup.grantWrite(role);
  entries.set(fn, props.entry);
  if (props.assetFolders) assetFoldersOf.set(fn, props.assetFolders);
  return fn;
}

/** The project folders copied next to a function's bundle (createNodeFunction's `assetFolders`). */
export function assetFoldersOfFunction(fn: NodejsFunction): readonly string[] {
  return assetFoldersOf.get(fn) ?? [];
}

/** The entry a function was built from by createNodeFunction, relative to the project root. */
export function entryOf(fn: NodejsFunction): string | undefined {
  return entries.get(fn);
}

/**
 * The environment every background handler shares: source-mapped stack traces (the bundle is
 * minified) and the Powertools logger's service name and level.
 */
export function serviceEnvironment(serviceName: string): Record<string, string> {
  return { NODE_OPTIONS: '--enable-source-maps', POWERTOOLS_SERVICE_NAME: serviceName, POWERTOOLS_LOG_LEVEL: 'INFO' };
}
