/**
 * The checks a canary run passed, as dedup-key prefixes (CheckReport.passed): an open incident
 * whose key starts with one of them counts a healthy pass toward its resolve. Pure, and built from
 * the same key scheme as the canary detectors' findings.
 */
import { canaryDedupKey, canaryPassedPrefix } from './canary-finding';
import { type CanaryObservation, isStepSuccessful, stepOf } from './canary-observations';

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
      case 'canary-sign-in':
        if (ok) passed.add(canaryPassedPrefix('canary-auth-failed', target));
        break;
      case 'canary-refresh':
        if (ok) passed.add(canaryPassedPrefix('canary-refresh-failed', target));
        break;
      case 'canary-token-check':
      case 'canary-get-user': {
        const key = keyOfTarget(observation);
        const seen = tokenChecks.get(key);
        tokenChecks.set(key, { target, ok: (seen?.ok ?? true) && ok });
        break;
      }
      case 'canary-sign-up':
        if (ok) passed.add(canaryPassedPrefix('signup-not-confirmed', target));
        break;
      case 'canary-custom-auth':
        if (ok) passed.add(canaryPassedPrefix('custom-auth-failed', target));
        break;
      case 'canary-api-probe':
        if (ok) passed.add(canaryPassedPrefix('api-probe-rejected', target));
        break;
      case 'canary-hosted-ui':
        if (ok) passed.add(canaryPassedPrefix('hosted-ui-failed', target));
        break;
      case 'canary-m2m-token':
        if (ok) passed.add(canaryPassedPrefix('m2m-token-failed', target));
        break;
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
