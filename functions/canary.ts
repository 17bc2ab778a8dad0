/**
 * canary: the scheduled synthetic auth cycle for every configured pool and app client.
 *
 * Signs in as the canary user, verifies the tokens, checks them live with GetUser, refreshes,
 * cleans up, and runs the pool's optional cycles (sign-up, custom auth, API probe); the canary
 * detectors turn what it saw into findings, handed to the alert path with the checks that passed
 * (so open incidents resolve). Success and latency of every step go out as CloudWatch metrics
 * (EMF) per pool and client. One pool's failure never stops the others: a target that cannot be
 * checked at all (unreadable secret, crash) is logged, counted, and fails the invocation after
 * everything else was done, so the monitor's own alarm sees it.
 */
import middy from '@middy/core';
import type { Context, ScheduledEvent } from 'aws-lambda';
import { poolRecentChanges } from '../alerts/recent-changes';
import { type RunRecorder, recordRun, toCanaryRunRecord } from '../alerts/run-records';
import type { AlertHandler } from '../alerts/types';
import { createAlertPipelineFromConfig, createRunRecorder, loadAlertsConfig } from '../alerts/wiring';
import { poolChangesFromEnv } from '../audit/dynamodb-snapshot-store';
import { cognitoEndpointFrom, createCognitoClient, createRegionalSecrets } from '../canary/aws-clients';
import { CanaryRunError } from '../canary/errors';
import { type CanaryRunner, type CanaryRunResult, createCanaryRunner } from '../canary/runner';
import type { PoolConfig } from '../config/pool-config';
import { formatSecretRef, type SecretRef } from '../config/secret-ref';
import { loadDeployedSentinelConfig, type SentinelConfig, toRateMinutes } from '../config/sentinel-config';
import { runCanaryDetectors, toCanaryPassed } from '../detectors';
import {
  type CanaryObservation,
  type CanaryStep,
  isStepSuccessful,
  stepOf,
} from '../detectors/canary-observations';
import { DEFAULT_DETECTOR_CONFIG, type Finding } from '../detectors/types';
import { redactDeep } from '../redaction/redact';
import { ALERT_PATH_RESERVE_MS } from '../runtime/aws-client-options';
import { ConfigError } from '../runtime/errors';
import { toProductionHandler } from '../runtime/production-handler';
import {
  createDimensionedMetrics,
  createLogger,
  type DimensionedMetrics,
  type Log,
  type MetricSet,
} from '../runtime/telemetry';

/**
 * Time kept free at the end of the invocation for the alert path, in ms: its worst case when every
 * backend hangs (runtime/aws-client-options.ts) plus a margin, so a page is always decided before
 * Lambda's own timeout.
 */
export const DEFAULT_RESERVE_MS = ALERT_PATH_RESERVE_MS;
/** Time budget when the context does not say (local runs), in ms. */
export const DEFAULT_TIME_BUDGET_MS = 25_000;

export interface CanaryDeps {
  pools: readonly PoolConfig[];
  runner: CanaryRunner;
  alerts: AlertHandler;
  logger: Log;
  metrics: DimensionedMetrics;
  /** The custom metrics published (`deployment.metrics`); default `lean`. */
  metricSet?: MetricSet;
  now?: () => Date;
  /** Time kept free for the alert path, in ms. Default 5000. */
  reserveMs?: number;
  /** Where the run's compact record goes (the weekly report); none without an incident table. */
  runs?: RunRecorder;
}

export interface CanaryInvocationResult {
  /** Pool and client pairs the canary signed in to. */
  targets: number;
  findings: number;
  passed: number;
  /** Targets that could not be checked at all. */
  problems: number;
  alerts: number;
  durationMs: number;
}

/** `sign-in` → `SignIn`: the metric name prefix of a step. */
export const toMetricStep = (step: CanaryStep): string =>
  step
    .split('-')
    .map((part) => `${part.charAt(0).toUpperCase()}${part.slice(1)}`)
    .join('');

interface StepMetric {
  dimensions: { UserPool: string; UserPoolClient: string };
  step: CanaryStep;
  success: boolean;
  latencyMs: number;
}

