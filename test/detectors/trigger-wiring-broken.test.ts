import { describe, expect, it } from 'vitest';
import type { PolicyStatement } from '../../detectors/config-observations';
import {
  allowsCognitoInvoke,
  triggerWiringBroken,
  wildcardMatch,
} from '../../detectors/trigger-wiring-broken';
import { CONTEXT, FUNCTION_ARN, healthyWiring, POOL_ARN, POOL_ID } from '../fixtures/audit/observations';

const statement = (overrides: Partial<PolicyStatement> = {}): PolicyStatement => ({
  effect: 'Allow',
  principals: ['cognito-idp.amazonaws.com'],
  actions: ['lambda:InvokeFunction'],
  conditions: { ArnLike: { 'aws:sourcearn': [POOL_ARN] } },
  ...overrides,
});

describe('trigger-wiring-broken', () => {
  it('reports nothing for a function that exists, may be invoked by this pool, fits 5 s and runs a supported runtime', () => {
    expect(triggerWiringBroken.detect([healthyWiring()], CONTEXT)).toEqual([]);
  });

  it('reports a deleted function as function-missing, with the trigger and the ARN', () => {
    const [finding, ...rest] = triggerWiringBroken.detect(
      [
        healthyWiring({
          function: {
            outcome: 'not-found',
            message: `ResourceNotFoundException: Function not found: ${FUNCTION_ARN}`,
          },
          policy: { outcome: 'skipped' },
        }),
      ],
      CONTEXT,
    );
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({
      detector: 'trigger-wiring-broken',
      severity: 'critical',
      trigger: 'PreSignUp',
      cause: 'function-missing',
      functionName: 'shop-presignup',
      userPoolId: POOL_ID,
      dedupKey: `trigger-wiring-broken:${POOL_ID}:PreSignUp:function-missing`,
      runbook: 'trigger-wiring-broken',
    });
    expect(finding?.evidence[0]).toBe(`LambdaConfig.PreSignUp: ${FUNCTION_ARN}`);
  });

  it.each<[string, PolicyStatement[] | 'none']>([
    ['no resource policy at all', 'none'],
    [
      'a statement for another pool',
      [statement({ conditions: { ArnLike: { 'aws:sourcearn': [`${POOL_ARN}x`] } } })],
    ],
    ['a statement for another service', [statement({ principals: ['s3.amazonaws.com'] })]],
    ['a statement for another action', [statement({ actions: ['lambda:GetFunction'] })]],
    [
      'a statement for another account',
      [statement({ conditions: { StringEquals: { 'aws:sourceaccount': ['999999999999'] } } })],
    ],
    ['a Deny statement', [statement({ effect: 'Deny' })]],
  ])('reports permission-missing for %s', (_name, statements) => {
    const findings = triggerWiringBroken.detect(
      [
        healthyWiring({
          policy: statements === 'none' ? { outcome: 'none' } : { outcome: 'found', statements },
        }),
      ],
      CONTEXT,
    );
    expect(findings).toEqual([
      expect.objectContaining({ cause: 'permission-missing', severity: 'critical' }),
    ]);
  });

  it.each<[string, PolicyStatement]>([
    ['ArnLike with the pool ARN', statement()],
    [
      'ArnEquals with the pool ARN',
      statement({ conditions: { ArnEquals: { 'aws:sourcearn': [POOL_ARN] } } }),
    ],
    [
      'a wildcard over every pool of the account',
      statement({
        conditions: { ArnLike: { 'aws:sourcearn': ['arn:aws:cognito-idp:*:123456789012:userpool/*'] } },
      }),
    ],
    [
      'the pool account only',
      statement({ conditions: { StringEquals: { 'aws:sourceaccount': ['123456789012'] } } }),
    ],
    ['no condition', statement({ conditions: {} })],
    ['lambda:* for any principal', statement({ principals: ['*'], actions: ['lambda:*'] })],
  ])('accepts a policy with %s', (_name, allowing) => {
    expect(allowsCognitoInvoke([allowing], POOL_ARN, POOL_ID)).toBe(true);
  });

  it('reports a timeout above Cognito’s 5 s wait as a warning, and a 5 s timeout as fine', () => {
    const found = (timeoutSeconds: number) =>
      healthyWiring({
        function: { outcome: 'found', functionName: 'shop-presignup', runtime: 'nodejs22.x', timeoutSeconds },
      });
    expect(triggerWiringBroken.detect([found(5)], CONTEXT)).toEqual([]);
    expect(triggerWiringBroken.detect([found(6)], CONTEXT)).toEqual([
      expect.objectContaining({
        cause: 'timeout-over-limit',
        severity: 'warning',
        expected: 'at most 5 s',
        actual: '6 s',
      }),
    ]);
  });

  it('reports a runtime past its deprecation date, judged at the run time it is given', () => {
    const on = (runtime: string) =>
      healthyWiring({
        function: { outcome: 'found', functionName: 'shop-presignup', runtime, timeoutSeconds: 3 },
      });
    expect(triggerWiringBroken.detect([on('nodejs18.x')], CONTEXT)).toEqual([
      expect.objectContaining({
        cause: 'runtime-deprecated',
        severity: 'warning',
        actual: 'nodejs18.x (deprecated 2025-09-01)',
      }),
    ]);
    expect(triggerWiringBroken.detect([on('nodejs22.x')], CONTEXT)).toEqual([]);
    expect(
      triggerWiringBroken.detect([on('nodejs22.x')], { ...CONTEXT, now: new Date('2027-05-01T00:00:00Z') }),
    ).toEqual([expect.objectContaining({ cause: 'runtime-deprecated' })]);
    expect(triggerWiringBroken.detect([on('provided.al2023')], CONTEXT)).toEqual([]);
  });

  it('reports a custom sender without a KMS key, and exempts it from the 5 s wait', () => {
    const sender = healthyWiring({
      trigger: 'CustomEmailSender',
      kmsKeyConfigured: false,
      function: { outcome: 'found', functionName: 'shop-mailer', runtime: 'nodejs22.x', timeoutSeconds: 30 },
    });
    expect(triggerWiringBroken.detect([sender], CONTEXT)).toEqual([
      expect.objectContaining({ trigger: 'CustomEmailSender', cause: 'kms-key-missing', severity: 'error' }),
    ]);
    expect(triggerWiringBroken.detect([{ ...sender, kmsKeyConfigured: true }], CONTEXT)).toEqual([]);
  });

  it('raises nothing from a lookup that failed (throttled, access denied): that check did not run', () => {
    expect(
      triggerWiringBroken.detect(
        [
          healthyWiring({
            function: { outcome: 'unreadable', message: 'AccessDeniedException' },
            policy: { outcome: 'skipped' },
          }),
          healthyWiring({ policy: { outcome: 'unreadable', message: 'AccessDeniedException' } }),
        ],
        CONTEXT,
      ),
    ).toEqual([]);
  });

  it('records the function’s last change in the evidence', () => {
    const [finding] = triggerWiringBroken.detect([healthyWiring({ policy: { outcome: 'none' } })], CONTEXT);
    expect(finding?.evidence).toContain(
      'last changed: 2026-11-26T07:13:02.123+0000 (version $LATEST, code hznHbmgfkAkj)',
    );
  });
});

describe('wildcardMatch', () => {
  it.each([
    [
      'arn:aws:cognito-idp:*:123456789012:userpool/*',
      'arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_X',
      true,
    ],
    [
      'arn:aws:cognito-idp:eu-west-?:*:userpool/eu-west-1_X',
      'arn:aws:cognito-idp:eu-west-1:1:userpool/eu-west-1_X',
      true,
    ],
    ['*', '', true],
    ['a*b*c', 'aXbYc', true],
    ['a*b*c', 'aXbY', false],
    ['exact', 'exactly', false],
  ])('%s against %s: %s', (pattern, value, expected) => {
    expect(wildcardMatch(pattern, value)).toBe(expected);
  });
});
