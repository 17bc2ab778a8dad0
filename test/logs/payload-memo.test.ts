/**
 * Logged events read member by member and verdicts reused within an input: what is parsed is
 * counted (never timed), and every verdict is checked against the contract judged on the whole
 * event, or against the same line read alone (with nothing to reuse).
 */
import { inspect } from 'node:util';
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { TriggerName } from '../../contracts/triggers';
import { validateTriggerEvent } from '../../contracts/validate';
import type { LogObservation, TriggerPayloadObservation } from '../../detectors/observations';
import { parseLogLine } from '../../logs/parse-line';
import { parseLogEvents } from '../../logs/parse-log-events';
import { anyCognitoEvent } from '../../testing/cognito-events';
import { endLine, reportLine, requestIdOf, startLine, textLine } from '../support/log-payloads';

const PRE_TOKEN_GROUP = '/aws/lambda/shop-pretoken';
const optionsFor = (trigger: TriggerName) => ({
  resolveLogGroup: () => ({ trigger, userPoolId: 'eu-west-1_x', region: 'eu-west-1' }),
});

const CLAIMS = {
  claimsAndScopeOverrideDetails: {
    idTokenGeneration: { claimsToAddOrOverride: { tenant: 'acme' }, claimsToSuppress: ['locale'] },
    accessTokenGeneration: { scopesToAdd: ['shop/orders.read'] },
  },
};

/** A PreTokenGeneration V2 event as a function logs it; `clientId` and `response` vary per test. */
const preTokenEvent = (
  index: number,
  response: unknown = CLAIMS,
  clientId = '3n4mpl3c113nt1d0000000000',
) => ({
  version: '2',
  triggerSource: 'TokenGeneration_Authentication',
  region: 'eu-west-1',
  userPoolId: 'eu-west-1_x',
  userName: `user-${index}`,
  callerContext: { awsSdkVersion: 'aws-sdk-js-3.1169.0', clientId },
  request: {
    userAttributes: { sub: requestIdOf(index), email: `user-${index}@example.com` },
    groupConfiguration: { groupsToOverride: [], iamRolesToOverride: [], preferredRole: null },
    scopes: ['openid', 'email'],
  },
  response,
});

const invocation = (index: number, event: unknown): string[] => {
  const requestId = requestIdOf(index);
  return [
    startLine(requestId),
    textLine(requestId, 'INFO', `Event ${JSON.stringify(event)}`),
    endLine(requestId),
    reportLine({ requestId, durationMs: 12.5 }),
  ];
};

const read = (lines: readonly string[], trigger: TriggerName, logGroup = PRE_TOKEN_GROUP) =>
  parseLogEvents({ logGroup, events: lines.map((message) => ({ message })) }, optionsFor(trigger));

const payloads = (observations: readonly LogObservation[]): TriggerPayloadObservation[] =>
  observations.filter((o): o is TriggerPayloadObservation => o.kind === 'trigger-payload');

/** What judging the whole event gives: its violations, and where a broken one came from. */
const expectedOf = (event: Record<string, unknown>) => {
  const result = validateTriggerEvent(event);
  const violations = result.ok === false ? result.violations : [];
  const callerContext = event.callerContext as { clientId?: unknown } | undefined;
  const named = (value: unknown) => (typeof value === 'string' && value !== '' ? value : undefined);
  return {
    violations,
    userPoolId: violations.length > 0 ? named(event.userPoolId) : undefined,
    region: violations.length > 0 ? named(event.region) : undefined,
    clientId: violations.length > 0 ? named(callerContext?.clientId) : undefined,
  };
};

const verdictOf = (observation: TriggerPayloadObservation) => ({
  violations: observation.violations,
  userPoolId: observation.userPoolId,
  region: observation.region,
  clientId: observation.clientId,
});

afterEach(() => {
  vi.restoreAllMocks();
});

