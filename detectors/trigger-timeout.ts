/**
 * trigger-timeout: a trigger invocation that timed out, or that ran past Cognito's 5 s wait.
 *
 * Reads: `Task timed out after N seconds` lines, `REPORT ... Status: timeout` and JSON
 * `platform.report` records with status "timeout", and invocation reports whose duration plus
 * init duration reaches `cognitoTimeoutMs` (default 5000 ms) for a synchronous trigger: Cognito
 * gave up on the caller even though Lambda finished.
 * One finding per invocation (request id); the timeout line and the REPORT of the same request
 * are merged.
 * Known false positives: none known. A function whose own timeout is under 5 s (Lambda's default
 * is 3 s) fails the caller the same way, so it is reported the same way. Custom sender triggers
 * are asynchronous: only their Lambda timeouts count, not the 5 s wait.
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
import type {
  InvocationReportObservation,
  LogObservation,
  LogOrigin,
  TimeoutObservation,
} from './observations';
import type { Detector } from './types';

interface TimedOut {
  origin: LogOrigin;
  requestId?: string;
  /** How long it ran, in ms, when known. */
  ranMs?: number;
  /** True when Lambda itself reported a timeout; false when only Cognito's 5 s wait was exceeded. */
  lambdaTimeout: boolean;
  lines: string[];
}

const keyOf = (origin: LogOrigin, requestId: string | undefined, line: string) =>
  requestId ? invocationKeyOf(origin, requestId) : `${origin.logGroup}\u0000${origin.timestamp}\u0000${line}`;

export const triggerTimeout: Detector<LogObservation> = {
  id: 'trigger-timeout',
  description: "A trigger timed out or ran past Cognito's 5-second wait.",
  detect: (observations, { config, collapse }) => {
    const byInvocation = new Map<string, TimedOut>();
    const note = (
      observation: TimeoutObservation | InvocationReportObservation,
      ranMs: number | undefined,
      lambdaTimeout: boolean,
    ) => {
      const key = keyOf(observation.origin, observation.requestId, observation.line);
      const seen = byInvocation.get(key);
      if (seen) {
        seen.lambdaTimeout ||= lambdaTimeout;
        if (ranMs !== undefined) seen.ranMs = Math.max(seen.ranMs ?? 0, ranMs);
        seen.lines.push(observation.line);
        return;
      }
      byInvocation.set(key, {
        origin: observation.origin,
        ...(observation.requestId ? { requestId: observation.requestId } : {}),
        ...(ranMs !== undefined ? { ranMs } : {}),
        lambdaTimeout,
        lines: [observation.line],
      });
    };

    for (const observation of observations) {
      if (observation.kind === 'timeout') {
        note(observation, observation.afterSeconds * 1000, true);
      } else if (observation.kind === 'invocation-report') {
        const ranMs = waitedMsOf(observation);
        if (observation.status === 'timeout') {
          note(observation, ranMs, true);
        } else if (ranMs >= config.cognitoTimeoutMs && isSynchronous(observation.origin.trigger)) {
          note(observation, ranMs, false);
        }
      }
    }

    const collector = createFindingCollector(collapse);
    for (const timedOut of byInvocation.values()) {
      const { origin } = timedOut;
      const who = describeFunction(origin);
      const ran = timedOut.ranMs !== undefined ? formatSeconds(timedOut.ranMs) : undefined;
      const title = timedOut.lambdaTimeout
        ? `${who} timed out${ran ? ` after ${ran}` : ''}; Cognito fails the sign-in or sign-up that called it`
        : `${who} ran for ${ran}, past Cognito's ${formatSeconds(config.cognitoTimeoutMs)} wait; the caller already failed`;
      collector.add(
        {
          detector: 'trigger-timeout',
          severity: isSynchronous(origin.trigger) ? 'critical' : 'error',
          title,
          ...locationOf(origin),
          ...(timedOut.requestId ? { requestId: timedOut.requestId } : {}),
          field: 'duration',
          expected: `under ${formatSeconds(config.cognitoTimeoutMs)}`,
          actual: timedOut.ranMs !== undefined ? formatSeconds(timedOut.ranMs) : 'timed out',
          ...perTriggerKeys('trigger-timeout', origin),
        },
        () => timedOut.lines.map((line) => toExcerpt(line)),
      );
    }
    return collector.findings();
  },
};
