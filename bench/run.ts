/**
 * `npm run bench`: every benchmark, reported as ratios against a baseline measured in the same run,
 * each figure next to its goal (docs/architecture.md, Budgets). Exits 1 when any figure misses its
 * goal, naming them; not part of `npm test` (timing belongs here, never in a test).
 * `npm run bench -- --json bench/figures.json` also writes the figures `npm run docs:cost` reads.
 * `npm run bench -- --only throughput` (or `cli`, `init`, `canary`; comma-separated) runs just those
 * parts; the default runs everything.
 */
import { writeFileSync } from 'node:fs';
import type { BenchFigures } from './cost';
import { BATCH_KINDS, runThroughputBench } from './trigger-logs-throughput';

/** One measured figure and its goal. */
interface Figure {
  name: string;
  value: number;
  goal: string;
  met: boolean | undefined;
  detail: string;
}

const PARTS = ['throughput', 'cli', 'init', 'canary'] as const;
type Part = (typeof PARTS)[number];
const onlyAt = process.argv.indexOf('--only');
const only = onlyAt === -1 ? undefined : (process.argv[onlyAt + 1] ?? '').split(',');
const unknownParts = only?.filter((part) => !(PARTS as readonly string[]).includes(part)) ?? [];
if (only !== undefined && (only.length === 0 || unknownParts.length > 0)) {
  throw new Error(`--only takes a comma-separated list of ${PARTS.join(', ')}; got "${only.join(',')}"`);
}
const runs = (part: Part): boolean => only === undefined || only.includes(part);

const figures: Figure[] = [];
const report = (figure: Figure) => {
  figures.push(figure);
  const verdict = figure.met === undefined ? 'for information' : figure.met ? 'OK' : 'MISSED';
  console.log(`  ${figure.name}: ${figure.detail}  goal ${figure.goal}  ${verdict}`);
};

if (runs('throughput')) {
  console.log(
    'trigger-log pipeline vs bare decode floor (base64 + gunzip + JSON.parse), same ~1 MB batch, CPU time (wall time for information)',
  );
}
const throughput = runs('throughput') ? BATCH_KINDS.map((kind) => runThroughputBench(kind)) : [];
for (const result of throughput) {
  const mbps = (ms: number) => ((result.bytes / 1e6 / ms) * 1000).toFixed(1);
  report({
    name: `throughput ${result.kind}`,
    value: result.ratio,
    goal: '>= 0.50',
    met: result.kind === 'payload-heavy' ? undefined : result.ratio >= 0.5,
    detail: `${result.lines} events, ${(result.bytes / 1e6).toFixed(2)} MB, ${result.findings} findings (collapsed); CPU: floor ${result.floorMs.toFixed(2)} ms (${mbps(result.floorMs)} MB/s), pipeline ${result.pipelineMs.toFixed(2)} ms (${mbps(result.pipelineMs)} MB/s), ratio ${result.ratio.toFixed(2)}; wall ratio ${result.wallRatio.toFixed(2)}`,
  });
}

if (runs('cli')) console.log('\nCLI start vs `node -e 0` (fresh process, wall time, median of 9, built CLI)');
// Each part's modules load only when it runs, after the throughput part: the AWS SDK, esbuild and
// the canary that other parts import would otherwise sit in the heap the pipeline is measured in.
const cli = runs('cli') ? (await import('./cli-start')).runCliStartBench() : [];
for (const result of cli) {
  report({
    name: `cli ${result.name}`,
    value: result.ratio,
    goal: '<= 5.0x',
    met: result.ratio <= 5,
    detail: `${result.medianMs.toFixed(0)} ms vs ${result.baselineMs.toFixed(0)} ms, ratio ${result.ratio.toFixed(1)}x`,
  });
}

if (runs('init')) {
  console.log(
    '\nfunction module init vs a bundle of only the AWS SDK clients it uses (esbuild as serverless.yml, import() in a fresh node process, median of 15, CPU time; wall for information)',
  );
}
const bundles = runs('init') ? await (await import('./bundle')).runBundleBench() : [];
for (const result of bundles) {
  const size = `${(result.bytes / 1024).toFixed(0)} KiB (${(result.gzipBytes / 1024).toFixed(0)} KiB gzip)`;
  const sdkOnly = Number.isFinite(result.sdkOnlyInitMs);
  report({
    name: `init ${result.name}`,
    value: result.sdkRatio,
    goal: sdkOnly ? '<= 1.3x SDK-only' : '(baseline)',
    met: sdkOnly ? result.sdkRatio <= 1.3 : undefined,
    detail: `${size}, init ${result.initMs.toFixed(1)} ms CPU, ${result.initWallMs.toFixed(1)} ms wall (${result.initRatio.toFixed(1)}x bare)${sdkOnly ? `, SDK-only ${result.sdkOnlyInitMs.toFixed(1)} ms CPU, ${result.sdkOnlyInitWallMs.toFixed(1)} ms wall [${result.sdkClients.join(', ')}], ratio ${result.sdkRatio.toFixed(2)}x (wall ${(result.initWallMs / result.sdkOnlyInitWallMs).toFixed(2)}x)` : ''}`,
  });
}

if (runs('canary'))
  console.log('\ncanary own overhead vs the sum of its API round trips (moto_server, same run)');
const canary = runs('canary')
  ? await (await import('./canary-overhead')).runCanaryOverheadBench()
  : undefined;
if (canary === undefined) {
  if (runs('canary')) console.log('  skipped: moto_server is not on PATH');
} else {
  const perCycle = (ms: number) => (ms / canary.cycles).toFixed(2);
  report({
    name: 'canary overhead',
    value: canary.ratio,
    goal: '< 15%',
    met: canary.ratio < 0.15,
    detail: `${canary.cycles} cycles, ${canary.roundTrips} round trips: round trips ${perCycle(canary.roundTripMs)} ms/cycle, own overhead ${perCycle(canary.overheadMs)} ms/cycle, ${(canary.ratio * 100).toFixed(1)}%`,
  });
}

const jsonAt = process.argv.indexOf('--json');
const jsonFile = jsonAt === -1 ? undefined : process.argv[jsonAt + 1];
if (jsonFile !== undefined && only !== undefined) {
  throw new Error('--json writes every figure: run it without --only');
}
if (jsonFile !== undefined) {
  const healthy = throughput.find((result) => result.kind === 'healthy');
  const benchFigures: BenchFigures = {
    cost: {
      canaryCallsPerCycle: canary === undefined ? 6 : Math.round(canary.roundTrips / canary.cycles),
      canaryOverheadMs: canary === undefined ? 0 : canary.overheadMs / canary.cycles,
      triggerLogsMsPerMb: healthy === undefined ? 0 : healthy.pipelineMs / (healthy.bytes / 1e6),
    },
    bundles: bundles.map(({ name, bytes, gzipBytes, initMs, sdkOnlyInitMs }) => ({
      name,
      bytes,
      gzipBytes,
      initMs,
      sdkOnlyInitMs,
    })),
  };
  writeFileSync(jsonFile, `${JSON.stringify({ ...benchFigures, measured: figures }, null, 2)}\n`);
}

const missed = figures.filter((figure) => figure.met === false);
console.log(
  missed.length === 0
    ? '\nEvery figure met its goal.'
    : `\n${missed.length} figure(s) missed their goal: ${missed.map((figure) => figure.name).join(', ')}`,
);
process.exitCode = missed.length === 0 ? 0 : 1;
