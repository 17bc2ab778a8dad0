/**
 * Each Lambda function's bundle size and module init time, against a bare
 * `export const handler = async () => {}` bundle measured in the same run.
 *
 * Every handler under functions/ is bundled with the options serverless.yml gives
 * serverless-esbuild (ESM, node22, the createRequire banner, the config embedded through `define`,
 * here sentinel.config.example.yml), then imported in a fresh `node` process, several times, with
 * AWS_LAMBDA_FUNCTION_NAME and the stack's variables set, as in Lambda's init phase (which only
 * loads the code: the handler validates its config and builds its clients on the first
 * invocation; `wiredInitMs` measures the import plus that wiring, and the goal is on it, since the SDK-only baseline builds its clients at import). Init time is the median CPU time (user + system) the `import()` took
 * in that process; the median wall time is reported beside it. The machine the bench runs on is
 * shared, so wall time there says as much about the neighbours as about the bundle. No network:
 * the SDK clients are created, not called. Source maps are off, as in the default package
 * (`deployment.sourceMaps`).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { readSentinelConfigFile } from '../config/load';
import { embedConfig } from '../deploy/stack';
import { SHIPPED_BUILD_OPTIONS } from './shipped-bundle';

const root = new URL('../', import.meta.url).pathname;

export interface BundleResult {
  name: string;
  bytes: number;
  gzipBytes: number;
  /** Median CPU ms of the import. */
  initMs: number;
  /** Median wall ms of the import, for information. */
  initWallMs: number;
  /** initMs / the bare handler's initMs. */
  initRatio: number;
  /** The AWS SDK client packages the bundle holds (from esbuild's metafile). */
  sdkClients: string[];
  /** Init (CPU ms) of a bundle of only those clients, each constructed once; NaN for the bare handler. */
  sdkOnlyInitMs: number;
  /** The same in wall ms, for information. */
  sdkOnlyInitWallMs: number;
  /** initMs / sdkOnlyInitMs: the budget is 1.3. */
  sdkRatio: number;
  /**
   * CPU ms of the import plus `defaultDeps()`, the wiring the handler does on its first invocation
   * (config validation, clients, alert path); NaN for the bare handler. For information: what a
   * cold start costs before the first event is handled.
   */
  wiredInitMs: number;
}

/** The `@aws-sdk/client-*` packages among a bundle's inputs. */
const sdkClientsOf = (inputs: readonly string[]): string[] =>
  [
    ...new Set(
      inputs.flatMap((input) => {
        const found = /node_modules\/@aws-sdk\/(client-[a-z0-9-]+)\//.exec(input);
        return found?.[1] === undefined ? [] : [found[1]];
      }),
    ),
  ].sort();

/** Source of a handler that only builds the given clients (the class named like the package). */
const sdkOnlySource = (clients: readonly string[]): string => {
  const lines = clients.map((client, index) => {
    const className = `${client
      .replace(/^client-/, '')
      .split('-')
      .map((part) =>
        part === 'sns' || part === 'ssm' ? part.toUpperCase() : `${part[0]?.toUpperCase()}${part.slice(1)}`,
      )
      .join('')}Client`
      .replace('CloudwatchLogsClient', 'CloudWatchLogsClient')
      .replace('DynamodbClient', 'DynamoDBClient');
    return `import { ${className} as C${index} } from '@aws-sdk/${client}';\nexport const c${index} = new C${index}({});`;
  });
  return `${lines.join('\n')}\nexport const handler = async () => {};\n`;
};

const IMPORT_SCRIPT = `const cpu = process.cpuUsage();
const start = performance.now();
await import(process.argv[1]);
const wall = performance.now() - start;
const used = process.cpuUsage(cpu);
process.stdout.write(JSON.stringify({ cpu: (used.user + used.system) / 1000, wall }));`;

interface Sample {
  cpu: number;
  wall: number;
}

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] ?? 0)
    : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
};

const NO_SAMPLE: Sample = { cpu: Number.NaN, wall: Number.NaN };

const measureInit = (file: string, runs: number): Sample => measureInits([file], runs)[0] ?? NO_SAMPLE;

