/**
 * canary-refresh-failed: sign-in worked, but REFRESH_TOKEN_AUTH with the fresh refresh token did not.
 *
 * Reads: `canary-refresh` observations whose result is an error or a challenge. Cause from the
 * exception and message (`Refresh Token has been revoked` → `refresh-token-revoked`, `Invalid
 * Refresh Token` → `refresh-token-invalid`, secret hash, flow, triggers such as
 * PreTokenGeneration on `TokenGeneration_RefreshTokens`, throttling). When the message does not
 * say (moto answers with the token itself), the GetUser enrichment decides: an access token of the
 * same session that Cognito also refuses means the session was revoked.
 * Thresholds: none; one failed refresh is one finding. Severity by cause (CAUSE_SEVERITY).
 * Known false positives: two canaries signing in as the same user at the same moment (the CLI
 * `check` during a scheduled run) when cleanup uses a global sign-out: one revokes the other's
 * session, which reads as `refresh-token-revoked`. Token-revocation cleanup (the default) avoids it.
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
import type { CanaryObservation, CanaryRefreshObservation } from './canary-observations';
import type { Detector, Finding } from './types';

const toFinding = (observation: CanaryRefreshObservation): Finding | undefined => {
  const { result, target } = observation;
  if (result.outcome === 'tokens') return undefined;
  const evidence: string[] = [];
  let cause: ReturnType<typeof toCanaryCause>;
  let phrase: string;
  if (result.outcome === 'challenge') {
    cause = { cause: toChallengeCause(result.challengeName) };
    phrase = describeCause(cause, undefined, result.challengeName);
    evidence.push(`AdminInitiateAuth REFRESH_TOKEN_AUTH: answered with challenge ${result.challengeName}`);
  } else {
    cause = toCanaryCause({
      call: 'refresh',
      error: result.error,
      clientId: target.clientId,
      ...(observation.accessTokenLive === undefined ? {} : { accessTokenLive: observation.accessTokenLive }),
      ...(observation.user === undefined ? {} : { user: observation.user }),
      ...(observation.triggerFunctions === undefined
        ? {}
        : { triggerFunctions: observation.triggerFunctions }),
    });
    phrase = describeCause(cause, result.error);
    evidence.push(errorEvidence('AdminInitiateAuth REFRESH_TOKEN_AUTH', result.error));
  }
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
