import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Elided } from '../../contracts/elided';
import { RESPONSE_KEYS } from '../../contracts/response-keys';
import { TRIGGERS } from '../../contracts/triggers';
import {
  DEFAULT_DETECTOR_CONFIG,
  type DetectorContext,
  FUNCTION_ERROR_LABELS,
  type LogObservation,
  type LogOrigin,
  runTriggerLogDetectors,
  SEVERITIES,
  TRIGGER_LOG_DETECTORS,
} from '../../detectors';
import type { TriggerPayloadObservation } from '../../detectors/observations';
import { judgePayload } from '../../logs/find-payloads';
import { getRunbookSection } from '../../runbook';
import { LOG_GROUP, LOG_STREAM, OTHER_REQUEST_ID, POOL, REQUEST_ID } from '../fixtures/observations/builders';

const TRIGGER_SOURCES = [
  'PreSignUp_SignUp',
  'PreSignUp_AdminCreateUser',
  'PostConfirmation_ConfirmSignUp',
  'PreAuthentication_Authentication',
  'DefineAuthChallenge_Authentication',
  'CreateAuthChallenge_Authentication',
  'VerifyAuthChallengeResponse_Authentication',
  'TokenGeneration_Authentication',
  'TokenGeneration_ClientCredentials',
  'UserMigration_Authentication',
  'CustomMessage_SignUp',
  'CustomMessage_AdminCreateUser',
  'CustomEmailSender_SignUp',
  'CustomSMSSender_ForgotPassword',
  'InboundFederation_ExternalProvider',
];

// A few shared values so that generated lines collide on log group, stream and request id, which is
// where the detectors merge and fold.
const text = fc.oneof(fc.string(), fc.constantFrom('', 'error', 'timeout', 'Runtime.ExitError'));
const logGroup = fc.oneof(fc.constant(LOG_GROUP), fc.constant('/aws/lambda/other'), fc.string());
const requestId = fc.oneof(fc.constantFrom(REQUEST_ID, OTHER_REQUEST_ID), fc.string());
const number = fc.oneof(
  fc.double(),
  fc.integer({ min: 0, max: 20_000 }),
  fc.constantFrom(0, 2999, 3000, 4999, 5000, 5200),
);
const elided = fc
  .constantFrom('[Object]', '[Array]', '[Function: x]', '[Circular *1]')
  .map((t) => new Elided(t));

const origin: fc.Arbitrary<LogOrigin> = fc.record(
  {
    logGroup,
    logStream: fc.oneof(fc.constant(LOG_STREAM), fc.string()),
    eventId: fc.string(),
    timestamp: fc.string(),
    functionName: fc.string(),
    trigger: fc.constantFrom(...TRIGGERS),
    userPoolId: fc.oneof(fc.constant(POOL), fc.string()),
    region: fc.string(),
  },
  { requiredKeys: ['logGroup', 'timestamp'] },
);

const responseKey = fc.oneof(fc.constantFrom(...Object.values(RESPONSE_KEYS).flat()), fc.string());
const response = fc.oneof(
  fc.jsonValue(),
  elided,
  fc.dictionary(responseKey, fc.oneof(fc.jsonValue(), elided)),
);
const payload: fc.Arbitrary<Record<string, unknown>> = fc
  .tuple(
    fc.dictionary(fc.string(), fc.jsonValue()),
    fc.record(
      {
        triggerSource: fc.oneof(fc.constantFrom(...TRIGGER_SOURCES), fc.string()),
        version: fc.constantFrom('1', '2', '3'),
        response,
        request: fc.oneof(fc.jsonValue(), elided),
        callerContext: fc.oneof(fc.jsonValue(), elided),
        userPoolId: fc.jsonValue(),
      },
      { requiredKeys: [] },
    ),
  )
  .map(([extra, known]) => ({ ...extra, ...known }));