describe('a PreTokenGeneration event logged as JSON', () => {
  it('is read from the members its contract reads, and the same response is judged once per input', () => {
    const lines = Array.from({ length: 30 }, (_, index) => invocation(index, preTokenEvent(index))).flat();
    const parse = vi.spyOn(JSON, 'parse');
    const batch = read(lines, 'PreTokenGeneration');
    expect(batch.stats).toMatchObject({ lines: 120, withSignal: 60, quiet: 60, unreadable: 0 });
    const events = payloads(batch.observations);
    expect(events).toHaveLength(30);
    for (const event of events) expect(event).toMatchObject({ shape: 'event', violations: [] });
    // The first event: its response, version and callerContext. Never its request, never again.
    expect(parse.mock.calls.map(([text]) => text)).toEqual([
      JSON.stringify(CLAIMS),
      '"2"',
      JSON.stringify(preTokenEvent(0).callerContext),
    ]);
  });

  it('judges the same response afresh for another client: a verdict is reused only for the context it was reached in', () => {
    // An access token's aud may be overridden only with the caller's own client id.
    const response = {
      claimsAndScopeOverrideDetails: {
        accessTokenGeneration: { claimsToAddOrOverride: { aud: 'client-a' } },
      },
    };
    const events = [
      preTokenEvent(0, response, 'client-a'),
      preTokenEvent(1, response, 'client-b'),
      preTokenEvent(2, response, 'client-a'),
      preTokenEvent(3, response, 'client-b'),
    ];
    const batch = read(
      events.flatMap((event, index) => invocation(index, event)),
      'PreTokenGeneration',
    );
    const observed = payloads(batch.observations).map(verdictOf);
    expect(observed.map((verdict) => verdict.violations.length > 0)).toEqual([false, true, false, true]);
    expect(observed).toEqual(events.map(expectedOf));
    expect(observed[1]?.clientId).toBe('client-b');
  });

  it('catches one broken response among identical good ones, and names its pool and client', () => {
    const broken = { claimsAndScopeOverrideDetails: { idTokenGeneration: { claimsToSuppress: 'locale' } } };
    const events = Array.from({ length: 12 }, (_, index) =>
      preTokenEvent(index, index === 7 ? broken : CLAIMS),
    );
    const batch = read(
      events.flatMap((event, index) => invocation(index, event)),
      'PreTokenGeneration',
    );
    const observed = payloads(batch.observations);
    expect(observed.map((o) => o.violations.length > 0)).toEqual(events.map((_, index) => index === 7));
    expect(observed[7]).toMatchObject({
      userPoolId: 'eu-west-1_x',
      region: 'eu-west-1',
      clientId: '3n4mpl3c113nt1d0000000000',
      requestId: requestIdOf(7),
    });
    expect(observed.map(verdictOf)).toEqual(events.map(expectedOf));
  });

  it('is parsed whole when a key needs decoding, or when its text is not JSON', () => {
    const escaped = `{"version":"2","trigger\\u0053ource":"TokenGeneration_Authentication","response":{"claimsAndScopeOverrideDetails":{"idTokenGeneration":{"claimsToSuppress":"x"}}}}`;
    const [viaEscape] = payloads(
      read([textLine(requestIdOf(1), 'INFO', `Event ${escaped}`)], 'PreTokenGeneration').observations,
    );
    expect(viaEscape?.violations.length).toBeGreaterThan(0);
    const truncated = JSON.stringify(preTokenEvent(1)).slice(0, -40);
    const batch = read([textLine(requestIdOf(1), 'INFO', `Event ${truncated}}`)], 'PreTokenGeneration');
    expect(payloads(batch.observations)).toEqual([]);
  });
});

/** Events of triggers whose checks do not read the request, with responses drawn from a small pool so they repeat. */
const repeatingEvents = fc
  .tuple(
    fc.constantFrom(
      'PreTokenGenerationV2',
      'DefineAuthChallenge',
      'VerifyAuthChallengeResponse',
    ) as fc.Arbitrary<'PreTokenGenerationV2' | 'DefineAuthChallenge' | 'VerifyAuthChallengeResponse'>,
    fc.array(
      fc.oneof(
        fc.constant({ issueTokens: true, failAuthentication: false }),
        fc.constant({ issueTokens: 'true', failAuthentication: false }),
        fc.constant({ answerCorrect: true }),
        fc.constant({ answerCorrect: 'yes' }),
        fc.constant(CLAIMS),
        fc.constant({
          claimsAndScopeOverrideDetails: { accessTokenGeneration: { claimsToAddOrOverride: { aud: 'c1' } } },
        }),
        fc.constant(null),
      ),
      { minLength: 2, maxLength: 4 },
    ),
  )
  .chain(([trigger, pool]) =>
    fc.array(
      fc
        .tuple(anyCognitoEvent(trigger), fc.constantFrom(...pool), fc.constantFrom('c1', 'c2'))
        .map(([event, response, clientId]) => ({
          ...event,
          callerContext: { ...(event.callerContext as object), clientId },
          response,
        })),
      { minLength: 1, maxLength: 12 },
    ),
  );

describe('verdicts reused within an input (property)', () => {
  it('every event gets the verdict of the contract judged on the whole event', () => {
    fc.assert(
      fc.property(repeatingEvents, (events) => {
        const lines = events.flatMap((event, index) => invocation(index, event));
        const observed = payloads(read(lines, 'PreTokenGeneration', '/aws/lambda/unmapped').observations);
        const expected = events.map(expectedOf);
        expect(observed.map(verdictOf)).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });

  it('a bare response logged with util.inspect gets the verdict it gets when its line is read alone', () => {
    const responses = fc.constantFrom<Record<string, unknown>>(
      { autoConfirmUser: true, autoVerifyEmail: false },
      { autoConfirmUser: 'true' },
      { autoConfirmUser: true, autoVerifyPhone: 1 },
      { autoConfirmUser: false },
    );
    fc.assert(
      fc.property(fc.array(responses, { minLength: 1, maxLength: 10 }), (sequence) => {
        const lines = sequence.map((response, index) =>
          textLine(requestIdOf(index), 'INFO', `response ${inspect(response)}`),
        );
        const logGroup = '/aws/lambda/shop-presignup';
        const batch = payloads(read(lines, 'PreSignUp', logGroup).observations);
        const alone = lines.map((line) => {
          const result = parseLogLine(line, { logGroup, timestamp: '' }, optionsFor('PreSignUp'));
          return result.status === 'signal' ? payloads(result.observations) : [];
        });
        expect(batch.map((o) => [o.shape, o.trigger, o.violations, o.requestId])).toEqual(
          alone.flat().map((o) => [o.shape, o.trigger, o.violations, o.requestId]),
        );
      }),
      { numRuns: 200 },
    );
  });
});
