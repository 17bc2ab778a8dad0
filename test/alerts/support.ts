/** Recording sinks and loggers shared by the alert tests. */
import type { DispatchLogger } from '../../alerts/dispatch';
import { createPagerDutySink, type PagerDutySinkOptions } from '../../alerts/sinks/pagerduty';
import type { Alert, AlertSink, CheckReport } from '../../alerts/types';
import type { Finding } from '../../detectors/types';
import { ROUTING_KEY } from '../support/pagerduty-server';
import { POOL, presignupFinding } from './findings';

/** A sink that records what it took; `down` makes it fail. */
export interface RecordingSink extends AlertSink {
  sent: Alert[];
  down: boolean;
  actions(): string[];
}

export const recordingSink = (name: string): RecordingSink => {
  const sink: RecordingSink = {
    name,
    sent: [],
    down: false,
    async send(alert) {
      if (sink.down) throw new Error(`${name} is down`);
      sink.sent.push(alert);
    },
    actions: () => sink.sent.map((alert) => alert.action),
  };
  return sink;
};

export interface LogLine {
  level: string;
  message: string;
  extra: Record<string, unknown>[];
}

export const recordingLogger = () => {
  const lines: LogLine[] = [];
  const log =
    (level: string) =>
    (message: string, ...extra: Record<string, unknown>[]) => {
      lines.push({ level, message, extra });
    };
  const logger: DispatchLogger & { debug: DispatchLogger['info'] } = {
    debug: log('debug'),
    info: log('info'),
    warn: log('warn'),
    error: log('error'),
  };
  return { logger, lines };
};

export const T0 = Date.parse('2024-06-03T09:35:00.000Z');
export const at = (ms: number) => new Date(T0 + ms);

/** The seed finding as seen at `ms` after T0, from its own invocation. */
export const seedAt = (ms: number, overrides: Partial<Finding> = {}): Finding =>
  presignupFinding({
    timestamp: at(ms).toISOString(),
    requestId: `00000000-0000-4000-8000-${String(ms).padStart(12, '0')}`,
    ...overrides,
  });

/** The dedup key of the seed finding (presignupFinding). */
export const SEED_DEDUP_KEY = `trigger-response-invalid:${POOL}:PreSignUp:response.autoConfirmUser`;

/** A trigger-logs report of `findings` at `nowMs` after T0. */
export const logsReport = (findings: Finding[], nowMs: number): CheckReport => ({
  source: 'trigger-logs',
  findings,
  passed: [],
  now: at(nowMs),
});

/**
 * A PagerDuty sink on the local stand-in with budgets short enough for tests: 300 ms in all, 200 ms
 * an attempt, 10 ms backoff, no circuit breaker pause (simulated time moves faster than the wall
 * clock; the breaker has its own test). `overrides` adjusts any of it.
 */
export const fastPagerDutySink = (
  endpoint: string,
  overrides: Partial<PagerDutySinkOptions> = {},
): AlertSink =>
  createPagerDutySink({
    routingKey: ROUTING_KEY,
    endpoint,
    timeBudgetMs: 300,
    attemptTimeoutMs: 200,
    backoffMs: 10,
    circuitOpenMs: 0,
    ...overrides,
  });
