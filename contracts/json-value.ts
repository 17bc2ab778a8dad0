/**
 * Small guards and path look-ups over parsed JSON (or util.inspect output, whose elided values are
 * `Elided` markers). Pure.
 */
import { isElided } from './elided';

/** A JSON object: not null, not an array, not an `Elided` marker. */
export const isJsonObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && !isElided(value);

/** Null and undefined both mean "not set": Cognito sends `null` placeholders for unset response keys. */
export const isUnset = (value: unknown): value is null | undefined => value === null || value === undefined;

/** A string with at least one character. */
export const isNonEmptyString = (value: unknown): value is string =>
  typeof value === 'string' && value !== '';

/** Reads `container[key]` when `container` is a JSON object. */
export const member = (container: unknown, key: string): unknown =>
  isJsonObject(container) ? container[key] : undefined;

/** True when `key` is an own key of a JSON object `container`. */
export const hasMember = (container: unknown, key: string): boolean =>
  isJsonObject(container) && Object.hasOwn(container, key);

export interface PathLookup {
  /** Some value on the way (or the value itself) was elided by util.inspect. */
  elided: boolean;
  /** The last key exists on its container. */
  found: boolean;
  value: unknown;
}

/** Follows `path` from `root`, noting elided values on the way. */
export const lookup = (root: unknown, path: readonly PropertyKey[]): PathLookup => {
  let current = root;
  let found = true;
  for (const key of path) {
    if (isElided(current)) return { elided: true, found: true, value: current };
    if (typeof current !== 'object' || current === null || typeof key === 'symbol') {
      return { elided: false, found: false, value: undefined };
    }
    found = Object.hasOwn(current, key);
    current = found ? (current as Record<PropertyKey, unknown>)[key] : undefined;
  }
  return { elided: isElided(current), found, value: current };
};
