/**
 * incident-sweep: a scheduled function (every few minutes) that looks at every active incident
 * without waiting for new findings. It resolves trigger-log incidents whose quiet window has passed
 * when no log batch arrives to do it, and delivers what is owed: a page a sink missed (PagerDuty
 * was down while SNS delivered), a resolve not yet told, a delivery whose invocation died. If a
 * delivery reaches no sink the invocation fails, so EventBridge's retry tries again.
 *
 * Needs the incident table (SENTINEL_INCIDENT_TABLE) and the same alert configuration as the
 * functions that page, so the sink names match.
 */
import middy from '@middy/core';
import type { ScheduledEvent } from 'aws-lambda';
import type { AlertPipeline } from '../alerts/pipeline';
import { createAlertPipelineFromConfig, loadAlertsConfig } from '../alerts/wiring';
import { toProductionHandler } from '../runtime/production-handler';
import { createLogger, createMetrics, type Log, type MetricsRecorder } from '../runtime/telemetry';

export interface IncidentSweepDeps {
  alerts: Pick<AlertPipeline, 'sweep'>;
  logger: Log;
  /** Published after every sweep (the pipeline counts its degraded modes here). */
  metrics?: MetricsRecorder;
  now?: () => Date;
}

export interface IncidentSweepResult {
  /** Active incidents looked at, and what was done with them. */
  incidents: number;
  resolved: number;
  delivered: number;
  failed: number;
}

export const createHandler = ({ alerts, logger, metrics, now = () => new Date() }: IncidentSweepDeps) =>
  middy<ScheduledEvent | Record<string, never>, IncidentSweepResult>().handler(async () => {
    let report: Awaited<ReturnType<IncidentSweepDeps['alerts']['sweep']>>;
    try {
      report = await alerts.sweep(now());
    } finally {
      metrics?.publish();
    }
    const outcomes = report.incidents ?? [];
    const result: IncidentSweepResult = {
      incidents: outcomes.length,
      resolved: outcomes.filter((outcome) => outcome.action === 'resolve').length,
      delivered: report.delivered.length,
      failed: report.failed.length,
    };
    logger.info('Incident sweep done', { ...result });
    return result;
  });

/** Production wiring: the same alerts config as the paging functions, built once per container. */
export const defaultDeps = (
  env: Readonly<Record<string, string | undefined>> = process.env,
): IncidentSweepDeps => {
  const logger = createLogger();
  const metrics = createMetrics();
  return {
    logger,
    metrics,
    alerts: createAlertPipelineFromConfig(loadAlertsConfig(env), { logger, env, metrics }),
  };
};

export const handler = toProductionHandler(() => createHandler(defaultDeps()));
