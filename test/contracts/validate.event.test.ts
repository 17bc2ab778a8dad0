import { describe, expect, it } from 'vitest';
import { Elided } from '../../contracts/elided';
import { validateTriggerEvent } from '../../contracts/validate';
import { stringlyAutoConfirmViolation } from '../fixtures/triggers/contract-reports';
import * as e from '../fixtures/triggers/events';
import { VIOLATION_CASES } from '../fixtures/triggers/violations';

describe('validateTriggerEvent', () => {
  it.each(e.INPUT_EVENTS)('accepts the input event Cognito sends for %s', (_name, build) => {
    expect(validateTriggerEvent(build())).toMatchObject({ ok: true });
  });

  it.each(e.RETURNED_EVENTS)('accepts a healthy returned event: %s', (_name, build) => {
    expect(validateTriggerEvent(build())).toMatchObject({ ok: true });
    expect(validateTriggerEvent(build(), { returned: true })).toMatchObject({ ok: true });
  });

  it.each(VIOLATION_CASES.map((c) => [c.name, c] as const))('reports %s', (_name, c) => {
    const result = validateTriggerEvent(c.event);
    expect(result.ok).toBe(false);
    if (result.ok !== false) return;
    expect(result.violations).toEqual([
      expect.objectContaining({ field: c.field, expected: c.expected, actual: c.actual, rule: c.rule }),
    ]);
  });

  it('reports only the broken field, with trigger and triggerSource', () => {
    expect(validateTriggerEvent(e.patchResponse(e.preSignUpInput, { autoConfirmUser: 'true' }))).toEqual({
      ok: false,
      trigger: 'PreSignUp',
      triggerSource: 'PreSignUp_SignUp',
      violations: [{ ...stringlyAutoConfirmViolation, rule: 'type' }],
    });
  });

  it.each([
    [
      'PreSignUp_AdminCreateUser autoVerifyEmail without email',
      e.patchResponse(e.preSignUpAdminCreateUserInput, { autoVerifyEmail: true }),
    ],
    [
      'PreSignUp autoVerifyEmail with the email present',
      e.patchResponse(e.preSignUpInput, { autoVerifyEmail: true }),
    ],
    [
      'PreSignUp flags set to null',
      e.withResponse(e.preSignUpInput, { autoConfirmUser: null, autoVerifyEmail: null }),
    ],
    ['DefineAuthChallenge with an empty response', e.withResponse(e.defineAuthChallengeInput, {})],
    ['VerifyAuthChallengeResponse with an empty response', e.withResponse(e.verifyAuthChallengeInput, {})],
    ['UserMigration with an empty response', e.withResponse(e.userMigrationInput, {})],
    [
      'UserMigration with only empty userAttributes',
      e.withResponse(e.userMigrationInput, { userAttributes: {} }),
    ],
    [
      'PreTokenGeneration V2 with both containers null',
      e.withResponse(e.preTokenV2Input, { claimsOverrideDetails: null, claimsAndScopeOverrideDetails: null }),
    ],
    [
      'PreTokenGeneration V1 with an empty claimsOverrideDetails',
      e.withResponse(e.preTokenV1Input, { claimsOverrideDetails: {} }),
    ],
    [
      'PreTokenGeneration V2 with an empty claimsOverrideDetails',
      e.withResponse(e.preTokenV2Input, { claimsOverrideDetails: {} }),
    ],
    [
      'PreTokenGeneration V2 suppressing cognito:groups and a dev: claim',
      e.withResponse(e.preTokenV2Input, {
        claimsAndScopeOverrideDetails: {
          idTokenGeneration: { claimsToSuppress: ['cognito:groups', 'dev:debug'] },
        },
      }),
    ],
    [
      'PreTokenGeneration V2 ID token address as a string',
      e.withResponse(e.preTokenV2Input, {
        claimsAndScopeOverrideDetails: {
          idTokenGeneration: { claimsToAddOrOverride: { address: '1 Main St' } },
        },
      }),
    ],
    [
      'PreTokenGeneration V2 empty groupOverrideDetails (suppresses groups)',
      e.withResponse(e.preTokenV2Input, { claimsAndScopeOverrideDetails: { groupOverrideDetails: null } }),
    ],
    [
      'CustomMessage with only emailSubject set',
      e.patchResponse(e.customMessageInput, { emailSubject: 'Welcome' }),
    ],
    [
      'CustomMessage_Authentication with usernameParameter null',
      e.patchResponse(e.customMessageInput, { smsMessage: 'Code {####}' }),
    ],
    [
      'CustomMessage without a known codeParameter',
      { ...e.customMessageReturned(), request: { userAttributes: {} } },
    ],
    [
      'CustomMessage SMS of exactly 140 characters',
      e.patchResponse(e.customMessageReturned, { smsMessage: `${'x'.repeat(134)}{####}` }),
    ],
    ['InboundFederation with an empty map (keep everything)', e.inboundFederationInput()],
    [
      'CustomEmailSender with a string response (result unused)',
      e.withResponse(e.customEmailSenderInput, 'done'),
    ],
    [
      'PostConfirmation with extra response keys',
      e.withResponse(e.postConfirmationInput, { note: 'ignored' }),
    ],
    ['an event with response null', e.withResponse(e.postAuthenticationInput, null)],
    [
      'extra keys everywhere',
      {
        ...e.preSignUpReturned(),
        extra: { nested: [1, 2] },
        response: { ...(e.preSignUpReturned().response as object), futureKey: 'x' },
      },
    ],
  ])('does not report %s', (_name, event) => {
    expect(validateTriggerEvent(event)).toMatchObject({ ok: true });
  });

  it('accepts a DefineAuthChallenge response with a challengeName and no flags', () => {
    expect(
      validateTriggerEvent(
        e.patchResponse(e.defineAuthChallengeInput, { challengeName: 'CUSTOM_CHALLENGE' }),
      ),
    ).toMatchObject({ ok: true });
  });

  describe('as a returned value (returned: true)', () => {
    it.each([
      [
        'DefineAuthChallenge returned untouched',
        e.defineAuthChallengeInput(),
        'response.challengeName',
        'null (issueTokens null, failAuthentication null)',
      ],
      [
        'VerifyAuthChallengeResponse without answerCorrect',
        e.withResponse(e.verifyAuthChallengeInput, {}),
        'response.answerCorrect',
        'missing',
      ],
      [
        'VerifyAuthChallengeResponse with answerCorrect null',
        e.verifyAuthChallengeInput(),
        'response.answerCorrect',
        'null',
      ],
    ])('reports %s', (_name, event, field, actual) => {
      const result = validateTriggerEvent(event, { returned: true });
      expect(result).toMatchObject({
        ok: false,
        violations: [expect.objectContaining({ field, actual, rule: 'required' })],
      });
    });

    it('still lets an untouched UserMigration response through (the user-not-found path)', () => {
      expect(validateTriggerEvent(e.userMigrationInput(), { returned: true })).toMatchObject({ ok: true });
    });
  });

  describe('with values util.inspect elided', () => {
    it.each([
      ['the whole response', e.withResponse(e.preSignUpInput, new Elided('[Object]'))],
      ['a flag', e.patchResponse(e.preSignUpInput, { autoConfirmUser: new Elided('[Getter]') })],
      [
        'a V1 claims map',
        e.withResponse(e.preTokenV1Input, {
          claimsOverrideDetails: { claimsToAddOrOverride: new Elided('[Object]') },
        }),
      ],
      [
        'a V2 container',
        e.withResponse(e.preTokenV2Input, { claimsAndScopeOverrideDetails: new Elided('[Object]') }),
      ],
      [
        'a suppress list',
        e.withResponse(e.preTokenV1Input, {
          claimsOverrideDetails: { claimsToSuppress: new Elided('[Array]') },
        }),
      ],
      [
        'a protected claim value',
        e.withResponse(e.preTokenV1Input, {
          claimsOverrideDetails: { claimsToAddOrOverride: { sub: new Elided('[Object]') } },
        }),
      ],
      [
        'the userAttributes a cross-field rule needs',
        e.patchResponse(
          () => ({ ...e.preSignUpInput(), request: { userAttributes: new Elided('[Object]') } }),
          { autoVerifyEmail: true },
        ),
      ],
      [
        'the email a cross-field rule needs',
        e.patchResponse(
          () => ({ ...e.preSignUpInput(), request: { userAttributes: { email: new Elided('[Object]') } } }),
          { autoVerifyEmail: true },
        ),
      ],
      [
        'the request a CustomMessage rule needs',
        { ...e.customMessageReturned(), request: new Elided('[Object]') },
      ],
      ['a message text', e.patchResponse(e.customMessageReturned, { emailMessage: new Elided('[Object]') })],
      [
        'DefineAuthChallenge issueTokens',
        e.withResponse(e.defineAuthChallengeInput, {
          issueTokens: new Elided('[Object]'),
          failAuthentication: false,
        }),
      ],
      [
        'UserMigration userAttributes',
        e.patchResponse(e.userMigrationReturned, {
          userAttributes: new Elided('[Object]'),
          enableSMSMFA: true,
        }),
      ],
      [
        'a challenge parameter',
        e.patchResponse(e.createAuthChallengeReturned, {
          privateChallengeParameters: { answer: new Elided('[Object]') },
        }),
      ],
    ])('does not judge %s', (_name, event) => {
      expect(validateTriggerEvent(event)).toMatchObject({ ok: true });
    });

    it('still reports a broken sibling of an elided value', () => {
      const event = e.patchResponse(e.preSignUpInput, {
        autoConfirmUser: new Elided('[Object]'),
        autoVerifyPhone: 'true',
      });
      const result = validateTriggerEvent(event);
      expect(result).toMatchObject({
        ok: false,
        violations: [expect.objectContaining({ field: 'response.autoVerifyPhone' })],
      });
      expect(result.ok === false && result.violations).toHaveLength(1);
    });
  });

  it.each([
    [
      'an undocumented source',
      { triggerSource: 'PreSignIn_Authentication', response: {} },
      'PreSignIn_Authentication',
    ],
    ['no triggerSource', { response: { autoConfirmUser: 'true' } }, ''],
    ['a numeric triggerSource', { triggerSource: 7 }, ''],
  ])('returns unknown-trigger-source for %s', (_name, event, triggerSource) => {
    expect(validateTriggerEvent(event)).toEqual({ ok: 'unknown-trigger-source', triggerSource });
  });

  it('matches the CustomSmsSender spelling case-insensitively', () => {
    expect(
      validateTriggerEvent({ ...e.customSmsSenderInput(), triggerSource: 'CustomSmsSender_SignUp' }),
    ).toMatchObject({
      ok: true,
      trigger: 'CustomSMSSender',
    });
  });

  it('never quotes personal data in a violation', () => {
    const event = e.patchResponse(e.customMessageReturned, {
      emailMessage: `Hello ${e.PERSONAL_DATA.email}, call ${e.PERSONAL_DATA.phone}`,
      smsMessage: e.PERSONAL_DATA.phone,
      emailSubject: 482913,
    });
    const text = JSON.stringify(validateTriggerEvent(event));
    for (const value of [...Object.values(e.PERSONAL_DATA), '482913']) expect(text).not.toContain(value);
  });

  it('does not quote a codeParameter that is not a placeholder', () => {
    const event = {
      ...e.customMessageInput(),
      triggerSource: 'CustomMessage_Authentication',
      request: { userAttributes: {}, codeParameter: '123456', usernameParameter: null },
      response: { smsMessage: 'Your code is ready', emailMessage: null, emailSubject: null },
    };
    const result = validateTriggerEvent(event);
    expect(result).toMatchObject({
      ok: false,
      violations: [
        expect.objectContaining({
          field: 'response.smsMessage',
          expected: 'text containing the code placeholder request.codeParameter',
          actual: 'smsMessage without request.codeParameter (18 characters)',
        }),
      ],
    });
    expect(JSON.stringify(result)).not.toContain('123456');
  });
});
