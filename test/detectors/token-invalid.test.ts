import { describe, expect, it } from 'vitest';
import { tokenInvalid } from '../../detectors/token-invalid';
import { CLIENT, context, getUser, POOL, serviceError, tokenCheck } from '../fixtures/canary/observations';
import { expectOneFinding } from '../support/expect-finding';

const verification = (field: string, expected: string, actual: string) =>
  ({ field, expected, actual, check: 'verification' }) as const;

describe('token-invalid', () => {
  it('reports nothing for tokens that pass every check and a live access token', () => {
    expect(tokenInvalid.detect([tokenCheck(), tokenCheck({ tokenUse: 'id' }), getUser()], context())).toEqual(
      [],
    );
  });

  it('reports a failed claim check as critical with the claim as its field', () => {
    const [finding] = tokenInvalid.detect(
      [tokenCheck({}, verification('client_id', CLIENT, 'otherclient123'))],
      context(),
    );
    expect(finding).toEqual({
      detector: 'token-invalid',
      severity: 'critical',
      title: `The access token of shop (${POOL}), app client ${CLIENT} fails the client_id check that API verifiers apply: expected ${CLIENT}, got otherclient123`,
      userPoolId: POOL,
      clientId: CLIENT,
      region: 'us-east-1',
      field: 'client_id',
      expected: CLIENT,
      actual: 'otherclient123',
      evidence: [`access token: client_id: expected ${CLIENT}, got otherclient123`],
      dedupKey: `token-invalid:${POOL}:${CLIENT}:client_id`,
      runbook: 'token-invalid',
    });
  });

  it('makes one finding per field across tokens and phases', () => {
    const lifetime = {
      field: 'validity',
      expected: '30 min (1800 s)',
      actual: '60 min (3600 s)',
      check: 'lifetime',
    } as const;
    const findings = tokenInvalid.detect(
      [
        tokenCheck({ tokenUse: 'id' }, lifetime),
        tokenCheck({ tokenUse: 'access' }, lifetime),
        tokenCheck({ tokenUse: 'id', phase: 'refresh' }, lifetime),
      ],
      context(),
    );
    expectOneFinding(findings, { severity: 'warning', field: 'validity' });
    expect(findings[0]?.title).toContain('ID token, access token and refreshed ID token');
    expect(findings[0]?.title).toContain(
      'live 60 min (3600 s), but the app client is configured for 30 min (1800 s)',
    );
    expect(findings[0]?.evidence).toHaveLength(3);
  });

  it.each([
    ['claim', 'error'],
    ['jwks-unavailable', 'warning'],
  ] as const)('rates a %s failure %s', (check, severity) => {
    const [finding] = tokenInvalid.detect(
      [
        tokenCheck(
          {},
          { field: check === 'claim' ? 'custom:tenant' : 'jwks', expected: 'x', actual: 'y', check },
        ),
      ],
      context(),
    );
    expect(finding?.severity).toBe(severity);
  });

  it('reports GetUser refusing the fresh access token as field live (critical)', () => {
    const [finding] = tokenInvalid.detect(
      [getUser(serviceError('NotAuthorizedException', 'Access Token has been revoked'))],
      context(),
    );
    expect(finding).toMatchObject({
      field: 'live',
      severity: 'critical',
      actual: 'NotAuthorizedException: Access Token has been revoked',
      dedupKey: `token-invalid:${POOL}:${CLIENT}:live`,
    });
    expect(finding?.cause).toBeUndefined();
  });

  it.each([
    ['throttled', 'error'],
    ['network', 'warning'],
  ] as const)('reports a %s GetUser as that cause, not as a refused token', (kind, severity) => {
    const [finding] = tokenInvalid.detect([getUser(serviceError('X', 'y', { kind }))], context());
    expect(finding).toMatchObject({
      cause: kind,
      severity,
      dedupKey: `token-invalid:${POOL}:${CLIENT}:live-${kind}`,
    });
    expect(finding?.title).toMatch(/^GetUser could not check/);
  });
});
