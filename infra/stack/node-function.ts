import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Duration } from 'aws-cdk-lib';
import { Architecture, Runtime } from 'aws-cdk-lib/aws-lambda';
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
}

/** Entries (relative to the project root) of the functions built here, for tests and wiring. */
const entries = new WeakMap<NodejsFunction, string>();

/**
 * A Lambda running one handler of functions/ on Node.js 22, arm64, bundled locally by esbuild
 * as a minified ES module with source maps (NODE_OPTIONS=--enable-source-maps is the
 * caller's, with the rest of the environment: see serviceEnvironment).
 */
export function createNodeFunction(scope: Construct, id: string, props: NodeFunctionProps): NodejsFunction {
  const fn = new NodejsFunction(scope, id, {
    projectRoot,
    depsLockFilePath: join(projectRoot, 'package-lock.json'),
    entry: join(projectRoot, props.entry),
    handler: 'handler',
    runtime: Runtime.NODEJS_22_X,
    architecture: Architecture.ARM_64,
    memorySize: props.memorySize,
    timeout: props.timeout,
    bundling: {
      format: OutputFormat.ESM,
      minify: true,
      sourceMap: true,
      target: 'node22',
      mainFields: ['module', 'main'],
      // Bundled CommonJS dependencies may still call require(): give the ES module one.
      banner: "import { createRequire } from 'module'; const require = createRequire(import.meta.url);",
      // Packages that read their own files at run time are installed beside the bundle, not inlined.
      ...(props.nodeModules ? { nodeModules: [...props.nodeModules] } : {}),
    },
    environment: props.environment,
  });
  entries.set(fn, props.entry);
  return fn;
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
