/**
 * The log lines and error documents the Lambda Node.js runtime writes, as pure functions: what the
 * local invoke server records for each invocation and returns to its caller.
 *
 * Facts: docs/cognito-triggers-and-logs.md (text runtime format, platform lines) (RIC `src/LogPatch.js`,
 * `src/Errors.js`, `src/CallbackContext.js`).
 */
import { format } from 'node:util';

/** The runtime's level for each patched console method (`console.log` is INFO, as in the RIC). */
export const CONSOLE_LEVELS = {
  log: 'INFO',
  info: 'INFO',
  warn: 'WARN',
  error: 'ERROR',
  debug: 'DEBUG',
  trace: 'TRACE',
} as const;
export type ConsoleMethod = keyof typeof CONSOLE_LEVELS;
export type RuntimeLogLevel = (typeof CONSOLE_LEVELS)[ConsoleMethod];
export const CONSOLE_METHODS = Object.keys(CONSOLE_LEVELS) as ConsoleMethod[];

/** The invoke-response error document (`toRapidResponse`): `trace`, not `stack`. */
export interface LambdaErrorDocument {
  errorType: string;
  errorMessage: string;
  trace?: string[];
}

/** The invoke-response body of a timed-out invocation. */
export interface LambdaTimeoutDocument {
  errorMessage: string;
}

/** Fields of a text-format `REPORT` line. Durations in milliseconds, memory in MB. */
export interface ReportFields {
  requestId: string;
  durationMs: number;
  memorySizeMb: number;
  maxMemoryUsedMb: number;
  /** Present on the first invocation a sandbox serves (a cold start). */
  initDurationMs?: number;
  /** `timeout` on a timed-out invocation; absent otherwise, as in text logs. */
  status?: 'timeout';
}

const iso = (timestampMs: number): string => new Date(timestampMs).toISOString();

/**
 * An application line in the text log format: `<ISO>\t<requestId>\t<LEVEL>\t<util.format(args)>`.
 * Newlines stay inside the message: the runtime's telemetry framing keeps one call as one event.
 */
export const toApplicationLine = (
  timestampMs: number,
  requestId: string,
  level: RuntimeLogLevel,
  args: readonly unknown[],
): string => `${iso(timestampMs)}\t${requestId}\t${level}\t${format(...args)}`;

/** `START RequestId: <id> Version: $LATEST` */
export const toStartLine = (requestId: string, version = '$LATEST'): string =>
  `START RequestId: ${requestId} Version: ${version}`;

/** `END RequestId: <id>` */
export const toEndLine = (requestId: string): string => `END RequestId: ${requestId}`;

/**
 * `REPORT RequestId: <id>\tDuration: 12.34 ms\tBilled Duration: 13 ms\tMemory Size: 128 MB\tMax
 * Memory Used: 70 MB\t` plus `Init Duration: N ms\t` on a cold start and `Status: timeout` on a
 * timeout. Billing is per started millisecond (1 ms granularity since 2020).
 */
export const toReportLine = ({
  requestId,
  durationMs,
  memorySizeMb,
  maxMemoryUsedMb,
  initDurationMs,
  status,
}: ReportFields): string => {
  const billedMs = Math.max(1, Math.ceil(durationMs));
  let line =
    `REPORT RequestId: ${requestId}\tDuration: ${durationMs.toFixed(2)} ms\tBilled Duration: ${billedMs} ms\t` +
    `Memory Size: ${memorySizeMb} MB\tMax Memory Used: ${maxMemoryUsedMb} MB\t`;
  if (initDurationMs !== undefined) line += `Init Duration: ${initDurationMs.toFixed(2)} ms\t`;
  if (status !== undefined) line += `Status: ${status}`;
  return line;
};

/**
 * `<ISO> <requestId> Task timed out after 3.00 seconds`: both the log line and the `errorMessage`
 * of the invoke response. The seconds are the elapsed time, two decimals.
 */
export const toTimeoutMessage = (timestampMs: number, requestId: string, elapsedMs: number): string =>
  `${iso(timestampMs)} ${requestId} Task timed out after ${(elapsedMs / 1000).toFixed(2)} seconds`;

const isErrorLike = (value: unknown): value is Error =>
  value instanceof Error ||
  (typeof value === 'object' &&
    value !== null &&
    typeof (value as Error).name === 'string' &&
    typeof (value as Error).message === 'string' &&
    typeof (value as Error).stack === 'string' &&
    (value as Error).name !== '' &&
    (value as Error).message !== '');

/** The invoke-response error document for a thrown value (RIC `toRapidResponse`). */
export const toErrorDocument = (error: unknown): LambdaErrorDocument => {
  try {
    if (isErrorLike(error)) {
      return {
        errorType: error.name,
        errorMessage: error.message,
        trace: typeof error.stack === 'string' ? error.stack.split('\n') : [],
      };
    }
    return {
      errorType: typeof error,
      errorMessage: String((error as { toString(): string }).toString()),
      trace: [],
    };
  } catch {
    return {
      errorType: 'handled',
      errorMessage:
        'callback called with Error argument, but there was a problem while retrieving one or more of its message, name, and stack',
    };
  }
};

/** RIC `_withEnumerableProperties`: an Error as `{errorType, errorMessage, code, ...own props, stack[]}`. */
const withEnumerableProperties = (_key: string, value: unknown): unknown => {
  if (!(value instanceof Error)) return value;
  const record: Record<string, unknown> = {
    errorType: value.name,
    errorMessage: value.message,
    code: (value as Error & { code?: unknown }).code,
    ...value,
  };
  if (typeof value.stack === 'string') record.stack = value.stack.split('\n');
  return record;
};

/** RIC `toFormatted`: a tab, then the error as JSON. */
const toFormatted = (error: unknown): string => {
  try {
    return `\t${JSON.stringify(error, withEnumerableProperties)}`;
  } catch {
    return `\t${JSON.stringify(toErrorDocument(error))}`;
  }
};

/**
 * The runtime's line for a handler that threw or rejected:
 * `<ISO>\t<requestId>\tERROR\tInvoke Error \t{"errorType":...,"errorMessage":...,"stack":[...]}`.
 */
export const toInvokeErrorLine = (timestampMs: number, requestId: string, error: unknown): string =>
  toApplicationLine(timestampMs, requestId, 'ERROR', ['Invoke Error', toFormatted(error)]);
