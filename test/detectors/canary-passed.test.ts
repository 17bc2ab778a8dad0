import { describe, expect, it } from 'vitest';
import { toCanaryPassed } from '../../detectors/canary-passed';
import {
  apiProbe,
  CLIENT,
  failed,
  getUser,
  POOL,
  refresh,
  serviceError,
  signIn,
  signUp,
  tokenCheck,
} from '../fixtures/canary/observations';

const at = (detector: string) => `${detector}:${POOL}:${CLIENT}`;

describe('toCanaryPassed', () => {
  it('lists every check of a healthy cycle', () => {
    expect(
      toCanaryPassed([
        signIn(undefined, { budgetMs: 1_000 }),
        tokenCheck({ tokenUse: 'id' }),
        tokenCheck(),
        getUser(),
        apiProbe({ outcome: 'status', status: 200 }),
        refresh(),
        signUp({ outcome: 'created', userStatus: 'CONFIRMED', userConfirmed: true }),
      ]).sort(),
    ).toEqual(
      [
        at('canary-auth-failed'),
        `${at('canary-slow')}:sign-in`,
        at('token-invalid'),
        at('api-probe-rejected'),
        at('canary-refresh-failed'),
        at('signup-not-confirmed'),
      ].sort(),
    );
  });

  it('does not pass what failed or did not run', () => {
    const passed = toCanaryPassed([
      signIn(),
      tokenCheck({}, { field: 'iss', expected: 'a', actual: 'b', check: 'verification' }),
      getUser(),
      refresh(failed(serviceError('NotAuthorizedException', 'Invalid Refresh Token'))),
    ]);
    expect(passed).toEqual([at('canary-auth-failed')]);
  });

  it('does not pass token verification when GetUser refused the token', () => {
    expect(toCanaryPassed([tokenCheck(), getUser(serviceError('NotAuthorizedException', 'x'))])).toEqual([]);
  });

  it('does not pass a step that was over its budget', () => {
    expect(toCanaryPassed([signIn(undefined, { durationMs: 2_000, budgetMs: 1_000 })])).toEqual([
      at('canary-auth-failed'),
    ]);
  });
});
