import { describe, expect, it } from 'vitest';
import { formatContractReport, toContractReport } from '../../contracts/contract-report';
import { validateTriggerEvent } from '../../contracts/validate';
import { parseContractReportLine, toContractReportObservation } from '../../logs/contract-report-line';
import * as e from '../fixtures/triggers/events';

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
  const preSignUp = (autoConfirmUser: unknown) => e.patchResponse(e.preSignUpInput, { autoConfirmUser });

  it.each([
    ['a violation', preSignUp('true'), 1],
    ['a clean response', preSignUp(true), 0],
  ])('reads back every record the middleware writes (%s)', (_name, event, violations) => {
    const written = formatContractReport(
      toContractReport({ result: validateTriggerEvent(event), event, requestId: 'r-9' }),
    );

    const parsed = parseContractReportLine(JSON.parse(written));

    expect(parsed).toMatchObject({ ok: true, report: { trigger: 'PreSignUp', requestId: 'r-9' } });
    expect((parsed as { report: { violations: unknown[] } }).report.violations).toHaveLength(violations);
  });

  it('skips the record the middleware writes for an unknown triggerSource', () => {
    const event = { ...preSignUp(true), triggerSource: 'Teleport_Now' };
    const written = formatContractReport(toContractReport({ result: validateTriggerEvent(event), event }));

    expect(parseContractReportLine(JSON.parse(written))).toEqual({ ok: 'skipped' });
  });

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
