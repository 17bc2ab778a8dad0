/**
 * signup-not-confirmed: the canary's sign-up cycle registered a throwaway user that the pool should
 * auto-confirm (a PreSignUp trigger setting `autoConfirmUser`), and the user stayed UNCONFIRMED.
 * This is the seed incident seen from the outside: it fires even when the trigger logs nothing.
 *
 * Reads: `canary-sign-up` observations. With `expectConfirmed`, a user whose AdminGetUser status
 * is not CONFIRMED fires (cause absent, field `UserStatus`). A SignUp that fails outright fires
 * too, with the cause of its error (a PreSignUp that throws gives `trigger-failed` naming
 * PreSignUp): sign-up is then broken for everyone, which is worse than unconfirmed. A failed
 * AdminGetUser after a good SignUp reports its cause (usually `access-denied` or `throttled`).
 * Thresholds: none; one cycle is one finding. Severity: critical for an unconfirmed user or a
 * failing SignUp, by cause (CAUSE_SEVERITY) for AdminGetUser failures.
 * Known false positives: a pool that confirms users asynchronously (PostConfirmation-free flows
 * that confirm from another system after a delay) should set `expectConfirmed: false`.
 */
import {
  CAUSE_SEVERITY,
  canaryDedupKey,
  canaryDetector,
  causeFindingTail,
  causeOfCallError,
  describeCause,
  describeTarget,
  errorEvidence,
  locationOfTarget,
} from './canary-finding';
import type { CanarySignUpObservation } from './canary-observations';
import type { Finding } from './types';

const cleanupEvidence = (observation: CanarySignUpObservation): string =>
  observation.deleted
    ? 'AdminDeleteUser: the throwaway user was deleted'
    : 'AdminDeleteUser: the throwaway user could NOT be deleted; remove users named with the canary sign-up prefix by hand';

const toFinding = (observation: CanarySignUpObservation): Finding | undefined => {
  const { result, target } = observation;
  const where = describeTarget(target);
  if (result.outcome === 'created') {
    if (!observation.expectConfirmed || result.userStatus === 'CONFIRMED') return undefined;
    return {
      detector: 'signup-not-confirmed',
      severity: 'critical',
      title: `New users of ${where} stay ${result.userStatus} after sign-up: the pool should auto-confirm them (check the PreSignUp trigger's autoConfirmUser)`,
      ...locationOfTarget(target),
      trigger: 'PreSignUp',
      triggerSource: 'PreSignUp_SignUp',
      field: 'UserStatus',
      expected: 'CONFIRMED',
      actual: result.userStatus,
      evidence: [
        `SignUp: UserConfirmed=${result.userConfirmed}`,
        `AdminGetUser: UserStatus=${result.userStatus}`,
        cleanupEvidence(observation),
      ],
      dedupKey: canaryDedupKey('signup-not-confirmed', target, 'UserStatus'),
      runbook: 'signup-not-confirmed',
    };
  }
  const cause = causeOfCallError('sign-up', result.error, observation);
  const signUpFailed = result.call === 'SignUp';
  const severity = signUpFailed && cause.cause !== 'network' ? 'critical' : CAUSE_SEVERITY[cause.cause];
  return {
    detector: 'signup-not-confirmed',
    severity,
    title: signUpFailed
      ? `Canary sign-up ${cause.cause === 'network' ? 'not tested' : 'fails'} for ${where}: ${describeCause(cause, result.error)}`
      : `Canary sign-up could not read the new user's status for ${where}: ${describeCause(cause, result.error)}`,
    ...locationOfTarget(target),
    ...causeFindingTail(
      'signup-not-confirmed',
      target,
      cause,
      [errorEvidence(result.call, result.error), cleanupEvidence(observation)],
      cause.trigger === 'PreSignUp' ? { triggerSource: 'PreSignUp_SignUp' } : {},
    ),
  };
};

export const signupNotConfirmed = canaryDetector(
  'signup-not-confirmed',
  'canary-sign-up',
  'A canary sign-up that should auto-confirm left the user UNCONFIRMED, or sign-up failed outright.',
  toFinding,
);
