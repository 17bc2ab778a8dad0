/**
 * `cognito-sentinel setup-canary --user-pool-id ID --client-id ID [--username NAME]
 * [--store ssm|secretsmanager] [--secret-name NAME] [--region REGION] [--mfa totp] [--rotate] [--remove]`
 *
 * Creates the canary user (AdminCreateUser with MessageAction SUPPRESS, so nobody is emailed), gives
 * it a strong random password that satisfies the pool's password policy (read from
 * DescribeUserPool), stores the password (an SSM SecureString parameter by default, or a Secrets
 * Manager secret) under a name of its own per pool and user, and prints the config lines to paste.
 * Idempotent: a second run reports what exists and changes nothing; `--rotate` sets and stores a new
 * password; `--remove` deletes the user and its stored password. A stored password that belongs
 * to another canary user is never overwritten or deleted. The password is never printed or logged.
 */
import { randomInt } from 'node:crypto';
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
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SSMClient } from '@aws-sdk/client-ssm';
import { enrolTotp } from '../canary/enrol-totp';
import { userPoolIdSchema } from '../config/pool-config';
import { awsClientOptions } from '../runtime/aws-client-options';
import {
  createSecretsManagerPasswordStore,
  createSsmPasswordStore,
  defaultPasswordName,
  ownershipProblem,
  PASSWORD_STORES,
  type PasswordStore,
  type PasswordStoreKind,
} from './canary-password-store';
import { type CommandRun, parseCommandArgs, printUsage } from './command-args';
import { EXIT, UsageError } from './usage-error';

export const SETUP_CANARY_USAGE = `Usage: cognito-sentinel setup-canary --user-pool-id ID --client-id ID [options]

Creates the canary user in the pool (no invitation is sent), sets a strong random password that
satisfies the pool's password policy, stores it (an SSM SecureString parameter by default, no
monthly charge; or a Secrets Manager secret) and prints the lines to paste into
sentinel.config.yml. Each canary user gets its own parameter or secret; one that belongs to
another user is never overwritten. Running it again changes nothing unless you pass --rotate. The
password is never printed.

Options:
  --user-pool-id ID    the pool (required)
  --client-id ID       the app client the canary signs in with (required; checked for ADMIN_USER_PASSWORD_AUTH)
  --username NAME      the canary user (default cognito-sentinel-canary; an email address for pools
                       that sign in by email)
  --store STORE        ssm (default: a SecureString parameter) or secretsmanager
  --secret-name NAME   the parameter or secret (default /cognito-sentinel/canary/<user-pool-id>/<username>
                       for ssm, cognito-sentinel/canary/<user-pool-id>/<username> for secretsmanager)
  --region REGION      default: the region in the pool id
  --mfa totp           also enrol a TOTP factor for the canary user (AssociateSoftwareToken,
                       VerifySoftwareToken, AdminSetUserMFAPreference) and store its seed beside
                       the password (<name>/totp, same store); the seed is never printed
  --rotate             set and store a new password for an existing canary user (with --mfa
                       totp, enrol a new TOTP factor too)
  --remove             delete the canary user, its password and its TOTP seed (a secret stays
                       recoverable for 7 days)
  -h, --help           show this help

Exit codes: 0 done (or nothing to do), 1 the canary needs attention (the message says what to do),
2 bad usage. Uses the standard AWS credential chain.`;

export const DEFAULT_CANARY_USERNAME = 'cognito-sentinel-canary';

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
  ssm?: (region: string) => Pick<SSMClient, 'send'>;
  generate?: (policy: PasswordPolicyType) => string;
}

const isError = (error: unknown, ...names: string[]) => names.includes((error as Error).name);

const regionOf = (userPoolId: string): string => userPoolId.slice(0, userPoolId.indexOf('_'));

