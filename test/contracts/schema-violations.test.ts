import { describe, expect, it, vi } from 'vitest';
import { Elided } from '../../contracts/elided';
import { claimsAndScopeOverrideDetailsSchema } from '../../contracts/pre-token-generation';
import { validateTriggerEvent, validateTriggerResponse } from '../../contracts/validate';
import * as e from '../fixtures/triggers/events';

const preSignUp = (response: Record<string, unknown>, userAttributes: Record<string, string>) => ({
  ...e.preSignUpInput(),
  request: { userAttributes },
  response,
});

const fields = (event: Record<string, unknown>) => {
  const result = validateTriggerEvent(event);
  return result.ok === false ? result.violations.map((violation) => violation.field) : [];
};

describe('repeated validation of the same broken response', () => {
  it('gives the same violations every time', () => {
    const event = preSignUp({ autoConfirmUser: 'true' }, { email: 'a@example.com' });
    const first = validateTriggerEvent(event);

    for (let i = 0; i < 5; i++) expect(validateTriggerEvent(event)).toEqual(first);
  });

  it('keeps cross-field violations of one event out of the next', () => {
    const response = { autoConfirmUser: 'true', autoVerifyEmail: true };

    const withoutEmail = fields(preSignUp(response, {}));
    const withEmail = fields(preSignUp(response, { email: 'a@example.com' }));
    const withoutEmailAgain = fields(preSignUp(response, {}));

    expect(withoutEmail).toEqual(['response.autoConfirmUser', 'response.autoVerifyEmail']);
    expect(withEmail).toEqual(['response.autoConfirmUser']);
    expect(withoutEmailAgain).toEqual(withoutEmail);
  });

  it('tells a response with an undefined value apart from one without the key', () => {
    expect(fields(preSignUp({ autoConfirmUser: 'yes' }, {}))).toEqual(['response.autoConfirmUser']);
    expect(fields(preSignUp({ autoConfirmUser: undefined }, {}))).toEqual([]);
  });
});

describe('responses with values util.inspect elided', () => {
  const elided = () => ({
    idTokenGeneration: new Elided('[Object]'),
    accessTokenGeneration: {
      claimsToAddOrOverride: new Elided('[Object]'),
      scopesToAdd: ['shop/orders.read'],
    },
  });

  it('passes a healthy response with elided values without running zod at all', () => {
    const safeParse = vi.spyOn(claimsAndScopeOverrideDetailsSchema, 'safeParse');
    try {
      const response = { claimsAndScopeOverrideDetails: elided() };
      expect(validateTriggerResponse('PreTokenGeneration', response, { version: '2' }).ok).toBe(true);
      expect(safeParse).not.toHaveBeenCalled();
      // The caller's value is left as it was.
      expect(response.claimsAndScopeOverrideDetails.idTokenGeneration).toBeInstanceOf(Elided);
    } finally {
      safeParse.mockRestore();
    }
  });

  it('still reports what is wrong beside an elided value', () => {
    const response = {
      claimsAndScopeOverrideDetails: { ...elided(), groupOverrideDetails: { groupsToOverride: 'admins' } },
    };
    const result = validateTriggerResponse('PreTokenGeneration', response, { version: '2' });
    expect(result.ok === false ? result.violations.map((violation) => violation.field) : []).toEqual([
      'response.claimsAndScopeOverrideDetails.groupOverrideDetails.groupsToOverride',
    ]);
  });
});

describe('repeated validation during an incident, work per response', () => {
  it('builds no memo key for a response that fails exactly as the last one did', () => {
    const stringify = vi.spyOn(JSON, 'stringify');
    try {
      const responses = Array.from({ length: 30 }, () => ({
        autoConfirmUser: 'true',
        autoVerifyEmail: false,
      }));
      const results = responses.map((response) =>
        validateTriggerEvent(preSignUp(response, { email: 'a@example.com' })),
      );
      expect(new Set(results.map((result) => JSON.stringify(result))).size).toBe(1);
      const keyed = stringify.mock.calls.filter(([value]) => responses.includes(value as never));
      expect(keyed.length).toBeLessThanOrEqual(1);
      // A different broken response is still judged on its own.
      const other = validateTriggerEvent(preSignUp({ autoConfirmUser: 'yes' }, { email: 'a@example.com' }));
      expect(other).toMatchObject({
        ok: false,
        violations: [{ field: 'response.autoConfirmUser', actual: 'string "yes"' }],
      });
    } finally {
      stringify.mockRestore();
    }
  });
});
