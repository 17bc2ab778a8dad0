/**
 * `cognito-sentinel check --user-pool-id ID --client-id ID --username NAME [options]`: one canary
 * cycle against a real pool (sign-in, token verification, GetUser, refresh, clean-up), the same code
 * the scheduled function runs. This is what an engineer runs to prove a fix.
 *
 * Uses the standard AWS credential chain and honours `AWS_ENDPOINT_URL` (and
 * `AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER`): with an endpoint set, tokens are verified against
 * the emulator's issuer and JWKS. Exit codes: 0 nothing at or above `--fail-on`, 1 found something,
 * 2 bad usage or an unreadable input (a secret that cannot be read is named on stderr).
 */
import { toAlerts } from '../alerts/to-alerts';
import { createAuditClients } from '../audit/aws-clients';
import { cognitoEndpointFrom, createCognitoClient, createRegionalSecrets } from '../canary/aws-clients';
import type { CognitoClient } from '../canary/cycle-context';
import { type CanaryRunResult, createCanaryRunner } from '../canary/runner';
import { type PoolConfig, poolConfigSchema, userPoolIdSchema } from '../config/pool-config';
import type { SecretResolver } from '../config/secrets';
import { runCanaryDetectors } from '../detectors';
import {
  type CanaryObservation,
  type CanaryStep,
  isStepSuccessful,
  stepOf,
} from '../detectors/canary-observations';
import { DEFAULT_DETECTOR_CONFIG, type Finding, SEVERITIES } from '../detectors/types';
import { redact, redactDeep } from '../redaction/redact';
import { type AuditDeps, auditPools, auditStderrLines } from './audit';
import { type CommandRun, parseCommandArgs, printUsage } from './command-args';
import { exitCodeFor, FINDING_OUTPUT_OPTIONS, toFindingOutput } from './finding-output';
import { EXIT, UsageError } from './usage-error';

/** Where the canary password is read from when `--password-from` is not given. */
export const DEFAULT_PASSWORD_FROM = 'env:SENTINEL_CANARY_PASSWORD';
/** How long one check may take, in ms. */
export const CHECK_TIME_BUDGET_MS = 60_000;

export const CHECK_USAGE = `Usage: cognito-sentinel check --user-pool-id ID --client-id ID --username NAME [options]

Runs one canary cycle against the pool: sign-in (ADMIN_USER_PASSWORD_AUTH), verification of the ID
and access tokens (signature, iss, token_use, aud/client_id, exp, lifetime), GetUser, refresh, and
clean-up, and the config audit of the pool (trigger wiring; no drift: see 'audit --snapshot-file').
Prints what failed with its cause and runbook section. Uses the standard AWS credential
chain; honours AWS_ENDPOINT_URL.

Options:
  --user-pool-id ID            the pool (required)
  --client-id ID               the app client (required; needs ALLOW_ADMIN_USER_PASSWORD_AUTH)
  --username NAME              the canary user (required)
  --password-from REF          where the password is: secretsmanager:NAME[#key], ssm:PATH or env:VAR
                               (default ${DEFAULT_PASSWORD_FROM})
  --client-secret-from REF     where the client secret is, for a client that has one
  --totp-secret-from REF       where the canary user's TOTP seed is, for a pool that asks for MFA
                               (enrol with setup-canary --mfa totp); SMS and email codes cannot be
                               read by a canary
  --flow admin-user-password|user-auth
                               the sign-in flow (default admin-user-password; user-auth is
                               USER_AUTH with PREFERRED_CHALLENGE=PASSWORD, client needs ALLOW_USER_AUTH)
  --oauth-domain URL           the pool's hosted UI domain (a Cognito prefix, a custom domain or a
                               URL; http:// for a local stand-in): probes the hosted UI and, with
                               --scope, the token endpoint
  --redirect-uri URL           a redirect URI the web app sends (repeatable); /oauth2/authorize must
                               lead it to the sign-in page, else cause redirect-mismatch
  --oidc-discovery-url URL     the OIDC discovery document (default: the pool issuer's)
  --scope SCOPE                request a client_credentials token with this scope (repeatable;
                               needs --client-secret-from and --oauth-domain)
  --region R                   default: the region in the pool id, else AWS_REGION
  --format json|text           json: one finding per line; text: the report (default on a terminal)
  --fail-on SEVERITY           exit 1 when a finding is at or above it: ${SEVERITIES.join('|')} (default error)
  -h, --help                   show this help

Exit codes: 0 nothing at or above --fail-on, 1 found something, 2 bad usage or unreadable input.`;

