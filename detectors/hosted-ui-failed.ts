/**
 * hosted-ui-failed: the hosted UI (managed login) of a pool's domain would not sign a web app's
 * users in, or its trust chain is off.
 *
 * Reads: `canary-hosted-ui` observations. Fires, one finding per cause and target:
 * - `redirect-mismatch` (critical): `/oauth2/authorize` with an expected redirect URI led to an
 *   error (`error=redirect_mismatch` and friends) instead of the sign-in page; the finding names
 *   the refused URLs beside the client's allowed list.
 * - `domain-unreachable` (critical): no answer from the domain, an answer that is neither the
 *   sign-in page nor an error redirect, or (custom domain) a name that does not resolve.
 * - `issuer-mismatch` (critical): the discovery document's `issuer` is not the pool's issuer, or
 *   the document cannot be read.
 * - `jwks-key-missing` (critical): the JWKS at `jwks_uri` lacks the key id that signs the canary's
 *   tokens (or has no key when no sign-in ran).
 * - `certificate-expiring`: a custom domain's certificate expires within `certificateWarningDays`
 *   (default 21) days (warning), has expired (critical), or cannot be read (warning).
 * Known false positives: a WAF in front of a custom domain that blocks the monitor reads as
 * `domain-unreachable`; a redirect URI listed in config but retired on purpose reads as a mismatch.
 */
import {
  CAUSE_SEVERITY,
  canaryDedupKey,
  causeRunbook,
  describeTarget,
  locationOfTarget,
} from './canary-finding';
import type { CanaryHostedUiObservation, CanaryObservation } from './canary-observations';
import { type Cause, type Detector, detectEachOfKind, type Finding, type Severity } from './types';

const finding = (
  observation: CanaryHostedUiObservation,
  cause: Cause,
  fields: Pick<Finding, 'title' | 'evidence'> &
    Partial<Pick<Finding, 'field' | 'expected' | 'actual'>> & { severity?: Severity },
): Finding => ({
  detector: 'hosted-ui-failed',
  ...locationOfTarget(observation.target),
  cause,
  ...fields,
  severity: fields.severity ?? CAUSE_SEVERITY[cause],
  dedupKey: canaryDedupKey('hosted-ui-failed', observation.target, cause),
  runbook: causeRunbook(cause),
});

const authorizeLine = (domain: string, redirect: CanaryHostedUiObservation['redirects'][number]): string => {
  const answer =
    redirect.outcome === 'error'
      ? `HTTP ${redirect.status ?? '?'} to an error page, error=${redirect.error ?? 'unknown'}`
      : redirect.outcome === 'login'
        ? `HTTP ${redirect.status ?? '?'} to the sign-in page`
        : (redirect.detail ?? redirect.outcome);
  return `GET ${domain}/oauth2/authorize?response_type=code&redirect_uri=${redirect.redirectUri}: ${answer}`;
};

