/**
 * Trigger-log pipeline throughput against the bare decode floor, measured side by side in one run.
 *
 * Floor: base64 decode + gunzip + JSON.parse of a ~1 MB subscription batch (what any consumer
 * must pay). Pipeline: the same payload through decodeSubscriptionEvent (schema, every line
 * parsed) and every trigger-log detector. Budget (docs/architecture.md): pipeline throughput at least half
 * of the floor's, i.e. ratio >= 0.5, on the healthy and the incident batch.
 *
 * Three batches of one PreSignUp log group, where each invocation writes START, a plain text
 * line, the returned event once (JSON.stringify), END and REPORT:
 * - `healthy`: every response is valid (the steady state);
 * - `incident`: every response carries the seed incident (a bad deploy: a finding per invocation);
 * - `payload-heavy`: the demo's traffic, where every invocation logs whole events twice (one of
 *   them as util.inspect output), every tenth round broken. Every such event is parsed a second
 *   time and validated, so this is the worst case and is reported for information.
 */
import { randomUUID } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { toApplicationLine, toEndLine, toReportLine, toStartLine } from '../demo/local/lambda-log-lines';
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
import { decodeSubscriptionEvent } from '../logs';

const TARGET_BYTES = 1_000_000;

export const BATCH_KINDS = ['healthy', 'incident', 'payload-heavy'] as const;
export type BatchKind = (typeof BATCH_KINDS)[number];

const typicalInvocation = (at: number, index: number, broken: boolean): LogLine[] => {
  const requestId = randomUUID();
  const event = {
    version: '1',
    region: DEMO_REGION,
    userPoolId: DEMO_POOL_ID,
    userName: `user-${index}`,
    callerContext: { awsSdkVersion: 'aws-sdk-js-3.1169.0', clientId: '3n4mpl3c113nt1d0000000000' },
    triggerSource: 'PreSignUp_SignUp',
    request: { userAttributes: { email: `user-${index}@example.com` }, validationData: null },
    response: { autoConfirmUser: broken ? 'true' : true, autoVerifyEmail: true, autoVerifyPhone: false },
  };
  // CloudWatch messages of the text format end with a newline.
  return [
    { timestamp: at, message: `${toStartLine(requestId)}\n` },
    {
      timestamp: at + 2,
      message: `${toApplicationLine(at + 2, requestId, 'INFO', ['Checking sign-up allow-list for client 3n4mpl3c113nt1d'])}\n`,
    },
    {
      timestamp: at + 31,
      message: `${toApplicationLine(at + 31, requestId, 'INFO', ['Returning', JSON.stringify(event)])}\n`,
    },
    { timestamp: at + 33, message: `${toEndLine(requestId)}\n` },
    {
      timestamp: at + 33,
      message: `${toReportLine({ requestId, durationMs: 31.62, memorySizeMb: 256, maxMemoryUsedMb: 81 })}\n`,
    },
  ];
};

/** A ~1 MB batch of one PreSignUp log group: healthy traffic with the seed incident mixed in. */
export const buildBatch = (kind: BatchKind = 'healthy') => {
  const logGroup = logGroupOf(DEMO_FUNCTIONS.PreSignUp);
  const lines: LogLine[] = [];
  let bytes = 0;
  let start = Date.UTC(2026, 10, 26, 9, 0, 0);
  for (let round = 0; bytes < TARGET_BYTES; round++) {
    const invocations =
      kind === 'payload-heavy'
        ? Object.values(round % 10 === 9 ? badDeployTraffic(start) : healthyTraffic(start))
        : [typicalInvocation(start, round, kind === 'incident')];
    for (const invocation of invocations) {
      for (const line of invocation) {
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
  // As functions/trigger-logs runs them: identical findings of the batch collapsed.
  return runTriggerLogDetectors(batch.observations, {
    config: DEFAULT_DETECTOR_CONFIG,
    now: new Date(0),
    collapse: true,
  });
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

export const runThroughputBench = (kind: BatchKind, rounds = 5, msPerRound = 400) => {
  const { event, lines, bytes } = buildBatch(kind);
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
  return { kind, lines, bytes, findings, floorMs, pipelineMs, ratio: floorMs / pipelineMs };
};
