/**
 * What moto cannot reproduce (it signs in UNCONFIRMED users, ignores ExplicitAuthFlows and
 * SECRET_HASH, never runs triggers, never throttles): aws-sdk-client-mock answers with AWS's exact
 * exception names and messages, and the canary must name the cause and the trigger.
 */
import {
  AdminGetUserCommand,
  AdminInitiateAuthCommand,
  AdminUserGlobalSignOutCommand,
  CognitoIdentityProviderClient,
  DescribeUserPoolCommand,
  GetUserCommand,
  NotAuthorizedException,
  RevokeTokenCommand,
  UnexpectedLambdaException,
  UserNotFoundException,
} from '@aws-sdk/client-cognito-identity-provider';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CanaryClock } from '../../canary/caller';
import { createCanaryRunner } from '../../canary/runner';
import { type PoolConfig, poolConfigSchema } from '../../config/pool-config';
import { createSecretResolver } from '../../config/secrets';
import type { Finding } from '../../detectors/types';
import {
  attemptLimit,
  CLIENT,
  connectionRefused,
  POOL,
  REFRESH_ERRORS,
  SIGN_IN_ERRORS,
  throttled,
} from '../fixtures/canary/aws-errors';
import { answerHealthyAfterSignIn, offlineCognitoClient } from '../fixtures/canary/mocked-cognito';
import { cognitoTokens, createSigningKey } from '../fixtures/canary/tokens';
import { detected } from '../support/canary-run';

const PASSWORD = 'Pl4nted-Canary-Passw0rd!';
const USERNAME = 'sentinel-canary-user';
const key = createSigningKey();
const cognito = mockClient(CognitoIdentityProviderClient);

/** Sleeps are recorded, not waited for: backoff is asserted by value, never by time. */
const sleeps: number[] = [];
const clock: CanaryClock = {
  now: () => performance.now(),
  sleep: async (ms) => {
    sleeps.push(ms);
  },
  random: () => 1,
};

const config = (canary: Record<string, unknown> = {}, pool: Record<string, unknown> = {}): PoolConfig =>
  poolConfigSchema.parse({
    userPoolId: POOL,
    region: 'us-east-1',
    clients: [{ clientId: CLIENT }],
    canary: { username: USERNAME, password: 'env:CANARY_PASSWORD', ...canary },
    ...pool,
  });

const run = (pool: PoolConfig = config()) =>
  detected(
    createCanaryRunner({
      cognito: offlineCognitoClient,
      secrets: createSecretResolver({ env: { CANARY_PASSWORD: PASSWORD }, allowEnv: true }),
      verifier: { loadJwks: async () => key.jwks },
      clock,
    }).run([pool], { timeBudgetMs: 10_000 }),
  );

const tokens = () => cognitoTokens(key, { userPoolId: POOL, clientId: CLIENT, username: USERNAME });

beforeEach(() => {
  sleeps.length = 0;
  cognito.reset();
  cognito
    .on(AdminInitiateAuthCommand, { AuthFlow: 'ADMIN_USER_PASSWORD_AUTH' })
    .resolves({ AuthenticationResult: tokens() });
  answerHealthyAfterSignIn(cognito, tokens, USERNAME);
  cognito.on(AdminGetUserCommand).resolves({ Username: USERNAME, UserStatus: 'CONFIRMED', Enabled: true });
});
afterEach(() => cognito.reset());

const summary = (findings: Finding[]) =>
  findings.map((finding) => ({ detector: finding.detector, cause: finding.cause, trigger: finding.trigger }));

