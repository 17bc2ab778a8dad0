import {
  AdminCreateUserCommand,
  AdminDisableUserCommand,
  UpdateUserPoolCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { beforeEach, describe, expect, it } from 'vitest';
import { type CheckDeps, check, toCheckPoolConfig } from '../../cli/check';
import { createSecretResolver } from '../../config/secrets';
import type { MotoServer } from '../../demo/local/moto';
import {
  CANARY_PASSWORD,
  CANARY_USERNAME,
  cognitoClient,
  type MotoPool,
  PASSWORD_SECRET,
  secretsManagerClient,
} from '../../demo/local/moto-pool';
import { captureIo } from '../support/capture-io';
import { auditClientsOnMoto, freshMotoPool, startMotoForFile } from '../support/moto';
import { checkArgv, motoBinEnv, runBin } from '../support/run-bin';
import { helpPrinted, runMain } from '../support/run-main';

const moto = await startMotoForFile();

describe('check usage', () => {
  it.each([
    ['no --username', ['--user-pool-id', 'us-east-1_AbC', '--client-id', 'abc'], /--username is required/],
    [
      'a malformed pool id',
      ['--user-pool-id', 'nope', '--client-id', 'abc', '--username', 'u'],
      /--user-pool-id: expected a user pool id/,
    ],
    [
      'a malformed secret reference',
      [
        '--user-pool-id',
        'us-east-1_AbC',
        '--client-id',
        'abc',
        '--username',
        'u',
        '--password-from',
        'vault:x',
      ],
      /--password-from: "vault:…" is not a secret reference/,
    ],
    [
      'an unknown --format',
      ['--user-pool-id', 'us-east-1_AbC', '--client-id', 'abc', '--username', 'u', '--format', 'xml'],
      /--format "xml"/,
    ],
    ['an unknown option', ['--user-pool', 'x'], /Unknown option '--user-pool'/],
  ])('exits 2 for %s, naming the option', async (_name, args, message) => {
    expect(await runMain(['check', ...args])).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(message),
      stdout: '',
    });
  });

  it('takes the region from the pool id, else AWS_REGION', () => {
    const values = { 'user-pool-id': 'eu-west-1_AbC', 'client-id': 'abc', username: 'u' };
    expect(toCheckPoolConfig(values, {}).region).toBe('eu-west-1');
    expect(
      toCheckPoolConfig({ ...values, 'user-pool-id': 'local_AbC' }, { AWS_REGION: 'us-east-2' }).region,
    ).toBe('us-east-2');
  });

  it('prints its help and exits 0', async () => {
    expect(await runMain(['check', '--help'])).toMatchObject(helpPrinted('--password-from REF'));
  });
});

