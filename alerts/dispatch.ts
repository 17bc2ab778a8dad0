/**
 * Fan-out to sinks, and the stateless dispatcher built on it.
 *
 * `deliverAlert` sends one sealed alert to a set of sinks independently (`Promise.allSettled`): a
 * sink that fails is reported while the others still deliver. The incident pipeline
 * (`pipeline.ts`) and the stateless dispatcher both deliver through it.
 *
 * The stateless dispatcher pages for every dedup key in every call (no incident state): the CLI and
 * tests use it. A page is never dropped silently: if every sink fails for an alert the call throws
 * AlertDeliveryError (after trying all alerts) so a Lambda invocation fails and its retry keeps
 * the findings.
 */
import type { Finding } from '../detectors/types';
import { redact } from '../redaction/redact';
import { ConfigError, describeError } from '../runtime/errors';
import { AlertDeliveryError, type UndeliveredAlert } from './errors';
import { toAlerts } from './to-alerts';
import type { Alert, AlertSink, CheckReport, DeliveryReport } from './types';

export type { DeliveryReport } from './types';

/** The logging the alert path needs; Powertools Logger, runtime/telemetry's Log and `console` all fit. */
export interface DispatchLogger {
  info(message: string, ...extra: Record<string, unknown>[]): void;
  warn(message: string, ...extra: Record<string, unknown>[]): void;
  error(message: string, ...extra: Record<string, unknown>[]): void;
}

/** What one alert's fan-out did. */
export interface FanOutResult {
  delivered: string[];
  failed: { sink: string; error: string; cause: unknown }[];
}

/**
 * Sends a sealed alert to every sink independently. Never throws: failures are returned (and
 * logged), so the caller decides whether a page reached anyone. Error descriptions are redacted.
 */
export const deliverAlert = async (
  alert: Alert,
  sinks: readonly AlertSink[],
  logger: DispatchLogger,
): Promise<FanOutResult> => {
  const results = await Promise.allSettled(sinks.map((sink) => sink.send(alert)));
  const outcome: FanOutResult = { delivered: [], failed: [] };
  results.forEach((result, index) => {
    const sink = sinks[index]?.name ?? `sink ${index}`;
    if (result.status === 'fulfilled') outcome.delivered.push(sink);
    else outcome.failed.push({ sink, error: redact(describeError(result.reason)), cause: result.reason });
  });
  if (outcome.failed.length > 0) {
    const failures = outcome.failed.map(({ sink, error }) => ({ sink, error }));
    if (outcome.delivered.length === 0)
      logger.error('No sink delivered the alert', {
        dedupKey: alert.dedupKey,
        action: alert.action,
        failures,
      });
    else
      logger.warn('Some sinks failed; the alert was delivered by the others', {
        dedupKey: alert.dedupKey,
        action: alert.action,
        delivered: outcome.delivered,
        failures,
      });
  }
  return outcome;
};

/** Options of {@link createAlertDispatcher}. */
export interface AlertDispatcherOptions {
  /** At least one sink. Every alert goes to every sink. */
  sinks: AlertSink[];
  /** Defaults to `console`. */
  logger?: DispatchLogger;
}

/** Turns findings into alerts and delivers them, with no incident state. */
export interface AlertDispatcher {
  /**
   * Accepts the findings, or a whole check report (its findings are paged; `passed` is ignored,
   * since without state there is nothing to resolve). Resolves with the delivery report; rejects
   * with AlertDeliveryError when some alert reached no sink.
   */
  handle(input: Finding[] | CheckReport): Promise<DeliveryReport>;
}

/** Creates a stateless dispatcher over the given sinks. Throws ConfigError when there are none. */
export const createAlertDispatcher = ({
  sinks,
  logger = console,
}: AlertDispatcherOptions): AlertDispatcher => {
  if (sinks.length === 0) throw new ConfigError('createAlertDispatcher needs at least one sink');

  return {
    async handle(input) {
      const alerts = toAlerts(Array.isArray(input) ? input : input.findings);
      const report: DeliveryReport = { alerts: alerts.length, delivered: [], failed: [] };
      const undelivered: UndeliveredAlert[] = [];
      const causes: unknown[] = [];
      // One alert at a time keeps bursts under sink rate limits (PagerDuty: about 120 events a minute).
      for (const alert of alerts) {
        const outcome = await deliverAlert(alert, sinks, logger);
        for (const sink of outcome.delivered) report.delivered.push({ sink, dedupKey: alert.dedupKey });
        for (const { sink, error, cause } of outcome.failed) {
          report.failed.push({ sink, dedupKey: alert.dedupKey, error });
          causes.push(cause);
        }
        if (outcome.delivered.length === 0 && outcome.failed.length > 0)
          undelivered.push({
            dedupKey: alert.dedupKey,
            errors: outcome.failed.map(({ sink, error }) => ({ sink, error })),
          });
      }
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
