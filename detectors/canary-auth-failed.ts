/**
 * canary-auth-failed: the canary's AdminInitiateAuth (ADMIN_USER_PASSWORD_AUTH, with SECRET_HASH
 * when the client has a secret) did not return tokens.
 * Reads: `canary-sign-in` observations whose result is an error or a challenge. The cause comes
 * from Cognito's error name and message (`explainAuthFailure`): the canary user's state
 * (UNCONFIRMED, disabled, wrong password, reset required), the client (flow not enabled,
 * SECRET_HASH refused, client or pool gone), a trigger that failed, answered wrongly or could not
 * be reached, throttling, IAM, or an unexpected challenge. One finding per target and cause.
 * Thresholds: none; a sign-in that still fails after the canary's retries (throttling and 5xx are
 * retried inside the run's time budget) fires. Severity per cause: critical for what breaks every
 * user (client, flow, secret, trigger, pool), error for the canary user's own state, throttling
 * and access, warning when the network kept the canary from testing at all.
 * Known false positives: someone changed the canary user by hand (password, status); a
 * throttled account during a load test; a monitor-side network failure (reported as a warning).
 */
import {
  CAUSE_SEVERITY,
  canaryDedupKey,
  causeRunbook,
  describeTarget,
  explainAuthFailure,
  locationOfTarget,
  triggerFieldsOf,
  userEvidence,
} from './canary-finding';
import type { CanaryObservation, CanarySignInObservation } from './canary-observations';
import type { Detector, Finding } from './types';

const toFinding = (observation: CanarySignInObservation): Finding | undefined => {
  const { result, target } = observation;
  if (result.outcome === 'tokens') return undefined;
  const {
    cause,
    phrase,
    evidence: callEvidence,
  } = explainAuthFailure(
    result,
    'AdminInitiateAuth',
    {
      call: 'sign-in',
      clientId: target.clientId,
      ...(observation.user === undefined ? {} : { user: observation.user }),
      ...(observation.triggerFunctions === undefined
        ? {}
        : { triggerFunctions: observation.triggerFunctions }),
      ...(observation.mfa === undefined
        ? {}
        : { mfa: { seedConfigured: observation.mfa.seedConfigured, answered: observation.mfa.answered } }),
    },
    ' instead of tokens',
  );
  const evidence = [callEvidence];
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
