import { describe, expect, it } from 'vitest';
import { TRIGGERS } from '../../contracts/triggers';
import { DETECTORS, type Finding, runTriggerLogDetectors, TRIGGER_LOG_DETECTORS } from '../../detectors';
import { getRunbookSection, runbookSectionId } from '../../runbook';
import {
  context,
  functionError,
  OTHER_REQUEST_ID,
  originFor,
  payloadEvent,
  report,
  timeoutLine,
} from '../fixtures/observations/builders';
import * as e from '../fixtures/triggers/events';

describe('detector registry', () => {
  it('gives every detector a unique id', () => {
    const ids = DETECTORS.map((detector) => detector.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('registers every trigger-log detector', () => {
    expect(TRIGGER_LOG_DETECTORS.map((detector) => detector.id).sort()).toEqual([
      'trigger-error',
      'trigger-response-invalid',
      'trigger-slow',
      'trigger-timeout',
    ]);
    for (const detector of TRIGGER_LOG_DETECTORS) expect(DETECTORS).toContain(detector);
  });

  it.each(DETECTORS.map((detector) => [detector.id, detector] as const))(
    '%s has a one-line description',
    (_id, detector) => {
      expect(detector.description.length).toBeGreaterThan(10);
      expect(detector.description).not.toMatch(/\n/);
    },
  );

  it.each(DETECTORS.map((detector) => detector.id))('%s has its runbook section', (id) => {
    const section = getRunbookSection(runbookSectionId(id));
    expect(section).toBeDefined();
    expect(section?.id).toBe(id);
  });

  it.each(TRIGGERS)('trigger-response-invalid has a runbook section for %s', (trigger) => {
    const id = runbookSectionId('trigger-response-invalid', trigger);
    expect(id).toBe(`trigger-response-invalid-${trigger.toLowerCase()}`);
    expect(getRunbookSection(id)?.id).toBe(id);
  });
});

describe('runTriggerLogDetectors', () => {
  /** One batch with one problem of each kind, from four different functions of one pool. */
  const batch = () => [
    payloadEvent(e.patchResponse(e.preSignUpInput, { autoConfirmUser: 'true' })),
    report({ durationMs: 31.62, initDurationMs: 182.4 }),
    timeoutLine(5.01, { origin: originFor('DefineAuthChallenge'), requestId: OTHER_REQUEST_ID }),
    report({
      origin: originFor('DefineAuthChallenge'),
      requestId: OTHER_REQUEST_ID,
      durationMs: 5000,
      status: 'timeout',
    }),
    report({ origin: originFor('PreTokenGeneration'), durationMs: 3620.5, status: 'success' }),
    functionError({
      origin: originFor('PostConfirmation'),
      errorType: 'TypeError',
      errorMessage: 'x is undefined',
    }),
    report({ origin: originFor('PostConfirmation'), durationMs: 12.3, status: 'error' }),
  ];

  it('runs every trigger-log detector over one batch', () => {
    const findings = runTriggerLogDetectors(batch(), context());
    expect(findings.map((finding) => [finding.detector, finding.trigger])).toEqual([
      ['trigger-response-invalid', 'PreSignUp'],
      ['trigger-timeout', 'DefineAuthChallenge'],
      ['trigger-slow', 'PreTokenGeneration'],
      ['trigger-error', 'PostConfirmation'],
    ]);
  });

  it('names a runbook section that exists for every finding', () => {
    for (const finding of runTriggerLogDetectors(batch(), context())) {
      expect(getRunbookSection(finding.runbook), finding.runbook).toBeDefined();
    }
  });

  it('gives the same findings for the same batch (pure)', () => {
    const first: Finding[] = runTriggerLogDetectors(batch(), context());
    expect(runTriggerLogDetectors(batch(), context())).toEqual(first);
  });

  it('does not modify the observations it reads', () => {
    const observations = batch();
    const before = structuredClone(observations);
    runTriggerLogDetectors(observations, context());
    expect(observations).toEqual(before);
  });

  it('reports nothing for a healthy invocation', () => {
    expect(
      runTriggerLogDetectors(
        [payloadEvent(e.preSignUpInput()), payloadEvent(e.preSignUpReturned()), report({ durationMs: 48 })],
        context(),
      ),
    ).toEqual([]);
  });
});
