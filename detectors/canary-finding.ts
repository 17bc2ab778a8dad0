/**
 * Shared pieces of the canary detectors: where a finding points (pool, client, region), its dedup
 * key, the severity of each cause, the phrase that names a cause in a title, and the evidence line
 * of a failed call. Pure.
 */
import { redactThenClip } from '../redaction/redact';
import {
  type CanaryCall,
  type CauseInput,
  type CauseResult,
  toCanaryCause,
  toChallengeCause,
  UNREADABLE_OTP_CHALLENGES,
} from './canary-cause';
import type {
  CanaryAuthResult,
  CanaryError,
  CanaryObservation,
  CanaryTarget,
  CanaryUserState,
  TriggerFunctions,
} from './canary-observations';
import { canaryCauseSectionId } from './runbook-section-id';
import {
  type Cause,
  type Detector,
  type DetectorId,
  detectEachOfKind,
  type Finding,
  type Severity,
  toDedupKey,
} from './types';

/** Longest trigger error text quoted in a title, in characters (the evidence has all of it). */
export const MAX_TITLE_DETAIL_CHARS = 160;

/** The location fields of every canary finding. */
export const locationOfTarget = (target: CanaryTarget) => ({
  userPoolId: target.userPoolId,
  clientId: target.clientId,
  region: target.region,
});

/** `shop-users (us-east-1_AbC), client 4i2o…`: what a title calls the target. */
export const describeTarget = (target: CanaryTarget): string =>
  `${target.poolName === undefined ? target.userPoolId : `${target.poolName} (${target.userPoolId})`}, app client ${target.clientId}`;

/**
 * The dedup key of a canary finding: detector, pool, client, then what failed (cause, field or
 * step). The prefix without the last part is what a passing check hands back as `passed`.
 */
export const canaryDedupKey = (detector: DetectorId, target: CanaryTarget, what?: string): string =>
  toDedupKey(detector, target.userPoolId, target.clientId, what);

/** The `passed` prefix of a detector for one target (see CheckReport.passed). */
export const canaryPassedPrefix = (detector: DetectorId, target: CanaryTarget): string =>
  toDedupKey(detector, target.userPoolId, target.clientId);

/**
 * How bad each cause is. `critical`: every user of the client is probably refused too (client,
 * pool, flows, secret, triggers). `error`: the canary user alone, the monitor's own access, or
 * throttling that real users share. `warning`: the monitor could not reach Cognito, so nothing was
 * tested.
 */
export const CAUSE_SEVERITY: Readonly<Record<Cause, Severity>> = {
  'user-not-confirmed': 'error',
  'user-disabled': 'error',
  'incorrect-credentials': 'error',
  'user-not-found': 'error',
  'password-reset-required': 'error',
  'new-password-required': 'error',
  'flow-not-enabled': 'critical',
  'secret-hash-mismatch': 'critical',
  'client-not-found': 'critical',
  'pool-not-found': 'critical',
  'trigger-failed': 'critical',
  'trigger-invalid-response': 'critical',
  'trigger-unreachable': 'critical',
  'refresh-token-revoked': 'error',
  'refresh-token-invalid': 'critical',
  'unexpected-challenge': 'critical',
  throttled: 'error',
  'access-denied': 'error',
  unknown: 'error',
  network: 'warning',
  // Every sign-up, forgot-password and attribute verification email fails until the quota resets.
  'email-quota-exceeded': 'critical',
  'custom-auth-not-configured': 'critical',
  'auth-flow-not-supported': 'error',
  'mfa-required': 'error',
  'mfa-not-enrolled': 'error',
  'mfa-code-rejected': 'error',
  'redirect-mismatch': 'critical',
  'domain-unreachable': 'critical',
  // Raised to critical by the detector once the certificate has expired.
  'certificate-expiring': 'warning',
  'issuer-mismatch': 'critical',
  'jwks-key-missing': 'critical',
  'invalid-client': 'critical',
  'invalid-scope': 'critical',
  'unauthorized-client': 'critical',
};

const clip = (text: string, max = MAX_TITLE_DETAIL_CHARS): string => redactThenClip(text, max);

const whichTrigger = (result: CauseResult): string =>
  result.trigger !== undefined
    ? `the ${result.trigger} trigger`
    : result.functionName !== undefined
      ? `trigger function ${result.functionName}`
      : 'a trigger';

