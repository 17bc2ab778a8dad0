import { describe, expect, it } from 'vitest';
import { signupNotConfirmed } from '../../detectors/signup-not-confirmed';
import { CLIENT, context, POOL, serviceError, signUp } from '../fixtures/canary/observations';

const created = (userStatus: string) => ({
  outcome: 'created' as const,
  userStatus,
  userConfirmed: userStatus === 'CONFIRMED',
});

describe('signup-not-confirmed', () => {
  it('reports nothing when the new user is CONFIRMED', () => {
    expect(signupNotConfirmed.detect([signUp(created('CONFIRMED'))], context())).toEqual([]);
  });

  it('reports nothing for an UNCONFIRMED user when the pool is not expected to auto-confirm', () => {
    expect(
      signupNotConfirmed.detect([signUp(created('UNCONFIRMED'), { expectConfirmed: false })], context()),
    ).toEqual([]);
  });

  it('pages critical for a user left UNCONFIRMED, pointing at PreSignUp', () => {
    const [finding] = signupNotConfirmed.detect([signUp(created('UNCONFIRMED'))], context());
    expect(finding).toEqual({
      detector: 'signup-not-confirmed',
      severity: 'critical',
      title: `New users of shop (${POOL}), app client ${CLIENT} stay UNCONFIRMED after sign-up: the pool should auto-confirm them (check the PreSignUp trigger's autoConfirmUser)`,
      userPoolId: POOL,
      clientId: CLIENT,
      region: 'us-east-1',
      trigger: 'PreSignUp',
      triggerSource: 'PreSignUp_SignUp',
      field: 'UserStatus',
      expected: 'CONFIRMED',
      actual: 'UNCONFIRMED',
      evidence: [
        'SignUp: UserConfirmed=false',
        'AdminGetUser: UserStatus=UNCONFIRMED',
        'AdminDeleteUser: the throwaway user was deleted',
      ],
      dedupKey: `signup-not-confirmed:${POOL}:${CLIENT}:UserStatus`,
      runbook: 'signup-not-confirmed',
    });
  });

  it('reports a SignUp refused by a throwing PreSignUp as trigger-failed naming PreSignUp', () => {
    const [finding] = signupNotConfirmed.detect(
      [
        signUp(
          {
            outcome: 'error',
            call: 'SignUp',
            error: serviceError(
              'UserLambdaValidationException',
              'PreSignUp failed with error callback is not a function.',
            ),
          },
          { deleted: false },
        ),
      ],
      context(),
    );
    expect(finding).toMatchObject({
      severity: 'critical',
      cause: 'trigger-failed',
      trigger: 'PreSignUp',
      triggerSource: 'PreSignUp_SignUp',
      runbook: 'canary-cause-trigger-failed',
    });
    expect(finding?.evidence[1]).toContain('could NOT be deleted');
  });

  it('rates an AdminGetUser failure after a good SignUp by its cause', () => {
    const [finding] = signupNotConfirmed.detect(
      [
        signUp({
          outcome: 'error',
          call: 'AdminGetUser',
          error: serviceError('AccessDeniedException', 'denied'),
        }),
      ],
      context(),
    );
    expect(finding).toMatchObject({ cause: 'access-denied', severity: 'error' });
    expect(finding?.title).toContain("could not read the new user's status");
  });
});
