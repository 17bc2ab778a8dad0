import { readFileSync } from 'node:fs';
import { inspect } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Elided } from '../../contracts/elided';
import type { TriggerName } from '../../contracts/triggers';
import { type ContractResult, validateTriggerEvent, validateTriggerResponse } from '../../contracts/validate';
import type { LogObservation, LogOrigin, TriggerPayloadObservation } from '../../detectors/observations';
import { parseCandidate } from '../../logs/find-payloads';
import { type LineResult, type ParseOptions, parseLogLine } from '../../logs/parse-line';
import type { LogGroupInfo } from '../../logs/types';
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
} from '../support/log-payloads';

/** The violations the contracts find, as the reader's verdict carries them. */
const expectedViolations = (result: ContractResult) => (result.ok === false ? result.violations : []);

const fixture = (name: string) => new URL(`../fixtures/logs/${name}`, import.meta.url);
const REFERENCE = JSON.parse(readFileSync(fixture('reference-lines.json'), 'utf8')) as Record<
  string,
  { line: string; source: string }
>;
const EVENTS = JSON.parse(readFileSync(fixture('trigger-events.json'), 'utf8')) as Record<
  string,
  Record<string, unknown>
>;
const ref = (name: string): string => {
  const entry = REFERENCE[name];
  if (!entry) throw new Error(`no reference line ${name}`);
  return entry.line;
};

const PRE_SIGN_UP_GROUP = '/aws/lambda/shop-presignup';
const UNMAPPED_GROUP = '/aws/lambda/shop-unmapped';

const GROUPS: Record<string, LogGroupInfo> = {
  [PRE_SIGN_UP_GROUP]: { trigger: 'PreSignUp', userPoolId: 'us-east-1_EXAMPLE', region: 'us-east-1' },
  '/aws/lambda/shop-define-auth': { trigger: 'DefineAuthChallenge', userPoolId: 'us-east-1_EXAMPLE' },
  '/aws/lambda/shop-migrate': { trigger: 'UserMigration', userPoolId: 'us-east-1_EXAMPLE' },
};

const options: ParseOptions = { resolveLogGroup: (logGroup) => GROUPS[logGroup] };

const originFor = (logGroup: string): LogOrigin => ({ logGroup, timestamp: BASE_TIME });

const parse = (line: string, logGroup = PRE_SIGN_UP_GROUP, extra: ParseOptions = {}): LineResult =>
  parseLogLine(line, originFor(logGroup), { ...options, ...extra });

const observationsOf = (result: LineResult): LogObservation[] => {
  if (result.status !== 'signal') throw new Error(`expected signal, got ${JSON.stringify(result)}`);
  return result.observations;
};

const only = (result: LineResult): LogObservation => {
  const observations = observationsOf(result);
  expect(observations).toHaveLength(1);
  return observations[0] as LogObservation;
};

const PRE_SIGN_UP_EVENT = EVENTS.preSignUpInput as Record<string, unknown>;
const seedEvent = {
  ...PRE_SIGN_UP_EVENT,
  response: { autoConfirmUser: 'true', autoVerifyEmail: false, autoVerifyPhone: false },
};

