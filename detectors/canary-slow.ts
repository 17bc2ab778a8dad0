/**
 * canary-slow: a step of the canary cycle took longer than its latency budget.
 *
 * Reads: every canary observation that carries a `budgetMs` (budgets are per step and optional:
 * sign-in, verify-tokens, get-user, refresh, sign-up, custom-auth, api-probe; the refreshed-token
 * verification shares verify-tokens'). Durations of one step's observations are added up (the ID
 * and access token checks make one verify step). A step that failed is left to the detector of its
 * failure. One finding per slow step and target.
 * Thresholds: `durationMs > budgetMs`, in milliseconds, as configured per pool (`budgetsMs`);
 * durations include the canary's retries and backoff, so a throttled-then-successful call can be
 * slow. Severity: warning.
 * Known false positives: a cold start of the canary function (first TLS handshakes, JWKS fetch)
 * once per container; a single slow run caused by the monitor's own network.
 */
import { canaryDedupKey, describeTarget, locationOfTarget } from './canary-finding';
import {
  type CanaryObservation,
  type CanaryStep,
  type CanaryTarget,
  isStepSuccessful,
  stepOf,
} from './canary-observations';
import type { Detector, Finding } from './types';

interface StepTotal {
  target: CanaryTarget;
  step: CanaryStep;
  durationMs: number;
  budgetMs: number;
  failed: boolean;
  parts: number;
}

const ms = (value: number): string => `${Math.round(value)} ms`;

export const canarySlow: Detector<CanaryObservation> = {
  id: 'canary-slow',
  description:
    'A step of the canary cycle (sign-in, verification, refresh, sign-up, API probe) exceeded its latency budget.',
  detect: (observations) => {
    const totals = new Map<string, StepTotal>();
    for (const observation of observations) {
      if (observation.budgetMs === undefined) continue;
      const step = stepOf(observation);
      const key = canaryDedupKey('canary-slow', observation.target, step);
      const total = totals.get(key);
      if (total === undefined) {
        totals.set(key, {
          target: observation.target,
          step,
          durationMs: observation.durationMs,
          budgetMs: observation.budgetMs,
          failed: !isStepSuccessful(observation),
          parts: 1,
        });
      } else {
        total.durationMs += observation.durationMs;
        total.budgetMs = Math.max(total.budgetMs, observation.budgetMs);
        total.failed ||= !isStepSuccessful(observation);
        total.parts += 1;
      }
    }
    return [...totals.entries()].flatMap(([dedupKey, total]): Finding[] =>
      total.failed || total.durationMs <= total.budgetMs
        ? []
        : [
            {
              detector: 'canary-slow',
              severity: 'warning',
              title: `Canary step ${total.step} took ${ms(total.durationMs)} for ${describeTarget(total.target)}, over its ${ms(total.budgetMs)} budget`,
              ...locationOfTarget(total.target),
              field: total.step,
              expected: `at most ${ms(total.budgetMs)}`,
              actual: ms(total.durationMs),
              evidence: [
                `${total.step}: ${ms(total.durationMs)}${total.parts > 1 ? ` over ${total.parts} calls` : ''} (budget ${ms(total.budgetMs)})`,
              ],
              dedupKey,
              runbook: 'canary-slow',
            },
          ],
    );
  },
};
