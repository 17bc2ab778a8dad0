/**
 * The CUSTOM_AUTH cycle (neither moto nor cognito-local supports it): aws-sdk-client-mock plays
 * Cognito running DefineAuthChallenge / CreateAuthChallenge / VerifyAuthChallengeResponse.
 */
import {
  AdminInitiateAuthCommand,
  AdminRespondToAuthChallengeCommand,
  CognitoIdentityProviderClient,
  DescribeUserPoolClientCommand,
  GetUserCommand,
  InvalidParameterException,
  NotAuthorizedException,
  RevokeTokenCommand,
  UserLambdaValidationException,
} from '@aws-sdk/client-cognito-identity-provider';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { parseAnswers } from '../../canary/custom-auth-cycle';
import { createCanaryRunner } from '../../canary/runner';
import { computeSecretHash } from '../../canary/secret-hash';
import { poolConfigSchema } from '../../config/pool-config';
import { createSecretResolver } from '../../config/secrets';
import { CLIENT, POOL } from '../fixtures/canary/aws-errors';
import { offlineCognitoClient } from '../fixtures/canary/mocked-cognito';
import { cognitoTokens, createSigningKey } from '../fixtures/canary/tokens';
import { detected } from '../support/canary-run';

const USERNAME = 'sentinel-canary-user';
const INTERNAL_USERNAME = '6b1f2a3c-0d4e-4f5a-8b6c-7d8e9f0a1b2c';
const CLIENT_SECRET = 'planted-client-secret-0123456789abcdef';
const key = createSigningKey();
const cognito = mockClient(CognitoIdentityProviderClient);

const runWith = (
  answers: string,
  customAuth: Record<string, unknown> = {},
  client: Record<string, unknown> = {},
) =>
  detected(
    createCanaryRunner({
      cognito: offlineCognitoClient,
      secrets: createSecretResolver({
        env: { CANARY_PASSWORD: 'Pl4nted-Canary-Passw0rd!', ANSWERS: answers, CLIENT_SECRET },
        allowEnv: true,
      }),
      verifier: { loadJwks: async () => key.jwks },
    }).run(
      [
        poolConfigSchema.parse({
          userPoolId: POOL,
          region: 'us-east-1',
          clients: [{ clientId: CLIENT, ...client }],
          canary: {
            username: USERNAME,
            password: 'env:CANARY_PASSWORD',
            retry: { baseDelayMs: 1 },
            customAuth: { answers: 'env:ANSWERS', ...customAuth },
          },
        }),
      ],
      { timeBudgetMs: 10_000 },
    ),
  );

const challenge = (session: string) => ({
  ChallengeName: 'CUSTOM_CHALLENGE' as const,
  Session: session,
  ChallengeParameters: { USERNAME: INTERNAL_USERNAME, hint: 'code' },
});

const customObservation = (observations: Awaited<ReturnType<typeof runWith>>['observations']) =>
  observations.find((observation) => observation.kind === 'canary-custom-auth');

beforeEach(() => {
  cognito.reset();
  const tokens = cognitoTokens(key, { userPoolId: POOL, clientId: CLIENT, username: USERNAME });
  cognito
    .on(AdminInitiateAuthCommand, { AuthFlow: 'ADMIN_USER_PASSWORD_AUTH' })
    .resolves({ AuthenticationResult: tokens });
  cognito
    .on(AdminInitiateAuthCommand, { AuthFlow: 'REFRESH_TOKEN_AUTH' })
    .resolves({ AuthenticationResult: tokens });
  cognito.on(DescribeUserPoolClientCommand).resolves({ UserPoolClient: { ClientId: CLIENT } });
  cognito.on(GetUserCommand).resolves({ Username: USERNAME, UserAttributes: [] });
  cognito.on(RevokeTokenCommand).resolves({});
  cognito
    .on(AdminInitiateAuthCommand, { AuthFlow: 'CUSTOM_AUTH' })
    .resolves(challenge('session-1-planted-abcdef'));
});

