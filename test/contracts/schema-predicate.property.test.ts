import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import type * as z from 'zod';
import { createAuthChallengeResponseSchema } from '../../contracts/create-auth-challenge';
import { customMessageResponseSchema } from '../../contracts/custom-message';
import { defineAuthChallengeResponseSchema } from '../../contracts/define-auth-challenge';
import { Elided } from '../../contracts/elided';
import { inboundFederationResponseSchema } from '../../contracts/inbound-federation';
import { preSignUpResponseSchema } from '../../contracts/pre-sign-up';
import {
  claimsAndScopeOverrideDetailsSchema,
  claimsOverrideDetailsSchema,
} from '../../contracts/pre-token-generation';
import { schemaPredicate } from '../../contracts/schema-predicate';
import { computeViolations } from '../../contracts/schema-violations';
import { stringMapSchema } from '../../contracts/string-map';
import { userMigrationResponseSchema } from '../../contracts/user-migration';
import { validateTriggerEvent } from '../../contracts/validate';
import { verifyAuthChallengeResponseSchema } from '../../contracts/verify-auth-challenge-response';

const SCHEMAS: Record<string, z.ZodType> = {
  createAuthChallengeResponseSchema,
  customMessageResponseSchema,
  defineAuthChallengeResponseSchema,
  inboundFederationResponseSchema,
  preSignUpResponseSchema,
  claimsOverrideDetailsSchema,
  claimsAndScopeOverrideDetailsSchema,
  stringMapSchema,
  userMigrationResponseSchema,
  verifyAuthChallengeResponseSchema,
};

interface Def {
  type: string;
  shape?: Record<string, z.ZodType>;
  innerType?: z.ZodType;
  element?: z.ZodType;
  valueType?: z.ZodType;
  entries?: Record<string, unknown>;
}
const defOf = (schema: z.ZodType): Def => (schema as unknown as { _zod: { def: Def } })._zod.def;

/** Keys without the two names whose handling by zod's record check depends on the prototype. */
const key = fc.string({ maxLength: 8 }).filter((text) => text !== 'constructor' && text !== '__proto__');
const json: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.boolean(),
    fc.string({ maxLength: 6 }),
    fc.integer(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(key, tie('value'), { maxKeys: 3 }),
  ),
})).value;

/** Values shaped like what `schema` reads, with a wrong value anywhere now and then. */
const shaped = (schema: z.ZodType, depth = 0): fc.Arbitrary<unknown> => {
  const def = defOf(schema);
  const valid = (): fc.Arbitrary<unknown> => {
    switch (def.type) {
      case 'boolean':
        return fc.boolean();
      case 'string':
        return fc.string({ maxLength: 6 });
      case 'enum':
        return fc.constantFrom(...Object.values(def.entries ?? {}));
      case 'optional':
        return fc.oneof(fc.constant(undefined), shaped(def.innerType as z.ZodType, depth));
      case 'nullable':
        return fc.oneof(fc.constant(null), shaped(def.innerType as z.ZodType, depth));
      case 'array':
        return fc.array(shaped(def.element as z.ZodType, depth + 1), { maxLength: 3 });
      case 'record':
        return fc.dictionary(key, shaped(def.valueType as z.ZodType, depth + 1), { maxKeys: 3 });
      case 'object':
        return fc.record(
          Object.fromEntries(
            Object.entries(def.shape ?? {}).map(([name, field]) => [name, shaped(field, depth + 1)]),
          ),
          { requiredKeys: [] },
        );
      default:
        return json;
    }
  };
  return fc.oneof(
    { weight: 6, arbitrary: valid() },
    { weight: 1, arbitrary: json },
    { weight: 1, arbitrary: fc.constant(new Elided('[Object]')) },
  );
};

const hasElided = (value: unknown): boolean =>
  value instanceof Elided ||
  (typeof value === 'object' && value !== null && Object.values(value).some(hasElided));

describe('schemaPredicate', () => {
  it.each(Object.entries(SCHEMAS))('reads every kind %s uses', (_name, schema) => {
    expect(schemaPredicate(schema)).toBeTypeOf('function');
  });

  it.each(Object.entries(SCHEMAS))('agrees with zod on %s', (_name, schema) => {
    const predicate = schemaPredicate(schema) as (value: unknown) => boolean;
    let accepted = 0;
    fc.assert(
      fc.property(shaped(schema), (value) => {
        const zodAccepts = schema.safeParse(value).success;
        // Never a yes where zod finds a violation (elided paths aside); on JSON values the same answer.
        if (predicate(value)) expect(computeViolations(schema, value, 'response')).toEqual([]);
        if (!hasElided(value)) expect(predicate(value)).toBe(zodAccepts);
        if (zodAccepts) accepted++;
      }),
      { numRuns: 400, seed: 12 },
    );
    // The generator reaches the valid side too, or agreement would prove little.
    expect(accepted).toBeGreaterThan(40);
  });

  it('says "not sure" for objects zod judges by their prototype', () => {
    const predicate = schemaPredicate(stringMapSchema) as (value: unknown) => boolean;
    expect(predicate(JSON.parse('{"constructor":"x"}'))).toBe(false);
    expect(predicate(new (class Box {})())).toBe(false);
    expect(predicate(Object.create(null))).toBe(true);
  });

  it('lets a valid event past zod: the schema parses only to describe a failure', () => {
    const safeParse = vi.spyOn(preSignUpResponseSchema, 'safeParse');
    try {
      const event = {
        version: '1',
        triggerSource: 'PreSignUp_SignUp',
        request: { userAttributes: { email: 'a@example.com' } },
        response: { autoConfirmUser: true, autoVerifyEmail: true, autoVerifyPhone: false },
      };
      expect(validateTriggerEvent(event).ok).toBe(true);
      expect(safeParse).not.toHaveBeenCalled();
      const broken = validateTriggerEvent({ ...event, response: { autoConfirmUser: 'true' } });
      expect(broken.ok).toBe(false);
      expect(safeParse).toHaveBeenCalledTimes(1);
    } finally {
      safeParse.mockRestore();
    }
  });

  it('validates a healthy PreSignUp event without lower-casing its triggerSource', () => {
    const event = {
      version: '1',
      triggerSource: 'PreSignUp_SignUp',
      request: { userAttributes: { email: 'a@example.com', phone_number: '+15555550100' } },
      response: { autoConfirmUser: true, autoVerifyEmail: true, autoVerifyPhone: true },
    };
    validateTriggerEvent(event);
    const lower = vi.spyOn(String.prototype, 'toLowerCase');
    try {
      expect(validateTriggerEvent(event).ok).toBe(true);
      expect(lower).not.toHaveBeenCalled();
      // The admin-create source is still recognised in any case: its attribute rules are skipped.
      const admin = { ...event, triggerSource: 'PRESIGNUP_ADMINCREATEUSER', request: { userAttributes: {} } };
      expect(validateTriggerEvent(admin).ok).toBe(true);
    } finally {
      lower.mockRestore();
    }
  });
});
