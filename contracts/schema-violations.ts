/**
 * Runs a zod schema over a response and turns its issues into violations. Issues at a path that
 * util.inspect elided (`[Object]`) are dropped: such a value is present but unknown.
 */
import type * as z from 'zod';
import { describeValue } from './describe-value';
import { isElided } from './elided';
import { lookup } from './json-value';
import { schemaPredicate } from './schema-predicate';
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
  // The common case, a valid value, without zod (which then only runs to describe a failure).
  if (schemaPredicate(schema)?.(value) === true) return [];
  // During an incident: the very response that failed last time, compared without building a key.
  const last = LAST_FAILURE.get(schema);
  if (last !== undefined && isSameFlatValue(last, value, field)) return [...last.violations];
  const failures = FAILURES.get(schema);
  // Only once a schema has failed is a key worth computing: healthy traffic pays nothing.
  const key = failures ? flatKey(value, field) : undefined;
  const known = key === undefined ? undefined : failures?.get(key);
  if (known) {
    rememberLast(schema, value, field, known);
    return [...known];
  }
  const violations = computeViolations(schema, value, field);
  if (violations.length === 0) return violations;
  const failureKey = key ?? flatKey(value, field);
  if (failureKey !== undefined) {
    const memo = failures ?? new Map<string, Violation[]>();
    if (memo.size >= MAX_FAILURES_PER_SCHEMA) memo.clear();
    memo.set(failureKey, violations);
    FAILURES.set(schema, memo);
    rememberLast(schema, value, field, violations);
  }
  // Callers append cross-field violations to the array they get: hand out a copy.
  return [...violations];
};

/**
 * During an incident every invocation returns the same broken response, and zod's failure path
 * costs over ten times its success path. Failures of a flat response (primitives only) are kept,
 * keyed by the field and the response's JSON text; nested or elided values are validated every time.
 */
const FAILURES = new WeakMap<z.ZodType, Map<string, Violation[]>>();
const MAX_FAILURES_PER_SCHEMA = 256;
const MAX_FLAT_KEYS = 12;
const MAX_FLAT_STRING = 64;

/** The last flat value a schema failed on, as its keys and primitive values in order. */
interface LastFailure {
  field: string;
  keys: string[];
  values: unknown[];
  violations: Violation[];
}

/** Per schema, the last flat failure: the key of the memo above costs a JSON.stringify per response. */
const LAST_FAILURE = new WeakMap<z.ZodType, LastFailure>();

const rememberLast = (schema: z.ZodType, value: unknown, field: string, violations: Violation[]): void => {
  const record = value as Record<string, unknown>;
  const keys: string[] = [];
  const values: unknown[] = [];
  for (const key in record) {
    keys.push(key);
    values.push(record[key]);
  }
  LAST_FAILURE.set(schema, { field, keys, values, violations });
};

/**
 * True when `value` has the same keys, in the same order, with the same primitive values as the
 * last failure: then its JSON text, the memo's key, is the same too.
 */
const isSameFlatValue = (last: LastFailure, value: unknown, field: string): boolean => {
  if (last.field !== field || typeof value !== 'object' || value === null || Array.isArray(value))
    return false;
  const record = value as Record<string, unknown>;
  let index = 0;
  for (const key in record) {
    if (index >= last.keys.length || last.keys[index] !== key || last.values[index] !== record[key])
      return false;
    index++;
  }
  return index === last.keys.length;
};

const flatKey = (value: unknown, field: string): string | undefined => {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  let count = 0;
  for (const key in value) {
    if (++count > MAX_FLAT_KEYS) return undefined;
    const item = (value as Record<string, unknown>)[key];
    if (item === null || typeof item === 'boolean' || typeof item === 'number') continue;
    if (typeof item === 'string' && item.length <= MAX_FLAT_STRING) continue;
    // Objects, long strings, and values JSON drops (undefined, functions, symbols) are not keyed.
    return undefined;
  }
  return `${field}\u0000${JSON.stringify(value)}`;
};

/** Deeper than this, elided markers are left to the schema (and its issues there are dropped). */
const MAX_ELIDED_DEPTH = 16;

/**
 * `value` without the object keys whose value util.inspect elided, or `value` itself when it has
 * none. A response logged with `console.log` has `[Object]` past depth 2; validating it as it is
 * sent zod down its failure path (an error object and a message per issue) for every invocation,
 * only to drop those issues. Without the keys the schema reads them as absent: a required one
 * still raises an issue, and it is dropped as before because its path is elided in `value`.
 */
const withoutElided = (value: unknown, depth = 0): unknown => {
  if (typeof value !== 'object' || value === null || depth > MAX_ELIDED_DEPTH) return value;
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    for (let index = 0; index < value.length; index++) {
      const item: unknown = value[index];
      const stripped = withoutElided(item, depth + 1);
      if (stripped !== item) {
        copy ??= value.slice();
        copy[index] = stripped;
      }
    }
    return copy ?? value;
  }
  if (isElided(value)) return value;
  let copy: Record<string, unknown> | undefined;
  const record = value as Record<string, unknown>;
  for (const key in record) {
    const item = record[key];
    const stripped = isElided(item) ? undefined : withoutElided(item, depth + 1);
    if (stripped === item) continue;
    copy ??= { ...record };
    if (stripped === undefined) delete copy[key];
    else copy[key] = stripped;
  }
  return copy ?? value;
};

/** What zod finds, at paths util.inspect did not elide. Internal: use schemaViolations. @internal */
export const computeViolations = (schema: z.ZodType, value: unknown, field: string): Violation[] => {
  const result = schema.safeParse(withoutElided(value));
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
