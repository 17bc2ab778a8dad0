/**
 * Builders for trigger-log test input: real gzip + base64 CloudWatch Logs subscription events, and
 * log lines in the exact shapes the Lambda Node.js runtime writes (text and JSON log formats).
 * Facts: docs/cognito-triggers-and-logs.md (log lines, subscription payloads).
 */
import { gzipSync } from 'node:zlib';
import { parseLogEvents } from '../../logs/parse-log-events';

/** A request id of the shape Lambda writes. */
export const REQUEST_ID = 'c793869b-ee49-115b-a5b6-4fd21e8dedac';
/** The default event time: 2024-05-01T12:00:00.000Z. */
export const BASE_TIMESTAMP_MS = Date.UTC(2024, 4, 1, 12, 0, 0);
export const BASE_TIME = new Date(BASE_TIMESTAMP_MS).toISOString();
export const DEFAULT_LOG_STREAM = '2024/05/01/[$LATEST]0a1b2c3d4e5f60718293a4b5c6d7e8f9';

export interface SubscriptionLine {
  message: string;
  /** Epoch ms; defaults to BASE_TIMESTAMP_MS plus the line's index. */
  timestamp?: number;
}

export interface SubscriptionInput {
  logGroup: string;
  logStream?: string;
  lines: readonly (string | SubscriptionLine)[];
  messageType?: 'DATA_MESSAGE' | 'CONTROL_MESSAGE';
  owner?: string;
  subscriptionFilters?: string[];
}

/** Event ids are 56-digit decimal strings; this keeps them unique and ordered per line. */
const eventId = (index: number): string =>
  `3195310660696698337880902507980421114328961542429822${String(index).padStart(4, '0')}`;

/** The decoded subscription message, as CloudWatch Logs builds it. */
export const toSubscriptionMessage = ({
  logGroup,
  logStream = DEFAULT_LOG_STREAM,
  lines,
  messageType = 'DATA_MESSAGE',
  owner = '123456789012',
  subscriptionFilters = ['cognito-sentinel-trigger-logs'],
}: SubscriptionInput) => ({
  messageType,
  owner,
  logGroup,
  logStream,
  subscriptionFilters,
  logEvents: lines.map((line, index) => {
    const { message, timestamp } = typeof line === 'string' ? { message: line, timestamp: undefined } : line;
    return { id: eventId(index), timestamp: timestamp ?? BASE_TIMESTAMP_MS + index, message };
  }),
});

/** gzip + base64 of any JSON value, as the `awslogs.data` of a Lambda subscription event. */
export const encodeSubscriptionData = (message: unknown): { awslogs: { data: string } } => ({
  awslogs: { data: gzipSync(Buffer.from(JSON.stringify(message), 'utf8')).toString('base64') },
});

/** A Lambda CloudWatch Logs subscription event carrying `lines` (real gzip + base64). */
export const toSubscriptionEvent = (input: SubscriptionInput): { awslogs: { data: string } } =>
  encodeSubscriptionData(toSubscriptionMessage(input));

/** The request id of the `index`th invocation of a test batch (a UUID, distinct per index). */
export const requestIdOf = (index: number): string =>
  `00000000-0000-4000-8000-${String(index).padStart(12, '0')}`;

/** A healthy PreSignUp event as a function logs it, the `index`th user's. */
export const loggedPreSignUpEvent = (index: number) => ({
  version: '1',
  triggerSource: 'PreSignUp_SignUp',
  userPoolId: 'eu-west-1_x',
  request: { userAttributes: { email: `user-${index}@example.com` } },
  response: { autoConfirmUser: true, autoVerifyEmail: true, autoVerifyPhone: false },
});

/** `<ISO ts>\t<requestId>\t<LEVEL>\t<message>\n`, the Node.js runtime's text format. */
export const textLine = (requestId: string, level: string, message: string, ts: string = BASE_TIME): string =>
  `${ts}\t${requestId}\t${level}\t${message}\n`;

export const startLine = (requestId: string = REQUEST_ID, version = '$LATEST'): string =>
  `START RequestId: ${requestId} Version: ${version}\n`;

export const endLine = (requestId: string = REQUEST_ID): string => `END RequestId: ${requestId}\n`;

export interface ReportInput {
  requestId?: string;
  durationMs: number;
  billedDurationMs?: number;
  memorySizeMb?: number;
  maxMemoryUsedMb?: number;
  initDurationMs?: number;
  status?: string;
  errorType?: string;
}