describe('custom-auth cycle', () => {
  it('answers two challenges in order and passes when Cognito issues tokens', async () => {
    cognito
      .on(AdminRespondToAuthChallengeCommand)
      .resolvesOnce(challenge('session-2-planted-abcdef'))
      .resolves({ AuthenticationResult: cognitoTokens(key, { userPoolId: POOL, clientId: CLIENT }) });

    const { findings, passed, observations } = await runWith('["first-answer-123","second-answer-456"]');

    expect(findings).toEqual([]);
    expect(passed).toContain(`custom-auth-failed:${POOL}:${CLIENT}`);
    const answers = cognito
      .commandCalls(AdminRespondToAuthChallengeCommand)
      .map((call) => call.args[0].input.ChallengeResponses?.ANSWER);
    expect(answers).toEqual(['first-answer-123', 'second-answer-456']);
    expect(customObservation(observations)).toMatchObject({
      rounds: 2,
      challenges: ['CUSTOM_CHALLENGE', 'CUSTOM_CHALLENGE'],
      result: { outcome: 'tokens' },
    });
    // Tokens of the custom flow are revoked too (one revoke per cycle).
    expect(cognito.commandCalls(RevokeTokenCommand)).toHaveLength(2);
  });

  it('hashes the challenged (internal) username when the client has a secret', async () => {
    cognito
      .on(AdminRespondToAuthChallengeCommand)
      .resolves({ AuthenticationResult: cognitoTokens(key, { userPoolId: POOL, clientId: CLIENT }) });

    await runWith('the-answer-123', {}, { secret: 'env:CLIENT_SECRET' });

    const initiate = cognito.commandCalls(AdminInitiateAuthCommand, { AuthFlow: 'CUSTOM_AUTH' })[0];
    expect(initiate?.args[0].input.AuthParameters?.SECRET_HASH).toBe(
      computeSecretHash(USERNAME, CLIENT, CLIENT_SECRET),
    );
    const respond = cognito.commandCalls(AdminRespondToAuthChallengeCommand)[0];
    expect(respond?.args[0].input.ChallengeResponses).toEqual({
      USERNAME: INTERNAL_USERNAME,
      ANSWER: 'the-answer-123',
      SECRET_HASH: computeSecretHash(INTERNAL_USERNAME, CLIENT, CLIENT_SECRET),
    });
    expect(respond?.args[0].input.Session).toBe('session-1-planted-abcdef');
  });

  it('reports a wrong answer as custom-auth-failed / incorrect-credentials', async () => {
    cognito
      .on(AdminRespondToAuthChallengeCommand)
      .rejects(new NotAuthorizedException({ message: 'Incorrect username or password.', $metadata: {} }));

    const { findings } = await runWith('stale-answer-999');

    expect(findings.map((finding) => [finding.detector, finding.cause])).toEqual([
      ['custom-auth-failed', 'incorrect-credentials'],
    ]);
    expect(findings[0]?.title).toContain('after 1 answer');
    expect(JSON.stringify(findings)).not.toContain('stale-answer-999');
  });

  it('reports a looping flow when Cognito keeps challenging past maxRounds', async () => {
    cognito.on(AdminRespondToAuthChallengeCommand).resolves(challenge('session-n-planted-abcdef'));

    const { findings, observations } = await runWith('same-answer', { maxRounds: 2 });

    expect(findings.map((finding) => [finding.detector, finding.field, finding.severity])).toEqual([
      ['custom-auth-failed', 'rounds', 'critical'],
    ]);
    expect(findings[0]?.dedupKey).toBe(`custom-auth-failed:${POOL}:${CLIENT}:loop`);
    expect(cognito.commandCalls(AdminRespondToAuthChallengeCommand)).toHaveLength(2);
    expect(customObservation(observations)).toMatchObject({
      rounds: 2,
      maxRounds: 2,
      result: { outcome: 'loop' },
    });
  });

  it('reports a flow that asks more challenges than the listed answers', async () => {
    cognito.on(AdminRespondToAuthChallengeCommand).resolves(challenge('session-n-planted-abcdef'));

    const { findings } = await runWith('["only-one-answer"]', { maxRounds: 5 });

    expect(findings.map((finding) => [finding.detector, finding.dedupKey])).toEqual([
      ['custom-auth-failed', `custom-auth-failed:${POOL}:${CLIENT}:no-answer`],
    ]);
  });

  it('reports a stall, naming the SMS code a canary cannot read, when Cognito asks for SMS_MFA', async () => {
    cognito
      .on(AdminRespondToAuthChallengeCommand)
      .resolves({ ChallengeName: 'SMS_MFA', Session: 'session-mfa-planted-abc', ChallengeParameters: {} });

    const { findings } = await runWith('an-answer-123');

    expect(findings[0]).toMatchObject({
      detector: 'custom-auth-failed',
      cause: 'mfa-required',
      actual: 'SMS_MFA',
      runbook: 'canary-cause-mfa-required',
    });
  });

  it('names DefineAuthChallenge when it throws', async () => {
    cognito.on(AdminInitiateAuthCommand, { AuthFlow: 'CUSTOM_AUTH' }).rejects(
      new UserLambdaValidationException({
        message:
          'DefineAuthChallenge failed with error RequestId: 9fdb5cfa-4b47-4a4e-9d19-0c8f3c7e1a2b Error: Runtime exited with error: exit status 129.',
        $metadata: { httpStatusCode: 400 },
      }),
    );

    const { findings } = await runWith('an-answer-123');

    expect(findings[0]).toMatchObject({
      detector: 'custom-auth-failed',
      cause: 'trigger-failed',
      trigger: 'DefineAuthChallenge',
      severity: 'critical',
    });
    expect(findings[0]?.evidence[0]).toMatch(
      /^AdminInitiateAuth CUSTOM_AUTH: UserLambdaValidationException: /,
    );
  });

  it('names a client without ALLOW_CUSTOM_AUTH as flow-not-enabled', async () => {
    cognito
      .on(AdminInitiateAuthCommand, { AuthFlow: 'CUSTOM_AUTH' })
      .rejects(
        new InvalidParameterException({ message: 'Auth flow not enabled for this client', $metadata: {} }),
      );

    const { findings } = await runWith('an-answer-123');

    expect(findings.map((finding) => [finding.detector, finding.cause])).toEqual([
      ['custom-auth-failed', 'flow-not-enabled'],
    ]);
  });
});

describe('parseAnswers', () => {
  it.each([
    ['one string', '123456', { answers: ['123456'], ordered: false }],
    ['a JSON list', '["a1","b2"]', { answers: ['a1', 'b2'], ordered: true }],
    ['a JSON number (one answer)', '42', { answers: ['42'], ordered: false }],
    ['an empty list (one answer, the text)', '[]', { answers: ['[]'], ordered: false }],
  ])('reads %s', (_name, value, expected) => {
    expect(parseAnswers(value)).toEqual(expected);
  });
});
