/**
 * What moto cannot show for MFA and USER_AUTH (it accepts any TOTP code and has no USER_AUTH):
 * aws-sdk-client-mock answers with AWS's exact exceptions and challenges, and the canary must name
 * the cause, answer what it can, and never send a code or seed anywhere but the challenge answer.
 */
import {
  AdminInitiateAuthCommand,
  AdminRespondToAuthChallengeCommand,
  type ChallengeNameType,
  CodeMismatchException,
  CognitoIdentityProviderClient,
  InvalidParameterException,
} from '@aws-sdk/client-cognito-identity-provider';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CanaryClock } from '../../canary/caller';
import { createCanaryRunner } from '../../canary/runner';
import { toTotpCode } from '../../canary/totp';
import { type PoolConfig, poolConfigSchema } from '../../config/pool-config';
import { createSecretResolver } from '../../config/secrets';
import { CLIENT, POOL } from '../fixtures/canary/aws-errors';
import { answerHealthyAfterSignIn, offlineCognitoClient } from '../fixtures/canary/mocked-cognito';
import { cognitoTokens, createSigningKey } from '../fixtures/canary/tokens';
import { detected } from '../support/canary-run';

const PASSWORD = 'Pl4nted-Canary-Passw0rd!';
const USERNAME = 'sentinel-canary-user';
/** A planted seed: no output may contain it. */
const SEED = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
const NOW = 1_700_000_000_000;
const SESSION = 'AYABeKab1OyQW-planted-session';
const key = createSigningKey();
const cognito = mockClient(CognitoIdentityProviderClient);
const meta = { $metadata: { httpStatusCode: 400 } };

const clock: CanaryClock = { now: () => performance.now(), sleep: async () => {}, random: () => 1 };

const config = (canary: Record<string, unknown> = {}): PoolConfig =>
  poolConfigSchema.parse({
    userPoolId: POOL,
    region: 'us-east-1',
    clients: [{ clientId: CLIENT }],
    canary: { username: USERNAME, password: 'env:CANARY_PASSWORD', ...canary },
  });
const withSeed = { mfa: { totpSecret: 'env:CANARY_TOTP' } };

const run = (pool: PoolConfig) =>
  detected(
    createCanaryRunner({
      cognito: offlineCognitoClient,
      secrets: createSecretResolver({
        env: { CANARY_PASSWORD: PASSWORD, CANARY_TOTP: SEED },
        allowEnv: true,
      }),
      verifier: { loadJwks: async () => key.jwks },
      clock,
      epochNow: () => NOW,
    }).run([pool], { timeBudgetMs: 10_000 }),
  );

const tokens = () => cognitoTokens(key, { userPoolId: POOL, clientId: CLIENT, username: USERNAME });
const challenge = (ChallengeName: ChallengeNameType) => ({
  ChallengeName,
  Session: SESSION,
  ChallengeParameters: {},
});
const causes = (findings: { detector: string; cause?: string }[]) =>
  findings.map((finding) => [finding.detector, finding.cause]);

beforeEach(() => {
  cognito.reset();
  cognito
    .on(AdminInitiateAuthCommand, { AuthFlow: 'ADMIN_USER_PASSWORD_AUTH' })
    .resolves(challenge('SOFTWARE_TOKEN_MFA'));
  cognito.on(AdminRespondToAuthChallengeCommand).resolves({ AuthenticationResult: tokens() });
  answerHealthyAfterSignIn(cognito, tokens, USERNAME);
});
afterEach(() => cognito.reset());