/** Median init of each file, imports interleaved so load on the machine hits all of them alike. */
const measureInits = (files: readonly string[], runs: number): Sample[] => {
  const env = {
    PATH: process.env.PATH ?? '',
    AWS_LAMBDA_FUNCTION_NAME: 'bench',
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'bench',
    AWS_SECRET_ACCESS_KEY: 'bench',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    SENTINEL_ALERT_TOPIC_ARN: 'arn:aws:sns:us-east-1:111122223333:bench-alerts',
    SENTINEL_INCIDENT_TABLE: 'bench-incidents',
    // As the stack sets it (serverless.yml).
    SENTINEL_AUDIT_TABLE: 'bench-audit',
    POWERTOOLS_METRICS_DISABLED: 'true',
  };
  const samples = files.map(() => [] as Sample[]);
  for (let run = 0; run < runs; run += 1) {
    for (const [index, file] of files.entries()) {
      const out = execFileSync(process.execPath, ['--input-type=module', '-e', IMPORT_SCRIPT, file], {
        env,
        encoding: 'utf8',
      });
      samples[index]?.push(JSON.parse(out) as Sample);
    }
  }
  return samples.map((of) => ({
    cpu: median(of.map((sample) => sample.cpu)),
    wall: median(of.map((sample) => sample.wall)),
  }));
};

/** Bundles every handler and the bare baseline, then measures them; `runs` imports per bundle. */
export const runBundleBench = async (runs = 15): Promise<BundleResult[]> => {
  const out = mkdtempSync(join(tmpdir(), 'sentinel-bundle-bench-'));
  try {
    const { raw } = readSentinelConfigFile(join(root, 'sentinel.config.example.yml'));
    const bare = join(out, 'bare.ts');
    writeFileSync(bare, 'export const handler = async () => {};\n');
    const handlers = readdirSync(join(root, 'functions'))
      .filter((file) => file.endsWith('.ts'))
      .map((file) => ({ name: file.replace(/\.ts$/, ''), entry: join(root, 'functions', file) }));
    const entries = [{ name: 'bare handler', entry: bare }, ...handlers];
    const bundle = async (entry: string, outfile: string) => {
      const result = await build({
        ...SHIPPED_BUILD_OPTIONS,
        entryPoints: [entry],
        outfile,
        metafile: true,
        // The SDK-only entries are written outside the repository.
        nodePaths: [join(root, 'node_modules')],
        logLevel: 'error',
        define: { __SENTINEL_CONFIG__: embedConfig(raw) },
      });
      return Object.keys(result.metafile.inputs);
    };
    const results: Omit<BundleResult, 'initRatio'>[] = [];
    for (const { name, entry } of entries) {
      const outfile = join(out, `${name.replace(/\W+/g, '-')}.mjs`);
      const sdkClients = sdkClientsOf(await bundle(entry, outfile));
      let sdkOnly = NO_SAMPLE;
      let wired = NO_SAMPLE;
      let init: Sample;
      if (sdkClients.length > 0) {
        const sdkEntry = join(out, `${name}-sdk-only.ts`);
        writeFileSync(sdkEntry, sdkOnlySource(sdkClients));
        const sdkOut = join(out, `${name}-sdk-only.mjs`);
        await bundle(sdkEntry, sdkOut);
        const wiredEntry = join(out, `${name}-wired.ts`);
        writeFileSync(
          wiredEntry,
          `import { defaultDeps } from ${JSON.stringify(entry.replace(/\.ts$/, ''))};\nexport const deps = defaultDeps();\n`,
        );
        const wiredOut = join(out, `${name}-wired.mjs`);
        await bundle(wiredEntry, wiredOut);
        [init = NO_SAMPLE, sdkOnly = NO_SAMPLE, wired = NO_SAMPLE] = measureInits(
          [outfile, sdkOut, wiredOut],
          runs,
        );
      } else {
        init = existsSync(outfile) ? measureInit(outfile, runs) : NO_SAMPLE;
      }
      const initMs = init.cpu;
      const sdkOnlyInitMs = sdkOnly.cpu;
      const code = readFileSync(outfile);
      results.push({
        name,
        bytes: code.length,
        gzipBytes: gzipSync(code).length,
        initMs,
        initWallMs: init.wall,
        sdkClients,
        sdkOnlyInitMs,
        sdkOnlyInitWallMs: sdkOnly.wall,
        sdkRatio: initMs / sdkOnlyInitMs,
        wiredInitMs: wired.cpu,
      });
    }
    const baseline = results[0]?.initMs ?? Number.NaN;
    return results.map((result) => ({ ...result, initRatio: result.initMs / baseline }));
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
};
