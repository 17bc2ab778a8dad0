import { describe, expect, it } from 'vitest';
import {
  CANARY_DETECTORS,
  CAUSES,
  type CanaryObservation,
  DETECTORS,
  type Finding,
  runCanaryDetectors,
} from '../../detectors';
import { canaryCauseSectionId } from '../../detectors/runbook-section-id';
import { getRunbookSection } from '../../runbook';
import {
  apiProbe,
  context,
  customAuth,
  failed,
  getUser,
  refresh,
  serviceError,
  signIn,
  signUp,
  target,
  tokenCheck,
} from '../fixtures/canary/observations';

/** One run with one problem of every kind. */
const batch = (): CanaryObservation[] => [
  signIn(failed(serviceError('UserNotConfirmedException', 'User is not confirmed.')), { budgetMs: 1 }),
  tokenCheck({}, { field: 'iss', expected: 'a', actual: 'b', check: 'verification' }),
  getUser(serviceError('NotAuthorizedException', 'Access Token has been revoked')),
  refresh(failed(serviceError('NotAuthorizedException', 'Invalid Refresh Token'))),
  signUp({ outcome: 'created', userStatus: 'UNCONFIRMED', userConfirmed: false }),
  customAuth({ outcome: 'loop' }),
  apiProbe({ outcome: 'status', status: 401 }),
  tokenCheck({ tokenUse: 'id', durationMs: 99, budgetMs: 10 }),
  {
    kind: 'canary-hosted-ui',
    target,
    durationMs: 50,
    domain: 'https://shop.auth.us-east-1.amazoncognito.com',
    redirects: [
      {
        redirectUri: 'https://app.example.com/cb/',
        outcome: 'error',
        status: 302,
        error: 'redirect_mismatch',
      },
    ],
    allowedCallbackUrls: ['https://app.example.com/cb'],
    expectedIssuer: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_AbC123xyz',
    certificateWarningDays: 21,
  },
  {
    kind: 'canary-m2m-token',
    target,
    durationMs: 50,
    tokenUrl: 'https://shop.auth.us-east-1.amazoncognito.com/oauth2/token',
    scopes: ['orders/read'],
    result: { outcome: 'oauth-error', status: 400, error: 'invalid_client' },
  },
];

describe('canary detector registry', () => {
  it('registers every canary detector once, in the one registry', () => {
    expect(CANARY_DETECTORS.map((detector) => detector.id)).toEqual([
      'canary-auth-failed',
      'canary-refresh-failed',
      'token-invalid',
      'signup-not-confirmed',
      'custom-auth-failed',
      'api-probe-rejected',
      'hosted-ui-failed',
      'm2m-token-failed',
      'canary-slow',
    ]);
    for (const detector of CANARY_DETECTORS) expect(DETECTORS).toContain(detector);
  });

  it('gives every finding of a run a runbook section that exists and a dedup key without a time', () => {
    const findings = runCanaryDetectors(batch(), context());
    expect(new Set(findings.map((finding) => finding.detector))).toEqual(
      new Set(CANARY_DETECTORS.map((detector) => detector.id)),
    );
    for (const finding of findings) {
      expect(getRunbookSection(finding.runbook), finding.runbook).toBeDefined();
      expect(finding.dedupKey).not.toMatch(/\d{4}-\d{2}-\d{2}T/);
    }
  });

  it('is pure: the same run gives the same findings and the observations are not modified', () => {
    const observations = batch();
    const before = structuredClone(observations);
    const first: Finding[] = runCanaryDetectors(observations, context());
    expect(runCanaryDetectors(observations, context())).toEqual(first);
    expect(observations).toEqual(before);
  });

  it.each(CAUSES)('has a runbook section for cause %s', (cause) => {
    const section = getRunbookSection(canaryCauseSectionId(cause));
    expect(section?.id).toBe(`canary-cause-${cause}`);
    expect(section?.title).toMatch(/^Canary cause: /);
  });
});
