import { describe, expect, it } from 'vitest';
import { configDrift, DEFAULT_DRIFT_HOLD_MS, HELD_SECTION, toHeldDrift } from '../../detectors/config-drift';
import { describeSetting, type PoolSnapshot } from '../../detectors/config-observations';
import type { ConfigChange, Severity } from '../../detectors/types';
import {
  baseSnapshot,
  CLIENT_ID,
  CONTEXT,
  clientFieldName as c,
  clientSection,
  FUNCTION_ARN,
  NOW,
  POOL_ID,
  snapshotObservation,
  TARGET,
  withChanges,
} from '../fixtures/audit/observations';
import { expectOneFinding } from '../support/expect-finding';

const drift = (previous: PoolSnapshot | undefined, current: PoolSnapshot, unread: string[] = []) =>
  configDrift.detect([snapshotObservation(previous, current, unread)], CONTEXT);

describe('config-drift', () => {
  it('reports nothing on the baseline run (no previous snapshot) and nothing when nothing changed', () => {
    expect(drift(undefined, baseSnapshot())).toEqual([]);
    expect(drift(baseSnapshot(), baseSnapshot())).toEqual([]);
  });

  it('names a removed callback URL in AWS API terms, with before and after, as a warning', () => {
    const before = baseSnapshot();
    const after = withChanges(before, clientSection, {
      [c('CallbackURLs')]: ['https://shop.example.com/callback'],
    });
    const [finding, ...rest] = drift(before, after);
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({
      detector: 'config-drift',
      severity: 'warning',
      userPoolId: POOL_ID,
      region: 'eu-west-1',
      clientId: CLIENT_ID,
      field: `clients.${CLIENT_ID}.CallbackURLs`,
      before: '[https://shop.example.com/callback, https://shop.example.com/callback/]',
      after: '[https://shop.example.com/callback]',
      dedupKey: `config-drift:${POOL_ID}:clients.${CLIENT_ID}.CallbackURLs`,
      runbook: 'config-drift',
    });
    expect(finding?.title).toContain('CallbackURLs changed');
    expect(finding?.title).toContain('removed https://shop.example.com/callback/');
  });

  // Every drift kind: what changed, and whether it can break sign-in (warning) or not (info).
  it.each<
    [string, string, Record<string, PoolSnapshot['sections'][string][string] | undefined>, string, Severity]
  >([
    [
      'an auth flow removed',
      clientSection,
      { [c('ExplicitAuthFlows')]: ['ALLOW_REFRESH_TOKEN_AUTH'] },
      c('ExplicitAuthFlows'),
      'warning',
    ],
    [
      'an auth flow added',
      clientSection,
      { [c('ExplicitAuthFlows')]: ['ALLOW_REFRESH_TOKEN_AUTH', 'ALLOW_USER_AUTH', 'ALLOW_USER_SRP_AUTH'] },
      c('ExplicitAuthFlows'),
      'info',
    ],
    ['a logout URL removed', clientSection, { [c('LogoutURLs')]: [] }, c('LogoutURLs'), 'warning'],
    [
      'an OAuth scope removed',
      clientSection,
      { [c('AllowedOAuthScopes')]: ['openid'] },
      c('AllowedOAuthScopes'),
      'warning',
    ],
    [
      'an OAuth flow removed',
      clientSection,
      { [c('AllowedOAuthFlows')]: ['implicit'] },
      c('AllowedOAuthFlows'),
      'warning',
    ],
    [
      'a shorter access token validity',
      clientSection,
      { [c('AccessTokenValidity')]: '5 minutes' },
      c('AccessTokenValidity'),
      'warning',
    ],
    [
      'a shorter ID token validity in another unit',
      clientSection,
      { [c('IdTokenValidity')]: '30 minutes' },
      c('IdTokenValidity'),
      'warning',
    ],
    [
      'the same validity in another unit',
      clientSection,
      { [c('IdTokenValidity')]: '60 minutes' },
      c('IdTokenValidity'),
      'info',
    ],
    [
      'a longer refresh token validity',
      clientSection,
      { [c('RefreshTokenValidity')]: '90 days' },
      c('RefreshTokenValidity'),
      'info',
    ],
    [
      'a rotated client secret',
      clientSection,
      { [c('ClientSecretFingerprint')]: 'hmac-sha256:fedcba9876543210fedcba9876543210' },
      c('ClientSecretFingerprint'),
      'warning',
    ],
    [
      'a removed client secret',
      clientSection,
      { [c('HasSecret')]: false, [c('ClientSecretFingerprint')]: undefined },
      c('HasSecret'),
      'warning',
    ],
    ['a renamed client', clientSection, { [c('ClientName')]: 'web-2' }, c('ClientName'), 'info'],
    [
      'token revocation switched off',
      clientSection,
      { [c('EnableTokenRevocation')]: false },
      c('EnableTokenRevocation'),
      'info',
    ],
    ['the Cognito domain changed', 'pool', { Domain: 'shop-login' }, 'Domain', 'warning'],
    ['a custom domain added', 'pool', { CustomDomain: 'auth.shop.example.com' }, 'CustomDomain', 'warning'],
    [
      'PreSignUp re-pointed',
      'pool',
      { 'LambdaConfig.PreSignUp': `${FUNCTION_ARN}-v2` },
      'LambdaConfig.PreSignUp',
      'warning',
    ],
    [
      'PreSignUp removed',
      'pool',
      { 'LambdaConfig.PreSignUp': undefined },
      'LambdaConfig.PreSignUp',
      'warning',
    ],
    [
      'PostConfirmation added',
      'pool',
      { 'LambdaConfig.PostConfirmation': FUNCTION_ARN },
      'LambdaConfig.PostConfirmation',
      'warning',
    ],
    ['MFA turned on', 'pool', { MfaConfiguration: 'ON' }, 'MfaConfiguration', 'warning'],
    [
      'deletion protection turned off',
      'pool',
      { DeletionProtection: 'INACTIVE' },
      'DeletionProtection',
      'info',
    ],
    ['the domain no longer active', 'domain', { 'Domain.Status': 'FAILED' }, 'Domain.Status', 'warning'],
    [
      'new trigger code deployed',
      'function:PreSignUp',
      { 'triggers.PreSignUp.CodeSha256': 'b2tDb2RlQ2hhbmdlZA==' },
      'triggers.PreSignUp.CodeSha256',
      'info',
    ],
  ])('reports %s', (_name, section, changes, field, severity) => {
    const before = baseSnapshot();
    const findings = drift(before, withChanges(before, section, changes));
    expect(findings.map((finding) => [finding.field, finding.severity])).toContainEqual([field, severity]);
    expect(findings.every((finding) => finding.dedupKey === `config-drift:${POOL_ID}:${finding.field}`)).toBe(
      true,
    );
  });

  it('never shows a secret fingerprint in the title of a rotation', () => {
    const before = baseSnapshot();
    const [finding] = drift(
      before,
      withChanges(before, clientSection, {
        [c('ClientSecretFingerprint')]: 'hmac-sha256:fedcba9876543210fedcba9876543210',
      }),
    );
    expect(finding?.title).toContain('client secret was rotated');
    expect(finding?.title).not.toContain('hmac-sha256');
  });

  it('does not report a deploy time alone: LastModified is recorded, not compared', () => {
    const before = baseSnapshot();
    const after = withChanges(before, 'function:PreSignUp', {
      'triggers.PreSignUp.LastModified': '2026-11-26T09:00:00.000+0000',
    });
    expect(drift(before, after)).toEqual([]);
  });

  it('reports a deleted app client once, as an error, not one finding per setting', () => {
    const before = baseSnapshot();
    const { [clientSection]: _gone, ...sections } = before.sections;
    const findings = drift(before, { ...before, sections });
    expectOneFinding(findings, {
      severity: 'error',
      field: `clients.${CLIENT_ID}`,
      after: '(deleted)',
      clientId: CLIENT_ID,
    });
  });

  it('reports a new app client as info', () => {
    const before = baseSnapshot();
    const after = {
      ...before,
      sections: { ...before.sections, 'client:newclient1': { 'clients.newclient1.ClientName': 'ios' } },
    };
    expect(drift(before, after)).toEqual([
      expect.objectContaining({ severity: 'info', field: 'clients.newclient1' }),
    ]);
  });

  it('reports a deleted pool as critical instead of failing', () => {
    const findings = configDrift.detect(
      [
        {
          kind: 'config-snapshot',
          target: TARGET,
          previous: baseSnapshot(),
          current: { outcome: 'pool-not-found' },
        },
      ],
      CONTEXT,
    );
    expect(findings).toEqual([
      expect.objectContaining({ severity: 'critical', field: 'UserPool', after: '(deleted)' }),
    ]);
  });

  it('compares nothing in a section it could not read this run (a failed call is not a change)', () => {
    const before = baseSnapshot();
    const { [clientSection]: _unread, ...sections } = before.sections;
    expect(drift(before, { ...before, sections }, [clientSection])).toEqual([]);
  });

  it('reports nothing when the pool could not be read at all', () => {
    expect(
      configDrift.detect(
        [
          {
            kind: 'config-snapshot',
            target: TARGET,
            previous: baseSnapshot(),
            current: { outcome: 'unreadable', message: 'ThrottlingException: Rate exceeded' },
          },
        ],
        CONTEXT,
      ),
    ).toEqual([]);
  });

  it('carries the CloudTrail change into the finding and its evidence', () => {
    const change: ConfigChange = {
      eventName: 'UpdateUserPoolClient',
      eventSource: 'cognito-idp.amazonaws.com',
      eventTime: '2026-11-26T09:14:31Z',
      principal: 'arn:aws:sts::123456789012:assumed-role/Admin/deployer',
      source: 'an IP address',
      via: 'aws-cli/2.15.0',
      resource: CLIENT_ID,
    };
    const before = baseSnapshot();
    const after = withChanges(before, clientSection, {
      [c('CallbackURLs')]: ['https://shop.example.com/callback'],
    });
    const [finding] = configDrift.detect([{ ...snapshotObservation(before, after), change }], CONTEXT);
    expect(finding?.change).toEqual(change);
    expect(finding?.evidence).toContain(
      `change: UpdateUserPoolClient (${CLIENT_ID}) by arn:aws:sts::123456789012:assumed-role/Admin/deployer at 2026-11-26T09:14:31Z from an IP address via aws-cli/2.15.0`,
    );
  });
});

