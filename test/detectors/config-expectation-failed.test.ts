import { describe, expect, it } from 'vitest';
import { configExpectationFailed, isSameFunction } from '../../detectors/config-expectation-failed';
import type { ClientExpectations, PoolExpectations } from '../../detectors/config-observations';
import {
  baseSnapshot,
  CLIENT_ID,
  CONTEXT,
  clientSection,
  expectationsObservation,
  FUNCTION_ARN,
  POOL_ID,
  TARGET,
} from '../fixtures/audit/observations';
import { expectOneFinding } from '../support/expect-finding';

const failed = (expectations: Partial<PoolExpectations>, unread: string[] = []) =>
  configExpectationFailed.detect([expectationsObservation(expectations, baseSnapshot(), unread)], CONTEXT);

const client = (expect: Omit<ClientExpectations, 'clientId'>): Partial<PoolExpectations> => ({
  clients: [{ clientId: CLIENT_ID, ...expect }],
});

const minutes = (count: number) => ({ seconds: count * 60, text: `${count}m` });
const days = (count: number) => ({ seconds: count * 86_400, text: `${count}d` });

describe('config-expectation-failed', () => {
  it('reports nothing when every expectation holds, whatever unit either side uses', () => {
    expect(
      failed({
        deletionProtection: true,
        mfa: 'OFF',
        domain: 'shop-auth',
        triggers: { PreSignUp: 'shop-presignup' },
        ...client({
          callbackUrls: ['https://shop.example.com/callback/', 'https://shop.example.com/callback'],
          logoutUrls: ['https://shop.example.com/'],
          explicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
          allowedOAuthFlows: ['code'],
          allowedOAuthScopes: ['openid', 'email'],
          hasSecret: true,
          tokenValidity: { accessToken: minutes(60), idToken: minutes(60), refreshToken: days(30) },
          preventUserExistenceErrors: true,
          enableTokenRevocation: true,
          refreshTokenRotation: false,
        }),
      }),
    ).toEqual([]);
  });

  // Every expectation, unmet: the field it names, expected and actual.
  it.each<[string, Partial<PoolExpectations>, string, string, string]>([
    ['deletionProtection', { deletionProtection: false }, 'DeletionProtection', 'INACTIVE', 'ACTIVE'],
    ['mfa', { mfa: 'ON' }, 'MfaConfiguration', 'ON', 'OFF'],
    ['domain', { domain: 'auth.shop.example.com' }, 'Domain', 'auth.shop.example.com', 'shop-auth'],
    [
      'a trigger by name',
      { triggers: { PreSignUp: 'shop-presignup-v2' } },
      'LambdaConfig.PreSignUp',
      'shop-presignup-v2',
      FUNCTION_ARN,
    ],
    [
      'a trigger not wired',
      { triggers: { PostConfirmation: 'shop-welcome' } },
      'LambdaConfig.PostConfirmation',
      'shop-welcome',
      '(not set)',
    ],
    [
      'callbackUrls (a trailing slash counts)',
      client({ callbackUrls: ['https://shop.example.com/callback'] }),
      `clients.${CLIENT_ID}.CallbackURLs`,
      '[https://shop.example.com/callback]',
      '[https://shop.example.com/callback, https://shop.example.com/callback/]',
    ],
    [
      'logoutUrls',
      client({ logoutUrls: ['https://shop.example.com'] }),
      `clients.${CLIENT_ID}.LogoutURLs`,
      '[https://shop.example.com]',
      '[https://shop.example.com/]',
    ],
    [
      'explicitAuthFlows',
      client({ explicitAuthFlows: ['ALLOW_REFRESH_TOKEN_AUTH', 'ALLOW_USER_PASSWORD_AUTH'] }),
      `clients.${CLIENT_ID}.ExplicitAuthFlows`,
      '[ALLOW_REFRESH_TOKEN_AUTH, ALLOW_USER_PASSWORD_AUTH]',
      '[ALLOW_REFRESH_TOKEN_AUTH, ALLOW_USER_SRP_AUTH]',
    ],
    [
      'allowedOAuthFlows',
      client({ allowedOAuthFlows: ['code', 'implicit'] }),
      `clients.${CLIENT_ID}.AllowedOAuthFlows`,
      '[code, implicit]',
      '[code]',
    ],
    [
      'allowedOAuthScopes',
      client({ allowedOAuthScopes: ['openid'] }),
      `clients.${CLIENT_ID}.AllowedOAuthScopes`,
      '[openid]',
      '[email, openid]',
    ],
    ['hasSecret', client({ hasSecret: false }), `clients.${CLIENT_ID}.HasSecret`, 'false', 'true'],
    [
      'tokenValidity.accessToken',
      client({ tokenValidity: { accessToken: minutes(5) } }),
      `clients.${CLIENT_ID}.AccessTokenValidity`,
      '5m',
      '1h (60 minutes)',
    ],
    [
      'tokenValidity.refreshToken',
      client({ tokenValidity: { refreshToken: days(1) } }),
      `clients.${CLIENT_ID}.RefreshTokenValidity`,
      '1d',
      '30d (30 days)',
    ],
    [
      'preventUserExistenceErrors',
      client({ preventUserExistenceErrors: false }),
      `clients.${CLIENT_ID}.PreventUserExistenceErrors`,
      'false',
      'true',
    ],
    [
      'enableTokenRevocation',
      client({ enableTokenRevocation: false }),
      `clients.${CLIENT_ID}.EnableTokenRevocation`,
      'false',
      'true',
    ],
    [
      'refreshTokenRotation (not reported by the API)',
      client({ refreshTokenRotation: true }),
      `clients.${CLIENT_ID}.RefreshTokenRotation`,
      'true',
      'false (not set)',
    ],
  ])('reports an unmet %s with expected and actual', (_name, expectations, field, expected, actual) => {
    const findings = failed(expectations);
    expectOneFinding(findings, {
      detector: 'config-expectation-failed',
      severity: 'warning',
      userPoolId: POOL_ID,
      field,
      expected,
      actual,
      dedupKey: `config-expectation-failed:${POOL_ID}:${field}`,
      runbook: 'config-expectation-failed',
    });
  });

  it('reports a configured client that does not exist as an error', () => {
    const findings = failed({ clients: [{ clientId: 'deletedclient1', callbackUrls: ['https://x'] }] });
    expect(findings).toEqual([
      expect.objectContaining({
        severity: 'error',
        field: 'clients.deletedclient1',
        expected: 'exists',
        actual: 'not found',
        clientId: 'deletedclient1',
      }),
    ]);
  });

  it('reports a pool that does not exist as critical', () => {
    const findings = configExpectationFailed.detect(
      [
        {
          kind: 'config-expectations',
          target: TARGET,
          expectations: { clients: [] },
          current: { outcome: 'pool-not-found' },
        },
      ],
      CONTEXT,
    );
    expect(findings).toEqual([expect.objectContaining({ severity: 'critical', field: 'UserPool' })]);
  });

  it('checks nothing in a section that could not be read', () => {
    expect(failed({ mfa: 'ON', ...client({ hasSecret: false }) }, ['pool', clientSection])).toEqual([]);
  });

  it.each([
    ['shop-presignup', FUNCTION_ARN, true],
    ['shop-presignup', `${FUNCTION_ARN}:live`, true],
    [FUNCTION_ARN, FUNCTION_ARN, true],
    [FUNCTION_ARN, `${FUNCTION_ARN}:live`, false],
    ['shop-presign', FUNCTION_ARN, false],
  ])('matches trigger %s against %s: %s', (expected, actual, same) => {
    expect(isSameFunction(expected, actual)).toBe(same);
  });
});
