/**
 * canary-auth-failed: the canary could not sign in (AdminInitiateAuth, ADMIN_USER_PASSWORD_AUTH).
 *
 * Reads: `canary-sign-in` observations whose result is an error or a challenge. The cause comes
 * from the exception name and message (`toCanaryCause`), refined by the AdminGetUser enrichment
 * when Cognito's refusal does not say why; a NEW_PASSWORD_REQUIRED challenge is
 * `new-password-required`, any other challenge `unexpected-challenge`. A trigger named in the
 * message goes into `trigger`.
 * Thresholds: none; one failed sign-in is one finding (the canary already retried throttling and
 * network errors within its time budget). Severity by cause (CAUSE_SEVERITY): critical when every
 * user of the client is probably refused, error for the canary user alone, throttling or the
 * monitor's own access, warning when Cognito could not be reached.
 * Known false positives: someone changing the canary user by hand (password, disable) gives the
 * user-level causes; with PreventUserExistenceErrors and no AdminGetUser permission an unknown
 * user reads as `incorrect-credentials`.
 */
import { toCanaryCause, toChallengeCause } from './canary-cause';
import {
  CAUSE_SEVERITY,
  canaryDedupKey,
  causeRunbook,
  describeCause,
  describeTarget,
  errorEvidence,
  locationOfTarget,
  triggerFieldsOf,
  userEvidence,
} from './canary-finding';
import type { CanaryObservation, CanarySignInObservation } from './canary-observations';
import type { Detector, Finding } from './types';

const toFinding = (observation: CanarySignInObservation): Finding | undefined => {
  const { result, target } = observation;
  if (result.outcome === 'tokens') return undefined;
  const evidence: string[] = [];
  let cause: ReturnType<typeof toCanaryCause>;
  let phrase: string;
  if (result.outcome === 'challenge') {
    cause = { cause: toChallengeCause(result.challengeName) };
    phrase = describeCause(cause, undefined, result.challengeName);
    evidence.push(`AdminInitiateAuth: answered with challenge ${result.challengeName} instead of tokens`);
  } else {
    cause = toCanaryCause({
      call: 'sign-in',
      error: result.error,
      clientId: target.clientId,
      ...(observation.user === undefined ? {} : { user: observation.user }),
      ...(observation.triggerFunctions === undefined
        ? {}
        : { triggerFunctions: observation.triggerFunctions }),
    });
    phrase = describeCause(cause, result.error);
    evidence.push(errorEvidence('AdminInitiateAuth', result.error));
  }
  if (observation.user !== undefined) evidence.push(userEvidence(observation.user));
  const title =
    cause.cause === 'network'
      ? `Canary sign-in not tested for ${describeTarget(target)}: ${phrase}`
      : `Canary sign-in fails for ${describeTarget(target)}: ${phrase}`;
  return {
    detector: 'canary-auth-failed',
    severity: CAUSE_SEVERITY[cause.cause],
    title,
    ...locationOfTarget(target),
    ...triggerFieldsOf(cause),
    cause: cause.cause,
    ...(result.outcome === 'challenge'
      ? { field: 'ChallengeName', expected: 'tokens (AuthenticationResult)', actual: result.challengeName }
      : {}),
    evidence,
    dedupKey: canaryDedupKey('canary-auth-failed', target, cause.cause),
    runbook: causeRunbook(cause.cause),
  };
};

export const canaryAuthFailed: Detector<CanaryObservation> = {
  id: 'canary-auth-failed',
  description:
    'The canary could not sign in; the cause says why (user, client, flow, secret, trigger, throttling).',
  detect: (observations) =>
    observations.flatMap((observation) => {
      if (observation.kind !== 'canary-sign-in') return [];
      const finding = toFinding(observation);
      return finding === undefined ? [] : [finding];
    }),
};
