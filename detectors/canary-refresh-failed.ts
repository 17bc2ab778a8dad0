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
import { authFailureFinding, canaryDetector, explainAuthFailure, userEvidence } from './canary-finding';
import type { CanaryRefreshObservation } from './canary-observations';
import type { Finding } from './types';

const toFinding = (observation: CanaryRefreshObservation): Finding | undefined => {
  const { result, target } = observation;
  if (result.outcome === 'tokens') return undefined;
  const failure = explainAuthFailure(result, 'AdminInitiateAuth REFRESH_TOKEN_AUTH', {
    call: 'refresh',
    clientId: target.clientId,
    ...(observation.accessTokenLive === undefined ? {} : { accessTokenLive: observation.accessTokenLive }),
    ...(observation.user === undefined ? {} : { user: observation.user }),
    ...(observation.triggerFunctions === undefined ? {} : { triggerFunctions: observation.triggerFunctions }),
  });
  const evidence = [failure.evidence];
  if (observation.accessTokenLive !== undefined) {
    evidence.push(
      observation.accessTokenLive
        ? 'GetUser: still accepts the access token of the same sign-in'
        : 'GetUser: refuses the access token of the same sign-in too (the session is revoked)',
    );
  }
  if (observation.user !== undefined) evidence.push(userEvidence(observation.user));
  return authFailureFinding('canary-refresh-failed', target, 'token refresh', failure, evidence);
};

export const canaryRefreshFailed = canaryDetector(
  'canary-refresh-failed',
  'canary-refresh',
  'Sign-in worked but REFRESH_TOKEN_AUTH with the fresh refresh token failed; the cause says why.',
  toFinding,
);
