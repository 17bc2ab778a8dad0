/**
 * A contract violation: one field of a returned trigger event that breaks what Cognito expects.
 * Plain data; `actual` never carries personal data (see describe-value.ts).
 */

/** What kind of rule a violation breaks. */
export const VIOLATION_RULES = ['type', 'required', 'value', 'cross-field', 'shape'] as const;
export type ViolationRule = (typeof VIOLATION_RULES)[number];

export interface Violation {
  /** Dotted path rooted at the event, e.g. `response.autoConfirmUser`; `event` for the whole returned value. */
  field: string;
  /** What Cognito expects there, e.g. `boolean`, `one of CONFIRMED, RESET_REQUIRED`. */
  expected: string;
  /** What was found, described without personal data, e.g. `string "true"`, `string (212 characters)`. */
  actual: string;
  /** One sentence naming field, expectation and finding. */
  message: string;
  rule: ViolationRule;
  /**
   * `warning` when the rule rests on an undocumented fact (Cognito may accept the value);
   * absent for a contract break, which the trigger-log detector pages as critical.
   */
  severity?: 'warning';
}

/** The field path used when the returned value is not the trigger event at all. */
export const EVENT_FIELD = 'event';

const NEEDS_ARTICLE = /^(?:boolean|string|number|object|array|map|non-empty)\b/;

/** Prefixes `a`/`an` to a bare type name so messages read as sentences (`a boolean`, `an object`). */
export const withArticle = (expected: string): string => {
  if (!NEEDS_ARTICLE.test(expected)) return expected;
  return /^[aeiou]/.test(expected) ? `an ${expected}` : `a ${expected}`;
};

/**
 * Builds a violation; the message defaults to `<field> must be <expected>, got <actual>`. Pass a
 * message where that sentence would not read (cross-field rules).
 */
export const toViolation = (
  rule: ViolationRule,
  field: string,
  expected: string,
  actual: string,
  message = `${field} must be ${withArticle(expected)}, got ${actual}`,
): Violation => ({ field, expected, actual, message, rule });
