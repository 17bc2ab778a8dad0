/**
 * The monitor's own logging and metrics: Powertools Logger (structured JSON) and Powertools
 * Metrics (CloudWatch EMF), behind two small interfaces so handlers can be tested with recorders.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { MetricSet } from './metric-set';

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

export { METRIC_SETS, type MetricSet } from './metric-set';

/** Options of {@link createMetrics}. */
export interface MetricsOptions {
  /** Default `full`: every count as it comes. */
  set?: MetricSet;
  /** With `lean`: the names still published, and only when not zero. */
  lean?: readonly string[];
}

export const createMetrics = ({ set = 'full', lean = [] }: MetricsOptions = {}): MetricsRecorder => {
  const metrics = new Metrics({ namespace: METRICS_NAMESPACE, serviceName: SERVICE_NAME });
  const keep =
    set === 'full' ? () => true : (name: string, value: number) => value !== 0 && lean.includes(name);
  return {
    count: (name, value) => {
      if (keep(name, value)) metrics.addMetric(name, MetricUnit.Count, value);
    },
    publish: () => metrics.publishStoredMetrics(),
  };
};

/** Units the dimensioned recorder emits. */
export const METRIC_UNITS = ['Count', 'Milliseconds'] as const;
export type MetricUnitName = (typeof METRIC_UNITS)[number];

/**
 * Metrics with their own dimensions (per pool and app client, for example), published once per
 * invocation: one EMF blob per distinct dimension set.
 */
export interface DimensionedMetrics {
  /** A count (success 1/0, problems). */
  count(name: string, value: number, dimensions: Readonly<Record<string, string>>): void;
  /** A latency in milliseconds. */
  latency(name: string, milliseconds: number, dimensions: Readonly<Record<string, string>>): void;
  publish(): void;
}

export const createDimensionedMetrics = (): DimensionedMetrics => {
  const byDimensions = new Map<string, Metrics>();
  const metricsFor = (dimensions: Readonly<Record<string, string>>): Metrics => {
    const key = JSON.stringify(Object.entries(dimensions).sort(([a], [b]) => a.localeCompare(b)));
    let metrics = byDimensions.get(key);
    if (metrics === undefined) {
      metrics = new Metrics({
        namespace: METRICS_NAMESPACE,
        serviceName: SERVICE_NAME,
        defaultDimensions: { ...dimensions },
      });
      byDimensions.set(key, metrics);
    }
    return metrics;
  };
  return {
    count: (name, value, dimensions) => metricsFor(dimensions).addMetric(name, MetricUnit.Count, value),
    latency: (name, milliseconds, dimensions) =>
      metricsFor(dimensions).addMetric(name, MetricUnit.Milliseconds, milliseconds),
    publish: () => {
      for (const metrics of byDimensions.values()) metrics.publishStoredMetrics();
      byDimensions.clear();
    },
  };
};
