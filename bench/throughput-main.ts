/**
 * Entry of the throughput run as it ships: `bench/throughput-bundle.ts` builds this file with
 * esbuild the way serverless.yml bundles the functions and runs it in a fresh process, which
 * prints every batch kind's result as JSON on stdout.
 */
import { BATCH_KINDS, runThroughputBench } from './trigger-logs-throughput';

process.stdout.write(`${JSON.stringify(BATCH_KINDS.map((kind) => runThroughputBench(kind)))}\n`);