export const toConfigLines = (options: {
  userPoolId: string;
  clientId?: string;
  username: string;
  /** The reference to the stored password, `ssm:/...` or `secretsmanager:...`. */
  passwordRef: string;
  /** The reference to the stored TOTP seed, when the canary user has one. */
  seedRef?: string;
}) =>
  [
    `Paste under the pool ${options.userPoolId} in sentinel.config.yml:`,
    '',
    '    canary:',
    `      username: ${options.username}`,
    `      password: ${options.passwordRef}`,
    ...(options.seedRef === undefined ? [] : ['      mfa:', `        totpSecret: ${options.seedRef}`]),
    '',
    'Verify with one canary cycle:',
    '',
    `    npx cognito-sentinel check --user-pool-id ${options.userPoolId} --client-id ${options.clientId ?? '<client-id>'} --username ${options.username} --password-from ${options.passwordRef}${options.seedRef === undefined ? '' : ` --totp-secret-from ${options.seedRef}`}`,
    '',
  ].join('\n');

/** Names of the MFA factors `--mfa` can enrol (a canary cannot read SMS or email codes). */
export const SETUP_MFA_FACTORS = ['totp'] as const;

export const setupCanary: CommandRun<SetupCanaryDeps> = async (argv, io, deps = {}) => {
  const { values } = parseCommandArgs(argv, {
    'user-pool-id': { type: 'string' },
    'client-id': { type: 'string' },
    username: { type: 'string' },
    store: { type: 'string' },
    'secret-name': { type: 'string' },
    region: { type: 'string' },
    mfa: { type: 'string' },
    rotate: { type: 'boolean' },
    remove: { type: 'boolean' },
  });
  if (values.help) return printUsage(io, SETUP_CANARY_USAGE);
  const userPoolId = values['user-pool-id'];
  if (!userPoolId) throw new UsageError('setup-canary: --user-pool-id is required');
  if (!userPoolIdSchema.safeParse(userPoolId).success)
    throw new UsageError(`--user-pool-id "${userPoolId}": expected a user pool id such as us-east-1_AbC123`);
  const clientId = values['client-id'];
  if (!clientId && !values.remove) throw new UsageError('setup-canary: --client-id is required');
  if (values.rotate && values.remove)
    throw new UsageError('setup-canary: --rotate and --remove exclude each other');
  if (values.mfa !== undefined && !(SETUP_MFA_FACTORS as readonly string[]).includes(values.mfa))
    throw new UsageError(
      `setup-canary: --mfa ${values.mfa}: only totp can be enrolled (a canary cannot read SMS or email codes)`,
    );
  const kind = (values.store ?? 'ssm') as PasswordStoreKind;
  if (!PASSWORD_STORES.includes(kind))
    throw new UsageError(`--store "${values.store}": expected ${PASSWORD_STORES.join(' or ')}`);
  const region = values.region ?? regionOf(userPoolId);
  const username = values.username ?? DEFAULT_CANARY_USERNAME;
  const storeName = values['secret-name'] ?? defaultPasswordName(kind, userPoolId, username);
  if (kind === 'ssm' && !/^[\w./-]+$/.test(storeName))
    throw new UsageError(
      `--secret-name "${storeName}": an SSM parameter name takes letters, digits and _ . - /`,
    );
  const cognito = (
    deps.cognito ?? ((r) => new CognitoIdentityProviderClient({ ...awsClientOptions('cognito'), region: r }))
  )(region);
  const storeAt = (name: string): PasswordStore =>
    kind === 'ssm'
      ? createSsmPasswordStore(
          (deps.ssm ?? ((r) => new SSMClient({ ...awsClientOptions('secrets'), region: r })))(region),
          name,
        )
      : createSecretsManagerPasswordStore(
          (deps.secrets ?? ((r) => new SecretsManagerClient({ ...awsClientOptions('secrets'), region: r })))(
            region,
          ),
          name,
        );
  const store = storeAt(storeName);
  // The TOTP seed lives beside the password, in the same store, with the same owner tags.
  const seedStore = storeAt(`${storeName}/totp`);
  const owner = { userPoolId, username };
  const generate = deps.generate ?? generatePassword;
  const say = (text: string) => io.stdout(`${text}\n`);
  const refuse = (problem: string) => {
    io.stderr(`${problem}\n`);
    return EXIT.found;
  };

  if (values.remove) {
    const stored = await store.describe();
    const problem = ownershipProblem(store, stored, owner);
    try {
      await cognito.send(new AdminDeleteUserCommand({ UserPoolId: userPoolId, Username: username }));
      say(`Deleted the canary user ${username} from ${userPoolId}.`);
    } catch (error) {
      if (!isError(error, 'UserNotFoundException')) throw error;
      say(`No canary user ${username} in ${userPoolId}: nothing to delete.`);
    }
    if (problem) return refuse(problem);
    say(await store.remove(stored));
    const seed = await seedStore.describe();
    if (seed.state !== 'absent') {
      const seedProblem = ownershipProblem(seedStore, seed, owner);
      if (seedProblem) return refuse(seedProblem);
      say(await seedStore.remove(seed));
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
      `note: app client ${clientId} has a secret; store it as an SSM SecureString parameter (or in Secrets Manager) and add "secret: ssm:<name>" to the client in sentinel.config.yml\n`,
    );
  }

  const userExists = await cognito
    .send(new AdminGetUserCommand({ UserPoolId: userPoolId, Username: username }))
    .then(() => true)
    .catch((error: unknown) => {
      if (isError(error, 'UserNotFoundException')) return false;
      throw error;
    });
  const stored = await store.describe();
  const withMfa = values.mfa === 'totp';
  const seedStored = withMfa ? await seedStore.describe() : undefined;
  // Checked before anything changes: the user is not created and no password or seed is set.
  const problem =
    ownershipProblem(store, stored, owner) ??
    (seedStored === undefined ? undefined : ownershipProblem(seedStore, seedStored, owner));
  if (problem) return refuse(problem);
  const lines = toConfigLines({
    userPoolId,
    clientId,
    username,
    passwordRef: store.ref,
    ...(withMfa ? { seedRef: seedStore.ref } : {}),
  });

  /** Enrols TOTP and stores the seed (before VerifySoftwareToken makes it count). */
  const enrolAndStore = async (userPassword: string, fresh: boolean): Promise<void> => {
    if (seedStored === undefined || clientId === undefined) return;
    // A user just created has no factor yet; an existing one signs in with the seed it has.
    const currentSeed = !fresh && seedStored.state === 'present' ? await seedStore.read() : undefined;
    await enrolTotp(cognito, {
      userPoolId,
      clientId,
      ...(client?.ClientSecret ? { clientSecret: client.ClientSecret } : {}),
      username,
      password: userPassword,
      ...(currentSeed === undefined ? {} : { currentSeed }),
      beforeVerify: (seed) =>
        seedStored.state === 'absent' ? seedStore.create(seed, owner) : seedStore.replace(seed, seedStored),
    });
    say(
      `Enrolled a TOTP factor for ${username} (AssociateSoftwareToken, VerifySoftwareToken, AdminSetUserMFAPreference) and stored its seed in ${seedStore.ref}.`,
    );
  };

  if (userExists && !values.rotate) {
    if (stored.state === 'present') {
      if (seedStored !== undefined && seedStored.state !== 'present')
        await enrolAndStore(await store.read(), false);
      else
        say(
          `The canary user ${username} and its password ${store.ref} already exist; nothing changed (--rotate sets a new password).`,
        );
      say(lines);
      return warnings > 0 ? EXIT.found : EXIT.ok;
    }
    return refuse(
      `The canary user ${username} exists but its password ${store.ref} is ${stored.state === 'deleted' ? 'scheduled for deletion' : 'missing'}; it cannot be recovered. Run again with --rotate to set a new one and store it.`,
    );
  }

  const password = generate(pool?.Policies?.PasswordPolicy ?? {});
  // Store first: once Cognito has the password, the store already holds it.
  if (stored.state === 'absent') await store.create(password, owner);
  else await store.replace(password, stored);
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
      ? `Rotated the password of ${username} in ${userPoolId} and stored it in ${store.ref}.`
      : `Created the canary user ${username} in ${userPoolId} (confirmed, permanent password) and stored its password in ${store.ref}.`,
  );
  await enrolAndStore(password, !userExists);
  say(lines);
  return warnings > 0 ? EXIT.found : EXIT.ok;
};

/** The `setup-canary` command, as the CLI loads it. */
export const COMMAND = { run: setupCanary, usage: SETUP_CANARY_USAGE };