describe.runIf(moto)('check against moto_server', () => {
  const server = moto as MotoServer;
  let pool: MotoPool;

  const deps = (): CheckDeps => ({
    cognito: () => cognitoClient(server.endpoint),
    secrets: () =>
      createSecretResolver({
        secretsManager: secretsManagerClient(server.endpoint),
        env: { CANARY_PW: CANARY_PASSWORD, WRONG_PW: 'Wr0ng-Passw0rd!' },
        allowEnv: true,
      }),
    endpoint: server.endpoint,
  });
  const args = (...extra: string[]) => [
    '--user-pool-id',
    pool.userPoolId,
    '--client-id',
    pool.clientId,
    '--username',
    CANARY_USERNAME,
    ...extra,
  ];

  beforeEach(async () => {
    pool = await freshMotoPool(server);
  });

  it('also runs the config audit of the pool: a PreSignUp pointing at a deleted function is reported', async () => {
    await pool.cognito.send(
      new UpdateUserPoolCommand({
        UserPoolId: pool.userPoolId,
        LambdaConfig: { PreSignUp: 'arn:aws:lambda:us-east-1:123456789012:function:gone-presignup' },
      }),
    );
    const { io, out } = captureIo();
    const withAudit: CheckDeps = {
      ...deps(),
      audit: {
        clients: auditClientsOnMoto(server.endpoint),
      },
    };
    const code = await check(args('--password-from', 'env:CANARY_PW', '--format', 'json'), io, withAudit);
    expect(code).toBe(1);
    const findings = out()
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(findings).toEqual([
      expect.objectContaining({
        detector: 'trigger-wiring-broken',
        trigger: 'PreSignUp',
        cause: 'function-missing',
      }),
    ]);
  });

  it('prints nothing and exits 0 for a healthy pool (json), noting the RevokeToken fallback on stderr', async () => {
    const { io, out, err } = captureIo();

    const code = await check(args('--password-from', 'env:CANARY_PW', '--format', 'json'), io, deps());

    expect(code).toBe(0);
    expect(out()).toBe('');
    expect(err()).toContain('note: RevokeToken failed');
  });

  it('reads the password from Secrets Manager and prints the step report (text)', async () => {
    const { io, out } = captureIo();

    const code = await check(
      args('--password-from', `secretsmanager:${PASSWORD_SECRET}`, '--format', 'text'),
      io,
      deps(),
    );

    expect(code).toBe(0);
    expect(out()).toContain(`Canary check of ${pool.userPoolId}, app client ${pool.clientId} (us-east-1)`);
    expect(out()).toMatch(/ {2}sign-in {19}ok/);
    expect(out()).toMatch(/ {2}verify-refreshed-tokens {3}ok/);
    expect(out()).toContain('All checks passed.');
  });

  it('prints the finding as a JSON line and exits 1 for a wrong password, without the password or username', async () => {
    const { io, out, err } = captureIo();

    const code = await check(args('--password-from', 'env:WRONG_PW', '--format', 'json'), io, deps());

    expect(code).toBe(1);
    const lines = out()
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(lines.map((finding) => [finding.detector, finding.cause])).toEqual([
      ['canary-auth-failed', 'incorrect-credentials'],
    ]);
    expect(out() + err()).not.toContain('Wr0ng-Passw0rd!');
    expect(out() + err()).not.toContain(CANARY_USERNAME);
  });

  it('prints the report with the runbook section in text format', async () => {
    const { io, out } = captureIo();

    const code = await check(args('--password-from', 'env:WRONG_PW', '--format', 'text'), io, deps());

    expect(code).toBe(1);
    expect(out()).toContain('sign-in                   FAILED');
    expect(out()).toContain('1 finding in 1 incident.');
    expect(out()).toContain('Cognito rejects the stored canary password');
    expect(out()).toContain(`admin-set-user-password --user-pool-id ${pool.userPoolId}`);
  });

  it('exits 0 when the findings are below --fail-on', async () => {
    const { io, out } = captureIo();

    const code = await check(
      args('--password-from', 'env:WRONG_PW', '--format', 'json', '--fail-on', 'critical'),
      io,
      deps(),
    );

    expect(code).toBe(0);
    expect(out()).toContain('"incorrect-credentials"');
  });

  it('exits 2 naming --password-from when the password cannot be read', async () => {
    const { io, out, err } = captureIo();

    const code = await check(args('--password-from', 'env:NOT_SET', '--format', 'json'), io, deps());

    expect(code).toBe(2);
    expect(err()).toContain(
      'error: --password-from: SecretResolutionError: env:NOT_SET: the variable is not set',
    );
    expect(out()).toBe('');
  });
});

