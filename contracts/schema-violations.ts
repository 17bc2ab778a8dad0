/**
 * Runs a zod schema over a response and turns its issues into violations. Issues at a path that
 * util.inspect elided (`[Object]`) are dropped: such a value is present but unknown.
 */
import type { z } from 'zod';
import { describeValue } from './describe-value';
import { lookup } from './json-value';
import { toViolation, type Violation } from './violation';

/** Prefix for a zod `error` option that names the expected value in a violation, e.g. `expected:map of string to string`. */
export const EXPECTED_PREFIX = 'expected:';

/** A zod error option that makes the violation say `expected` instead of zod's type name. */
export const expecting = (expected: string): { error: string } => ({
  error: `${EXPECTED_PREFIX}${expected}`,
});

const ZOD_TYPE_NAMES: Readonly<Record<string, string>> = { record: 'object', map: 'object' };

const expectedOf = (issue: z.core.$ZodIssue): string => {
  if (issue.message.startsWith(EXPECTED_PREFIX)) return issue.message.slice(EXPECTED_PREFIX.length);
  if (issue.code === 'invalid_type') return ZOD_TYPE_NAMES[issue.expected] ?? issue.expected;
  if (issue.code === 'invalid_value') return `one of ${issue.values.map(String).join(', ')}`;
  return issue.message;
};

/**
 * Validates `value` (found at `field` in the event) with `schema`; returns one violation per
 * issue, with fields rooted at the event (`response.claimsOverrideDetails.claimsToSuppress.0`).
 */
export const schemaViolations = (schema: z.ZodType, value: unknown, field: string): Violation[] => {
  const result = schema.safeParse(value);
  if (result.success) return [];
  const violations: Violation[] = [];
  for (const issue of result.error.issues) {
    const at = lookup(value, issue.path);
    if (at.elided) continue;
    const path = [field, ...issue.path.map(String)].join('.');
    const rule = issue.code === 'invalid_type' ? 'type' : 'value';
    violations.push(
      toViolation(rule, path, expectedOf(issue), at.found ? describeValue(at.value) : 'missing'),
    );
  }
  return violations;
};
