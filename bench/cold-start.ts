/**
 * Bundle size and cold import time of every Lambda handler (functions/**\/handler.ts), bundled
 * the way `cdk synth` bundles it. Not a test: prints a table and writes
 * bench/results/cold-start.{json,md}.
 *
 *   npm run bench:cold-start      (COLD_START_RUNS=7; COLD_START_NODE=/path/to/node to time
 *                                  with another Node than the one running this script, e.g. the
 *                                  Lambda runtime's major version)
 *
 * Bundling options: not a copy. The script builds the CDK app (ConveneStack, with bundling
 * skipped, as test/infra does) and asks CDK itself for the esbuild command line of each
 * NodejsFunction (its Bundling's buildEsbuildArgs: infra/stack/node-function.ts's options,
 * the AWS SDK bundled in (`bundleAwsSDK`), and one `--external` per `nodeModules` package), then runs the same options through esbuild's JS API
 * (same esbuild package as CDK's local bundling) with a metafile. That reaches into CDK
 * internals (Code.fromAsset's `bundling` option, Bundling#buildEsbuildArgs); if the app cannot
 * be built (infra/ mid-edit) or those internals moved, it falls back to MIRRORED_OPTIONS below
 * and says so in the output.
 *
 * Peak memory: each run also reports the process's peak resident set (getrusage maxRSS) and V8
 * heap after the import: what the function holds before its first event (Node itself included).
 *
 * Cold import: each bundle is written to a temp dir whose node_modules is a symlink to the
 * project's, so the externals resolve (the nodeModules packages CDK installs beside the bundle
 * at the lockfile's versions). Each run is a fresh
 * `node` with only a Lambda-like environment (the function's variables from the stack, CDK
 * tokens replaced by plausible values, plus the runtime's AWS_* ones) that times
 * `await import(bundle)` (wall and CPU time), with NODE_OPTIONS=--enable-source-maps (as
 * deployed) and without, interleaved, after one discarded warm-up of each (page cache). The
 * functions/api handler builds its whole app and its clients at import, so it needs its
 * variables; an import that throws is reported as such.
 *
 * Figures are from this machine's Node and CPU, not
 * Lambda's (whose CPU share scales with memory): read them as relative, and the load average
 * the report prints tells whether the machine was busy.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { basename, dirname, join, relative, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build, type BuildOptions, type Loader, type Metafile } from 'esbuild';
import { runBenchmark, type Headline } from './support/measure.js';

const projectRoot = fileURLToPath(new URL('../', import.meta.url));
const RUNS = Number(process.env.COLD_START_RUNS ?? 7);
const NODE = process.env.COLD_START_NODE ?? process.execPath;
const SIZE_AIM_BYTES = 1024 * 1024;
const IMPORT_AIM_MS = 300;
/** The context `npm run synth` passes (and test/infra/test-stack.ts uses); bundling skipped. */
const CDK_CONTEXT = {
  'aws:cdk:bundling-stacks': [],
  publicBaseUrl: 'https://convene.example.org',
  mailFrom: 'Convene <no-reply@convene.example.org>',
};
/** Stand-ins for CloudFormation pseudo parameters in environment values. */
const PSEUDO: Record<string, string> = {
  'AWS::Region': 'eu-west-1',
  'AWS::URLSuffix': 'amazonaws.com',
  'AWS::AccountId': '123456789012',
  'AWS::Partition': 'aws',
  'AWS::StackName': 'Convene',
};

/**
 * Fallback only (used when the CDK app cannot be built): a copy of the bundling options of
 * infra/stack/node-function.ts as of this script (the AWS SDK bundled in), as esbuild CLI arguments, and a copy of the functions' environments (all in one).
 * nodeModules then come from a text scan of infra/stack/*.ts.
 */
