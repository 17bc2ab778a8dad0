/**
 * trigger-logs: the CloudWatch Logs subscription handler for the pool's trigger functions.
 *
 * Decodes the payload (base64 + gzip + JSON), reads every line into observations, runs the
 * trigger-log detectors and hands the findings to the alert path. Unreadable lines are counted,
 * logged (structured, redacted) and published as a metric, never silently dropped; the rest of
 * the batch is always processed. The alert path keeps one incident per dedup key: a new incident
 * pages once, repeats update it, and it resolves after a quiet window without recurrence (see
 * alerts/incident-policy.ts). If no sink can deliver a page the invocation fails, so Lambda's
 * retry and on-failure destination keep the batch; a redelivered batch never pages twice.
 */
import middy from '@middy/core';
import type { CloudWatchLogsEvent } from 'aws-lambda';
import { ALERT_METRICS } from '../alerts/pipeline';
import { combineRecentChanges, createWatchedFunctionChanges } from '../alerts/recent-changes';
import { countFindings, type RunRecorder, recordRun } from '../alerts/run-records';
import { occurrencesOf } from '../alerts/to-alerts';
import type { AlertHandler } from '../alerts/types';
import { createAlertPipelineFromConfig, createRunRecorder, loadAlertsConfig } from '../alerts/wiring';
import { poolChangesFromEnv } from '../audit/dynamodb-snapshot-store';
import { loadTriggerLogsConfig, type TriggerLogsConfig } from '../config/trigger-logs-config';
import { runTriggerLogDetectors } from '../detectors';
import { reportsReadFromMs } from '../detectors/log-evidence';
import { decodeSubscriptionEvent } from '../logs';
import type { BatchStats, UnreadableInput } from '../logs/types';
import { redact } from '../redaction/redact';
import { toProductionHandler } from '../runtime/production-handler';
import { createLogger, createMetrics, type Log, type MetricsRecorder } from '../runtime/telemetry';

/** How many unreadable-input messages one invocation logs in full; the rest are counted. */
const MAX_LOGGED_PROBLEMS = 10;

export interface TriggerLogsDeps {
  config: TriggerLogsConfig;
  /** The alert path: `createAlertPipeline` in production, any `AlertHandler` in tests. */
  alerts: AlertHandler;
  logger: Log;
  metrics: MetricsRecorder;
  now?: () => Date;
  /** Where a batch with findings leaves its compact record (the weekly report); none without an incident table. */
  runs?: RunRecorder;
}

export interface TriggerLogsResult extends BatchStats {
  logGroup?: string;
  findings: number;
  alerts: number;
}

const countByReason = (problems: readonly UnreadableInput[]) => {
  const counts: Record<string, number> = {};
  for (const problem of problems) counts[problem.reason] = (counts[problem.reason] ?? 0) + 1;
  return counts;
};

export const createHandler = ({
  config,
  alerts,
  logger,
  metrics,
  now = () => new Date(),
  runs,
}: TriggerLogsDeps) =>
  middy<CloudWatchLogsEvent, TriggerLogsResult>().handler(async (event) => {
    const batch = decodeSubscriptionEvent(event, {
      resolveLogGroup: config.resolveLogGroup,
      // Reports of quick, successful invocations are read by no detector: counted, not built.
      omitReportsUnderMs: reportsReadFromMs(config.detectors),
      // Fed by the account-level subscription policy, the function sees every log group in the
      // account: the ones the config does not list are not even parsed.
      ...(config.ignoreUnlistedLogGroups
        ? { acceptLogGroup: (group: string) => config.resolveLogGroup(group) !== undefined }
        : {}),
    });
    const logGroup = batch.logGroup ?? batch.unreadable[0]?.logGroup;
    if (batch.ignored) {
      metrics.count('IgnoredBatches', 1);
      metrics.publish();
      return { ...batch.stats, ...(logGroup ? { logGroup } : {}), findings: 0, alerts: 0 };
    }

    metrics.count('LogLinesRead', batch.stats.lines);
    metrics.count('UnreadableLogLines', batch.stats.unreadable);
    if (batch.unreadable.length > 0) {
      logger.warn('Some log input could not be read; the rest of the batch was processed', {
        logGroup,
        unreadable: batch.stats.unreadable,
        byReason: countByReason(batch.unreadable),
        examples: batch.unreadable.slice(0, MAX_LOGGED_PROBLEMS).map((problem) => redact(problem.message)),
      });
    }

    const runAt = now();
    // Collapsed: during an incident a batch's hundreds of identical findings become one with a
    // count, and only a few of their log lines are redacted into evidence.
    const findings = runTriggerLogDetectors(batch.observations, {
      config: config.detectors,
      now: runAt,
      collapse: true,
    });
    const occurrences = occurrencesOf(findings);
    metrics.count('Findings', occurrences);
    try {
      // A log batch proves nothing healthy by itself: trigger-log incidents resolve by quiet window.
      const delivery = await alerts.handle({ source: 'trigger-logs', findings, passed: [], now: runAt });
      logger.info('Trigger log batch processed', {
        logGroup,
        ...batch.stats,
        findings: occurrences,
        alerts: delivery.alerts,
      });
      return {
        ...batch.stats,
        ...(logGroup ? { logGroup } : {}),
        findings: occurrences,
        alerts: delivery.alerts,
      };
    } finally {
      metrics.publish();
      // After the alert path, so the record never spends the time kept for a page.
      if (findings.length > 0)
        await recordRun(
          runs,
          { source: 'trigger-logs', at: runAt.toISOString(), targets: [], findings: countFindings(findings) },
          logger,
        );
    }
  });

/**
 * Production wiring: clients, incident store and sinks built once per container. Incident state
 * lives in SENTINEL_INCIDENT_TABLE (in memory, with a logged warning, when unset); sinks come from
 * the config's `alerts` section and the stack variables SENTINEL_ALERT_TOPIC_ARN,
 * SENTINEL_PAGERDUTY_ROUTING_KEY (`secretsmanager:NAME` or `ssm:PATH`) and
 * SENTINEL_CHATBOT_TOPIC_ARN (only the log when none is set).
 */
export const defaultDeps = (
  env: Readonly<Record<string, string | undefined>> = process.env,
): TriggerLogsDeps => {
  const config = loadTriggerLogsConfig(env);
  const logger = createLogger();
  // Lean: what goes wrong is published when it happens; the steady counts are in the logs.
  const metrics = createMetrics({
    set: config.metricSet ?? 'lean',
    lean: ['UnreadableLogLines', 'Findings', ...ALERT_METRICS],
  });
  const alertsConfig = loadAlertsConfig(env);
  const runs = createRunRecorder(alertsConfig);
  const alerts = createAlertPipelineFromConfig(alertsConfig, {
    logger,
    env,
    metrics,
    recentChanges: combineRecentChanges(
      createWatchedFunctionChanges(Object.keys(config.logGroups)),
      poolChangesFromEnv(env),
    ),
  });
  return { config, logger, metrics, alerts, ...(runs === undefined ? {} : { runs }) };
};

// Built on the first invocation, once per container: a bad config fails it with the key named.
export const handler = toProductionHandler(() => createHandler(defaultDeps()));
