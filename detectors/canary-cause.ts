/**
 * Maps what Cognito answered the canary (exception name and message, plus the AdminGetUser and
 * GetUser enrichment) to a cause id, and names the trigger when the message names one.
 *
 * Pure. Messages are AWS's verbatim texts where known (docs/cognito-triggers-and-logs.md); moto and
 * cognito-local word some of them differently (moto's NotAuthorizedException carries the username
 * or the token as its message), which is why ambiguous refusals fall back to the enrichment.
 * Trigger messages: `<Trigger> failed with error <text>` (UserLambdaValidationException),
 * `<Trigger> invocation failed due to error <text>` (UnexpectedLambdaException), the same with a
 * function ARN instead of the trigger name, `Unrecognizable lambda output`
 * (InvalidLambdaResponseException). cognito-local writes the function name where AWS writes the
 * trigger; the pool's LambdaConfig (`triggerFunctions`) maps it back.
 */
import { TRIGGERS, type TriggerName } from '../contracts/triggers';
import type { CanaryError, CanaryUserState, TriggerFunctions } from './canary-observations';
import type { Cause } from './types';

/** Which call of the canary failed; the same message can mean different things in each. */
export const CANARY_CALLS = ['sign-in', 'refresh', 'sign-up', 'custom-auth'] as const;
export type CanaryCall = (typeof CANARY_CALLS)[number];

export interface CauseInput {
  call: CanaryCall;
  error: CanaryError;
  /** The app client used, to recognise moto's bare `ResourceNotFoundException: <clientId>`. */
  clientId?: string;
  /** AdminGetUser after a refusal (sign-in, custom-auth). */
  user?: CanaryUserState;
  /** After a refused refresh: does GetUser still accept the access token of the same session? */
  accessTokenLive?: boolean;
  triggerFunctions?: TriggerFunctions;
  /** The sign-in's MFA step, when Cognito asked for a second factor. */
  mfa?: { seedConfigured: boolean; answered: boolean };
}

/** Challenges that ask for a second factor. */
export const MFA_CHALLENGES = [
  'SOFTWARE_TOKEN_MFA',
  'SMS_MFA',
  'EMAIL_OTP',
  'MFA_SETUP',
  'SELECT_MFA_TYPE',
] as const;
export type MfaChallenge = (typeof MFA_CHALLENGES)[number];

/** Whether a challenge asks for a second factor. */
export const isMfaChallenge = (challengeName: string): challengeName is MfaChallenge =>
  (MFA_CHALLENGES as readonly string[]).includes(challengeName);

/** One-time codes Cognito sends by SMS or email: a canary has no phone or mailbox to read them from. */
export const UNREADABLE_OTP_CHALLENGES: ReadonlySet<string> = new Set(['SMS_MFA', 'EMAIL_OTP']);

export interface CauseResult {
  cause: Cause;
  /** The LambdaConfig key of the trigger the message names (directly, or through its function). */
  trigger?: TriggerName;
  /** The function the message names, when it names a function rather than a trigger. */
  functionName?: string;
  /** The trigger's own error text (`callback is not a function.`), when the message carries one. */
  triggerError?: string;
}

/** A trigger error message taken apart. */
export interface TriggerMessage {
  /** `failed`: the function threw or timed out; `invocation-failed`: Cognito could not invoke it; `invalid-output`: unusable response. */
  form: 'failed' | 'invocation-failed' | 'invalid-output';
  trigger?: TriggerName;
  functionName?: string;
  detail?: string;
}

const FAILED_WITH = /^\s*(\S+) failed with error ([\s\S]*)$/;
const INVOCATION_FAILED = /^\s*(\S+) invocation failed due to error ([\s\S]*)$/;
/** The messages that name a trigger or function and a detail, in the order they are tried. */
const SUBJECT_FORMS = [
  ['invocation-failed', INVOCATION_FAILED],
  ['failed', FAILED_WITH],
] as const satisfies readonly (readonly [TriggerMessage['form'], RegExp])[];
const INVALID_OUTPUT = /unrecognizable lambda output|invalid lambda response|invalid lambda function output/i;
/** `LimitExceededException: Exceeded daily email limit for the operation or the account. ...` */
const EMAIL_QUOTA = /exceeded daily email limit/i;
/** `InvalidParameterException: Custom auth lambda trigger is not configured for the user pool.` */
const CUSTOM_AUTH_NOT_CONFIGURED = /custom auth lambda trigger is not configured/i;
/** `InvalidParameterException: Initiate Auth method not supported.` (e.g. ADMIN_USER_PASSWORD_AUTH sent to InitiateAuth) */
const AUTH_FLOW_NOT_SUPPORTED = /initiate auth method not supported/i;
const LAMBDA_ARN = /^arn:aws[\w-]*:lambda:[\w-]+:\d{12}:function:([\w-]+)(?::[\w$-]+)?$/;
const TIMEOUT = /timed? ?out|socket timeout/i;