const MIRRORED_OPTIONS = {
  args: [
    '--target=node24',
    '--platform=node',
    '--format=esm',
    '--minify',
    '--sourcemap',
    "--banner:js=import { createRequire } from 'module'; const require = createRequire(import.meta.url);",
    '--main-fields=module,main',
  ],
  /** Every variable a handler reads at import (functions/api builds its app there), plausible values. */
  environment: {
    NODE_OPTIONS: '--enable-source-maps',
    POWERTOOLS_LOG_LEVEL: 'INFO',
    EVENT_TABLE_NAME: 'bench-events',
    IDEMPOTENCY_TABLE_NAME: 'bench-idempotency',
    READ_MODEL_TABLE_NAME: 'bench-read-models',
    MEMBERS_TABLE_NAME: 'bench-members',
    DELIVERY_TABLE_NAME: 'bench-deliveries',
    ORGANISER_JWT_ISSUER: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_bench',
    ORGANISER_JWKS_URL: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_bench/.well-known/jwks.json',
    ORGANISER_JWT_CLIENT_ID: 'bench-client',
    ORGANISER_JWT_MAX_AGE_SECONDS: '3600',
    PUBLIC_BASE_URL: CDK_CONTEXT.publicBaseUrl,
    MAIL_FROM: CDK_CONTEXT.mailFrom,
    // The secret's ARN only: handlers read the secret on their first invocation, not at import.
    SIGNING_SECRET_ARN: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:bench-link-signing',
    MAIL_CONFIGURATION_SET: 'bench-configuration-set',
    RECORDINGS_BUCKET_NAME: 'bench-recordings',
  } as Record<string, string>,
};

interface FunctionConfig {
  /** functions/<name>/handler.ts */
  name: string;
  entry: string;
  /** esbuild CLI arguments, without --bundle, the entry and --outfile. */
  args: string[];
  /** Packages installed beside the bundle (externals the import test must resolve). */
  nodeModules: string[];
  /** The function's environment variables, tokens rendered as plausible values. */
  environment: Record<string, string>;
  memoryMB?: number;
  runtime?: string;
  inStack: boolean;
}

interface Options {
  source: string;
  functions: FunctionConfig[];
}

// ---------------------------------------------------------------------------------------------
// Handlers and their bundling options

/** functions/**\/handler.ts, relative to the project root, sorted. */
function findHandlers(): string[] {
  return readdirSync(join(projectRoot, 'functions'), { recursive: true, encoding: 'utf8' })
    .map((p) => `functions/${p.split(sep).join('/')}`)
    .filter((p) => basename(p) === 'handler.ts')
    .sort();
}

const functionName = (entry: string) => dirname(entry).replace(/^functions\//, '');

/** A CloudFormation value as a string a deployed function could have seen. */
function render(value: unknown): string {
  if (typeof value === 'string') {
    // Dynamic references are resolved by CloudFormation at deploy time (none is used now: test/infra/secrets-at-run-time.unit.test.ts).
    return value.replace(/\{\{resolve:[^}]*\}\}/g, 'S'.repeat(48));
  }
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value && typeof value === 'object') {
    const [fn, arg] = Object.entries(value)[0] ?? [];
    if (fn === 'Ref' && typeof arg === 'string') return PSEUDO[arg] ?? `bench-${arg.toLowerCase()}`;
    if (fn === 'Fn::GetAtt' && Array.isArray(arg)) return `bench-${arg.join('-').toLowerCase()}`;
    if (fn === 'Fn::Join' && Array.isArray(arg)) {
      const [separator, parts] = arg as [string, unknown[]];
      return render(parts.map(render).join(separator));
    }
    if (fn === 'Fn::Select' && Array.isArray(arg)) return `bench-select-${arg[0]}`;
  }
  return 'bench-value';
}

