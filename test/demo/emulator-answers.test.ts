import { describe, expect, it } from 'vitest';
import { toCognitoAnswer } from '../../demo/emulator-answers';

/** The error objects cognito-local's answers become in the AWS SDK (name and message from the body). */
const emulatorError = (name: string, message: string) => Object.assign(new Error(message), { name });

describe('toCognitoAnswer', () => {
  it('names an uninvokable trigger UnexpectedLambdaException, as Cognito does, not UnexpectedLambdaExceptionException', () => {
    const error = toCognitoAnswer(
      emulatorError('UnexpectedLambdaExceptionException', 'Unexpected error when invoking lambda'),
      'SignUpCommand',
    );
    expect(error.name).toBe('UnexpectedLambdaException');
    expect(error.message).toBe('Unexpected error when invoking lambda');
  });

  it('leaves InvalidPasswordException alone where it means a password the policy refuses', () => {
    const error = toCognitoAnswer(
      emulatorError('InvalidPasswordException', 'Invalid password'),
      'SignUpCommand',
    );
    expect(error.name).toBe('InvalidPasswordException');
  });
});
