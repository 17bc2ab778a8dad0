/**
 * The scheduled canary handler against moto_server: every pool checked even when one is broken,
 * findings and passed checks handed to the alert path, EMF metrics per step, secrets read once per
 * container, and no secret, token or username in anything it writes.
 */
import {
  AdminInitiateAuthCommand,
  type AdminInitiateAuthCommandOutput,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { GetSecretValueCommand, PutSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import type { Context, ScheduledEvent } from 'aws-lambda';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CheckReport, DeliveryReport } from '../../alerts/types';
import { CanaryRunError } from '../../canary/errors';
import { createCanaryRunner } from '../../canary/runner';
import type { PoolConfig } from '../../config/pool-config';
import { createSecretResolver } from '../../config/secrets';
import { validateSentinelConfig } from '../../config/sentinel-config';
import { type MotoServer, startMoto } from '../../demo/local/moto';
import {
  CANARY_PASSWORD,
  CANARY_USERNAME,
  cognitoClient,
  createMotoPool,
  type MotoPool,
  PASSWORD_SECRET,
  poolConfigFor,
  secretClientEntry,
  secretsManagerClient,
} from '../../demo/local/moto-pool';
import {
  assertDeployedCanarySecrets,
  createHandler,
  defaultDeps,
  toMetricStep,
} from '../../functions/canary';
import { ConfigError } from '../../runtime/errors';
import { createDimensionedMetrics, type Log, type MetricSet } from '../../runtime/telemetry';
import { freshMotoPool } from '../support/moto';

const moto = await startMoto();

const event = { source: 'aws.events', 'detail-type': 'Scheduled Event' } as ScheduledEvent;
const context = (remainingMs = 30_000) =>
  ({
    functionName: 'cognito-sentinel-canary',
    awsRequestId: 'test',
    getRemainingTimeInMillis: () => remainingMs,
  }) as Context;

const recorder = () => {
  const logs: { level: string; message: string; extra: Record<string, unknown>[] }[] = [];
  const log =
    (level: string) =>
    (message: string, ...extra: Record<string, unknown>[]) => {
      logs.push({ level, message, extra });
    };
  const logger: Log = { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
  const reports: CheckReport[] = [];
  const alerts = {
    handle: async (report: CheckReport): Promise<DeliveryReport> => {
      reports.push(report);
      return { alerts: report.findings.length, delivered: [], failed: [] };
    },
  };
  return { logs, logger, reports, alerts };
};

/** EMF lines Powertools writes to stdout while `work` runs. */
const captureStdout = async <T>(work: () => Promise<T>): Promise<{ lines: string[]; result: T | Error }> => {
  const lines: string[] = [];
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    lines.push(String(chunk));
    return true;
  });
  try {
    return { lines, result: await work().catch((error: Error) => error) };
  } finally {
    spy.mockRestore();
  }
};

