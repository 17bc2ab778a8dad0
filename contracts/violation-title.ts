/**
 * Turns a violation into a page title that names the root cause, e.g.
 * `PreSignUp returned autoConfirmUser as a string ("true"), Cognito expects a boolean`.
 *
 * Works from `field`, `expected` and `actual` only, so it gives the same title for a violation
 * found here and one read back from a middleware contract report (which carries no `rule`).
 * Never adds data beyond those three fields, which carry no personal data.
 */
import { KNOWN_CHALLENGE_EXPECTED, NEXT_STEP_EXPECTED, NOT_BOTH_EXPECTED } from './define-auth-challenge';
import {
  AUD_EXPECTED,
  PROTECTED_EXPECTED,
  SCALAR_EXPECTED,
  SCOPE_CLAIM_EXPECTED,
  SCOPE_EXPECTED,
} from './pre-token-generation';
import type { TriggerName } from './triggers';
import { EVENT_FIELD, type Violation, withArticle } from './violation';

const TYPE_EXPECTATIONS: ReadonlySet<string> = new Set([
  'boolean',
  'string',
  'number',
  'object',
  'array',
  'map of string to string',
]);
const UNSET_ACTUALS: ReadonlySet<string> = new Set(['missing', 'null', 'undefined']);

const PLACEHOLDER = /^text containing the (code|username) placeholder (.+)$/;
const LIMIT = /^at most (\d+) characters$/;
const OF_LENGTH = / of (\d+) characters$/;
const CONTAINER = /^absent on a version "([^"]*)" event \(use (\w+)\)$/;
const ONLY_WITH = /^true only with a non-empty (.+)$/;
const KIND = /^(empty string|empty object|string|number|array|object)\b/;
/** What `.` does not match: a described value with one of these reads as it is. */
const LINE_BREAK = /[\n\r\u2028\u2029]/;

/** `a string ("true")`, `a number (1)`, `an array`, `null` ... for a described value. */
const asPhrase = (actual: string): string => {
  const literal = /^(string|number|boolean) ("[^"]*"|-?[\d.]+|true|false)$/.exec(actual);
  if (literal?.[1] && literal[2]) return `${withArticle(literal[1])} (${literal[2]})`;
  const kind = KIND.exec(actual)?.[1];
  if (!kind) return actual;
  // Read by hand, not by `( \(.*\))?(.*)$`: that backtracks quadratically on a run of `)`.
  const rest = actual.slice(kind.length);
  if (LINE_BREAK.test(rest)) return actual;
  const article = /^[aeiou]/.test(kind) ? 'an' : 'a';
  // Sizes (`(212 characters)`) are dropped from titles; other qualifiers are kept.
  const sizeOnly = rest === '' || (rest.startsWith(' (') && rest.endsWith(')'));
  return sizeOnly ? `${article} ${kind}` : `${article} ${actual}`;
};

/** The field without its `response.` prefix: `autoConfirmUser`, `claimsOverrideDetails.claimsToSuppress.0`. */
const nameOf = (field: string): string =>
  field.startsWith('response.') ? field.slice('response.'.length) : field;

/**
 * A page title naming the root cause of `violation` for `trigger`. Accepts a violation with or
 * without `rule` (a reported violation from a contract report has none).
 */
export function violationTitle(
  trigger: TriggerName,
  violation: Pick<Violation, 'field' | 'expected' | 'actual'> & Partial<Pick<Violation, 'rule'>>,
): string {
  const { field, expected, actual } = violation;
  const name = nameOf(field);

  if (field === EVENT_FIELD) {
    return `${trigger} returned ${asPhrase(actual)} instead of the event, Cognito expects the whole event back`;
  }
  if (expected === NEXT_STEP_EXPECTED) {
    return `${trigger} returned none of challengeName, issueTokens, failAuthentication`;
  }
  if (expected === NOT_BOTH_EXPECTED) {
    return `${trigger} returned both issueTokens and failAuthentication as true`;
  }
  const placeholder = PLACEHOLDER.exec(expected);
  if (placeholder) return `${trigger} ${name} lacks the ${placeholder[1]} placeholder ${placeholder[2]}`;
  const limit = LIMIT.exec(expected);
  if (limit) {
    const length = OF_LENGTH.exec(actual)?.[1];
    const size = length ? ` (${length} characters)` : '';
    return `${trigger} ${name} is too long${size}, Cognito's limit is ${limit[1]} characters`;
  }
  if (expected === PROTECTED_EXPECTED) {
    const via = field.includes('.claimsToSuppress.') ? 'suppress' : 'override';
    return `${trigger} tries to ${via} ${actual}, which Cognito does not allow`;
  }
  if (expected === AUD_EXPECTED) {
    return `${trigger} sets the access token aud to something other than the app client id, which Cognito does not allow`;
  }
  if (expected === SCOPE_EXPECTED) {
    return `${trigger} adds a scope containing whitespace (${name}), Cognito does not allow blanks in scopes`;
  }
  if (expected === SCOPE_CLAIM_EXPECTED) {
    return `${trigger} changes the scope claim through ${name}, Cognito changes scopes only through scopesToAdd and scopesToSuppress`;
  }
  if (expected === KNOWN_CHALLENGE_EXPECTED) {
    return `${trigger} returned challengeName ${actual.replace(/^string /, '')}, which is not a challenge Cognito knows`;
  }
  if (expected === SCALAR_EXPECTED) {
    const claim = field.split('.').at(-1);
    return `${trigger} sets ID token claim ${claim} to ${asPhrase(actual)}, Cognito allows only a string, number or boolean`;
  }
  const container = CONTAINER.exec(expected);
  if (container) {
    return `${trigger} returned ${name} on a version "${container[1]}" event, Cognito reads ${container[2]}`;
  }
  const onlyWith = ONLY_WITH.exec(expected);
  if (onlyWith) return `${trigger} sets ${name} to true without ${onlyWith[1]}`;
  if (UNSET_ACTUALS.has(actual))
    return `${trigger} returned no ${name}, Cognito expects ${withArticle(expected)}`;
  if (TYPE_EXPECTATIONS.has(expected) || expected.startsWith('non-empty ')) {
    return `${trigger} returned ${name} as ${asPhrase(actual)}, Cognito expects ${withArticle(expected)}`;
  }
  return `${trigger} returned an invalid ${name} (${actual}), Cognito expects ${withArticle(expected)}`;
}
