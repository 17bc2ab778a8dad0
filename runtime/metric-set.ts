/**
 * Which custom metrics the monitor publishes (each metric name and dimension set is billed
 * monthly): `lean` (default) publishes one success and one latency metric per pool and app client,
 * enough for alarms and dashboards, and the functions' problem counts only when they are not zero;
 * `full` adds a success and latency metric per canary step and every count on every run. Kept
 * apart from telemetry.ts so the config schema does not load Powertools.
 */
export const METRIC_SETS = ['lean', 'full'] as const;
export type MetricSet = (typeof METRIC_SETS)[number];
