/**
 * trigger-logs: the CloudWatch Logs subscription handler for the pool's trigger functions.
 *
 * Decodes the payload (base64 + gzip + JSON), reads every line into observations, runs the
 * trigger-log detectors and hands the findings to the alert path. Unreadable lines are counted,
 * logged (structured, redacted) and published as a metric, never silently dropped; the rest of
 * the batch is always processed. If no sink can deliver an alert the invocation fails, so
 * Lambda's retry and on-failure destination keep it.
 */
import { SNSClient } from '@aws-sdk/client-sns';
import middy from '@middy/core';
import type { CloudWatchLogsEvent } from 'aws-lambda';
import { createAlertDispatcher } from '../alerts/dispatch';
import { redact } from '../alerts/redact';
import { createConsoleSink } from '../alerts/sinks/console';
import { createSnsSink } from '../alerts/sinks/sns';
import type { AlertSink } from '../alerts/types';
import { runTriggerLogDetectors } from '../detectors';
import type { Finding } from '../detectors/types';
import { loadTriggerLogsConfig, type TriggerLogsConfig } from '../lib/config/trigger-logs-env';
import { decodeSubscriptionEvent } from '../lib/logs';
import type { BatchStats, UnreadableInput } from '../lib/logs/types';
import { createLogger, createMetrics, type Log, type MetricsRecorder } from '../lib/telemetry';

/** How many unreadable-input messages one invocation logs in full; the rest are counted. */
const MAX_LOGGED_PROBLEMS = 10;

export interface AlertHandler {
  handle(findings: Finding[]): Promise<{ alerts: number }>;
}

export interface TriggerLogsDeps {
  config: TriggerLogsConfig;
  alerts: AlertHandler;
  logger: Log;
  metrics: MetricsRecorder;
  now?: () => Date;
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

export const createHandler = ({ config, alerts, logger, metrics, now = () => new Date() }: TriggerLogsDeps) =>
  middy<CloudWatchLogsEvent, TriggerLogsResult>().handler(async (event) => {
    const batch = decodeSubscriptionEvent(event, { resolveLogGroup: config.resolveLogGroup });
    const logGroup = batch.observations[0]?.origin.logGroup ?? batch.unreadable[0]?.logGroup;

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

    const findings = runTriggerLogDetectors(batch.observations, { config: config.detectors, now: now() });
    metrics.count('Findings', findings.length);
    try {
      const delivery = await alerts.handle(findings);
      logger.info('Trigger log batch processed', {
        logGroup,
        ...batch.stats,
        findings: findings.length,
        alerts: delivery.alerts,
      });
      return {
        ...batch.stats,
        ...(logGroup ? { logGroup } : {}),
        findings: findings.length,
        alerts: delivery.alerts,
      };
    } finally {
      metrics.publish();
    }
  });

/** Production wiring: clients and sinks built once per container. */
export const defaultDeps = (
  env: Readonly<Record<string, string | undefined>> = process.env,
): TriggerLogsDeps => {
  const config = loadTriggerLogsConfig(env);
  const logger = createLogger();
  const sinks: AlertSink[] = [createConsoleSink({ write: (text) => logger.info('Alert', { report: text }) })];
  if (config.alertTopicArn)
    sinks.push(createSnsSink({ client: new SNSClient({}), topicArn: config.alertTopicArn }));
  return { config, logger, metrics: createMetrics(), alerts: createAlertDispatcher({ sinks, logger }) };
};

// Clients, sinks and config are built once per container; a bad config fails the init with the variable named.
export const handler = createHandler(defaultDeps());
