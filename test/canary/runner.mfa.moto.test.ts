/**
 * The canary against a moto_server pool with MFA ON and a TOTP factor enrolled for the canary
 * user: it answers SOFTWARE_TOKEN_MFA with a code from the stored seed, and names `mfa-required`
 * when no seed is configured. moto accepts any code, so code correctness is proven by the RFC 6238
 * vectors (totp.test.ts) and rejection by runner.mfa.aws-errors.test.ts.
 */
import {
  AdminGetUserCommand,
  AdminRespondToAuthChallengeCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { CreateSecretCommand } from '@aws-sdk/client-secrets-manager';
import { beforeEach, describe, expect, it } from 'vitest';
import type { CanaryClock } from '../../canary/caller';
import { enrolTotp } from '../../canary/enrol-totp';
import { createCanaryRunner } from '../../canary/runner';
import { toTotpCode } from '../../canary/totp';
import { createSecretResolver } from '../../config/secrets';
import type { MotoServer } from '../../demo/local/moto';
import {
  CANARY_PASSWORD,
  CANARY_USERNAME,
  cognitoClient,
  createClient,
  type MotoPool,
  poolConfigFor,
  secretsManagerClient,
} from '../../demo/local/moto-pool';
import { detected } from '../support/canary-run';
import { freshMotoPool, startMotoForFile } from '../support/moto';
import { requireTotpMfa } from '../support/totp-mfa';

const moto = await startMotoForFile();
const TOTP_SECRET = 'cognito-sentinel/canary/totp';

describe.runIf(moto)('canary with TOTP MFA against moto_server', () => {
  const server = moto as MotoServer;
  let pool: MotoPool;
  let seed: string;

  beforeEach(async () => {
    pool = await freshMotoPool(server);
    await requireTotpMfa(pool.cognito, pool.userPoolId);
    seed = await enrolTotp(pool.cognito, {
      userPoolId: pool.userPoolId,
      clientId: pool.clientId,
      username: CANARY_USERNAME,
      password: CANARY_PASSWORD,
    });
    await pool.secretsManager.send(new CreateSecretCommand({ Name: TOTP_SECRET, SecretString: seed }));
  });

  /** Wall clock and sleeps under the test's control: waits are counted, never timed. */
  const controlledTime = (startEpochMs: number) => {
    const sleeps: number[] = [];
    let epoch = startEpochMs;
    const clock: CanaryClock = {
      now: () => performance.now(),
      sleep: async (ms) => {
        sleeps.push(ms);
        epoch += ms;
      },
      random: () => 0,
    };
    return { clock, sleeps, epochNow: () => epoch };
  };

  const run = (
    overrides: Record<string, unknown>,
    time = controlledTime(Date.now()),
    cognito: Pick<CognitoIdentityProviderClient, 'send'> = cognitoClient(server.endpoint),
  ) =>
    detected(
      createCanaryRunner({
        cognito: () => cognito,
        secrets: createSecretResolver({ secretsManager: secretsManagerClient(server.endpoint) }),
        endpoint: server.endpoint,
        clock: time.clock,
        epochNow: time.epochNow,
      }).run([poolConfigFor(pool, overrides)], { timeBudgetMs: 120_000 }),
    );

  const canaryWithSeed = {
    canary: {
      username: CANARY_USERNAME,
      password: 'secretsmanager:cognito-sentinel/canary/password',
      mfa: { totpSecret: `secretsmanager:${TOTP_SECRET}` },
    },
  };

  it('enrols the canary user: the factor is enabled and preferred', async () => {
    const user = await pool.cognito.send(
      new AdminGetUserCommand({ UserPoolId: pool.userPoolId, Username: CANARY_USERNAME }),
    );
    expect(user.PreferredMfaSetting).toBe('SOFTWARE_TOKEN_MFA');
    expect(user.UserMFASettingList).toEqual(['SOFTWARE_TOKEN_MFA']);
  });

  it('answers SOFTWARE_TOKEN_MFA with the code of the stored seed and passes the whole cycle', async () => {
    const sent: string[] = [];
    const motoCognito = cognitoClient(server.endpoint);
    const recording: Pick<CognitoIdentityProviderClient, 'send'> = {
      send: ((command: { input: unknown }, options?: unknown) => {
        if (command instanceof AdminRespondToAuthChallengeCommand) {
          sent.push(command.input.ChallengeResponses?.SOFTWARE_TOKEN_MFA_CODE ?? '');
        }
        return (motoCognito.send as (c: unknown, o?: unknown) => Promise<unknown>)(command, options);
      }) as CognitoIdentityProviderClient['send'],
    };
    const time = controlledTime(1_700_000_000_000);

    const result = await run(canaryWithSeed, time, recording);

    expect(result.problems).toEqual([]);
    expect(result.findings).toEqual([]);
    const signIn = result.observations.find((observation) => observation.kind === 'canary-sign-in');
    expect(signIn).toMatchObject({
      result: { outcome: 'tokens' },
      mfa: { challengeName: 'SOFTWARE_TOKEN_MFA', seedConfigured: true, answered: true },
    });
    expect(sent).toEqual([toTotpCode(seed, 1_700_000_000_000)]);
    expect(JSON.stringify(result)).not.toContain(seed);
  });

  it('never sends the same code twice: a second client in the same 30-second step waits for the next step', async () => {
    const second = await createClient(pool.cognito, pool.userPoolId, { ClientName: 'second' });
    const time = controlledTime(1_700_000_000_000); // 10 s before its step ends

    const result = await run(
      { ...canaryWithSeed, clients: [{ clientId: pool.clientId }, { clientId: second.clientId }] },
      time,
    );

    expect(result.findings).toEqual([]);
    expect(time.sleeps).toEqual([10_000]);
  });

  it('fails with cause mfa-required when the pool asks for TOTP and no seed is configured', async () => {
    const { findings } = await run({});

    expect(findings.map((finding) => [finding.detector, finding.cause, finding.severity])).toEqual([
      ['canary-auth-failed', 'mfa-required', 'error'],
    ]);
    expect(findings[0]?.title).toMatch(/TOTP code \(SOFTWARE_TOKEN_MFA\).*no TOTP seed is configured/);
    expect(findings[0]?.runbook).toBe('canary-cause-mfa-required');
  });

  it('names the seed reference, never its value, when the seed cannot be read', async () => {
    const result = await run({
      canary: { ...canaryWithSeed.canary, mfa: { totpSecret: 'secretsmanager:missing-seed' } },
    });

    expect(result.problems.map((problem) => problem.message)).toEqual([
      expect.stringMatching(
        /^pools\.0\.canary\.mfa\.totpSecret: SecretResolutionError: secretsmanager:missing-seed/,
      ),
    ]);
  });
});
