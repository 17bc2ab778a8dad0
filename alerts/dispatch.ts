/**
 * The alert dispatcher: findings in, alerts out to every sink. A page is never dropped silently: a
 * sink that fails is logged while the others still deliver, and if every sink fails for an alert
 * the call throws AlertDeliveryError (after trying all alerts) so the Lambda invocation fails and
 * its retry keeps the findings.
 */
import type { Finding } from '../detectors/types';
import { AlertConfigError, AlertDeliveryError, describeError, type UndeliveredAlert } from './errors';
import { toAlerts } from './to-alerts';
import type { Alert, AlertSink, DeliveryReport } from './types';

export type { DeliveryReport } from './types';

/** The logging the dispatcher needs; Powertools Logger, lib/telemetry's Log and `console` all fit. */
export interface DispatchLogger {
  info(message: string, ...extra: Record<string, unknown>[]): void;
  warn(message: string, ...extra: Record<string, unknown>[]): void;
  error(message: string, ...extra: Record<string, unknown>[]): void;
}

/** Options of {@link createAlertDispatcher}. */
export interface AlertDispatcherOptions {
  /** At least one sink. Every alert goes to every sink. */
  sinks: AlertSink[];
  /** Defaults to `console`. */
  logger?: DispatchLogger;
}

/** Turns findings into alerts and delivers them. */
export interface AlertDispatcher {
  /** Resolves with the delivery report; rejects with AlertDeliveryError when some alert reached no sink. */
  handle(findings: Finding[]): Promise<DeliveryReport>;
}

/** Creates a dispatcher over the given sinks. Throws AlertConfigError when there are none. */
export const createAlertDispatcher = ({
  sinks,
  logger = console,
}: AlertDispatcherOptions): AlertDispatcher => {
  if (sinks.length === 0) throw new AlertConfigError('createAlertDispatcher needs at least one sink');

  const deliver = async (
    alert: Alert,
    report: DeliveryReport,
    undelivered: UndeliveredAlert[],
    causes: unknown[],
  ) => {
    const results = await Promise.allSettled(sinks.map((sink) => sink.send(alert)));
    const failures: { sink: string; error: string }[] = [];
    results.forEach((result, index) => {
      const sink = sinks[index]?.name ?? `sink ${index}`;
      if (result.status === 'fulfilled') {
        report.delivered.push({ sink, dedupKey: alert.dedupKey });
        return;
      }
      const error = describeError(result.reason);
      failures.push({ sink, error });
      causes.push(result.reason);
      report.failed.push({ sink, dedupKey: alert.dedupKey, error });
    });
    if (failures.length === 0) return;
    if (failures.length === sinks.length) {
      undelivered.push({ dedupKey: alert.dedupKey, errors: failures });
      logger.error('No sink delivered the alert', { dedupKey: alert.dedupKey, failures });
    } else {
      logger.warn('Some sinks failed; the alert was delivered by the others', {
        dedupKey: alert.dedupKey,
        failures,
      });
    }
  };

  return {
    async handle(findings) {
      const alerts = toAlerts(findings);
      const report: DeliveryReport = { alerts: alerts.length, delivered: [], failed: [] };
      const undelivered: UndeliveredAlert[] = [];
      const causes: unknown[] = [];
      // One alert at a time keeps bursts under sink rate limits (PagerDuty: about 120 events a minute).
      for (const alert of alerts) await deliver(alert, report, undelivered, causes);
      if (alerts.length > 0) {
        logger.info('Alerts dispatched', {
          alerts: alerts.length,
          delivered: report.delivered.length,
          failed: report.failed.length,
        });
      }
      if (undelivered.length > 0) throw new AlertDeliveryError(undelivered, causes, report);
      return report;
    },
  };
};
