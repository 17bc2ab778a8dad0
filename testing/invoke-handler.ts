/**
 * Calls a Node.js Lambda handler the way the Lambda runtime does, in this process: async handlers
 * (a returned promise) and callback-style handlers `(event, context, callback)` alike, with a
 * Lambda-shaped context and a deadline. What it returns is what Cognito would receive: the value
 * after a JSON round trip, the error's type and message, or a timeout.
 */
import { randomUUID } from 'node:crypto';
import { INVOCATION_TIMEOUT_MS, type Invocation } from './check-trigger';
import type { CognitoEvent } from './cognito-events';

/** A Lambda handler in either style. */
export type LambdaHandler = (
  event: CognitoEvent,
  context: LambdaContext,
  callback: LambdaCallback,
) => unknown;
export type LambdaCallback = (error?: unknown, result?: unknown) => void;

/** The parts of Lambda's context object handlers read. */
export interface LambdaContext {
  callbackWaitsForEmptyEventLoop: boolean;
  functionName: string;
  functionVersion: string;
  invokedFunctionArn: string;
  memoryLimitInMB: string;
  awsRequestId: string;
  logGroupName: string;
  logStreamName: string;
  getRemainingTimeInMillis(): number;
  done(error?: unknown, result?: unknown): void;
  fail(error: unknown): void;
  succeed(result: unknown): void;
}

export interface InvokeHandlerOptions {
  /** Name the context reports. Default `test-trigger`. */
  functionName?: string;
  /** Milliseconds before the invocation counts as timed out. Default 5000 (Cognito's wait). */
  timeoutMs?: number;
}

type Settled = { kind: 'value'; value: unknown } | { kind: 'error'; error: unknown } | { kind: 'timeout' };

const isThenable = (value: unknown): value is PromiseLike<unknown> =>
  typeof (value as PromiseLike<unknown> | undefined)?.then === 'function';

const toThrew = (error: unknown): Invocation => {
  if (error instanceof Error) return { kind: 'threw', errorType: error.name, errorMessage: error.message };
  // callback('Bad password') and thrown strings: Lambda reports them with the type `string`.
  return { kind: 'threw', errorType: typeof error, errorMessage: String(error) };
};

/** Invokes `handler` once with `event`; never rejects. */
export const invokeHandler = async (
  handler: LambdaHandler,
  event: CognitoEvent,
  { functionName = 'test-trigger', timeoutMs = INVOCATION_TIMEOUT_MS }: InvokeHandlerOptions = {},
): Promise<Invocation> => {
  const deadline = Date.now() + timeoutMs;
  const settled = await new Promise<Settled>((resolve) => {
    let done = false;
    const settle = (result: Settled) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      resolve(result);
    };
    const timer = setTimeout(() => settle({ kind: 'timeout' }), timeoutMs);
    const callback: LambdaCallback = (error, result) =>
      settle(
        error === undefined || error === null ? { kind: 'value', value: result } : { kind: 'error', error },
      );
    const context: LambdaContext = {
      callbackWaitsForEmptyEventLoop: true,
      functionName,
      functionVersion: '$LATEST',
      invokedFunctionArn: `arn:aws:lambda:us-east-1:123456789012:function:${functionName}`,
      memoryLimitInMB: '128',
      awsRequestId: randomUUID(),
      logGroupName: `/aws/lambda/${functionName}`,
      logStreamName: 'test-trigger',
      getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
      done: callback,
      fail: (error) => callback(error ?? new Error('failed')),
      succeed: (result) => callback(null, result),
    };
    try {
      const returned = handler(event, context, callback);
      if (isThenable(returned)) {
        returned.then(
          (value) => settle({ kind: 'value', value }),
          (error: unknown) => settle({ kind: 'error', error }),
        );
      } else if (handler.length < 3) {
        // A synchronous handler without a callback: its return value is the result.
        settle({ kind: 'value', value: returned });
      }
    } catch (error) {
      settle({ kind: 'error', error });
    }
  });
  if (settled.kind === 'timeout') return { kind: 'timed-out', afterMs: timeoutMs };
  if (settled.kind === 'error') return toThrew(settled.error);
  if (settled.value === undefined) return { kind: 'returned', value: undefined };
  try {
    // Cognito receives JSON: functions, undefined values and class instances do not survive.
    return { kind: 'returned', value: JSON.parse(JSON.stringify(settled.value)) };
  } catch (error) {
    return toThrew(error);
  }
};
