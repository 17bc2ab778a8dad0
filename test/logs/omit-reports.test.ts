/**
 * `omitReportsUnderMs`: the reports of quick, successful invocations are counted as quiet lines
 * instead of built into observations. Held to the detectors: for any detector config, reading a
 * batch with `reportsReadFromMs(config)` gives the same findings as reading every report, and the
 * observations it leaves out are exactly those reports.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runTriggerLogDetectors } from '../../detectors';
import { reportsReadFromMs } from '../../detectors/log-evidence';
import type { LogObservation } from '../../detectors/observations';
import { DEFAULT_DETECTOR_CONFIG, type DetectorConfig } from '../../detectors/types';
import { parseLogEvents } from '../../logs/parse-log-events';
import { jsonPlatformReport, reportLine, requestIdOf } from '../support/log-payloads';

const LOG_GROUP = '/aws/lambda/shop-presignup';
const resolveLogGroup = () => ({
  trigger: 'PreSignUp' as const,
  userPoolId: 'us-east-1_Ab12Cd34E',
  region: 'us-east-1',
});
const START = Date.UTC(2026, 10, 26, 9, 0, 0);

/** Waits on both sides of every threshold the configs below use. */
const durationMs = fc.oneof(
  fc.constantFrom(0.5, 31.62, 999.99, 1000, 2999.99, 3000, 3000.01, 4999.99, 5000, 5000.01, 6100),
  fc.double({ min: 0, max: 7000, noNaN: true }),
);

const report = fc.record({
  json: fc.boolean(),
  durationMs,
  initDurationMs: fc.option(fc.constantFrom(0.4, 180.5, 1500, 2900), { nil: undefined }),
  status: fc.option(fc.constantFrom('success', 'timeout', 'error', 'failure', 'Success'), { nil: undefined }),
  timedOutLine: fc.boolean(),
});

type ReportCase = typeof report extends fc.Arbitrary<infer T> ? T : never;

const linesOf = (cases: readonly ReportCase[]) =>
  cases.flatMap((item, index) => {
    const requestId = requestIdOf(index);
    const at = START + index * 10_000;
    const input = {
      requestId,
      durationMs: Math.round(item.durationMs * 100) / 100,
      ...(item.initDurationMs !== undefined ? { initDurationMs: item.initDurationMs } : {}),
      ...(item.status !== undefined ? { status: item.status } : {}),
    };
    const events = [
      { id: `${index}-0`, timestamp: at, message: `START RequestId: ${requestId} Version: $LATEST\n` },
    ];
    if (item.timedOutLine) {
      events.push({
        id: `${index}-1`,
        timestamp: at + 1,
        message: `2026-11-26T09:00:00.000Z ${requestId} Task timed out after 3.00 seconds\n`,
      });
    }
    events.push({
      id: `${index}-2`,
      timestamp: at + 2,
      message: item.json ? jsonPlatformReport(input) : reportLine(input),
    });
    return events;
  });

const config = fc.record({
  slowThresholdMs: fc.constantFrom(1, 100, 3000, 4999, 6000),
  cognitoTimeoutMs: fc.constantFrom(3000, 5000),
});

const isOmittable = (observation: LogObservation, fromMs: number): boolean =>
  observation.kind === 'invocation-report' &&
  (observation.status === undefined || observation.status === 'success') &&
  observation.durationMs + (observation.initDurationMs ?? 0) < fromMs;

describe('omitReportsUnderMs', () => {
  it('leaves out exactly the reports no detector reads, and every detector finds the same', () => {
    fc.assert(
      fc.property(fc.array(report, { minLength: 1, maxLength: 12 }), config, (cases, thresholds) => {
        const detectorConfig: DetectorConfig = { ...DEFAULT_DETECTOR_CONFIG, ...thresholds };
        const fromMs = reportsReadFromMs(detectorConfig);
        const input = { logGroup: LOG_GROUP, logStream: '2026/11/26/[$LATEST]abc', events: linesOf(cases) };
        const every = parseLogEvents(input, { resolveLogGroup });
        const lean = parseLogEvents(input, { resolveLogGroup, omitReportsUnderMs: fromMs });

        expect(lean.observations).toEqual(every.observations.filter((item) => !isOmittable(item, fromMs)));
        const omitted = every.observations.length - lean.observations.length;
        expect(lean.stats).toEqual({
          ...every.stats,
          withSignal: every.stats.withSignal - omitted,
          quiet: every.stats.quiet + omitted,
        });
        expect(lean.unreadable).toEqual(every.unreadable);
        for (const collapse of [false, true]) {
          const now = new Date(START);
          expect(
            runTriggerLogDetectors(lean.observations, { config: detectorConfig, now, collapse }),
          ).toEqual(runTriggerLogDetectors(every.observations, { config: detectorConfig, now, collapse }));
        }
      }),
      { numRuns: 300 },
    );
  });

  it('omits quick warm reports in both formats, and keeps slow, cold-slow and failed ones', () => {
    const cases: ReportCase[] = [
      { json: false, durationMs: 31.62, initDurationMs: undefined, status: undefined, timedOutLine: false },
      { json: true, durationMs: 31.62, initDurationMs: undefined, status: 'success', timedOutLine: false },
      { json: false, durationMs: 2400, initDurationMs: 1500, status: undefined, timedOutLine: false },
      { json: true, durationMs: 12, initDurationMs: undefined, status: 'error', timedOutLine: false },
      { json: false, durationMs: 3100, initDurationMs: undefined, status: undefined, timedOutLine: false },
    ];
    const batch = parseLogEvents(
      { logGroup: LOG_GROUP, logStream: 's', events: linesOf(cases) },
      { resolveLogGroup, omitReportsUnderMs: reportsReadFromMs(DEFAULT_DETECTOR_CONFIG) },
    );
    expect(batch.observations.map((item) => item.kind === 'invocation-report' && item.requestId)).toEqual([
      requestIdOf(2),
      requestIdOf(3),
      requestIdOf(4),
    ]);
    expect(batch.stats).toMatchObject({ lines: 10, withSignal: 3, quiet: 7, unreadable: 0 });
  });
});
