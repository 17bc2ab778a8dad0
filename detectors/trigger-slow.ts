/**
 * trigger-slow: a synchronous trigger that finished, but closer to Cognito's 5 s wait than the
 * warning budget allows.
 *
 * Reads: invocation reports (`REPORT` lines, JSON `platform.report`). The time Cognito waits is
 * the duration plus, on a cold start, the init duration.
 * Threshold: `slowThresholdMs` (default 3000 ms) up to, not including, `cognitoTimeoutMs`
 * (default 5000 ms); at or past that, or when the invocation timed out (Status: timeout or a
 * `Task timed out after` line of the same request), trigger-timeout reports it instead.
 * Known false positives: a rare cold start on a function with heavy initialisation can cross the
 * budget once; the incident resolves after a quiet window. Custom sender triggers are asynchronous
 * and never reported.
 */

import { createFindingCollector } from './collapse';
import {
  describeFunction,
  formatSeconds,
  invocationKeyOf,
  isSynchronous,
  locationOf,
  perTriggerKeys,
  toExcerpt,
  waitedMsOf,
} from './log-evidence';
import type { LogObservation } from './observations';
import type { Detector } from './types';

/**
 * From this share of Cognito's wait on, the title says the trigger is close to the limit; below
 * it (a budget set low on purpose) it only says the budget was crossed.
 */
const CLOSE_TO_LIMIT = 0.5;

/** A budget as set: milliseconds under a second (`1 ms`, not `0.00 s`), seconds above. */
const formatBudget = (ms: number): string => (ms < 1000 ? `${ms} ms` : formatSeconds(ms));

export const triggerSlow: Detector<LogObservation> = {
  id: 'trigger-slow',
  description: "A trigger's duration is above the warning budget, approaching Cognito's 5-second wait.",
  detect: (observations, { config, collapse }) => {
    // A timed-out invocation belongs to trigger-timeout, also when its REPORT (older format) has no
    // `Status: timeout` and only a `Task timed out after` line of the same request says so.
    const timedOut = new Set<string>();
    for (const observation of observations) {
      if (observation.kind === 'timeout' && observation.requestId) {
        timedOut.add(invocationKeyOf(observation.origin, observation.requestId));
      }
    }
    const collector = createFindingCollector(collapse);
    for (const observation of observations) {
      if (observation.kind !== 'invocation-report' || observation.status === 'timeout') continue;
      const { origin } = observation;
      // The window first: most reports are far under it, and need no invocation key built.
      const waitedMs = waitedMsOf(observation);
      if (waitedMs < config.slowThresholdMs || waitedMs >= config.cognitoTimeoutMs) continue;
      if (!isSynchronous(origin.trigger)) continue;
      if (timedOut.size > 0 && timedOut.has(invocationKeyOf(origin, observation.requestId))) continue;
      const cold = observation.initDurationMs
        ? ` (cold start: ${formatSeconds(observation.initDurationMs)} init)`
        : '';
      collector.add(
        {
          detector: 'trigger-slow',
          severity: 'warning',
          title: `${describeFunction(origin)} took ${formatSeconds(waitedMs)}${cold}, ${
            waitedMs >= config.cognitoTimeoutMs * CLOSE_TO_LIMIT
              ? `close to Cognito's ${formatSeconds(config.cognitoTimeoutMs)} limit`
              : `over the ${formatBudget(config.slowThresholdMs)} warning budget`
          }`,
          ...locationOf(origin),
          requestId: observation.requestId,
          field: 'duration',
          expected: `under ${formatBudget(config.slowThresholdMs)}`,
          actual: formatSeconds(waitedMs),
          ...perTriggerKeys('trigger-slow', origin),
        },
        () => [toExcerpt(observation.line)],
      );
    }
    return collector.findings();
  },
};