describe('config-drift: a breaking change is held until reverted', () => {
  const field = c('CallbackURLs');
  const good = ['https://shop.example.com/callback', 'https://shop.example.com/callback/'];
  const bad = ['https://shop.example.com/callback'];
  const withHeld = (snapshot: PoolSnapshot, held: Record<string, string>): PoolSnapshot => ({
    ...snapshot,
    sections: { ...snapshot.sections, [HELD_SECTION]: held },
  });

  it('holds a warning drift and not an info one', () => {
    const before = baseSnapshot();
    const breaking = snapshotObservation(before, withChanges(before, clientSection, { [field]: bad }));
    expect(Object.keys(toHeldDrift(breaking, NOW))).toEqual([field]);
    const cosmetic = snapshotObservation(
      before,
      withChanges(before, clientSection, { [c('ClientName')]: 'web-2' }),
    );
    expect(toHeldDrift(cosmetic, NOW)).toEqual({});
    expect(toHeldDrift(breaking, NOW, 0)).toEqual({});
  });

  it('finds a held change again while it stands, reports its revert as info, then lets it go', () => {
    const original = baseSnapshot();
    const broken = withChanges(original, clientSection, { [field]: bad });
    const held = toHeldDrift(snapshotObservation(original, broken), NOW);
    const stored = withHeld(broken, held);

    const still = drift(stored, withChanges(stored, clientSection, {}));
    expect(still).toEqual([
      expect.objectContaining({
        field,
        severity: 'warning',
        before: describeSetting(good),
        after: describeSetting(bad),
      }),
    ]);
    expect(toHeldDrift(snapshotObservation(stored, broken), new Date(NOW.getTime() + 60_000))).toEqual(held);

    const revert = snapshotObservation(stored, withChanges(stored, clientSection, { [field]: good }));
    const [reverted] = configDrift.detect([revert], CONTEXT);
    expect(reverted).toMatchObject({ field, severity: 'info' });
    expect(reverted?.title).toContain(`reverted to ${describeSetting(good)}`);
    expect(toHeldDrift(revert, NOW)).toEqual({});
  });

  it('lets a held change go after the hold time: it is the new baseline', () => {
    const original = baseSnapshot();
    const broken = withChanges(original, clientSection, { [field]: bad });
    const stored = withHeld(broken, toHeldDrift(snapshotObservation(original, broken), NOW));
    const dayLater = new Date(NOW.getTime() + DEFAULT_DRIFT_HOLD_MS + 1);
    expect(toHeldDrift(snapshotObservation(stored, broken), dayLater)).toEqual({});
  });
});