/** The function name of a Lambda ARN, or the value itself when it is not an ARN. */
const functionNameOf = (nameOrArn: string): string => LAMBDA_ARN.exec(nameOrArn)?.[1] ?? nameOrArn;

const triggerNamed = (word: string): TriggerName | undefined =>
  TRIGGERS.find((trigger) => trigger.toLowerCase() === word.toLowerCase());

const triggerServedBy = (
  functionName: string,
  triggerFunctions: TriggerFunctions | undefined,
): TriggerName | undefined => {
  if (triggerFunctions === undefined) return undefined;
  for (const trigger of TRIGGERS) {
    const configured = triggerFunctions[trigger];
    if (configured !== undefined && functionNameOf(configured) === functionName) return trigger;
  }
  return undefined;
};

const subjectOf = (
  subject: string,
  triggerFunctions: TriggerFunctions | undefined,
): Pick<TriggerMessage, 'trigger' | 'functionName'> => {
  const named = triggerNamed(subject);
  if (named !== undefined) return { trigger: named };
  const functionName = functionNameOf(subject);
  const served = triggerServedBy(functionName, triggerFunctions);
  return { functionName, ...(served === undefined ? {} : { trigger: served }) };
};

/** Reads a trigger error message; `undefined` when the message is not one. */
export const parseTriggerMessage = (
  message: string,
  triggerFunctions?: TriggerFunctions,
): TriggerMessage | undefined => {
  for (const [form, pattern] of SUBJECT_FORMS) {
    const match = pattern.exec(message);
    if (match) {
      return { form, ...subjectOf(match[1] ?? '', triggerFunctions), detail: (match[2] ?? '').trim() };
    }
  }
  if (INVALID_OUTPUT.test(message)) return { form: 'invalid-output' };
  return undefined;
};

const TRIGGER_EXCEPTIONS = new Set([
  'UserLambdaValidationException',
  'UnexpectedLambdaException',
  // cognito-local's spelling.
  'UnexpectedLambdaExceptionException',
  'InvalidLambdaResponseException',
]);

const ACCESS_DENIED = new Set([
  'AccessDeniedException',
  'AccessDenied',
  'UnrecognizedClientException',
  'InvalidClientTokenId',
  'InvalidSignatureException',
  'SignatureDoesNotMatch',
  'ExpiredTokenException',
  'MissingAuthenticationTokenException',
  'CredentialsProviderError',
]);

const THROTTLING = new Set([
  'TooManyRequestsException',
  'ThrottlingException',
  'Throttling',
  'LimitExceededException',
  'RequestLimitExceeded',
]);

const triggerCause = (input: CauseInput): CauseResult => {
  const { error } = input;
  const parsed = parseTriggerMessage(error.message, input.triggerFunctions);
  const located = {
    ...(parsed?.trigger === undefined ? {} : { trigger: parsed.trigger }),
    ...(parsed?.functionName === undefined ? {} : { functionName: parsed.functionName }),
    ...(parsed?.detail === undefined || parsed.detail === '' ? {} : { triggerError: parsed.detail }),
  };
  // `<Trigger> failed with error Invalid lambda function output : Invalid JSON`: the trigger ran
  // but its output was unusable, whichever exception carries the text.
  if (
    error.name === 'InvalidLambdaResponseException' ||
    parsed?.form === 'invalid-output' ||
    INVALID_OUTPUT.test(parsed?.detail ?? '')
  ) {
    return { cause: 'trigger-invalid-response', ...located };
  }
  if (error.name === 'UserLambdaValidationException') return { cause: 'trigger-failed', ...located };
  // UnexpectedLambdaException: a timeout is the function being too slow; anything else (permission
  // denied, function deleted, Lambda throttling) means Cognito could not run it at all.
  const detail = parsed?.detail ?? error.message;
  return { cause: TIMEOUT.test(detail) ? 'trigger-failed' : 'trigger-unreachable', ...located };
};

/** Sign-in or custom-auth refusal without a telling message: the user's state says why. */
const refusalFromUser = (user: CanaryUserState | undefined): Cause => {
  if (user === undefined) return 'incorrect-credentials';
  if (!user.exists) return 'user-not-found';
  if (user.enabled === false) return 'user-disabled';
  switch (user.status) {
    case 'UNCONFIRMED':
      return 'user-not-confirmed';
    case 'RESET_REQUIRED':
      return 'password-reset-required';
    case 'FORCE_CHANGE_PASSWORD':
      return 'new-password-required';
    default:
      return 'incorrect-credentials';
  }
};