describe('parseLogLine: text runtime and platform lines', () => {
  it.each([
    ['START', ref('ldgStart')],
    ['END', ref('ldgEnd')],
    ['INIT_START', ref('initStart')],
    ['an INFO line', ref('ldgInfo')],
    ['a WARN line', ref('ldgWarn')],
    ['the RIC formatter example', ref('ricFormatterInfo')],
    ['the Runtime.ExitError line after a crash', ref('runtimeExitErrorType')],
    ['an empty line', ''],
    ['built START/END', `${startLine()}${endLine()}`],
  ])('keeps %s quiet', (_name, line) => {
    expect(parse(line)).toEqual({ status: 'quiet' });
  });

  it.each([
    [
      'the LDG example with X-Ray fields',
      ref('ldgReport'),
      {
        requestId: 'c793869b-ee49-115b-a5b6-4fd21e8dedac',
        durationMs: 128.83,
        billedDurationMs: 200,
        memorySizeMb: 128,
        maxMemoryUsedMb: 74,
        initDurationMs: 166.62,
      },
    ],
    [
      'an old line with a stray space before Memory Size',
      ref('reportOldStraySpace'),
      { durationMs: 1.24, billedDurationMs: 100, memorySizeMb: 512, maxMemoryUsedMb: 22 },
    ],
    ['a 1 ms billing line', ref('reportOneMs'), { durationMs: 2.85, billedDurationMs: 3 }],
    ['Status: timeout', ref('reportStatusTimeout'), { durationMs: 3000, status: 'timeout' }],
    [
      'Status: error with Error Type',
      ref('reportStatusErrorOom'),
      { durationMs: 812.44, status: 'error', errorType: 'Runtime.OutOfMemory', maxMemoryUsedMb: 1024 },
    ],
    [
      'a line whose tabs became spaces',
      'REPORT RequestId: 1b2c3d4e-0000-4000-8000-000000000001  Duration: 4999.10 ms  Billed Duration: 5000 ms  Memory Size: 128 MB  Max Memory Used: 90 MB  Init Duration: 240.00 ms  Status: timeout',
      { durationMs: 4999.1, billedDurationMs: 5000, initDurationMs: 240, status: 'timeout' },
    ],
    [
      'a built report',
      reportLine({ durationMs: 12.5, initDurationMs: 200, status: 'error', errorType: 'Runtime.ExitError' }),
      {
        requestId: REQUEST_ID,
        durationMs: 12.5,
        initDurationMs: 200,
        status: 'error',
        errorType: 'Runtime.ExitError',
      },
    ],
  ])('reads a REPORT line: %s', (_name, line, expected) => {
    expect(only(parse(line))).toMatchObject({ kind: 'invocation-report', line, ...expected });
  });

  it('reads a REPORT or INIT_REPORT line whose tabs became runs of spaces as it reads the tabbed line', () => {
    const fields = fc.record({
      durationMs: fc
        .double({ min: 0, max: 900_000, noNaN: true })
        .map((value) => Math.round(value * 100) / 100),
      initDurationMs: fc.option(fc.integer({ min: 0, max: 10_000 }), { nil: undefined }),
      status: fc.option(fc.constantFrom('timeout', 'error'), { nil: undefined }),
      errorType: fc.option(fc.constantFrom('Runtime.ExitError', 'Runtime.OutOfMemory'), { nil: undefined }),
    });
    const toSpaces = (line: string, spaces: number) => line.trimEnd().replaceAll('\t', ' '.repeat(spaces));
    const observed = (line: string): unknown => {
      const result = parse(line);
      if (result.status !== 'signal') return result;
      return result.observations.map(({ line: _line, origin: _origin, ...rest }) => rest);
    };
    fc.assert(
      fc.property(fields, fc.integer({ min: 1, max: 4 }), (input, spaces) => {
        const report = reportLine(input);
        expect(observed(toSpaces(report, spaces))).toEqual(observed(report));
        const init = `INIT_REPORT Init Duration: ${input.durationMs} ms\tPhase: init${input.status ? `\tStatus: ${input.status}` : ''}`;
        expect(observed(toSpaces(init, spaces))).toEqual(observed(init));
      }),
      { seed: 19, numRuns: 300 },
    );
  });

  it('reports a healthy invocation without status or error', () => {
    const observation = only(parse(reportLine({ durationMs: 31.62 })));
    expect(observation).toMatchObject({ kind: 'invocation-report', durationMs: 31.62 });
    expect(observation).not.toHaveProperty('status');
    expect(observation).not.toHaveProperty('errorType');
  });

  it.each([
    [
      'Phase: init',
      ref('initReportError'),
      { durationMs: 154.03, phase: 'init', status: 'error', errorType: 'Runtime.ExitError' },
    ],
    ['Phase: invoke', ref('initReportInvoke'), { phase: 'invoke', errorType: 'Runtime.Unknown' }],
  ])('reads an INIT_REPORT line with %s', (_name, line, expected) => {
    expect(only(parse(line))).toMatchObject({ kind: 'init-report', ...expected });
  });

  it.each([
    ['the older space-separated line', ref('timeoutOld'), '160788cd-45ff-4583-809f-c7e31127cb95', 3.07],
    [
      'a line between START and END',
      ref('timeoutBetweenStartAndEnd'),
      '5b6a2f9e-8c7d-4e3f-9a1b-0c2d3e4f5a6b',
      45.05,
    ],
    ['a built line', timeoutLine(REQUEST_ID, 5), REQUEST_ID, 5],
    [
      'a tab-separated line',
      `${BASE_TIME}\t${REQUEST_ID}\tTask timed out after 3.00 seconds\n`,
      REQUEST_ID,
      3,
    ],
    ['a line without prefix', 'Task timed out after 6.01 seconds', undefined, 6.01],
  ])('reads a timeout: %s', (_name, line, requestId, afterSeconds) => {
    const observation = only(parse(line));
    expect(observation).toMatchObject({ kind: 'timeout', afterSeconds });
    if (requestId) expect(observation).toMatchObject({ requestId });
    else expect(observation).not.toHaveProperty('requestId');
  });

  it.each([
    [
      'Invoke Error',
      ref('invokeError'),
      {
        label: 'invoke-error',
        requestId: 'c086167a-3bb3-4e3c-9b8a-2f3e4d5c6b7a',
        errorType: 'TimeoutError',
        errorMessage: 'Connection timed out after 120000ms',
      },
    ],
    [
      'a built Invoke Error',
      invokeErrorLine(REQUEST_ID, { errorType: 'TypeError', errorMessage: 'callback is not a function' }),
      {
        label: 'invoke-error',
        requestId: REQUEST_ID,
        errorType: 'TypeError',
        errorMessage: 'callback is not a function',
      },
    ],
    [
      'Uncaught Exception during init (request id "undefined")',
      ref('uncaughtException'),
      { label: 'uncaught-exception', errorType: 'Runtime.UserCodeSyntaxError' },
    ],
    [
      'Unhandled Promise Rejection',
      ref('unhandledRejection'),
      {
        label: 'unhandled-rejection',
        errorType: 'Runtime.UnhandledPromiseRejection',
        errorMessage: 'Error: table not found',
      },
    ],
    [
      'Runtime exited with error',
      ref('runtimeExit129'),
      {
        label: 'runtime-exit',
        requestId: '9fdb5cfa-3f0b-4d3e-8a2c-1b2c3d4e5f60',
        errorType: 'Runtime.ExitError',
        errorMessage: 'Runtime exited with error: exit status 129',
      },
    ],
  ])('reads a function error: %s', (_name, line, expected) => {
    expect(only(parse(line))).toMatchObject({ kind: 'function-error', line, ...expected });
  });

  it('leaves out the request id the runtime prints as "undefined" during init', () => {
    expect(only(parse(ref('uncaughtException')))).not.toHaveProperty('requestId');
  });

  it('still reports an Invoke Error whose details are not JSON', () => {
    expect(only(parse(textLine(REQUEST_ID, 'ERROR', 'Invoke Error \tsomething odd')))).toMatchObject({
      kind: 'function-error',
      label: 'invoke-error',
    });
  });
});

