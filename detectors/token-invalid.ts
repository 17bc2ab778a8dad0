/**
 * token-invalid: a token Cognito just issued to the canary fails verification, or Cognito itself
 * refuses the fresh access token.
 *
 * Reads: `canary-token-check` observations with failures (aws-jwt-verify: `signature`, `iss`,
 * `token_use`, `aud` for the ID token, `client_id` for the access token, `exp`, `nbf`, `format`;
 * `validity`: lifetime `exp - iat` differs from the client's configured validity; configured
 * expected claims, named by the claim; `jwks`: the pool's keys could not be fetched), and
 * `canary-get-user` observations with an error (field `live`: GetUser refuses the access token).
 * One finding per failing field and target; the tokens that failed it are listed in the title and
 * the evidence.
 * Thresholds: exact; a lifetime is compared in whole seconds with no tolerance, since Cognito sets
 * `exp` from the configured validity. Severity: critical for what every API verifier checks
 * (signature, iss, token_use, aud/client_id, exp, nbf, format) and for GetUser refusing the token;
 * error for a configured expected claim; warning for a lifetime that differs from the client
 * settings and for a JWKS that could not be fetched (nothing was verified).
 * Known false positives: a client whose token validity changed between the sign-in and the
 * DescribeUserPoolClient call (one run); a monitor host clock off by more than the token lifetime
 * (`exp`).
 */
import {
  canaryDedupKey,
  describeCause,
  describeTarget,
  errorEvidence,
  locationOfTarget,
} from './canary-finding';
import type {
  CanaryGetUserObservation,
  CanaryObservation,
  CanaryTarget,
  CanaryTokenCheckObservation,
  TokenCheckFailure,
} from './canary-observations';
import type { Detector, Finding, Severity } from './types';

const SEVERITY_BY_CHECK: Readonly<Record<TokenCheckFailure['check'], Severity>> = {
  verification: 'critical',
  claim: 'error',
  lifetime: 'warning',
  'jwks-unavailable': 'warning',
};

const tokenName = (observation: CanaryTokenCheckObservation): string =>
  `${observation.phase === 'refresh' ? 'refreshed ' : ''}${observation.tokenUse === 'id' ? 'ID' : 'access'} token`;

const listNames = (names: readonly string[]): string =>
  names.length <= 1
    ? (names[0] ?? 'token')
    : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;

interface Group {
  target: CanaryTarget;
  field: string;
  first: TokenCheckFailure;
  tokens: string[];
  evidence: string[];
}

const titleOf = (group: Group): string => {
  const tokens = listNames(group.tokens);
  const where = describeTarget(group.target);
  const { first } = group;
  const plural = group.tokens.length > 1;
  switch (first.check) {
    case 'jwks-unavailable':
      return `The signing keys of ${where} could not be fetched, so the canary's tokens were not verified: ${first.actual}`;
    case 'lifetime':
      return `The ${tokens} of ${where} ${plural ? 'live' : 'lives'} ${first.actual}, but the app client is configured for ${first.expected}`;
    case 'claim':
      return `The ${tokens} of ${where} ${plural ? 'carry' : 'carries'} ${first.field} = ${first.actual}, expected ${first.expected}`;
    case 'verification':
      return `The ${tokens} of ${where} ${plural ? 'fail' : 'fails'} the ${first.field} check that API verifiers apply: expected ${first.expected}, got ${first.actual}`;
  }
};

const tokenFindings = (observations: readonly CanaryTokenCheckObservation[]): Finding[] => {
  const groups = new Map<string, Group>();
  for (const observation of observations) {
    for (const failure of observation.failures) {
      const key = canaryDedupKey('token-invalid', observation.target, failure.field);
      const line = `${tokenName(observation)}: ${failure.field}: expected ${failure.expected}, got ${failure.actual}`;
      const group = groups.get(key);
      if (group === undefined) {
        groups.set(key, {
          target: observation.target,
          field: failure.field,
          first: failure,
          tokens: [tokenName(observation)],
          evidence: [line],
        });
      } else {
        if (!group.tokens.includes(tokenName(observation))) group.tokens.push(tokenName(observation));
        group.evidence.push(line);
      }
    }
  }
  return [...groups.entries()].map(([dedupKey, group]) => ({
    detector: 'token-invalid',
    severity: SEVERITY_BY_CHECK[group.first.check],
    title: titleOf(group),
    ...locationOfTarget(group.target),
    field: group.field,
    expected: group.first.expected,
    actual: group.first.actual,
    evidence: group.evidence,
    dedupKey,
    runbook: 'token-invalid',
  }));
};

const getUserFinding = (observation: CanaryGetUserObservation): Finding[] => {
  if (observation.result.outcome === 'ok') return [];
  const { error } = observation.result;
  const { target } = observation;
  const where = describeTarget(target);
  const transport =
    error.kind === 'service' ? undefined : error.kind === 'throttled' ? 'throttled' : 'network';
  return [
    {
      detector: 'token-invalid',
      severity: transport === undefined ? 'critical' : transport === 'throttled' ? 'error' : 'warning',
      title:
        transport === undefined
          ? `Cognito refuses the fresh access token of ${where} (GetUser: ${error.name}: ${error.message})`
          : `GetUser could not check the fresh access token of ${where}: ${describeCause({ cause: transport }, error)}`,
      ...locationOfTarget(target),
      field: 'live',
      expected: 'GetUser accepts the access token',
      actual: `${error.name}: ${error.message}`,
      ...(transport === undefined ? {} : { cause: transport }),
      evidence: [errorEvidence('GetUser', error)],
      dedupKey: canaryDedupKey(
        'token-invalid',
        target,
        transport === undefined ? 'live' : `live-${transport}`,
      ),
      runbook: 'token-invalid',
    },
  ];
};

export const tokenInvalid: Detector<CanaryObservation> = {
  id: 'token-invalid',
  description:
    'A token Cognito issued to the canary fails verification (signature, iss, token_use, aud/client_id, exp, validity, claims), or GetUser refuses it.',
  detect: (observations) => {
    const checks = observations.filter(
      (observation): observation is CanaryTokenCheckObservation => observation.kind === 'canary-token-check',
    );
    const liveness = observations.flatMap((observation) =>
      observation.kind === 'canary-get-user' ? getUserFinding(observation) : [],
    );
    return [...tokenFindings(checks), ...liveness];
  },
};
