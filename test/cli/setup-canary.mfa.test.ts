/**
 * `setup-canary --mfa totp` against moto_server: enrols the canary user's TOTP factor and stores
 * the seed beside the password, never printing it.
 */
import { AdminGetUserCommand } from '@aws-sdk/client-cognito-identity-provider';
import { GetParameterCommand } from '@aws-sdk/client-ssm';
import { beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../cli/main';
import { captureIo } from '../support/capture-io';
import { startMotoForFile } from '../support/moto';
import { createCanaryPool, runSetupCanary, setupCanaryClients } from '../support/setup-canary-moto';
import { requireTotpMfa } from '../support/totp-mfa';

describe('setup-canary --mfa usage', () => {
  it('refuses a factor a canary cannot answer', async () => {
    const { io, err } = captureIo();
    expect(
      await main(
        ['setup-canary', '--user-pool-id', 'us-east-1_Abc123', '--client-id', 'c', '--mfa', 'sms'],
        io,
      ),
    ).toBe(2);
    expect(err()).toMatch(/--mfa sms: only totp can be enrolled \(a canary cannot read SMS or email codes\)/);
  });
});

const moto = await startMotoForFile();

describe.runIf(moto)('setup-canary --mfa totp against moto_server', () => {
  const { cognito, ssm, deps } = setupCanaryClients(moto?.endpoint ?? '');
  let poolId: string;
  let clientId: string;

  beforeEach(async () => {
    await moto?.reset();
    ({ poolId, clientId } = await createCanaryPool(cognito, {}, (id) => requireTotpMfa(cognito, id)));
  });

  const run = (...extra: string[]) => runSetupCanary({ poolId, clientId }, deps, extra);

  const stored = async (name: string) =>
    (await ssm.send(new GetParameterCommand({ Name: name, WithDecryption: true }))).Parameter?.Value ?? '';
  const preferredMfa = async () =>
    (await cognito.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'cognito-sentinel-canary' })))
      .PreferredMfaSetting;

  it('creates the user, enrols TOTP, stores the seed beside the password and prints only its location', async () => {
    const { code, out, err } = await run('--mfa', 'totp');

    // The default store is SSM; the seed sits beside the password, one per pool and user.
    const seedName = `/cognito-sentinel/canary/${poolId}/cognito-sentinel-canary/totp`;
    const seed = await stored(seedName);
    expect(code).toBe(0);
    expect(err).toBe('');
    expect(seed).toMatch(/^[A-Z2-7]+=*$/i);
    expect(out).not.toContain(seed);
    expect(out).toContain(`      mfa:\n        totpSecret: ssm:${seedName}\n`);
    expect(out).toContain(`--totp-secret-from ssm:${seedName}`);
    expect(await preferredMfa()).toBe('SOFTWARE_TOKEN_MFA');
  });

  it('adds TOTP to an existing canary user with the stored password, and then changes nothing', async () => {
    await run();
    expect(await preferredMfa()).not.toBe('SOFTWARE_TOKEN_MFA');

    const enrolled = await run('--mfa', 'totp');
    const again = await run('--mfa', 'totp');

    expect(enrolled.code).toBe(0);
    expect(enrolled.out).toMatch(/Enrolled a TOTP factor/);
    expect(await preferredMfa()).toBe('SOFTWARE_TOKEN_MFA');
    expect(again.out).toMatch(/already exist; nothing changed/);
    expect(again.out).not.toMatch(/Enrolled/);
  });

  it('removes the seed with the user and the password', async () => {
    await run('--mfa', 'totp');
    const seedName = `/cognito-sentinel/canary/${poolId}/cognito-sentinel-canary/totp`;
    expect(await stored(seedName)).not.toBe('');

    const removed = await run('--remove');

    expect(removed.code).toBe(0);
    expect(removed.out).toContain(`Deleted the parameter ${seedName}.`);
    await expect(stored(seedName)).rejects.toMatchObject({ name: 'ParameterNotFound' });
  });
});
