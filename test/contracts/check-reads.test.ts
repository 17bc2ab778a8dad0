import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Elided } from '../../contracts/elided';
import { toTrigger } from '../../contracts/triggers';
import { CHECK_READS, type EventContextMember, validateTriggerEvent } from '../../contracts/validate';
import { anyCognitoEvent, TEST_TRIGGERS } from '../../testing/cognito-events';

const CONTEXT_MEMBERS: readonly EventContextMember[] = ['request', 'callerContext'];

const RESPONSE_KEYS = [
  'autoConfirmUser',
  'autoVerifyEmail',
  'autoVerifyPhone',
  'challengeName',
  'issueTokens',
  'failAuthentication',
  'answerCorrect',
  'claimsOverrideDetails',
  'claimsAndScopeOverrideDetails',
  'userAttributes',
  'finalUserStatus',
  'smsMessage',
  'emailMessage',
  'emailSubject',
  'userAttributesToMap',
];

const value = fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.constant(new Elided('[Object]')));
const response = fc.oneof(
  fc.dictionary(fc.constantFrom(...RESPONSE_KEYS), value),
  fc.constant({
    claimsAndScopeOverrideDetails: {
      accessTokenGeneration: { claimsToAddOrOverride: { aud: 'some-other-client' } },
    },
  }),
  fc.constant({ autoConfirmUser: true, autoVerifyEmail: true, autoVerifyPhone: true }),
  fc.constant({ emailMessage: 'no code here', smsMessage: 'nor here', emailSubject: 'Hi' }),
);

/** Events as Cognito sends them, with the response left as sent or replaced by a random one. */
const events = fc
  .tuple(fc.constantFrom(...TEST_TRIGGERS), fc.boolean(), response)
  .chain(([trigger, keep, other]) =>
    anyCognitoEvent(trigger).map((event) => (keep ? event : { ...event, response: other })),
  );

const triggerOf = (event: Record<string, unknown>) => toTrigger(String(event.triggerSource));

describe('CHECK_READS', () => {
  it('lists every event member a verdict depends on: dropping the others never changes it', () => {
    fc.assert(
      fc.property(events, (event) => {
        const trigger = triggerOf(event);
        if (!trigger) return;
        const reads = CHECK_READS[trigger];
        const only: Record<string, unknown> = {
          triggerSource: event.triggerSource,
          response: event.response,
        };
        if ('version' in event) only.version = event.version;
        for (const member of reads) if (member in event) only[member] = event[member];
        expect(validateTriggerEvent(only)).toEqual(validateTriggerEvent(event));
      }),
      { numRuns: 2000 },
    );
  });

  it('lists every event member a check touches: a member left out is never read', () => {
    const touched = new Set<string>();
    const recording = (member: string, target: object): object =>
      new Proxy(target, {
        get: (object, key, receiver) => {
          touched.add(member);
          return Reflect.get(object, key, receiver);
        },
        has: (object, key) => {
          touched.add(member);
          return Reflect.has(object, key);
        },
        ownKeys: (object) => {
          touched.add(member);
          return Reflect.ownKeys(object);
        },
      });
    fc.assert(
      fc.property(events, (event) => {
        const trigger = triggerOf(event);
        if (!trigger) return;
        touched.clear();
        const watched: Record<string, unknown> = { ...event };
        for (const member of CONTEXT_MEMBERS) {
          const current = event[member];
          if (current !== null && typeof current === 'object') watched[member] = recording(member, current);
        }
        validateTriggerEvent(watched);
        for (const member of touched) expect(CHECK_READS[trigger]).toContain(member);
      }),
      { numRuns: 2000 },
    );
  });

  it('fails when a member a check reads is left out (the property above can fail)', () => {
    const event = {
      triggerSource: 'PreSignUp_SignUp',
      request: { userAttributes: {} },
      response: { autoConfirmUser: true, autoVerifyEmail: true },
    };
    const withoutRequest = { triggerSource: event.triggerSource, response: event.response };
    expect(validateTriggerEvent(withoutRequest)).not.toEqual(validateTriggerEvent(event));
  });
});