describe.runIf(moto)('canary handler', () => {
  const server = moto as MotoServer;
  let pool: MotoPool;
  /** Every token moto issued during the test, to prove none leaks. */
  let issued: string[];
  let secretReads: number;

  const countingCognito = (): Pick<CognitoIdentityProviderClient, 'send'> => {
    const real = cognitoClient(server.endpoint);
    return {
      send: (async (command: { input: unknown }, options?: unknown) => {
        const output = await real.send(command as never, options as never);
        if (command instanceof AdminInitiateAuthCommand) {
          const result = (output as AdminInitiateAuthCommandOutput).AuthenticationResult;
          for (const token of [result?.IdToken, result?.AccessToken, result?.RefreshToken])
            if (token) issued.push(token);
        }
        return output;
      }) as CognitoIdentityProviderClient['send'],
    };
  };

  const countingSecrets = () => {
    const real = secretsManagerClient(server.endpoint);
    return createSecretResolver({
      secretsManager: {
        send: ((command: unknown) => {
          if (command instanceof GetSecretValueCommand) secretReads += 1;
          return real.send(command as never);
        }) as typeof real.send,
      },
    });
  };

  const build = (pools: PoolConfig[], metricSet: MetricSet = 'full') => {
    const rec = recorder();
    const handler = createHandler({
      pools,
      runner: createCanaryRunner({
        cognito: countingCognito,
        secrets: countingSecrets(),
        endpoint: server.endpoint,
      }),
      alerts: rec.alerts,
      logger: rec.logger,
      metrics: createDimensionedMetrics(),
      metricSet,
      now: () => new Date('2026-11-26T09:00:00Z'),
    });
    return { handler, ...rec };
  };

  beforeEach(async () => {
    pool = await freshMotoPool(server);
    issued = [];
    secretReads = 0;
  });
  afterEach(() => vi.restoreAllMocks());
  afterAll(async () => {
    await server.stop();
  });

  it('checks every pool, hands findings and passed checks to the alert path, and emits EMF per step', async () => {
    const other = await createMotoPool(server.endpoint, 'other');
    const broken = poolConfigFor(other, {
      name: 'other',
      clients: [{ clientId: 'deleted0client0id0000000000' }],
    });
    const { handler, reports } = build([poolConfigFor(pool), broken]);

    const { lines, result } = await captureStdout(() => handler(event, context()));

    expect(result).toMatchObject({ targets: 2, findings: 1, problems: 0, alerts: 1 });
    expect(reports).toHaveLength(1);
    const [report] = reports;
    expect(report?.source).toBe('canary');
    expect(report?.now).toEqual(new Date('2026-11-26T09:00:00Z'));
    expect(report?.findings.map((finding) => [finding.detector, finding.cause, finding.userPoolId])).toEqual([
      ['canary-auth-failed', 'client-not-found', other.userPoolId],
    ]);
    expect(report?.passed).toEqual(
      expect.arrayContaining([
        `canary-auth-failed:${pool.userPoolId}:${pool.clientId}`,
        `canary-refresh-failed:${pool.userPoolId}:${pool.clientId}`,
        `token-invalid:${pool.userPoolId}:${pool.clientId}`,
      ]),
    );
    expect(report?.passed.some((prefix) => prefix.includes(other.userPoolId))).toBe(false);

    const emf = lines.filter((line) => line.includes('"_aws"')).map((line) => JSON.parse(line));
    const healthy = emf.find((blob) => blob.UserPool === pool.userPoolId);
    expect(healthy).toMatchObject({
      UserPoolClient: pool.clientId,
      SignInSuccess: 1,
      RefreshSuccess: 1,
      GetUserSuccess: 1,
    });
    expect(healthy?._aws.CloudWatchMetrics[0].Namespace).toBe('CognitoSentinel');
    expect(healthy?._aws.CloudWatchMetrics[0].Metrics).toEqual(
      expect.arrayContaining([
        { Name: 'SignInLatency', Unit: 'Milliseconds' },
        { Name: 'VerifyTokensLatency', Unit: 'Milliseconds' },
        { Name: 'SignInSuccess', Unit: 'Count' },
      ]),
    );
    expect(typeof healthy?.SignInLatency).toBe('number');
    expect(emf.find((blob) => blob.UserPool === other.userPoolId)).toMatchObject({ SignInSuccess: 0 });
    expect(emf.find((blob) => 'CanaryFindings' in blob)).toMatchObject({
      CanaryFindings: 1,
      CanaryTargetsNotChecked: 0,
    });
  });

  it('publishes one success and one latency metric per pool and client with the lean metric set', async () => {
    const other = await createMotoPool(server.endpoint, 'other');
    const broken = poolConfigFor(other, {
      name: 'other',
      clients: [{ clientId: 'deleted0client0id0000000000' }],
    });
    const { handler } = build([poolConfigFor(pool), broken], 'lean');
    const { lines } = await captureStdout(() => handler(event, context()));
    const emf = lines.filter((line) => line.includes('"_aws"')).map((line) => JSON.parse(line));
    const names = emf.flatMap((blob) =>
      blob._aws.CloudWatchMetrics[0].Metrics.map((metric: { Name: string }) => metric.Name),
    );
    expect(names.sort()).toEqual(['CanaryLatency', 'CanaryLatency', 'CanarySuccess', 'CanarySuccess']);
    expect(emf.find((blob) => blob.UserPool === pool.userPoolId)).toMatchObject({
      UserPoolClient: pool.clientId,
      CanarySuccess: 1,
    });
    expect(emf.find((blob) => blob.UserPool === other.userPoolId)).toMatchObject({ CanarySuccess: 0 });
  });

  it('checks the other pools, then fails the invocation naming the secret it could not read', async () => {
    const unreadable = poolConfigFor(pool, {
      name: 'unreadable',
      canary: { username: CANARY_USERNAME, password: 'secretsmanager:cognito-sentinel/missing' },
    });
    const { handler, reports, logs } = build([unreadable, poolConfigFor(pool)]);

    const { result } = await captureStdout(() => handler(event, context()));

    expect(result).toBeInstanceOf(CanaryRunError);
    expect((result as Error).message).toContain(
      'canary.password: SecretResolutionError: secretsmanager:cognito-sentinel/missing',
    );
    expect(reports).toHaveLength(1);
    expect(reports[0]?.passed).toContain(`canary-auth-failed:${pool.userPoolId}:${pool.clientId}`);
    expect(logs.find((entry) => entry.level === 'error')?.message).toBe(
      'The canary could not check a target',
    );
  });

  it('reads each secret once per container, not once per run', async () => {
    const config = poolConfigFor(pool, { clients: [{ clientId: pool.clientId }, secretClientEntry(pool)] });
    const { handler } = build([config]);

    await captureStdout(() => handler(event, context()));
    await captureStdout(() => handler(event, context()));

    expect(secretReads).toBe(2);
  });

  it('never writes the password, client secret, tokens or username anywhere', async () => {
    // A wrong stored password makes moto answer with the username as its message; a second client has a secret.
    const config = poolConfigFor(pool, { clients: [{ clientId: pool.clientId }, secretClientEntry(pool)] });
    const { handler: healthyHandler, logs: healthyLogs, reports: healthyReports } = build([config]);
    const healthy = await captureStdout(() => healthyHandler(event, context()));
    await pool.secretsManager.send(
      new PutSecretValueCommand({ SecretId: PASSWORD_SECRET, SecretString: `${CANARY_PASSWORD}-old` }),
    );
    const { handler, logs, reports } = build([config]);
    const broken = await captureStdout(() => handler(event, context()));

    expect(reports[0]?.findings.map((finding) => finding.cause)).toEqual([
      'incorrect-credentials',
      'incorrect-credentials',
    ]);
    expect(issued.length).toBeGreaterThan(0);
    const everything = JSON.stringify([healthy, broken, healthyLogs, logs, healthyReports, reports]);
    for (const planted of [CANARY_PASSWORD, pool.clientSecret, CANARY_USERNAME, ...issued]) {
      expect(everything).not.toContain(planted);
    }
  });

  it('keeps the alert path within the invocation: the run gets the remaining time minus the reserve', async () => {
    const seen: number[] = [];
    const rec = recorder();
    const handler = createHandler({
      pools: [],
      runner: {
        run: async (_pools, options) => {
          seen.push(options.timeBudgetMs);
          return {
            observations: [],
            findings: [],
            passed: [],
            notes: [],
            problems: [],
            roundTrips: { count: 0, totalMs: 0 },
            durationMs: 0,
          };
        },
      },
      alerts: rec.alerts,
      logger: rec.logger,
      metrics: createDimensionedMetrics(),
      reserveMs: 4_000,
    });

    await captureStdout(() => handler(event, context(29_000)));

    expect(seen).toEqual([25_000]);
  });
});

