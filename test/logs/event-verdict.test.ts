/**
 * A parsed event whose check inputs equal the last event's (same triggerSource, version, flat
 * response and context digest) reuses its verdict within an input. Held to the contract judged on
 * each event alone over generated sequences in every format a PreSignUp event is logged in, and
 * counted: how often the check runs (never timed).
 */
import { inspect } from 'node:util';
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as preSignUp from '../../contracts/pre-sign-up';
import { validateTriggerEvent } from '../../contracts/validate';
import type { LogObservation, TriggerPayloadObservation } from '../../detectors/observations';
import { parseLogEvents } from '../../logs/parse-log-events';
import { BASE_TIME, jsonAppRecord, requestIdOf, textLine } from '../support/log-payloads';

// A pass-through wrapper, so the real check runs and its calls are counted.
vi.mock('../../contracts/pre-sign-up', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../contracts/pre-sign-up')>();
  return { ...original, checkPreSignUp: vi.fn(original.checkPreSignUp) };
});

const LOG_GROUP = '/aws/lambda/shop-presignup';
const options = {
  resolveLogGroup: () => ({ trigger: 'PreSignUp' as const, userPoolId: 'eu-west-1_x', region: 'eu-west-1' }),
};

const FORMATS = ['text-json', 'text-inspect', 'lambda-json', 'powertools'] as const;
type Format = (typeof FORMATS)[number];

/** The line a function writes for `event` in `format`, as the index'th invocation. */
const lineOf = (event: Record<string, unknown>, format: Format, index: number): string => {
  const requestId = requestIdOf(index);
  switch (format) {
    case 'text-json':
      return textLine(requestId, 'INFO', `Returning ${JSON.stringify(event)}`);
    case 'text-inspect':
      return textLine(
        requestId,
        'INFO',
        `Received ${inspect(event, { breakLength: Number.POSITIVE_INFINITY })}`,
      );
    case 'lambda-json':
      return jsonAppRecord(requestId, 'INFO', { returning: event });
    case 'powertools':
      return JSON.stringify({
        level: 'INFO',
        message: 'Returning',
        timestamp: BASE_TIME,
        service: 'shop-presignup',
        function_request_id: requestId,
        event,
      });
  }
};

const preSignUpEvent = (
  index: number,
  response: Record<string, unknown>,
  attributes: Record<string, unknown> = { email: `user-${index}@example.com` },
  triggerSource = 'PreSignUp_SignUp',
  version: unknown = '1',
) => ({
  version,
  region: 'eu-west-1',
  userPoolId: `eu-west-1_pool${index % 3}`,
  userName: `user-${index}`,
  callerContext: { awsSdkVersion: 'aws-sdk-js-3.1169.0', clientId: `client-${index % 2}` },
  triggerSource,
  request: { userAttributes: attributes, validationData: null },
  response,
});

const payloads = (observations: readonly LogObservation[]): TriggerPayloadObservation[] =>
  observations.filter((o): o is TriggerPayloadObservation => o.kind === 'trigger-payload');

const read = (lines: readonly string[]) =>
  parseLogEvents({ logGroup: LOG_GROUP, events: lines.map((message) => ({ message })) }, options);

const verdictOf = (observation: TriggerPayloadObservation) => ({
  trigger: observation.trigger,
  triggerSource: observation.triggerSource,
  violations: observation.violations,
  userPoolId: observation.userPoolId,
  region: observation.region,
  clientId: observation.clientId,
});

/** What judging the event alone gives, and the place a broken one names. */
const expectedOf = (event: Record<string, unknown>) => {
  const result = validateTriggerEvent(event);
  const violations = result.ok === false ? result.violations : [];
  const broken = violations.length > 0;
  const callerContext = event.callerContext as { clientId: string };
  return {
    trigger: 'PreSignUp',
    triggerSource: event.triggerSource,
    violations,
    userPoolId: broken ? event.userPoolId : undefined,
    region: broken ? event.region : undefined,
    clientId: broken ? callerContext.clientId : undefined,
  };
};

afterEach(() => {
  vi.mocked(preSignUp.checkPreSignUp).mockClear();
});