describe('canary against AWS-exact answers (aws-sdk-client-mock)', () => {
  it('passes a healthy cycle verified with CognitoJwtVerifier and revokes the refresh token', async () => {
    const result = await run();

    expect(result.findings).toEqual([]);
    expect(result.notes).toEqual([]);
    expect(cognito.commandCalls(RevokeTokenCommand)).toHaveLength(1);
    expect(cognito.commandCalls(AdminUserGlobalSignOutCommand)).toHaveLength(0);
  });

  it.each(SIGN_IN_ERRORS.map((entry) => [entry.name, entry] as const))(
    'names the cause of a sign-in refused for %s',
    async (_name, entry) => {
      cognito.on(AdminInitiateAuthCommand, { AuthFlow: 'ADMIN_USER_PASSWORD_AUTH' }).rejects(entry.error);

      const { findings } = await run();

      expect(summary(findings)).toEqual([
        { detector: 'canary-auth-failed', cause: entry.cause, trigger: entry.trigger },
      ]);
      expect(findings[0]?.runbook).toBe(`canary-cause-${entry.cause}`);
      expect(findings[0]?.evidence[0]).toContain(`${entry.error.name}: `);
    },
  );

  it.each(REFRESH_ERRORS.map((entry) => [entry.name, entry] as const))(
    'names the cause of a refresh refused for %s',
    async (_name, entry) => {
      cognito.on(AdminInitiateAuthCommand, { AuthFlow: 'REFRESH_TOKEN_AUTH' }).rejects(entry.error);

      const { findings, passed } = await run();

      expect(summary(findings)).toEqual([
        { detector: 'canary-refresh-failed', cause: entry.cause, trigger: entry.trigger },
      ]);
      expect(passed).toContain(`canary-auth-failed:${POOL}:${CLIENT}`);
      expect(passed).not.toContain(`canary-refresh-failed:${POOL}:${CLIENT}`);
    },
  );

  it('names user-not-found when PreventUserExistenceErrors hides an unknown user behind "Incorrect username or password."', async () => {
    cognito
      .on(AdminInitiateAuthCommand, { AuthFlow: 'ADMIN_USER_PASSWORD_AUTH' })
      .rejects(new NotAuthorizedException({ message: 'Incorrect username or password.', $metadata: {} }));
    cognito
      .on(AdminGetUserCommand)
      .rejects(new UserNotFoundException({ message: 'User does not exist.', $metadata: {} }));

    const { findings } = await run();

    expect(summary(findings)).toEqual([
      { detector: 'canary-auth-failed', cause: 'user-not-found', trigger: undefined },
    ]);
    expect(findings[0]?.evidence).toContain('AdminGetUser: the user does not exist');
  });

  it('names the trigger from the pool LambdaConfig when the message names the function ARN', async () => {
    const arn = 'arn:aws:lambda:us-east-1:123456789012:function:shop-post-auth';
    cognito.on(AdminInitiateAuthCommand, { AuthFlow: 'ADMIN_USER_PASSWORD_AUTH' }).rejects(
      new UnexpectedLambdaException({
        message: `${arn} failed with error Socket timeout while invoking Lambda function.`,
        $metadata: { httpStatusCode: 400 },
      }),
    );
    cognito
      .on(DescribeUserPoolCommand)
      .resolves({ UserPool: { Id: POOL, LambdaConfig: { PostAuthentication: arn } } });

    const { findings } = await run();

    expect(findings[0]).toMatchObject({
      detector: 'canary-auth-failed',
      cause: 'trigger-failed',
      trigger: 'PostAuthentication',
      functionName: 'shop-post-auth',
    });
    expect(findings[0]?.title).toContain(
      'the PostAuthentication trigger failed: Socket timeout while invoking Lambda function.',
    );
  });

  it('names mfa-required for a TOTP challenge when no seed is configured', async () => {
    cognito.on(AdminInitiateAuthCommand, { AuthFlow: 'ADMIN_USER_PASSWORD_AUTH' }).resolves({
      ChallengeName: 'SOFTWARE_TOKEN_MFA',
      Session: 'AYABeSession-planted-0123456789',
      ChallengeParameters: {},
    });

    const { findings } = await run();

    expect(summary(findings)).toEqual([
      { detector: 'canary-auth-failed', cause: 'mfa-required', trigger: undefined },
    ]);
    expect(findings[0]?.severity).toBe('error');
    expect(JSON.stringify(findings)).not.toContain('AYABeSession-planted');
  });

  it('reports GetUser refusing the fresh access token as token-invalid / live', async () => {
    cognito
      .on(GetUserCommand)
      .rejects(new NotAuthorizedException({ message: 'Access Token has been revoked', $metadata: {} }));

    const { findings } = await run();

    expect(findings.map((finding) => [finding.detector, finding.field, finding.severity])).toEqual([
      ['token-invalid', 'live', 'critical'],
    ]);
  });

  describe('throttling and network errors', () => {
    it('retries a throttled sign-in with backoff and passes when Cognito recovers', async () => {
      cognito
        .on(AdminInitiateAuthCommand, { AuthFlow: 'ADMIN_USER_PASSWORD_AUTH' })
        .rejectsOnce(throttled())
        .rejectsOnce(throttled())
        .resolves({ AuthenticationResult: tokens() });

      const { findings } = await run(config({ retry: { baseDelayMs: 100, maxDelayMs: 1_000 } }));

      expect(findings).toEqual([]);
      expect(sleeps).toEqual([100, 200]);
    });

    it('reports throttling that outlasts the retries as throttled, not as broken sign-in', async () => {
      cognito.on(AdminInitiateAuthCommand, { AuthFlow: 'ADMIN_USER_PASSWORD_AUTH' }).rejects(throttled());

      const { findings } = await run(config({ retry: { maxAttempts: 3, baseDelayMs: 1 } }));

      expect(summary(findings)).toEqual([
        { detector: 'canary-auth-failed', cause: 'throttled', trigger: undefined },
      ]);
      expect(findings[0]?.severity).toBe('error');
      expect(findings[0]?.title).toContain(
        'Cognito throttled every attempt (TooManyRequestsException, 3 attempts)',
      );
      expect(cognito.commandCalls(AdminInitiateAuthCommand)).toHaveLength(3);
    });

    it('treats LimitExceededException as throttling too', async () => {
      cognito.on(AdminInitiateAuthCommand, { AuthFlow: 'ADMIN_USER_PASSWORD_AUTH' }).rejects(attemptLimit());

      const { findings } = await run(config({ retry: { maxAttempts: 2, baseDelayMs: 1 } }));

      expect(findings[0]?.cause).toBe('throttled');
    });

    it('reports an unreachable Cognito as a network warning after the retries', async () => {
      cognito
        .on(AdminInitiateAuthCommand, { AuthFlow: 'ADMIN_USER_PASSWORD_AUTH' })
        .rejects(connectionRefused());

      const { findings } = await run(config({ retry: { maxAttempts: 2, baseDelayMs: 1 } }));

      expect(findings.map((finding) => [finding.detector, finding.cause, finding.severity])).toEqual([
        ['canary-auth-failed', 'network', 'warning'],
      ]);
      expect(findings[0]?.title).toMatch(/^Canary sign-in not tested for/);
      expect(findings[0]?.evidence[0]).toContain('ECONNREFUSED');
    });

    it('stops retrying at the run deadline', async () => {
      cognito.on(AdminInitiateAuthCommand, { AuthFlow: 'ADMIN_USER_PASSWORD_AUTH' }).rejects(throttled());
      const runner = createCanaryRunner({
        cognito: () =>
          new CognitoIdentityProviderClient({
            region: 'us-east-1',
            credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
          }),
        secrets: createSecretResolver({ env: { CANARY_PASSWORD: PASSWORD }, allowEnv: true }),
        clock,
      });

      // 10 attempts allowed, but the first backoff (1000 ms) would already pass the 500 ms budget.
      const { findings } = await detected(
        runner.run([config({ retry: { maxAttempts: 10, baseDelayMs: 1_000 } })], {
          timeBudgetMs: 500,
        }),
      );

      expect(findings[0]?.cause).toBe('throttled');
      expect(cognito.commandCalls(AdminInitiateAuthCommand)).toHaveLength(1);
    });
  });

  it('falls back to a global sign-out when RevokeToken fails, and says so', async () => {
    cognito.on(RevokeTokenCommand).rejects(
      Object.assign(new Error('Internal'), {
        name: 'InternalErrorException',
        $metadata: { httpStatusCode: 500 },
      }),
    );
    cognito.on(AdminUserGlobalSignOutCommand).resolves({});

    const result = await run();

    expect(result.findings).toEqual([]);
    expect(cognito.commandCalls(RevokeTokenCommand)).toHaveLength(1);
    expect(cognito.commandCalls(AdminUserGlobalSignOutCommand)).toHaveLength(1);
    expect(result.notes[0]?.message).toBe(
      'RevokeToken failed (InternalErrorException, HTTP 500); fell back to AdminUserGlobalSignOut',
    );
  });

  it('signs out globally when configured to, without trying RevokeToken', async () => {
    cognito.on(AdminUserGlobalSignOutCommand).resolves({});

    await run(config({ cleanup: 'global-sign-out' }));

    expect(cognito.commandCalls(RevokeTokenCommand)).toHaveLength(0);
    expect(cognito.commandCalls(AdminUserGlobalSignOutCommand)[0]?.args[0].input).toEqual({
      UserPoolId: POOL,
      Username: USERNAME,
    });
  });
});
