import { describe, expect, it } from 'vitest';
import type { LogObservation } from '../../detectors/observations';
import { triggerError } from '../../detectors/trigger-error';
import {
  context,
  functionError,
  initReport,
  OTHER_REQUEST_ID,
  origin,
  originFor,
  originLocation,
  POOL,
  REQUEST_ID,
  report,
  timeoutLine,
} from '../fixtures/observations/builders';
import { expectOneFinding } from '../support/expect-finding';

const detect = (...observations: LogObservation[]) => triggerError.detect(observations, context());

/** The handler threw (text format), docs/cognito-triggers-and-logs.md / aws-lambda-power-tuning#140. */
const invokeError = () =>
  functionError({
    label: 'invoke-error',
    errorType: 'TimeoutError',
    errorMessage: 'Connection timed out after 120000ms',
  });

/** A syntax error in the handler module: the runtime crashes during init (requestId `undefined`). */
const initCrash = (): LogObservation[] => [
  functionError({
    label: 'uncaught-exception',
    requestId: null,
    errorType: 'Runtime.UserCodeSyntaxError',
    errorMessage: "SyntaxError: Unexpected token '}'",
  }),
  initReport({ status: 'error', errorType: 'Runtime.ExitError' }),
  report({ durationMs: 212.4, status: 'error', errorType: 'Runtime.ExitError' }),
];

