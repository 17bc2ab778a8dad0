import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { Elided } from '../../contracts/elided';
import { RESPONSE_KEYS } from '../../contracts/response-keys';
import { ASYNC_TRIGGERS, type TriggerName, toTrigger } from '../../contracts/triggers';
import type { LogObservation } from '../../detectors/observations';
import { triggerResponseInvalid } from '../../detectors/trigger-response-invalid';
import {
  bareResponse,
  CLIENT,
  context,
  contractReport,
  contractReportOf,
  OTHER_REQUEST_ID,
  originFor,
  POOL,
  payloadEvent,
  REGION,
  REQUEST_ID,
} from '../fixtures/observations/builders';
import { stringlyAutoConfirmViolation } from '../fixtures/triggers/contract-reports';
import * as e from '../fixtures/triggers/events';
import { VIOLATION_CASES } from '../fixtures/triggers/violations';
import { expectOneFinding } from '../support/expect-finding';

const detect = (...observations: LogObservation[]) => triggerResponseInvalid.detect(observations, context());

/** The seed incident: a PreSignUp handler that set autoConfirmUser to the string "true". */
const seedEvent = () => e.patchResponse(e.preSignUpInput, { autoConfirmUser: 'true' });
const SEED_DEDUP_KEY = `trigger-response-invalid:${POOL}:PreSignUp:response.autoConfirmUser`;

/** A log group the deployment knows nothing about: pool and region can only come from the event. */
const unknownPoolOrigin = (trigger: TriggerName) =>
  originFor(trigger, { userPoolId: undefined, region: undefined });

