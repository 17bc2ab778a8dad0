/**
 * `npm run bench`: every benchmark, reported as ratios against a baseline measured in the same run.
 */
import { BATCH_KINDS, runThroughputBench } from './trigger-logs-throughput';

console.log('trigger-log pipeline vs bare decode floor (base64 + gunzip + JSON.parse), same ~1 MB batch');
for (const kind of BATCH_KINDS) {
  const result = runThroughputBench(kind);
  const mbps = (ms: number) => ((result.bytes / 1e6 / ms) * 1000).toFixed(1);
  const verdict =
    kind === 'typical'
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