/** Options as CDK builds them, from the ConveneStack itself. */
async function optionsFromCdk(handlers: string[], outdir: string): Promise<Options> {
  const { App } = await import('aws-cdk-lib');
  const lambda = await import('aws-cdk-lib/aws-lambda');
  const { NodejsFunction } = await import('aws-cdk-lib/aws-lambda-nodejs');
  const { ConveneStack } = await import('../infra/stack/convene-stack.js');
  const { entryOf } = await import('../infra/stack/node-function.js');

  // CDK internals: NodejsFunction passes its Bundling to Code.fromAsset as `bundling`.
  interface CdkBundling {
    props: { entry: string; nodeModules?: string[]; esbuildArgs?: Record<string, string | boolean> };
    buildEsbuildArgs(scope: unknown, inputDir: string, outputDir: string, pathJoin: (...p: string[]) => string): string[];
  }
  const bundlings: CdkBundling[] = [];
  const code = lambda.Code as unknown as { fromAsset: (path: string, options?: { bundling?: unknown }) => unknown };
  const fromAsset = code.fromAsset;
  code.fromAsset = function (this: unknown, path, options) {
    const bundling = options?.bundling as Partial<CdkBundling> | undefined;
    if (typeof bundling?.buildEsbuildArgs === 'function' && bundling.props) bundlings.push(bundling as CdkBundling);
    return fromAsset.call(this, path, options);
  };
  let stack: InstanceType<typeof ConveneStack>;
  try {
    stack = new ConveneStack(new App({ outdir, builtinCloudFormationValidation: false, context: { ...CDK_CONTEXT } }), 'Convene');
  } finally {
    code.fromAsset = fromAsset;
  }
  if (bundlings.length === 0) throw new Error('no NodejsFunction bundling seen (CDK internals changed?)');

  const argsOf = (b: CdkBundling) => {
    const args = [...b.buildEsbuildArgs(stack, projectRoot, '/out', join), ...cliArgs(b.props.esbuildArgs ?? {})];
    return args.filter((a) => !a.startsWith('--outfile=') && !a.startsWith('--metafile='));
  };
  const byEntry = new Map(bundlings.map((b) => [relative(projectRoot, b.props.entry).split(sep).join('/'), b]));
  const functions = new Map<string, { memoryMB?: number; runtime?: string; environment: Record<string, string> }>();
  for (const c of stack.node.findAll()) {
    if (!(c instanceof NodejsFunction)) continue;
    const entry = entryOf(c);
    if (!entry) continue;
    const cfn = c.node.defaultChild as InstanceType<typeof lambda.CfnFunction>;
    const resolved = stack.resolve(cfn.environment) as { variables?: Record<string, unknown> } | undefined;
    const environment = Object.fromEntries(Object.entries(resolved?.variables ?? {}).map(([k, v]) => [k, render(v)]));
    const logging = stack.resolve(cfn.loggingConfig) as { logFormat?: string } | undefined;
    if (logging?.logFormat) environment.AWS_LAMBDA_LOG_FORMAT = logging.logFormat;
    const memoryMB = stack.resolve(cfn.memorySize) as number | undefined;
    functions.set(entry, { environment, ...(memoryMB ? { memoryMB } : {}), ...(cfn.runtime ? { runtime: cfn.runtime } : {}) });
  }

  // A handler the app does not deploy: the shared options, without any function's nodeModules.
  const [first] = bundlings;
  const shared = argsOf(first!).filter((a) => !(first!.props.nodeModules ?? []).some((m) => a === `--external:${m}`));
  return {
    source: 'CDK: Bundling#buildEsbuildArgs of each NodejsFunction in ConveneStack (infra/stack/node-function.ts + CDK defaults)',
    functions: handlers.map((entry) => {
      const b = byEntry.get(entry);
      const fn = functions.get(entry);
      return {
        name: functionName(entry),
        entry,
        args: b ? argsOf(b) : shared,
        nodeModules: [...(b?.props.nodeModules ?? [])],
        environment: fn?.environment ?? {},
        ...(fn?.memoryMB ? { memoryMB: fn.memoryMB } : {}),
        ...(fn?.runtime ? { runtime: fn.runtime } : {}),
        inStack: b !== undefined,
      };
    }),
  };
}

