/**
 * `cognito-sentinel setup-canary --user-pool-id ID --client-id ID [--username NAME]
 * [--secret-name NAME] [--region REGION] [--rotate] [--remove]`
 *
 * Creates the canary user (AdminCreateUser with MessageAction SUPPRESS, so nobody is emailed), gives
 * it a strong random password that satisfies the pool's password policy (read from
 * DescribeUserPool), stores the password in Secrets Manager and prints the config lines to paste.
 * Idempotent: a second run reports what exists and changes nothing; `--rotate` sets and stores a new
 * password; `--remove` deletes the user and schedules the secret for deletion. The password is
 * never printed or logged.
 */
import { randomInt } from 'node:crypto';
import { parseArgs } from 'node:util';
import {
  AdminCreateUserCommand,
  AdminDeleteUserCommand,
  AdminGetUserCommand,
  AdminSetUserPasswordCommand,
  CognitoIdentityProviderClient,
  DescribeUserPoolClientCommand,
  DescribeUserPoolCommand,
  type PasswordPolicyType,
} from '@aws-sdk/client-cognito-identity-provider';
import {
  CreateSecretCommand,
  DeleteSecretCommand,
  DescribeSecretCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  RestoreSecretCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { enrolTotp } from '../canary/enrol-totp';
import { userPoolIdSchema } from '../config/pool-config';
import { awsClientOptions } from '../runtime/aws-client-options';
import { type CliIo, EXIT, UsageError } from './usage-error';

export const SETUP_CANARY_USAGE = `Usage: cognito-sentinel setup-canary --user-pool-id ID --client-id ID [options]

Creates the canary user in the pool (no invitation is sent), sets a strong random password that
satisfies the pool's password policy, stores it in Secrets Manager and prints the lines to paste
into sentinel.config.yml. Running it again changes nothing unless you pass --rotate. The password
is never printed.

Options:
  --user-pool-id ID    the pool (required)
  --client-id ID       the app client the canary signs in with (required; checked for ADMIN_USER_PASSWORD_AUTH)
  --username NAME      the canary user (default cognito-sentinel-canary; an email address for pools
                       that sign in by email)
  --secret-name NAME   the Secrets Manager secret (default cognito-sentinel/canary/<user-pool-id>)
  --region REGION      default: the region in the pool id
  --mfa totp           also enrol a TOTP factor for the canary user (AssociateSoftwareToken,
                       VerifySoftwareToken, AdminSetUserMFAPreference) and store its seed beside
                       the password (<secret-name>/totp); the seed is never printed
  --rotate             set and store a new password for an existing canary user (with --mfa
                       totp, enrol a new TOTP factor too)
  --remove             delete the canary user and schedule the secret for deletion (7 days)
  -h, --help           show this help

Exit codes: 0 done (or nothing to do), 1 the canary needs attention (the message says what to do),
2 bad usage. Uses the standard AWS credential chain.`;

export const DEFAULT_CANARY_USERNAME = 'cognito-sentinel-canary';
/** Days Secrets Manager keeps a deleted secret recoverable (`--remove`); 7 is its minimum. */
export const SECRET_RECOVERY_DAYS = 7;

const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const DIGITS = '0123456789';
/** Cognito's accepted special characters, less the ones that make copy-paste and shells awkward. */
const SYMBOLS = '^$*.[]{}()?!@#%&/,><:;|_~=+-';
/** Longest password Cognito accepts. */
const MAX_PASSWORD_LENGTH = 256;
/** Our floor: far above any brute-force reach, whatever the pool's own minimum. */
const MIN_GENERATED_LENGTH = 32;

/**
 * A random password that satisfies the policy: at least the policy's minimum length (and 32), one
 * character of every required class, every character chosen with `crypto.randomInt`.
 */
export const generatePassword = (policy: PasswordPolicyType = {}, random = randomInt): string => {
  const length = Math.min(
    MAX_PASSWORD_LENGTH,
    Math.max(MIN_GENERATED_LENGTH, policy.MinimumLength ?? MIN_GENERATED_LENGTH),
  );
  // Every class is always included, so the password fits any combination of requirements.
  const classes = [LOWER, UPPER, DIGITS, SYMBOLS];
  const all = classes.join('');
  const pick = (alphabet: string) => alphabet.charAt(random(alphabet.length));
  const chars = classes.map(pick);
  while (chars.length < length) chars.push(pick(all));
  for (let index = chars.length - 1; index > 0; index -= 1) {
    const other = random(index + 1);
    [chars[index], chars[other]] = [chars[other] as string, chars[index] as string];
  }
  return chars.join('');
};

export interface SetupCanaryDeps {
  cognito?: (region: string) => Pick<CognitoIdentityProviderClient, 'send'>;
  secrets?: (region: string) => Pick<SecretsManagerClient, 'send'>;
  generate?: (policy: PasswordPolicyType) => string;
}

const isError = (error: unknown, ...names: string[]) => names.includes((error as Error).name);

const regionOf = (userPoolId: string): string => userPoolId.slice(0, userPoolId.indexOf('_'));

export const toConfigLines = (options: {
  userPoolId: string;
  clientId?: string;
  username: string;
  secretName: string;
  /** Where the TOTP seed is stored, when the canary user has one. */
  seedName?: string;
}) =>
  [
    `Paste under the pool ${options.userPoolId} in sentinel.config.yml:`,
    '',
    '    canary:',
    `      username: ${options.username}`,
    `      password: secretsmanager:${options.secretName}`,
    ...(options.seedName === undefined
      ? []
      : ['      mfa:', `        totpSecret: secretsmanager:${options.seedName}`]),
    '',
    'Verify with one canary cycle:',
    '',
    `    npx cognito-sentinel check --user-pool-id ${options.userPoolId} --client-id ${options.clientId ?? '<client-id>'} --username ${options.username} --password-from secretsmanager:${options.secretName}${options.seedName === undefined ? '' : ` --totp-secret-from secretsmanager:${options.seedName}`}`,
    '',
  ].join('\n');

/** Names of the MFA factors `--mfa` can enrol. */
export const SETUP_MFA_FACTORS = ['totp'] as const;

type SecretState = 'absent' | 'present' | 'deleted';

const secretStateOf = (secrets: Pick<SecretsManagerClient, 'send'>, name: string): Promise<SecretState> =>
  secrets
    .send(new DescribeSecretCommand({ SecretId: name }))
    .then((described): SecretState => (described.DeletedDate ? 'deleted' : 'present'))
    .catch((error: unknown) => {
      if (isError(error, 'ResourceNotFoundException')) return 'absent' as const;
      throw error;
    });

/** Stores a value as the secret's current version: creates the secret, restores it from deletion, or adds a version. */
const storeSecret = async (
  secrets: Pick<SecretsManagerClient, 'send'>,
  input: {
    name: string;
    value: string;
    state: SecretState;
    description: string;
    userPoolId: string;
    username: string;
  },
): Promise<void> => {
  if (input.state === 'absent') {
    await secrets.send(
      new CreateSecretCommand({
        Name: input.name,
        SecretString: input.value,
        Description: input.description,
        Tags: [
          { Key: 'cognito-sentinel:user-pool-id', Value: input.userPoolId },
          { Key: 'cognito-sentinel:username', Value: input.username },
        ],
      }),
    );
    return;
  }
  if (input.state === 'deleted') await secrets.send(new RestoreSecretCommand({ SecretId: input.name }));
  await secrets.send(new PutSecretValueCommand({ SecretId: input.name, SecretString: input.value }));
};

export const setupCanary = async (
  argv: readonly string[],
  io: CliIo,
  deps: SetupCanaryDeps = {},
): Promise<number> => {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    options: {
      'user-pool-id': { type: 'string' },
      'client-id': { type: 'string' },
      username: { type: 'string' },
      'secret-name': { type: 'string' },
      region: { type: 'string' },
      rotate: { type: 'boolean' },
      remove: { type: 'boolean' },
      mfa: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    io.stdout(`${SETUP_CANARY_USAGE}\n`);
    return EXIT.ok;
  }
  const userPoolId = values['user-pool-id'];
  if (!userPoolId) throw new UsageError('setup-canary: --user-pool-id is required');
  if (!userPoolIdSchema.safeParse(userPoolId).success)
    throw new UsageError(`--user-pool-id "${userPoolId}": expected a user pool id such as us-east-1_AbC123`);
  const clientId = values['client-id'];
  if (!clientId && !values.remove) throw new UsageError('setup-canary: --client-id is required');
  if (values.rotate && values.remove)
    throw new UsageError('setup-canary: --rotate and --remove exclude each other');
  if (values.mfa !== undefined && !(SETUP_MFA_FACTORS as readonly string[]).includes(values.mfa)) {
    throw new UsageError(
      `setup-canary: --mfa ${values.mfa}: only totp can be enrolled (a canary cannot read SMS or email codes)`,
    );
  }
  const region = values.region ?? regionOf(userPoolId);
  const username = values.username ?? DEFAULT_CANARY_USERNAME;
  const secretName = values['secret-name'] ?? `cognito-sentinel/canary/${userPoolId}`;
  const cognito = (
    deps.cognito ?? ((r) => new CognitoIdentityProviderClient({ ...awsClientOptions('cognito'), region: r }))
  )(region);
  const secrets = (
    deps.secrets ?? ((r) => new SecretsManagerClient({ ...awsClientOptions('secrets'), region: r }))
  )(region);
  const generate = deps.generate ?? generatePassword;
  const say = (text: string) => io.stdout(`${text}\n`);

  if (values.remove) {
    try {
      await cognito.send(new AdminDeleteUserCommand({ UserPoolId: userPoolId, Username: username }));
      say(`Deleted the canary user ${username} from ${userPoolId}.`);
    } catch (error) {
      if (!isError(error, 'UserNotFoundException')) throw error;
      say(`No canary user ${username} in ${userPoolId}: nothing to delete.`);
    }
    const described = await secrets
      .send(new DescribeSecretCommand({ SecretId: secretName }))
      .catch((error: unknown) => {
        if (isError(error, 'ResourceNotFoundException')) return undefined;
        throw error;
      });
    if (described === undefined) say(`No secret ${secretName}: nothing to delete.`);
    else if (described.DeletedDate)
      say(
        `The secret ${secretName} is already scheduled for deletion on ${described.DeletedDate.toISOString()}.`,
      );
    else {
      await secrets.send(
        new DeleteSecretCommand({ SecretId: secretName, RecoveryWindowInDays: SECRET_RECOVERY_DAYS }),
      );
      say(
        `Scheduled the secret ${secretName} for deletion in ${SECRET_RECOVERY_DAYS} days (aws secretsmanager restore-secret --secret-id ${secretName} undoes it).`,
      );
    }
    say(`Remove the canary lines of ${userPoolId} from sentinel.config.yml.`);
    return EXIT.ok;
  }

  const { UserPool: pool } = await cognito.send(new DescribeUserPoolCommand({ UserPoolId: userPoolId }));
  const signsInBy = pool?.UsernameAttributes ?? [];
  if (signsInBy.includes('email') && !username.includes('@')) {
    throw new UsageError(
      `${userPoolId} signs users in by email: pass --username with an address you control (no message is sent to it)`,
    );
  }
  const { UserPoolClient: client } = await cognito.send(
    new DescribeUserPoolClientCommand({ UserPoolId: userPoolId, ClientId: clientId }),
  );
  const flows = client?.ExplicitAuthFlows ?? [];
  let warnings = 0;
  if (!flows.includes('ALLOW_ADMIN_USER_PASSWORD_AUTH') && !flows.includes('ADMIN_NO_SRP_AUTH')) {
    warnings += 1;
    io.stderr(
      `warning: app client ${clientId} does not allow ALLOW_ADMIN_USER_PASSWORD_AUTH; the canary signs in with it. Enable it: aws cognito-idp update-user-pool-client --user-pool-id ${userPoolId} --client-id ${clientId} --explicit-auth-flows ALLOW_ADMIN_USER_PASSWORD_AUTH ALLOW_REFRESH_TOKEN_AUTH ... (list the flows you already use too)\n`,
    );
  }
  if (client?.ClientSecret) {
    io.stderr(
      `note: app client ${clientId} has a secret; store it in Secrets Manager and add "secret: secretsmanager:<name>" to the client in sentinel.config.yml\n`,
    );
  }

  const userExists = await cognito
    .send(new AdminGetUserCommand({ UserPoolId: userPoolId, Username: username }))
    .then(() => true)
    .catch((error: unknown) => {
      if (isError(error, 'UserNotFoundException')) return false;
      throw error;
    });
  const secretState = await secretStateOf(secrets, secretName);
  const seedName = values.mfa === 'totp' ? `${secretName}/totp` : undefined;
  /** Enrols TOTP and stores the seed beside the password (before VerifySoftwareToken makes it count). */
  const enrolAndStore = async (userPassword: string): Promise<void> => {
    if (seedName === undefined || clientId === undefined) return;
    const seedState = await secretStateOf(secrets, seedName);
    const currentSeed =
      seedState === 'present'
        ? (await secrets.send(new GetSecretValueCommand({ SecretId: seedName }))).SecretString
        : undefined;
    await enrolTotp(cognito, {
      userPoolId,
      clientId,
      ...(client?.ClientSecret ? { clientSecret: client.ClientSecret } : {}),
      username,
      password: userPassword,
      ...(currentSeed === undefined ? {} : { currentSeed }),
      beforeVerify: (seed) =>
        storeSecret(secrets, {
          name: seedName,
          value: seed,
          state: seedState,
          description: `cognito-sentinel canary TOTP seed for ${username} in ${userPoolId}`,
          userPoolId,
          username,
        }),
    });
    say(
      `Enrolled a TOTP factor for ${username} (AssociateSoftwareToken, VerifySoftwareToken, AdminSetUserMFAPreference) and stored its seed in ${seedName}.`,
    );
  };

  if (userExists && !values.rotate) {
    if (secretState === 'present') {
      if (seedName !== undefined && (await secretStateOf(secrets, seedName)) !== 'present') {
        const stored = await secrets.send(new GetSecretValueCommand({ SecretId: secretName }));
        await enrolAndStore(stored.SecretString ?? '');
      } else {
        say(
          `The canary user ${username} and its secret ${secretName} already exist; nothing changed (--rotate sets a new password).`,
        );
      }
      say(
        toConfigLines({
          userPoolId,
          clientId,
          username,
          secretName,
          ...(seedName === undefined ? {} : { seedName }),
        }),
      );
      return warnings > 0 ? EXIT.found : EXIT.ok;
    }
    io.stderr(
      `The canary user ${username} exists but its secret ${secretName} is ${secretState === 'deleted' ? 'scheduled for deletion' : 'missing'}; its password cannot be recovered. Run again with --rotate to set a new one and store it.\n`,
    );
    return EXIT.found;
  }

  const password = generate(pool?.Policies?.PasswordPolicy ?? {});
  // Store first: once Cognito has the password, the secret already holds it.
  await storeSecret(secrets, {
    name: secretName,
    value: password,
    state: secretState,
    description: `cognito-sentinel canary password for ${username} in ${userPoolId}`,
    userPoolId,
    username,
  });
  if (!userExists) {
    await cognito.send(
      new AdminCreateUserCommand({ UserPoolId: userPoolId, Username: username, MessageAction: 'SUPPRESS' }),
    );
  }
  await cognito.send(
    new AdminSetUserPasswordCommand({
      UserPoolId: userPoolId,
      Username: username,
      Password: password,
      Permanent: true,
    }),
  );
  say(
    userExists
      ? `Rotated the password of ${username} in ${userPoolId} and stored it as a new version of ${secretName}.`
      : `Created the canary user ${username} in ${userPoolId} (confirmed, permanent password) and stored its password in ${secretName}.`,
  );
  await enrolAndStore(password);
  say(
    toConfigLines({
      userPoolId,
      clientId,
      username,
      secretName,
      ...(seedName === undefined ? {} : { seedName }),
    }),
  );
  return warnings > 0 ? EXIT.found : EXIT.ok;
};