describe('parseLogLine: Lambda JSON log format', () => {
  it.each([
    [
      'platform.report',
      ref('jsonPlatformReport'),
      {
        kind: 'invocation-report',
        requestId: 'b2de8fdb-1f63-4a3c-9b54-6e6d5e5f0c11',
        durationMs: 17.493,
        billedDurationMs: 18,
        initDurationMs: 235.086,
        memorySizeMb: 128,
        maxMemoryUsedMb: 75,
        status: 'success',
      },
    ],
    [
      'platform.report with status timeout',
      ref('jsonPlatformReportTimeout'),
      { kind: 'invocation-report', status: 'timeout' },
    ],
    [
      'a built platform.report with errorType',
      jsonPlatformReport({ durationMs: 40, status: 'error', errorType: 'Runtime.ExitError' }),
      { kind: 'invocation-report', requestId: REQUEST_ID, status: 'error', errorType: 'Runtime.ExitError' },
    ],
    [
      'platform.initReport',
      ref('jsonInitReportError'),
      {
        kind: 'init-report',
        phase: 'init',
        status: 'error',
        errorType: 'Runtime.ImportModuleError',
        durationMs: 211.4,
      },
    ],
    [
      'platform.fault',
      ref('jsonPlatformFault'),
      { kind: 'function-error', label: 'runtime-exit', requestId: 'd783b35e-a91d-4251-af17-035953428a2c' },
    ],
    [
      'an ERROR record whose message is the error',
      ref('jsonAppError'),
      {
        kind: 'function-error',
        label: 'error-record',
        requestId: 'b2de8fdb-1f63-4a3c-9b54-6e6d5e5f0c11',
        errorType: 'Error',
        errorMessage: 'user table unavailable',
      },
    ],
    [
      'an ERROR record with the error at top level',
      ref('jsonAppErrorTopLevel'),
      { kind: 'function-error', label: 'error-record', errorType: 'Error' },
    ],
    [
      'an ERROR record of an uncaught exception',
      jsonAppRecord('undefined', 'ERROR', 'Uncaught Exception').replace(
        /}$/,
        ',"errorType":"Runtime.ImportModuleError","errorMessage":"Cannot find module \'x\'"}',
      ),
      { kind: 'function-error', label: 'uncaught-exception', errorType: 'Runtime.ImportModuleError' },
    ],
  ])('reads %s', (_name, line, expected) => {
    expect(only(parse(line))).toMatchObject({ ...expected, line });
  });

  it.each([
    ['platform.start', ref('jsonPlatformStart')],
    [
      'platform.runtimeDone, even with status timeout (the platform.report carries it)',
      ref('jsonRuntimeDoneTimeout'),
    ],
    ['an INFO record', ref('jsonAppInfo')],
    ['an ERROR record without error fields', jsonAppRecord(REQUEST_ID, 'ERROR', 'could not reach the table')],
  ])('keeps %s quiet', (_name, line) => {
    expect(parse(line)).toEqual({ status: 'quiet' });
  });

  it('takes the origin timestamp from the record when the origin has none', () => {
    const result = parseLogLine(
      ref('jsonPlatformReport'),
      { logGroup: PRE_SIGN_UP_GROUP, timestamp: '' },
      options,
    );
    expect(only(result).origin.timestamp).toBe('2024-07-01T08:54:54.127Z');
  });
});

