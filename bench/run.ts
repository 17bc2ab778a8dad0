/**
 * `npm run bench`: every benchmark, reported as ratios against a baseline measured in the same run.
 */
import { runBundleBench } from './bundle';
import { runCanaryOverheadBench } from './canary-overhead';
import { BATCH_KINDS, runThroughputBench } from './trigger-logs-throughput';

console.log('trigger-log pipeline vs bare decode floor (base64 + gunzip + JSON.parse), same ~1 MB batch');
for (const kind of BATCH_KINDS) {
  const result = runThroughputBench(kind);
  const mbps = (ms: number) => ((result.bytes / 1e6 / ms) * 1000).toFixed(1);
  const verdict =
    kind !== 'payload-heavy'
      ? result.ratio >= 0.5
        ? 'OK (target >= 0.50)'
        : 'BELOW TARGET (>= 0.50)'
      : '(worst case, for information)';
  console.log(
    `  ${kind}: ${result.lines} log events, ${(result.bytes / 1e6).toFixed(2)} MB, ${result.findings} findings`,
  );
  console.log(
    `    floor ${result.floorMs.toFixed(2)} ms (${mbps(result.floorMs)} MB/s)  pipeline ${result.pipelineMs.toFixed(2)} ms (${mbps(result.pipelineMs)} MB/s)`,
  );
  console.log(`    ratio (pipeline throughput / floor throughput): ${result.ratio.toFixed(2)}  ${verdict}`);
}

console.log(
  '\nfunction bundles vs a bare handler (esbuild as serverless.yml, import() in a fresh node process, median of 15)',
);
for (const result of await runBundleBench()) {
  const size = `${(result.bytes / 1024).toFixed(0)} KiB (${(result.gzipBytes / 1024).toFixed(0)} KiB gzip)`;
  console.log(
    `  ${result.name.padEnd(14)} ${size.padEnd(24)} init ${result.initMs.toFixed(1)} ms  ratio ${result.initRatio.toFixed(1)}x`,
  );
}

console.log('\ncanary own overhead vs the sum of its API round trips (moto_server, same run)');
const canary = await runCanaryOverheadBench();
if (canary === undefined) {
  console.log('  skipped: moto_server is not on PATH');
} else {
  const perCycle = (ms: number) => (ms / canary.cycles).toFixed(2);
  console.log(
    `  ${canary.cycles} cycles, ${canary.roundTrips} round trips, ${canary.findings} findings: round trips ${perCycle(canary.roundTripMs)} ms/cycle, own overhead ${perCycle(canary.overheadMs)} ms/cycle`,
  );
  console.log(
    `    ratio (overhead / round trips): ${(canary.ratio * 100).toFixed(1)}%  ${canary.ratio < 0.15 ? 'OK (target < 15%)' : 'ABOVE TARGET (< 15%)'}`,
  );
}