/** One success/latency pair per target and step (the ID and access token checks make one step). */
export const toStepMetrics = (observations: readonly CanaryObservation[]): StepMetric[] => {
  const byKey = new Map<string, StepMetric>();
  for (const observation of observations) {
    const step = stepOf(observation);
    const key = `${observation.target.userPoolId}\u0000${observation.target.clientId}\u0000${step}`;
    const seen = byKey.get(key);
    if (seen === undefined) {
      byKey.set(key, {
        dimensions: { UserPool: observation.target.userPoolId, UserPoolClient: observation.target.clientId },
        step,
        success: isStepSuccessful(observation),
        latencyMs: observation.durationMs,
      });
    } else {
      seen.success &&= isStepSuccessful(observation);
      seen.latencyMs += observation.durationMs;
    }
  }
  return [...byKey.values()];
};

/**
 * One success (1 when every step passed) and one latency (the steps' sum, in ms) per pool and app
 * client: the lean metric set, and what alarms read in either set.
 */
export const toTargetMetrics = (steps: readonly StepMetric[]): Omit<StepMetric, 'step'>[] => {
  const byTarget = new Map<string, Omit<StepMetric, 'step'>>();
  for (const { dimensions, success, latencyMs } of steps) {
    const key = `${dimensions.UserPool}\u0000${dimensions.UserPoolClient}`;
    const seen = byTarget.get(key);
    if (seen === undefined) byTarget.set(key, { dimensions, success, latencyMs });
    else {
      seen.success &&= success;
      seen.latencyMs += latencyMs;
    }
  }
  return [...byTarget.values()];
};

const recordMetrics = (
  metrics: DimensionedMetrics,
  run: CanaryRunResult,
  findings: readonly Finding[],
  metricSet: MetricSet,
) => {
  const steps = toStepMetrics(run.observations);
  for (const target of toTargetMetrics(steps)) {
    metrics.count('CanarySuccess', target.success ? 1 : 0, target.dimensions);
    metrics.latency('CanaryLatency', target.latencyMs, target.dimensions);
  }
  if (metricSet === 'lean') {
    if (run.problems.length > 0) metrics.count('CanaryTargetsNotChecked', run.problems.length, {});
    return;
  }
  for (const metric of steps) {
    const name = toMetricStep(metric.step);
    metrics.count(`${name}Success`, metric.success ? 1 : 0, metric.dimensions);
    metrics.latency(`${name}Latency`, metric.latencyMs, metric.dimensions);
  }
  metrics.count('CanaryFindings', findings.length, {});
  metrics.count('CanaryTargetsNotChecked', run.problems.length, {});
};

const countTargets = (observations: readonly CanaryObservation[]): number =>
  new Set(
    observations
      .filter((observation) => observation.kind === 'canary-sign-in')
      .map((observation) => `${observation.target.userPoolId}\u0000${observation.target.clientId}`),
  ).size;

export const createHandler = ({
  pools,
  runner,
  alerts,
  logger,
  metrics,
  metricSet = 'lean',
  now = () => new Date(),
  reserveMs = DEFAULT_RESERVE_MS,
  runs,
}: CanaryDeps) =>
  middy<ScheduledEvent, CanaryInvocationResult, Error, Context>().handler(async (_event, context) => {
    const remaining =
      typeof context?.getRemainingTimeInMillis === 'function'
        ? context.getRemainingTimeInMillis()
        : DEFAULT_TIME_BUDGET_MS + reserveMs;
    const started = now();
    const run = await runner.run(pools, { timeBudgetMs: Math.max(1_000, remaining - reserveMs) });
    const findings = runCanaryDetectors(run.observations, { config: DEFAULT_DETECTOR_CONFIG, now: started });
    const passed = toCanaryPassed(run.observations);

    for (const note of run.notes) logger.info('Canary note', { ...note });
    for (const problem of run.problems) {
      logger.error('The canary could not check a target', {
        userPoolId: problem.userPoolId,
        ...(problem.clientId === undefined ? {} : { clientId: problem.clientId }),
        message: problem.message,
      });
    }
    recordMetrics(metrics, run, findings, metricSet);
    const samples = toStepMetrics(run.observations).map(({ dimensions, step, success, latencyMs }) => ({
      userPoolId: dimensions.UserPool,
      clientId: dimensions.UserPoolClient,
      step,
      success,
      latencyMs,
    }));
    let alertCount = 0;
    try {
      const delivery = await alerts.handle({
        source: 'canary',
        findings,
        passed,
        now: started,
      });
      alertCount = delivery.alerts;
    } finally {
      metrics.publish();
      // After the alert path, so the record never spends the time kept for a page.
      await recordRun(runs, toCanaryRunRecord(started, samples, findings), logger);
    }
    const result: CanaryInvocationResult = {
      targets: countTargets(run.observations),
      findings: findings.length,
      passed: passed.length,
      problems: run.problems.length,
      alerts: alertCount,
      durationMs: Math.round(run.durationMs),
    };
    logger.info('Canary run', {
      ...result,
      roundTrips: run.roundTrips.count,
      roundTripMs: Math.round(run.roundTrips.totalMs),
      findingsSeen: redactDeep(
        findings.map((finding) => ({
          detector: finding.detector,
          severity: finding.severity,
          dedupKey: finding.dedupKey,
          title: finding.title,
        })),
      ),
    });
    if (run.problems.length > 0) throw new CanaryRunError(run.problems);
    return result;
  });