describe('parseLogLine: the seed incident (PreSignUp returns autoConfirmUser as a string)', () => {
  const responseObservation = {
    kind: 'trigger-payload',
    shape: 'response',
    trigger: 'PreSignUp',
    violations: [expect.objectContaining({ field: 'response.autoConfirmUser', actual: 'string "true"' })],
    requestId: REQUEST_ID,
  };

  it.each([
    ['util.inspect in a text line', textLine(REQUEST_ID, 'INFO', inspect({ autoConfirmUser: 'true' }))],
    [
      'util.inspect after a label',
      textLine(REQUEST_ID, 'INFO', `Response: ${inspect({ autoConfirmUser: 'true' })}`),
    ],
    [
      'JSON.stringify in a text line',
      textLine(REQUEST_ID, 'INFO', JSON.stringify({ autoConfirmUser: 'true' })),
    ],
    ['JSON after a label', textLine(REQUEST_ID, 'INFO', 'Response: {"autoConfirmUser":"true"}')],
    [
      'Powertools Logger JSON, nested under "response"',
      JSON.stringify({
        level: 'INFO',
        message: 'returning',
        service: 'shop-presignup',
        timestamp: BASE_TIME,
        function_request_id: REQUEST_ID,
        response: { autoConfirmUser: 'true' },
      }),
    ],
    [
      'a Lambda JSON record whose message embeds JSON',
      jsonAppRecord(REQUEST_ID, 'INFO', 'Response: {"autoConfirmUser":"true"}'),
    ],
    [
      'a Lambda JSON record whose message is the object',
      jsonAppRecord(REQUEST_ID, 'INFO', { autoConfirmUser: 'true' }),
    ],
  ])('finds the bare response via %s', (_name, line) => {
    expect(only(parse(line))).toMatchObject({ ...responseObservation, line });
  });

  it.each([
    ['a full JSON event as the whole line', JSON.stringify(seedEvent), undefined],
    ['a full JSON event in a text line', textLine(REQUEST_ID, 'INFO', JSON.stringify(seedEvent)), REQUEST_ID],
    [
      'a multi-line util.inspect event in a text line',
      textLine(REQUEST_ID, 'INFO', `Returning ${inspect(seedEvent)}`),
      REQUEST_ID,
    ],
    [
      'the util.inspect event with \\r line breaks (stdout mode)',
      textLine(REQUEST_ID, 'INFO', inspect(seedEvent).replaceAll('\n', '\r')),
      REQUEST_ID,
    ],
    [
      'Powertools Logger JSON with the event under "event"',
      JSON.stringify({
        level: 'INFO',
        message: 'Lambda invocation event',
        service: 'x',
        function_request_id: REQUEST_ID,
        event: seedEvent,
      }),
      REQUEST_ID,
    ],
  ])('finds the whole event via %s', (_name, line, requestId) => {
    const observation = only(parse(line));
    expect(observation).toMatchObject({
      kind: 'trigger-payload',
      shape: 'event',
      trigger: 'PreSignUp',
      triggerSource: 'PreSignUp_SignUp',
      line,
    });
    expect((observation as TriggerPayloadObservation).violations).toEqual(
      expectedViolations(validateTriggerEvent(seedEvent)),
    );
    if (requestId) expect(observation).toMatchObject({ requestId });
  });

  it('reads the input event (false placeholders) as an event too, which meets the contract', () => {
    expect(only(parse(JSON.stringify(PRE_SIGN_UP_EVENT)))).toMatchObject({
      shape: 'event',
      triggerSource: PRE_SIGN_UP_EVENT.triggerSource,
      violations: [],
    });
  });

  it('fills the origin from the log group', () => {
    expect(only(parse(textLine(REQUEST_ID, 'INFO', inspect({ autoConfirmUser: 'true' })))).origin).toEqual({
      logGroup: PRE_SIGN_UP_GROUP,
      timestamp: BASE_TIME,
      functionName: 'shop-presignup',
      trigger: 'PreSignUp',
      userPoolId: 'us-east-1_EXAMPLE',
      region: 'us-east-1',
    });
  });

  it('keeps values util.inspect elided as Elided markers, which the verdict leaves alone', () => {
    const text = inspect({ logged: seedEvent });
    const observation = only(parse(textLine(REQUEST_ID, 'INFO', text)));
    const logged = (parseCandidate(text) as { logged: Record<string, unknown> }).logged;
    expect((logged.request as Record<string, unknown>).userAttributes).toBeInstanceOf(Elided);
    expect((observation as TriggerPayloadObservation).violations).toEqual(
      expectedViolations(validateTriggerEvent(logged)),
    );
  });
});