/** The AWS side of a check; tests point it at an emulator. */
export interface CheckDeps {
  cognito: (region: string) => CognitoClient;
  secrets: (region: string) => SecretResolver;
  endpoint?: string;
  /** The config audit of the pool (drift is not reported: a check keeps no snapshot); absent: canary only. */
  audit?: AuditDeps;
}

/** The standard credential chain, the endpoint from the environment, `env:` secrets allowed (CLI). */
export const defaultCheckDeps = (env: Readonly<Record<string, string | undefined>>): CheckDeps => {
  const endpoint = cognitoEndpointFrom(env);
  return {
    cognito: (region) => createCognitoClient(region, endpoint),
    secrets: createRegionalSecrets({ env, allowEnv: true }),
    ...(endpoint === undefined ? {} : { endpoint }),
    audit: { clients: createAuditClients(env) },
  };
};

const REGION_PREFIX = /^([a-z]{2}(?:-[a-z]+)+-\d)_/;

const OPTION_OF_PATH: Readonly<Record<string, string>> = {
  userPoolId: '--user-pool-id',
  region: '--region',
  'clients.0.clientId': '--client-id',
  'clients.0.secret': '--client-secret-from',
  'canary.username': '--username',
  'canary.password': '--password-from',
  'canary.mfa.totpSecret': '--totp-secret-from',
  'canary.flow': '--flow',
  domain: '--oauth-domain',
  oidcDiscoveryUrl: '--oidc-discovery-url',
  'clients.0.expect.callbackUrls': '--redirect-uri',
  'clients.0.clientCredentials.scopes': '--scope',
};

const required = (value: string | boolean | string[] | undefined, option: string): string => {
  if (typeof value !== 'string' || value.trim() === '')
    throw new UsageError(`check: ${option} is required\n\n${CHECK_USAGE}`);
  return value;
};

/** The pool config the flags describe, validated by the same schema as sentinel.config.yml. */
export const toCheckPoolConfig = (
  values: Readonly<Record<string, string | boolean | string[] | undefined>>,
  env: Readonly<Record<string, string | undefined>>,
): PoolConfig => {
  const userPoolId = required(values['user-pool-id'], '--user-pool-id');
  const clientId = required(values['client-id'], '--client-id');
  const username = required(values.username, '--username');
  const optional = (name: string): string | undefined => {
    const value = values[name];
    return typeof value === 'string' ? value : undefined;
  };
  const region =
    optional('region') ??
    REGION_PREFIX.exec(userPoolId)?.[1] ??
    env.AWS_REGION ??
    env.AWS_DEFAULT_REGION ??
    undefined;
  const poolId = userPoolIdSchema.safeParse(userPoolId);
  if (!poolId.success) throw new UsageError(`check: --user-pool-id: ${poolId.error.issues[0]?.message}`);
  if (region === undefined)
    throw new UsageError('check: --region is required for a pool id without a region prefix');
  const clientSecret = optional('client-secret-from');
  const totpSecret = optional('totp-secret-from');
  const flow = optional('flow');
  const oauthDomain = optional('oauth-domain');
  const discoveryUrl = optional('oidc-discovery-url');
  const list = (name: string): string[] => {
    const value = values[name];
    return Array.isArray(value) ? value : [];
  };
  const redirectUris = list('redirect-uri');
  const scopes = list('scope');
  if ((redirectUris.length > 0 || scopes.length > 0) && oauthDomain === undefined) {
    throw new UsageError('check: --redirect-uri and --scope need --oauth-domain');
  }
  const parsed = poolConfigSchema.safeParse({
    userPoolId,
    region,
    clients: [
      {
        clientId,
        ...(clientSecret === undefined ? {} : { secret: clientSecret }),
        ...(redirectUris.length === 0 ? {} : { expect: { callbackUrls: redirectUris } }),
        ...(scopes.length === 0 ? {} : { clientCredentials: { scopes } }),
      },
    ],
    ...(oauthDomain === undefined ? {} : { domain: oauthDomain }),
    ...(discoveryUrl === undefined ? {} : { oidcDiscoveryUrl: discoveryUrl }),
    canary: {
      username,
      password: optional('password-from') ?? DEFAULT_PASSWORD_FROM,
      ...(totpSecret === undefined ? {} : { mfa: { totpSecret } }),
      ...(flow === undefined ? {} : { flow }),
    },
  });
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const path = issue.path.join('.');
      return `${OPTION_OF_PATH[path] ?? path}: ${issue.message}`;
    });
    throw new UsageError(`check: ${problems.join('; ')}`);
  }
  return parsed.data;
};