/** The phrase that names a cause in a title, e.g. `the canary user is disabled`. */
export const describeCause = (result: CauseResult, error?: CanaryError, challengeName?: string): string => {
  switch (result.cause) {
    case 'user-not-confirmed':
      return 'the canary user is UNCONFIRMED';
    case 'user-disabled':
      return 'the canary user is disabled';
    case 'incorrect-credentials':
      return 'Cognito rejects the stored canary password';
    case 'user-not-found':
      return result.trigger === 'UserMigration'
        ? 'the canary user does not exist and the UserMigration trigger did not find it'
        : 'the canary user does not exist in the pool';
    case 'password-reset-required':
      return 'the canary user must reset its password';
    case 'new-password-required':
      return 'the canary user has a temporary password (NEW_PASSWORD_REQUIRED)';
    case 'flow-not-enabled':
      return 'the app client does not allow this auth flow';
    case 'secret-hash-mismatch':
      return "the SECRET_HASH does not match the app client's secret";
    case 'client-not-found':
      return 'the app client does not exist';
    case 'pool-not-found':
      return 'the user pool does not exist in this region and account';
    case 'trigger-failed':
      return `${whichTrigger(result)} failed${result.triggerError === undefined ? '' : `: ${clip(result.triggerError)}`}`;
    case 'trigger-invalid-response':
      return `${whichTrigger(result)} returned a response Cognito cannot use${error === undefined ? '' : ` (${clip(error.message)})`}`;
    case 'trigger-unreachable':
      return `Cognito cannot invoke ${whichTrigger(result)}${result.triggerError === undefined ? '' : ` (${clip(result.triggerError)})`}`;
    case 'refresh-token-revoked':
      return 'the session was revoked right after sign-in (global sign-out, RevokeToken or a password change)';
    case 'refresh-token-invalid':
      return 'Cognito does not accept the fresh refresh token';
    case 'unexpected-challenge':
      return `Cognito asked for a ${challengeName ?? 'challenge'} challenge instead of issuing tokens`;
    case 'throttled':
      return `Cognito throttled every attempt${error === undefined ? '' : ` (${error.name}, ${attemptsText(error.attempts)})`}`;
    case 'access-denied':
      return `the monitor's own credentials were refused${error === undefined ? '' : ` (${error.name})`}`;
    case 'network':
      return `Cognito could not be reached${error === undefined ? '' : ` (${error.name}, ${attemptsText(error.attempts)})`}`;
    case 'unknown':
      return error === undefined ? 'an unrecognised error' : clip(`${error.name}: ${error.message}`);
    case 'email-quota-exceeded':
      return "Cognito's default email sender hit its daily limit; the pool needs its own Amazon SES configuration";
    case 'custom-auth-not-configured':
      return 'CUSTOM_AUTH was asked of a pool with no DefineAuthChallenge trigger configured';
    case 'auth-flow-not-supported':
      return `the auth flow is not one this API accepts${error === undefined ? '' : ` (${clip(error.message)})`}`;
    case 'mfa-required':
      return challengeName !== undefined && UNREADABLE_OTP_CHALLENGES.has(challengeName)
        ? `Cognito asks for ${challengeName === 'SMS_MFA' ? 'an SMS' : 'an email'} one-time code (${challengeName}), which a canary cannot read: enrol TOTP for the canary user`
        : `Cognito asks for a TOTP code (${challengeName ?? 'SOFTWARE_TOKEN_MFA'}) and no TOTP seed is configured for the canary (canary.mfa.totpSecret)`;
    case 'mfa-not-enrolled':
      return challengeName === 'MFA_SETUP'
        ? 'MFA is required and the canary user has no second factor enrolled (MFA_SETUP)'
        : error !== undefined
          ? `the canary user has no TOTP factor enrolled (${error.name})`
          : `a TOTP seed is configured but Cognito asks for ${challengeName ?? 'another factor'}: the canary user's TOTP factor is not enabled or not preferred`;
    case 'mfa-code-rejected':
      return `Cognito rejects the canary's TOTP code${error === undefined ? '' : ` (${error.name})`}: the stored seed no longer matches the user's enrolment, or the monitor's clock is off`;
    case 'redirect-mismatch':
      return "the hosted UI refuses a redirect URI that is not in the app client's callback URLs";
    case 'domain-unreachable':
      return 'the hosted UI domain cannot be reached';
    case 'certificate-expiring':
      return "the custom domain's TLS certificate is about to expire";
    case 'issuer-mismatch':
      return "the OIDC discovery document's issuer is not the pool's issuer";
    case 'jwks-key-missing':
      return "the JWKS does not serve the key that signs the pool's tokens";
    case 'invalid-client':
      return 'the token endpoint refuses the client id or secret (invalid_client)';
    case 'invalid-scope':
      return 'the token endpoint refuses a requested scope (invalid_scope)';
    case 'unauthorized-client':
      return 'the app client may not use the client_credentials grant (unauthorized_client)';
  }
};

const attemptsText = (attempts: number): string => `${attempts} attempt${attempts === 1 ? '' : 's'}`;

/** One evidence line for a failed call: `AdminInitiateAuth: NotAuthorizedException: User is disabled. (HTTP 400, 1 attempt)`. */
export const errorEvidence = (call: string, error: CanaryError): string => {
  const status = error.httpStatus === undefined ? '' : `HTTP ${error.httpStatus}, `;
  return `${call}: ${error.name}: ${error.message} (${status}${attemptsText(error.attempts)})`;
};

