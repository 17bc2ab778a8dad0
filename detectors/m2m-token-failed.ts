/**
 * m2m-token-failed: a machine-to-machine client could not get, or got an unusable,
 * `client_credentials` access token.
 *
 * Reads: `canary-m2m-token` observations. Cognito's OAuth errors name the cause:
 * `invalid_client` (secret rotated, client deleted) → `invalid-client`; `invalid_scope` (a scope
 * removed from the client or its resource server) → `invalid-scope`; `unauthorized_client` (the
 * client_credentials grant is off) → `unauthorized-client`; all critical. A token that fails
 * verification (signature, issuer, `client_id`, `token_use`, expected scopes) fires as critical with
 * the failed claim as the field. A network failure reaching the endpoint is a warning (`network`).
 * Thresholds: none. Known false positives: a secret rotated in Cognito before the monitor's copy
 * (the monitor is then right, but early).
 */
import {
  CAUSE_SEVERITY,
  canaryDedupKey,
  canaryDetector,
  causeRunbook,
  describeTarget,
  errorEvidence,
  locationOfTarget,
} from './canary-finding';
import type { CanaryM2mTokenObservation } from './canary-observations';
import type { Cause, Finding } from './types';

const OAUTH_CAUSES: Readonly<Record<string, Cause>> = {
  invalid_client: 'invalid-client',
  invalid_scope: 'invalid-scope',
  unauthorized_client: 'unauthorized-client',
};

const toFinding = (observation: CanaryM2mTokenObservation): Finding | undefined => {
  const { result, target } = observation;
  const where = describeTarget(target);
  const request = `POST ${observation.tokenUrl} grant_type=client_credentials scope=${observation.scopes.join(' ')}`;
  const base = { detector: 'm2m-token-failed' as const, ...locationOfTarget(target) };
  if (result.outcome === 'oauth-error') {
    const cause = OAUTH_CAUSES[result.error] ?? 'unknown';
    return {
      ...base,
      severity: CAUSE_SEVERITY[cause],
      title: `Machine-to-machine tokens fail for ${where}: ${cause === 'unknown' ? `the token endpoint answers ${result.error}` : `the token endpoint answers ${result.error}`}`,
      cause,
      field: 'error',
      expected: 'an access token',
      actual: result.error,
      evidence: [
        `${request}: HTTP ${result.status} {"error":"${result.error}"${result.description === undefined ? '' : `,"error_description":"${result.description}"`}}`,
      ],
      dedupKey: canaryDedupKey('m2m-token-failed', target, cause),
      runbook: causeRunbook(cause),
    };
  }
  if (result.outcome === 'error') {
    const cause: Cause =
      result.error.kind === 'service'
        ? 'unknown'
        : result.error.kind === 'throttled'
          ? 'throttled'
          : 'network';
    return {
      ...base,
      severity: cause === 'network' ? 'warning' : 'error',
      title: `Machine-to-machine tokens not tested for ${where}: the token endpoint could not be used (${result.error.name})`,
      cause,
      evidence: [errorEvidence(request, result.error)],
      dedupKey: canaryDedupKey('m2m-token-failed', target, cause),
      runbook: causeRunbook(cause),
    };
  }
  const failure = result.failures[0];
  if (failure === undefined) return undefined;
  return {
    ...base,
    severity: 'critical',
    title: `The client_credentials access token of ${where} fails verification: ${failure.field} is ${failure.actual}, expected ${failure.expected}`,
    field: failure.field,
    expected: failure.expected,
    actual: failure.actual,
    evidence: result.failures.map((item) => `${item.field}: expected ${item.expected}, got ${item.actual}`),
    dedupKey: canaryDedupKey('m2m-token-failed', target, `token:${failure.field}`),
    runbook: 'm2m-token-failed',
  };
};

export const m2mTokenFailed = canaryDetector(
  'm2m-token-failed',
  'canary-m2m-token',
  'A client_credentials token request failed (invalid_client, invalid_scope, unauthorized_client) or returned a token that fails verification.',
  toFinding,
);
