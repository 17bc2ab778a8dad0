/**
 * `npm run bench`: every benchmark, reported as ratios against a baseline measured in the same run,
 * each figure next to its goal (docs/architecture.md, Budgets). Exits 1 when any figure misses its
 * goal, naming them; not part of `npm test` (timing belongs here, never in a test).
 * `npm run bench -- --json bench/figures.json` also writes the figures `npm run docs:cost` reads.
 * `npm run bench -- --only init` (or `throughput`, `inspect`, `cli`, `canary`; comma-separated) runs only those
 * sections, for a quicker loop; the default runs every one.
 */
import { writeFileSync } from 'node:fs';
import type { BenchFigures } from './cost';
import { INFORMATION_KINDS } from './trigger-logs-throughput';

/** One measured figure and its goal. */
interface Figure {
  name: string;
  value: number;
  goal: string;
  met: boolean | undefined;
  detail: string;
}

const SECTIONS = ['throughput', 'inspect', 'cli', 'init', 'canary'] as const;
type Section = (typeof SECTIONS)[number];
const onlyAt = process.argv.indexOf('--only');
const only = onlyAt === -1 ? undefined : (process.argv[onlyAt + 1] ?? '').split(',');
const unknown = only?.filter((name) => !(SECTIONS as readonly string[]).includes(name)) ?? [];
if (unknown.length > 0 || only?.length === 0) {
  console.error(`--only takes one or more of ${SECTIONS.join(', ')} (comma-separated)`);
  process.exit(2);
}
const jsonAt = process.argv.indexOf('--json');
const jsonFile = jsonAt === -1 ? undefined : process.argv[jsonAt + 1];
if (jsonFile !== undefined && only !== undefined) {
  console.error('--json writes every figure: leave out --only');
  process.exit(2);
}
const runs = (section: Section): boolean => only === undefined || only.includes(section);

const figures: Figure[] = [];
const report = (figure: Figure) => {
  figures.push(figure);
  const verdict = figure.met === undefined ? 'for information' : figure.met ? 'OK' : 'MISSED';
  console.log(`  ${figure.name}: ${figure.detail}  goal ${figure.goal}  ${verdict}`);
};

const throughput = runs('throughput') ? await runThroughputSection() : [];

if (runs('inspect')) {
  console.log(
    "\nutil.inspect reader alone vs JSON.parse of the same values' JSON (pre-cut), the batches' inspect payloads, CPU time",
  );
  const { INSPECT_BATCH_KINDS, runInspectReaderBench } = await import('./inspect-reader');
  for (const kind of INSPECT_BATCH_KINDS) {
    const result = runInspectReaderBench(kind);
    report({
      name: `inspect reader ${result.kind}`,
      value: result.ratio,
      goal: '(none)',
      met: undefined,
      detail: `${result.payloads} payloads, ${(result.chars / 1e3).toFixed(0)} k chars: reader ${result.readerMs.toFixed(2)} ms, JSON.parse ${result.baselineMs.toFixed(2)} ms, ratio ${result.ratio.toFixed(2)}`,
    });
  }
}

// Each later section loads its modules only when it runs, after the throughput section: the AWS SDK,
// esbuild and the canary they import would otherwise sit in the heap the pipeline is measured in.

if (runs('cli')) {
  console.log('\nCLI start vs `node -e 0` (fresh process, wall time, median of 9, built CLI)');
  const { runCliStartBench } = await import('./cli-start');
  const cli = runCliStartBench();
  for (const result of cli) {
    report({
      name: `cli ${result.name}`,
      value: result.ratio,
      goal: '<= 5.0x',
      met: result.ratio <= 5,
      detail: `${result.medianMs.toFixed(0)} ms vs ${result.baselineMs.toFixed(0)} ms, ratio ${result.ratio.toFixed(1)}x`,
    });
  }
}

const bundles = runs('init') ? await runInitSection() : [];

const canary = runs('canary') ? await runCanarySection() : undefined;

