/**
 * The monitor's own logging and metrics: Powertools Logger (structured JSON) and Powertools
 * Metrics (CloudWatch EMF), behind two small interfaces so handlers can be tested with recorders.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';

export const SERVICE_NAME = 'cognito-sentinel';
export const METRICS_NAMESPACE = 'CognitoSentinel';

/** The subset of Powertools Logger that the code uses. */
export interface Log {
  debug(message: string, ...extra: Record<string, unknown>[]): void;
  info(message: string, ...extra: Record<string, unknown>[]): void;
  warn(message: string, ...extra: Record<string, unknown>[]): void;
  error(message: string, ...extra: Record<string, unknown>[]): void;
}

/** The subset of Powertools Metrics that the code uses: counts only, published once per invocation. */
export interface MetricsRecorder {
  count(name: string, value: number): void;
  publish(): void;
}

export const createLogger = (): Logger => new Logger({ serviceName: SERVICE_NAME });

export const createMetrics = (): MetricsRecorder => {
  const metrics = new Metrics({ namespace: METRICS_NAMESPACE, serviceName: SERVICE_NAME });
  return {
    count: (name, value) => metrics.addMetric(name, MetricUnit.Count, value),
    publish: () => metrics.publishStoredMetrics(),
  };
};
