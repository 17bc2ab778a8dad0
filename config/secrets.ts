/**
 * Resolves secret references (Secrets Manager, SSM SecureString, environment for the CLI) once per
 * container and caches the value in memory. Values never reach a log line: errors name the
 * reference, never the value.
 */
import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { GetParameterCommand, type SSMClient } from '@aws-sdk/client-ssm';
import { SentinelError } from '../runtime/errors';
import { formatSecretRef, type SecretRef } from './secret-ref';

export class SecretResolutionError extends SentinelError {
  override readonly name = 'SecretResolutionError';
  readonly code = 'secret-resolution';
}

export interface SecretResolver {
  /** The secret's value; fetched once, then served from memory. */
  get(ref: SecretRef): Promise<string>;
}

export interface SecretResolverDeps {
  secretsManager?: Pick<SecretsManagerClient, 'send'>;
  ssm?: Pick<SSMClient, 'send'>;
  env?: Readonly<Record<string, string | undefined>>;
  /** Refuse `env:` references (deployed functions must not read secrets from plain variables). */
  allowEnv?: boolean;
}

const fetchSecret = async (ref: SecretRef, deps: SecretResolverDeps): Promise<string> => {
  const where = formatSecretRef(ref);
  switch (ref.store) {
    case 'env': {
      if (!deps.allowEnv) {
        throw new SecretResolutionError(
          `${where}: env: secrets are for the CLI only; use secretsmanager: or ssm:`,
        );
      }
      const value = deps.env?.[ref.name];
      if (value === undefined || value === '')
        throw new SecretResolutionError(`${where}: the variable is not set`);
      return value;
    }
    case 'ssm': {
      if (!deps.ssm) throw new SecretResolutionError(`${where}: no SSM client configured`);
      const { Parameter } = await deps.ssm
        .send(new GetParameterCommand({ Name: ref.name, WithDecryption: true }))
        .catch((error: unknown) => {
          throw new SecretResolutionError(`${where}: ${(error as Error).name}: ${(error as Error).message}`, {
            cause: error,
          });
        });
      if (!Parameter?.Value) throw new SecretResolutionError(`${where}: the parameter has no value`);
      return Parameter.Value;
    }
    case 'secretsmanager': {
      if (!deps.secretsManager)
        throw new SecretResolutionError(`${where}: no Secrets Manager client configured`);
      const { SecretString } = await deps.secretsManager
        .send(new GetSecretValueCommand({ SecretId: ref.name }))
        .catch((error: unknown) => {
          throw new SecretResolutionError(`${where}: ${(error as Error).name}: ${(error as Error).message}`, {
            cause: error,
          });
        });
      if (SecretString === undefined)
        throw new SecretResolutionError(`${where}: the secret has no string value`);
      if (!ref.jsonKey) return SecretString;
      let parsed: unknown;
      try {
        parsed = JSON.parse(SecretString);
      } catch {
        throw new SecretResolutionError(
          `${where}: the secret is not JSON, so it has no key "${ref.jsonKey}"`,
        );
      }
      const value = (parsed as Record<string, unknown> | null)?.[ref.jsonKey];
      if (typeof value !== 'string' || value === '') {
        throw new SecretResolutionError(`${where}: the secret has no string value under "${ref.jsonKey}"`);
      }
      return value;
    }
  }
};

/** Creates a resolver whose cache lives as long as the container (or the CLI process). */
export const createSecretResolver = (deps: SecretResolverDeps): SecretResolver => {
  const cache = new Map<string, Promise<string>>();
  return {
    get: (ref) => {
      const key = formatSecretRef(ref);
      let pending = cache.get(key);
      if (!pending) {
        pending = fetchSecret(ref, deps);
        // A failed fetch is not cached: the next invocation tries again.
        pending.catch(() => cache.delete(key));
        cache.set(key, pending);
      }
      return pending;
    },
  };
};
