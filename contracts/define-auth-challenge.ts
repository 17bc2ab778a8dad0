/**
 * DefineAuthChallenge (`DefineAuthChallenge_Authentication`).
 *
 * - `challengeName` string, `issueTokens` and `failAuthentication` JSON booleans; `null` is unset
 *   (Cognito's input carries all three as `null`).
 * - When neither flag is true, `challengeName` must name the next challenge, or the flow stalls
 *   (the "forgot issueTokens" bug). An untouched response (all three unset) is Cognito's input,
 *   so this rule only fires once the function set one of them, or when the caller knows the
 *   value was returned (`returned`). Known false negative: a logged event returned unchanged.
 * - `issueTokens` and `failAuthentication` both true is contradictory. Cognito's handling of it
 *   is undocumented, so it is reported rather than guessed.
 *
 * Facts: docs/cognito-triggers-and-logs.md (response contracts).
 */
import { z } from 'zod';
import { describeValue } from './describe-value';
import { isUnset } from './json-value';
import type { ResponseCheck } from './response-check';
import { schemaViolations } from './schema-violations';
import { toViolation } from './violation';

/** The DefineAuthChallenge response as Cognito reads it. */
export const defineAuthChallengeResponseSchema = z.looseObject({
  challengeName: z.string().nullish(),
  issueTokens: z.boolean().nullish(),
  failAuthentication: z.boolean().nullish(),
});

/** `expected` of the stall rule; violation-title.ts recognises it. */
export const NEXT_STEP_EXPECTED =
  'a non-empty string when neither issueTokens nor failAuthentication is true';
/** `expected` of the contradiction rule; violation-title.ts recognises it. */
export const NOT_BOTH_EXPECTED = 'not true while issueTokens is true';

const isFlag = (value: unknown): boolean => typeof value === 'boolean' || isUnset(value);
const stateOf = (response: Record<string, unknown>, key: string): string =>
  Object.hasOwn(response, key) ? describeValue(response[key]) : 'missing';

/** Checks a DefineAuthChallenge response. */
export const checkDefineAuthChallenge: ResponseCheck = ({ response, returned }) => {
  const violations = schemaViolations(defineAuthChallengeResponseSchema, response, 'response');
  const { challengeName, issueTokens, failAuthentication } = response;

  if (issueTokens === true && failAuthentication === true) {
    violations.push(
      toViolation(
        'cross-field',
        'response.failAuthentication',
        NOT_BOTH_EXPECTED,
        'boolean true with issueTokens true',
        'response.issueTokens and response.failAuthentication are both true',
      ),
    );
  }

  const untouched = isUnset(challengeName) && isUnset(issueTokens) && isUnset(failAuthentication);
  // A flag of the wrong type is reported above; guessing what it meant would add noise.
  const judgeable =
    isFlag(issueTokens) && isFlag(failAuthentication) && (isUnset(challengeName) || challengeName === '');
  if (judgeable && issueTokens !== true && failAuthentication !== true && (returned || !untouched)) {
    const actual = `${stateOf(response, 'challengeName')} (issueTokens ${stateOf(response, 'issueTokens')}, failAuthentication ${stateOf(response, 'failAuthentication')})`;
    violations.push(
      toViolation(
        'required',
        'response.challengeName',
        NEXT_STEP_EXPECTED,
        actual,
        `response.challengeName is ${stateOf(response, 'challengeName')} while neither issueTokens nor failAuthentication is true`,
      ),
    );
  }
  return violations;
};
