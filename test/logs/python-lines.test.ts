/**
 * What Python trigger functions write, read through the batch reader: lines produced by CPython
 * (print, json.dumps, logging with the Lambda runtime's format string, a real KeyError traceback)
 * and Powertools' own example outputs (test/fixtures/logs/python-lines.json names the sources).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runTriggerLogDetectors as runDetectors } from '../../detectors';
import type { FunctionErrorObservation, LogObservation } from '../../detectors/observations';
import { DEFAULT_DETECTOR_CONFIG } from '../../detectors/types';
import { parseLiteral } from '../../logs/find-payloads';
import { parseLogEvents } from '../../logs/parse-log-events';
import { DEFAULT_LOG_STREAM, endLine, reportLine, startLine } from '../support/log-payloads';

const PY = JSON.parse(
  readFileSync(new URL('../fixtures/logs/python-lines.json', import.meta.url), 'utf8'),
) as Record<string, string> & { print_inputs: string[]; traceback_lines: string[] };

const LOG_GROUP = '/aws/lambda/shop-presignup';
const REQUEST_ID = '5f3d2c1b-0a9e-4d8c-b7a6-958473625140';
const options = {
  resolveLogGroup: () => ({ trigger: 'PreSignUp' as const, userPoolId: 'eu-west-1_Dem0P00l1' }),
};

const read = (lines: readonly string[], logGroup = LOG_GROUP, withTrigger = true) =>
  parseLogEvents(
    {
      logGroup,
      logStream: DEFAULT_LOG_STREAM,
      events: lines.map((message, index) => ({
        id: String(index),
        timestamp: 1_795_684_500_000 + index,
        message,
      })),
    },
    withTrigger ? options : {},
  );

const findingsOf = (lines: readonly string[], withTrigger = true) =>
  runDetectors(read(lines, LOG_GROUP, withTrigger).observations, {
    config: DEFAULT_DETECTOR_CONFIG,
    now: new Date('2026-11-26T09:16:00Z'),
  });

const errorsOf = (observations: readonly LogObservation[]) =>
  observations.filter((o): o is FunctionErrorObservation => o.kind === 'function-error');

const SEED = {
  detector: 'trigger-response-invalid',
  trigger: 'PreSignUp',
  triggerSource: 'PreSignUp_SignUp',
  field: 'response.autoConfirmUser',
  expected: 'boolean',
  actual: 'string "true"',
};

describe('Python trigger logs', () => {
  it.each([
    ['print(event)', 'print_event'],
    ['print(json.dumps(event))', 'print_json_dumps'],
    ['logging.info("Returning %s", event) in the runtime text format', 'logging_info'],
    ['Powertools Logger log_event', 'powertools_log_event'],
    ["Lambda's JSON log format (message is str(event))", 'json_format_info'],
  ])('finds the seed incident in %s', (_name, key) => {
    const findings = findingsOf([PY[key] as string]);
    expect(findings).toEqual([expect.objectContaining(SEED)]);
  });

  it('finds it in print(event) without knowing the log group (by triggerSource)', () => {
    expect(findingsOf([PY.print_event as string], false)).toEqual([
      expect.objectContaining({ ...SEED, trigger: 'PreSignUp' }),
    ]);
  });

  it('takes the time and request id of a logging line', () => {
    const [observation] = read([PY.logging_info as string]).observations;
    expect(observation).toMatchObject({ requestId: '06714103-4950-42a6-8da9-27b2842f79bc' });
  });

  it('raises nothing for input events printed on arrival (None placeholders)', () => {
    const batch = parseLogEvents({
      logGroup: '/aws/lambda/any-trigger',
      events: PY.print_inputs.map((message) => ({ message })),
    });
    expect(batch.observations.map((o) => o.kind)).toEqual([
      'trigger-payload',
      'trigger-payload',
      'trigger-payload',
    ]);
    expect(runDetectors(batch.observations, { config: DEFAULT_DETECTOR_CONFIG, now: new Date() })).toEqual(
      [],
    );
  });

  it('reads escaped quotes and backslashes in a printed CustomMessage response', () => {
    const [observation] = read([PY.print_escapes as string]).observations;
    // The code placeholder was read inside the escaped text: the message meets the contract.
    expect(observation).toMatchObject({ kind: 'trigger-payload', trigger: 'CustomMessage', violations: [] });
    expect(parseLiteral(PY.print_escapes as string)).toMatchObject({
      response: { emailSubject: 'It\'s "ready"', emailMessage: 'Code {####} \\ done\n' },
    });
  });

  describe('errors', () => {
    it.each([
      ['a space', `START RequestId: ${REQUEST_ID} Version: $LATEST\n`],
      ['a tab before any space', `START RequestId: ${REQUEST_ID}\tVersion: $LATEST\n`],
      ['a tab, no space', `START RequestId: ${REQUEST_ID}\tVersion:1\n`],
      ['nothing', `START RequestId: ${REQUEST_ID}`],
    ])('takes the START line request id up to %s', (_name, start) => {
      const batch = read([start, PY.runtime_error_text_telemetry as string]);
      expect(errorsOf(batch.observations).map((o) => o.requestId)).toEqual([REQUEST_ID]);
    });

    it.each([
      ['nothing after it', 'START RequestId:'],
      ['a space', 'START RequestId: '],
      ['a space where the id belongs', 'START RequestId:  Version: $LATEST\n'],
    ])('takes no request id from a START line with %s, nor from the START line before it', (_name, start) => {
      const batch = read([startLine(REQUEST_ID), start, PY.runtime_error_text_telemetry as string]);
      expect(errorsOf(batch.observations).map((o) => o.requestId)).toEqual([undefined]);
    });

    it.each([
      ['one log event (\\n, the telemetry sink)', 'runtime_error_text_telemetry'],
      ['one stdout line (\\r)', 'runtime_error_text_stdout'],
    ])('reads the runtime [ERROR] record in %s with the request id of its START line', (_name, key) => {
      const batch = read([startLine(REQUEST_ID), PY[key] as string, endLine(REQUEST_ID)]);
      expect(errorsOf(batch.observations)).toEqual([
        expect.objectContaining({
          label: 'invoke-error',
          errorType: 'KeyError',
          errorMessage: "'email'",
          requestId: REQUEST_ID,
        }),
      ]);
      const findings = findingsOf([startLine(REQUEST_ID), PY[key] as string, endLine(REQUEST_ID)]);
      expect(findings).toEqual([
        expect.objectContaining({ detector: 'trigger-error', severity: 'critical', actual: 'KeyError' }),
      ]);
    });

    it("reads the runtime's JSON error record (log_level, not level)", () => {
      expect(errorsOf(read([PY.runtime_error_json as string]).observations)).toEqual([
        expect.objectContaining({ label: 'invoke-error', errorType: 'KeyError', requestId: REQUEST_ID }),
      ]);
    });

    it.each([
      ['Runtime.ImportModuleError, text', 'import_error_text', 'Runtime.ImportModuleError'],
      ['Runtime.ImportModuleError, JSON', 'import_error_json', 'Runtime.ImportModuleError'],
      ['Runtime.HandlerNotFound, text', 'handler_not_found_text', 'Runtime.HandlerNotFound'],
    ])('reports an init failure (%s) as trigger-error without a request id', (_name, key, type) => {
      const findings = findingsOf([PY.logging_init_warning as string, PY[key] as string]);
      expect(findings).toEqual([expect.objectContaining({ detector: 'trigger-error', actual: type })]);
      expect(findings[0]).not.toHaveProperty('requestId');
    });

    it('reads a logger.exception traceback in one event as evidence only (the handler caught it)', () => {
      const batch = read([startLine(REQUEST_ID), PY.logging_exception_text as string]);
      expect(errorsOf(batch.observations)).toEqual([
        expect.objectContaining({ label: 'error-record', errorType: 'KeyError', requestId: REQUEST_ID }),
      ]);
      expect(findingsOf([PY.logging_exception_text as string])).toEqual([]);
    });

    it('reads a traceback split across log events, ending at its exception line', () => {
      const batch = read([startLine(REQUEST_ID), ...PY.traceback_lines, 'after the traceback']);
      expect(errorsOf(batch.observations)).toEqual([
        expect.objectContaining({
          label: 'error-record',
          errorType: 'KeyError',
          errorMessage: "'email'",
          requestId: REQUEST_ID,
        }),
      ]);
      // Header, frames and exception line are readable, nothing unreadable.
      expect(batch.stats).toMatchObject({ lines: PY.traceback_lines.length + 2, unreadable: 0 });
    });

    it('closes a split traceback when the stream moves on, so later lines read as usual', () => {
      const batch = read([
        PY.traceback_lines[0] as string,
        endLine(REQUEST_ID),
        reportLine({ requestId: REQUEST_ID, durationMs: 4100 }),
      ]);
      expect(batch.observations.map((o) => o.kind)).toEqual(['invocation-report']);
    });

    it("reads Powertools' logger.exception record with the exception's class", () => {
      expect(errorsOf(read([PY.powertools_exception as string]).observations)).toEqual([
        expect.objectContaining({
          label: 'error-record',
          errorType: 'HTTPError',
          errorMessage: '500 Server Error: INTERNAL SERVER ERROR for url: http://httpbin.org/status/500',
        }),
      ]);
    });
  });
});
