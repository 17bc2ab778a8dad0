/**
 * A local stand-in for Lambda's Invoke API that runs our own handlers in this process: what
 * cognito-local (or any Lambda client) calls to invoke a trigger, for tests and `npm start`'s demo.
 *
 * `POST /2015-03-31/functions/{name}/invocations` (name may carry `:qualifier`, be a full or
 * partial ARN, or come with `?Qualifier=`) answers as Lambda does:
 * - success: 200, the handler's result as JSON (`null` for undefined);
 * - thrown error or rejection: 200, `X-Amz-Function-Error: Unhandled`,
 *   `{"errorType","errorMessage","trace":[...]}`;
 * - past the function's timeout: 200, `X-Amz-Function-Error: Unhandled`,
 *   `{"errorMessage":"<ts> <requestId> Task timed out after N.NN seconds"}`;
 * - unknown function: 404 `ResourceNotFoundException`; bad JSON: 400 `InvalidRequestContentException`;
 * - `X-Amz-Invocation-Type: Event` 202 (runs in the background), `DryRun` 204;
 *   `X-Amz-Log-Type: Tail` adds `X-Amz-Log-Result` (base64 of the last 4 KB of the invocation's log).
 *
 * Each invocation's log is recorded as Lambda's text log format writes it (START, the handler's
 * console lines, `Invoke Error`, `Task timed out`, END, REPORT) and handed to `onLogs` listeners
 * before the response is sent, so a caller that got its answer can read the logs.
 *
 * Sandboxes are modelled as Lambda runs them: an invocation reuses an idle sandbox of the function
 * (same log stream, warm) or starts a new one (new log stream, `Init Duration` in REPORT); a
 * timeout discards its sandbox; `setFunction` (a deploy) discards them all.
 *
 * Limits, on purpose: handlers run in this process, so a timed-out handler keeps running (its
 * late console lines are dropped) and `Max Memory Used` is this process's V8 heap, capped at the
 * function's memory size. `Init Duration` measures the local sandbox set-up, which is near zero.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Context } from 'aws-lambda';
import { SentinelError } from '../../runtime/errors';
import type { LogLine } from '../subscription-payload';
import { type CaptureScope, installConsoleCapture, runCaptured } from './console-capture';
import {
  type LambdaErrorDocument,
  type LambdaTimeoutDocument,
  toEndLine,
  toErrorDocument,
  toInvokeErrorLine,
  toReportLine,
  toStartLine,
  toTimeoutMessage,
} from './lambda-log-lines';

/** Lambda's default function timeout. */
export const DEFAULT_FUNCTION_TIMEOUT_MS = 3_000;
/** Lambda's default memory size. */
export const DEFAULT_MEMORY_SIZE_MB = 128;
/** Lambda's synchronous invocation payload limit (6 MB). */
export const MAX_REQUEST_BYTES = 6_291_456;
const MAX_TIMEOUT_MS = 900_000;
const TAIL_BYTES = 4_096;
const FUNCTION_NAME = /^[A-Za-z0-9_-]{1,64}$/;
const INVOKE_PATH = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/;

/** A function the server can invoke. */
export interface LocalFunction {
  /**
   * The handler, as Lambda calls it: the event is whatever JSON the caller sent. Typed `any` so a
   * handler written for one event type (a middy handler of `PreSignUpTriggerEvent`) fits without a
   * cast, including inline, where an `unknown` here would make middy infer `never`.
   */
  // biome-ignore lint/suspicious/noExplicitAny: the invoke boundary carries arbitrary JSON to typed handlers.
  handler(event: any, context: Context): Promise<any>;
  /** The function's timeout in milliseconds (Lambda's default 3000, at most 900000). */
  timeoutMs?: number;
  /** The function's memory size in MB (Lambda's default 128; 128 to 10240). */
  memorySizeMb?: number;
}