/** Every secret reference of the canary, with its config key. */
const canarySecretRefs = (pools: readonly PoolConfig[]): { key: string; ref: SecretRef }[] =>
  pools.flatMap((pool, index) => [
    ...(pool.canary === undefined
      ? []
      : [{ key: `pools.${index}.canary.password`, ref: pool.canary.password }]),
    ...(pool.canary?.customAuth === undefined
      ? []
      : [{ key: `pools.${index}.canary.customAuth.answers`, ref: pool.canary.customAuth.answers }]),
    ...(pool.canary?.mfa === undefined
      ? []
      : [{ key: `pools.${index}.canary.mfa.totpSecret`, ref: pool.canary.mfa.totpSecret }]),
    ...pool.clients.flatMap((client, clientIndex) =>
      client.secret === undefined
        ? []
        : [{ key: `pools.${index}.clients.${clientIndex}.secret`, ref: client.secret }],
    ),
  ]);

/**
 * A deployed canary reads its secrets from Secrets Manager or SSM only; `env:` (plain environment
 * variables) fails the start-up with the key named.
 */
export const assertDeployedCanarySecrets = (config: SentinelConfig): void => {
  const envRefs = canarySecretRefs(config.pools).filter(({ ref }) => ref.store === 'env');
  if (envRefs.length > 0) {
    throw new ConfigError(
      envRefs
        .map(
          ({ key, ref }) =>
            `${key}: ${formatSecretRef(ref)} is for the CLI only; the deployed canary reads secretsmanager:NAME or ssm:PATH`,
        )
        .join('; '),
    );
  }
};

/** Production wiring: config, clients, caches and the alert path built once per container. */
export const defaultDeps = (env: Readonly<Record<string, string | undefined>> = process.env): CanaryDeps => {
  const config = loadDeployedSentinelConfig(env);
  assertDeployedCanarySecrets(config);
  const logger = createLogger();
  const metrics = createDimensionedMetrics();
  const endpoint = cognitoEndpointFrom(env);
  const runner = createCanaryRunner({
    cognito: (region) => createCognitoClient(region, endpoint),
    secrets: createRegionalSecrets({ allowEnv: false }),
    ...(endpoint === undefined ? {} : { endpoint }),
    scheduleMinutes: toRateMinutes(config.deployment.canary.schedule) ?? 1,
  });
  const alertsConfig = loadAlertsConfig(env);
  const runs = createRunRecorder(alertsConfig);
  return {
    pools: config.pools,
    runner,
    ...(runs === undefined ? {} : { runs }),
    alerts: createAlertPipelineFromConfig(alertsConfig, {
      logger,
      env,
      // The pipeline's counts carry no pool dimension: they are about the monitor itself.
      metrics: { count: (name, value) => metrics.count(name, value, {}) },
      recentChanges: poolRecentChanges(config.pools, poolChangesFromEnv(env)),
    }),
    logger,
    metrics,
    metricSet: config.deployment.metrics,
  };
};

// Built on the first invocation, once per container: a bad config fails it with the key named.
export const handler = toProductionHandler(() => createHandler(defaultDeps()));
