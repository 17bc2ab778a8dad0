import { describe, expect, it } from 'vitest';
import { parseContractReportLine, toContractReportObservation } from '../../../lib/logs/contract-report-line';

const report = {
  sentinel: 'trigger-contract/v1',
  trigger: 'DefineAuthChallenge',
  triggerSource: 'DefineAuthChallenge_Authentication',
  requestId: 'r-1',
  violations: [
    {
      field: 'response',
      expected: 'one of challengeName, issueTokens, failAuthentication',
      actual: '{}',
      message: 'no decision',
    },
  ],
};

describe('parseContractReportLine', () => {
  it('reads a report and ignores logger metadata beside it', () => {
    expect(parseContractReportLine({ ...report, level: 'INFO', service: 'x' })).toEqual({ ok: true, report });
  });

  it.each([
    ['no sentinel', { ...report, sentinel: undefined }],
    ['another sentinel', { ...report, sentinel: 'trigger-contract/v2' }],
    ['a string', 'trigger-contract/v1'],
    ['null', null],
  ])('ignores a value with %s', (_name, value) => {
    expect(parseContractReportLine(value)).toBeUndefined();
  });

  it.each([
    ['an unknown trigger', { ...report, trigger: 'PreSignIn' }, 'trigger'],
    ['violations that are not a list', { ...report, violations: {} }, 'violations'],
    [
      'a violation without a message',
      { ...report, violations: [{ field: 'f', expected: 'e', actual: 'a' }] },
      'violations.0.message',
    ],
  ])('explains a report with %s', (_name, value, path) => {
    const parsed = parseContractReportLine(value);
    expect(parsed).toMatchObject({ ok: false });
    expect((parsed as { problem: string }).problem).toContain(path);
  });
});

describe('toContractReportObservation', () => {
  const origin = { logGroup: '/aws/lambda/auth', timestamp: '2024-05-01T12:00:00.000Z' };

  it("prefers the record's request id over the line's", () => {
    expect(toContractReportObservation(report as never, origin, 'line', 'from-line')).toEqual({
      kind: 'contract-report',
      origin,
      requestId: 'r-1',
      trigger: 'DefineAuthChallenge',
      triggerSource: 'DefineAuthChallenge_Authentication',
      violations: report.violations,
      line: 'line',
    });
  });

  it("falls back to the line's request id", () => {
    const { requestId: _, ...withoutId } = report;
    expect(toContractReportObservation(withoutId as never, origin, 'line', 'from-line').requestId).toBe(
      'from-line',
    );
  });
});
