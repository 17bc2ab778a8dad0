/**
 * api-probe-rejected: the protected API refused the canary's fresh access token.
 *
 * Reads: `canary-api-probe` observations. HTTP 401 or 403 fires as critical: the token had just
 * passed verification (the probe runs only then), so the API's authorizer is wrong (another pool,
 * an audience without this client, an ID token expected, scopes). Any other status of 400 and up
 * fires as a warning: the API failed for another reason, so the token was not judged. A network
 * error or timeout reaching the API fires as a warning with cause `network`.
 * Thresholds: status codes only; 2xx and 3xx pass.
 * Known false positives: an API that answers 403 for a reason unrelated to the token (WAF rule,
 * IP allow-list that excludes the monitor) reads as a rejection.
 */
import {
  canaryDedupKey,
  canaryDetector,
  describeTarget,
  errorEvidence,
  locationOfTarget,
} from './canary-finding';
import type { CanaryApiProbeObservation } from './canary-observations';
import type { Finding } from './types';

const REJECTED = new Set([401, 403]);

const toFinding = (observation: CanaryApiProbeObservation): Finding | undefined => {
  const { result, target } = observation;
  const where = describeTarget(target);
  const token = observation.tokenUse === 'id' ? 'ID token' : 'access token';
  const request = `${observation.method} ${observation.url}`;
  const base = {
    detector: 'api-probe-rejected' as const,
    ...locationOfTarget(target),
    field: 'status',
    expected: '2xx or 3xx',
  };
  if (result.outcome === 'error') {
    return {
      ...base,
      severity: 'warning',
      title: `The API probe ${request} could not be completed for ${where} (${result.error.name}); the token was not judged`,
      actual: `${result.error.name}: ${result.error.message}`,
      cause:
        result.error.kind === 'service'
          ? 'unknown'
          : result.error.kind === 'throttled'
            ? 'throttled'
            : 'network',
      evidence: [errorEvidence(request, result.error)],
      dedupKey: canaryDedupKey('api-probe-rejected', target, 'unreachable'),
      runbook: 'api-probe-rejected',
    };
  }
  const { status } = result;
  if (status < 400) return undefined;
  const rejected = REJECTED.has(status);
  return {
    ...base,
    severity: rejected ? 'critical' : 'warning',
    title: rejected
      ? `The protected API ${request} rejects a fresh, valid ${token} of ${where} with HTTP ${status}`
      : `The API probe ${request} answered HTTP ${status} for ${where}; the token was not judged`,
    actual: `HTTP ${status}`,
    evidence: [`${request} with the fresh ${token}: HTTP ${status}`],
    dedupKey: canaryDedupKey('api-probe-rejected', target, rejected ? 'rejected' : 'failed'),
    runbook: 'api-probe-rejected',
  };
};

export const apiProbeRejected = canaryDetector(
  'api-probe-rejected',
  'canary-api-probe',
  'The protected API answered 401/403 to a fresh access token that had just passed verification.',
  toFinding,
);