describe('canary start-up configuration', () => {
  const base = {
    pools: [
      {
        userPoolId: 'us-east-1_AbC123xyz',
        region: 'us-east-1',
        clients: [{ clientId: '4i2oaatugssocd44d40kb55kni' }],
        canary: { username: 'sentinel-canary', password: 'secretsmanager:canary/password' },
      },
    ],
  };

  it('fails at start-up naming the key of a malformed config', () => {
    const broken = { pools: [{ ...base.pools[0], clients: [{ clientId: 'not a client id!' }] }] };
    expect(() => defaultDeps({ SENTINEL_CONFIG: JSON.stringify(broken) })).toThrow(
      /SENTINEL_CONFIG: pools\.0\.clients\.0\.clientId: expected an app client id/,
    );
  });

  it('fails at start-up naming a canary cycle key that points at an unknown client', () => {
    const broken = {
      pools: [
        { ...base.pools[0], canary: { ...base.pools[0]?.canary, signUp: { clientId: 'unknownclient' } } },
      ],
    };
    expect(() => defaultDeps({ SENTINEL_CONFIG: JSON.stringify(broken) })).toThrow(
      /pools\.0\.canary\.signUp\.clientId: unknownclient is not one of this pool's clients/,
    );
  });

  it('refuses env: secrets in the deployed canary, naming the key', () => {
    const config = validateSentinelConfig(
      { pools: [{ ...base.pools[0], canary: { username: 'c', password: 'env:CANARY_PASSWORD' } }] },
      'test',
    );
    expect(() => assertDeployedCanarySecrets(config)).toThrow(ConfigError);
    expect(() => assertDeployedCanarySecrets(config)).toThrow(
      /pools\.0\.canary\.password: env:CANARY_PASSWORD is for the CLI only/,
    );
  });

  it('builds with a valid config', () => {
    expect(defaultDeps({ SENTINEL_CONFIG: JSON.stringify(base) }).pools).toHaveLength(1);
  });

  it.each([
    ['sign-in', 'SignIn'],
    ['verify-refreshed-tokens', 'VerifyRefreshedTokens'],
    ['api-probe', 'ApiProbe'],
  ] as const)('names the metrics of step %s %s*', (step, name) => {
    expect(toMetricStep(step)).toBe(name);
  });
});
