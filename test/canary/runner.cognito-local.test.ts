/**
 * The canary against cognito-local, whose triggers are our own handlers behind a local Lambda
 * Invoke API (demo/local): a claim added by PreTokenGeneration is checked in the token, a failing
 * trigger is named, and the sign-up cycle sees PreSignUp auto-confirm (or not).
 */
import {
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  CognitoIdentityProviderClient,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  ListUsersCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import type { PreSignUpTriggerEvent, PreTokenGenerationTriggerEvent } from 'aws-lambda';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createCanaryRunner } from '../../canary/runner';
import { poolConfigSchema } from '../../config/pool-config';
import { createSecretResolver } from '../../config/secrets';
import {
  type CognitoLocal,
  cognitoLocalClientConfig,
  startCognitoLocal,
} from '../../demo/local/cognito-local';
import { type LambdaInvokeServer, startLambdaInvokeServer } from '../../demo/local/lambda-invoke-server';
import { detected } from '../support/canary-run';
import { expectOneFinding } from '../support/expect-finding';

const USERNAME = 'sentinel-canary-user';
const PASSWORD = 'Pl4nted-Canary-Passw0rd!';
const PRE_TOKEN_ARN = 'arn:aws:lambda:us-east-1:123456789012:function:shopPreToken';

const addTenant =
  (tenant: string) =>
  async (event: PreTokenGenerationTriggerEvent): Promise<PreTokenGenerationTriggerEvent> => {
    event.response = { claimsOverrideDetails: { claimsToAddOrOverride: { 'custom:tenant': tenant } } };
    return event;
  };

const confirm = async (event: PreSignUpTriggerEvent): Promise<PreSignUpTriggerEvent> => {
  event.response.autoConfirmUser = true;
  return event;
};