if (jsonFile !== undefined) {
  const healthy = throughput.find((result) => result.kind === 'healthy');
  const benchFigures: BenchFigures = {
    cost: {
      canaryCallsPerCycle: canary === undefined ? 6 : Math.round(canary.roundTrips / canary.cycles),
      canaryOverheadMs: canary === undefined ? 0 : canary.overheadMs / canary.cycles,
      triggerLogsMsPerMb: healthy === undefined ? 0 : healthy.pipelineMs / (healthy.bytes / 1e6),
    },
    bundles: bundles.map(({ name, bytes, gzipBytes, initMs, wiredInitMs, sdkOnlyInitMs }) => ({
      name,
      bytes,
      gzipBytes,
      initMs,
      wiredInitMs,
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

async function runThroughputSection() {
  console.log(
    'trigger-log pipeline vs bare decode floor (base64 + gunzip + JSON.parse), same ~1 MB batch, CPU time (wall time for information); both bundled by esbuild as the functions ship, in a fresh process',
  );
  const { runBundledThroughput } = await import('./throughput-bundle');
  const results = await runBundledThroughput();
  for (const result of results) {
    const mbps = (ms: number) => ((result.bytes / 1e6 / ms) * 1000).toFixed(1);
    report({
      name: `throughput ${result.kind}`,
      value: result.ratio,
      goal: '>= 0.50',
      met: INFORMATION_KINDS.includes(result.kind) ? undefined : result.ratio >= 0.5,
      detail: `${result.lines} events, ${(result.bytes / 1e6).toFixed(2)} MB, ${result.findings} findings (collapsed); CPU: floor ${result.floorMs.toFixed(2)} ms (${mbps(result.floorMs)} MB/s), pipeline ${result.pipelineMs.toFixed(2)} ms (${mbps(result.pipelineMs)} MB/s), ratio ${result.ratio.toFixed(2)} (median of ${result.windows} paired windows, quartiles ${result.ratioQuartiles[0].toFixed(2)}–${result.ratioQuartiles[1].toFixed(2)}${result.processRatios ? `; the median process of ${result.processRatios.map((ratio) => ratio.toFixed(2)).join(', ')}` : ''}); wall ratio ${result.wallRatio.toFixed(2)}; ceiling ${result.ceiling.toFixed(2)} (the floor plus only a native JSON.parse of the logged JSON payloads, ${result.payloadParseMs.toFixed(2)} ms)`,
    });
  }
  return results;
}

async function runInitSection() {
  console.log(
    '\nfunction cold start (import + first-invocation wiring) vs a bundle of only the AWS SDK clients it uses, built at import (esbuild as serverless.yml, fresh node process, median of 15, CPU time; wall for information)',
  );
  const { runBundleBench } = await import('./bundle');
  const bundles = await runBundleBench();
  for (const result of bundles) {
    const size = `${(result.bytes / 1024).toFixed(0)} KiB (${(result.gzipBytes / 1024).toFixed(0)} KiB gzip)`;
    const sdkOnly = Number.isFinite(result.sdkOnlyInitMs);
    // The baseline builds its clients at import; the handler builds them (and checks its config) on
    // the first invocation. The goal is therefore on the cold start as a whole: import + wiring.
    const wiredRatio = result.wiredInitMs / result.sdkOnlyInitMs;
    report({
      name: `cold start ${result.name}`,
      value: sdkOnly ? wiredRatio : result.initRatio,
      goal: sdkOnly ? '<= 1.3x SDK-only' : '(baseline)',
      met: sdkOnly ? wiredRatio <= 1.3 : undefined,
      detail: `${size}, import ${result.initMs.toFixed(1)} ms CPU, ${result.initWallMs.toFixed(1)} ms wall (${result.initRatio.toFixed(1)}x bare)${sdkOnly ? `, import + first-invocation wiring (defaultDeps()) ${result.wiredInitMs.toFixed(1)} ms CPU; SDK-only ${result.sdkOnlyInitMs.toFixed(1)} ms CPU, ${result.sdkOnlyInitWallMs.toFixed(1)} ms wall [${result.sdkClients.join(', ')}]; ratio ${wiredRatio.toFixed(2)}x (import alone ${result.sdkRatio.toFixed(2)}x, wall ${(result.initWallMs / result.sdkOnlyInitWallMs).toFixed(2)}x)` : ''}`,
    });
  }
  return bundles;
}

async function runCanarySection() {
  console.log('\ncanary own overhead vs the sum of its API round trips (moto_server, same run)');
  const { runCanaryOverheadBench } = await import('./canary-overhead');
  const canary = await runCanaryOverheadBench();
  if (canary === undefined) {
    console.log('  skipped: moto_server is not on PATH');
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
  return canary;
}
