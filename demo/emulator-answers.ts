/**
 * Where cognito-local answers differently from Cognito, the demo puts Cognito's answer back, so a
 * story ends with the cause and runbook section production would show:
 * - a wrong password in AdminInitiateAuth / InitiateAuth is `InvalidPasswordException: Invalid
 *   password` in cognito-local; Cognito answers `NotAuthorizedException: Incorrect username or
 *   password.`;
 * - a trigger that cannot be invoked is `UnexpectedLambdaExceptionException` in cognito-local (the
 *   suffix doubled); Cognito's name is `UnexpectedLambdaException`.
 * Anything else passes through untouched.
 */

/** Operations in which cognito-local's `InvalidPasswordException` means a wrong password. */
const SIGN_IN_OPERATIONS = new Set(['AdminInitiateAuthCommand', 'InitiateAuthCommand']);

/**
 * Rewrites one cognito-local error, in place, to what Cognito answers (name and message); returns
 * it. `commandName` is the SDK command's class name (`AdminInitiateAuthCommand`).
 */
export const toCognitoAnswer = <T>(error: T, commandName: string | undefined): T => {
  if (typeof error !== 'object' || error === null) return error;
  const answer = error as { name?: unknown; message?: unknown };
  if (answer.name === 'InvalidPasswordException' && SIGN_IN_OPERATIONS.has(commandName ?? '')) {
    answer.name = 'NotAuthorizedException';
    answer.message = 'Incorrect username or password.';
  } else if (answer.name === 'UnexpectedLambdaExceptionException') {
    answer.name = 'UnexpectedLambdaException';
  }
  return error;
};