/** A report with its defaults filled in: the request is `REQUEST_ID`, 128 MB with 74 MB used, billed by the whole millisecond. */
export const withReportDefaults = (input: ReportInput) => ({
  ...input,
  requestId: input.requestId ?? REQUEST_ID,
  billedDurationMs: input.billedDurationMs ?? Math.ceil(input.durationMs),
  memorySizeMb: input.memorySizeMb ?? 128,
  maxMemoryUsedMb: input.maxMemoryUsedMb ?? 74,
});

/** A text `REPORT` line with the newer `Status` / `Error Type` suffixes when given. */
export const reportLine = (input: ReportInput): string => {
  const r = withReportDefaults(input);
  const fields = [
    `REPORT RequestId: ${r.requestId}`,
    `Duration: ${r.durationMs.toFixed(2)} ms`,
    `Billed Duration: ${r.billedDurationMs} ms`,
    `Memory Size: ${r.memorySizeMb} MB`,
    `Max Memory Used: ${r.maxMemoryUsedMb} MB`,
  ];
  if (r.initDurationMs !== undefined) fields.push(`Init Duration: ${r.initDurationMs.toFixed(2)} ms`);
  if (r.status !== undefined) fields.push(`Status: ${r.status}`);
  if (r.errorType !== undefined) fields.push(`Error Type: ${r.errorType}`);
  return `${fields.join('\t')}\t\n`;
};

/** A JSON log format `platform.report` record. */
export const jsonPlatformReport = ({
  time = BASE_TIME,
  ...input
}: ReportInput & { time?: string }): string => {
  const r = withReportDefaults(input);
  return JSON.stringify({
    time,
    type: 'platform.report',
    record: {
      requestId: r.requestId,
      metrics: {
        durationMs: r.durationMs,
        billedDurationMs: r.billedDurationMs,
        memorySizeMB: r.memorySizeMb,
        maxMemoryUsedMB: r.maxMemoryUsedMb,
        ...(r.initDurationMs !== undefined ? { initDurationMs: r.initDurationMs } : {}),
      },
      ...(r.status !== undefined ? { status: r.status } : {}),
      ...(r.errorType !== undefined ? { errorType: r.errorType } : {}),
    },
  });
};

/** A JSON log format application record, `{timestamp, level, requestId, message}`. */
export const jsonAppRecord = (
  requestId: string,
  level: string,
  message: unknown,
  timestamp: string = BASE_TIME,
): string => JSON.stringify({ timestamp, level, requestId, message });

/** `<ts> <requestId> Task timed out after N.NN seconds`, the platform's timeout line. */
export const timeoutLine = (requestId: string = REQUEST_ID, seconds = 3.01, ts: string = BASE_TIME): string =>
  `${ts} ${requestId} Task timed out after ${seconds.toFixed(2)} seconds\n`;

/** The runtime's text line for a handler that threw: `\tERROR\tInvoke Error \t{json}`. */
export const invokeErrorLine = (
  requestId: string = REQUEST_ID,
  { errorType = 'Error', errorMessage = 'boom' }: { errorType?: string; errorMessage?: string } = {},
  ts: string = BASE_TIME,
): string =>
  textLine(
    requestId,
    'ERROR',
    `Invoke Error \t${JSON.stringify({
      errorType,
      errorMessage,
      stack: [`${errorType}: ${errorMessage}`, '    at Runtime.handler (file:///var/task/index.mjs:4:9)'],
    })}`,
    ts,
  );

/** A log group name for a function. */
export const lambdaLogGroup = (functionName: string): string => `/aws/lambda/${functionName}`;

/**
 * How a one-line batch of the PreSignUp group reads, as JSON, with the line's own text replaced by
 * `<line>`: two readers (a fast path and the general one) compare by it, and lines that differ only
 * in what no field takes compare equal.
 */
export const oneLineReading = (line: string): string =>
  JSON.stringify(
    parseLogEvents(
      {
        logGroup: '/aws/lambda/shop-presignup',
        logStream: 's',
        events: [{ id: '1', timestamp: 17e11, message: line }],
      },
      {
        resolveLogGroup: () => ({
          trigger: 'PreSignUp',
          userPoolId: 'eu-west-1_Dem0P00l1',
          region: 'eu-west-1',
        }),
      },
    ),
  ).replaceAll(JSON.stringify(line).slice(1, -1), '<line>');
