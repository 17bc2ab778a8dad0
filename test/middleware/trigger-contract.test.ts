import middy from '@middy/core';
import type { Context, PreSignUpTriggerEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { parseContractReport } from '../../contracts/contract-report';
import { triggerContract } from '../../middleware/trigger-contract';
import { TriggerContractError } from '../../middleware/trigger-contract-error';
import { REPORT_REQUEST_ID, stringlyAutoConfirmReport } from '../fixtures/triggers/contract-reports';
import * as e from '../fixtures/triggers/events';

type Event = Record<string, unknown>;

const REQUEST_ID = REPORT_REQUEST_ID;

const lambdaContext = (): Context => ({
  callbackWaitsForEmptyEventLoop: true,
  functionName: 'shop-presignup',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:us-west-2:123456789012:function:shop-presignup',
  memoryLimitInMB: '128',
  awsRequestId: REQUEST_ID,
  logGroupName: '/aws/lambda/shop-presignup',
  logStreamName: '2024/01/01/[$LATEST]abcdef',
  getRemainingTimeInMillis: () => 5_000,
  done: () => undefined,
  fail: () => undefined,
  succeed: () => undefined,
});

/** A real async trigger handler wrapped with middy and the middleware, recording log lines. */
const wrap = (mode: 'observe' | 'enforce', handle: (event: Event) => Promise<unknown>) => {
  const lines: string[] = [];
  const handler = middy<Event, unknown>()
    .use(triggerContract<Event, unknown>({ mode, log: (line) => lines.push(line) }))
    .handler(handle);
  return { lines, invoke: (event: Event) => handler(event, lambdaContext()) };
};

/** The seed incident: a PreSignUp handler that sets the flag as a string. */
const stringlyAutoConfirm = async (event: Event) => {
  (event.response as Record<string, unknown>).autoConfirmUser = 'true';
  return event;
};

const autoConfirm = async (event: Event) => {
  (event.response as Record<string, unknown>).autoConfirmUser = true;
  return event;
};

describe('triggerContract middleware', () => {
  it('observe: logs one WARN line with the violation and returns the response unchanged', async () => {
    const { lines, invoke } = wrap('observe', stringlyAutoConfirm);
    const result = (await invoke(e.preSignUpInput())) as Event;
    expect(result.response).toEqual({
      autoConfirmUser: 'true',
      autoVerifyEmail: false,
      autoVerifyPhone: false,
    });
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0] ?? '')).toEqual(stringlyAutoConfirmReport());
  });

  it('observe: logs one INFO line for a valid response', async () => {
    const { lines, invoke } = wrap('observe', autoConfirm);
    await invoke(e.preSignUpInput());
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0] ?? '')).toMatchObject({
      level: 'INFO',
      message: 'cognito-sentinel trigger contract ok',
      violations: [],
    });
  });

  it('enforce: logs, then throws TriggerContractError naming the field', async () => {
    const { lines, invoke } = wrap('enforce', stringlyAutoConfirm);
    const failure = invoke(e.preSignUpInput());
    await expect(failure).rejects.toBeInstanceOf(TriggerContractError);
    await expect(failure).rejects.toMatchObject({
      name: 'TriggerContractError',
      message: 'PreSignUp response invalid: response.autoConfirmUser must be a boolean, got string "true"',
      trigger: 'PreSignUp',
    });
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0] ?? '')).toMatchObject({ level: 'WARN' });
  });

  it('enforce: passes a valid response through', async () => {
    const { lines, invoke } = wrap('enforce', autoConfirm);
    const result = (await invoke(e.preSignUpInput())) as Event;
    expect(result.response).toMatchObject({ autoConfirmUser: true });
    expect(lines).toHaveLength(1);
  });

  it.each([
    ['a {statusCode, body} wrapper', async () => ({ statusCode: 200, body: 'ok' })],
    ['nothing', async () => undefined],
    ['a string', async () => 'done'],
  ])('enforce: rejects a PostConfirmation handler that returns %s', async (_name, handle) => {
    const { lines, invoke } = wrap('enforce', handle);
    await expect(invoke(e.postConfirmationInput())).rejects.toThrow(
      /^PostConfirmation response invalid: the handler returned/,
    );
    expect(JSON.parse(lines[0] ?? '')).toMatchObject({
      trigger: 'PostConfirmation',
      triggerSource: 'PostConfirmation_ConfirmSignUp',
      violations: [expect.objectContaining({ field: 'event' })],
    });
  });

  it('enforce: rejects a VerifyAuthChallengeResponse handler that never sets answerCorrect', async () => {
    const { invoke } = wrap('enforce', async (event) => event);
    await expect(invoke(e.verifyAuthChallengeInput())).rejects.toThrow(
      'VerifyAuthChallengeResponse response invalid: response.answerCorrect must be a boolean, got null',
    );
  });

  it('enforce: accepts a custom sender that returns nothing (its result is unused)', async () => {
    const { lines, invoke } = wrap('enforce', async () => undefined);
    await expect(invoke(e.customEmailSenderInput())).resolves.toBeUndefined();
    expect(JSON.parse(lines[0] ?? '')).toMatchObject({ level: 'INFO', trigger: 'CustomEmailSender' });
  });

  it.each(['observe', 'enforce'] as const)(
    '%s: logs an unknown triggerSource once as WARN and never throws',
    async (mode) => {
      const { lines, invoke } = wrap(mode, async (event) => event);
      const event = { ...e.preSignUpInput(), triggerSource: 'PreSignIn_Authentication' };
      await expect(invoke(event)).resolves.toEqual(event);
      expect(lines).toHaveLength(1);
      expect(JSON.parse(lines[0] ?? '')).toMatchObject({
        level: 'WARN',
        sentinel: 'trigger-contract/v1',
        triggerSource: 'PreSignIn_Authentication',
        violations: [],
        unknownTriggerSource: true,
      });
    },
  );

  it('writes no line when the handler throws (the runtime logs the error)', async () => {
    const { lines, invoke } = wrap('observe', async () => {
      throw new Error('deny sign-up');
    });
    await expect(invoke(e.preSignUpInput())).rejects.toThrow('deny sign-up');
    expect(lines).toEqual([]);
  });

  it.each(['observe', 'enforce'] as const)(
    '%s: the log line parses back as a contract report',
    async (mode) => {
      const { lines, invoke } = wrap(mode, stringlyAutoConfirm);
      await invoke(e.preSignUpInput()).catch(() => undefined);
      const report = parseContractReport(lines[0]);
      expect(report).toMatchObject({
        trigger: 'PreSignUp',
        requestId: REQUEST_ID,
        violations: [expect.objectContaining({ field: 'response.autoConfirmUser' })],
      });
    },
  );

  it('never logs user attributes, usernames, codes or the message text', async () => {
    const code = '482913';
    const { lines, invoke } = wrap('observe', async (event) => {
      event.response = {
        smsMessage: `Hi ${e.PERSONAL_DATA.name}, code ${code}`,
        emailMessage: `Dear ${e.PERSONAL_DATA.email} (${e.PERSONAL_DATA.phone}), your code is ${code}`,
        emailSubject: 12,
      };
      return event;
    });
    await invoke(e.customMessageInput());
    expect(lines).toHaveLength(1);
    const line = lines[0] ?? '';
    expect(JSON.parse(line)).toMatchObject({ level: 'WARN' });
    for (const value of [...Object.values(e.PERSONAL_DATA), code, 'Dear', 'your code']) {
      expect(line).not.toContain(value);
    }
  });

  it('uses console.log by default', async () => {
    const original = console.log;
    const lines: unknown[] = [];
    console.log = (line: unknown) => lines.push(line);
    try {
      const handler = middy<Event, unknown>()
        .use(triggerContract({ mode: 'observe' }))
        .handler(autoConfirm);
      await handler(e.preSignUpInput(), lambdaContext());
    } finally {
      console.log = original;
    }
    expect(lines).toHaveLength(1);
    expect(parseContractReport(lines[0])).toMatchObject({ level: 'INFO' });
  });

  it('rejects an unknown mode at creation', () => {
    expect(() => triggerContract({ mode: 'strict' as 'observe' })).toThrow(
      /mode must be one of observe, enforce/,
    );
  });
});

describe('triggerContract typing for trigger authors', () => {
  it('wraps a handler typed with @types/aws-lambda trigger events', async () => {
    const lines: string[] = [];
    const handler = middy<PreSignUpTriggerEvent, PreSignUpTriggerEvent>()
      .use(triggerContract({ mode: 'enforce', log: (line) => lines.push(line) }))
      .handler(async (event) => {
        event.response.autoConfirmUser = true;
        return event;
      });
    const event = e.preSignUpInput() as unknown as PreSignUpTriggerEvent;
    await expect(handler(event, lambdaContext())).resolves.toMatchObject({
      response: { autoConfirmUser: true },
    });
    expect(parseContractReport(lines[0])).toMatchObject({ level: 'INFO', trigger: 'PreSignUp' });
  });
});
