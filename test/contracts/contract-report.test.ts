import { describe, expect, it } from 'vitest';
import {
  CONTRACT_REPORT_SENTINEL,
  formatContractReport,
  parseContractReport,
  toContractReport,
} from '../../contracts/contract-report';
import { validateTriggerEvent, validateTriggerReturn } from '../../contracts/validate';
import { REPORT_REQUEST_ID, stringlyAutoConfirmReport } from '../fixtures/triggers/contract-reports';
import * as e from '../fixtures/triggers/events';

const REQUEST_ID = REPORT_REQUEST_ID;

describe('contract report', () => {
  it('writes the violated record with the exact keys, in order', () => {
    const event = e.patchResponse(e.preSignUpInput, { autoConfirmUser: 'true' });
    const line = formatContractReport(
      toContractReport({ result: validateTriggerEvent(event), event, requestId: REQUEST_ID }),
    );
    expect(line).toBe(JSON.stringify(stringlyAutoConfirmReport()));
  });

  it('writes an INFO ok record without violations', () => {
    const event = e.preSignUpReturned();
    const report = toContractReport({ result: validateTriggerEvent(event), event, requestId: REQUEST_ID });
    expect(report).toMatchObject({
      level: 'INFO',
      message: 'cognito-sentinel trigger contract ok',
      violations: [],
    });
  });

  it('writes an unknown-trigger-source record', () => {
    const event = { triggerSource: 'Mystery_Thing', userPoolId: 'us-west-2_EXAMPLE' };
    const report = toContractReport({ result: validateTriggerReturn(event, event), event });
    expect(report).toEqual({
      level: 'WARN',
      message: 'cognito-sentinel trigger contract skipped: unknown triggerSource',
      sentinel: CONTRACT_REPORT_SENTINEL,
      triggerSource: 'Mystery_Thing',
      userPoolId: 'us-west-2_EXAMPLE',
      violations: [],
      unknownTriggerSource: true,
    });
  });

  it.each([
    ['a violated report', e.patchResponse(e.preSignUpInput, { autoConfirmUser: 'true' })],
    ['an ok report', e.preSignUpReturned()],
    ['an unknown-source report', { triggerSource: 'Mystery_Thing' }],
    ['a report without pool or client', { triggerSource: 'PreSignUp_SignUp', response: {} }],
  ])('reads back %s from the object and from the line', (_name, event) => {
    const report = toContractReport({
      result: validateTriggerReturn(event, event),
      event,
      requestId: REQUEST_ID,
    });
    const line = formatContractReport(report);
    expect(parseContractReport(JSON.parse(line))).toEqual(report);
    expect(parseContractReport(line)).toEqual(report);
  });

  it.each<[string, unknown]>([
    ['a plain log message', 'START RequestId: 1 Version: $LATEST'],
    ['broken JSON mentioning the sentinel', '{"sentinel":"trigger-contract/v1",'],
    [
      'another sentinel version',
      {
        level: 'INFO',
        message: 'cognito-sentinel trigger contract ok',
        sentinel: 'trigger-contract/v2',
        trigger: 'PreSignUp',
        triggerSource: 'PreSignUp_SignUp',
        violations: [],
      },
    ],
    [
      'an unknown trigger',
      {
        level: 'INFO',
        message: 'cognito-sentinel trigger contract ok',
        sentinel: 'trigger-contract/v1',
        trigger: 'PreSignIn',
        triggerSource: 'X_Y',
        violations: [],
      },
    ],
    [
      'an ok message with violations',
      {
        level: 'INFO',
        message: 'cognito-sentinel trigger contract ok',
        sentinel: 'trigger-contract/v1',
        trigger: 'PreSignUp',
        triggerSource: 'PreSignUp_SignUp',
        violations: [{ field: 'a', expected: 'b', actual: 'c', message: 'd' }],
      },
    ],
    [
      'a violated message without violations',
      {
        level: 'WARN',
        message: 'cognito-sentinel trigger contract violated',
        sentinel: 'trigger-contract/v1',
        trigger: 'PreSignUp',
        triggerSource: 'PreSignUp_SignUp',
        violations: [],
      },
    ],
    [
      'a record without trigger',
      {
        level: 'INFO',
        message: 'cognito-sentinel trigger contract ok',
        sentinel: 'trigger-contract/v1',
        triggerSource: 'PreSignUp_SignUp',
        violations: [],
      },
    ],
    ['a trigger event', e.preSignUpInput()],
    ['null', null],
    ['a number', 42],
  ])('does not recognise %s', (_name, value) => {
    expect(parseContractReport(value)).toBeUndefined();
  });
});
