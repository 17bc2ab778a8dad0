/**
 * The checks a canary run passed, as dedup-key prefixes (CheckReport.passed): an open incident
 * whose key starts with one of them counts a healthy pass toward its resolve. Pure, and built from
 * the same key scheme as the canary detectors' findings.
 */
import { canaryDedupKey, canaryPassedPrefix } from './canary-finding';
import { type CanaryObservation, isStepSuccessful, stepOf } from './canary-observations';
import type { DetectorId } from './types';

/** The detector whose check an observation of this kind passes when it succeeds on its own. */
const PASSED_BY_KIND: Readonly<Partial<Record<CanaryObservation['kind'], DetectorId>>> = {
  'canary-sign-in': 'canary-auth-failed',
  'canary-refresh': 'canary-refresh-failed',
  'canary-sign-up': 'signup-not-confirmed',
  'canary-custom-auth': 'custom-auth-failed',
  'canary-api-probe': 'api-probe-rejected',
  'canary-hosted-ui': 'hosted-ui-failed',
  'canary-m2m-token': 'm2m-token-failed',
};

const keyOfTarget = (observation: CanaryObservation): string =>
  `${observation.target.userPoolId}\u0000${observation.target.clientId}`;

/**
 * Prefixes of the checks that ran and passed: sign-in, refresh, token verification (only when every
 * token check of the target passed and GetUser accepted the token), sign-up, custom auth, the API
 * probe, and each step that stayed within its latency budget.
 */
export const toCanaryPassed = (observations: readonly CanaryObservation[]): string[] => {
  const passed = new Set<string>();
  const tokenChecks = new Map<string, { target: CanaryObservation['target']; ok: boolean }>();
  const stepTimes = new Map<string, { key: string; durationMs: number; budgetMs: number; ok: boolean }>();

  for (const observation of observations) {
    const ok = isStepSuccessful(observation);
    const { target } = observation;
    switch (observation.kind) {
      case 'canary-token-check':
      case 'canary-get-user': {
        const key = keyOfTarget(observation);
        const seen = tokenChecks.get(key);
        tokenChecks.set(key, { target, ok: (seen?.ok ?? true) && ok });
        break;
      }
      default: {
        const detector = PASSED_BY_KIND[observation.kind];
        if (ok && detector !== undefined) passed.add(canaryPassedPrefix(detector, target));
      }
    }
    if (observation.budgetMs !== undefined) {
      const key = canaryDedupKey('canary-slow', target, stepOf(observation));
      const time = stepTimes.get(key);
      if (time === undefined) {
        stepTimes.set(key, { key, durationMs: observation.durationMs, budgetMs: observation.budgetMs, ok });
      } else {
        time.durationMs += observation.durationMs;
        time.budgetMs = Math.max(time.budgetMs, observation.budgetMs);
        time.ok &&= ok;
      }
    }
  }
  for (const { target, ok } of tokenChecks.values()) {
    if (ok) passed.add(canaryPassedPrefix('token-invalid', target));
  }
  for (const time of stepTimes.values()) {
    if (time.ok && time.durationMs <= time.budgetMs) passed.add(time.key);
  }
  return [...passed];
};
