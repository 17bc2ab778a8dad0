import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Elided } from '../../contracts/elided';
import { TRIGGERS } from '../../contracts/triggers';
import {
  validateTriggerEvent,
  validateTriggerResponse,
  validateTriggerReturn,
} from '../../contracts/validate';

const TRIGGER_SOURCES = [
  'PreSignUp_SignUp',
  'PreSignUp_AdminCreateUser',
  'PostConfirmation_ConfirmSignUp',
  'DefineAuthChallenge_Authentication',
  'CreateAuthChallenge_Authentication',
  'VerifyAuthChallengeResponse_Authentication',
  'VerifyAuthChallenge_Authentication',
  'TokenGeneration_Authentication',
  'UserMigration_Authentication',
  'CustomMessage_AdminCreateUser',
  'CustomSmsSender_SignUp',
  'InboundFederation_ExternalProvider',
];

const RESPONSE_KEYS = [
  'autoConfirmUser',
  'autoVerifyEmail',
  'challengeName',
  'issueTokens',
  'failAuthentication',
  'publicChallengeParameters',
  'answerCorrect',
  'claimsOverrideDetails',
  'claimsAndScopeOverrideDetails',
  'userAttributes',
  'finalUserStatus',
  'enableSMSMFA',
  'smsMessage',
  'emailMessage',
  'userAttributesToMap',
];

const value = fc.oneof(fc.jsonValue(), fc.constant(new Elided('[Object]')));
const responseLike = fc.dictionary(fc.constantFrom(...RESPONSE_KEYS), value);
const eventLike = fc.record({
  triggerSource: fc.oneof(fc.constantFrom(...TRIGGER_SOURCES), fc.string()),
  version: fc.oneof(fc.constantFrom('1', '2', '3'), fc.jsonValue()),
  request: fc.oneof(
    fc.record({
      userAttributes: fc.dictionary(fc.string(), value),
      codeParameter: value,
      usernameParameter: value,
    }),
    value,
  ),
  callerContext: fc.oneof(fc.record({ clientId: fc.string() }), value),
  response: fc.oneof(responseLike, value),
});

const isVerdict = (result: { ok: unknown }): boolean =>
  [true, false, 'unknown-trigger-source'].includes(result.ok as never);

describe('validateTriggerEvent (property)', () => {
  it('never throws on arbitrary JSON values', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (json) => {
        const event =
          typeof json === 'object' && json !== null && !Array.isArray(json) ? json : { response: json };
        expect(isVerdict(validateTriggerEvent(event))).toBe(true);
      }),
    );
  });

  it('never throws on event-shaped objects with random triggerSource and response', () => {
    fc.assert(
      fc.property(eventLike, fc.boolean(), (event, returned) => {
        expect(isVerdict(validateTriggerEvent(event, { returned }))).toBe(true);
      }),
    );
  });

  it('never throws on bare responses or returned values', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...TRIGGERS),
        fc.oneof(responseLike, value),
        eventLike,
        (trigger, response, event) => {
          const context = {
            triggerSource: event.triggerSource,
            request: event.request,
            callerContext: event.callerContext,
            ...(typeof event.version === 'string' ? { version: event.version } : {}),
          };
          expect(isVerdict(validateTriggerResponse(trigger, response, context))).toBe(true);
          expect(isVerdict(validateTriggerReturn(event, response))).toBe(true);
        },
      ),
    );
  });

  it('reports every violation with a non-empty field, expected, actual and message', () => {
    fc.assert(
      fc.property(eventLike, (event) => {
        const result = validateTriggerEvent(event, { returned: true });
        if (result.ok !== false) return;
        expect(result.violations.length).toBeGreaterThan(0);
        for (const violation of result.violations) {
          expect(violation.field).not.toBe('');
          expect(violation.expected).not.toBe('');
          expect(violation.actual).not.toBe('');
          expect(violation.message).not.toBe('');
        }
      }),
    );
  });
});
