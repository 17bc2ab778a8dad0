/**
 * Where `setup-canary` keeps a canary user's password: an SSM SecureString parameter (the default:
 * standard parameters cost nothing per month) or a Secrets Manager secret ($0.40 a month each).
 *
 * One stored value per canary user: the default name ends in the pool id and the username, and
 * every value is tagged with the pool and the user it belongs to. A value that carries another
 * user's tags (or none, so it was not made by `setup-canary`) is never overwritten or deleted: a
 * second canary on the same pool must not break the first one's sign-in.
 */
import {
  CreateSecretCommand,
  DeleteSecretCommand,
  DescribeSecretCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  RestoreSecretCommand,
  type SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import {
  DeleteParameterCommand,
  GetParameterCommand,
  ListTagsForResourceCommand,
  PutParameterCommand,
  type SSMClient,
} from '@aws-sdk/client-ssm';

/** The stores `setup-canary --store` accepts; the first is the default. */
export const PASSWORD_STORES = ['ssm', 'secretsmanager'] as const;
export type PasswordStoreKind = (typeof PASSWORD_STORES)[number];

/** Days Secrets Manager keeps a deleted secret recoverable (`--remove`); 7 is its minimum. */
export const SECRET_RECOVERY_DAYS = 7;

/** Tag keys naming the pool and the canary user a stored password belongs to. */
export const OWNER_TAGS = {
  userPoolId: 'cognito-sentinel:user-pool-id',
  username: 'cognito-sentinel:username',
} as const;

/** Whose password a stored value is, from its tags. */
export interface PasswordOwner {
  userPoolId: string;
  username: string;
}

/** What is stored under the name now. `owner` is absent when the value carries no owner tags. */
export type StoredState = { state: 'absent' } | { state: 'present' | 'deleted'; owner?: PasswordOwner };

/** One canary password's place in a store. */
export interface PasswordStore {
  readonly kind: PasswordStoreKind;
  /** The name of the parameter or secret. */
  readonly name: string;
  /** The reference to paste into sentinel.config.yml (`ssm:/...` or `secretsmanager:...`). */
  readonly ref: string;
  describe(): Promise<StoredState>;
  /** The stored value (decrypted); only read to re-enrol a factor, never printed. */
  read(): Promise<string>;
  /** Creates the value with the owner tags. */
  create(password: string, owner: PasswordOwner): Promise<void>;
  /** Replaces the value of an existing (owned) parameter or secret; restores a deleted secret first. */
  replace(password: string, state: StoredState): Promise<void>;
  /** Deletes it; returns the sentence to print. */
  remove(state: StoredState): Promise<string>;
}

const isError = (error: unknown, ...names: string[]) => names.includes((error as Error).name);

/** Characters SSM parameter names (and secret references) allow; anything else is hex-escaped. */
const toNameSegment = (text: string): string =>
  text.replace(/[^A-Za-z0-9_.-]/g, (char) => `_${char.codePointAt(0)?.toString(16).padStart(2, '0') ?? ''}`);

/** The default name of a canary user's password: one per pool and user. */
export const defaultPasswordName = (kind: PasswordStoreKind, userPoolId: string, username: string): string =>
  `${kind === 'ssm' ? '/' : ''}cognito-sentinel/canary/${userPoolId}/${toNameSegment(username)}`;

const ownerOf = (
  tags: readonly { Key?: string; Value?: string }[] | undefined,
): PasswordOwner | undefined => {
  const value = (key: string) => tags?.find((tag) => tag.Key === key)?.Value;
  const userPoolId = value(OWNER_TAGS.userPoolId);
  const username = value(OWNER_TAGS.username);
  return userPoolId && username ? { userPoolId, username } : undefined;
};

const toTags = (owner: PasswordOwner) => [
  { Key: OWNER_TAGS.userPoolId, Value: owner.userPoolId },
  { Key: OWNER_TAGS.username, Value: owner.username },
];

const describeFor = (owner: PasswordOwner) =>
  `cognito-sentinel canary password for ${owner.username} in ${owner.userPoolId}`;

/** An SSM SecureString parameter (encrypted with the account's `aws/ssm` key). */
export const createSsmPasswordStore = (client: Pick<SSMClient, 'send'>, name: string): PasswordStore => ({
  kind: 'ssm',
  name,
  ref: `ssm:${name}`,
  describe: async () => {
    try {
      const { TagList } = await client.send(
        new ListTagsForResourceCommand({ ResourceType: 'Parameter', ResourceId: name }),
      );
      const owner = ownerOf(TagList);
      return owner ? { state: 'present', owner } : { state: 'present' };
    } catch (error) {
      if (isError(error, 'InvalidResourceId', 'ParameterNotFound')) return { state: 'absent' };
      throw error;
    }
  },
  read: async () => {
    const { Parameter } = await client.send(new GetParameterCommand({ Name: name, WithDecryption: true }));
    return Parameter?.Value ?? '';
  },
  create: async (password, owner) => {
    await client.send(
      new PutParameterCommand({
        Name: name,
        Type: 'SecureString',
        Value: password,
        Description: describeFor(owner),
        Tags: toTags(owner),
      }),
    );
  },
  replace: async (password) => {
    // Overwrite keeps the parameter's tags (PutParameter refuses Tags together with Overwrite).
    await client.send(
      new PutParameterCommand({ Name: name, Type: 'SecureString', Value: password, Overwrite: true }),
    );
  },
  remove: async (state) => {
    if (state.state === 'absent') return `No parameter ${name}: nothing to delete.`;
    await client.send(new DeleteParameterCommand({ Name: name }));
    return `Deleted the parameter ${name}.`;
  },
});

/** A Secrets Manager secret (plain string value). */
export const createSecretsManagerPasswordStore = (
  client: Pick<SecretsManagerClient, 'send'>,
  name: string,
): PasswordStore => ({
  kind: 'secretsmanager',
  name,
  ref: `secretsmanager:${name}`,
  describe: async () => {
    try {
      const described = await client.send(new DescribeSecretCommand({ SecretId: name }));
      const owner = ownerOf(described.Tags);
      const state = described.DeletedDate ? 'deleted' : 'present';
      return owner ? { state, owner } : { state };
    } catch (error) {
      if (isError(error, 'ResourceNotFoundException')) return { state: 'absent' };
      throw error;
    }
  },
  read: async () => {
    const { SecretString } = await client.send(new GetSecretValueCommand({ SecretId: name }));
    return SecretString ?? '';
  },
  create: async (password, owner) => {
    await client.send(
      new CreateSecretCommand({
        Name: name,
        SecretString: password,
        Description: describeFor(owner),
        Tags: toTags(owner),
      }),
    );
  },
  replace: async (password, state) => {
    if (state.state === 'deleted') await client.send(new RestoreSecretCommand({ SecretId: name }));
    await client.send(new PutSecretValueCommand({ SecretId: name, SecretString: password }));
  },
  remove: async (state) => {
    if (state.state === 'absent') return `No secret ${name}: nothing to delete.`;
    if (state.state === 'deleted') return `The secret ${name} is already scheduled for deletion.`;
    await client.send(
      new DeleteSecretCommand({ SecretId: name, RecoveryWindowInDays: SECRET_RECOVERY_DAYS }),
    );
    return `Scheduled the secret ${name} for deletion in ${SECRET_RECOVERY_DAYS} days (aws secretsmanager restore-secret --secret-id ${name} undoes it).`;
  },
});

/**
 * Why the stored value must not be touched for `owner`, or undefined when it is theirs (or absent).
 */
export const ownershipProblem = (
  store: PasswordStore,
  state: StoredState,
  owner: PasswordOwner,
): string | undefined => {
  if (state.state === 'absent') return undefined;
  const what = `${store.kind === 'ssm' ? 'parameter' : 'secret'} ${store.name}`;
  if (state.owner === undefined)
    return `The ${what} exists but was not created by setup-canary (it has no ${OWNER_TAGS.username} tag); it is left alone. Choose another name with --secret-name, or leave it out to use the default.`;
  if (state.owner.userPoolId !== owner.userPoolId || state.owner.username !== owner.username)
    return `The ${what} holds the password of the canary user ${state.owner.username} in ${state.owner.userPoolId}; it is left alone so that canary keeps signing in. Leave --secret-name out (each user gets its own) or choose another name.`;
  return undefined;
};
