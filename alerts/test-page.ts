/**
 * The test page: a clearly marked trigger and its resolve, sent through every configured
 * destination (PagerDuty, SNS, Chatbot), with one result per destination. It proves a page can
 * reach someone: the routing key resolves, the topic accepts the publish, and the receiving end is
 * subscribed. It bypasses the incident store on purpose: a test must not open or close an incident.
 */
import type { DetectorId, Finding } from '../detectors/types';
import { describeError } from '../runtime/errors';
import type { Alert, AlertAction, AlertSink } from './types';

/**
 * Goes where a detector id goes (SNS `detector` attribute, PagerDuty `class`, Chatbot keyword), so
 * subscription filters can tell a test page apart. No detector has this id.
 */
export const TEST_PAGE_DETECTOR = 'test-page';

/** Where the test page comes from; all of it shows in the page. */
export interface TestPageScope {
  /** Unique per test (PagerDuty opens and resolves an alert under it). */
  id: string;
  now: Date;
  /** The deployment's stage, or `local` when sent from a laptop with the config file. */
  stage: string;
  /** The AWS account of the deployment, when known. */
  accountId?: string;
  region?: string;
  /** Who asked for it (`cognito-sentinel test-page` from a laptop, or the deployed function). */
  via: string;
}

const ACTIONS = ['trigger', 'resolve'] as const satisfies readonly AlertAction[];

/** The test trigger and the resolve that follows it. Pure. */
export const toTestPageAlerts = (scope: TestPageScope): Record<(typeof ACTIONS)[number], Alert> => {
  const where = [`stage ${scope.stage}`, scope.accountId && `account ${scope.accountId}`, scope.region]
    .filter(Boolean)
    .join(', ');
  const title = `TEST PAGE from cognito-sentinel (${where}): no action needed, it resolves by itself`;
  const dedupKey = `${TEST_PAGE_DETECTOR}:${scope.stage}:${scope.id}`;
  const at = scope.now.toISOString();
  const finding = {
    detector: TEST_PAGE_DETECTOR as unknown as DetectorId,
    severity: 'critical',
    title,
    ...(scope.region === undefined ? {} : { region: scope.region }),
    timestamp: at,
    evidence: [`Sent by ${scope.via} at ${at} to prove that pages reach the on-call.`],
    dedupKey,
    runbook: TEST_PAGE_DETECTOR,
  } satisfies Finding;
  const report = [
    title,
    '',
    'This is a test of the alert path, not an incident. A resolve follows right away.',
    `Sent by ${scope.via} at ${at}.`,
    `Test id: ${scope.id}`,
    '',
  ].join('\n');
  const base = {
    dedupKey,
    detector: finding.detector,
    severity: finding.severity,
    title,
    finding,
    occurrences: 1,
    firstSeen: at,
    lastSeen: at,
    runbook: {
      id: TEST_PAGE_DETECTOR,
      title: 'Test page',
      text: 'No action needed: this page tests the alert path.',
      markdown: 'No action needed: this page tests the alert path.',
      url: '',
    },
    links: [],
    report,
  } satisfies Omit<Alert, 'action'>;
  return {
    trigger: { ...base, action: 'trigger' },
    resolve: { ...base, action: 'resolve', report: `[RESOLVED] ${report}` },
  };
};

/** What one destination did with the test page. */
export interface TestPageDelivery {
  sink: string;
  /** `delivered`, or the one-line error. */
  trigger: string;
  /** `delivered`, `not sent` (the trigger failed), or the one-line error. */
  resolve: string;
}

/** The test page's outcome: one entry per destination. */
export interface TestPageReport {
  id: string;
  deliveries: TestPageDelivery[];
}

/** True when every destination took both the trigger and the resolve. */
export const isTestPageDelivered = (report: TestPageReport): boolean =>
  report.deliveries.length > 0 &&
  report.deliveries.every((delivery) => delivery.trigger === 'delivered' && delivery.resolve === 'delivered');

const attempt = async (sink: AlertSink, alert: Alert): Promise<string> => {
  try {
    await sink.send(alert);
    return 'delivered';
  } catch (error) {
    // Sink errors name the destination and the failure, never the routing key.
    return describeError((error as Error).cause ?? error).split('\n')[0] ?? 'failed';
  }
};

/**
 * Sends the test trigger, then its resolve, through each sink (destinations in parallel, the two
 * events of one destination in order). Never throws: every failure is in the report.
 */
export const sendTestPage = async (
  sinks: readonly AlertSink[],
  scope: TestPageScope,
): Promise<TestPageReport> => {
  const alerts = toTestPageAlerts(scope);
  const deliveries = await Promise.all(
    sinks.map(async (sink): Promise<TestPageDelivery> => {
      const trigger = await attempt(sink, alerts.trigger);
      const resolve = trigger === 'delivered' ? await attempt(sink, alerts.resolve) : 'not sent';
      return { sink: sink.name, trigger, resolve };
    }),
  );
  return { id: scope.id, deliveries };
};
