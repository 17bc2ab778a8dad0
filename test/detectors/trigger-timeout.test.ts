import { describe, expect, it } from 'vitest';
import type { LogObservation } from '../../detectors/observations';
import { triggerTimeout } from '../../detectors/trigger-timeout';
import type { DetectorConfig } from '../../detectors/types';
import {
  context,
  FUNCTION,
  LOG_GROUP,
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

const detect = (observations: LogObservation[], config: Partial<DetectorConfig> = {}) =>
  triggerTimeout.detect(observations, context(config));

const DEDUP_KEY = `trigger-timeout:${POOL}:PreSignUp`;

describe('trigger-timeout', () => {
  it('reports a Lambda timeout and its REPORT Status: timeout as one finding', () => {
    const timedOut = timeoutLine(5.01);
    const reported = report({ durationMs: 5000, status: 'timeout' });
    const findings = detect([timedOut, reported]);
    expect(findings).toEqual([
      {
        detector: 'trigger-timeout',
        severity: 'critical',
        title:
          'PreSignUp trigger shop-presignup timed out after 5.01 s; Cognito fails the sign-in or sign-up that called it',
        ...originLocation(),
        field: 'duration',
        expected: 'under 5.00 s',
        actual: '5.01 s',
        evidence: [timedOut.line, reported.line],
        dedupKey: DEDUP_KEY,
        runbook: 'trigger-timeout',
      },
    ]);
  });

  it.each<[string, LogObservation[]]>([
    ['a timeout line alone', [timeoutLine(3.01)]],
    ['a REPORT with Status: timeout alone', [report({ durationMs: 3000, status: 'timeout' })]],
    [
      'a JSON platform.report with status timeout',
      [report({ durationMs: 5000.112, status: 'timeout', json: true })],
    ],
    [
      "Lambda's default 3 s timeout in the older format (timeout line, REPORT without Status)",
      [timeoutLine(3.0), report({ durationMs: 3003.18 })],
    ],
    [
      'a suppressed-init timeout (Status: timeout with an Init Duration)',
      [report({ durationMs: 1800, initDurationMs: 1200, status: 'timeout' })],
    ],
  ])('reports %s as one Lambda timeout', (_name, observations) => {
    const findings = detect(observations);
    expectOneFinding(findings, { severity: 'critical', requestId: REQUEST_ID, dedupKey: DEDUP_KEY });
    expect(findings[0]?.title).toContain('timed out');
  });

  it("reports a synchronous trigger that finished after Cognito's 5 s wait", () => {
    const findings = detect([report({ durationMs: 5200, status: 'success' })]);
    expectOneFinding(findings, {
      severity: 'critical',
      field: 'duration',
      expected: 'under 5.00 s',
      actual: '5.20 s',
      dedupKey: DEDUP_KEY,
    });
    expect(findings[0]?.title).toBe(
      "PreSignUp trigger shop-presignup ran for 5.20 s, past Cognito's 5.00 s wait; the caller already failed",
    );
  });

  it('counts a cold start: 4000 ms plus 1200 ms of init is past the wait', () => {
    const findings = detect([report({ durationMs: 4000, initDurationMs: 1200 })]);
    expectOneFinding(findings, { actual: '5.20 s' });
  });

  it.each<{ name: string; durationMs: number; initDurationMs?: number; count: number }>([
    { name: 'exactly 5000 ms', durationMs: 5000, count: 1 },
    { name: '4999 ms', durationMs: 4999, count: 0 },
    { name: '4000 ms with 999 ms of init', durationMs: 4000, initDurationMs: 999, count: 0 },
    { name: '4000 ms with 1000 ms of init', durationMs: 4000, initDurationMs: 1000, count: 1 },
    { name: 'a healthy 48 ms cold start (182 ms init)', durationMs: 48, initDurationMs: 182.4, count: 0 },
  ])('at the 5 s boundary: $name gives $count finding(s)', ({ durationMs, initDurationMs, count }) => {
    const observation = report({ durationMs, ...(initDurationMs !== undefined ? { initDurationMs } : {}) });
    expect(detect([observation])).toHaveLength(count);
  });

  it('reports nothing for a healthy 48 ms REPORT', () => {
    expect(detect([report({ durationMs: 48.21, status: 'success' })])).toEqual([]);
  });

  describe('asynchronous custom sender triggers', () => {
    const sender = originFor('CustomEmailSender');

    it('ignores 6 s of work: Cognito does not wait for a custom sender', () => {
      expect(detect([report({ origin: sender, durationMs: 6000, status: 'success' })])).toEqual([]);
    });

    it('reports a Lambda timeout with severity error', () => {
      const findings = detect([report({ origin: sender, durationMs: 6000, status: 'timeout' })]);
      expectOneFinding(findings, {
        severity: 'error',
        trigger: 'CustomEmailSender',
        dedupKey: `trigger-timeout:${POOL}:CustomEmailSender`,
      });
    });

    it('reports a timeout line with severity error', () => {
      expect(detect([timeoutLine(6.0, { origin: originFor('CustomSMSSender') })])[0]?.severity).toBe('error');
    });
  });

  describe('dedup keys', () => {
    it('keeps one key per function across invocations, one finding per invocation', () => {
      const later = origin({ timestamp: '2024-05-01T12:04:00.000Z' });
      const findings = detect([
        timeoutLine(5.01),
        report({ status: 'timeout', durationMs: 5000 }),
        timeoutLine(5.02, { origin: later, requestId: OTHER_REQUEST_ID }),
        report({ origin: later, requestId: OTHER_REQUEST_ID, durationMs: 5300, status: 'success' }),
      ]);
      expect(findings.map((finding) => finding.requestId)).toEqual([REQUEST_ID, OTHER_REQUEST_ID]);
      expect(new Set(findings.map((finding) => finding.dedupKey))).toEqual(new Set([DEDUP_KEY]));
      for (const finding of findings) expect(finding.dedupKey).not.toMatch(/2024|\d{2}:\d{2}/);
    });

    it('separates triggers of one pool', () => {
      const findings = detect([
        timeoutLine(5.01),
        timeoutLine(5.01, { origin: originFor('DefineAuthChallenge'), requestId: OTHER_REQUEST_ID }),
      ]);
      expect(findings.map((finding) => finding.dedupKey)).toEqual([
        DEDUP_KEY,
        `trigger-timeout:${POOL}:DefineAuthChallenge`,
      ]);
    });

    it('falls back to the log group and function name when the pool and trigger are unknown', () => {
      const unknown = origin({ userPoolId: undefined, region: undefined, trigger: undefined });
      const findings = detect([timeoutLine(5.01, { origin: unknown })]);
      expect(findings[0]).toMatchObject({
        severity: 'critical',
        dedupKey: `trigger-timeout:${LOG_GROUP}:${FUNCTION}`,
        title:
          'Lambda shop-presignup timed out after 5.01 s; Cognito fails the sign-in or sign-up that called it',
      });
      expect(findings[0]).not.toHaveProperty('trigger');
    });
  });

  it('keeps the same request id in two log groups apart', () => {
    const findings = detect([
      timeoutLine(5.01),
      timeoutLine(5.01, { origin: originFor('PostConfirmation') }),
    ]);
    expect(findings).toHaveLength(2);
  });

  it('honours a configured Cognito wait', () => {
    expect(detect([report({ durationMs: 4200 })], { cognitoTimeoutMs: 4000 })[0]).toMatchObject({
      expected: 'under 4.00 s',
      actual: '4.20 s',
    });
  });

  it('ignores lines that are not invocation reports or timeouts', () => {
    expect(detect([])).toEqual([]);
  });
});
