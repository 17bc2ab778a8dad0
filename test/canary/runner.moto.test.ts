/**
 * The canary cycle against a real moto_server pool: the success path with tokens verified against
 * moto's JWKS, and every broken setup moto reproduces, each giving its detector and cause.
 */
import {
  AdminCreateUserCommand,
  AdminDisableUserCommand,
  AdminGetUserCommand,
  AdminInitiateAuthCommand,
  AdminUserGlobalSignOutCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { createCanaryRunner } from '../../canary/runner';
import { computeSecretHash } from '../../canary/secret-hash';
import type { PoolConfig } from '../../config/pool-config';
import { createSecretResolver } from '../../config/secrets';
import { type MotoServer, startMoto } from '../../demo/local/moto';
import {
  CANARY_PASSWORD,
  CANARY_USERNAME,
  cognitoClient,
  createClient,
  createMotoPool,
  type MotoPool,
  poolConfigFor,
  secretClientEntry,
  secretsManagerClient,
} from '../../demo/local/moto-pool';
import type { Finding } from '../../detectors/types';
import { detected } from '../support/canary-run';
import { freshMotoPool } from '../support/moto';

const moto = await startMoto();

const runnerFor = (
  endpoint: string,
  cognito: () => Pick<CognitoIdentityProviderClient, 'send'> = () => cognitoClient(endpoint),
) =>
  createCanaryRunner({
    cognito,
    secrets: createSecretResolver({ secretsManager: secretsManagerClient(endpoint) }),
    endpoint,
  });

const run = (
  pools: PoolConfig[],
  endpoint: string,
  cognito?: () => Pick<CognitoIdentityProviderClient, 'send'>,
) => detected(runnerFor(endpoint, cognito).run(pools, { timeBudgetMs: 20_000 }));

const causeOf = (findings: Finding[]) => findings.map((finding) => [finding.detector, finding.cause]);

describe.runIf(moto)('canary cycle against moto_server', () => {
  const server = moto as MotoServer;
  let pool: MotoPool;

  beforeEach(async () => {
    pool = await freshMotoPool(server);
  });
  afterAll(async () => {
    await server.stop();
  });

  it('signs in, verifies both tokens against the JWKS, refreshes and cleans up with nothing to report', async () => {
    const result = await run([poolConfigFor(pool)], server.endpoint);

    expect(result.problems).toEqual([]);
    expect(result.findings).toEqual([]);
    expect(result.observations.map((observation) => observation.kind)).toEqual([
      'canary-sign-in',
      'canary-token-check',
      'canary-token-check',
      'canary-get-user',
      'canary-refresh',
      'canary-token-check',
      'canary-token-check',
    ]);
    for (const observation of result.observations) {
      if (observation.kind === 'canary-token-check') expect(observation.failures).toEqual([]);
    }
    expect(result.passed).toEqual(
      expect.arrayContaining([
        `canary-auth-failed:${pool.userPoolId}:${pool.clientId}`,
        `canary-refresh-failed:${pool.userPoolId}:${pool.clientId}`,
        `token-invalid:${pool.userPoolId}:${pool.clientId}`,
      ]),
    );
    // moto does not implement RevokeToken: the canary falls back to a global sign-out and says so.
    expect(result.notes.map((note) => note.message)).toEqual([
      expect.stringContaining(
        'RevokeToken failed (SyntaxError, HTTP 500); fell back to AdminUserGlobalSignOut',
      ),
    ]);
    expect(result.roundTrips.count).toBeGreaterThanOrEqual(7);
  });

  it('signs in through a client with a secret, sending the SECRET_HASH of the username', async () => {
    const sent: Record<string, string>[] = [];
    const real = cognitoClient(server.endpoint);
    const recording = {
      send: ((command: { input: unknown }, options?: unknown) => {
        if (command instanceof AdminInitiateAuthCommand) sent.push({ ...command.input.AuthParameters });
        return real.send(command as never, options as never);
      }) as CognitoIdentityProviderClient['send'],
    };
    const config = poolConfigFor(pool, { clients: [secretClientEntry(pool)] });

    const result = await run([config], server.endpoint, () => recording);

    expect(result.findings).toEqual([]);
    expect(sent[0]?.SECRET_HASH).toBe(
      computeSecretHash(CANARY_USERNAME, pool.secretClientId, pool.clientSecret),
    );
    // The refresh hashes the internal username, the access token's `username` claim.
    expect(sent[1]?.SECRET_HASH).toBe(
      computeSecretHash(CANARY_USERNAME, pool.secretClientId, pool.clientSecret),
    );
    expect(sent[1]?.REFRESH_TOKEN).toBeDefined();
  });

  it('reports a wrong password as canary-auth-failed / incorrect-credentials, without the username or password', async () => {
    await pool.secretsManager.send(
      new (await import('@aws-sdk/client-secrets-manager')).PutSecretValueCommand({
        SecretId: 'cognito-sentinel/canary/password',
        SecretString: 'Wr0ng-Passw0rd!',
      }),
    );

    const { findings } = await run([poolConfigFor(pool)], server.endpoint);

    expect(causeOf(findings)).toEqual([['canary-auth-failed', 'incorrect-credentials']]);
    expect(findings[0]).toMatchObject({
      severity: 'error',
      userPoolId: pool.userPoolId,
      clientId: pool.clientId,
      region: 'us-east-1',
      runbook: 'canary-cause-incorrect-credentials',
      dedupKey: `canary-auth-failed:${pool.userPoolId}:${pool.clientId}:incorrect-credentials`,
    });
    const text = JSON.stringify(findings);
    expect(text).not.toContain(CANARY_USERNAME);
    expect(text).not.toContain('Wr0ng-Passw0rd!');
    expect(findings[0]?.evidence).toContain('AdminGetUser: UserStatus=CONFIRMED, Enabled=true');
  });

  it('reports a temporary password as new-password-required', async () => {
    await pool.cognito.send(
      new AdminCreateUserCommand({
        UserPoolId: pool.userPoolId,
        Username: 'temporary-canary',
        TemporaryPassword: CANARY_PASSWORD,
        MessageAction: 'SUPPRESS',
      }),
    );
    const config = poolConfigFor(pool, {
      canary: { username: 'temporary-canary', password: 'secretsmanager:cognito-sentinel/canary/password' },
    });

    const { findings } = await run([config], server.endpoint);

    expect(causeOf(findings)).toEqual([['canary-auth-failed', 'new-password-required']]);
    expect(findings[0]).toMatchObject({ field: 'ChallengeName', actual: 'NEW_PASSWORD_REQUIRED' });
  });

  it('reports a disabled canary user as user-disabled', async () => {
    await pool.cognito.send(
      new AdminDisableUserCommand({ UserPoolId: pool.userPoolId, Username: CANARY_USERNAME }),
    );

    const { findings } = await run([poolConfigFor(pool)], server.endpoint);

    expect(causeOf(findings)).toEqual([['canary-auth-failed', 'user-disabled']]);
    expect(findings[0]?.evidence[0]).toContain('NotAuthorizedException: User is disabled.');
  });

  it('reports an unknown canary user as user-not-found', async () => {
    const config = poolConfigFor(pool, {
      canary: { username: 'nobody-here', password: 'secretsmanager:cognito-sentinel/canary/password' },
    });

    const { findings } = await run([config], server.endpoint);

    expect(causeOf(findings)).toEqual([['canary-auth-failed', 'user-not-found']]);
  });

  it('reports an unknown app client as client-not-found (critical)', async () => {
    const config = poolConfigFor(pool, { clients: [{ clientId: 'deleted0client0id0000000000' }] });

    const { findings } = await run([config], server.endpoint);

    expect(causeOf(findings)).toEqual([['canary-auth-failed', 'client-not-found']]);
    expect(findings[0]?.severity).toBe('critical');
  });

  it('reports an unknown pool as pool-not-found', async () => {
    const config = poolConfigFor(pool, { userPoolId: 'us-east-1_0000000000000000deleted00000000' });

    const { findings } = await run([config], server.endpoint);

    expect(causeOf(findings)).toEqual([['canary-auth-failed', 'pool-not-found']]);
    expect(findings[0]?.title).toContain('the user pool does not exist');
  });

  it('reports a refresh after a global sign-out as canary-refresh-failed / refresh-token-revoked', async () => {
    const real = cognitoClient(server.endpoint);
    // A real global sign-out lands between the canary's sign-in and its refresh.
    const signingOut = {
      send: (async (command: { input: unknown }, options?: unknown) => {
        const output = await real.send(command as never, options as never);
        if (
          command instanceof AdminInitiateAuthCommand &&
          command.input.AuthFlow === 'ADMIN_USER_PASSWORD_AUTH'
        ) {
          await real.send(
            new AdminUserGlobalSignOutCommand({ UserPoolId: pool.userPoolId, Username: CANARY_USERNAME }),
          );
        }
        return output;
      }) as CognitoIdentityProviderClient['send'],
    };

    const { findings } = await run([poolConfigFor(pool)], server.endpoint, () => signingOut);

    expect(causeOf(findings)).toEqual([
      ['canary-refresh-failed', 'refresh-token-revoked'],
      ['token-invalid', undefined],
    ]);
    expect(findings[0]?.evidence).toContain(
      'GetUser: refuses the access token of the same sign-in too (the session is revoked)',
    );
    // GetUser right after sign-in already saw the revoked access token.
    expect(findings[1]).toMatchObject({ field: 'live', severity: 'critical' });
    expect(JSON.stringify(findings)).not.toMatch(/eyJ[\w-]{10,}/);
  });

  it('reports tokens whose lifetime differs from the client settings as token-invalid / validity', async () => {
    const { clientId } = await createClient(pool.cognito, pool.userPoolId, {
      ClientName: 'short-lived',
      AccessTokenValidity: 30,
      IdTokenValidity: 30,
      TokenValidityUnits: { AccessToken: 'minutes', IdToken: 'minutes' },
    });

    const { findings } = await run([poolConfigFor(pool, { clients: [{ clientId }] })], server.endpoint);

    // moto issues one-hour tokens whatever the client says: a real mismatch for the check to find.
    expect(findings.map((finding) => [finding.detector, finding.field, finding.severity])).toEqual([
      ['token-invalid', 'validity', 'warning'],
    ]);
    expect(findings[0]).toMatchObject({ expected: '30 min (1800 s)', actual: '60 min (3600 s)' });
    expect(findings[0]?.title).toContain(
      'ID token, access token, refreshed ID token and refreshed access token',
    );
  });

  it('reports a missing expected claim as token-invalid with the claim as its field', async () => {
    const config = poolConfigFor(pool, {
      clients: [{ clientId: pool.clientId, expect: { idTokenClaims: { 'custom:tenant': 'acme' } } }],
    });

    const { findings } = await run([config], server.endpoint);

    expect(findings.map((finding) => [finding.detector, finding.field, finding.actual])).toEqual([
      ['token-invalid', 'custom:tenant', 'missing'],
    ]);
  });

  it('keeps checking the other pools when one pool is broken or its secret is unreadable', async () => {
    const other = await createMotoPool(server.endpoint, 'other');
    const broken = poolConfigFor(pool, { userPoolId: 'us-east-1_0000000000000000deleted00000000' });
    const unreadable = poolConfigFor(pool, {
      name: 'unreadable',
      canary: { username: CANARY_USERNAME, password: 'secretsmanager:no/such/secret' },
    });

    const result = await run([broken, unreadable, poolConfigFor(other)], server.endpoint);

    expect(causeOf(result.findings)).toEqual([['canary-auth-failed', 'pool-not-found']]);
    expect(result.problems.map((problem) => problem.message)).toEqual([
      expect.stringContaining('canary.password: SecretResolutionError: secretsmanager:no/such/secret'),
    ]);
    expect(result.passed).toContain(`canary-auth-failed:${other.userPoolId}:${other.clientId}`);
  });

  describe('sign-up cycle', () => {
    it('reports a sign-up that stays UNCONFIRMED (moto never auto-confirms) and deletes the user', async () => {
      const created: string[] = [];
      const real = cognitoClient(server.endpoint);
      const recording = {
        send: ((command: { input: { Username?: string } }, options?: unknown) => {
          if (command.constructor.name === 'SignUpCommand' && command.input.Username)
            created.push(command.input.Username);
          return real.send(command as never, options as never);
        }) as CognitoIdentityProviderClient['send'],
      };
      const config = poolConfigFor(pool, {
        canary: {
          username: CANARY_USERNAME,
          password: 'secretsmanager:cognito-sentinel/canary/password',
          signUp: { attributes: { email: 'sentinel+{id}@example.com' } },
        },
      });

      const { findings, observations } = await run([config], server.endpoint, () => recording);

      expect(
        findings.map((finding) => [finding.detector, finding.field, finding.actual, finding.severity]),
      ).toEqual([['signup-not-confirmed', 'UserStatus', 'UNCONFIRMED', 'critical']]);
      expect(findings[0]).toMatchObject({ trigger: 'PreSignUp', runbook: 'signup-not-confirmed' });
      const signUp = observations.find((observation) => observation.kind === 'canary-sign-up');
      expect(signUp).toMatchObject({ deleted: true });
      expect(created).toHaveLength(1);
      expect(created[0]).toMatch(/^sentinel-canary-[0-9a-f]{16}$/);
      await expect(
        real.send(new AdminGetUserCommand({ UserPoolId: pool.userPoolId, Username: created[0] })),
      ).rejects.toMatchObject({ name: 'UserNotFoundException' });
      expect(JSON.stringify(findings)).not.toContain(created[0]);
    });

    it('passes when the pool is not expected to auto-confirm', async () => {
      const config = poolConfigFor(pool, {
        canary: {
          username: CANARY_USERNAME,
          password: 'secretsmanager:cognito-sentinel/canary/password',
          signUp: { expectConfirmed: false },
        },
      });

      const result = await run([config], server.endpoint);

      expect(result.findings).toEqual([]);
      expect(result.passed).toContain(`signup-not-confirmed:${pool.userPoolId}:${pool.clientId}`);
    });
  });
});