describe.runIf(moto)('check end to end: node bin/cognito-sentinel.mjs with AWS_ENDPOINT_URL', () => {
  const server = moto as MotoServer;
  let pool: MotoPool;

  const bin = async (userPoolId: string, clientId: string, username: string, extra: string[] = []) => {
    return runBin(
      checkArgv({ userPoolId, clientId, username }, '--format', 'json', ...extra),
      motoBinEnv(server.endpoint, {
        CANARY_PASSWORD,
        CLIENT_SECRET: pool.clientSecret,
      }),
    );
  };

  const findingsOf = (stdout: string) =>
    stdout
      .trim()
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as { detector: string; cause?: string; field?: string });

  beforeEach(async () => {
    pool = await freshMotoPool(server);
  });

  it('prints nothing and exits 0 for a healthy pool (tokens verified against the emulator JWKS)', async () => {
    const result = await bin(pool.userPoolId, pool.clientId, CANARY_USERNAME);
    expect(result).toMatchObject({ code: 0, stdout: '' });
  });

  it('prints nothing and exits 0 through a client with a secret read from --client-secret-from', async () => {
    const result = await bin(pool.userPoolId, pool.secretClientId, CANARY_USERNAME, [
      '--client-secret-from',
      'env:CLIENT_SECRET',
    ]);
    expect(result).toMatchObject({ code: 0, stdout: '' });
    expect(result.stderr).not.toContain(pool.clientSecret);
  });

  const setups: [string, (p: MotoPool) => Promise<[string, string, string]>, string][] = [
    [
      'a disabled canary user',
      async (p) => {
        await p.cognito.send(
          new AdminDisableUserCommand({ UserPoolId: p.userPoolId, Username: CANARY_USERNAME }),
        );
        return [p.userPoolId, p.clientId, CANARY_USERNAME];
      },
      'user-disabled',
    ],
    [
      'a canary user with a temporary password',
      async (p) => {
        await p.cognito.send(
          new AdminCreateUserCommand({
            UserPoolId: p.userPoolId,
            Username: 'fresh-canary',
            TemporaryPassword: CANARY_PASSWORD,
            MessageAction: 'SUPPRESS',
          }),
        );
        return [p.userPoolId, p.clientId, 'fresh-canary'];
      },
      'new-password-required',
    ],
    ['an unknown canary user', async (p) => [p.userPoolId, p.clientId, 'nobody-here'], 'user-not-found'],
    [
      'an unknown app client',
      async (p) => [p.userPoolId, 'deleted0client0id0000000000', CANARY_USERNAME],
      'client-not-found',
    ],
    [
      'an unknown pool',
      async (p) => ['us-east-1_0000000000000000deleted00000000', p.clientId, CANARY_USERNAME],
      'pool-not-found',
    ],
  ];

  it.each(setups)('prints canary-auth-failed / %s and exits 1', async (_name, setup, cause) => {
    const [userPoolId, clientId, username] = await setup(pool);

    const result = await bin(userPoolId, clientId, username);

    expect(result.code).toBe(1);
    const findings = findingsOf(result.stdout);
    expect(
      findings
        .filter((finding) => finding.detector !== 'config-expectation-failed')
        .map((finding) => [finding.detector, finding.cause]),
    ).toEqual([['canary-auth-failed', cause]]);
    // The config audit that check also runs names a missing client or pool as an unmet expectation.
    const audit = findings
      .filter((finding) => finding.detector === 'config-expectation-failed')
      .map((finding) => finding.field);
    expect(audit).toEqual(
      cause === 'client-not-found' ? [`clients.${clientId}`] : cause === 'pool-not-found' ? ['UserPool'] : [],
    );
    expect(result.stdout + result.stderr).not.toContain(CANARY_PASSWORD);
  });

  it('prints canary-auth-failed / incorrect-credentials and exits 1 for a wrong stored password', async () => {
    const result = await bin(pool.userPoolId, pool.clientId, CANARY_USERNAME, [
      '--password-from',
      'env:CLIENT_SECRET',
    ]);

    expect(result.code).toBe(1);
    expect(findingsOf(result.stdout).map((finding) => [finding.detector, finding.cause])).toEqual([
      ['canary-auth-failed', 'incorrect-credentials'],
    ]);
  });
});