const notAuthorizedCause = (input: CauseInput): Cause => {
  const { message } = input.error;
  if (/user is disabled/i.test(message)) return 'user-disabled';
  if (/secret.?hash/i.test(message)) return 'secret-hash-mismatch';
  if (/(refresh|access) token has been revoked/i.test(message)) return 'refresh-token-revoked';
  if (/invalid refresh token/i.test(message)) return 'refresh-token-invalid';
  if (/is not authorized to perform/i.test(message)) return 'access-denied';
  if (input.call === 'refresh') {
    if (input.accessTokenLive === false) return 'refresh-token-revoked';
    return 'refresh-token-invalid';
  }
  if (input.call === 'sign-up') return 'unknown';
  if (/incorrect username or password/i.test(message) && input.user?.exists === false)
    return 'user-not-found';
  if (/incorrect username or password|password attempts exceeded/i.test(message)) {
    return 'incorrect-credentials';
  }
  return refusalFromUser(input.user);
};

const resourceNotFoundCause = (input: CauseInput): Cause => {
  const { message } = input.error;
  if (/user pool client/i.test(message)) return 'client-not-found';
  if (/user pool \S+ does not exist/i.test(message)) return 'pool-not-found';
  if (/username\/client id combination/i.test(message)) return 'user-not-found';
  if (input.clientId !== undefined && message.includes(input.clientId)) return 'client-not-found';
  return 'unknown';
};

/**
 * The cause of a failed canary call. Never throws; an error it cannot place is `unknown`, and the
 * finding's evidence then carries the exception and message.
 */
export const toCanaryCause = (input: CauseInput): CauseResult => {
  const { error } = input;
  if (error.kind === 'network') return { cause: 'network' };
  // Before throttling: the email quota shares LimitExceededException with it.
  if (EMAIL_QUOTA.test(error.message)) return { cause: 'email-quota-exceeded' };
  if (CUSTOM_AUTH_NOT_CONFIGURED.test(error.message)) return { cause: 'custom-auth-not-configured' };
  if (AUTH_FLOW_NOT_SUPPORTED.test(error.message)) return { cause: 'auth-flow-not-supported' };
  if (error.kind === 'throttled' || THROTTLING.has(error.name)) return { cause: 'throttled' };
  if (TRIGGER_EXCEPTIONS.has(error.name)) return triggerCause(input);
  if (ACCESS_DENIED.has(error.name)) return { cause: 'access-denied' };
  switch (error.name) {
    case 'UserNotConfirmedException':
      return { cause: 'user-not-confirmed' };
    case 'PasswordResetRequiredException':
      return { cause: 'password-reset-required' };
    case 'UserNotFoundException':
      // The UserMigration trigger found nothing for a user Cognito does not know yet.
      return /migrating user/i.test(error.message)
        ? { cause: 'user-not-found', trigger: 'UserMigration' }
        : { cause: 'user-not-found' };
    case 'TooManyFailedAttemptsException':
      return { cause: 'incorrect-credentials' };
    // AWS: `CodeMismatchException: Invalid code or auth state for the user.` for a wrong or reused
    // TOTP code; EnableSoftwareTokenMFAException when VerifySoftwareToken refuses one.
    case 'CodeMismatchException':
    case 'ExpiredCodeException':
    case 'EnableSoftwareTokenMFAException':
      return { cause: 'mfa-code-rejected' };
    case 'SoftwareTokenMFANotFoundException':
      return { cause: 'mfa-not-enrolled' };
    case 'ResourceNotFoundException':
      return { cause: resourceNotFoundCause(input) };
    case 'InvalidParameterException':
      if (/flow not enabled|not enabled for (this )?client/i.test(error.message))
        return { cause: 'flow-not-enabled' };
      if (/secret.?hash/i.test(error.message)) return { cause: 'secret-hash-mismatch' };
      return { cause: 'unknown' };
    case 'NotAuthorizedException':
      return { cause: notAuthorizedCause(input) };
    default:
      return { cause: 'unknown' };
  }
};

/**
 * The cause of a sign-in that ended on a challenge instead of tokens. MFA challenges name what is
 * missing: `MFA_SETUP` (MFA required, no factor enrolled) and an SMS or email code while a TOTP
 * seed is configured (the user's TOTP factor is not enabled or not preferred) are
 * `mfa-not-enrolled`; a TOTP challenge without a seed, or an SMS or email code the canary cannot
 * read, is `mfa-required`.
 */
export const toChallengeCause = (challengeName: string, seedConfigured = false): Cause => {
  if (challengeName === 'NEW_PASSWORD_REQUIRED') return 'new-password-required';
  if (challengeName === 'MFA_SETUP') return 'mfa-not-enrolled';
  if (UNREADABLE_OTP_CHALLENGES.has(challengeName))
    return seedConfigured ? 'mfa-not-enrolled' : 'mfa-required';
  if ((challengeName === 'SOFTWARE_TOKEN_MFA' || challengeName === 'SELECT_MFA_TYPE') && !seedConfigured) {
    return 'mfa-required';
  }
  return 'unexpected-challenge';
};
