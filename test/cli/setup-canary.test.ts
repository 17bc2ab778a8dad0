import {
  AdminGetUserCommand,
  AdminInitiateAuthCommand,
  CreateUserPoolCommand,
  UpdateUserPoolClientCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import {
  CreateSecretCommand,
  DeleteSecretCommand,
  DescribeSecretCommand,
  GetSecretValueCommand,
} from '@aws-sdk/client-secrets-manager';
import { GetParameterCommand } from '@aws-sdk/client-ssm';
import fc from 'fast-check';
import { beforeEach, describe, expect, it } from 'vitest';
import { generatePassword, setupCanary } from '../../cli/setup-canary';
import { captureIo } from '../support/capture-io';
import { startMotoForFile } from '../support/moto';
import { runMain, usageRefusal } from '../support/run-main';
import { createCanaryPool, runSetupCanary, setupCanaryClients } from '../support/setup-canary-moto';

const POLICY_CLASSES = {
  RequireLowercase: /[a-z]/,
  RequireUppercase: /[A-Z]/,
  RequireNumbers: /[0-9]/,
  RequireSymbols: /[^A-Za-z0-9]/,
} as const;

describe('generatePassword', () => {
  it('satisfies any password policy Cognito can express', () => {
    fc.assert(
      fc.property(
        fc.record({
          MinimumLength: fc.integer({ min: 6, max: 99 }),
          RequireLowercase: fc.boolean(),
          RequireUppercase: fc.boolean(),
          RequireNumbers: fc.boolean(),
          RequireSymbols: fc.boolean(),
        }),
        (policy) => {
          const password = generatePassword(policy);
          expect(password.length).toBeGreaterThanOrEqual(Math.max(32, policy.MinimumLength));
          for (const [key, pattern] of Object.entries(POLICY_CLASSES)) {
            if (policy[key as keyof typeof POLICY_CLASSES]) expect(password).toMatch(pattern);
          }
          expect(password).not.toMatch(/\s/);
        },
      ),
    );
  });

  it('never repeats itself', () => {
    const seen = new Set(Array.from({ length: 200 }, () => generatePassword()));
    expect(seen.size).toBe(200);
  });
});

describe('setup-canary usage', () => {
  it.each([
    [[], /--user-pool-id is required/],
    [['--user-pool-id', 'nope'], /expected a user pool id/],
    [['--user-pool-id', 'us-east-1_Abc123'], /--client-id is required/],
    [
      ['--user-pool-id', 'us-east-1_Abc123', '--client-id', 'c', '--rotate', '--remove'],
      /exclude each other/,
    ],
    [['--user-pool-id', 'us-east-1_Abc123', '--bogus'], /Unknown option/],
    [
      ['--user-pool-id', 'us-east-1_Abc123', '--client-id', 'c', '--store', 'vault'],
      /expected ssm or secretsmanager/,
    ],
  ])('exits 2 naming the problem: %j', async (args, message) => {
    expect(await runMain(['setup-canary', ...args])).toMatchObject(usageRefusal(message));
  });
});

const moto = await startMotoForFile();

describe.runIf(moto)('setup-canary against moto_server', () => {
  const { cognito, secrets, ssm, deps } = setupCanaryClients(moto?.endpoint ?? '');
  let poolId: string;
  let clientId: string;

  beforeEach(async () => {
    await moto?.reset();
    ({ poolId, clientId } = await createCanaryPool(cognito, {
      Policies: {
        PasswordPolicy: {
          MinimumLength: 40,
          RequireLowercase: true,
          RequireUppercase: true,
          RequireNumbers: true,
          RequireSymbols: true,
        },
      },
    }));
  });

  const runWith = (...args: string[]) => runSetupCanary({ poolId, clientId }, deps, args);

  const run = (...extra: string[]) => runWith('--store', 'secretsmanager', ...extra);
  const secretName = (username = 'cognito-sentinel-canary') =>
    `cognito-sentinel/canary/${poolId}/${username}`;
  const parameterName = (username = 'cognito-sentinel-canary') =>
    `/cognito-sentinel/canary/${poolId}/${username}`;
  const storedPassword = async (username?: string) =>
    (await secrets.send(new GetSecretValueCommand({ SecretId: secretName(username) }))).SecretString ?? '';
  const parameterValue = async (username?: string) =>
    (await ssm.send(new GetParameterCommand({ Name: parameterName(username), WithDecryption: true })))
      .Parameter;
  const signIn = (username: string, password: string) =>
    cognito.send(
      new AdminInitiateAuthCommand({
        UserPoolId: poolId,
        ClientId: clientId,
        AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: username, PASSWORD: password },
      }),
    );

  it('stores the password as an SSM SecureString parameter by default, one per user, and prints its reference', async () => {
    const { code, out, err } = await runWith();

    expect(code).toBe(0);
    expect(err).toBe('');
    const parameter = await parameterValue();
    expect(parameter?.Type).toBe('SecureString');
    expect(out).toContain(`      password: ssm:${parameterName()}\n`);
    expect(out).toContain(`--password-from ssm:${parameterName()}`);
    expect(out).not.toContain(parameter?.Value ?? '-');
    const auth = await signIn('cognito-sentinel-canary', parameter?.Value ?? '');
    expect(auth.AuthenticationResult?.AccessToken).toBeTruthy();
  });

  it.each([
    ['ssm', () => parameterValue().then((p) => p?.Value ?? '')],
    ['secretsmanager', () => storedPassword()],
  ] as const)(
    'gives a second canary user on the same pool its own %s password and keeps the first one signing in',
    async (store, firstPassword) => {
      await runWith('--store', store);
      const before = await firstPassword();

      const second = await runWith('--store', store, '--username', 'other-canary');

      expect(second.code).toBe(0);
      expect(second.out).toContain(
        store === 'ssm' ? parameterName('other-canary') : secretName('other-canary'),
      );
      expect(await firstPassword()).toBe(before);
      expect((await signIn('cognito-sentinel-canary', before)).AuthenticationResult).toBeDefined();
    },
  );

  it.each(['ssm', 'secretsmanager'] as const)(
    'refuses to overwrite a %s password that belongs to another canary user, and creates nothing',
    async (store) => {
      await runWith('--store', store);
      const name = store === 'ssm' ? parameterName() : secretName();
      const before = store === 'ssm' ? (await parameterValue())?.Value : await storedPassword();

      const asOtherCanary = (...flags: string[]) =>
        runWith('--store', store, '--username', 'other-canary', '--secret-name', name, ...flags);
      const second = await asOtherCanary();
      const rotated = await asOtherCanary('--rotate');
      const removed = await asOtherCanary('--remove');

      for (const attempt of [second, rotated, removed]) {
        expect(attempt.code).toBe(1);
        expect(attempt.err).toMatch(/holds the password of the canary user cognito-sentinel-canary/);
      }
      const after = store === 'ssm' ? (await parameterValue())?.Value : await storedPassword();
      expect(after).toBe(before);
      await expect(
        cognito.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'other-canary' })),
      ).rejects.toThrow(/User does not exist/);
    },
  );

  it('leaves alone a secret that setup-canary did not create', async () => {
    await secrets.send(new CreateSecretCommand({ Name: 'team/shared', SecretString: 'not-ours' }));

    const { code, err } = await run('--secret-name', 'team/shared');

    expect(code).toBe(1);
    expect(err).toMatch(/was not created by setup-canary/);
    expect((await secrets.send(new GetSecretValueCommand({ SecretId: 'team/shared' }))).SecretString).toBe(
      'not-ours',
    );
  });

  it('creates a confirmed canary user whose stored password signs in, and prints the config lines', async () => {
    const { code, out, err } = await run();

    expect(code).toBe(0);
    expect(err).toBe('');
    expect(out).toContain('    canary:\n      username: cognito-sentinel-canary\n');
    expect(out).toContain(`      password: secretsmanager:${secretName()}\n`);
    const password = await storedPassword();
    expect(password.length).toBeGreaterThanOrEqual(40);
    expect(out).not.toContain(password);
    const user = await cognito.send(
      new AdminGetUserCommand({ UserPoolId: poolId, Username: 'cognito-sentinel-canary' }),
    );
    expect(user.UserStatus).toBe('CONFIRMED');
    const auth = await signIn('cognito-sentinel-canary', password);
    expect(auth.AuthenticationResult?.AccessToken).toBeTruthy();
  });

  it('is idempotent: a second run reports what exists and keeps the password', async () => {
    await run();
    const before = await storedPassword();

    const { code, out } = await run();

    expect(code).toBe(0);
    expect(out).toMatch(/already exist; nothing changed/);
    expect(await storedPassword()).toBe(before);
  });

  it('rotates the password with --rotate, as a new secret version, without printing it', async () => {
    await run();
    const before = await storedPassword();

    const { code, out } = await run('--rotate');

    const after = await storedPassword();
    expect(code).toBe(0);
    expect(out).toMatch(/Rotated the password/);
    expect(after).not.toBe(before);
    expect(out).not.toContain(after);
    const auth = await signIn('cognito-sentinel-canary', after);
    expect(auth.AuthenticationResult).toBeDefined();
  });

  it('asks for --rotate when the user exists but its secret is scheduled for deletion, then restores it', async () => {
    await run();
    await secrets.send(new DeleteSecretCommand({ SecretId: secretName(), RecoveryWindowInDays: 7 }));

    const { code, err } = await run();
    const rotated = await run('--rotate');

    expect(code).toBe(1);
    expect(err).toMatch(/scheduled for deletion.*--rotate/);
    expect(rotated.code).toBe(0);
    const described = await secrets.send(new DescribeSecretCommand({ SecretId: secretName() }));
    expect(described.DeletedDate).toBeUndefined();
  });

  it('removes the user and its parameter with --remove (ssm, the default)', async () => {
    await runWith();

    const { code, out } = await runWith('--remove');

    expect(code).toBe(0);
    expect(out).toMatch(/Deleted the parameter/);
    await expect(parameterValue()).rejects.toThrow(/ParameterNotFound|not found/i);
  });

  it('removes the user and schedules the secret for deletion with --remove, and says so twice without failing', async () => {
    await run();

    const first = await run('--remove');
    const second = await run('--remove');

    expect(first.code).toBe(0);
    expect(first.out).toMatch(/Deleted the canary user/);
    expect(first.out).toMatch(/Scheduled the secret .* for deletion in 7 days/);
    await expect(
      cognito.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'cognito-sentinel-canary' })),
    ).rejects.toThrow(/User does not exist/);
    const described = await secrets.send(new DescribeSecretCommand({ SecretId: secretName() }));
    expect(described.DeletedDate).toBeDefined();
    expect(second.code).toBe(0);
    expect(second.out).toMatch(/No canary user .* nothing to delete/);
    expect(second.out).toMatch(/already scheduled for deletion/);
  });

  it('warns and exits 1 when the app client does not allow ADMIN_USER_PASSWORD_AUTH', async () => {
    await cognito.send(
      new UpdateUserPoolClientCommand({
        UserPoolId: poolId,
        ClientId: clientId,
        ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      }),
    );

    const { code, err } = await run();

    expect(code).toBe(1);
    expect(err).toMatch(/does not allow ALLOW_ADMIN_USER_PASSWORD_AUTH/);
  });

  it('refuses a non-email username for a pool that signs in by email', async () => {
    const { UserPool } = await cognito.send(
      new CreateUserPoolCommand({ PoolName: 'by-email', UsernameAttributes: ['email'] }),
    );
    const capture = captureIo();

    await expect(
      setupCanary(['--user-pool-id', UserPool?.Id ?? '', '--client-id', clientId], capture.io, deps),
    ).rejects.toThrow(/signs users in by email/);
  });
});