describe('parseLogLine: attributing bare responses', () => {
  it.each([
    [
      'DefineAuthChallenge',
      '/aws/lambda/shop-define-auth',
      { challengeName: 'CUSTOM_CHALLENGE', issueTokens: 'false' },
    ],
    [
      'UserMigration (userAttributes only)',
      '/aws/lambda/shop-migrate',
      { userAttributes: { email: 'a@example.com' } },
    ],
  ] as const)('attributes a response to the log group trigger %s', (trigger, logGroup, response) => {
    expect(only(parse(textLine(REQUEST_ID, 'INFO', inspect(response)), logGroup))).toMatchObject({
      shape: 'response',
      trigger: trigger.split(' ')[0] as TriggerName,
      violations: expectedViolations(validateTriggerResponse(trigger.split(' ')[0] as TriggerName, response)),
    });
  });

  it.each([
    ['PreSignUp', { autoConfirmUser: 'true' }],
    ['VerifyAuthChallengeResponse', { answerCorrect: 'yes' }],
    ['CustomMessage', { emailMessage: 'Your code is 1234', emailSubject: 'Code' }],
    ['PreTokenGeneration', { claimsOverrideDetails: { claimsToAddOrOverride: { tier: 1 } } }],
    ['UserMigration', { userAttributes: { email: 'a@example.com' }, finalUserStatus: 'CONFIRMED' }],
  ] as const)(
    'attributes a response by keys that belong to %s only when the log group is unmapped',
    (trigger, response) => {
      expect(only(parse(JSON.stringify(response), UNMAPPED_GROUP))).toMatchObject({
        shape: 'response',
        trigger,
      });
    },
  );

  it('reports a response it cannot attribute, naming the log group and what to configure', () => {
    const result = parse(
      textLine(REQUEST_ID, 'INFO', inspect({ challengeName: 'CUSTOM_CHALLENGE' })),
      UNMAPPED_GROUP,
    );
    expect(result).toMatchObject({ status: 'unreadable', reason: 'unattributed-response' });
    const { message } = result as { message: string };
    expect(message).toContain(UNMAPPED_GROUP);
    expect(message).toContain('--trigger-map');
    expect(message).toContain('challengeName');
  });

  it.each([
    ["another trigger's keys in a mapped log group", PRE_SIGN_UP_GROUP, { answerCorrect: true }],
    [
      'a DefineAuthChallenge session item',
      '/aws/lambda/shop-define-auth',
      { session: [{ challengeName: 'SRP_A', challengeResult: true }] },
    ],
    [
      'a migration request (userAttributes with password)',
      '/aws/lambda/shop-migrate',
      { userAttributes: { email: 'a@example.com' }, password: 'x', validationData: null },
    ],
    [
      'response keys mixed with other data in an unmapped group',
      UNMAPPED_GROUP,
      { userAttributes: {}, userName: 'mary' },
    ],
    ['an object without response keys', PRE_SIGN_UP_GROUP, { orderId: 7, status: 'shipped' }],
  ])('stays quiet for %s', (_name, logGroup, value) => {
    expect(parse(textLine(REQUEST_ID, 'INFO', inspect(value, { depth: 5 })), logGroup)).toEqual({
      status: 'quiet',
    });
  });

  it('does not look inside an event for bare responses', () => {
    const migration = {
      version: '1',
      triggerSource: 'UserMigration_Authentication',
      userName: 'mary',
      request: { password: 'x', userAttributes: { email: 'a@example.com' } },
      response: { userAttributes: { email: 'a@example.com' }, finalUserStatus: 'CONFIRMED' },
    };
    const observation = only(parse(JSON.stringify(migration), '/aws/lambda/shop-migrate'));
    expect(observation).toMatchObject({ shape: 'event', trigger: 'UserMigration' });
  });

  it('takes the trigger of an event from its triggerSource, whatever the log group says', () => {
    const event = {
      triggerSource: 'TokenGeneration_RefreshTokens',
      response: { claimsOverrideDetails: null },
    };
    expect(only(parse(JSON.stringify(event)))).toMatchObject({
      shape: 'event',
      trigger: 'PreTokenGeneration',
    });
  });
});