/** One invocation's log events, in order, as they would land in the function's log group. */
export interface LambdaLogBatch {
  functionName: string;
  /** `/aws/lambda/<functionName>` */
  logGroup: string;
  /** `YYYY/MM/DD/[$LATEST]<32 hex>`, one per sandbox. */
  logStream: string;
  requestId: string;
  lines: LogLine[];
}

export type LambdaLogListener = (batch: LambdaLogBatch) => void;

export interface LambdaInvokeServerOptions {
  functions: Record<string, LocalFunction>;
  /** Loopback address to listen on. Default `127.0.0.1`. */
  host?: string;
  /** Region in function ARNs (`invokedFunctionArn`, error messages). Default `us-east-1`. */
  region?: string;
  /** Account id in function ARNs. Default `123456789012`. */
  accountId?: string;
}

/** A running local Invoke API. */
export interface LambdaInvokeServer {
  /** `http://127.0.0.1:<port>`: use as the Lambda client endpoint (cognito-local's `LambdaClient.endpoint`). */
  readonly endpoint: string;
  /** Calls `listener` once per finished invocation with its log lines. Returns an unsubscribe function. */
  onLogs(listener: LambdaLogListener): () => void;
  /** Adds a function or replaces its code (a deploy: warm sandboxes are discarded, the next call is cold). */
  setFunction(name: string, fn: LocalFunction): void;
  /** Invocations of `name` started since the server started (across `setFunction` swaps); 0 when unknown. */
  invocations(name: string): number;
  /** Stops listening, closes open connections and releases the console capture. Idempotent. */
  stop(): Promise<void>;
}

/** Thrown for a function definition Lambda would refuse. */
export class LocalFunctionConfigError extends SentinelError {
  override readonly name = 'LocalFunctionConfigError';
  readonly code = 'local-function-config';
}

interface Sandbox {
  readonly logStream: string;
  readonly generation: number;
}

interface FunctionState {
  fn: Required<Pick<LocalFunction, 'timeoutMs' | 'memorySizeMb'>> & Pick<LocalFunction, 'handler'>;
  generation: number;
  idle: Sandbox[];
  invocations: number;
}

type Outcome =
  | { kind: 'value'; payload: string }
  | { kind: 'error'; document: LambdaErrorDocument }
  | { kind: 'timeout'; document: LambdaTimeoutDocument };

/** How the handler finished, before it is turned into a response. */
type Settled = { kind: 'returned'; value: unknown } | { kind: 'threw'; error: unknown } | { kind: 'timeout' };

interface InvocationResult {
  requestId: string;
  version: string;
  outcome: Outcome;
  lines: LogLine[];
}

const MIB = 1024 * 1024;

const validateFunction = (name: string, fn: LocalFunction): FunctionState['fn'] => {
  if (!FUNCTION_NAME.test(name)) {
    throw new LocalFunctionConfigError(
      `Function name ${JSON.stringify(name)} is not a valid Lambda function name (1-64 of A-Z a-z 0-9 - _)`,
    );
  }
  if (typeof fn?.handler !== 'function') {
    throw new LocalFunctionConfigError(`Function ${name}: handler must be a function`);
  }
  const timeoutMs = fn.timeoutMs ?? DEFAULT_FUNCTION_TIMEOUT_MS;
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0 || timeoutMs > MAX_TIMEOUT_MS) {
    throw new LocalFunctionConfigError(
      `Function ${name}: timeoutMs must be a number of milliseconds in (0, ${MAX_TIMEOUT_MS}], got ${timeoutMs}`,
    );
  }
  const memorySizeMb = fn.memorySizeMb ?? DEFAULT_MEMORY_SIZE_MB;
  if (!Number.isInteger(memorySizeMb) || memorySizeMb < 128 || memorySizeMb > 10_240) {
    throw new LocalFunctionConfigError(
      `Function ${name}: memorySizeMb must be an integer from 128 to 10240, got ${memorySizeMb}`,
    );
  }
  return { handler: fn.handler.bind(fn), timeoutMs, memorySizeMb };
};