/** Fallback: MIRRORED_OPTIONS, nodeModules by a text scan of infra/stack/*.ts. */
function mirroredOptions(handlers: string[], reason: string): Options {
  const nodeModules = new Map<string, string[]>();
  const stackDir = join(projectRoot, 'infra/stack');
  for (const file of readdirSync(stackDir).filter((f) => f.endsWith('.ts'))) {
    const text = readFileSync(join(stackDir, file), 'utf8');
    const entries = [...text.matchAll(/entry:\s*'([^']+)'/g)];
    entries.forEach((m, i) => {
      const until = entries[i + 1]?.index ?? text.length;
      const list = /nodeModules:\s*\[([^\]]*)\]/.exec(text.slice(m.index, until));
      nodeModules.set(m[1]!, list ? [...list[1]!.matchAll(/'([^']+)'/g)].map((x) => x[1]!) : []);
    });
  }
  return {
    source: `MIRRORED copy in bench/cold-start.ts (the CDK app could not be built: ${reason})`,
    functions: handlers.map((entry) => {
      const modules = nodeModules.get(entry) ?? [];
      return {
        name: functionName(entry),
        entry,
        args: [...MIRRORED_OPTIONS.args, ...modules.map((m) => `--external:${m}`)],
        nodeModules: modules,
        environment: { ...MIRRORED_OPTIONS.environment },
        inStack: nodeModules.has(entry),
      };
    }),
  };
}

/** CDK's toCliArgsArray for props.esbuildArgs. */
function cliArgs(esbuildArgs: Record<string, string | boolean>): string[] {
  return Object.entries(esbuildArgs).map(([k, v]) => (v === true ? k : `${k}=${v}`));
}

/** esbuild CLI arguments (the ones CDK emits) as JS API options; unknown ones are an error. */
function toBuildOptions(args: readonly string[]): BuildOptions {
  const o: BuildOptions & { external: string[]; inject: string[]; loader: Record<string, Loader>; define: Record<string, string> } = {
    external: [],
    inject: [],
    loader: {},
    define: {},
  };
  for (const arg of args) {
    const m = /^--([a-z-]+)(?::([^=]+))?(?:=(.*))?$/s.exec(arg);
    const [, flag, key, value] = m ?? [];
    if (flag === 'target' && value) o.target = value;
    else if (flag === 'platform' && value) o.platform = value as BuildOptions['platform'];
    else if (flag === 'format' && value) o.format = value as BuildOptions['format'];
    else if (flag === 'minify' && value === undefined) o.minify = true;
    else if (flag === 'sourcemap') o.sourcemap = value === undefined ? true : (value as BuildOptions['sourcemap']);
    else if (flag === 'sources-content' && value) o.sourcesContent = value !== 'false';
    else if (flag === 'external' && key) o.external.push(key);
    else if (flag === 'loader' && key && value) o.loader[key] = value as Loader;
    else if (flag === 'define' && key && value !== undefined) o.define[key] = value;
    else if (flag === 'log-level' && value) o.logLevel = value as BuildOptions['logLevel'];
    else if (flag === 'keep-names' && value === undefined) o.keepNames = true;
    else if (flag === 'tsconfig' && value) o.tsconfig = value;
    else if (flag === 'banner' && key === 'js' && value !== undefined) o.banner = { js: value };
    else if (flag === 'footer' && key === 'js' && value !== undefined) o.footer = { js: value };
    else if (flag === 'main-fields' && value) o.mainFields = value.split(',');
    else if (flag === 'inject' && key) o.inject.push(key);
    else throw new Error(`esbuild argument ${JSON.stringify(arg)} is not translated by bench/cold-start.ts: add it to toBuildOptions`);
  }
  return o;
}

// ---------------------------------------------------------------------------------------------
// Bundling and measuring

