import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TRIGGERS } from '../../contracts/triggers';
import {
  type CanaryCall,
  parseTriggerMessage,
  toCanaryCause,
  toChallengeCause,
} from '../../detectors/canary-cause';
import type { CanaryError } from '../../detectors/canary-observations';
import { CLIENT, POOL, serviceError } from '../fixtures/canary/observations';

const cause = (call: CanaryCall, error: CanaryError, extra: Record<string, unknown> = {}) =>
  toCanaryCause({ call, error, clientId: CLIENT, ...extra });

describe('toCanaryCause: AWS messages, verbatim (docs/cognito-triggers-and-logs.md)', () => {
  it.each([
    ['UserNotConfirmedException', 'User is not confirmed.', 'user-not-confirmed'],
    ['NotAuthorizedException', 'User is disabled.', 'user-disabled'],
    ['NotAuthorizedException', 'Incorrect username or password.', 'incorrect-credentials'],
    ['NotAuthorizedException', 'Password attempts exceeded', 'incorrect-credentials'],
    ['UserNotFoundException', 'User does not exist.', 'user-not-found'],
    ['PasswordResetRequiredException', 'Password reset required for the user', 'password-reset-required'],
    ['InvalidParameterException', 'Auth flow not enabled for this client', 'flow-not-enabled'],
    ['InvalidParameterException', 'USER_PASSWORD_AUTH flow not enabled for this client', 'flow-not-enabled'],
    ['NotAuthorizedException', `Unable to verify secret hash for client ${CLIENT}`, 'secret-hash-mismatch'],
    ['NotAuthorizedException', `SecretHash does not match for the client: ${CLIENT}`, 'secret-hash-mismatch'],
    [
      'NotAuthorizedException',
      `Client ${CLIENT} is configured with secret but SECRET_HASH was not received`,
      'secret-hash-mismatch',
    ],
    ['ResourceNotFoundException', `User pool client ${CLIENT} does not exist.`, 'client-not-found'],
    ['ResourceNotFoundException', `User pool ${POOL} does not exist.`, 'pool-not-found'],
    ['ResourceNotFoundException', 'Username/client id combination not found.', 'user-not-found'],
    ['TooManyRequestsException', 'Rate exceeded', 'throttled'],
    ['LimitExceededException', 'Attempt limit exceeded, please try after some time.', 'throttled'],
    [
      'AccessDeniedException',
      'User: arn:aws:sts::1:assumed-role/x is not authorized to perform: cognito-idp:AdminInitiateAuth',
      'access-denied',
    ],
    ['InternalErrorException', 'Internal error', 'unknown'],
    [
      'LimitExceededException',
      'Exceeded daily email limit for the operation or the account. If a higher limit is required, please configure your user pool to use your own Amazon SES configuration for sending email.',
      'email-quota-exceeded',
    ],
    [
      'InvalidParameterException',
      'Custom auth lambda trigger is not configured for the user pool.',
      'custom-auth-not-configured',
    ],
    ['InvalidParameterException', 'Initiate Auth method not supported.', 'auth-flow-not-supported'],
    ['CodeMismatchException', 'Invalid code or auth state for the user.', 'mfa-code-rejected'],
    ['ExpiredCodeException', 'Invalid code provided, please request a code again.', 'mfa-code-rejected'],
    [
      'EnableSoftwareTokenMFAException',
      'Code mismatch and fail enable Software Token MFA',
      'mfa-code-rejected',
    ],
    ['SoftwareTokenMFANotFoundException', 'Software Token MFA mfa not found', 'mfa-not-enrolled'],
  ] as const)('%s "%s" → %s', (name, message, expected) => {
    expect(cause('sign-in', serviceError(name, message)).cause).toBe(expected);
  });

  it.each([
    ['NotAuthorizedException', 'Refresh Token has been revoked', 'refresh-token-revoked'],
    ['NotAuthorizedException', 'Invalid Refresh Token', 'refresh-token-invalid'],
    ['NotAuthorizedException', 'Invalid Refresh Token.', 'refresh-token-invalid'],
    ['NotAuthorizedException', 'Access Token has been revoked', 'refresh-token-revoked'],
    ['NotAuthorizedException', `SecretHash does not match for the client: ${CLIENT}`, 'secret-hash-mismatch'],
  ] as const)('refresh: %s "%s" → %s', (name, message, expected) => {
    expect(cause('refresh', serviceError(name, message)).cause).toBe(expected);
  });

  it.each([
    ['network', 'ECONNREFUSED', 'network'],
    ['throttled', 'ThrottlingException', 'throttled'],
  ] as const)('a %s error is %s whatever its name', (kind, name, expected) => {
    expect(cause('sign-in', serviceError(name, 'x', { kind })).cause).toBe(expected);
  });
});