describe('TOTP MFA against AWS-exact answers', () => {
  it('answers SOFTWARE_TOKEN_MFA with the current code and the challenge session', async () => {
    const { findings } = await run(config(withSeed));

    expect(findings).toEqual([]);
    const answers = cognito.commandCalls(AdminRespondToAuthChallengeCommand);
    expect(answers.map((call) => call.args[0].input)).toEqual([
      {
        UserPoolId: POOL,
        ClientId: CLIENT,
        ChallengeName: 'SOFTWARE_TOKEN_MFA',
        Session: SESSION,
        ChallengeResponses: { USERNAME, SOFTWARE_TOKEN_MFA_CODE: toTotpCode(SEED, NOW) },
      },
    ]);
  });

  it('names mfa-code-rejected for CodeMismatchException, sends the code once, and leaks neither code nor seed', async () => {
    cognito
      .on(AdminRespondToAuthChallengeCommand)
      .rejects(new CodeMismatchException({ message: 'Invalid code or auth state for the user.', ...meta }));

    const result = await run(config(withSeed));

    expect(causes(result.findings)).toEqual([['canary-auth-failed', 'mfa-code-rejected']]);
    expect(result.findings[0]?.runbook).toBe('canary-cause-mfa-code-rejected');
    expect(result.findings[0]?.evidence[0]).toBe(
      'AdminInitiateAuth + AdminRespondToAuthChallenge: CodeMismatchException: Invalid code or auth state for the user. (HTTP 400, 1 attempt)',
    );
    expect(cognito.commandCalls(AdminRespondToAuthChallengeCommand)).toHaveLength(1);
    const everything = JSON.stringify(result);
    expect(everything).not.toContain(SEED);
    expect(everything).not.toContain(toTotpCode(SEED, NOW));
    expect(everything).not.toContain(SESSION);
  });

  it('chooses the software token when Cognito offers a choice (SELECT_MFA_TYPE)', async () => {
    cognito
      .on(AdminInitiateAuthCommand, { AuthFlow: 'ADMIN_USER_PASSWORD_AUTH' })
      .resolves(challenge('SELECT_MFA_TYPE'));
    cognito
      .on(AdminRespondToAuthChallengeCommand, { ChallengeName: 'SELECT_MFA_TYPE' })
      .resolves(challenge('SOFTWARE_TOKEN_MFA'));

    const { findings } = await run(config(withSeed));

    expect(findings).toEqual([]);
    expect(
      cognito
        .commandCalls(AdminRespondToAuthChallengeCommand)
        .map((call) => [call.args[0].input.ChallengeName, call.args[0].input.ChallengeResponses]),
    ).toEqual([
      ['SELECT_MFA_TYPE', { USERNAME, ANSWER: 'SOFTWARE_TOKEN_MFA' }],
      ['SOFTWARE_TOKEN_MFA', { USERNAME, SOFTWARE_TOKEN_MFA_CODE: toTotpCode(SEED, NOW) }],
    ]);
  });

  it.each([
    ['MFA_SETUP', {}, 'mfa-not-enrolled', /no second factor enrolled \(MFA_SETUP\)/],
    ['SMS_MFA', {}, 'mfa-required', /SMS one-time code \(SMS_MFA\), which a canary cannot read/],
    ['EMAIL_OTP', {}, 'mfa-required', /email one-time code \(EMAIL_OTP\), which a canary cannot read/],
    ['SMS_MFA', withSeed, 'mfa-not-enrolled', /TOTP factor is not enabled or not preferred/],
    ['SOFTWARE_TOKEN_MFA', {}, 'mfa-required', /no TOTP seed is configured/],
  ] as const)(
    'names the cause of a %s challenge it cannot answer (%j)',
    async (name, canary, cause, title) => {
      cognito
        .on(AdminInitiateAuthCommand, { AuthFlow: 'ADMIN_USER_PASSWORD_AUTH' })
        .resolves(challenge(name));

      const { findings } = await run(config(canary));

      expect(causes(findings)).toEqual([['canary-auth-failed', cause]]);
      expect(findings[0]?.title).toMatch(title);
      expect(cognito.commandCalls(AdminRespondToAuthChallengeCommand)).toHaveLength(0);
    },
  );
});

describe('choice-based sign-in (USER_AUTH)', () => {
  const userAuth = { flow: 'user-auth' };

  it('signs in with PREFERRED_CHALLENGE=PASSWORD and then answers the TOTP step', async () => {
    cognito.on(AdminInitiateAuthCommand, { AuthFlow: 'USER_AUTH' }).resolves(challenge('SOFTWARE_TOKEN_MFA'));

    const { findings } = await run(config({ ...userAuth, ...withSeed }));

    expect(findings).toEqual([]);
    expect(cognito.commandCalls(AdminInitiateAuthCommand)[0]?.args[0].input).toEqual({
      UserPoolId: POOL,
      ClientId: CLIENT,
      AuthFlow: 'USER_AUTH',
      AuthParameters: { USERNAME, PREFERRED_CHALLENGE: 'PASSWORD', PASSWORD },
    });
  });

  it('answers a PASSWORD challenge with the password when Cognito asks for it', async () => {
    cognito.on(AdminInitiateAuthCommand, { AuthFlow: 'USER_AUTH' }).resolves(challenge('PASSWORD'));
    cognito
      .on(AdminRespondToAuthChallengeCommand, { ChallengeName: 'PASSWORD' })
      .resolves({ AuthenticationResult: tokens() });

    const { findings } = await run(config(userAuth));

    expect(findings).toEqual([]);
    expect(
      cognito.commandCalls(AdminRespondToAuthChallengeCommand)[0]?.args[0].input.ChallengeResponses,
    ).toEqual({
      USERNAME,
      PASSWORD,
    });
  });

  it('names flow-not-enabled when the client lacks ALLOW_USER_AUTH', async () => {
    cognito
      .on(AdminInitiateAuthCommand, { AuthFlow: 'USER_AUTH' })
      .rejects(new InvalidParameterException({ message: 'Auth flow not enabled for this client', ...meta }));

    const { findings } = await run(config(userAuth));

    expect(causes(findings)).toEqual([['canary-auth-failed', 'flow-not-enabled']]);
  });
});
