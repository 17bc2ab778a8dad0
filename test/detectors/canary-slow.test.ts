import { describe, expect, it } from 'vitest';
import { canarySlow } from '../../detectors/canary-slow';
import {
  CLIENT,
  context,
  failed,
  POOL,
  serviceError,
  signIn,
  tokenCheck,
} from '../fixtures/canary/observations';

describe('canary-slow', () => {
  it('reports nothing without a budget', () => {
    expect(canarySlow.detect([signIn(undefined, { durationMs: 9_000 })], context())).toEqual([]);
  });

  it('reports nothing at or under the budget', () => {
    expect(canarySlow.detect([signIn(undefined, { durationMs: 500, budgetMs: 500 })], context())).toEqual([]);
  });

  it('warns when a step is over its budget', () => {
    const [finding] = canarySlow.detect(
      [signIn(undefined, { durationMs: 2_340.6, budgetMs: 1_000 })],
      context(),
    );
    expect(finding).toEqual({
      detector: 'canary-slow',
      severity: 'warning',
      title: `Canary step sign-in took 2341 ms for shop (${POOL}), app client ${CLIENT}, over its 1000 ms budget`,
      userPoolId: POOL,
      clientId: CLIENT,
      region: 'us-east-1',
      field: 'sign-in',
      expected: 'at most 1000 ms',
      actual: '2341 ms',
      evidence: ['sign-in: 2341 ms (budget 1000 ms)'],
      dedupKey: `canary-slow:${POOL}:${CLIENT}:sign-in`,
      runbook: 'canary-slow',
    });
  });

  it('adds up the token checks of one step', () => {
    const findings = canarySlow.detect(
      [
        tokenCheck({ tokenUse: 'id', durationMs: 30, budgetMs: 50 }),
        tokenCheck({ tokenUse: 'access', durationMs: 30, budgetMs: 50 }),
      ],
      context(),
    );
    expect(findings.map((finding) => [finding.field, finding.actual, finding.evidence[0]])).toEqual([
      ['verify-tokens', '60 ms', 'verify-tokens: 60 ms over 2 calls (budget 50 ms)'],
    ]);
  });

  it('leaves a failed step to the detector of its failure', () => {
    const slowAndFailed = signIn(
      failed(serviceError('TooManyRequestsException', 'Rate exceeded', { kind: 'throttled' })),
      {
        durationMs: 9_000,
        budgetMs: 1_000,
      },
    );
    expect(canarySlow.detect([slowAndFailed], context())).toEqual([]);
  });
});
