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
import { authFailureFinding, canaryDetector, explainAuthFailure, userEvidence } from './canary-finding';
import type { CanarySignInObservation } from './canary-observations';
import type { Finding } from './types';

const toFinding = (observation: CanarySignInObservation): Finding | undefined => {
  const { result, target } = observation;
  if (result.outcome === 'tokens') return undefined;
  const failure = explainAuthFailure(
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
  const evidence = [failure.evidence];
  if (observation.user !== undefined) evidence.push(userEvidence(observation.user));
  return authFailureFinding(
    'canary-auth-failed',
    target,
    'sign-in',
    failure,
    evidence,
    result.outcome === 'challenge'
      ? { field: 'ChallengeName', expected: 'tokens (AuthenticationResult)', actual: result.challengeName }
      : {},
  );
};

export const canaryAuthFailed = canaryDetector(
  'canary-auth-failed',
  'canary-sign-in',
  'The canary could not sign in; the cause says why (user, client, flow, secret, trigger, throttling).',
  toFinding,
);
