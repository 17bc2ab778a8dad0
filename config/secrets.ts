/**
 * Resolves secret references (Secrets Manager, SSM SecureString, environment for the CLI) once per
 * container and caches the value in memory. Values never reach a log line: errors name the
 * reference, never the value.
 */
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { SSMClient } from '@aws-sdk/client-ssm';
import { awsClientOptions } from '../runtime/aws-client-options';
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

/** A client, or a factory that loads it on first use (the SDK package is loaded only then). */
type ClientOrLoader<T> = T | (() => Promise<T>);

export interface SecretResolverDeps {
  secretsManager?: ClientOrLoader<Pick<SecretsManagerClient, 'send'>>;
  ssm?: ClientOrLoader<Pick<SSMClient, 'send'>>;
  env?: Readonly<Record<string, string | undefined>>;
  /** Refuse `env:` references (deployed functions must not read secrets from plain variables). */
  allowEnv?: boolean;
}

const clientOf = <T>(client: ClientOrLoader<T>): Promise<T> =>
  typeof client === 'function' ? (client as () => Promise<T>)() : Promise.resolve(client);

/** A factory that builds the client once, on first use. */
const once = <T>(load: () => Promise<T>): (() => Promise<T>) => {
  let loaded: Promise<T> | undefined;
  return () => {
    loaded ??= load().catch((error: unknown) => {
      loaded = undefined;
      throw error;
    });
    return loaded;
  };
};

/**
 * A resolver with real Secrets Manager and SSM clients (the `secrets` budgets), each SDK package
 * loaded and its client built on the first secret read from that store: most invocations of most
 * functions read none (a PagerDuty routing key is read on the first page), so neither is loaded at
 * start-up.
 */
export const createAwsSecretResolver = (
  options: Omit<SecretResolverDeps, 'secretsManager' | 'ssm'> & { region?: string } = {},
): SecretResolver => {
  const { region, ...rest } = options;
  const regional = region === undefined ? {} : { region };
  return createSecretResolver({
    ...rest,
    secretsManager: async () => {
      const { SecretsManagerClient } = await import('@aws-sdk/client-secrets-manager');
      return new SecretsManagerClient({ ...awsClientOptions('secrets'), ...regional });
    },
    ssm: async () => {
      const { SSMClient } = await import('@aws-sdk/client-ssm');
      return new SSMClient({ ...awsClientOptions('secrets'), ...regional });
    },
  });
};

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
      const [ssm, { GetParameterCommand }] = await Promise.all([
        clientOf(deps.ssm),
        import('@aws-sdk/client-ssm'),
      ]);
      const { Parameter } = await ssm
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
      const [secretsManager, { GetSecretValueCommand }] = await Promise.all([
        clientOf(deps.secretsManager),
        import('@aws-sdk/client-secrets-manager'),
      ]);
      const { SecretString } = await secretsManager
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
export const createSecretResolver = (given: SecretResolverDeps): SecretResolver => {
  const { secretsManager, ssm } = given;
  // A loader runs once, on the first read from its store.
  const deps: SecretResolverDeps = {
    ...given,
    ...(typeof secretsManager === 'function' ? { secretsManager: once(secretsManager) } : {}),
    ...(typeof ssm === 'function' ? { ssm: once(ssm) } : {}),
  };
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
