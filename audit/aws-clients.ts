/**
 * The AWS clients of the config audit, built once per region and container: Cognito and Lambda
 * with the `audit` budget (the SDK retries throttling: Describe and List calls have low quotas),
 * the standard credential chain, and the endpoint variables honoured.
 */
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { awsClientOptions } from '../runtime/aws-client-options';
import { perRegion } from '../runtime/per-region';
import type { AuditClients } from './read-pool';

type Env = Readonly<Record<string, string | undefined>>;

/** The endpoint the environment names for a service (`AWS_ENDPOINT_URL_<SERVICE>`, else `AWS_ENDPOINT_URL`). */
export const endpointFrom = (env: Env, service: 'COGNITO_IDENTITY_PROVIDER' | 'LAMBDA'): string | undefined =>
  env[`AWS_ENDPOINT_URL_${service}`]?.trim() || env.AWS_ENDPOINT_URL?.trim() || undefined;

/**
 * Audit clients for the environment's endpoints (none: AWS). `credentials` replace the standard
 * chain (an emulator that takes any).
 */
export const createAuditClients = (
  env: Env,
  credentials?: { accessKeyId: string; secretAccessKey: string },
): AuditClients => {
  const auth = credentials === undefined ? {} : { credentials };
  const placed = (region: string, endpoint: string | undefined) => ({
    region,
    ...auth,
    ...(endpoint === undefined ? {} : { endpoint }),
  });
  const cognitoEndpoint = endpointFrom(env, 'COGNITO_IDENTITY_PROVIDER');
  const lambdaEndpoint = endpointFrom(env, 'LAMBDA');
  return {
    cognito: perRegion(
      (region) =>
        new CognitoIdentityProviderClient({
          ...awsClientOptions('audit'),
          ...placed(region, cognitoEndpoint),
        }),
    ),
    lambda: perRegion(
      (region) => new LambdaClient({ ...awsClientOptions('audit'), ...placed(region, lambdaEndpoint) }),
    ),
  };
};
