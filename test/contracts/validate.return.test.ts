import { describe, expect, it } from 'vitest';
import { validateTriggerReturn } from '../../contracts/validate';
import * as e from '../fixtures/triggers/events';

describe('validateTriggerReturn', () => {
  it.each<[string, unknown, string]>([
    ['a string', 'OK', 'string "OK"'],
    ['undefined (a handler that forgot to return)', undefined, 'undefined'],
    ['null', null, 'null'],
    ['a {statusCode, body} wrapper', { statusCode: 200, body: '{}' }, 'object without triggerSource'],
    ['the response object alone', { autoConfirmUser: true }, 'object without triggerSource'],
  ])('reports %s returned instead of the PreSignUp event', (_name, returned, actual) => {
    expect(validateTriggerReturn(e.preSignUpInput(), returned)).toEqual({
      ok: false,
      trigger: 'PreSignUp',
      triggerSource: 'PreSignUp_SignUp',
      violations: [
        {
          field: 'event',
          expected: 'the trigger event (return the event received, with response filled in)',
          actual,
          message: `the handler returned ${actual} instead of the trigger event`,
          rule: 'shape',
        },
      ],
    });
  });

  it.each([
    ['PostConfirmation', e.postConfirmationInput],
    ['PreAuthentication', e.preAuthenticationInput],
    ['PostAuthentication', e.postAuthenticationInput],
  ])('reports a %s handler that returns nothing', (trigger, build) => {
    expect(validateTriggerReturn(build(), undefined)).toMatchObject({
      ok: false,
      trigger,
      violations: [{ rule: 'shape' }],
    });
  });

  it.each([
    ['CustomEmailSender', e.customEmailSenderInput],
    ['CustomSMSSender', e.customSmsSenderInput],
  ])('accepts anything from a %s (Cognito discards the result)', (trigger, build) => {
    expect(validateTriggerReturn(build(), undefined)).toEqual({
      ok: true,
      trigger,
      triggerSource: build().triggerSource,
    });
  });

  it('judges a returned event as returned (untouched DefineAuthChallenge counts)', () => {
    const input = e.defineAuthChallengeInput();
    expect(validateTriggerReturn(input, input)).toMatchObject({
      ok: false,
      violations: [expect.objectContaining({ field: 'response.challengeName' })],
    });
  });

  it('accepts the healthy returned event', () => {
    expect(validateTriggerReturn(e.preSignUpInput(), e.preSignUpReturned())).toEqual({
      ok: true,
      trigger: 'PreSignUp',
      triggerSource: 'PreSignUp_SignUp',
    });
  });

  it('returns unknown-trigger-source when neither value names a known source', () => {
    expect(validateTriggerReturn({ triggerSource: 'Mystery_Thing' }, 'x')).toEqual({
      ok: 'unknown-trigger-source',
      triggerSource: 'Mystery_Thing',
    });
    expect(validateTriggerReturn('not an event', undefined)).toEqual({
      ok: 'unknown-trigger-source',
      triggerSource: '',
    });
  });
});