interface TopInput {
  package: string;
  bytes: number;
  share: number;
}

interface Bundle {
  file: string;
  bytes: number;
  mapBytes: number;
  top: TopInput[];
}

/** The package (or project folder) an input path belongs to. */
function packageOf(input: string): string {
  const m = /.*node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input);
  if (m) return m[1]!;
  if (input.startsWith('<')) return input;
  return `(project) ${input.split('/')[0]}/`;
}

function topInputs(metafile: Metafile, output: string, n: number): TopInput[] {
  const inputs = metafile.outputs[output]?.inputs ?? {};
  const sizes = new Map<string, number>();
  for (const [path, { bytesInOutput }] of Object.entries(inputs)) sizes.set(packageOf(path), (sizes.get(packageOf(path)) ?? 0) + bytesInOutput);
  const total = [...sizes.values()].reduce((a, b) => a + b, 0);
  return [...sizes.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([pkg, bytes]) => ({ package: pkg, bytes, share: bytes / total }));
}

async function bundle(fn: FunctionConfig, args: readonly string[], outDir: string): Promise<Bundle> {
  mkdirSync(outDir, { recursive: true });
  const file = join(outDir, 'index.mjs');
  const result = await build({
    ...toBuildOptions(args),
    absWorkingDir: projectRoot,
    entryPoints: [join(projectRoot, fn.entry)],
    bundle: true,
    outfile: file,
    metafile: true,
    write: true,
    logLevel: 'warning',
  });
  const output = relative(projectRoot, file).split(sep).join('/');
  return { file, bytes: statSync(file).size, mapBytes: statSync(`${file}.map`).size, top: topInputs(result.metafile, output, 5) };
}