describe('PreSignUp events parsed within one input', () => {
  it('are judged once while the check inputs repeat, in every format', () => {
    const response = { autoConfirmUser: true, autoVerifyEmail: true, autoVerifyPhone: false };
    const lines = Array.from({ length: 40 }, (_, index) =>
      lineOf(preSignUpEvent(index, response), FORMATS[index % 4] as Format, index),
    );
    vi.mocked(preSignUp.checkPreSignUp).mockClear();
    const events = payloads(read(lines).observations);
    expect(events).toHaveLength(40);
    for (const event of events) expect(event).toMatchObject({ shape: 'event', violations: [] });
    // The first event only (the JSON text line is parsed whole: PreSignUp's check reads the request).
    expect(preSignUp.checkPreSignUp).toHaveBeenCalledTimes(1);
  });

  it('are judged afresh when a flag, the attributes it needs, the source or the version change', () => {
    const good = { autoConfirmUser: true, autoVerifyEmail: true, autoVerifyPhone: false };
    const events = [
      preSignUpEvent(0, good),
      preSignUpEvent(1, good, {}),
      preSignUpEvent(2, good, { email: '' }),
      preSignUpEvent(3, good, { email: 'a@example.com' }, 'PreSignUp_AdminCreateUser'),
      preSignUpEvent(4, { ...good, autoConfirmUser: 'true' }),
      preSignUpEvent(5, { ...good, autoVerifyPhone: true }),
      preSignUpEvent(
        6,
        { ...good, autoVerifyPhone: true },
        { email: 'a@example.com', phone_number: '+15555550100' },
      ),
      preSignUpEvent(7, good, undefined, 'PreSignUp_SignUp', 1),
      preSignUpEvent(8, { autoVerifyEmail: true, autoConfirmUser: true, autoVerifyPhone: false }),
    ];
    const expected = events.map(expectedOf);
    vi.mocked(preSignUp.checkPreSignUp).mockClear();
    const observed = payloads(
      read(events.map((event, index) => lineOf(event, 'text-json', index))).observations,
    );
    expect(observed.map(verdictOf)).toEqual(expected);
    expect(expected.filter((verdict) => verdict.violations.length > 0)).toHaveLength(4);
    // Each event above differs from the one before it in something the check reads.
    expect(preSignUp.checkPreSignUp).toHaveBeenCalledTimes(events.length);
  });

  it('every event gets the verdict of the contract judged on it alone (property)', () => {
    const flag = fc.constantFrom<unknown>(true, false, null, 'true', 0, -0);
    const response = fc.record(
      { autoConfirmUser: flag, autoVerifyEmail: flag, autoVerifyPhone: flag },
      { requiredKeys: ['autoConfirmUser'] },
    );
    const attributes = fc.record(
      {
        email: fc.constantFrom<unknown>('a@example.com', 'b@example.com', '', ' ', null, 7),
        phone_number: fc.constantFrom<unknown>('+15555550100', '', null),
      },
      { requiredKeys: [] },
    );
    const step = fc.record({
      // Drawn from a small pool so that consecutive events often share their inputs.
      response: fc.integer({ min: 0, max: 2 }),
      attributes,
      triggerSource: fc.constantFrom('PreSignUp_SignUp', 'PreSignUp_AdminCreateUser', 'PreSignUp_Bogus'),
      version: fc.constantFrom<unknown>('1', '1', 1),
      format: fc.constantFrom(...FORMATS),
    });
    fc.assert(
      fc.property(
        fc.array(response, { minLength: 3, maxLength: 3 }),
        fc.array(step, { minLength: 1, maxLength: 12 }),
        (pool, steps) => {
          const events = steps.map((s, index) =>
            preSignUpEvent(
              index,
              pool[s.response] as Record<string, unknown>,
              s.attributes,
              s.triggerSource,
              s.version,
            ),
          );
          const lines = events.map((event, index) =>
            lineOf(event, (steps[index] as { format: Format }).format, index),
          );
          const observed = payloads(read(lines).observations);
          expect(observed.map(verdictOf)).toEqual(events.map(expectedOf));
        },
      ),
      { numRuns: 400 },
    );
  });
});
