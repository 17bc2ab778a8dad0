/**
 * `contextDigest` promises that two events of a trigger with equal responses, triggerSources,
 * versions and digests get the same verdict. Held to the checks themselves over generated events,
 * with the PreSignUp attribute values that make the check describe what it found.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Elided } from '../../contracts/elided';
import { TRIGGERS } from '../../contracts/triggers';
import { CHECK_READS, contextDigest, validateTriggerEvent } from '../../contracts/validate';
import { anyCognitoEvent, LAMBDA_CONFIG_KEY, TEST_TRIGGERS } from '../../testing/cognito-events';

// Mostly what the digest reads (a non-empty string, or nothing), so pairs with one digest are common.
const attributeValue = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom<unknown>('user@example.com', '+15555550100', undefined) },
  {
    weight: 1,
    arbitrary: fc.constantFrom<unknown>('', '   ', null, 5, true, { nested: 'x' }, new Elided('[Object]')),
  },
);

const userAttributes = fc.oneof(
  {
    weight: 4,
    arbitrary: fc
      .record({ email: attributeValue, phone_number: attributeValue, name: fc.constantFrom('a', 'b') })
      .map((attributes) =>
        Object.fromEntries(Object.entries(attributes).filter(([, value]) => value !== undefined)),
      ),
  },
  { weight: 1, arbitrary: fc.constantFrom<unknown>(null, 'text', [], new Elided('[Object]')) },
);

const request = fc.oneof(
  {
    weight: 4,
    arbitrary: userAttributes.map((attributes) => ({ userAttributes: attributes, validationData: null })),
  },
  { weight: 1, arbitrary: fc.constantFrom<unknown>(undefined, null, new Elided('[Object]'), 'request') },
);

const flag = fc.oneof(
  { weight: 3, arbitrary: fc.boolean() },
  { weight: 1, arbitrary: fc.constantFrom<unknown>(null, 'true', 0, -0, 1) },
);

const preSignUpEvent = fc.record({
  version: fc.constantFrom<unknown>('1', undefined, 1),
  triggerSource: fc.constantFrom(
    'PreSignUp_SignUp',
    'PreSignUp_AdminCreateUser',
    'PreSignUp_ExternalProvider',
  ),
  request,
  response: fc.record({ autoConfirmUser: flag, autoVerifyEmail: flag, autoVerifyPhone: flag }),
});

describe('contextDigest', () => {
  it('PreSignUp: the same response, source, version and digest give the same verdict', () => {
    let compared = 0;
    fc.assert(
      fc.property(preSignUpEvent, request, (event, otherRequest) => {
        const other = { ...event, request: otherRequest };
        const digest = contextDigest('PreSignUp', event);
        if (digest === undefined || digest !== contextDigest('PreSignUp', other)) return;
        compared++;
        expect(validateTriggerEvent(other)).toEqual(validateTriggerEvent(event));
      }),
      { numRuns: 2000 },
    );
    // The property held for many pairs, not for a generator that rarely makes one.
    expect(compared).toBeGreaterThan(200);
  });

  it('PreSignUp: a digest is given for the common requests, and they are told apart', () => {
    const withAttributes = (attributes: unknown) => ({ request: { userAttributes: attributes } });
    const digests = [
      withAttributes({ email: 'a@example.com' }),
      withAttributes({ email: 'a@example.com', phone_number: '+15555550100' }),
      withAttributes({ phone_number: '+15555550100' }),
      withAttributes({}),
      withAttributes(null),
    ].map((event) => contextDigest('PreSignUp', event));
    expect(new Set(digests).size).toBe(digests.length);
    expect(digests).not.toContain(undefined);
    // A violation would describe the value: no digest.
    expect(contextDigest('PreSignUp', withAttributes({ email: '' }))).toBeUndefined();
    expect(contextDigest('PreSignUp', withAttributes({ email: null }))).toBeUndefined();
  });

  it('PreSignUp: an attribute string gets a digest exactly when it is not blank once trimmed', () => {
    const blanks = fc.constantFrom(' ', '\t', '\n', '\u00a0', '\u2003', '\ufeff', 'a', '@', '~', '\u007f');
    const text = fc.oneof(
      fc.string(),
      fc.array(blanks, { maxLength: 4 }).map((parts) => parts.join('')),
    );
    fc.assert(
      fc.property(text, (value) => {
        const digest = contextDigest('PreSignUp', { request: { userAttributes: { email: value } } });
        expect(digest === undefined).toBe(value.trim() === '');
      }),
      { numRuns: 1000 },
    );
  });

  it('a trigger whose check reads nothing but the response has one digest; one that reads more has none', () => {
    for (const trigger of TRIGGERS) {
      if (trigger === 'PreSignUp') continue;
      expect(contextDigest(trigger, {})).toBe(CHECK_READS[trigger].length === 0 ? 0 : undefined);
    }
  });

  it('every trigger: events that differ only where the digest does not look get the same verdict', () => {
    fc.assert(
      fc.property(
        fc
          .constantFrom(...TEST_TRIGGERS)
          .chain((trigger) =>
            fc.tuple(
              fc.constant(LAMBDA_CONFIG_KEY[trigger]),
              anyCognitoEvent(trigger),
              anyCognitoEvent(trigger),
            ),
          ),
        ([trigger, event, other]) => {
          // `other` lends everything but what the verdict is promised to depend on.
          const mixed = {
            ...other,
            triggerSource: event.triggerSource,
            version: event.version,
            response: event.response,
          };
          const digest = contextDigest(trigger, event);
          if (digest === undefined || digest !== contextDigest(trigger, mixed)) return;
          expect(validateTriggerEvent(mixed)).toEqual(validateTriggerEvent(event));
        },
      ),
      { numRuns: 1000 },
    );
  });
});
