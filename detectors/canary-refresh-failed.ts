/**
 * canary-refresh-failed: REFRESH_TOKEN_AUTH with the refresh token the canary was just issued did
 * not return new tokens.
 * Reads: `canary-refresh` observations whose result is an error or a challenge. The cause comes
 * from Cognito's answer (`explainAuthFailure`): the token was revoked (global sign-out, rotation)
 * or refused, the flow is not enabled on the client, SECRET_HASH was refused (for a refresh it is
 * computed with the user's `sub`, not the username), a PreTokenGeneration trigger failed, or
 * throttling. One finding per target and cause.
 * Thresholds: none; a refresh that still fails after the canary's retries fires. Severity per
 * cause, as for canary-auth-failed (a refresh token Cognito refuses outright is critical: every
 * session of the app would end at its next refresh).
 * Known false positives: a refresh token revoked by a concurrent global sign-out of the canary
 * user (for example a second monitor sharing the user); clock skew does not apply (Cognito checks
 * the token).
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
import type { CanaryObservation, CanaryRefreshObservation } from './canary-observations';
import type { Detector, Finding } from './types';

const toFinding = (observation: CanaryRefreshObservation): Finding | undefined => {
  const { result, target } = observation;
  if (result.outcome === 'tokens') return undefined;
  const {
    cause,
    phrase,
    evidence: callEvidence,
  } = explainAuthFailure(result, 'AdminInitiateAuth REFRESH_TOKEN_AUTH', {
    call: 'refresh',
    clientId: target.clientId,
    ...(observation.accessTokenLive === undefined ? {} : { accessTokenLive: observation.accessTokenLive }),
    ...(observation.user === undefined ? {} : { user: observation.user }),
    ...(observation.triggerFunctions === undefined ? {} : { triggerFunctions: observation.triggerFunctions }),
  });
  const evidence = [callEvidence];
  if (observation.accessTokenLive !== undefined) {
    evidence.push(
      observation.accessTokenLive
        ? 'GetUser: still accepts the access token of the same sign-in'
        : 'GetUser: refuses the access token of the same sign-in too (the session is revoked)',
    );
  }
  if (observation.user !== undefined) evidence.push(userEvidence(observation.user));
  const title =
    cause.cause === 'network'
      ? `Canary token refresh not tested for ${describeTarget(target)}: ${phrase}`
      : `Canary token refresh fails for ${describeTarget(target)}: ${phrase}`;
  return {
    detector: 'canary-refresh-failed',
    severity: CAUSE_SEVERITY[cause.cause],
    title,
    ...locationOfTarget(target),
    ...triggerFieldsOf(cause),
    cause: cause.cause,
    evidence,
    dedupKey: canaryDedupKey('canary-refresh-failed', target, cause.cause),
    runbook: causeRunbook(cause.cause),
  };
};

export const canaryRefreshFailed: Detector<CanaryObservation> = {
  id: 'canary-refresh-failed',
  description:
    'Sign-in worked but REFRESH_TOKEN_AUTH with the fresh refresh token failed; the cause says why.',
  detect: (observations) =>
    observations.flatMap((observation) => {
      if (observation.kind !== 'canary-refresh') return [];
      const finding = toFinding(observation);
      return finding === undefined ? [] : [finding];
    }),
};
