import { describe, expect, it } from 'vitest';
import { customAuthFailed } from '../../detectors/custom-auth-failed';
import { CLIENT, context, customAuth, POOL, serviceError } from '../fixtures/canary/observations';

describe('custom-auth-failed', () => {
  it('reports nothing when the flow issued tokens', () => {
    expect(customAuthFailed.detect([customAuth({ outcome: 'tokens' })], context())).toEqual([]);
  });

  it('reports a loop past the max-rounds guard as critical, pointing at DefineAuthChallenge', () => {
    const [finding] = customAuthFailed.detect(
      [
        customAuth(
          { outcome: 'loop' },
          {
            rounds: 3,
            challenges: ['CUSTOM_CHALLENGE', 'CUSTOM_CHALLENGE', 'CUSTOM_CHALLENGE', 'CUSTOM_CHALLENGE'],
          },
        ),
      ],
      context(),
    );
    expect(finding).toMatchObject({
      severity: 'critical',
      trigger: 'DefineAuthChallenge',
      field: 'rounds',
      expected: 'tokens within 3 challenges',
      actual: 'still challenging after 3',
      dedupKey: `custom-auth-failed:${POOL}:${CLIENT}:loop`,
      runbook: 'custom-auth-failed',
    });
    expect(finding?.evidence).toEqual([
      'Challenges: CUSTOM_CHALLENGE → CUSTOM_CHALLENGE → CUSTOM_CHALLENGE → CUSTOM_CHALLENGE (3 answered, guard 3)',
    ]);
  });

  it('reports a stall without a challenge', () => {
    const [finding] = customAuthFailed.detect([customAuth({ outcome: 'stalled' })], context());
    expect(finding).toMatchObject({ severity: 'critical', actual: 'nothing', runbook: 'custom-auth-failed' });
    expect(finding?.cause).toBeUndefined();
  });

  it('reports answers that ran out as an error', () => {
    const [finding] = customAuthFailed.detect(
      [customAuth({ outcome: 'no-answer' }, { rounds: 2 })],
      context(),
    );
    expect(finding).toMatchObject({ severity: 'error', actual: 'challenge 3 requested' });
  });

  it('names VerifyAuthChallengeResponse when it fails after an answer', () => {
    const [finding] = customAuthFailed.detect(
      [
        customAuth({
          outcome: 'error',
          error: serviceError(
            'UserLambdaValidationException',
            'VerifyAuthChallengeResponse failed with error answerCorrect is not defined.',
          ),
        }),
      ],
      context(),
    );
    expect(finding).toMatchObject({ cause: 'trigger-failed', trigger: 'VerifyAuthChallengeResponse' });
    expect(finding?.title).toContain('fails after 1 answer: the VerifyAuthChallengeResponse trigger failed');
    expect(finding?.evidence[0]).toMatch(/^AdminRespondToAuthChallenge: /);
  });
});
