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
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import middy from '@middy/core';
import type { ScheduledEvent } from 'aws-lambda';
import type { AlertPipeline } from '../alerts/pipeline';
import { createDynamoDbRunRecords } from '../alerts/run-records';
import { sendTestPage, type TestPageReport } from '../alerts/test-page';
import type { AlertSink } from '../alerts/types';
import { sendWeeklyReport, type WeeklyReportSent } from '../alerts/weekly-report';
import { createAlertPipelineFromConfig, createAlertSinks, loadAlertsConfig } from '../alerts/wiring';
import type { AlertsConfig } from '../config/alerts-config';
import { awsClientOptions } from '../runtime/aws-client-options';
import { ConfigError } from '../runtime/errors';
import { toProductionHandler } from '../runtime/production-handler';
import { createLogger, createMetrics, type Log, type MetricsRecorder } from '../runtime/telemetry';

/**
 * Asks the function for a test page instead of a sweep (`cognito-sentinel test-page --stage`): a
 * marked trigger and its resolve through every destination, so the deployed path is proven, the
 * function's IAM role included.
 */
export interface TestPageRequest {
  cognitoSentinel: 'test-page';
  /** Unique per test; the CLI makes it. */
  id: string;
  /** Who asked, shown in the page. */
  via?: string;
}

export const isTestPageRequest = (event: unknown): event is TestPageRequest =>
  typeof event === 'object' &&
  event !== null &&
  (event as { cognitoSentinel?: unknown }).cognitoSentinel === 'test-page' &&
  typeof (event as { id?: unknown }).id === 'string' &&
  /^[\w-]{1,64}$/.test((event as { id: string }).id);

/** Asks the function for the weekly report instead of a sweep (the weekly schedule sends this). */
export interface WeeklyReportRequest {
  cognitoSentinel: 'weekly-report';
}

export const isWeeklyReportRequest = (event: unknown): event is WeeklyReportRequest =>
  typeof event === 'object' &&
  event !== null &&
  (event as { cognitoSentinel?: unknown }).cognitoSentinel === 'weekly-report';

export interface IncidentSweepDeps {
  /** Builds the week's report from the table and publishes it to the alert topic. */
  weeklyReport?: (now: Date) => Promise<WeeklyReportSent>;
  alerts: Pick<AlertPipeline, 'sweep'>;
  /** Sends a test page through the configured destinations (`TestPageRequest`). */
  testPage?: (request: TestPageRequest, now: Date) => Promise<TestPageReport>;
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

export const createHandler = ({
  alerts,
  logger,
  metrics,
  testPage,
  weeklyReport,
  now = () => new Date(),
}: IncidentSweepDeps) =>
  middy<
    ScheduledEvent | Record<string, never> | TestPageRequest | WeeklyReportRequest,
    IncidentSweepResult | TestPageReport | WeeklyReportSent
  >().handler(async (event) => {
    if (isWeeklyReportRequest(event)) {
      if (weeklyReport === undefined)
        throw new ConfigError('The weekly report needs the incident table and the alert topic');
      const sent = await weeklyReport(now());
      logger.info('Weekly report published', { ...sent });
      return sent;
    }
    if (isTestPageRequest(event)) {
      if (testPage === undefined) throw new ConfigError('This function was built without a test-page path');
      const report = await testPage(event, now());
      logger.info('Test page sent', { id: report.id, deliveries: report.deliveries });
      return report;
    }
    let report: Awaited<ReturnType<IncidentSweepDeps['alerts']['sweep']>>;
    try {
      report = await alerts.sweep(now());
      // The dashboard's open-incidents graph: every active incident is looked at by each sweep.
      // Published only while there is one, so a quiet month costs no custom metric ($0.30).
      const active = report.incidents?.length ?? 0;
      if (active > 0) metrics?.count('ActiveIncidents', active);
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
  const config = loadAlertsConfig(env);
  const sinks = createAlertSinks(config, { env });
  return {
    logger,
    metrics,
    alerts: createAlertPipelineFromConfig(config, { logger, env, metrics, sinks }),
    testPage: (request, now) => sendTestPageFromConfig(config, sinks, request, now),
    ...weeklyReportFromConfig(config),
  };
};

/** The weekly report job when the table and the topic are configured. */
const weeklyReportFromConfig = (config: AlertsConfig): Pick<IncidentSweepDeps, 'weeklyReport'> => {
  const { incidentTable, snsTopicArn, stage } = config;
  if (incidentTable === undefined || snsTopicArn === undefined) return {};
  const records = createDynamoDbRunRecords({
    client: new DynamoDBClient(awsClientOptions('incidentStore')),
    tableName: incidentTable,
  });
  const sns = new SNSClient(awsClientOptions('alertPublish'));
  return {
    weeklyReport: (now) =>
      sendWeeklyReport({
        read: (since) => records.read(since),
        publisher: {
          publish: async (subject, message) => {
            await sns.send(new PublishCommand({ TopicArn: snsTopicArn, Subject: subject, Message: message }));
          },
        },
        now,
        ...(stage === undefined ? {} : { stage }),
      }),
  };
};

/** The test page as the deployed function sends it: stage, account and region from its environment. */
export const sendTestPageFromConfig = (
  config: AlertsConfig,
  sinks: readonly AlertSink[],
  request: TestPageRequest,
  now: Date,
  region: string | undefined = process.env.AWS_REGION,
): Promise<TestPageReport> =>
  sendTestPage(sinks, {
    id: request.id,
    now,
    stage: config.stage ?? 'unknown',
    ...(config.accountId === undefined ? {} : { accountId: config.accountId }),
    ...(region === undefined ? {} : { region }),
    via: `the deployed incident-sweep function${request.via ? `, asked by ${request.via}` : ''}`,
  });

// Built on the first invocation, once per container: a bad config fails it with the key named.
export const handler = toProductionHandler(() => createHandler(defaultDeps()));
