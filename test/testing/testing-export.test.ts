import {
  assertValidResponse,
  cognitoEvents,
  LAMBDA_CONFIG_KEY,
  TEST_TRIGGERS,
  TRIGGER_SOURCES,
  TriggerContractError,
} from 'cognito-sentinel/testing';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toTrigger, validateTriggerEvent } from '../../contracts';
import { TRIGGER_CONTRACTS } from '../../runbook/sections/trigger-contracts';
import * as presignup from '../fixtures/handlers/pre-sign-up-external.mjs';

type Event = Record<string, unknown>;
const { handler, fixed } = presignup;

describe('cognito-sentinel/testing, imported as a user would', () => {
  it('lets a project property-test its handler: the fixed PreSignUp passes every source', async () => {
    for (const arbitrary of Object.values(cognitoEvents.PreSignUp)) {
      await fc.assert(
        fc.asyncProperty(arbitrary, async (event) => {
          assertValidResponse(event, await fixed(structuredClone(event)));
        }),
        { numRuns: 30 },
      );
    }
  });

  it('throws a TriggerContractError listing the violation for the buggy handler', async () => {
    const [event] = fc.sample(cognitoEvents.PreSignUp.PreSignUp_ExternalProvider, { numRuns: 1, seed: 1 });
    const input = event as Event;
    const error = await handler(structuredClone(input)).then((returned) => {
      try {
        assertValidResponse(input, returned);
      } catch (thrown) {
        return thrown;
      }
      return undefined;
    });
    expect(error).toBeInstanceOf(TriggerContractError);
    expect(error).toMatchObject({
      name: 'TriggerContractError',
      triggerSource: 'PreSignUp_ExternalProvider',
      violations: [expect.objectContaining({ field: 'response.autoConfirmUser', actual: 'string "true"' })],
    });
    expect((error as Error).message).toContain(
      'response.autoConfirmUser: expected boolean, got string "true"',
    );
  });

  it('rejects a handler that returns something other than the event', () => {
    const [event] = fc.sample(cognitoEvents.CustomMessage.CustomMessage_SignUp, { numRuns: 1, seed: 2 });
    expect(() => assertValidResponse(event, { statusCode: 200, body: '{}' })).toThrow(TriggerContractError);
  });
});

describe('cognitoEvents', () => {
  const every = TEST_TRIGGERS.flatMap((trigger) =>
    TRIGGER_SOURCES[trigger].map((source) => [trigger, source] as const),
  );

  it.each(every)(
    '%s %s events are input events Cognito would send: they validate clean',
    (trigger, source) => {
      const arbitrary = (cognitoEvents[trigger] as Readonly<Record<string, fc.Arbitrary<Event>>>)[source];
      expect(arbitrary).toBeDefined();
      fc.assert(
        fc.property(arbitrary ?? fc.constant<Event>({}), (event) => {
          expect(event.triggerSource).toBe(source);
          expect(toTrigger(source)).toBe(LAMBDA_CONFIG_KEY[trigger]);
          expect(validateTriggerEvent(event)).toMatchObject({ ok: true });
        }),
        { numRuns: 25 },
      );
    },
  );

  it('covers every triggerSource the runbook documents for each trigger', () => {
    for (const trigger of TEST_TRIGGERS) {
      const documented = TRIGGER_CONTRACTS[LAMBDA_CONFIG_KEY[trigger]].sources.filter(
        // The alternative spelling of the same source, and the V3-only machine source.
        (source) =>
          source !== 'VerifyAuthChallenge_Authentication' &&
          (trigger === 'PreTokenGenerationV3' || source !== 'TokenGeneration_ClientCredentials'),
      );
      expect([...TRIGGER_SOURCES[trigger]].sort()).toEqual([...documented].sort());
    }
  });

  it('generates phone-only, email-only and federated sign-ups', () => {
    const events = [
      ...fc.sample(cognitoEvents.PreSignUp.PreSignUp_SignUp, { numRuns: 200, seed: 3 }),
      ...fc.sample(cognitoEvents.PreSignUp.PreSignUp_ExternalProvider, { numRuns: 50, seed: 3 }),
    ];
    const attributes = events.map((event) => (event.request as { userAttributes: Event }).userAttributes);
    expect(attributes.some((a) => 'phone_number' in a && !('email' in a))).toBe(true);
    expect(attributes.some((a) => 'email' in a && !('phone_number' in a))).toBe(true);
    expect(events.some((event) => /^[A-Za-z]+_\d+$/.test(String(event.userName)))).toBe(true);
  });

  it('generates every custom-auth round, the session growing with right and wrong answers', () => {
    const sessions = fc
      .sample(cognitoEvents.DefineAuthChallenge.DefineAuthChallenge_Authentication, { numRuns: 300, seed: 4 })
      .map(
        (event) =>
          (event.request as { session: { challengeName: string; challengeResult: boolean }[] }).session,
      );
    const lengths = new Set(sessions.map((session) => session.length));
    for (const length of [0, 1, 2, 3, 4, 5]) expect(lengths.has(length)).toBe(true);
    const results = sessions.flat().filter((step) => step.challengeName === 'CUSTOM_CHALLENGE');
    expect(results.some((step) => step.challengeResult)).toBe(true);
    expect(results.some((step) => !step.challengeResult)).toBe(true);
  });

  it('sends clientMetadata present and absent', () => {
    const requests = fc
      .sample(cognitoEvents.PostConfirmation.PostConfirmation_ConfirmSignUp, { numRuns: 100, seed: 5 })
      .map((event) => event.request as Event);
    expect(requests.some((request) => !('clientMetadata' in request))).toBe(true);
    expect(
      requests.some((request) => typeof request.clientMetadata === 'object' && request.clientMetadata),
    ).toBe(true);
  });
});