/** A problem of the run as the CLI names it: the option whose input could not be read, when it is one. */
const describeProblem = (message: string): string => {
  const secret = /^(.*?): (SecretResolutionError: [\s\S]*)$/.exec(message);
  if (secret === null) return redact(message);
  const option = secret[1]?.includes('canary.password')
    ? '--password-from'
    : secret[1]?.includes('canary.mfa.totpSecret')
      ? '--totp-secret-from'
      : '--client-secret-from';
  return `${option}: ${redact(secret[2] ?? '')}`;
};

const STATUS_WIDTH = 26;

const stepLines = (observations: readonly CanaryObservation[]): string[] => {
  const steps = new Map<CanaryStep, { ok: boolean; ms: number }>();
  for (const observation of observations) {
    const step = stepOf(observation);
    const seen = steps.get(step);
    steps.set(step, {
      ok: (seen?.ok ?? true) && isStepSuccessful(observation),
      ms: (seen?.ms ?? 0) + observation.durationMs,
    });
  }
  return [...steps.entries()].map(
    ([step, { ok, ms }]) => `  ${step.padEnd(STATUS_WIDTH)}${ok ? 'ok    ' : 'FAILED'}  ${Math.round(ms)} ms`,
  );
};

const renderText = (pool: PoolConfig, run: CanaryRunResult, findings: readonly Finding[]): string => {
  const client = pool.clients[0]?.clientId ?? '';
  const header = `Canary check of ${pool.userPoolId}, app client ${client} (${pool.region})`;
  const steps = stepLines(run.observations);
  const alerts = toAlerts([...findings]);
  const summary =
    findings.length === 0
      ? 'All checks passed.'
      : `${findings.length} finding${findings.length === 1 ? '' : 's'} in ${alerts.length} incident${alerts.length === 1 ? '' : 's'}.`;
  const body = [header, ...steps, '', summary].join('\n');
  if (alerts.length === 0) return `${body}\n`;
  const rule = `${'='.repeat(78)}\n`;
  return `${body}\n\n${alerts.map((alert) => `${rule}${alert.report.trimEnd()}\n`).join('\n')}`;
};

export const check: CommandRun<CheckDeps> = async (argv, io, deps = defaultCheckDeps(io.env)) => {
  const { values } = parseCommandArgs(argv, {
    'user-pool-id': { type: 'string' },
    'client-id': { type: 'string' },
    username: { type: 'string' },
    'password-from': { type: 'string' },
    'client-secret-from': { type: 'string' },
    'totp-secret-from': { type: 'string' },
    flow: { type: 'string' },
    'oauth-domain': { type: 'string' },
    'redirect-uri': { type: 'string', multiple: true },
    'oidc-discovery-url': { type: 'string' },
    scope: { type: 'string', multiple: true },
    region: { type: 'string' },
    ...FINDING_OUTPUT_OPTIONS,
  });
  if (values.help) return printUsage(io, CHECK_USAGE);
  const { format, failOn } = toFindingOutput(values, io);
  const pool = toCheckPoolConfig(values, io.env);

  const runner = createCanaryRunner({
    cognito: deps.cognito,
    secrets: deps.secrets,
    ...(deps.endpoint === undefined ? {} : { endpoint: deps.endpoint }),
  });
  // `--redirect-uri` names URLs for the hosted UI probe, not the client's whole callback list, so
  // the audit of `check` does not compare the client's CallbackURLs against them.
  const auditedPool = {
    ...pool,
    clients: pool.clients.map(({ expect, ...client }) => {
      const { callbackUrls: _probeOnly, ...rest } = expect ?? {};
      return Object.keys(rest).length === 0 ? client : { ...client, expect: rest };
    }),
  };
  const [run, audited] = await Promise.all([
    runner.run([pool], { timeBudgetMs: CHECK_TIME_BUDGET_MS, m2m: 'always' }),
    deps.audit === undefined ? undefined : auditPools([auditedPool], deps.audit),
  ]);
  const findings = [
    ...runCanaryDetectors(run.observations, { config: DEFAULT_DETECTOR_CONFIG, now: new Date() }),
    ...(audited?.findings ?? []),
  ];

  if (format === 'json') {
    for (const finding of findings) io.stdout(`${JSON.stringify(redactDeep(finding))}\n`);
  } else if (run.problems.length === 0) {
    io.stdout(renderText(pool, run, findings));
  }
  for (const note of run.notes) io.stderr(`note: ${redact(note.message)}\n`);
  if (audited !== undefined) for (const line of auditStderrLines(audited, undefined)) io.stderr(`${line}\n`);
  for (const problem of run.problems) io.stderr(`error: ${describeProblem(problem.message)}\n`);
  if (run.problems.length > 0) return EXIT.usage;
  return exitCodeFor(findings, failOn);
};

/** The `check` command, as the CLI loads it. */
export const COMMAND = { run: check, usage: CHECK_USAGE };
