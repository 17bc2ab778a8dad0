import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type TriggerName,
  validateTriggerEvent,
  validateTriggerReturn,
  violationTitle,
} from '../../contracts';
import { EVENT_FIELD } from '../../contracts/violation';
import * as e from '../fixtures/triggers/events';
import { VIOLATION_CASES } from '../fixtures/triggers/violations';

const titleOf = (event: Record<string, unknown>, options?: { returned: boolean }): string => {
  const result = validateTriggerEvent(event, options);
  if (result.ok !== false || !result.violations[0]) throw new Error('expected a violation');
  return violationTitle(result.trigger, result.violations[0]);
};

describe('violationTitle', () => {
  it.each<[string, Record<string, unknown>, string]>([
    [
      'a string flag',
      e.patchResponse(e.preSignUpInput, { autoConfirmUser: 'true' }),
      'PreSignUp returned autoConfirmUser as a string ("true"), Cognito expects a boolean',
    ],
    [
      'the DefineAuthChallenge stall',
      e.patchResponse(e.defineAuthChallengeInput, { issueTokens: false, failAuthentication: false }),
      'DefineAuthChallenge returned none of challengeName, issueTokens, failAuthentication',
    ],
    [
      'contradictory DefineAuthChallenge flags',
      e.patchResponse(e.defineAuthChallengeInput, { issueTokens: true, failAuthentication: true }),
      'DefineAuthChallenge returned both issueTokens and failAuthentication as true',
    ],
    [
      'a message without the code',
      e.patchResponse(e.customMessageReturned, { emailMessage: 'Welcome!' }),
      'CustomMessage emailMessage lacks the code placeholder {####} or the link placeholder {##Click Here##}',
    ],
    [
      'a message without the username',
      e.patchResponse(e.customMessageAdminCreateUserReturned, { smsMessage: 'Password {####}' }),
      'CustomMessage smsMessage lacks the username placeholder {username}',
    ],
    [
      'an SMS over the limit',
      e.patchResponse(e.customMessageReturned, { smsMessage: `${'x'.repeat(150)}{####}` }),
      "CustomMessage smsMessage is too long (156 characters), Cognito's limit is 140 characters",
    ],
    [
      'auto-verify without the attribute',
      e.patchResponse(() => ({ ...e.preSignUpInput(), request: { userAttributes: {} } }), {
        autoVerifyEmail: true,
      }),
      'PreSignUp sets autoVerifyEmail to true without request.userAttributes.email',
    ],
    [
      'a protected claim override',
      e.withResponse(e.preTokenV1Input, { claimsOverrideDetails: { claimsToAddOrOverride: { sub: 'x' } } }),
      'PreTokenGeneration tries to override protected claim "sub", which Cognito does not allow',
    ],
    [
      'a protected claim suppression',
      e.withResponse(e.preTokenV1Input, { claimsOverrideDetails: { claimsToSuppress: ['iss'] } }),
      'PreTokenGeneration tries to suppress protected claim "iss", which Cognito does not allow',
    ],
    [
      'the wrong pre-token container',
      e.withResponse(e.preTokenV2Input, { claimsOverrideDetails: { claimsToSuppress: ['email'] } }),
      'PreTokenGeneration returned claimsOverrideDetails on a version "2" event, Cognito reads claimsAndScopeOverrideDetails',
    ],
    [
      'a scope with whitespace',
      e.withResponse(e.preTokenV2Input, {
        claimsAndScopeOverrideDetails: { accessTokenGeneration: { scopesToAdd: ['a b'] } },
      }),
      'PreTokenGeneration adds a scope containing whitespace (claimsAndScopeOverrideDetails.accessTokenGeneration.scopesToAdd.0), Cognito does not allow blanks in scopes',
    ],
    [
      'an access token aud for another client',
      e.withResponse(e.preTokenV2Input, {
        claimsAndScopeOverrideDetails: { accessTokenGeneration: { claimsToAddOrOverride: { aud: 'other' } } },
      }),
      'PreTokenGeneration sets the access token aud to something other than the app client id, which Cognito does not allow',
    ],
    [
      'an object email_verified',
      e.withResponse(e.preTokenV2Input, {
        claimsAndScopeOverrideDetails: {
          idTokenGeneration: { claimsToAddOrOverride: { email_verified: { v: 1 } } },
        },
      }),
      'PreTokenGeneration sets ID token claim email_verified to an object, Cognito allows only a string, number or boolean',
    ],
    [
      'missing migration attributes',
      e.patchResponse(e.userMigrationInput, { finalUserStatus: 'CONFIRMED' }),
      'UserMigration returned no userAttributes, Cognito expects a non-empty map of string to string',
    ],
    [
      'an enum value outside the allowed set',
      e.patchResponse(e.userMigrationReturned, { finalUserStatus: 'ACTIVE' }),
      'UserMigration returned an invalid finalUserStatus (string "ACTIVE"), Cognito expects one of CONFIRMED, RESET_REQUIRED',
    ],
    [
      'a non-object response',
      e.withResponse(e.preSignUpInput, 'true'),
      'PreSignUp returned response as a string ("true"), Cognito expects an object',
    ],
  ])('names the root cause of %s', (_name, event, title) => {
    expect(titleOf(event)).toBe(title);
  });

  it('names a missing answerCorrect on a returned event', () => {
    expect(titleOf(e.withResponse(e.verifyAuthChallengeInput, {}), { returned: true })).toBe(
      'VerifyAuthChallengeResponse returned no answerCorrect, Cognito expects a boolean',
    );
  });

  it('names a handler that returned something other than the event', () => {
    const result = validateTriggerReturn(e.postConfirmationInput(), { statusCode: 200, body: 'ok' });
    if (result.ok !== false || !result.violations[0]) throw new Error('expected a violation');
    expect(violationTitle(result.trigger, result.violations[0])).toBe(
      'PostConfirmation returned an object without triggerSource instead of the event, Cognito expects the whole event back',
    );
  });

  it.each(VIOLATION_CASES.map((c) => [c.name, c] as const))(
    'gives the same title with or without rule: %s',
    (_name, c) => {
      const result = validateTriggerEvent(c.event);
      if (result.ok !== false) throw new Error('expected a violation');
      for (const violation of result.violations) {
        const { rule: _rule, ...reported } = violation;
        const trigger: TriggerName = result.trigger;
        expect(violationTitle(trigger, reported)).toBe(violationTitle(trigger, violation));
        expect(violationTitle(trigger, violation)).toMatch(new RegExp(`^${trigger} `));
      }
    },
  );
});

