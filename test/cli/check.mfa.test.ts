/**
 * `check --totp-secret-from` end to end through the real bin against moto_server: a canary user in
 * a pool with MFA ON and TOTP enrolled (by `setup-canary --mfa totp`) passes with the seed, and
 * fails with cause `mfa-required` without it.
 */
import { GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { beforeEach, describe, expect, it } from 'vitest';
import { setupCanary } from '../../cli/setup-canary';
import type { MotoServer } from '../../demo/local/moto';
import type { MotoPool } from '../../demo/local/moto-pool';
import { captureIo } from '../support/capture-io';
import { freshMotoPool, startMotoForFile } from '../support/moto';
import { checkArgv, motoBinEnv, runBin } from '../support/run-bin';
import { requireTotpMfa } from '../support/totp-mfa';

const moto = await startMotoForFile();
const USERNAME = 'cognito-sentinel-canary';

describe.runIf(moto)('check with TOTP MFA, end to end against moto_server', () => {
  const server = moto as MotoServer;
  let pool: MotoPool;
  let password: string;
  let seed: string;

  beforeEach(async () => {
    pool = await freshMotoPool(server);
    await requireTotpMfa(pool.cognito, pool.userPoolId);
    const secretName = `cognito-sentinel/canary/${pool.userPoolId}/${USERNAME}`;
    const code = await setupCanary(
      [
        '--user-pool-id',
        pool.userPoolId,
        '--client-id',
        pool.clientId,
        '--mfa',
        'totp',
        '--store',
        'secretsmanager',
        '--secret-name',
        secretName,
      ],
      captureIo().io,
      { cognito: () => pool.cognito, secrets: () => pool.secretsManager },
    );
    expect(code).toBe(0);
    const read = async (name: string) =>
      (await pool.secretsManager.send(new GetSecretValueCommand({ SecretId: name }))).SecretString ?? '';
    password = await read(secretName);
    seed = await read(`${secretName}/totp`);
  });

  const check = async (extra: string[]) => {
    return runBin(
      checkArgv({ ...pool, username: USERNAME }, '--format', 'json', ...extra),
      motoBinEnv(server.endpoint, {
        CANARY_PASSWORD: password,
        CANARY_TOTP: seed,
      }),
    );
  };

  it('passes with --totp-secret-from env:CANARY_TOTP', async () => {
    const result = await check(['--totp-secret-from', 'env:CANARY_TOTP']);

    expect(result).toMatchObject({ code: 0, stdout: '' });
    expect(result.stderr).not.toContain(seed);
  });

  it('fails with cause mfa-required without the seed', async () => {
    const result = await check([]);

    expect(result.code).toBe(1);
    const findings = result.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { detector: string; cause?: string });
    expect(findings.map((finding) => [finding.detector, finding.cause])).toEqual([
      ['canary-auth-failed', 'mfa-required'],
    ]);
  });
});
