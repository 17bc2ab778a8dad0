/**
 * What a failed call was: Cognito's answer (an exception with a name and an HTTP status), Cognito
 * throttling, or the network (no answer, connection refused or reset, DNS, timeout). Decides what
 * the canary retries and how the failure reads in the observation.
 */
import type { CanaryError, CanaryErrorKind } from '../detectors/canary-observations';
import { asAwsErrorLike, httpStatusOf, networkCodeOf } from '../runtime/aws-error';
import type { Scrubber } from './scrub';

const THROTTLING = new Set([
  'TooManyRequestsException',
  'ThrottlingException',
  'Throttling',
  'ThrottledException',
  'LimitExceededException',
  'RequestLimitExceeded',
  'SlowDown',
]);

const NETWORK_NAMES = new Set([
  'TimeoutError',
  'AbortError',
  'RequestTimeout',
  'RequestTimeoutException',
  'NetworkingError',
]);

/** How a failed call is classified, and whether another attempt may help. */
export interface ErrorClass {
  kind: CanaryErrorKind;
  retryable: boolean;
  name: string;
}

/**
 * Cognito's daily quota for the email it sends itself: `LimitExceededException: Exceeded daily
 * email limit for the operation or the account. ...`. Shares the exception name with throttling,
 * but lasts until the quota resets: retrying only spends the canary's budget.
 */
export const isEmailQuotaMessage = (message: string): boolean => /exceeded daily email limit/i.test(message);

export const classifyError = (error: unknown): ErrorClass => {
  const like = asAwsErrorLike(error);
  const name = typeof like.name === 'string' && like.name !== '' ? like.name : 'Error';
  const status = httpStatusOf(error);
  if (typeof like.message === 'string' && isEmailQuotaMessage(like.message))
    return { kind: 'service', retryable: false, name };
  if (THROTTLING.has(name) || status === 429) return { kind: 'throttled', retryable: true, name };
  // The error and three causes deep: as far as the SDK and undici nest a socket error.
  const code = networkCodeOf(error, 4);
  if (code !== undefined) return { kind: 'network', retryable: true, name: code };
  if (NETWORK_NAMES.has(name) && status === undefined) return { kind: 'network', retryable: true, name };
  if (status !== undefined && status >= 500) return { kind: 'service', retryable: true, name };
  return { kind: 'service', retryable: false, name };
};

/** The observation form of a failed call: classified, with its message scrubbed. */
export const toCanaryError = (error: unknown, attempts: number, scrubber: Scrubber): CanaryError => {
  const { kind, name } = classifyError(error);
  const like = asAwsErrorLike(error);
  const raw = typeof like.message === 'string' ? like.message : String(error);
  // The SDK appends a hint about a hidden `$response` field to deserialisation errors; it is noise.
  const message = scrubber.scrub(raw.replace(/\s*Deserialization error:[\s\S]*$/, '').trim());
  const status = httpStatusOf(error);
  return { name, message, kind, attempts, ...(status === undefined ? {} : { httpStatus: status }) };
};
