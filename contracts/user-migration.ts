/**
 * UserMigration (`UserMigration_Authentication`, `UserMigration_ForgotPassword`).
 *
 * - `userAttributes` is a map of string to string; once the function decides to migrate (it sets
 *   any of `finalUserStatus`, `messageAction`, `desiredDeliveryMediums`, `forceAliasCreation`) it
 *   must be present and non-empty: AWS documents the field as required. Cognito's input carries
 *   every response key as `null`, and returning it untouched is the documented "user not found"
 *   path, so an untouched response is never reported.
 * - `finalUserStatus` ∈ CONFIRMED | RESET_REQUIRED; `messageAction` ∈ SUPPRESS | RESEND;
 *   `desiredDeliveryMediums` ⊆ EMAIL | SMS; `forceAliasCreation`, `enableSMSMFA` booleans.
 * - `enableSMSMFA: true` needs `phone_number` in `response.userAttributes` (else the migration
 *   fails).
 * Not checked: `_ForgotPassword` needing a verified email or phone (depends on pool settings).
 *
 * Facts: docs/cognito-triggers-and-logs.md (UserMigration).
 */
import * as z from 'zod';
import { describeValue } from './describe-value';
import { isJsonObject, isUnset, lookup } from './json-value';
import type { ResponseCheck } from './response-check';
import { schemaViolations } from './schema-violations';
import { STRING_MAP, stringMapSchema } from './string-map';
import { toViolation, type Violation } from './violation';

export const FINAL_USER_STATUSES = ['CONFIRMED', 'RESET_REQUIRED'] as const;
export const MESSAGE_ACTIONS = ['SUPPRESS', 'RESEND'] as const;
export const DELIVERY_MEDIUMS = ['EMAIL', 'SMS'] as const;

/** The UserMigration response as Cognito reads it. */
export const userMigrationResponseSchema = z.looseObject({
  userAttributes: stringMapSchema.nullish(),
  finalUserStatus: z.enum(FINAL_USER_STATUSES).nullish(),
  messageAction: z.enum(MESSAGE_ACTIONS).nullish(),
  desiredDeliveryMediums: z.array(z.enum(DELIVERY_MEDIUMS)).nullish(),
  forceAliasCreation: z.boolean().nullish(),
  enableSMSMFA: z.boolean().nullish(),
});

/** Response keys whose presence means the function decided to migrate the user. */
export const MIGRATION_DECISION_KEYS = [
  'finalUserStatus',
  'messageAction',
  'desiredDeliveryMediums',
  'forceAliasCreation',
] as const;

const requiredAttributes = (response: Record<string, unknown>): Violation | undefined => {
  const { userAttributes } = response;
  if (isUnset(userAttributes)) {
    const actual = Object.hasOwn(response, 'userAttributes') ? 'null' : 'missing';
    return toViolation('required', 'response.userAttributes', `non-empty ${STRING_MAP}`, actual);
  }
  if (isJsonObject(userAttributes) && Object.keys(userAttributes).length === 0) {
    return toViolation(
      'value',
      'response.userAttributes',
      `non-empty ${STRING_MAP}`,
      describeValue(userAttributes),
    );
  }
  return undefined;
};

const phoneForMfa = (response: Record<string, unknown>): Violation | undefined => {
  if (response.enableSMSMFA !== true || !isJsonObject(response.userAttributes)) return undefined;
  const at = lookup(response.userAttributes, ['phone_number']);
  if (at.elided || (typeof at.value === 'string' && at.value.trim() !== '')) return undefined;
  const found = at.found ? describeValue(at.value) : 'missing';
  return toViolation(
    'cross-field',
    'response.enableSMSMFA',
    'true only with a non-empty response.userAttributes.phone_number',
    `true with response.userAttributes.phone_number ${found}`,
    `response.enableSMSMFA is true but response.userAttributes.phone_number is ${found}`,
  );
};

/** Checks a UserMigration response. */
export const checkUserMigration: ResponseCheck = ({ response }) => {
  const violations = schemaViolations(userMigrationResponseSchema, response, 'response');
  const decided = MIGRATION_DECISION_KEYS.some((key) => !isUnset(response[key]));
  const missing = decided ? requiredAttributes(response) : undefined;
  if (missing) violations.push(missing);
  const mfa = phoneForMfa(response);
  if (mfa) violations.push(mfa);
  return violations;
};
