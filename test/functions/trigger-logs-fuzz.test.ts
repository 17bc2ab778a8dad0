/**
 * Fuzz run of the real trigger-logs handler: thousands of generated subscription payloads (real
 * gzip + base64) carrying real-shaped lines (text runtime format, START/END/REPORT, JSON log
 * format, Powertools JSON, util.inspect of trigger events) mixed with hostile ones (long padding,
 * control characters, huge numbers, deep nesting, broken UTF-8, `__proto__` and
 * `constructor.prototype` keys), and broken payloads (truncated gzip, bad base64). Every
 * invocation must settle without a crash, pollute no prototype, and account for every line.
 * Seeded, so a failure replays; nothing is timed.
 */
import { inspect } from 'node:util';
import { gzipSync } from 'node:zlib';
import type { CloudWatchLogsEvent } from 'aws-lambda';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createHandler } from '../../functions/trigger-logs';
import type { LogGroupInfo } from '../../logs/types';
import type { Log, MetricsRecorder } from '../../runtime/telemetry';
import {
  BASE_TIME,
  endLine,
  invokeErrorLine,
  jsonAppRecord,
  jsonPlatformReport,
  REQUEST_ID,
  reportLine,
  startLine,
  textLine,
  timeoutLine,
  toSubscriptionMessage,
} from '../support/log-payloads';
import {
  recordingAlertHandler,
  triggerLogsConfig,
  triggerLogsContext,
} from '../support/trigger-logs-handler';

const POOL = 'us-east-1_Fuzz00001';
const LOG_GROUPS: Record<string, LogGroupInfo> = {
  '/aws/lambda/shop-presignup': { trigger: 'PreSignUp', userPoolId: POOL, region: 'us-east-1' },
  '/aws/lambda/shop-define-auth': { trigger: 'DefineAuthChallenge', userPoolId: POOL, region: 'us-east-1' },
};
const LOG_GROUP_NAMES = [...Object.keys(LOG_GROUPS), '/aws/lambda/unlisted', 'not-a-lambda-group'];
/** Payloads per property run, and the least number of log lines the run must send. */
const PAYLOADS = 2500;
const MIN_LINES = 10_000;

const silentLog: Log = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
const metrics: MetricsRecorder = { count: () => {}, publish: () => {} };
const { reports, handler: recordingAlerts } = recordingAlertHandler();
const handler = createHandler({
  config: triggerLogsConfig(LOG_GROUPS),
  alerts: recordingAlerts,
  logger: silentLog,
  metrics,
  now: () => new Date('2024-05-01T12:05:00Z'),
});
const context = triggerLogsContext('fuzz');

const preSignUpEvent = (response: unknown) => ({
  version: '1',
  region: 'us-east-1',
  userPoolId: POOL,
  userName: 'fuzz-user',
  callerContext: { awsSdkVersion: 'aws-sdk-unknown-unknown', clientId: '1example23456789' },
  triggerSource: 'PreSignUp_SignUp',
  request: { userAttributes: { email: 'fuzz@example.com' }, validationData: null },
  response,
});

