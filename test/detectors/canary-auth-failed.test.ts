import { describe, expect, it } from 'vitest';
import { canaryAuthFailed } from '../../detectors/canary-auth-failed';
import { CLIENT, context, failed, POOL, serviceError, signIn } from '../fixtures/canary/observations';

const detect = (...observations: Parameters<typeof canaryAuthFailed.detect>[0]) =>
  canaryAuthFailed.detect(observations, context());

describe('canary-auth-failed', () => {
  it('reports nothing when sign-in returned tokens', () => {
    expect(detect(signIn())).toEqual([]);
  });

  it('reports a disabled canary user with its cause, location, runbook and evidence', () => {
    const [finding] = detect(signIn(failed(serviceError('NotAuthorizedException', 'User is disabled.'))));
    expect(finding).toEqual({
      detector: 'canary-auth-failed',
      severity: 'error',
      title: `Canary sign-in fails for shop (${POOL}), app client ${CLIENT}: the canary user is disabled`,
      userPoolId: POOL,
      clientId: CLIENT,
      region: 'us-east-1',
      cause: 'user-disabled',
      evidence: ['AdminInitiateAuth: NotAuthorizedException: User is disabled. (HTTP 400, 1 attempt)'],
      dedupKey: `canary-auth-failed:${POOL}:${CLIENT}:user-disabled`,
      runbook: 'canary-cause-user-disabled',
    });
  });

  it('names the trigger of a failing trigger and pages critical', () => {
    const [finding] = detect(
      signIn(
        failed(
          serviceError(
            'UserLambdaValidationException',
            'PreAuthentication failed with error callback is not a function.',
          ),
        ),
      ),
    );
    expect(finding).toMatchObject({
      severity: 'critical',
      trigger: 'PreAuthentication',
      cause: 'trigger-failed',
      title: expect.stringContaining('the PreAuthentication trigger failed: callback is not a function.'),
    });
  });

  it('reports a NEW_PASSWORD_REQUIRED challenge with the challenge as the actual value', () => {
    const [finding] = detect(signIn({ outcome: 'challenge', challengeName: 'NEW_PASSWORD_REQUIRED' }));
    expect(finding).toMatchObject({
      cause: 'new-password-required',
      field: 'ChallengeName',
      expected: 'tokens (AuthenticationResult)',
      actual: 'NEW_PASSWORD_REQUIRED',
    });
  });

  it('adds the AdminGetUser enrichment to the evidence and lets it decide an ambiguous refusal', () => {
    const [finding] = detect(
      signIn(failed(serviceError('NotAuthorizedException', '[redacted:username]')), {
        user: { exists: true, status: 'UNCONFIRMED', enabled: true },
      }),
    );
    expect(finding?.cause).toBe('user-not-confirmed');
    expect(finding?.evidence).toContain('AdminGetUser: UserStatus=UNCONFIRMED, Enabled=true');
  });

  it('says "not tested" for a network failure, as a warning', () => {
    const [finding] = detect(
      signIn(failed(serviceError('ECONNREFUSED', 'connect ECONNREFUSED', { kind: 'network', attempts: 4 }))),
    );
    expect(finding).toMatchObject({ severity: 'warning', cause: 'network' });
    expect(finding?.title).toBe(
      `Canary sign-in not tested for shop (${POOL}), app client ${CLIENT}: Cognito could not be reached (ECONNREFUSED, 4 attempts)`,
    );
  });

  it('ignores observations of other steps', () => {
    expect(
      canaryAuthFailed.detect(
        [{ kind: 'canary-get-user', target: signIn().target, durationMs: 1, result: { outcome: 'ok' } }],
        context(),
      ),
    ).toEqual([]);
  });
});