/** The variables Lambda's Node runtime sets itself (credentials aside: clients load them lazily). */
function runtimeEnvironment(fn: FunctionConfig, bundleDir: string): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    LANG: 'en_US.UTF-8',
    TZ: ':UTC',
    AWS_REGION: PSEUDO['AWS::Region']!,
    AWS_DEFAULT_REGION: PSEUDO['AWS::Region']!,
    AWS_EXECUTION_ENV: `AWS_Lambda_${fn.runtime ?? 'nodejs'}`,
    AWS_LAMBDA_FUNCTION_NAME: `Convene-${fn.name}`,
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(fn.memoryMB ?? 128),
    AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/Convene-${fn.name}`,
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    LAMBDA_TASK_ROOT: bundleDir,
  };
}

/** Run in each fresh process: the time `await import(bundle)` takes, or the error it throws. */
const CHILD = `
const t0 = performance.now();
const cpu0 = process.cpuUsage();
try {
  await import(process.argv[1]);
  const t1 = performance.now();
  const cpu = process.cpuUsage(cpu0);
  process.stdout.write(JSON.stringify({ importMs: t1 - t0, cpuMs: (cpu.user + cpu.system) / 1000, sinceStartMs: t1, peakRssKiB: process.resourceUsage().maxRSS, heapUsedBytes: process.memoryUsage().heapUsed, node: process.version }));
} catch (error) {
  process.stdout.write(JSON.stringify({ error: String(error?.stack ?? error).split('\\n').slice(0, 2).map((l) => l.trim()).join(' '), node: process.version }));
}
process.exit(0);
`;

interface Sample {
  importMs?: number;
  /** User + system CPU time of the process (all its threads) during the import: less sensitive to a busy machine. */
  cpuMs?: number;
  sinceStartMs?: number;
  /** The process's peak resident set (getrusage maxRSS) once the import is done: Node itself, the bundle, what it built at import. */
  peakRssKiB?: number;
  heapUsedBytes?: number;
  node?: string;
  error?: string;
}

function importOnce(file: string, env: Record<string, string>, sourceMaps: boolean): Sample {
  const nodeOptions = (env.NODE_OPTIONS ?? '').split(/\s+/).filter((o) => o && o !== '--enable-source-maps');
  if (sourceMaps) nodeOptions.push('--enable-source-maps');
  const child = spawnSync(NODE, ['--input-type=module', '-e', CHILD, pathToFileURL(file).href], {
    env: { ...env, NODE_OPTIONS: nodeOptions.join(' ') },
    encoding: 'utf8',
    timeout: 60_000,
  });
  try {
    return JSON.parse(child.stdout) as Sample;
  } catch {
    return { error: `exit ${child.status ?? child.signal}: ${(child.stderr || child.stdout).trim().split('\n').slice(0, 4).join(' ')}` };
  }
}

interface Timing {
  runs: number[];
  medianMs: number;
  maxMs: number;
  minMs: number;
  cpuMedianMs: number;
  /** Median of performance.now() after the import: Node's own start-up included. */
  medianSinceStartMs: number;
  /** Median peak resident set after the cold import, MiB. */
  peakRssMiB: number;
  /** Median V8 heap in use after the import, MiB. */
  heapUsedMiB: number;
}

const median = (xs: readonly number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const round = (x: number) => Number(x.toFixed(1));
const timing = (samples: Sample[]): Timing => {
  const runs = samples.map((s) => s.importMs!);
  return {
    runs: runs.map(round),
    medianMs: round(median(runs)),
    maxMs: round(Math.max(...runs)),
    minMs: round(Math.min(...runs)),
    cpuMedianMs: round(median(samples.map((s) => s.cpuMs!))),
    medianSinceStartMs: round(median(samples.map((s) => s.sinceStartMs!))),
    peakRssMiB: round(median(samples.map((s) => s.peakRssKiB! / 1024))),
    heapUsedMiB: round(median(samples.map((s) => s.heapUsedBytes! / 1024 / 1024))),
  };
};

/** RUNS imports with and without --enable-source-maps, interleaved, after a warm-up of each. */
function measureImports(file: string, env: Record<string, string>): { withSourceMaps?: Timing; withoutSourceMaps?: Timing; error?: string; node?: string } {
  const samples = { with: [] as Sample[], without: [] as Sample[] };
  for (let i = -1; i < RUNS; i++) {
    for (const mode of ['with', 'without'] as const) {
      const s = importOnce(file, env, mode === 'with');
      if (s.error) return { error: s.error, ...(s.node ? { node: s.node } : {}) };
      if (i >= 0) samples[mode].push(s);
    }
  }
  return { withSourceMaps: timing(samples.with), withoutSourceMaps: timing(samples.without), ...(samples.with[0]?.node ? { node: samples.with[0].node } : {}) };
}

// ---------------------------------------------------------------------------------------------
// Report

const kib = (bytes: number) => (bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(2)} MiB` : `${(bytes / 1024).toFixed(0)} KiB`);
const topText = (top: TopInput[]) => top.map((t) => `${t.package} ${kib(t.bytes)} (${Math.round(t.share * 100)}%)`).join('<br>');

interface Row {
  name: string;
  entry: string;
  inStack: boolean;
  memoryMB?: number;
  runtime?: string;
  nodeModules: string[];
  externals: string[];
  /** The variables the import ran with (function's own, then the runtime's), names only. */
  environmentKeys: string[];
  deployedWithSourceMaps: boolean;
  bundle: Omit<Bundle, 'file'>;
  import: ReturnType<typeof measureImports>;
  aims: { size: boolean; import: boolean | null };
}

function importCell(t: ReturnType<typeof measureImports>, which: 'withSourceMaps' | 'withoutSourceMaps', deployed: boolean) {
  const x = t[which];
  return x ? `${x.medianMs} / ${x.maxMs}${deployed ? ' (deployed)' : ''}` : 'throws';
}