const toFindings = (observation: CanaryHostedUiObservation): Finding[] => {
  const findings: Finding[] = [];
  const where = describeTarget(observation.target);
  const { domain } = observation;
  const allowed = observation.allowedCallbackUrls;
  const allowedText =
    allowed === undefined
      ? 'unknown (DescribeUserPoolClient failed)'
      : allowed.length === 0
        ? 'none'
        : allowed.join(', ');

  const refused = observation.redirects.filter((redirect) => redirect.outcome === 'error');
  if (refused.length > 0) {
    const urls = refused.map((redirect) => redirect.redirectUri);
    const codes = [...new Set(refused.map((redirect) => redirect.error ?? 'unknown'))].join(', ');
    findings.push(
      finding(observation, 'redirect-mismatch', {
        title: `The hosted UI of ${where} refuses redirect URI ${urls.join(', ')} (${codes}); the client allows ${allowedText}`,
        field: 'redirect_uri',
        expected: `one of the client's callback URLs: ${allowedText}`,
        actual: urls.join(', '),
        evidence: [
          ...refused.map((redirect) => authorizeLine(domain, redirect)),
          `Allowed callback URLs of the client: ${allowedText}`,
        ],
      }),
    );
  }

  const broken = observation.redirects.filter(
    (redirect) => redirect.outcome === 'unreachable' || redirect.outcome === 'unexpected',
  );
  const unresolved = observation.dns?.resolved === false ? observation.dns : undefined;
  if (broken.length > 0 || unresolved !== undefined) {
    findings.push(
      finding(observation, 'domain-unreachable', {
        title: `The hosted UI domain ${domain} of ${where} ${unresolved !== undefined ? `does not resolve (${unresolved.detail ?? 'no address'})` : `does not lead to the sign-in page (${broken[0]?.detail ?? broken[0]?.outcome})`}`,
        field: 'domain',
        expected: 'a redirect to the sign-in page',
        actual:
          unresolved !== undefined
            ? `DNS: ${unresolved.detail ?? 'no address'}`
            : (broken[0]?.detail ?? 'no answer'),
        evidence: [
          ...(unresolved === undefined
            ? []
            : [`DNS lookup of ${unresolved.host}: ${unresolved.detail ?? 'no address'}`]),
          ...broken.map((redirect) => authorizeLine(domain, redirect)),
        ],
      }),
    );
  }

  const { discovery } = observation;
  if (discovery?.outcome === 'error') {
    findings.push(
      finding(observation, 'issuer-mismatch', {
        title: `The OIDC discovery document of ${where} cannot be read (${discovery.detail})`,
        field: 'issuer',
        expected: observation.expectedIssuer,
        actual: discovery.detail,
        evidence: [`OIDC discovery: ${discovery.detail}`],
      }),
    );
  } else if (discovery?.outcome === 'ok') {
    if (discovery.issuer !== observation.expectedIssuer) {
      findings.push(
        finding(observation, 'issuer-mismatch', {
          title: `The OIDC discovery document of ${where} names issuer ${discovery.issuer}, not the pool's ${observation.expectedIssuer}`,
          field: 'issuer',
          expected: observation.expectedIssuer,
          actual: discovery.issuer,
          evidence: [`OIDC discovery: issuer=${discovery.issuer}, jwks_uri=${discovery.jwksUri}`],
        }),
      );
    }
    const wanted = observation.signingKeyId;
    const missing = wanted === undefined ? discovery.keyIds.length === 0 : !discovery.keyIds.includes(wanted);
    if (missing) {
      findings.push(
        finding(observation, 'jwks-key-missing', {
          title:
            wanted === undefined
              ? `The JWKS of ${where} (${discovery.jwksUri}) serves no key`
              : `The JWKS of ${where} (${discovery.jwksUri}) does not serve key ${wanted}, which signs the canary's tokens`,
          field: 'kid',
          expected: wanted ?? 'at least one key',
          actual: discovery.keyIds.length === 0 ? 'no keys' : discovery.keyIds.join(', '),
          evidence: [`JWKS ${discovery.jwksUri}: kid ${discovery.keyIds.join(', ') || 'none'}`],
        }),
      );
    }
  }

  const { certificate } = observation;
  if (certificate?.outcome === 'error') {
    findings.push(
      finding(observation, 'certificate-expiring', {
        title: `The TLS certificate of ${certificate.host} could not be read (${certificate.detail})`,
        severity: 'warning',
        field: 'certificate',
        expected: 'a readable certificate',
        actual: certificate.detail,
        evidence: [`TLS ${certificate.host}:443: ${certificate.detail}`],
      }),
    );
  } else if (certificate?.outcome === 'ok' && certificate.daysLeft < observation.certificateWarningDays) {
    const expired = certificate.daysLeft < 0;
    findings.push(
      finding(observation, 'certificate-expiring', {
        title: expired
          ? `The TLS certificate of ${certificate.host} expired on ${certificate.validTo}: browsers refuse the hosted UI`
          : `The TLS certificate of ${certificate.host} expires in ${Math.floor(certificate.daysLeft)} days (${certificate.validTo})`,
        severity: expired ? 'critical' : 'warning',
        field: 'certificate.validTo',
        expected: `more than ${observation.certificateWarningDays} days left`,
        actual: certificate.validTo,
        evidence: [`TLS ${certificate.host}:443: valid until ${certificate.validTo}`],
      }),
    );
  }
  return findings;
};

export const hostedUiFailed: Detector<CanaryObservation> = {
  id: 'hosted-ui-failed',
  description:
    'The hosted UI refuses an expected redirect URI, its domain or certificate is failing, or its discovery document or JWKS does not match the pool.',
  detect: detectEachOfKind('canary-hosted-ui', toFindings),
};
