import { describe, expect, it } from 'vitest';
import { Elided } from '../../contracts/elided';
import { validateTriggerResponse } from '../../contracts/validate';
import { stringlyAutoConfirmViolation } from '../fixtures/triggers/contract-reports';

describe('validateTriggerResponse', () => {
  it('reports a string autoConfirmUser in a bare PreSignUp response', () => {
    expect(validateTriggerResponse('PreSignUp', { autoConfirmUser: 'true' })).toEqual({
      ok: false,
      trigger: 'PreSignUp',
      violations: [{ ...stringlyAutoConfirmViolation, rule: 'type' }],
    });
  });

  it('carries the triggerSource given in the context', () => {
    expect(
      validateTriggerResponse('PreSignUp', { autoConfirmUser: true }, { triggerSource: 'PreSignUp_SignUp' }),
    ).toEqual({
      ok: true,
      trigger: 'PreSignUp',
      triggerSource: 'PreSignUp_SignUp',
    });
  });

  it.each<[string, Parameters<typeof validateTriggerResponse>]>([
    ['autoVerifyEmail without request', ['PreSignUp', { autoVerifyEmail: true }]],
    [
      'autoVerifyEmail with a request but no triggerSource',
      ['PreSignUp', { autoVerifyEmail: true }, { request: { userAttributes: {} } }],
    ],
    [
      'a CustomMessage without the request (codeParameter unknown)',
      ['CustomMessage', { emailMessage: 'Hello there' }],
    ],
    [
      'a CustomMessage username rule without the triggerSource',
      [
        'CustomMessage',
        { emailMessage: 'Code {####}' },
        { request: { codeParameter: '{####}', usernameParameter: '{username}' } },
      ],
    ],
    [
      'a V2 container without a version',
      ['PreTokenGeneration', { claimsAndScopeOverrideDetails: { idTokenGeneration: {} } }],
    ],
    [
      'a V1 container without a version',
      ['PreTokenGeneration', { claimsOverrideDetails: { claimsToAddOrOverride: { tier: 'gold' } } }],
    ],
    [
      'an access-token aud without callerContext',
      [
        'PreTokenGeneration',
        { claimsAndScopeOverrideDetails: { accessTokenGeneration: { claimsToAddOrOverride: { aud: 'x' } } } },
      ],
    ],
    [
      'a DefineAuthChallenge response that may be the input',
      ['DefineAuthChallenge', { challengeName: null, issueTokens: null }],
    ],
    [
      'a VerifyAuthChallengeResponse response that may be the input',
      ['VerifyAuthChallengeResponse', { answerCorrect: null }],
    ],
    ['an undefined response', ['PreSignUp', undefined]],
    ['an elided response', ['PreSignUp', new Elided('[Object]')]],
  ])('skips rules whose context is missing: %s', (_name, args) => {
    expect(validateTriggerResponse(...args)).toMatchObject({ ok: true });
  });

  it.each<[string, Parameters<typeof validateTriggerResponse>, string]>([
    [
      'autoVerifyEmail when triggerSource and request are known',
      [
        'PreSignUp',
        { autoVerifyEmail: true },
        { triggerSource: 'PreSignUp_SignUp', request: { userAttributes: {} } },
      ],
      'response.autoVerifyEmail',
    ],
    [
      'a CustomMessage without the code when the request is known',
      ['CustomMessage', { emailMessage: 'Hello there' }, { request: { codeParameter: '{####}' } }],
      'response.emailMessage',
    ],
    [
      'a V1 container when the version is 2',
      ['PreTokenGeneration', { claimsOverrideDetails: { claimsToSuppress: ['email'] } }, { version: '2' }],
      'response.claimsOverrideDetails',
    ],
    [
      'an access-token aud other than the known client id',
      [
        'PreTokenGeneration',
        { claimsAndScopeOverrideDetails: { accessTokenGeneration: { claimsToAddOrOverride: { aud: 'x' } } } },
        { version: '3', callerContext: { clientId: '1example23456789' } },
      ],
      'response.claimsAndScopeOverrideDetails.accessTokenGeneration.claimsToAddOrOverride.aud',
    ],
    [
      'a missing answerCorrect when the caller knows it was returned',
      ['VerifyAuthChallengeResponse', {}, { returned: true }],
      'response.answerCorrect',
    ],
    ['a string response', ['CreateAuthChallenge', 'CUSTOM_CHALLENGE'], 'response'],
  ])('applies the rule once the context is known: %s', (_name, args, field) => {
    expect(validateTriggerResponse(...args)).toMatchObject({
      ok: false,
      violations: [expect.objectContaining({ field })],
    });
  });

  it('accepts an access-token aud equal to the client id', () => {
    const response = {
      claimsAndScopeOverrideDetails: {
        accessTokenGeneration: { claimsToAddOrOverride: { aud: '1example23456789' } },
      },
    };
    expect(
      validateTriggerResponse('PreTokenGeneration', response, {
        version: '2',
        callerContext: { clientId: '1example23456789' },
      }),
    ).toMatchObject({ ok: true });
  });
});