describe('parseLogLine: contract reports', () => {
  const report = {
    sentinel: 'trigger-contract/v1',
    trigger: 'PreSignUp',
    triggerSource: 'PreSignUp_SignUp',
    userPoolId: 'us-east-1_EXAMPLE',
    clientId: '1example23456789',
    violations: [
      {
        field: 'response.autoConfirmUser',
        expected: 'boolean',
        actual: 'string "true"',
        message: 'autoConfirmUser must be a boolean',
      },
    ],
  };

  it.each([
    ['a JSON line', JSON.stringify(report), undefined],
    ['a text line', textLine(REQUEST_ID, 'INFO', JSON.stringify(report)), REQUEST_ID],
    [
      'Powertools JSON with the fields merged in',
      JSON.stringify({
        level: 'INFO',
        message: 'trigger contract',
        service: 'x',
        function_request_id: REQUEST_ID,
        ...report,
      }),
      REQUEST_ID,
    ],
  ])('reads a contract report from %s', (_name, line, requestId) => {
    const observation = only(parse(line));
    expect(observation).toMatchObject({
      kind: 'contract-report',
      trigger: 'PreSignUp',
      triggerSource: 'PreSignUp_SignUp',
      userPoolId: 'us-east-1_EXAMPLE',
      clientId: '1example23456789',
      violations: report.violations,
      line,
    });
    if (requestId) expect(observation).toMatchObject({ requestId });
  });

  it('reports a record that carries the sentinel but not the schema', () => {
    const result = parse(JSON.stringify({ ...report, violations: 'none' }));
    expect(result).toMatchObject({ status: 'unreadable', reason: 'invalid-shape' });
    expect((result as { message: string }).message).toContain('violations');
  });
});

