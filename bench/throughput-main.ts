/**
 * Entry of the throughput run as it ships: `bench/throughput-bundle.ts` builds this file with
 * esbuild the way serverless.yml bundles the functions and runs it in a fresh process per batch
 * kind (`node throughput.mjs <kind>`), which prints that kind's result as JSON on stdout.
 */
import { BATCH_KINDS, type BatchKind, runThroughputBench } from './trigger-logs-throughput';

const kind = process.argv[2] as BatchKind;
if (!BATCH_KINDS.includes(kind)) {
  console.error(`expected one of ${BATCH_KINDS.join(', ')}, got ${String(kind)}`);
  process.exit(2);
}
process.stdout.write(`${JSON.stringify(runThroughputBench(kind))}\n`);
