/**
 * Trigger-log pipeline throughput against the bare decode floor, measured side by side in one run.
 *
 * Floor: base64 decode + gunzip + JSON.parse of a ~1 MB subscription batch (what any consumer
 * must pay). Pipeline: the same payload through decodeSubscriptionEvent (schema, every line
 * parsed) and every trigger-log detector. Budget (DESIGN.md): pipeline throughput at least half
 * of the floor's, i.e. ratio >= 0.5.
 */
import { gunzipSync } from 'node:zlib';
import {
  badDeployTraffic,
  DEMO_FUNCTIONS,
  DEMO_POOL_ID,
  DEMO_REGION,
  healthyTraffic,
  logGroupOf,
} from '../demo/sample-logs';
import { type LogLine, toSubscriptionEvent } from '../demo/subscription-payload';
import { runTriggerLogDetectors } from '../detectors';
import { DEFAULT_DETECTOR_CONFIG } from '../detectors/types';
import { decodeSubscriptionEvent } from '../lib/logs';

const TARGET_BYTES = 1_000_000;

/** A realistic batch: healthy invocations with the seed incident mixed in, ~1 MB of log events. */
export const buildBatch = () => {
  const logGroup = logGroupOf(DEMO_FUNCTIONS.PreSignUp);
  const lines: LogLine[] = [];
  let bytes = 0;
  let start = Date.UTC(2026, 10, 26, 9, 0, 0);
  for (let round = 0; bytes < TARGET_BYTES; round++) {
    const traffic = round % 10 === 9 ? badDeployTraffic(start) : healthyTraffic(start);
    for (const batch of Object.values(traffic)) {
      for (const line of batch) {
        lines.push(line);
        bytes += Buffer.byteLength(line.message) + 26;
      }
    }
    start += 10_000;
  }
  return {
    event: toSubscriptionEvent({ logGroup, logStream: '2026/11/26/[$LATEST]bench', lines }),
    lines: lines.length,
    bytes,
  };
};

const resolveLogGroup = () => ({
  trigger: 'PreSignUp' as const,
  userPoolId: DEMO_POOL_ID,
  region: DEMO_REGION,
});

const floor = (data: string) =>
  JSON.parse(gunzipSync(Buffer.from(data, 'base64')).toString('utf8')) as unknown;

const pipeline = (event: ReturnType<typeof buildBatch>['event']) => {
  const batch = decodeSubscriptionEvent(event, { resolveLogGroup });
  return runTriggerLogDetectors(batch.observations, { config: DEFAULT_DETECTOR_CONFIG, now: new Date(0) });
};

/** Runs `fn` repeatedly for about `ms` and returns the mean time per call in ms. */
const timeIt = (fn: () => unknown, ms: number): number => {
  let calls = 0;
  const started = performance.now();
  let elapsed = 0;
  do {
    fn();
    calls++;
    elapsed = performance.now() - started;
  } while (elapsed < ms);
  return elapsed / calls;
};

export const runThroughputBench = (rounds = 5, msPerRound = 400) => {
  const { event, lines, bytes } = buildBatch();
  const findings = pipeline(event).length;
  // Warm both paths, then interleave rounds so drift affects both equally; keep the best of each.
  timeIt(() => floor(event.awslogs.data), 200);
  timeIt(() => pipeline(event), 200);
  let floorMs = Number.POSITIVE_INFINITY;
  let pipelineMs = Number.POSITIVE_INFINITY;
  for (let round = 0; round < rounds; round++) {
    floorMs = Math.min(
      floorMs,
      timeIt(() => floor(event.awslogs.data), msPerRound),
    );
    pipelineMs = Math.min(
      pipelineMs,
      timeIt(() => pipeline(event), msPerRound),
    );
  }
  return { lines, bytes, findings, floorMs, pipelineMs, ratio: floorMs / pipelineMs };
};