describe('toCanaryCause: triggers named from the message', () => {
  it.each([
    [
      'UserLambdaValidationException',
      'PreSignUp failed with error callback is not a function.',
      'trigger-failed',
      'PreSignUp',
      'callback is not a function.',
    ],
    [
      'UserLambdaValidationException',
      'DefineAuthChallenge failed with error RequestId: 9fdb5cfa-4b47-4a4e-9d19-0c8f3c7e1a2b Error: Runtime exited with error: exit status 129.',
      'trigger-failed',
      'DefineAuthChallenge',
      'RequestId: 9fdb5cfa-4b47-4a4e-9d19-0c8f3c7e1a2b Error: Runtime exited with error: exit status 129.',
    ],
    [
      'UnexpectedLambdaException',
      'PostAuthentication invocation failed due to error Socket timeout while invoking Lambda function.',
      'trigger-failed',
      'PostAuthentication',
      'Socket timeout while invoking Lambda function.',
    ],
    [
      'UnexpectedLambdaException',
      'PreSignUp invocation failed due to error AccessDeniedException.',
      'trigger-unreachable',
      'PreSignUp',
      'AccessDeniedException.',
    ],
    [
      'UnexpectedLambdaException',
      'PreSignUp invocation failed due to error ResourceNotFoundException.',
      'trigger-unreachable',
      'PreSignUp',
      'ResourceNotFoundException.',
    ],
  ] as const)('%s "%s" → %s naming %s', (name, message, expected, trigger, triggerError) => {
    expect(cause('sign-up', serviceError(name, message))).toEqual({ cause: expected, trigger, triggerError });
  });

  it('reads the email quota as email-quota-exceeded even when the call was classed as throttled', () => {
    const error = serviceError(
      'LimitExceededException',
      'Exceeded daily email limit for the operation or the account.',
      {
        kind: 'throttled',
      },
    );
    expect(cause('sign-up', error).cause).toBe('email-quota-exceeded');
  });

  it.each([
    ['InvalidLambdaResponseException', 'Invalid lambda function output : Invalid JSON', {}],
    [
      'UserLambdaValidationException',
      'PostConfirmation failed with error Invalid lambda function output : Invalid JSON.',
      { trigger: 'PostConfirmation', triggerError: 'Invalid lambda function output : Invalid JSON.' },
    ],
    [
      'UnexpectedLambdaException',
      'PreSignUp invocation failed due to error Invalid lambda function output : Invalid JSON.',
      { trigger: 'PreSignUp', triggerError: 'Invalid lambda function output : Invalid JSON.' },
    ],
  ] as const)(
    'reads %s "%s" as trigger-invalid-response, naming the trigger the message names',
    (name, message, located) => {
      expect(cause('sign-up', serviceError(name, message))).toEqual({
        cause: 'trigger-invalid-response',
        ...located,
      });
    },
  );

  it('reads "Unrecognizable lambda output" as trigger-invalid-response without a trigger', () => {
    expect(
      cause('sign-in', serviceError('InvalidLambdaResponseException', 'Unrecognizable lambda output')),
    ).toEqual({
      cause: 'trigger-invalid-response',
    });
  });

  it('names the function of an ARN and maps it to its trigger through the LambdaConfig', () => {
    const arn = 'arn:aws:lambda:us-east-1:123456789012:function:shop-auth-email';
    const error = serviceError(
      'UnexpectedLambdaException',
      `${arn} failed with error Socket timeout while invoking Lambda function.`,
    );
    expect(cause('sign-up', error)).toMatchObject({
      cause: 'trigger-failed',
      functionName: 'shop-auth-email',
    });
    expect(cause('sign-up', error, { triggerFunctions: { CustomMessage: arn } })).toMatchObject({
      trigger: 'CustomMessage',
      functionName: 'shop-auth-email',
    });
  });

  it("maps cognito-local's function name (where AWS writes the trigger) back to the trigger", () => {
    const error = serviceError('UserLambdaValidationException', 'preToken failed with error boom.');
    expect(
      cause('sign-in', error, {
        triggerFunctions: { PreTokenGeneration: 'arn:aws:lambda:local:000000000000:function:preToken' },
      }),
    ).toEqual({
      cause: 'trigger-failed',
      trigger: 'PreTokenGeneration',
      functionName: 'preToken',
      triggerError: 'boom.',
    });
  });

  it('names UserMigration for "Exception migrating user"', () => {
    expect(
      cause(
        'sign-in',
        serviceError('UserNotFoundException', `Exception migrating user in app client ${CLIENT}`),
      ),
    ).toEqual({ cause: 'user-not-found', trigger: 'UserMigration' });
  });
});