const observation: fc.Arbitrary<LogObservation> = fc.oneof(
  fc
    .record(
      {
        kind: fc.constant('trigger-payload' as const),
        origin,
        requestId,
        shape: fc.constantFrom('event' as const, 'response' as const),
        trigger: fc.constantFrom(...TRIGGERS),
        triggerSource: text,
        payload,
        line: fc.string(),
      },
      { requiredKeys: ['kind', 'origin', 'shape', 'payload', 'line'] },
    )
    // Judged as the log reader judges what it reads.
    .map(({ payload: value, ...fields }): LogObservation => {
      const observation: TriggerPayloadObservation = { ...fields, violations: [] };
      return fields.trigger ? judgePayload(observation, fields.shape, fields.trigger, value) : observation;
    }),
  fc.record(
    {
      kind: fc.constant('contract-report' as const),
      origin,
      requestId,
      trigger: fc.constantFrom(...TRIGGERS),
      triggerSource: text,
      userPoolId: fc.string(),
      region: fc.string(),
      clientId: fc.string(),
      violations: fc.array(fc.record({ field: text, expected: text, actual: text, message: fc.string() }), {
        maxLength: 4,
      }),
      line: fc.string(),
    },
    { requiredKeys: ['kind', 'origin', 'trigger', 'triggerSource', 'violations', 'line'] },
  ),
  fc.record(
    {
      kind: fc.constant('invocation-report' as const),
      origin,
      requestId,
      durationMs: number,
      billedDurationMs: number,
      initDurationMs: number,
      memorySizeMb: number,
      maxMemoryUsedMb: number,
      status: fc.oneof(fc.constantFrom('success', 'failure', 'error', 'timeout'), fc.string()),
      errorType: text,
      line: fc.string(),
    },
    { requiredKeys: ['kind', 'origin', 'requestId', 'durationMs', 'line'] },
  ),
  fc.record(
    { kind: fc.constant('timeout' as const), origin, requestId, afterSeconds: number, line: fc.string() },
    { requiredKeys: ['kind', 'origin', 'afterSeconds', 'line'] },
  ),
  fc.record(
    {
      kind: fc.constant('function-error' as const),
      origin,
      requestId,
      label: fc.constantFrom(...FUNCTION_ERROR_LABELS),
      errorType: text,
      errorMessage: fc.string(),
      line: fc.string(),
    },
    { requiredKeys: ['kind', 'origin', 'label', 'line'] },
  ),
  fc.record(
    {
      kind: fc.constant('init-report' as const),
      origin,
      durationMs: number,
      phase: fc.constantFrom('init', 'invoke', 'snap-start'),
      status: fc.oneof(fc.constantFrom('success', 'failure', 'error', 'timeout'), fc.string()),
      errorType: text,
      line: fc.string(),
    },
    { requiredKeys: ['kind', 'origin', 'line'] },
  ),
);

const detectorContext: fc.Arbitrary<DetectorContext> = fc.record({
  config: fc.oneof(
    fc.constant({ ...DEFAULT_DETECTOR_CONFIG }),
    fc.record({ slowThresholdMs: number, cognitoTimeoutMs: number }),
  ),
  now: fc.date({ noInvalidDate: true }),
});

const TRIGGER_LOG_IDS: ReadonlySet<string> = new Set(TRIGGER_LOG_DETECTORS.map((detector) => detector.id));

describe('runTriggerLogDetectors (property)', () => {
  it('never throws on arbitrary well-typed observations', () => {
    fc.assert(
      fc.property(fc.array(observation, { maxLength: 30 }), detectorContext, (observations, context) => {
        expect(Array.isArray(runTriggerLogDetectors(observations, context))).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('returns well-formed findings with a runbook section', () => {
    fc.assert(
      fc.property(fc.array(observation, { maxLength: 30 }), detectorContext, (observations, context) => {
        for (const finding of runTriggerLogDetectors(observations, context)) {
          expect(TRIGGER_LOG_IDS.has(finding.detector)).toBe(true);
          expect(SEVERITIES).toContain(finding.severity);
          expect(typeof finding.title).toBe('string');
          expect(finding.title.length).toBeGreaterThan(0);
          expect(finding.dedupKey.startsWith(finding.detector)).toBe(true);
          expect(Array.isArray(finding.evidence)).toBe(true);
          for (const excerpt of finding.evidence) expect(typeof excerpt).toBe('string');
          expect(getRunbookSection(finding.runbook)).toBeDefined();
        }
      }),
      { numRuns: 300 },
    );
  });

  it('gives the same findings for the same input (no hidden state or clock)', () => {
    fc.assert(
      fc.property(fc.array(observation, { maxLength: 30 }), detectorContext, (observations, context) => {
        expect(runTriggerLogDetectors(observations, context)).toEqual(
          runTriggerLogDetectors(observations, context),
        );
      }),
      { numRuns: 200 },
    );
  });
});
