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
 * - A `challengeName` that names the next step (neither flag true) and is none of the challenge
 *   names Cognito documents for custom authentication (KNOWN_CHALLENGE_NAMES, case-sensitive) is
 *   a warning: AWS documents no enum for the response, so a new name may be valid.
 *
 * Facts: docs/cognito-triggers-and-logs.md (DefineAuthChallenge).
 */
import * as z from 'zod';
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

/**
 * Challenge names the custom-authentication flow documents: the values of `session[].challengeName`
 * (which are also what a define-auth-challenge function returns as the next step).
 */
export const KNOWN_CHALLENGE_NAMES = [
  'CUSTOM_CHALLENGE',
  'PASSWORD_VERIFIER',
  'SRP_A',
  'SMS_MFA',
  'EMAIL_OTP',
  'SOFTWARE_TOKEN_MFA',
  'DEVICE_SRP_AUTH',
  'DEVICE_PASSWORD_VERIFIER',
  'ADMIN_NO_SRP_AUTH',
] as const;

/** `expected` of the unknown-challenge rule; violation-title.ts recognises it. */
export const KNOWN_CHALLENGE_EXPECTED = `one of ${KNOWN_CHALLENGE_NAMES.join(', ')}`;

const KNOWN_CHALLENGES: ReadonlySet<string> = new Set(KNOWN_CHALLENGE_NAMES);
// Challenge names are protocol words, not personal data: quote them when they look like one.
const CHALLENGE_WORD = /^[A-Za-z0-9_]{1,40}$/;

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
  const nextStep = issueTokens !== true && failAuthentication !== true;
  if (
    nextStep &&
    typeof challengeName === 'string' &&
    challengeName !== '' &&
    !KNOWN_CHALLENGES.has(challengeName)
  ) {
    const actual = CHALLENGE_WORD.test(challengeName)
      ? `string ${JSON.stringify(challengeName)}`
      : describeValue(challengeName);
    violations.push({
      ...toViolation('value', 'response.challengeName', KNOWN_CHALLENGE_EXPECTED, actual),
      severity: 'warning',
    });
  }
  return violations;
};