/** Evidence line for the AdminGetUser enrichment. */
export const userEvidence = (user: CanaryUserState): string =>
  user.exists
    ? `AdminGetUser: UserStatus=${user.status ?? 'unknown'}, Enabled=${user.enabled ?? 'unknown'}`
    : 'AdminGetUser: the user does not exist';

/** The cause's runbook section. */
export const causeRunbook = (cause: Cause): string => canaryCauseSectionId(cause);

/** The trigger and function fields a cause result adds to a finding. */
export const triggerFieldsOf = (result: CauseResult): Pick<Finding, 'trigger' | 'functionName'> => ({
  ...(result.trigger === undefined ? {} : { trigger: result.trigger }),
  ...(result.functionName === undefined ? {} : { functionName: result.functionName }),
});

/**
 * Why an AdminInitiateAuth (sign-in or refresh) gave no tokens: the cause, the phrase that names
 * it in a title, and the evidence line of the call. `api` names the call in that line;
 * `challengeEvidence` ends the line of an unexpected challenge.
 */
export const explainAuthFailure = (
  result: Exclude<CanaryAuthResult, { outcome: 'tokens' }>,
  api: string,
  input: Omit<CauseInput, 'error'>,
  challengeEvidence = '',
): { cause: CauseResult; phrase: string; evidence: string } => {
  if (result.outcome === 'challenge') {
    const cause: CauseResult = {
      cause: toChallengeCause(result.challengeName, input.mfa?.seedConfigured ?? false),
    };
    return {
      cause,
      phrase: describeCause(cause, undefined, result.challengeName),
      evidence: `${api}: answered with challenge ${result.challengeName}${challengeEvidence}`,
    };
  }
  const cause = toCanaryCause({ ...input, error: result.error });
  return {
    cause,
    phrase: describeCause(cause, result.error),
    evidence: errorEvidence(input.mfa?.answered ? `${api} + AdminRespondToAuthChallenge` : api, result.error),
  };
};

/**
 * The cause of a failed call of a cycle other than sign-in and refresh (sign-up, custom auth):
 * the app client and the pool's trigger functions help name what failed.
 */
export const causeOfCallError = (
  call: CanaryCall,
  error: CanaryError,
  observation: { target: CanaryTarget; triggerFunctions?: TriggerFunctions },
): CauseResult =>
  toCanaryCause({
    call,
    error,
    clientId: observation.target.clientId,
    ...(observation.triggerFunctions === undefined ? {} : { triggerFunctions: observation.triggerFunctions }),
  });

/**
 * A detector that reads one kind of canary observation and gives at most one finding for each.
 */
export const canaryDetector = <K extends CanaryObservation['kind']>(
  id: DetectorId,
  kind: K,
  description: string,
  toFinding: (observation: Extract<CanaryObservation, { kind: K }>) => Finding | undefined,
): Detector<CanaryObservation> => ({
  id,
  description,
  detect: detectEachOfKind<CanaryObservation, K>(kind, (observation) => [toFinding(observation)]),
});

/**
 * How a finding about a failed call ends: the trigger its cause names, `between` (fields a detector
 * adds there), the cause, the evidence, and the dedup key and runbook by cause.
 */
export const causeFindingTail = (
  detector: DetectorId,
  target: CanaryTarget,
  cause: CauseResult,
  evidence: string[],
  between: Pick<Finding, 'triggerSource'> = {},
): Pick<
  Finding,
  'trigger' | 'functionName' | 'triggerSource' | 'cause' | 'evidence' | 'dedupKey' | 'runbook'
> => ({
  ...triggerFieldsOf(cause),
  ...between,
  cause: cause.cause,
  evidence,
  dedupKey: canaryDedupKey(detector, target, cause.cause),
  runbook: causeRunbook(cause.cause),
});

/**
 * The finding for a sign-in or refresh that gave no tokens: `Canary <step> fails for <target>:
 * <phrase>` (`not tested` when the network kept the canary from Cognito), severity and runbook by
 * cause. `extra` adds the fields of an unexpected challenge.
 */
export const authFailureFinding = (
  detector: DetectorId,
  target: CanaryTarget,
  step: string,
  { cause, phrase }: { cause: CauseResult; phrase: string },
  evidence: string[],
  extra: Pick<Finding, 'field' | 'expected' | 'actual'> = {},
): Finding => ({
  detector,
  severity: CAUSE_SEVERITY[cause.cause],
  title: `Canary ${step} ${cause.cause === 'network' ? 'not tested' : 'fails'} for ${describeTarget(target)}: ${phrase}`,
  ...locationOfTarget(target),
  ...triggerFieldsOf(cause),
  cause: cause.cause,
  ...extra,
  evidence,
  dedupKey: canaryDedupKey(detector, target, cause.cause),
  runbook: causeRunbook(cause.cause),
});