describe('toCanaryCause: ambiguous refusals resolved by the enrichment', () => {
  const refused = serviceError('NotAuthorizedException', '[redacted:username]');

  it.each([
    [undefined, 'incorrect-credentials'],
    [{ exists: false }, 'user-not-found'],
    [{ exists: true, enabled: false, status: 'CONFIRMED' }, 'user-disabled'],
    [{ exists: true, enabled: true, status: 'UNCONFIRMED' }, 'user-not-confirmed'],
    [{ exists: true, enabled: true, status: 'RESET_REQUIRED' }, 'password-reset-required'],
    [{ exists: true, enabled: true, status: 'FORCE_CHANGE_PASSWORD' }, 'new-password-required'],
    [{ exists: true, enabled: true, status: 'CONFIRMED' }, 'incorrect-credentials'],
  ])('a sign-in refusal with AdminGetUser %j is %s', (user, expected) => {
    expect(cause('sign-in', refused, user === undefined ? {} : { user }).cause).toBe(expected);
  });

  it('reads "Incorrect username or password." for a user that does not exist as user-not-found', () => {
    const error = serviceError('NotAuthorizedException', 'Incorrect username or password.');
    expect(cause('sign-in', error, { user: { exists: false } }).cause).toBe('user-not-found');
  });

  it.each([
    [false, 'refresh-token-revoked'],
    [true, 'refresh-token-invalid'],
    [undefined, 'refresh-token-invalid'],
  ])('a refresh refusal with the session access token live=%s is %s', (live, expected) => {
    expect(cause('refresh', refused, live === undefined ? {} : { accessTokenLive: live }).cause).toBe(
      expected,
    );
  });

  it("reads moto's bare ResourceNotFoundException naming the client id as client-not-found", () => {
    expect(cause('sign-in', serviceError('ResourceNotFoundException', CLIENT)).cause).toBe(
      'client-not-found',
    );
    expect(cause('sign-in', serviceError('ResourceNotFoundException', 'something else')).cause).toBe(
      'unknown',
    );
  });
});

describe('toChallengeCause', () => {
  it.each([
    ['NEW_PASSWORD_REQUIRED', false, 'new-password-required'],
    ['SOFTWARE_TOKEN_MFA', false, 'mfa-required'],
    ['SELECT_MFA_TYPE', false, 'mfa-required'],
    ['SMS_MFA', false, 'mfa-required'],
    ['EMAIL_OTP', false, 'mfa-required'],
    ['MFA_SETUP', false, 'mfa-not-enrolled'],
    ['SMS_MFA', true, 'mfa-not-enrolled'],
    ['EMAIL_OTP', true, 'mfa-not-enrolled'],
    ['MFA_SETUP', true, 'mfa-not-enrolled'],
    ['SOFTWARE_TOKEN_MFA', true, 'unexpected-challenge'],
    ['CUSTOM_CHALLENGE', false, 'unexpected-challenge'],
    ['NEW_PASSWORD_REQUIRED', true, 'new-password-required'],
  ] as const)('%s with a seed configured: %s → %s', (challenge, seedConfigured, expected) => {
    expect(toChallengeCause(challenge, seedConfigured)).toBe(expected);
  });
});

describe('canary cause properties', () => {
  const call = fc.constantFrom<CanaryCall>('sign-in', 'refresh', 'sign-up', 'custom-auth');
  const error = fc.record({
    name: fc.oneof(
      fc.string(),
      fc.constantFrom(
        'NotAuthorizedException',
        'UserLambdaValidationException',
        'UnexpectedLambdaException',
        'ResourceNotFoundException',
        'InvalidParameterException',
      ),
    ),
    message: fc.string({ maxLength: 300 }),
    kind: fc.constantFrom('service', 'throttled', 'network') as fc.Arbitrary<CanaryError['kind']>,
    attempts: fc.integer({ min: 1, max: 10 }),
  });

  it('never throws, whatever Cognito answers', () => {
    fc.assert(
      fc.property(call, error, (c, e) => {
        expect(() => toCanaryCause({ call: c, error: e })).not.toThrow();
      }),
    );
  });

  it('names the trigger of any "<Trigger> failed with error <text>" message', () => {
    fc.assert(
      fc.property(fc.constantFrom(...TRIGGERS), fc.string({ maxLength: 200 }), (trigger, text) => {
        expect(parseTriggerMessage(`${trigger} failed with error ${text}`)?.trigger).toBe(trigger);
        expect(
          parseTriggerMessage(`${trigger.toLowerCase()} invocation failed due to error ${text}`)?.trigger,
        ).toBe(trigger);
      }),
    );
  });
});