describe('parseLogLine: lines it cannot read', () => {
  it('reports an unknown triggerSource, naming the value', () => {
    const result = parse(JSON.stringify({ triggerSource: 'PreSignIn_Custom', response: {} }));
    expect(result).toMatchObject({ status: 'unreadable', reason: 'unknown-trigger-source' });
    expect((result as { message: string }).message).toContain('"PreSignIn_Custom"');
  });

  it('keeps the other signal on a line that also has an unknown triggerSource', () => {
    const line = JSON.stringify({
      a: { triggerSource: 'Nope_Nope', response: {} },
      b: { triggerSource: 'PreSignUp_SignUp', response: { autoConfirmUser: true } },
    });
    expect(observationsOf(parse(line))).toHaveLength(1);
  });

  it('does not parse a line over maxLineBytes', () => {
    const line = textLine(
      REQUEST_ID,
      'INFO',
      JSON.stringify({ autoConfirmUser: 'true', pad: 'x'.repeat(300_000) }),
    );
    const result = parse(line);
    expect(result).toMatchObject({ status: 'unreadable', reason: 'line-too-long' });
    expect((result as { message: string }).message).toMatch(/^line is \d+ bytes, over the 262144-byte limit/);
  });

  it('counts bytes, not characters, against maxLineBytes', () => {
    expect(parse('é'.repeat(60), PRE_SIGN_UP_GROUP, { maxLineBytes: 100 })).toMatchObject({
      reason: 'line-too-long',
    });
    expect(parse('e'.repeat(60), PRE_SIGN_UP_GROUP, { maxLineBytes: 100 })).toEqual({ status: 'quiet' });
  });

  it.each([
    ['a truncated JSON event', JSON.stringify(seedEvent).slice(0, 120)],
    ['a truncated JSON record', ref('jsonAppInfo').slice(0, 60)],
    ['broken braces', '{ this is not an object'],
  ])('reports %s as a malformed JSON line', (_name, line) => {
    const result = parse(line);
    expect(result).toMatchObject({ status: 'unreadable', reason: 'malformed-json-line' });
    expect((result as { message: string }).message).toContain('neither JSON nor util.inspect output');
  });

  it('reads a line that starts with a util.inspect literal', () => {
    expect(only(parse(inspect({ autoConfirmUser: 'true' })))).toMatchObject({ shape: 'response' });
  });
});

describe('parseLogLine: edge cases of the routing', () => {
  it("does not take a word of another logger's space-separated line as request id", () => {
    const observation = only(parse(`${BASE_TIME} INFO Response: {"autoConfirmUser":"true"}`));
    expect(observation).not.toHaveProperty('requestId');
  });

  it('keeps a balanced {...} line without any trigger keyword quiet, unparsed', () => {
    expect(parse('{ this is: not parsed }')).toEqual({ status: 'quiet' });
  });

  it('reads a line that starts with an object followed by more objects', () => {
    expect(only(parse(`{ a: 1 } then ${inspect({ autoConfirmUser: 'true' })}`))).toMatchObject({
      shape: 'response',
    });
  });

  it('finds the event beside an error stack the inspect reader cannot follow', () => {
    const line = textLine(
      REQUEST_ID,
      'INFO',
      `{ err: Error: bad { token\n    at x (y.js:1:2), event: ${JSON.stringify(seedEvent)} }`,
    );
    expect(only(parse(line))).toMatchObject({ shape: 'event', trigger: 'PreSignUp' });
  });

  it('reads a JSON event nested in a JSON string in a JSON record', () => {
    const inner = JSON.stringify({ message: `Returning ${JSON.stringify(seedEvent)}` });
    expect(only(parse(jsonAppRecord(REQUEST_ID, 'INFO', inner)))).toMatchObject({ shape: 'event' });
  });

  it('uses an origin trigger given by the caller without asking resolveLogGroup', () => {
    const result = parseLogLine(
      textLine(REQUEST_ID, 'INFO', inspect({ answerCorrect: 'true' })),
      { logGroup: UNMAPPED_GROUP, timestamp: BASE_TIME, trigger: 'VerifyAuthChallengeResponse' },
      {
        resolveLogGroup: () => {
          throw new Error('not called');
        },
      },
    );
    expect(only(result)).toMatchObject({
      trigger: 'VerifyAuthChallengeResponse',
      origin: { functionName: 'shop-unmapped' },
    });
  });
});

describe('parseLogLine: error lines without JSON details', () => {
  it.each([
    ['Invoke Error', 'invoke-error'],
    ['Uncaught Exception', 'uncaught-exception'],
    ['Unhandled Promise Rejection', 'unhandled-rejection'],
  ] as const)('keeps the text after %s as the message', (text, label) => {
    expect(only(parse(textLine(REQUEST_ID, 'ERROR', `${text} \tsocket hang up`)))).toMatchObject({
      label,
      errorMessage: 'socket hang up',
    });
  });
});