/** Lines as Lambda and common loggers write them. */
const realLine = fc.oneof(
  fc.constant(startLine()),
  fc.constant(endLine()),
  fc.double({ min: 0, max: 10_000, noNaN: true }).map((durationMs) => reportLine({ durationMs })),
  fc.constant(reportLine({ durationMs: 3001.5, status: 'timeout' })),
  fc.constant(
    'INIT_REPORT Init Duration: 154.03 ms\tPhase: init\tStatus: error\tError Type: Runtime.ExitError',
  ),
  fc.constant(timeoutLine()),
  fc.constant(`RequestId: ${REQUEST_ID} Error: Runtime exited with error: exit status 129`),
  fc.string({ maxLength: 60 }).map((errorMessage) => invokeErrorLine(REQUEST_ID, { errorMessage })),
  fc.double({ min: 0, max: 10_000, noNaN: true }).map((durationMs) => jsonPlatformReport({ durationMs })),
  fc.anything({ maxDepth: 2 }).map((value) => jsonAppRecord(REQUEST_ID, 'INFO', value)),
  fc
    .jsonValue({ maxDepth: 2 })
    .map((autoConfirmUser) =>
      textLine(REQUEST_ID, 'INFO', `Returning ${JSON.stringify(preSignUpEvent({ autoConfirmUser }))}`),
    ),
  fc
    .anything({ maxDepth: 2 })
    .map((autoConfirmUser) =>
      textLine(REQUEST_ID, 'INFO', inspect(preSignUpEvent({ autoConfirmUser }), { depth: 4 })),
    ),
  // Powertools Logger JSON, the event nested under a key of the logger's choosing.
  fc.constantFrom('event', 'response', 'payload').map((key) =>
    JSON.stringify({
      level: 'INFO',
      message: 'Returning',
      service: 'shop',
      timestamp: BASE_TIME,
      xray_trace_id: '1-5d9d007f-0a8c7fd02xmpl480aed55ef0',
      [key]: preSignUpEvent({ autoConfirmUser: 'true' }),
    }),
  ),
  fc.constant(textLine(REQUEST_ID, 'INFO', "{ challengeName: 'CUSTOM_CHALLENGE', issueTokens: 'false' }")),
);

/** Keys that would reach a prototype if a reader assigned them naively. */
const pollutingLine = fc.constantFrom(
  '{"__proto__":{"polluted":"yes"},"triggerSource":"PreSignUp_SignUp","response":{"__proto__":{"polluted":"yes"}}}',
  '{"constructor":{"prototype":{"polluted":"yes"}},"triggerSource":"PreSignUp_SignUp","response":{}}',
  textLine(REQUEST_ID, 'INFO', '{"__proto__":{"polluted":"yes"},"autoConfirmUser":"true"}'),
  textLine(
    REQUEST_ID,
    'INFO',
    "{ ['__proto__']: { polluted: 'yes' }, triggerSource: 'PreSignUp_SignUp', response: { autoConfirmUser: 'true' } }",
  ),
  textLine(REQUEST_ID, 'INFO', "{ __proto__: { polluted: 'yes' }, autoConfirmUser: 'true' }"),
  textLine(
    REQUEST_ID,
    'INFO',
    "{ constructor: { prototype: { polluted: 'yes' } }, triggerSource: 'PreSignUp_SignUp', response: {} }",
  ),
  textLine(REQUEST_ID, 'INFO', "Map(1) { '__proto__' => { polluted: 'yes' } }"),
  JSON.stringify({
    level: 'ERROR',
    message: { errorType: '__proto__', errorMessage: 'constructor' },
    __proto__: 1,
  }),
);

const CONTROL = fc.constantFrom(
  '\u0000',
  '\u0007',
  '\u001b[2J',
  '\u001b]0;owned\u0007',
  '\b',
  '\u007f',
  '\u2028',
  '\ud800',
);

/** Hostile shapes, kept under 64 KB so thousands of runs stay quick; one size past the line limit. */
const hostileLine = fc.oneof(
  fc
    .tuple(
      fc.constantFrom(
        'REPORT RequestId: x',
        'INIT_REPORT ',
        `${BASE_TIME}\t${REQUEST_ID}\tINFO\t{ err: Error: x`,
      ),
      fc.constantFrom(' ', '\n', '\t', ', '),
      fc.integer({ min: 1, max: 20_000 }),
    )
    .map(([prefix, pad, count]) => prefix + pad.repeat(count)),
  fc
    .tuple(
      fc.constantFrom('{', '[', "'", 'session:{', '[String: ', '{ a: ', '{"a":'),
      fc.integer({ min: 1, max: 5_000 }),
    )
    .map(([opener, count]) => `${BASE_TIME}\t${REQUEST_ID}\tINFO\ttriggerSource ${opener.repeat(count)}`),
  fc.array(fc.oneof(CONTROL, fc.string({ maxLength: 8 })), { maxLength: 20 }).map((parts) => parts.join('')),
  fc
    .constantFrom(
      '1e999999',
      '-0',
      '123456789012345678901234567890',
      String(Number.MAX_VALUE),
      '9'.repeat(400),
    )
    .map(
      (number) =>
        `${BASE_TIME}\t${REQUEST_ID}\tINFO\t{"autoConfirmUser":${number},"triggerSource":"PreSignUp_SignUp","response":{"autoConfirmUser":${number}}}`,
    ),
  fc.integer({ min: 1, max: 3_000 }).map((depth) => `{"response":${'['.repeat(depth)}1${']'.repeat(depth)}}`),
  fc.uint8Array({ maxLength: 64 }).map((bytes) => Buffer.from(bytes).toString('utf8')),
  fc.constant(`${BASE_TIME}\t${REQUEST_ID}\tINFO\t${'x'.repeat(256 * 1024 + 1)}`),
  fc.string({ unit: 'binary', maxLength: 200 }),
);