async function main() {
  const handlers = findHandlers();
  const tmp = mkdtempSync(join(tmpdir(), 'convene-cold-start-'));
  const load = { before: loadavg()[0]!, after: 0, cpus: availableParallelism() };
  const rows: Row[] = [];
  let options: Options;
  try {
    try {
      options = await optionsFromCdk(handlers, join(tmp, 'cdk.out'));
    } catch (error) {
      const reason = error instanceof Error ? error.message.split('\n')[0]! : String(error);
      console.warn(`bench/cold-start: falling back to mirrored options: ${reason}`);
      options = mirroredOptions(handlers, reason);
    }
    console.log(`options: ${options.source}`);
    // The externals resolve from here: the nodeModules packages (beside the bundle on Lambda).
    symlinkSync(join(projectRoot, 'node_modules'), join(tmp, 'node_modules'), 'dir');
    for (const fn of options.functions) {
      const deployedWithSourceMaps = /(^|\s)--enable-source-maps(\s|$)/.test(fn.environment.NODE_OPTIONS ?? '');
      let environmentKeys: string[] = [];
      const measure = async (args: string[], dir: string) => {
        const b = await bundle(fn, args, join(tmp, dir));
        const env = { ...runtimeEnvironment(fn, dirname(b.file)), ...fn.environment };
        environmentKeys = Object.keys(env).filter((k) => k !== 'PATH').sort();
        const { file: _file, ...bundleFigures } = b;
        return { bundle: bundleFigures, import: measureImports(b.file, env) };
      };
      process.stdout.write(`${fn.name}: bundling, importing ${RUNS}+1 times with and without source maps ... `);
      const deployed = await measure(fn.args, fn.name);
      const deployedTiming = deployed.import[deployedWithSourceMaps ? 'withSourceMaps' : 'withoutSourceMaps'];
      rows.push({
        name: fn.name,
        entry: fn.entry,
        inStack: fn.inStack,
        ...(fn.memoryMB ? { memoryMB: fn.memoryMB } : {}),
        ...(fn.runtime ? { runtime: fn.runtime } : {}),
        nodeModules: fn.nodeModules,
        externals: toBuildOptions(fn.args).external ?? [],
        environmentKeys,
        deployedWithSourceMaps,
        ...deployed,
        aims: { size: deployed.bundle.bytes <= SIZE_AIM_BYTES, import: deployedTiming ? deployedTiming.medianMs < IMPORT_AIM_MS : null },
      });
      console.log(deployed.import.error ? `import throws: ${deployed.import.error}` : `${kib(deployed.bundle.bytes)}, ${deployedTiming?.medianMs} ms`);
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  load.after = loadavg()[0]!;

  const node = rows.find((r) => r.import.node)?.import.node ?? 'unknown';
  const busy = Math.max(load.before, load.after) > load.cpus * 0.75;
  const mark = (ok: boolean, what: string) => (ok ? 'ok' : `**MISS** (${what})`);
  const deployedTiming = (r: Row) => (r.deployedWithSourceMaps ? r.import.withSourceMaps : r.import.withoutSourceMaps);
  const md = [
    `Cold start of each handler, bundled as CDK bundles it (${options.source.startsWith('CDK') ? 'esbuild options taken from the CDK app' : '**mirrored options, the CDK app did not build: see the JSON**'}; ` +
      `${rows.some((r) => r.externals.some((e) => e.startsWith('@aws-sdk/'))) ? '`@aws-sdk/*` external, left to the runtime' : 'the AWS SDK bundled in'}). Import timed in a fresh \`node\` ${node} per run: ${RUNS} runs after 1 discarded warm-up, median / max ms; ` +
      `CPU = user + system time of the process during the import, median. ` +
      `Aims: bundle <= 1 MiB; cold import < ${IMPORT_AIM_MS} ms (median, with the NODE_OPTIONS the function is deployed with).`,
    '',
    `Load average ${load.before.toFixed(1)} before, ${load.after.toFixed(1)} after, on ${load.cpus} CPUs${busy ? ': **the machine was busy, wall times are inflated; compare CPU times**' : ''}.`,
    '',
    '| function | memory | bundle (.mjs) | .map | size aim | import ms, --enable-source-maps | import ms, without | CPU ms (deployed) | peak RSS / heap after import (deployed) | import aim | largest inputs (bytes in bundle) |',
    '|---|---:|---:|---:|---|---:|---:|---:|---:|---|---|',
    ...rows.map((r) =>
      [
        `${r.name}${r.inStack ? '' : ' (not in the CDK app)'}${r.nodeModules.length ? `<br>beside: ${r.nodeModules.join(', ')}` : ''}`,
        r.memoryMB ? `${r.memoryMB} MB` : '',
        kib(r.bundle.bytes),
        kib(r.bundle.mapBytes),
        mark(r.aims.size, kib(r.bundle.bytes)),
        importCell(r.import, 'withSourceMaps', r.deployedWithSourceMaps),
        importCell(r.import, 'withoutSourceMaps', !r.deployedWithSourceMaps),
        deployedTiming(r)?.cpuMedianMs ?? '',
        deployedTiming(r) ? `${deployedTiming(r)!.peakRssMiB} MiB / ${deployedTiming(r)!.heapUsedMiB} MiB` : '',
        r.import.error ? `**throws**: ${r.import.error.replace(/\|/g, '\\|')}` : mark(r.aims.import === true, `${deployedTiming(r)?.medianMs} ms`),
        topText(r.bundle.top),
      ].join(' | '),
    ).map((line) => `| ${line} |`),
  ].join('\n');

  const result = {
    date: new Date().toISOString(),
    node,
    runs: RUNS,
    loadAverage: load,
    aims: { maxBundleBytes: SIZE_AIM_BYTES, maxImportMs: IMPORT_AIM_MS },
    options: options.source,
    esbuildArgs: Object.fromEntries(options.functions.map((f) => [f.name, f.args])),
    functions: rows,
    headlines: coldStartHeadlines(rows.map((r) => ({ name: r.name, bytes: r.bundle.bytes, importMs: deployedTiming(r)?.medianMs, peakRssMiB: deployedTiming(r)?.peakRssMiB, memoryMB: r.memoryMB }))),
  };
  writeFileSync(new URL('./results/cold-start.json', import.meta.url), `${JSON.stringify(result, null, 2)}\n`);
  writeFileSync(new URL('./results/cold-start.md', import.meta.url), `${md}\n`);
  console.log(`\n${md}`);
}

runBenchmark(main);

/** The summary row: the largest bundle and the slowest median import against their aims. */
function coldStartHeadlines(fns: { name: string; bytes: number; importMs: number | undefined; peakRssMiB: number | undefined; memoryMB: number | undefined }[]): Headline[] {
  const largest = fns.reduce((a, b) => (b.bytes > a.bytes ? b : a));
  const slowest = fns.reduce((a, b) => ((b.importMs ?? Infinity) > (a.importMs ?? Infinity) ? b : a));
  return [
    {
      benchmark: `cold start, ${fns.length} functions (bundle; median cold import)`,
      figure: `largest ${Math.round(largest.bytes / 1024)} KiB (${largest.name}); slowest ${slowest.importMs ?? 'failed'} ms (${slowest.name})`,
      baseline: '',
      aim: `bundle ≤ ${SIZE_AIM_BYTES / 1024 / 1024} MiB, import < ${IMPORT_AIM_MS} ms`,
      met: largest.bytes <= SIZE_AIM_BYTES && slowest.importMs !== undefined && slowest.importMs < IMPORT_AIM_MS,
      checked: `bundle, median cold import, peak RSS after it of the memory configured: ${fns.map((f) => `${f.name} ${Math.round(f.bytes / 1024)} KiB ${f.importMs ?? '-'} ms ${f.peakRssMiB ?? '-'} of ${f.memoryMB ?? 128} MB`).join(', ')}`,
    },
  ];
}