/** `name`, `name:qualifier`, `arn:aws:lambda:<region>:<account>:function:name[:qualifier]`, `<account>:function:name`. */
const parseFunctionRef = (raw: string, queryQualifier: string | null) => {
  const parts = raw.split(':');
  let name: string;
  let qualifier: string | undefined;
  if (parts[0] === 'arn') {
    name = parts[6] ?? '';
    qualifier = parts[7];
  } else if (parts[1] === 'function') {
    name = parts[2] ?? '';
    qualifier = parts[3];
  } else {
    name = parts[0] ?? '';
    qualifier = parts[1];
  }
  return { name, qualifier: qualifier ?? queryQualifier ?? undefined };
};

/** A published version number is reported as itself; `$LATEST` and aliases run `$LATEST` here. */
const toVersion = (qualifier: string | undefined): string =>
  qualifier !== undefined && /^\d+$/.test(qualifier) ? qualifier : '$LATEST';

const toLogStream = (now: Date, version: string): string =>
  `${now.toISOString().slice(0, 10).replaceAll('-', '/')}/[${version}]${randomBytes(16).toString('hex')}`;

const maxMemoryUsedMb = (memorySizeMb: number): number =>
  Math.min(memorySizeMb, Math.max(1, Math.ceil(process.memoryUsage().heapUsed / MIB)));

const readBody = (request: IncomingMessage): Promise<Buffer | 'too-large'> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_REQUEST_BYTES) tooLarge = true;
      else chunks.push(chunk);
    });
    request.on('end', () => resolve(tooLarge ? 'too-large' : Buffer.concat(chunks)));
    request.on('error', reject);
  });

const sendJson = (
  response: ServerResponse,
  status: number,
  body: string,
  headers: Record<string, string> = {},
): void => {
  if (response.destroyed || response.writableEnded) return;
  response.writeHead(status, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(body),
    ...headers,
  });
  response.end(body);
};

/** Lambda's service errors: `x-amzn-ErrorType` header, `{"Type","Message"}` body. */
const sendServiceError = (
  response: ServerResponse,
  status: number,
  errorType: string,
  message: string,
  type: 'User' | 'Service' = 'User',
): void =>
  sendJson(response, status, JSON.stringify({ Type: type, Message: message, message }), {
    'x-amzn-ErrorType': errorType,
    'x-amzn-RequestId': randomUUID(),
  });

const toTail = (lines: readonly LogLine[]): string => {
  const text = Buffer.from(`${lines.map((line) => line.message).join('\n')}\n`, 'utf8');
  return text.subarray(Math.max(0, text.length - TAIL_BYTES)).toString('base64');
};

/**
 * Starts the server on a free port of `host` (default 127.0.0.1). Also wraps `console.*` while it
 * runs, so handler output is captured per invocation; output from outside invocations is untouched.
 */
