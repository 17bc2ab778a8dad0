/**
 * The AWS clients the canary runs with, built once per container (or CLI run): one Cognito client
 * per region with the SDK's own retries off (the canary retries within its time budget and counts
 * attempts itself), and one secret resolver per region (a secret named by its name is read in its
 * pool's region; an ARN names its own).
 */
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import type { SecretRef } from '../config/secret-ref';
import { createAwsSecretResolver, type SecretResolver } from '../config/secrets';
import { awsClientOptions } from '../runtime/aws-client-options';
import { perRegion } from '../runtime/per-region';
import type { CognitoClient } from './cycle-context';

/** Environment variables naming the Cognito endpoint, most specific first (the SDK reads the same ones). */
export const COGNITO_ENDPOINT_VARIABLES = [
  'AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER',
  'AWS_ENDPOINT_URL',
] as const;

/** The Cognito endpoint the environment points the SDK at, when it is an emulator (or a proxy). */
export const cognitoEndpointFrom = (
  env: Readonly<Record<string, string | undefined>>,
): string | undefined => {
  for (const name of COGNITO_ENDPOINT_VARIABLES) {
    const value = env[name]?.trim();
    if (value) return value;
  }
  return undefined;
};

/**
 * A Cognito client for a region: SDK retries off (`maxAttempts: 1`), connect and request timeouts, the standard credential chain
 * unless `credentials` are given (an emulator that takes any).
 */
export const createCognitoClient = (
  region: string,
  endpoint?: string,
  credentials?: { accessKeyId: string; secretAccessKey: string },
): CognitoClient =>
  new CognitoIdentityProviderClient({
    ...awsClientOptions('cognito'),
    region,
    ...(endpoint === undefined ? {} : { endpoint }),
    ...(credentials === undefined ? {} : { credentials }),
  });

const ARN_REGION = /^arn:aws[\w-]*:(?:secretsmanager|ssm):([a-z0-9-]+):/;

/** The region a secret reference lives in: the one in its ARN, else `fallback`. */
export const regionOfSecret = (ref: SecretRef, fallback: string): string =>
  ARN_REGION.exec(ref.name)?.[1] ?? fallback;

/**
 * Secret resolvers per region, each caching its values for the life of the container.
 * `allowEnv` is for the CLI only.
 */
export const createRegionalSecrets = (options: {
  env?: Readonly<Record<string, string | undefined>>;
  allowEnv?: boolean;
}): ((region: string) => SecretResolver) =>
  perRegion((region) =>
    createAwsSecretResolver({
      region,
      ...(options.env === undefined ? {} : { env: options.env }),
      allowEnv: options.allowEnv === true,
    }),
  );
