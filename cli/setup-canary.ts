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
  PutSecretValueCommand,
  RestoreSecretCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
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
  --rotate             set and store a new password for an existing canary user
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
}) =>
  [
    `Paste under the pool ${options.userPoolId} in sentinel.config.yml:`,
    '',
    '    canary:',
    `      username: ${options.username}`,
    `      password: secretsmanager:${options.secretName}`,
    '',
    'Verify with one canary cycle:',
    '',
    `    npx cognito-sentinel check --user-pool-id ${options.userPoolId} --client-id ${options.clientId ?? '<client-id>'} --username ${options.username} --password-from secretsmanager:${options.secretName}`,
    '',
  ].join('\n');

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
  const secretState = await secrets
    .send(new DescribeSecretCommand({ SecretId: secretName }))
    .then((described) => (described.DeletedDate ? 'deleted' : 'present'))
    .catch((error: unknown) => {
      if (isError(error, 'ResourceNotFoundException')) return 'absent' as const;
      throw error;
    });

  if (userExists && !values.rotate) {
    if (secretState === 'present') {
      say(
        `The canary user ${username} and its secret ${secretName} already exist; nothing changed (--rotate sets a new password).`,
      );
      say(toConfigLines({ userPoolId, clientId, username, secretName }));
      return warnings > 0 ? EXIT.found : EXIT.ok;
    }
    io.stderr(
      `The canary user ${username} exists but its secret ${secretName} is ${secretState === 'deleted' ? 'scheduled for deletion' : 'missing'}; its password cannot be recovered. Run again with --rotate to set a new one and store it.\n`,
    );
    return EXIT.found;
  }

  const password = generate(pool?.Policies?.PasswordPolicy ?? {});
  // Store first: once Cognito has the password, the secret already holds it.
  if (secretState === 'absent') {
    await secrets.send(
      new CreateSecretCommand({
        Name: secretName,
        SecretString: password,
        Description: `cognito-sentinel canary password for ${username} in ${userPoolId}`,
        Tags: [
          { Key: 'cognito-sentinel:user-pool-id', Value: userPoolId },
          { Key: 'cognito-sentinel:username', Value: username },
        ],
      }),
    );
  } else {
    if (secretState === 'deleted') await secrets.send(new RestoreSecretCommand({ SecretId: secretName }));
    await secrets.send(new PutSecretValueCommand({ SecretId: secretName, SecretString: password }));
  }
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
  say(toConfigLines({ userPoolId, clientId, username, secretName }));
  return warnings > 0 ? EXIT.found : EXIT.ok;
};