const anyLine = fc.oneof(
  { arbitrary: realLine, weight: 6 },
  { arbitrary: pollutingLine, weight: 1 },
  { arbitrary: hostileLine, weight: 3 },
);

type Payload =
  | { kind: 'lines'; event: CloudWatchLogsEvent; lines: number }
  | { kind: 'broken'; event: CloudWatchLogsEvent };

const encode = (json: string): CloudWatchLogsEvent => ({
  awslogs: { data: gzipSync(json).toString('base64') },
});

const payload: fc.Arbitrary<Payload> = fc.oneof(
  {
    weight: 9,
    arbitrary: fc
      .tuple(fc.constantFrom(...LOG_GROUP_NAMES), fc.array(anyLine, { minLength: 2, maxLength: 8 }))
      .map(
        ([logGroup, lines]): Payload => ({
          kind: 'lines',
          event: encode(JSON.stringify(toSubscriptionMessage({ logGroup, lines }))),
          lines: lines.length,
        }),
      ),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(
        fc.array(anyLine, { minLength: 1, maxLength: 3 }),
        fc.nat(),
        fc.constantFrom('truncate', 'base64', 'not-json'),
      )
      .map(([lines, cut, how]): Payload => {
        const json = JSON.stringify(toSubscriptionMessage({ logGroup: '/aws/lambda/shop-presignup', lines }));
        const gzipped = gzipSync(json);
        const data =
          how === 'truncate'
            ? gzipped.subarray(0, cut % gzipped.length).toString('base64')
            : how === 'base64'
              ? `${gzipped.toString('base64')}%`
              : gzipSync(json.slice(0, cut % json.length)).toString('base64');
        return { kind: 'broken', event: { awslogs: { data } } };
      }),
  },
);

const prototypeSnapshot = () => ({
  object: Object.getOwnPropertyNames(Object.prototype).sort(),
  array: Object.getOwnPropertyNames(Array.prototype).sort(),
  objectProto: Object.getPrototypeOf(Object.prototype),
});

describe('trigger-logs handler under fuzzing', () => {
  const before = prototypeSnapshot();
  let linesSent = 0;
  let payloadsSent = 0;

  it(`settles, pollutes nothing and accounts for every line over ${PAYLOADS} generated payloads`, async () => {
    await fc.assert(
      fc.asyncProperty(payload, async (generated) => {
        const result = await handler(generated.event, context);
        payloadsSent++;
        expect(result.lines).toBe(result.withSignal + result.quiet + result.unreadable);
        if (generated.kind === 'lines') {
          linesSent += generated.lines;
          expect(result.lines).toBe(generated.lines);
        } else if (result.unreadable > 0 && result.withSignal + result.quiet === 0) {
          // A payload broken before its events counts as one unreadable line.
          expect(result.lines).toBe(1);
        }
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
        expect(([] as unknown as Record<string, unknown>).polluted).toBeUndefined();
      }),
      { numRuns: PAYLOADS, seed: 20240501, endOnFailure: true },
    );
    expect(payloadsSent).toBe(PAYLOADS);
    expect(linesSent).toBeGreaterThanOrEqual(MIN_LINES);
    expect(prototypeSnapshot()).toEqual(before);
    // The run reached the detectors: real-shaped lines raised findings.
    expect(reports.some((report) => report.findings.length > 0)).toBe(true);
  });
});
