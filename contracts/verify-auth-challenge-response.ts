/**
 * VerifyAuthChallengeResponse (`VerifyAuthChallengeResponse_Authentication`, also spelled
 * `VerifyAuthChallenge_Authentication`).
 *
 * `answerCorrect` is a JSON boolean. Cognito's input carries `answerCorrect: null` (or `{}`), so a
 * missing or null `answerCorrect` is only reported when the caller knows the value was returned
 * (`returned`, the middleware); from logs only wrong types are reported.
 *
 * Facts: docs/cognito-triggers-and-logs.md.
 */
import * as z from 'zod';
import { isUnset } from './json-value';
import type { ResponseCheck } from './response-check';
import { schemaViolations } from './schema-violations';
import { toViolation } from './violation';

/** The VerifyAuthChallengeResponse response as Cognito reads it. */
export const verifyAuthChallengeResponseSchema = z.looseObject({
  answerCorrect: z.boolean().nullish(),
});

/** Checks a VerifyAuthChallengeResponse response. */
export const checkVerifyAuthChallengeResponse: ResponseCheck = ({ response, returned }) => {
  const violations = schemaViolations(verifyAuthChallengeResponseSchema, response, 'response');
  if (returned && isUnset(response.answerCorrect)) {
    const actual = Object.hasOwn(response, 'answerCorrect') ? 'null' : 'missing';
    violations.push(toViolation('required', 'response.answerCorrect', 'boolean', actual));
  }
  return violations;
};
