/**
 * `npm run bench`: every benchmark, reported as ratios against a baseline measured in the same run.
 */
import { runThroughputBench } from './trigger-logs-throughput';

const result = runThroughputBench();
const mbps = (ms: number) => ((result.bytes / 1e6 / ms) * 1000).toFixed(1);
console.log('trigger-log pipeline vs bare decode floor (gunzip + JSON.parse), same ~1 MB batch');
console.log(
  `  batch: ${result.lines} log events, ${(result.bytes / 1e6).toFixed(2)} MB, ${result.findings} findings`,
);
console.log(`  floor:    ${result.floorMs.toFixed(2)} ms/batch (${mbps(result.floorMs)} MB/s)`);
console.log(`  pipeline: ${result.pipelineMs.toFixed(2)} ms/batch (${mbps(result.pipelineMs)} MB/s)`);
console.log(
  `  ratio (pipeline throughput / floor throughput): ${result.ratio.toFixed(2)}  target >= 0.50  ${result.ratio >= 0.5 ? 'OK' : 'BELOW TARGET'}`,
);
