/**
 * CreateAuthChallenge (`CreateAuthChallenge_Authentication`).
 *
 * `publicChallengeParameters` and `privateChallengeParameters` are maps of string to string (a
 * number value is reported at its key, e.g. `response.privateChallengeParameters.answer`);
 * `challengeMetadata` is a string. Cognito's input carries all three as `null`.
 *
 * Facts: docs/cognito-triggers-and-logs.md.
 */
import * as z from 'zod';
import type { ResponseCheck } from './response-check';
import { schemaViolations } from './schema-violations';
import { stringMapSchema } from './string-map';

/** The CreateAuthChallenge response as Cognito reads it. */
export const createAuthChallengeResponseSchema = z.looseObject({
  publicChallengeParameters: stringMapSchema.nullish(),
  privateChallengeParameters: stringMapSchema.nullish(),
  challengeMetadata: z.string().nullish(),
});

/** Checks a CreateAuthChallenge response. */
export const checkCreateAuthChallenge: ResponseCheck = ({ response }) =>
  schemaViolations(createAuthChallengeResponseSchema, response, 'response');