describe('violationTitle on described values of any shape', () => {
  /** The phrase the title used to build with one regex, which backtracks on a run of `)`. */
  const regexPhrase = (actual: string): string => {
    const kind = /^(empty string|empty object|string|number|array|object)\b( \(.*\))?(.*)$/.exec(actual);
    if (!kind?.[1]) return actual;
    const article = /^[aeiou]/.test(kind[1]) ? 'an' : 'a';
    return kind[3] ? `${article} ${actual}` : `${article} ${kind[1]}`;
  };
  const titleFor = (actual: string): string =>
    violationTitle('PreSignUp', { field: EVENT_FIELD, expected: 'the event', actual });

  it('phrases a value as the regex did, for any text after the kind', () => {
    const piece = fc.constantFrom(' ', '(', ')', ' (', 'x', '1', '\n', '\r', '\u2028', '_', ' characters');
    const kind = fc.constantFrom(
      'string',
      'number',
      'array',
      'object',
      'empty string',
      'strings',
      'boolean',
      '',
    );
    fc.assert(
      fc.property(kind, fc.array(piece, { maxLength: 12 }), (word, pieces) => {
        const actual = word + pieces.join('');
        // Only values that fall through to the kind phrase: a literal (`string "x"`) has its own form.
        if (/^(string|number|boolean) ("[^"]*"|-?[\d.]+|true|false)$/.test(actual)) return;
        expect(titleFor(actual)).toBe(
          `PreSignUp returned ${regexPhrase(actual)} instead of the event, Cognito expects the whole event back`,
        );
      }),
      { numRuns: 2000, seed: 9 },
    );
  });
});
