/**
 * config-audit: the configuration audit of every configured pool, on a schedule (default every 15
 * minutes) and within seconds of a CloudTrail-recorded change to a watched pool or trigger function
 * (an EventBridge rule on "AWS API Call via CloudTrail").
 *
 * Each run snapshots the pools (audit/), compares with the last snapshot and the declared
 * expectations, checks the trigger wiring, and hands the findings to the alert path with the
 * checks that passed, so incidents resolve after the configured number of clean runs, as the
 * canary's do. A change event is also recorded for the pool (every later page for the pool shows
 * it) and sent to PagerDuty as a Change Event. A check that cannot run is a note (a warning in the
 * log and a metric), never a failed invocation; only an undeliverable page fails it.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import {
  type ChangeEventSender,
  createPagerDutyChangeEvents,
  toChangeEndpoint,
} from '../alerts/change-events';
import { poolRecentChanges } from '../alerts/recent-changes';
import type { AlertHandler } from '../alerts/types';
import { createAlertPipelineFromConfig, loadAlertsConfig } from '../alerts/wiring';
import { createAuditClients } from '../audit/aws-clients';
import { type ChangeLog, createChangeLogLookup, createMemoryChangeLog } from '../audit/change-log';
import { parseTrailChange } from '../audit/cloudtrail-event';
import { AUDIT_TABLE_ENV, createDynamoDbAuditStore } from '../audit/dynamodb-snapshot-store';
import { type AuditRunner, createAuditRunner } from '../audit/runner';
import { createMemorySnapshotStore, type SnapshotStore } from '../audit/snapshot-store';
import type { PoolConfig } from '../config/pool-config';
import { createAwsSecretResolver } from '../config/secrets';
import { loadDeployedSentinelConfig } from '../config/sentinel-config';
import { runAuditDetectors, toAuditPassed } from '../detectors';
import { DEFAULT_DETECTOR_CONFIG } from '../detectors/types';
import { redact, redactDeep } from '../redaction/redact';
import { awsClientOptions } from '../runtime/aws-client-options';
import { describeError } from '../runtime/errors';
import { toProductionHandler } from '../runtime/production-handler';
import {
  createDimensionedMetrics,
  createLogger,
  type DimensionedMetrics,
  type Log,
} from '../runtime/telemetry';

export interface ConfigAuditDeps {
  pools: readonly PoolConfig[];
  runner: AuditRunner;
  alerts: AlertHandler;
  logger: Log;
  metrics: DimensionedMetrics;
  /** Where each pool's recent changes are kept, for later pages. */
  changes?: ChangeLog;
  /** PagerDuty Change Events, when PagerDuty is configured. */
  changeEvents?: ChangeEventSender;
  /** How long a breaking change keeps its incident open unless reverted, in ms (default 24 h). */
  holdDriftMs?: number;
  now?: () => Date;
}

export interface ConfigAuditResult {
  /** `schedule`, or the CloudTrail call that started the run. */
  trigger: string;
  pools: number;
  findings: number;
  passed: number;
  /** Checks that could not run. */
  notes: number;
  alerts: number;
}