describe('canary against cognito-local with local triggers', () => {
  let lambda: LambdaInvokeServer;
  let local: CognitoLocal;
  let cognito: CognitoIdentityProviderClient;
  let userPoolId: string;
  let clientId: string;

  beforeAll(async () => {
    lambda = await startLambdaInvokeServer({
      functions: { shopPreToken: { handler: addTenant('acme') }, shopPreSignUp: { handler: confirm } },
    });
    local = await startCognitoLocal({
      lambdaEndpoint: lambda.endpoint,
      triggers: { PreTokenGeneration: 'shopPreToken', PreSignUp: 'shopPreSignUp' },
    });
    cognito = new CognitoIdentityProviderClient(cognitoLocalClientConfig(local.endpoint));
  });
  afterAll(async () => {
    await local?.stop();
    await lambda?.stop();
  });

  beforeEach(async () => {
    lambda.setFunction('shopPreToken', { handler: addTenant('acme') });
    lambda.setFunction('shopPreSignUp', { handler: confirm });
    const { UserPool } = await cognito.send(
      new CreateUserPoolCommand({ PoolName: 'shop', LambdaConfig: { PreTokenGeneration: PRE_TOKEN_ARN } }),
    );
    userPoolId = UserPool?.Id ?? '';
    const { UserPoolClient } = await cognito.send(
      new CreateUserPoolClientCommand({
        UserPoolId: userPoolId,
        ClientName: 'canary',
        ExplicitAuthFlows: ['ALLOW_ADMIN_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
        // cognito-local issues one-day tokens; the client says so, so the lifetime check passes.
        IdTokenValidity: 1,
        AccessTokenValidity: 1,
        TokenValidityUnits: { IdToken: 'days', AccessToken: 'days' },
      }),
    );
    clientId = UserPoolClient?.ClientId ?? '';
    await cognito.send(
      new AdminCreateUserCommand({ UserPoolId: userPoolId, Username: USERNAME, MessageAction: 'SUPPRESS' }),
    );
    await cognito.send(
      new AdminSetUserPasswordCommand({
        UserPoolId: userPoolId,
        Username: USERNAME,
        Password: PASSWORD,
        Permanent: true,
      }),
    );
  });

  const run = (canary: Record<string, unknown> = {}) =>
    detected(
      createCanaryRunner({
        cognito: () => cognito,
        secrets: createSecretResolver({ env: { CANARY_PASSWORD: PASSWORD }, allowEnv: true }),
        endpoint: local.endpoint,
      }).run(
        [
          poolConfigSchema.parse({
            userPoolId,
            region: 'us-east-1',
            clients: [{ clientId, expect: { idTokenClaims: { 'custom:tenant': 'acme' } } }],
            canary: { username: USERNAME, password: 'env:CANARY_PASSWORD', ...canary },
          }),
        ],
        { timeBudgetMs: 20_000 },
      ),
    );

  it('verifies the tokens against the emulator issuer and finds the PreTokenGeneration claim', async () => {
    const result = await run();

    expect(result.problems).toEqual([]);
    expect(result.findings).toEqual([]);
    expect(result.passed).toContain(`token-invalid:${userPoolId}:${clientId}`);
    expect(lambda.invocations('shopPreToken')).toBeGreaterThanOrEqual(2);
  });

  it('reports a PreTokenGeneration deploy that changes the claim as token-invalid on that claim', async () => {
    lambda.setFunction('shopPreToken', { handler: addTenant('globex') });

    const { findings } = await run();

    expect(
      findings.map((finding) => [finding.detector, finding.field, finding.expected, finding.actual]),
    ).toEqual([['token-invalid', 'custom:tenant', 'acme', 'globex']]);
    expect(findings[0]?.severity).toBe('error');
  });

  it('reports a failing PreTokenGeneration as trigger-failed naming the trigger and its function', async () => {
    lambda.setFunction('shopPreToken', {
      handler: async () => {
        throw new Error('tenant lookup failed');
      },
    });

    const { findings } = await run();

    expectOneFinding(findings, {
      detector: 'canary-auth-failed',
      cause: 'trigger-failed',
      trigger: 'PreTokenGeneration',
      functionName: 'shopPreToken',
      severity: 'critical',
      runbook: 'canary-cause-trigger-failed',
    });
    expect(findings[0]?.title).toContain('the PreTokenGeneration trigger failed: tenant lookup failed.');
  });

  describe('sign-up cycle', () => {
    const signUp = { signUp: { usernameTemplate: 'sentinel-signup-{id}' } };

    it('passes when PreSignUp auto-confirms, and deletes the throwaway user', async () => {
      const result = await run(signUp);

      expect(result.findings).toEqual([]);
      expect(lambda.invocations('shopPreSignUp')).toBeGreaterThanOrEqual(1);
      const { Users } = await cognito.send(new ListUsersCommand({ UserPoolId: userPoolId }));
      expect(Users?.map((user) => user.Username)).toEqual([USERNAME]);
    });

    it('reports the seed incident: PreSignUp deployed without auto-confirm leaves users UNCONFIRMED', async () => {
      lambda.setFunction('shopPreSignUp', { handler: async (event: PreSignUpTriggerEvent) => event });

      const { findings } = await run(signUp);

      expect(findings.map((finding) => [finding.detector, finding.actual, finding.trigger])).toEqual([
        ['signup-not-confirmed', 'UNCONFIRMED', 'PreSignUp'],
      ]);
    });

    it('reports a PreSignUp that throws as trigger-failed on sign-up', async () => {
      lambda.setFunction('shopPreSignUp', {
        handler: async () => {
          throw new Error('blocked domain');
        },
      });

      const { findings } = await run(signUp);

      expect(findings[0]).toMatchObject({
        detector: 'signup-not-confirmed',
        cause: 'trigger-failed',
        functionName: 'shopPreSignUp',
        severity: 'critical',
      });
      expect(findings[0]?.title).toContain('blocked domain');
    });
  });
});
