import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  AdminCreateUserCommand,
  AdminGetUserCommand,
  AdminInitiateAuthCommand,
  AdminSetUserPasswordCommand,
  CognitoIdentityProviderClient,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import middy from '@middy/core';
import type { PreSignUpTriggerEvent, PreTokenGenerationTriggerEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type CognitoLocal,
  CognitoLocalError,
  cognitoLocalClientConfig,
  type LambdaInvokeServer,
  type LambdaLogBatch,
  type LocalFunction,
  startCognitoLocal,
  startLambdaInvokeServer,
} from '../../../demo/local';
import { parseLogLine, toLogOrigin } from '../../../logs';
import { triggerContract } from '../../../middleware/trigger-contract';

const PASSWORD = 'Correct-Horse-9-Battery';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The decoded payload of a JWT (no verification: the claim is what is under test). */
const jwtPayload = (token: string | undefined): Record<string, unknown> =>
  JSON.parse(Buffer.from(token?.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<
    string,
    unknown
  >;

const received: { preSignUp: PreSignUpTriggerEvent[]; preToken: PreTokenGenerationTriggerEvent[] } = {
  preSignUp: [],
  preToken: [],
};

/** The demo's PreSignUp: auto-confirms, wrapped in the project's trigger middleware. */
const autoConfirm: LocalFunction = {
  handler: middy<PreSignUpTriggerEvent, PreSignUpTriggerEvent>()
    .use(triggerContract<PreSignUpTriggerEvent, PreSignUpTriggerEvent>({ mode: 'observe' }))
    .handler(async (event) => {
      received.preSignUp.push(structuredClone(event));
      event.response.autoConfirmUser = true;
      return event;
    }),
};

const refuses: LocalFunction = {
  handler: async () => {
    throw new Error('boom');
  },
};

/** The demo's PreTokenGeneration: adds a claim to the ID token. */
const addsTier: LocalFunction = {
  handler: middy<PreTokenGenerationTriggerEvent, PreTokenGenerationTriggerEvent>()
    .use(triggerContract<PreTokenGenerationTriggerEvent, PreTokenGenerationTriggerEvent>({ mode: 'observe' }))
    .handler(async (event) => {
      received.preToken.push(structuredClone(event));
      event.response = { claimsOverrideDetails: { claimsToAddOrOverride: { tier: 'gold' } } };
      return event;
    }),
};

describe('cognito-local invoking our handlers through the local invoke server', () => {
  let lambda: LambdaInvokeServer;
  let cognito: CognitoLocal;
  let client: CognitoIdentityProviderClient;
  let userPoolId: string;
  let clientId: string;
  const batches: LambdaLogBatch[] = [];

  beforeAll(async () => {
    lambda = await startLambdaInvokeServer({ functions: { preSignUp: autoConfirm, preToken: addsTier } });
    lambda.onLogs((batch) => batches.push(batch));
    cognito = await startCognitoLocal({
      lambdaEndpoint: lambda.endpoint,
      triggers: { PreSignUp: 'preSignUp', PreTokenGeneration: 'preToken' },
    });
    client = new CognitoIdentityProviderClient(cognitoLocalClientConfig(cognito.endpoint));

    const pool = await client.send(new CreateUserPoolCommand({ PoolName: 'sentinel-demo' }));
    userPoolId = pool.UserPool?.Id ?? '';
    const appClient = await client.send(
      new CreateUserPoolClientCommand({
        UserPoolId: userPoolId,
        ClientName: 'canary',
        ExplicitAuthFlows: ['ALLOW_ADMIN_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      }),
    );
    clientId = appClient.UserPoolClient?.ClientId ?? '';
  });

  afterAll(async () => {
    client?.destroy();
    await cognito?.stop();
    await lambda?.stop();
    if (cognito) expect(existsSync(cognito.dataDir)).toBe(false);
  });

  it('runs on a free loopback port in its own directory, with our Lambda endpoint and triggers', async () => {
    expect(cognito.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(await (await fetch(`${cognito.endpoint}/health`)).json()).toEqual({ ok: true });
    const config = JSON.parse(readFileSync(join(cognito.dataDir, '.cognito', 'config.json'), 'utf8'));
    expect(config).toMatchObject({
      LambdaClient: {
        endpoint: lambda.endpoint,
        region: 'local',
        maxRetries: 0,
        httpOptions: { timeout: 5_000 },
      },
      TriggerFunctions: { PreSignUp: 'preSignUp', PreTokenGeneration: 'preToken' },
    });
    expect(userPoolId).toMatch(/^local_/);
  });

  it('confirms a signed-up user when PreSignUp returns autoConfirmUser true', async () => {
    const before = lambda.invocations('preSignUp');

    const output = await client.send(
      new SignUpCommand({
        ClientId: clientId,
        Username: 'alice',
        Password: PASSWORD,
        UserAttributes: [{ Name: 'email', Value: 'alice@example.com' }],
      }),
    );

    expect(output.UserConfirmed).toBe(true);
    expect(lambda.invocations('preSignUp')).toBe(before + 1);
    expect(received.preSignUp.at(-1)).toMatchObject({
      triggerSource: 'PreSignUp_SignUp',
      userPoolId,
      userName: 'alice',
      callerContext: { clientId },
      request: { userAttributes: { email: 'alice@example.com' } },
      response: { autoConfirmUser: false },
    });
    const user = await client.send(new AdminGetUserCommand({ UserPoolId: userPoolId, Username: 'alice' }));
    expect(user.UserStatus).toBe('CONFIRMED');

    // The invocation's log, as the demo feeds it to the trigger-log pipeline: the middleware's
    // contract report is read as one, and the REPORT as an invocation report.
    const batch = batches.at(-1);
    expect(batch?.logGroup).toBe('/aws/lambda/preSignUp');
    const kinds = (batch?.lines ?? []).flatMap((line) => {
      const result = parseLogLine(
        line.message,
        toLogOrigin(batch?.logGroup ?? '', { timestamp: line.timestamp }),
      );
      return result.status === 'signal' ? result.observations.map((observation) => observation.kind) : [];
    });
    expect(kinds).toEqual(['contract-report', 'invocation-report']);
  });

  it('fails SignUp with UserLambdaValidationException naming the function when PreSignUp throws', async () => {
    lambda.setFunction('preSignUp', refuses);
    try {
      const error = await client
        .send(new SignUpCommand({ ClientId: clientId, Username: 'bob', Password: PASSWORD }))
        .then(
          () => undefined,
          (rejection: unknown) => rejection as Error,
        );

      expect(error?.name).toBe('UserLambdaValidationException');
      expect(error?.message).toBe('preSignUp failed with error boom.');
      expect(batches.at(-1)?.lines.some((line) => line.message.includes('\tERROR\tInvoke Error \t{'))).toBe(
        true,
      );
    } finally {
      lambda.setFunction('preSignUp', autoConfirm);
    }
  });

  it('puts the claim PreTokenGeneration adds into the ID token', async () => {
    await client.send(
      new AdminCreateUserCommand({
        UserPoolId: userPoolId,
        Username: 'carol',
        TemporaryPassword: 'Temporary-Pass-1',
        MessageAction: 'SUPPRESS',
        UserAttributes: [{ Name: 'email', Value: 'carol@example.com' }],
      }),
    );
    await client.send(
      new AdminSetUserPasswordCommand({
        UserPoolId: userPoolId,
        Username: 'carol',
        Password: PASSWORD,
        Permanent: true,
      }),
    );

    const auth = await client.send(
      new AdminInitiateAuthCommand({
        UserPoolId: userPoolId,
        ClientId: clientId,
        AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: 'carol', PASSWORD },
      }),
    );

    const idToken = jwtPayload(auth.AuthenticationResult?.IdToken);
    expect(idToken).toMatchObject({
      tier: 'gold',
      token_use: 'id',
      aud: clientId,
      iss: `${cognito.endpoint}/${userPoolId}`,
    });
    expect(jwtPayload(auth.AuthenticationResult?.AccessToken)).not.toHaveProperty('tier');
    expect(received.preToken.at(-1)).toMatchObject({
      triggerSource: 'TokenGeneration_Authentication',
      userName: 'carol',
    });
  });
});

describe('cognito-local waiting for a slow trigger', () => {
  let lambda: LambdaInvokeServer;
  let cognito: CognitoLocal;
  let client: CognitoIdentityProviderClient;
  const batches: LambdaLogBatch[] = [];

  beforeAll(async () => {
    lambda = await startLambdaInvokeServer({
      functions: {
        slowSignUp: {
          timeoutMs: 3_000,
          handler: async (event: unknown) => {
            await sleep(1_500);
            return event;
          },
        },
      },
    });
    lambda.onLogs((batch) => batches.push(batch));
    cognito = await startCognitoLocal({
      lambdaEndpoint: lambda.endpoint,
      triggers: { PreSignUp: 'slowSignUp' },
      triggerTimeoutMs: 500,
    });
    client = new CognitoIdentityProviderClient(cognitoLocalClientConfig(cognito.endpoint));
  });

  afterAll(async () => {
    client?.destroy();
    await cognito?.stop();
    await lambda?.stop();
  });

  it('gives up after triggerTimeoutMs without retrying, while the function runs to completion', async () => {
    const pool = await client.send(new CreateUserPoolCommand({ PoolName: 'slow' }));
    const appClient = await client.send(
      new CreateUserPoolClientCommand({ UserPoolId: pool.UserPool?.Id, ClientName: 'slow' }),
    );

    const started = Date.now();
    const error = await client
      .send(
        new SignUpCommand({
          ClientId: appClient.UserPoolClient?.ClientId,
          Username: 'dave',
          Password: PASSWORD,
        }),
      )
      .then(
        () => undefined,
        (rejection: unknown) => rejection as Error,
      );

    // cognito-local names it UnexpectedLambdaExceptionException (AWS: UnexpectedLambdaException).
    expect(error?.name).toMatch(/^UnexpectedLambdaException/);
    expect(Date.now() - started).toBeLessThan(1_500);
    expect(lambda.invocations('slowSignUp')).toBe(1);

    for (let i = 0; i < 100 && batches.length === 0; i++) await sleep(50);
    expect(batches).toHaveLength(1);
    expect(batches[0]?.lines.at(-1)?.message).not.toContain('Status: timeout');
  });
});

describe('startCognitoLocal', () => {
  it('removes its directory and stops answering when stopped', async () => {
    const cognito = await startCognitoLocal();
    expect(existsSync(join(cognito.dataDir, '.cognito', 'config.json'))).toBe(true);

    await cognito.stop();
    await cognito.stop();

    expect(existsSync(cognito.dataDir)).toBe(false);
    await expect(fetch(`${cognito.endpoint}/health`)).rejects.toThrow();
  });

  it('fails with its output when it is not ready in time, and leaves no process behind', async () => {
    const error = await startCognitoLocal({ readyTimeoutMs: 1 }).then(
      () => undefined,
      (rejection: unknown) => rejection as Error,
    );

    expect(error).toBeInstanceOf(CognitoLocalError);
    expect(error?.message).toMatch(/^cognito-local at http:\/\/127\.0\.0\.1:(\d+) was not ready after 1 ms/);
    const port = /:(\d+) was not ready/.exec(error?.message ?? '')?.[1];
    await sleep(200);
    await expect(fetch(`http://127.0.0.1:${port}/health`)).rejects.toThrow();
  });

  it('refuses a trigger cognito-local never invokes, before starting anything', async () => {
    await expect(
      startCognitoLocal({
        lambdaEndpoint: 'http://127.0.0.1:1',
        triggers: { DefineAuthChallenge: 'define' },
      }),
    ).rejects.toThrow(CognitoLocalError);
    await expect(
      startCognitoLocal({
        lambdaEndpoint: 'http://127.0.0.1:1',
        triggers: { DefineAuthChallenge: 'define' },
      }),
    ).rejects.toThrow(/never invokes DefineAuthChallenge/);
  });

  it('refuses triggers without a Lambda endpoint', async () => {
    await expect(startCognitoLocal({ triggers: { PreSignUp: 'preSignUp' } })).rejects.toThrow(
      /lambdaEndpoint/,
    );
  });
});
