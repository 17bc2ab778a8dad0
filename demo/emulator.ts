/**
 * The demo's embedded Cognito: cognito-local on a free loopback port, its triggers served by the
 * local Lambda Invoke API running the demo's real handlers, and a pool, app client and canary
 * user created the way a team would create them.
 */
import { randomBytes } from 'node:crypto';
import {
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  CognitoIdentityProviderClient,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { toCognitoAnswer } from './emulator-answers';
import {
  type CognitoLocal,
  cognitoLocalClientConfig,
  type LambdaInvokeServer,
  type LocalFunction,
  startCognitoLocal,
  startLambdaInvokeServer,
} from './local';
import { DEMO_PRESIGNUP, DEMO_PRETOKEN, healthyPreSignUp, tenantClaimPreToken } from './triggers';

export const CANARY_USERNAME = 'sentinel-canary';

export interface DemoEmulator {
  invoke: LambdaInvokeServer;
  cognito: CognitoLocal;
  client: CognitoIdentityProviderClient;
  endpoint: string;
  userPoolId: string;
  clientId: string;
  canaryUsername: string;
  /** Lives only in this process's memory; handed to the canary through an env: reference. */
  canaryPassword: string;
  /** Deploys `fn` as the PreSignUp function (a bad deploy, or the rollback). */
  deployPreSignUp(fn: LocalFunction['handler'], timeoutMs?: number): void;
  /** Deploys `fn` as the named function, and remembers when (what Lambda's LastModified says). */
  deploy(functionName: string, fn: LocalFunction['handler'], timeoutMs?: number): void;
  /** When each function was last deployed. */
  deployedAt(functionName: string): Date | undefined;
  stop(): Promise<void>;
}

/** Functions time out after 6 s, past Cognito's 5 s wait, so a slow deploy shows both failures. */
const FUNCTION_TIMEOUT_MS = 6_000;

/**
 * How long the emulator waits for a trigger. Cognito waits 5 s and its API answers soon after; the
 * canary's Cognito client gives up at 5 s (its request budget). Locally the emulator's own 5 s wait
 * plus its overhead raced that budget, so a slow trigger showed as "Cognito could not be reached"
 * half the time; a slightly shorter wait keeps the answer Cognito would give.
 */
const EMULATOR_TRIGGER_WAIT_MS = 4_500;

const strongPassword = () => `Dm0-${randomBytes(12).toString('base64url')}!a1`;

export const startDemoEmulator = async (): Promise<DemoEmulator> => {
  const invoke = await startLambdaInvokeServer({
    functions: {
      [DEMO_PRESIGNUP]: { handler: healthyPreSignUp, timeoutMs: FUNCTION_TIMEOUT_MS, memorySizeMb: 256 },
      [DEMO_PRETOKEN]: { handler: tenantClaimPreToken, timeoutMs: FUNCTION_TIMEOUT_MS, memorySizeMb: 256 },
    },
  });
  let cognito: CognitoLocal | undefined;
  try {
    cognito = await startCognitoLocal({
      lambdaEndpoint: invoke.endpoint,
      triggers: { PreSignUp: DEMO_PRESIGNUP, PreTokenGeneration: DEMO_PRETOKEN },
      triggerTimeoutMs: EMULATOR_TRIGGER_WAIT_MS,
    });
    const client = new CognitoIdentityProviderClient({
      ...cognitoLocalClientConfig(cognito.endpoint),
      maxAttempts: 1,
    });
    client.middlewareStack.add(
      (next, context) => async (args) => {
        try {
          return await next(args);
        } catch (error) {
          throw toCognitoAnswer(error, context.commandName);
        }
      },
      { step: 'initialize', name: 'cognitoAnswers' },
    );
    const { UserPool } = await client.send(
      new CreateUserPoolCommand({
        PoolName: 'demo-shop',
        Policies: {
          PasswordPolicy: {
            MinimumLength: 12,
            RequireLowercase: true,
            RequireUppercase: true,
            RequireNumbers: true,
          },
        },
      }),
    );
    const userPoolId = UserPool?.Id ?? '';
    const { UserPoolClient } = await client.send(
      new CreateUserPoolClientCommand({
        UserPoolId: userPoolId,
        ClientName: 'demo-shop-web',
        ExplicitAuthFlows: [
          'ALLOW_ADMIN_USER_PASSWORD_AUTH',
          'ALLOW_USER_PASSWORD_AUTH',
          'ALLOW_REFRESH_TOKEN_AUTH',
        ],
      }),
    );
    const clientId = UserPoolClient?.ClientId ?? '';
    const canaryPassword = strongPassword();
    await client.send(
      new AdminCreateUserCommand({
        UserPoolId: userPoolId,
        Username: CANARY_USERNAME,
        MessageAction: 'SUPPRESS',
        TemporaryPassword: strongPassword(),
        UserAttributes: [{ Name: 'email', Value: 'canary@sentinel.invalid' }],
      }),
    );
    await client.send(
      new AdminSetUserPasswordCommand({
        UserPoolId: userPoolId,
        Username: CANARY_USERNAME,
        Password: canaryPassword,
        Permanent: true,
      }),
    );
    const started = cognito;
    const deployed = new Map<string, Date>([
      [DEMO_PRESIGNUP, new Date()],
      [DEMO_PRETOKEN, new Date()],
    ]);
    const deploy = (
      functionName: string,
      handler: LocalFunction['handler'],
      timeoutMs = FUNCTION_TIMEOUT_MS,
    ) => {
      invoke.setFunction(functionName, { handler, timeoutMs, memorySizeMb: 256 });
      deployed.set(functionName, new Date());
    };
    return {
      invoke,
      cognito: started,
      client,
      endpoint: started.endpoint,
      userPoolId,
      clientId,
      canaryUsername: CANARY_USERNAME,
      canaryPassword,
      deployPreSignUp: (handler, timeoutMs) => deploy(DEMO_PRESIGNUP, handler, timeoutMs),
      deploy,
      deployedAt: (functionName) => deployed.get(functionName),
      stop: async () => {
        client.destroy();
        await Promise.allSettled([started.stop(), invoke.stop()]);
      },
    };
  } catch (error) {
    await Promise.allSettled([cognito?.stop(), invoke.stop()]);
    throw error;
  }
};
