/**
 * The pool the config-audit tests read on moto_server: `shop`, with PreSignUp wired to the
 * function `shop-presignup`, and its `web` client with a secret.
 */
import {
  CognitoIdentityProviderClient,
  CreateUserPoolClientCommand,
  type CreateUserPoolClientCommandInput,
  CreateUserPoolCommand,
  type CreateUserPoolCommandInput,
} from '@aws-sdk/client-cognito-identity-provider';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { awsClientConfig, createMotoFunction } from '../../demo/local/moto';
import { allowCognitoToInvoke } from './trigger-permission';

/** The shop pool on moto, with the clients that made it. */
export interface ShopPool {
  cognito: CognitoIdentityProviderClient;
  lambda: LambdaClient;
  userPoolId: string;
  clientId: string;
  clientSecret: string;
  functionArn: string;
}

/** How a test's shop pool differs from the plain one. */
export interface ShopPoolOptions {
  /** The PreSignUp function's settings (default: provided.al2023, which has no deprecation date). */
  function?: { runtime?: string; timeoutSeconds?: number };
  pool?: Omit<CreateUserPoolCommandInput, 'PoolName' | 'LambdaConfig'>;
  client?: Omit<CreateUserPoolClientCommandInput, 'UserPoolId' | 'ClientName' | 'GenerateSecret'>;
  /** Grant Cognito the right to invoke the function, as the console does (default false). */
  invokable?: boolean;
}

/** Creates the shop pool on moto_server at `endpoint`. */
export const createShopPool = async (endpoint: string, options: ShopPoolOptions = {}): Promise<ShopPool> => {
  const cognito = new CognitoIdentityProviderClient(awsClientConfig(endpoint));
  const lambda = new LambdaClient(awsClientConfig(endpoint));
  const functionArn = await createMotoFunction(endpoint, 'shop-presignup', {
    runtime: 'provided.al2023',
    ...options.function,
  });
  const { UserPool } = await cognito.send(
    new CreateUserPoolCommand({
      PoolName: 'shop',
      LambdaConfig: { PreSignUp: functionArn },
      ...options.pool,
    }),
  );
  const userPoolId = UserPool?.Id ?? '';
  if (options.invokable) await allowCognitoToInvoke(lambda, 'shop-presignup', UserPool?.Arn);
  const { UserPoolClient } = await cognito.send(
    new CreateUserPoolClientCommand({
      UserPoolId: userPoolId,
      ClientName: 'web',
      GenerateSecret: true,
      ...options.client,
    }),
  );
  return {
    cognito,
    lambda,
    userPoolId,
    clientId: UserPoolClient?.ClientId ?? '',
    clientSecret: UserPoolClient?.ClientSecret ?? '',
    functionArn,
  };
};