describe('trigger-error', () => {
  it('reports a text-format Invoke Error with its errorType and errorMessage in the title', () => {
    const threw = invokeError();
    expect(detect(threw)).toEqual([
      {
        detector: 'trigger-error',
        severity: 'critical',
        title: 'PreSignUp trigger shop-presignup threw (TimeoutError: Connection timed out after 120000ms)',
        ...originLocation(),
        field: 'errorType',
        expected: 'no error',
        actual: 'TimeoutError',
        evidence: [threw.line],
        dedupKey: `trigger-error:${POOL}:PreSignUp:TimeoutError`,
        runbook: 'trigger-error',
      },
    ]);
  });

  it('merges the Invoke Error and the failed REPORT of the same request into one finding', () => {
    const findings = detect(
      invokeError(),
      report({ durationMs: 120.5, status: 'error', errorType: 'Runtime.Unknown' }),
    );
    expectOneFinding(findings, { actual: 'TimeoutError', requestId: REQUEST_ID });
    expect(findings[0]?.evidence).toHaveLength(2);
  });

  describe('JSON-format ERROR records', () => {
    const record = () =>
      functionError({ label: 'error-record', errorType: 'Error', errorMessage: 'user table unavailable' });

    it('reports nothing for an ERROR record alone: the handler may have caught and logged it', () => {
      expect(detect(record())).toEqual([]);
    });

    it('reports nothing for an ERROR record of an invocation that succeeded', () => {
      expect(detect(record(), report({ status: 'success', json: true }))).toEqual([]);
    });

    it('reports one finding once a failed platform.report of the same request confirms it', () => {
      const findings = detect(
        record(),
        report({ durationMs: 88.1, status: 'error', errorType: 'Error', json: true }),
      );
      expectOneFinding(findings, {
        title:
          'PreSignUp trigger shop-presignup failed (Error: user table unavailable); a plain Error here may be a deliberate refusal',
        severity: 'warning',
        requestId: REQUEST_ID,
        dedupKey: `trigger-error:${POOL}:PreSignUp:Error`,
      });
    });

    it('does not confirm an ERROR record with the failed report of another request', () => {
      const findings = detect(
        record(),
        report({
          requestId: OTHER_REQUEST_ID,
          status: 'failure',
          errorType: 'Runtime.ExitError',
          json: true,
        }),
      );
      expect(findings.map((finding) => finding.requestId)).toEqual([OTHER_REQUEST_ID]);
    });
  });

  describe('a crash during init', () => {
    it('reports Uncaught Exception + INIT_REPORT + failed REPORT as one finding with the specific type', () => {
      const findings = detect(...initCrash());
      expectOneFinding(findings, {
        severity: 'critical',
        actual: 'Runtime.UserCodeSyntaxError',
        requestId: REQUEST_ID,
        dedupKey: `trigger-error:${POOL}:PreSignUp:crash`,
      });
      expect(findings[0]?.title).toContain("Runtime.UserCodeSyntaxError: SyntaxError: Unexpected token '}'");
      expect(findings[0]?.evidence).toHaveLength(3);
    });

    it('gives the same single finding whatever order the lines arrive in', () => {
      const [uncaught, init, failed] = initCrash();
      if (!uncaught || !init || !failed) throw new Error('initCrash() builds three lines');
      for (const order of [
        [failed, init, uncaught],
        [init, failed, uncaught],
        [failed, uncaught, init],
      ]) {
        const findings = detect(...order);
        expect(findings).toHaveLength(1);
        expect(findings[0]?.actual).toBe('Runtime.UserCodeSyntaxError');
      }
    });

    it('keeps one dedup key when the crash lines arrive in two batches, wherever the batches split', () => {
      const lines = initCrash();
      for (let split = 1; split < lines.length; split++) {
        const keys = [detect(...lines.slice(0, split)), detect(...lines.slice(split))].flatMap((findings) =>
          findings.map((finding) => finding.dedupKey),
        );
        expect(new Set(keys), `split after line ${split}`).toEqual(
          new Set([`trigger-error:${POOL}:PreSignUp:crash`]),
        );
      }
    });

    it('folds the runtime-exit line of the suppressed-init invocation into the same finding', () => {
      const findings = detect(...initCrash(), functionError({ label: 'runtime-exit' }));
      expect(findings).toHaveLength(1);
      expect(findings[0]?.actual).toBe('Runtime.UserCodeSyntaxError');
    });

    it('reports a JSON platform.initReport error alone, without a request id', () => {
      const findings = detect(initReport({ status: 'error', errorType: 'Runtime.ImportModuleError' }));
      expectOneFinding(findings, {
        title: 'PreSignUp trigger shop-presignup failed to initialise (Runtime.ImportModuleError)',
        actual: 'Runtime.ImportModuleError',
      });
      expect(findings[0]).not.toHaveProperty('requestId');
    });

    it('reports an init timeout', () => {
      const findings = detect(
        initReport({ status: 'timeout', phase: 'invoke', errorType: undefined, durationMs: 3000.21 }),
      );
      expect(findings).toHaveLength(1);
      expect(findings[0]?.title).toContain('timed out while initialising');
    });

    it('reports nothing for a successful INIT_REPORT', () => {
      expect(detect(initReport({ status: 'success', errorType: undefined }))).toEqual([]);
    });

    it('keeps a failed REPORT in another log stream apart from the init crash', () => {
      const otherStream = origin({ logStream: '2024/05/01/[$LATEST]0c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f' });
      const findings = detect(
        ...initCrash(),
        report({
          origin: otherStream,
          requestId: OTHER_REQUEST_ID,
          status: 'error',
          errorType: 'Runtime.ExitError',
        }),
      );
      expect(findings.map((finding) => finding.actual).sort()).toEqual([
        'Runtime.ExitError',
        'Runtime.UserCodeSyntaxError',
      ]);
    });
  });

  it.each<[string, LogObservation[], string, string]>([
    [
      'a runtime-exit line',
      [functionError({ label: 'runtime-exit' })],
      'crashed (runtime exited)',
      'Runtime.ExitError',
    ],
    [
      'an old-runtime "Process exited before completing request"',
      [
        functionError({
          label: 'runtime-exit',
          errorType: undefined,
          errorMessage: 'Process exited before completing request',
        }),
      ],
      'crashed (runtime exited)',
      'Error',
    ],
    [
      'an Unhandled Promise Rejection',
      [
        functionError({
          label: 'unhandled-rejection',
          errorType: 'Runtime.UnhandledPromiseRejection',
          errorMessage: 'Error: table not found',
        }),
      ],
      'crashed on an unhandled promise rejection',
      'Runtime.UnhandledPromiseRejection',
    ],
    [
      'an uncaught exception during an invocation, then the runtime exit and failed REPORT',
      [
        functionError({
          label: 'uncaught-exception',
          errorType: 'TypeError',
          errorMessage: "Cannot read properties of undefined (reading 'email')",
        }),
        functionError({ label: 'runtime-exit' }),
        report({ status: 'error', errorType: 'Runtime.ExitError' }),
      ],
      'crashed',
      'TypeError',
    ],
    [
      'a REPORT Status: error Runtime.OutOfMemory',
      [
        report({
          durationMs: 812.44,
          maxMemoryUsedMb: 1024,
          memorySizeMb: 1024,
          status: 'error',
          errorType: 'Runtime.OutOfMemory',
        }),
      ],
      'failed',
      'Runtime.OutOfMemory',
    ],
  ])('reports %s as one finding', (_name, observations, verb, type) => {
    const findings = detect(...observations);
    expect(findings).toHaveLength(1);
    expect(findings[0]?.title).toContain(verb);
    expect(findings[0]?.actual).toBe(type);
    // A crash keys on `crash` (its lines may arrive in several batches); a failed report with a specific type keeps it.
    const keyPart = type === 'Runtime.OutOfMemory' ? type : 'crash';
    expect(findings[0]?.dedupKey).toBe(`trigger-error:${POOL}:PreSignUp:${keyPart}`);
  });

  it('gives distinct error types distinct dedup keys, and one type one key across requests', () => {
    const findings = detect(
      invokeError(),
      functionError({ requestId: OTHER_REQUEST_ID, errorType: 'TimeoutError', errorMessage: 'again' }),
      functionError({
        requestId: '0d8a4a1f-4a4b-4b8e-9b7e-2f6d3e1c9a10',
        errorType: 'ValidationError',
        errorMessage: 'bad email',
      }),
    );
    expect(findings.map((finding) => finding.dedupKey)).toEqual([
      `trigger-error:${POOL}:PreSignUp:TimeoutError`,
      `trigger-error:${POOL}:PreSignUp:TimeoutError`,
      `trigger-error:${POOL}:PreSignUp:ValidationError`,
    ]);
  });

  it('reports an asynchronous custom sender failure with severity error', () => {
    const findings = detect(
      invokeError(),
      report({ origin: originFor('CustomEmailSender'), requestId: OTHER_REQUEST_ID, status: 'error' }),
    );
    expect(findings.map((finding) => [finding.trigger, finding.severity])).toEqual([
      ['PreSignUp', 'critical'],
      ['CustomEmailSender', 'error'],
    ]);
  });

  it('cuts a long error message to 160 characters in the title, marking the cut', () => {
    const [finding] = detect(functionError({ errorType: 'TypeError', errorMessage: 'x'.repeat(1000) }));
    expect(finding?.title).toBe(`PreSignUp trigger shop-presignup threw (TypeError: ${'x'.repeat(159)}…)`);
  });

  it.each<[string, LogObservation[]]>([
    ['a healthy REPORT', [report({ status: 'success' })]],
    ['a REPORT without a status', [report()]],
    [
      'a timeout (trigger-timeout owns it)',
      [timeoutLine(5.01), report({ durationMs: 5000, status: 'timeout' })],
    ],
    ['nothing at all', []],
  ])('reports nothing for %s', (_name, observations) => {
    expect(detect(...observations)).toEqual([]);
  });

  describe('deliberate refusals', () => {
    const refusal = (trigger: Parameters<typeof originFor>[0], errorType: string, errorMessage: string) =>
      functionError({ origin: originFor(trigger), label: 'invoke-error', errorType, errorMessage });

    it.each(['PreSignUp', 'PreAuthentication', 'UserMigration'] as const)(
      'reports a plain Error thrown by %s as a warning that may be a deliberate refusal',
      (trigger) => {
        const [finding, ...rest] = detect(
          refusal(trigger, 'Error', 'Sign-ups from this domain are not allowed'),
        );

        expect(rest).toEqual([]);
        expect(finding?.severity).toBe('warning');
        expect(finding?.title).toContain('deliberate refusal');
      },
    );

    it.each([
      ['a TypeError', 'TypeError', "Cannot read properties of undefined (reading 'email')"],
      ['a plain Error with a system code', 'Error', 'connect ECONNREFUSED 10.0.0.12:5432'],
      ['a plain Error that timed out', 'Error', 'Connection timed out after 2000ms'],
    ])('still pages critical for %s in PreSignUp', (_name, errorType, errorMessage) => {
      const [finding] = detect(refusal('PreSignUp', errorType, errorMessage));
      expect(finding?.severity).toBe('critical');
    });

    it('pages critical for a plain Error in a trigger that has no refusal semantics', () => {
      const [finding] = detect(refusal('PreTokenGeneration', 'Error', 'tenant lookup failed'));
      expect(finding?.severity).toBe('critical');
    });
  });
});