export const startLambdaInvokeServer = async ({
  functions,
  host = '127.0.0.1',
  region = 'us-east-1',
  accountId = '123456789012',
}: LambdaInvokeServerOptions): Promise<LambdaInvokeServer> => {
  const states = new Map<string, FunctionState>();
  const listeners = new Set<LambdaLogListener>();
  let stopped = false;

  const setFunction = (name: string, fn: LocalFunction): void => {
    const validated = validateFunction(name, fn);
    const existing = states.get(name);
    if (existing) {
      existing.fn = validated;
      existing.generation++;
      existing.idle = [];
    } else {
      states.set(name, { fn: validated, generation: 0, idle: [], invocations: 0 });
    }
  };
  for (const [name, fn] of Object.entries(functions)) setFunction(name, fn);

  const functionArn = (name: string, qualifier?: string) =>
    `arn:aws:lambda:${region}:${accountId}:function:${name}${qualifier ? `:${qualifier}` : ''}`;

  const emitLogs = (batch: LambdaLogBatch): void => {
    if (stopped) return;
    for (const listener of listeners) {
      try {
        listener(batch);
      } catch (error) {
        // A broken listener must not fail the invocation it observes, nor hide the others.
        console.error(`lambda-invoke-server: an onLogs listener threw for ${batch.logGroup}:`, error);
      }
    }
  };

  const invoke = async (
    name: string,
    state: FunctionState,
    event: unknown,
    qualifier: string | undefined,
  ): Promise<InvocationResult> => {
    const { fn, generation } = state;
    state.invocations++;
    const requestId = randomUUID();
    const version = toVersion(qualifier);

    let initDurationMs: number | undefined;
    let sandbox = state.idle.pop();
    if (sandbox === undefined) {
      const initStarted = performance.now();
      sandbox = { logStream: toLogStream(new Date(), version), generation };
      initDurationMs = performance.now() - initStarted;
    }

    const scope: CaptureScope = { requestId, lines: [], open: true };
    scope.lines.push({ message: toStartLine(requestId, version), timestamp: Date.now() });
    const started = performance.now();
    const deadline = Date.now() + fn.timeoutMs;
    const logGroupName = `/aws/lambda/${name}`;

    const outcome = await new Promise<Settled>((resolve) => {
      let settled = false;
      const timer = setTimeout(() => settle({ kind: 'timeout' }), fn.timeoutMs);
      // The server's open socket keeps the process alive; a stopped server must not wait for this.
      timer.unref();
      function settle(result: Settled): void {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(result);
      }
      const context: Context = {
        callbackWaitsForEmptyEventLoop: true,
        functionName: name,
        functionVersion: version,
        invokedFunctionArn: functionArn(name, qualifier),
        memoryLimitInMB: String(fn.memorySizeMb),
        awsRequestId: requestId,
        logGroupName,
        logStreamName: sandbox.logStream,
        getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
        // Legacy completion callbacks settle the invocation, as in Lambda.
        done: (error, result) =>
          settle(error ? { kind: 'threw', error } : { kind: 'returned', value: result }),
        fail: (error) => settle({ kind: 'threw', error }),
        succeed: (value: unknown) => settle({ kind: 'returned', value }),
      };
      runCaptured(scope, () => Promise.resolve().then(() => fn.handler(event, context))).then(
        (value) => settle({ kind: 'returned', value }),
        (error: unknown) => settle({ kind: 'threw', error }),
      );
    });
    const durationMs = performance.now() - started;
    scope.open = false;

    const { lines } = scope;
    let result: Outcome;
    if (outcome.kind === 'timeout') {
      const errorMessage = toTimeoutMessage(Date.now(), requestId, durationMs);
      lines.push({ message: errorMessage, timestamp: Date.now() });
      result = { kind: 'timeout', document: { errorMessage } };
    } else {
      let payload: string | undefined;
      let error: unknown = outcome.kind === 'threw' ? outcome.error : undefined;
      if (outcome.kind === 'returned') {
        try {
          payload = JSON.stringify(outcome.value) ?? 'null';
        } catch (stringifyError) {
          error = stringifyError;
        }
      }
      if (payload !== undefined) {
        result = { kind: 'value', payload };
      } else {
        lines.push({ message: toInvokeErrorLine(Date.now(), requestId, error), timestamp: Date.now() });
        result = { kind: 'error', document: toErrorDocument(error) };
      }
    }
    const endedAt = Date.now();
    lines.push({ message: toEndLine(requestId), timestamp: endedAt });
    lines.push({
      message: toReportLine({
        requestId,
        durationMs,
        memorySizeMb: fn.memorySizeMb,
        maxMemoryUsedMb: maxMemoryUsedMb(fn.memorySizeMb),
        ...(initDurationMs !== undefined ? { initDurationMs } : {}),
        ...(result.kind === 'timeout' ? { status: 'timeout' as const } : {}),
      }),
      timestamp: endedAt,
    });

    // A timed-out sandbox is reset by Lambda; a redeployed function's old sandboxes are gone.
    if (result.kind !== 'timeout' && state.generation === sandbox.generation) state.idle.push(sandbox);

    emitLogs({ functionName: name, logGroup: logGroupName, logStream: sandbox.logStream, requestId, lines });
    return { requestId, version, outcome: result, lines };
  };

  const handleInvoke = async (
    request: IncomingMessage,
    response: ServerResponse,
    url: URL,
    rawName: string,
  ): Promise<void> => {
    const { name, qualifier } = parseFunctionRef(rawName, url.searchParams.get('Qualifier'));
    const state = states.get(name);
    if (!state) {
      sendServiceError(
        response,
        404,
        'ResourceNotFoundException',
        `Function not found: ${functionArn(name, qualifier)}`,
      );
      return;
    }
    const invocationType = request.headers['x-amz-invocation-type'] ?? 'RequestResponse';
    if (invocationType !== 'RequestResponse' && invocationType !== 'Event' && invocationType !== 'DryRun') {
      sendServiceError(
        response,
        400,
        'InvalidParameterValueException',
        `Unsupported invocation type: ${String(invocationType)}`,
      );
      return;
    }
    const body = await readBody(request);
    if (body === 'too-large') {
      sendServiceError(
        response,
        413,
        'RequestTooLargeException',
        `Request must be smaller than ${MAX_REQUEST_BYTES} bytes for the InvokeFunction operation`,
      );
      return;
    }
    let event: unknown = {};
    if (body.length > 0) {
      try {
        event = JSON.parse(body.toString('utf8'));
      } catch {
        sendServiceError(
          response,
          400,
          'InvalidRequestContentException',
          'Could not parse request body into json: Unexpected character',
        );
        return;
      }
    }
    if (invocationType === 'DryRun') {
      response.writeHead(204, { 'x-amzn-RequestId': randomUUID() }).end();
      return;
    }
    if (invocationType === 'Event') {
      response.writeHead(202, { 'x-amzn-RequestId': randomUUID(), 'Content-Length': 0 }).end();
      // Nothing awaits an Event invocation; its outcome reaches the caller only through the logs.
      invoke(name, state, event, qualifier).catch(() => undefined);
      return;
    }

    const { requestId, version, outcome, lines } = await invoke(name, state, event, qualifier);
    const headers: Record<string, string> = {
      'x-amzn-RequestId': requestId,
      'X-Amz-Executed-Version': version,
    };
    if (request.headers['x-amz-log-type'] === 'Tail') headers['X-Amz-Log-Result'] = toTail(lines);
    if (outcome.kind === 'value') {
      sendJson(response, 200, outcome.payload, headers);
    } else {
      sendJson(response, 200, JSON.stringify(outcome.document), {
        ...headers,
        'X-Amz-Function-Error': 'Unhandled',
      });
    }
  };

  const server: Server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const match = INVOKE_PATH.exec(url.pathname);
    if (!match) {
      sendServiceError(response, 404, 'UnknownOperationException', `Unknown operation ${url.pathname}`);
      return;
    }
    if (request.method !== 'POST') {
      sendServiceError(response, 405, 'MethodNotAllowedException', `${request.method} is not allowed here`);
      return;
    }
    let rawName: string;
    try {
      rawName = decodeURIComponent(match[1] ?? '');
    } catch {
      sendServiceError(response, 400, 'InvalidParameterValueException', 'Malformed function name');
      return;
    }
    handleInvoke(request, response, url, rawName).catch((error: unknown) => {
      sendServiceError(
        response,
        500,
        'ServiceException',
        `Local invoke failed: ${error instanceof Error ? error.message : String(error)}`,
        'Service',
      );
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const releaseCapture = installConsoleCapture();
  const { port } = server.address() as AddressInfo;
  const endpoint = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;

  return {
    endpoint,
    onLogs(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    setFunction,
    invocations: (name) => states.get(name)?.invocations ?? 0,
    async stop() {
      if (stopped) return;
      stopped = true;
      listeners.clear();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      releaseCapture();
    },
  };
};