describe('trigger-response-invalid', () => {
  describe('the seed incident (PreSignUp autoConfirmUser: "true")', () => {
    const line = `2024-05-01T12:00:00.031Z\t${REQUEST_ID}\tINFO\tReturning ${inspect(seedEvent(), { depth: null })}`;
    const observation = payloadEvent(seedEvent(), line, { origin: unknownPoolOrigin('PreSignUp') });

    it('reports exactly one finding that names the root cause', () => {
      const findings = detect(observation);
      expectOneFinding(findings, {
        detector: 'trigger-response-invalid',
        severity: 'critical',
        trigger: 'PreSignUp',
        triggerSource: 'PreSignUp_SignUp',
        field: 'response.autoConfirmUser',
        expected: 'boolean',
        actual: 'string "true"',
        title: 'PreSignUp returned autoConfirmUser as a string ("true"), Cognito expects a boolean',
        requestId: REQUEST_ID,
        functionName: 'shop-presignup',
        logGroup: '/aws/lambda/shop-presignup',
        dedupKey: SEED_DEDUP_KEY,
        runbook: 'trigger-response-invalid-presignup',
      });
      expect(findings[0]?.title).toContain('autoConfirmUser');
      expect(findings[0]?.title).toContain('string');
    });

    it('takes the pool, region and app client from the event', () => {
      const [finding] = detect(observation);
      expect(finding).toMatchObject({ userPoolId: POOL, region: REGION, clientId: CLIENT });
    });

    it('carries the expected-vs-actual summary and an excerpt around the field as evidence', () => {
      const [finding] = detect(observation);
      expect(finding?.evidence[0]).toBe('response.autoConfirmUser: expected boolean, got string "true"');
      expect(finding?.evidence[1]).toContain("autoConfirmUser: 'true'");
      expect(finding?.evidence[1]?.length).toBeLessThanOrEqual(402);
      for (const excerpt of finding?.evidence ?? []) expect(excerpt).not.toMatch(/[\r\n]/);
    });

    it('keeps the same dedup key across invocations (no timestamp or request id in it)', () => {
      const second = payloadEvent(seedEvent(), undefined, {
        origin: unknownPoolOrigin('PreSignUp'),
        requestId: OTHER_REQUEST_ID,
      });
      second.origin.timestamp = '2024-05-01T12:03:17.512Z';
      const findings = detect(observation, second);
      expect(findings).toHaveLength(2);
      expect(findings.map((finding) => finding.dedupKey)).toEqual([SEED_DEDUP_KEY, SEED_DEDUP_KEY]);
      expect(findings.map((finding) => finding.requestId)).toEqual([REQUEST_ID, OTHER_REQUEST_ID]);
    });

    it('attributes the bare response { autoConfirmUser: "true" } to the log group\'s PreSignUp trigger', () => {
      const response = { autoConfirmUser: 'true' };
      const findings = detect(
        bareResponse('PreSignUp', response, {
          line: `2024-05-01T12:00:00.031Z\t${REQUEST_ID}\tINFO\tresponse ${inspect(response)}`,
        }),
      );
      expectOneFinding(findings, {
        detector: 'trigger-response-invalid',
        severity: 'critical',
        trigger: 'PreSignUp',
        field: 'response.autoConfirmUser',
        expected: 'boolean',
        actual: 'string "true"',
        userPoolId: POOL,
        dedupKey: SEED_DEDUP_KEY,
        runbook: 'trigger-response-invalid-presignup',
      });
      expect(findings[0]?.evidence[1]).toContain("{ autoConfirmUser: 'true' }");
    });

    it('scopes a bare response from an unknown pool by its log group', () => {
      const findings = detect(
        bareResponse('PreSignUp', { autoConfirmUser: 'true' }, { origin: unknownPoolOrigin('PreSignUp') }),
      );
      expect(findings[0]?.dedupKey).toBe(
        'trigger-response-invalid:/aws/lambda/shop-presignup:PreSignUp:response.autoConfirmUser',
      );
      expect(findings[0]).not.toHaveProperty('userPoolId');
    });
  });

  describe('every contract violation, one fixture per trigger kind and violation', () => {
    it.each(VIOLATION_CASES.map((c) => [c.name, c] as const))('reports %s', (_name, c) => {
      const trigger = toTrigger(String(c.event.triggerSource));
      if (trigger === undefined) throw new Error(`fixture ${c.name} has no known triggerSource`);
      const findings = detect(payloadEvent(c.event));
      const finding = findings.find((candidate) => candidate.field === c.field);
      expect(finding).toMatchObject({
        detector: 'trigger-response-invalid',
        severity: 'critical',
        trigger,
        triggerSource: c.event.triggerSource,
        field: c.field,
        expected: c.expected,
        actual: c.actual,
        userPoolId: c.event.userPoolId,
        dedupKey: `trigger-response-invalid:${String(c.event.userPoolId)}:${trigger}:${c.field}`,
        runbook: `trigger-response-invalid-${trigger.toLowerCase()}`,
      });
      expect(finding?.title.startsWith(trigger)).toBe(true);
      // One finding per field: a violation is never reported twice for one invocation.
      expect(new Set(findings.map((candidate) => candidate.field)).size).toBe(findings.length);
    });

    it('covers every synchronous trigger that has a response to break', () => {
      const covered = new Set(VIOLATION_CASES.map((c) => toTrigger(String(c.event.triggerSource))));
      const withResponse = (Object.keys(RESPONSE_KEYS) as TriggerName[]).filter(
        (trigger) => RESPONSE_KEYS[trigger].length > 0,
      );
      for (const trigger of withResponse) expect(covered).toContain(trigger);
    });
  });

  describe('healthy traffic raises nothing', () => {
    it.each(e.INPUT_EVENTS)('the input event as Cognito sends it: %s', (_name, build) => {
      expect(detect(payloadEvent(build()))).toEqual([]);
    });

    it.each(e.RETURNED_EVENTS)('a healthy returned event: %s', (_name, build) => {
      expect(detect(payloadEvent(build()))).toEqual([]);
    });

    it.each(e.INPUT_EVENTS)('the bare response placeholders of %s', (_name, build) => {
      const event = build();
      const trigger = toTrigger(String(event.triggerSource));
      if (trigger === undefined) throw new Error('fixture without a known triggerSource');
      expect(detect(bareResponse(trigger, event.response as Record<string, unknown>))).toEqual([]);
    });

    it.each(e.RETURNED_EVENTS)('the bare healthy response of %s', (_name, build) => {
      const event = build();
      const trigger = toTrigger(String(event.triggerSource));
      if (trigger === undefined) throw new Error('fixture without a known triggerSource');
      expect(detect(bareResponse(trigger, event.response as Record<string, unknown>))).toEqual([]);
    });

    it('a clean contract report', () => {
      expect(detect(contractReportOf(e.preSignUpReturned()))).toEqual([]);
    });

    it.each(ASYNC_TRIGGERS)('anything returned by the asynchronous %s (Cognito discards it)', (trigger) => {
      expect(detect(bareResponse(trigger, { autoConfirmUser: 'true', answerCorrect: 'yes' }))).toEqual([]);
    });

    it('an event with a triggerSource Cognito does not document', () => {
      expect(detect(payloadEvent({ ...seedEvent(), triggerSource: 'PreSignIn_Whatever' }))).toEqual([]);
    });

    it('a bare response no trigger could be attributed to', () => {
      expect(detect(bareResponse(undefined, { autoConfirmUser: 'true' }))).toEqual([]);
    });
  });

  describe('one finding per invocation and field', () => {
    it('merges the logged event and the middleware contract report of the same request', () => {
      const findings = detect(payloadEvent(seedEvent()), contractReportOf(seedEvent()));
      expectOneFinding(findings, { field: 'response.autoConfirmUser', requestId: REQUEST_ID });
    });

    it('merges the same event logged twice by one request', () => {
      expect(detect(payloadEvent(seedEvent()), payloadEvent(seedEvent()))).toHaveLength(1);
    });

    it('keeps one finding per field when one response breaks several', () => {
      const event = e.patchResponse(e.preSignUpInput, { autoConfirmUser: 'true', autoVerifyPhone: 1 });
      const findings = detect(payloadEvent(event), contractReportOf(event));
      expect(findings.map((finding) => finding.field).sort()).toEqual([
        'response.autoConfirmUser',
        'response.autoVerifyPhone',
      ]);
    });

    it('reports each field of one request once, however its lines interleave', () => {
      const both = e.patchResponse(e.preSignUpInput, { autoConfirmUser: 'true', autoVerifyPhone: 1 });
      const findings = detect(
        payloadEvent(seedEvent()),
        payloadEvent(both),
        payloadEvent(seedEvent()),
        payloadEvent(both),
        payloadEvent(seedEvent(), undefined, { requestId: OTHER_REQUEST_ID }),
      );
      expect(findings.map((finding) => `${finding.requestId} ${finding.field}`)).toEqual([
        `${REQUEST_ID} response.autoConfirmUser`,
        `${REQUEST_ID} response.autoVerifyPhone`,
        `${OTHER_REQUEST_ID} response.autoConfirmUser`,
      ]);
    });

    it("scopes a report whose pool id is empty by its log group's pool", () => {
      const findings = detect({ ...contractReportOf(seedEvent()), userPoolId: '' });
      expect(findings.map((finding) => finding.dedupKey)).toEqual([SEED_DEDUP_KEY]);
    });

    it('keeps the same request id in two log groups apart', () => {
      const findings = detect(
        payloadEvent(seedEvent()),
        payloadEvent(seedEvent(), undefined, {
          origin: originFor('PreSignUp', { logGroup: '/aws/lambda/other' }),
        }),
      );
      expect(findings).toHaveLength(2);
    });
  });

  describe('contract reports from the trigger-contract middleware', () => {
    it("turns each reported violation into a finding with the report's location", () => {
      const findings = detect(
        contractReport({
          trigger: 'VerifyAuthChallengeResponse',
          triggerSource: 'VerifyAuthChallengeResponse_Authentication',
          userPoolId: 'eu-west-1_Pool42',
          region: 'eu-west-1',
          clientId: 'app-client-7',
          violations: [
            {
              field: 'response.answerCorrect',
              expected: 'boolean',
              actual: 'missing',
              message: 'response.answerCorrect must be a boolean, got missing',
            },
          ],
        }),
      );
      expect(findings).toEqual([
        expect.objectContaining({
          detector: 'trigger-response-invalid',
          severity: 'critical',
          title: 'VerifyAuthChallengeResponse returned no answerCorrect, Cognito expects a boolean',
          trigger: 'VerifyAuthChallengeResponse',
          triggerSource: 'VerifyAuthChallengeResponse_Authentication',
          userPoolId: 'eu-west-1_Pool42',
          region: 'eu-west-1',
          clientId: 'app-client-7',
          requestId: REQUEST_ID,
          field: 'response.answerCorrect',
          expected: 'boolean',
          actual: 'missing',
          dedupKey:
            'trigger-response-invalid:eu-west-1_Pool42:VerifyAuthChallengeResponse:response.answerCorrect',
          runbook: 'trigger-response-invalid-verifyauthchallengeresponse',
        }),
      ]);
    });

    it('reports what the middleware judged as returned (an untouched DefineAuthChallenge)', () => {
      const findings = detect(contractReportOf(e.defineAuthChallengeInput()));
      expectOneFinding(findings, {
        trigger: 'DefineAuthChallenge',
        title: 'DefineAuthChallenge returned none of challengeName, issueTokens, failAuthentication',
        userPoolId: POOL,
        clientId: CLIENT,
      });
    });

    it("falls back to the log group's pool when the report names none", () => {
      const findings = detect(
        contractReport({
          trigger: 'PreSignUp',
          triggerSource: 'PreSignUp_SignUp',
          violations: [stringlyAutoConfirmViolation],
        }),
      );
      expect(findings[0]).toMatchObject({ userPoolId: POOL, dedupKey: SEED_DEDUP_KEY });
    });
  });

  describe('values util.inspect elided are never judged', () => {
    it.each<[string, Record<string, unknown>]>([
      ['the whole response', { ...seedEvent(), response: new Elided('[Object]') }],
      ['autoConfirmUser', e.patchResponse(e.preSignUpInput, { autoConfirmUser: new Elided('[Object]') })],
      [
        'a CreateAuthChallenge parameter map',
        e.patchResponse(e.createAuthChallengeReturned, {
          privateChallengeParameters: new Elided('[Object]'),
        }),
      ],
      [
        'the V2 token override details',
        e.withResponse(e.preTokenV2Input, {
          claimsAndScopeOverrideDetails: {
            idTokenGeneration: new Elided('[Object]'),
            accessTokenGeneration: new Elided('[Object]'),
          },
        }),
      ],
      [
        'a UserMigration attribute map',
        e.patchResponse(e.userMigrationReturned, { userAttributes: new Elided('[Object]') }),
      ],
    ])('in an event: %s', (_name, event) => {
      expect(detect(payloadEvent(event))).toEqual([]);
    });

    it('in a bare response', () => {
      expect(detect(bareResponse('PreSignUp', { autoConfirmUser: new Elided('[Getter]') }))).toEqual([]);
    });
  });
});

describe('trigger-response-invalid, work per occurrence', () => {
  it('builds the head of a collapsed finding once, not once per broken invocation', () => {
    const base = originFor('PreSignUp');
    let reads = 0;
    const counted = { ...base };
    // functionName is read only to build a finding's head.
    Object.defineProperty(counted, 'functionName', {
      enumerable: true,
      get: () => {
        reads++;
        return base.functionName;
      },
    });
    const observations = Array.from({ length: 40 }, (_, index) =>
      payloadEvent(seedEvent(), undefined, { origin: counted, requestId: `request-${index}` }),
    );
    const collapsing = { ...context(), collapse: true };
    triggerResponseInvalid.detect(observations.slice(0, 1), collapsing);
    const readsForOneHead = reads;
    reads = 0;
    const findings = triggerResponseInvalid.detect(observations, collapsing);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ occurrences: 40, dedupKey: SEED_DEDUP_KEY });
    expect(readsForOneHead).toBeGreaterThan(0);
    expect(reads).toBe(readsForOneHead);
  });
});