export const createHandler = ({
  pools,
  runner,
  alerts,
  logger,
  metrics,
  changes,
  changeEvents,
  holdDriftMs,
  now = () => new Date(),
}: ConfigAuditDeps) =>
  middy<unknown, ConfigAuditResult, Error, Context>().handler(async (event) => {
    const started = now();
    const trail = parseTrailChange(event);
    // A Cognito call names its pool; a Lambda call may concern any pool wired to the function.
    const audited =
      trail?.userPoolId === undefined ? pools : pools.filter((pool) => pool.userPoolId === trail.userPoolId);
    const run = await runner.run(audited, {
      now: started,
      ...(trail === undefined ? {} : { trail }),
      ...(holdDriftMs === undefined ? {} : { holdMs: holdDriftMs }),
    });

    if (trail !== undefined) {
      for (const userPoolId of run.touched) {
        const pool = audited.find((candidate) => candidate.userPoolId === userPoolId);
        if (pool === undefined) continue;
        const work: Promise<void>[] = [];
        if (changes !== undefined) work.push(changes.record(userPoolId, trail.change));
        if (changeEvents !== undefined) work.push(changeEvents.send(trail.change, pool));
        for (const outcome of await Promise.allSettled(work)) {
          if (outcome.status === 'rejected')
            logger.warn('Could not record a configuration change', {
              userPoolId,
              change: trail.change.eventName,
              error: redact(describeError(outcome.reason)),
            });
        }
      }
    }

    const findings = runAuditDetectors(run.observations, { config: DEFAULT_DETECTOR_CONFIG, now: started });
    const passed = toAuditPassed(run.observations, started);
    for (const note of run.notes)
      logger.warn('A config audit check could not run', { ...note, message: redact(note.message) });
    metrics.count('ConfigAuditChecksNotRun', run.notes.length, {});
    metrics.count('ConfigAuditFindings', findings.length, {});
    let alertCount = 0;
    try {
      const delivery = await alerts.handle({ source: 'config-audit', findings, passed, now: started });
      alertCount = delivery.alerts;
    } finally {
      metrics.publish();
    }
    const result: ConfigAuditResult = {
      trigger: trail === undefined ? 'schedule' : trail.change.eventName,
      pools: audited.length,
      findings: findings.length,
      passed: passed.length,
      notes: run.notes.length,
      alerts: alertCount,
    };
    logger.info('Config audit run', {
      ...result,
      baselines: run.baselines,
      findingsSeen: redactDeep(
        findings.map((finding) => ({
          detector: finding.detector,
          severity: finding.severity,
          dedupKey: finding.dedupKey,
        })),
      ),
    });
    return result;
  });

export const NO_AUDIT_TABLE_WARNING = `No audit table configured (${AUDIT_TABLE_ENV}): snapshots are kept in memory for this container only, so drift is not reported across cold starts`;

/** Production wiring: config, clients, stores and the alert path built once per container. */
export const defaultDeps = (
  env: Readonly<Record<string, string | undefined>> = process.env,
): ConfigAuditDeps => {
  const config = loadDeployedSentinelConfig(env);
  const logger = createLogger();
  const metrics = createDimensionedMetrics();
  const tableName = env[AUDIT_TABLE_ENV]?.trim();
  let store: SnapshotStore & ChangeLog;
  if (tableName) {
    store = createDynamoDbAuditStore({
      client: new DynamoDBClient(awsClientOptions('incidentStore')),
      tableName,
    });
  } else {
    logger.warn(NO_AUDIT_TABLE_WARNING);
    const memory = createMemorySnapshotStore();
    const changes = createMemoryChangeLog();
    store = { ...memory, ...changes };
  }
  const alertsConfig = loadAlertsConfig(env);
  const secrets = createAwsSecretResolver({ allowEnv: false });
  const pagerDuty = alertsConfig.pagerDuty;
  return {
    pools: config.pools,
    runner: createAuditRunner({ clients: createAuditClients(env), store }),
    alerts: createAlertPipelineFromConfig(alertsConfig, {
      logger,
      env,
      secrets,
      metrics: { count: (name, value) => metrics.count(name, value, {}) },
      recentChanges: poolRecentChanges(config.pools, createChangeLogLookup(store)),
    }),
    logger,
    metrics,
    changes: store,
    holdDriftMs: config.deployment.configAudit.holdDriftHours * 3_600_000,
    ...(pagerDuty === undefined
      ? {}
      : {
          changeEvents: createPagerDutyChangeEvents({
            routingKey: () => secrets.get(pagerDuty.routingKey),
            endpoint: toChangeEndpoint(pagerDuty.endpoint),
          }),
        }),
  };
};

// Built on the first invocation, once per container: a bad config fails it with the key named.
export const handler = toProductionHandler(() => createHandler(defaultDeps()));
