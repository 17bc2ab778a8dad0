import {
  CognitoIdentityProviderClient,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  type CreateUserPoolCommandInput,
} from '@aws-sdk/client-cognito-identity-provider';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SSMClient } from '@aws-sdk/client-ssm';
import { type SetupCanaryDeps, setupCanary } from '../../cli/setup-canary';
import { awsClientConfig } from '../../demo/local/moto';
import { captureIo } from './capture-io';

/** The clients `setup-canary` uses, on moto_server at `endpoint`, and the deps that hand them out. */
export const setupCanaryClients = (endpoint: string) => {
  const config = awsClientConfig(endpoint);
  const cognito = new CognitoIdentityProviderClient(config);
  const secrets = new SecretsManagerClient(config);
  const ssm = new SSMClient(config);
  const deps: SetupCanaryDeps = { cognito: () => cognito, secrets: () => secrets, ssm: () => ssm };
  return { cognito, secrets, ssm, deps };
};

/** The pool and app client the canary is set up for. */
export interface CanaryPool {
  poolId: string;
  clientId: string;
}

/**
 * A user pool named `shop` (with `pool`'s settings) and its `web` client allowing admin password
 * sign-in and refresh, as `setup-canary` needs. `configure` runs between the two (e.g. MFA).
 */
export const createCanaryPool = async (
  cognito: CognitoIdentityProviderClient,
  pool: Omit<CreateUserPoolCommandInput, 'PoolName'> = {},
  configure: (poolId: string) => Promise<unknown> = async () => undefined,
): Promise<CanaryPool> => {
  const { UserPool } = await cognito.send(new CreateUserPoolCommand({ PoolName: 'shop', ...pool }));
  const poolId = UserPool?.Id ?? '';
  await configure(poolId);
  const { UserPoolClient } = await cognito.send(
    new CreateUserPoolClientCommand({
      UserPoolId: poolId,
      ClientName: 'web',
      ExplicitAuthFlows: ['ALLOW_ADMIN_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
    }),
  );
  return { poolId, clientId: UserPoolClient?.ClientId ?? '' };
};

/** `setup-canary` for `pool` in us-east-1 with `args`, and what it printed. */
export const runSetupCanary = async (pool: CanaryPool, deps: SetupCanaryDeps, args: readonly string[]) => {
  const capture = captureIo();
  const code = await setupCanary(
    ['--user-pool-id', pool.poolId, '--client-id', pool.clientId, '--region', 'us-east-1', ...args],
    capture.io,
    deps,
  );
  return { code, out: capture.out(), err: capture.err() };
};
