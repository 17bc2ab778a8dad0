/**
 * PreSignUp (`PreSignUp_SignUp`, `PreSignUp_AdminCreateUser`, `PreSignUp_ExternalProvider`).
 *
 * - `autoConfirmUser`, `autoVerifyEmail`, `autoVerifyPhone` are JSON booleans. Cognito's input
 *   pre-fills all three with `false`; `null` is read as unset.
 * - `autoVerifyEmail: true` needs a non-empty `request.userAttributes.email`, `autoVerifyPhone:
 *   true` a non-empty `phone_number` (Cognito otherwise fails the sign-up).
 * - For `PreSignUp_AdminCreateUser` Cognito ignores the flags, so the attribute rules are skipped
 *   there; wrong JSON types are still reported because the same function serves
 *   `PreSignUp_SignUp`, where they break sign-up.
 * The attribute rules need the triggerSource and the request; without them they are skipped.
 *
 * Facts: docs/cognito-triggers-and-logs.md.
 */
import * as z from 'zod';
import { describeValue } from './describe-value';
import { isJsonObject, lookup, member } from './json-value';
import type { ResponseCheck } from './response-check';
import { schemaViolations } from './schema-violations';
import { toViolation, type Violation } from './violation';

/** The PreSignUp response as Cognito reads it. */
export const preSignUpResponseSchema = z.looseObject({
  autoConfirmUser: z.boolean().nullish(),
  autoVerifyEmail: z.boolean().nullish(),
  autoVerifyPhone: z.boolean().nullish(),
});

const VERIFY_FLAGS = [
  ['autoVerifyEmail', 'email'],
  ['autoVerifyPhone', 'phone_number'],
] as const;

const attributeRule = (
  flag: string,
  attribute: string,
  userAttributes: Record<string, unknown>,
): Violation | undefined => {
  // The common case first, without a lookup record: the attribute is there.
  const present = Object.hasOwn(userAttributes, attribute) ? userAttributes[attribute] : undefined;
  if (typeof present === 'string' && present.trim() !== '') return undefined;
  const at = lookup(userAttributes, [attribute]);
  if (at.elided) return undefined;
  if (typeof at.value === 'string' && at.value.trim() !== '') return undefined;
  const path = `request.userAttributes.${attribute}`;
  const found = at.found ? describeValue(at.value) : 'missing';
  return toViolation(
    'cross-field',
    `response.${flag}`,
    `true only with a non-empty ${path}`,
    `true with ${path} ${found}`,
    `response.${flag} is true but ${path} is ${found}`,
  );
};

const ADMIN_CREATE_USER = 'presignup_admincreateuser';

/** Lower-casing only changes ASCII letters' case or adds characters, so another length never matches. */
const isAdminCreateUser = (triggerSource: string): boolean =>
  triggerSource.length === ADMIN_CREATE_USER.length && triggerSource.toLowerCase() === ADMIN_CREATE_USER;

/** `value.trim() !== ''`, without trimming when it starts with a printable ASCII character other than space. */
const isNonBlank = (value: string): boolean => {
  const first = value.charCodeAt(0);
  return (first > 32 && first < 127) || value.trim() !== '';
};

/**
 * What `checkPreSignUp` reads of the request, as a number: for the same response and
 * triggerSource, two requests with the same number get the same violations. `undefined` when a
 * verification attribute is there but not a non-empty string: a violation would describe its value,
 * so such an event has to be judged on its own.
 */
export const preSignUpRequestDigest = (request: unknown): number | undefined => {
  const userAttributes = member(request, 'userAttributes');
  if (!isJsonObject(userAttributes)) return 0;
  let digest = 1;
  for (let index = 0; index < VERIFY_FLAGS.length; index++) {
    const attribute = (VERIFY_FLAGS[index] as (typeof VERIFY_FLAGS)[number])[1];
    if (!Object.hasOwn(userAttributes, attribute)) {
      // Missing reads the same whatever else the request holds.
      digest |= 2 << index;
      continue;
    }
    const value = userAttributes[attribute];
    if (typeof value !== 'string' || !isNonBlank(value)) return undefined;
  }
  return digest;
};

/** Checks a PreSignUp response. */
export const checkPreSignUp: ResponseCheck = ({ response, triggerSource, request }) => {
  const violations = schemaViolations(preSignUpResponseSchema, response, 'response');
  if (triggerSource === undefined || isAdminCreateUser(triggerSource)) return violations;
  const userAttributes = member(request, 'userAttributes');
  if (!isJsonObject(userAttributes)) return violations;
  for (const [flag, attribute] of VERIFY_FLAGS) {
    if (response[flag] !== true) continue;
    const violation = attributeRule(flag, attribute, userAttributes);
    if (violation) violations.push(violation);
  }
  return violations;
};
