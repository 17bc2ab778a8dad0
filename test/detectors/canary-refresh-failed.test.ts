import { describe, expect, it } from 'vitest';
import { canaryRefreshFailed } from '../../detectors/canary-refresh-failed';
import { CLIENT, context, failed, POOL, refresh, serviceError } from '../fixtures/canary/observations';

describe('canary-refresh-failed', () => {
  it('reports nothing for a refresh that returned tokens', () => {
    expect(canaryRefreshFailed.detect([refresh()], context())).toEqual([]);
  });

  it('reports a revoked session, with the GetUser evidence that proves it', () => {
    const [finding] = canaryRefreshFailed.detect(
      [
        refresh(failed(serviceError('NotAuthorizedException', '[redacted:refresh-token]')), {
          accessTokenLive: false,
        }),
      ],
      context(),
    );
    expect(finding).toMatchObject({
      detector: 'canary-refresh-failed',
      severity: 'error',
      cause: 'refresh-token-revoked',
      dedupKey: `canary-refresh-failed:${POOL}:${CLIENT}:refresh-token-revoked`,
      runbook: 'canary-cause-refresh-token-revoked',
    });
    expect(finding?.evidence).toEqual([
      'AdminInitiateAuth REFRESH_TOKEN_AUTH: NotAuthorizedException: [redacted:refresh-token] (HTTP 400, 1 attempt)',
      'GetUser: refuses the access token of the same sign-in too (the session is revoked)',
    ]);
  });

  it('reports "Invalid Refresh Token" on a live session as refresh-token-invalid (critical)', () => {
    const [finding] = canaryRefreshFailed.detect(
      [
        refresh(failed(serviceError('NotAuthorizedException', 'Invalid Refresh Token.')), {
          accessTokenLive: true,
        }),
      ],
      context(),
    );
    expect(finding).toMatchObject({ cause: 'refresh-token-invalid', severity: 'critical' });
    expect(finding?.title).toBe(
      `Canary token refresh fails for shop (${POOL}), app client ${CLIENT}: Cognito does not accept the fresh refresh token`,
    );
  });

  it('names PreTokenGeneration failing on refresh', () => {
    const [finding] = canaryRefreshFailed.detect(
      [
        refresh(
          failed(serviceError('UserLambdaValidationException', 'PreTokenGeneration failed with error boom.')),
        ),
      ],
      context(),
    );
    expect(finding).toMatchObject({ cause: 'trigger-failed', trigger: 'PreTokenGeneration' });
  });
});
