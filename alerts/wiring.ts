/**
 * Production wiring of the alert path from configuration: the incident store (DynamoDB, or memory
 * when no table is configured), the sinks (PagerDuty, SNS report topic, Chatbot topic; the log
 * when none is configured) and the incident rules. Functions call it once per container.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SNSClient } from '@aws-sdk/client-sns';
import { type AlertsConfig, applyAlertsEnv, toIncidentPolicy } from '../config/alerts-config';
import { formatSecretRef } from '../config/secret-ref';
import { createAwsSecretResolver, type SecretResolver } from '../config/secrets';
import {
  CONFIG_ENV_OVERRIDE,
  embeddedSentinelConfig,
  loadDeployedSentinelConfig,
} from '../config/sentinel-config';
import { awsClientOptions, PAGERDUTY_BUDGET } from '../runtime/aws-client-options';
import { ConfigError } from '../runtime/errors';
import type { AckTarget } from './acknowledge';
import type { DispatchLogger } from './dispatch';
import {
  createDynamoDbIncidentStore,
  createMemoryIncidentStore,
  type IncidentStore,
  incidentTableName,
} from './incident-store';
import {
  type AlertMetrics,
  type AlertPipeline,
  createAlertPipeline,
  type RecentChangesLookup,
} from './pipeline';
import { createDynamoDbRunRecords, type RunRecorder } from './run-records';
import { createDynamoDbSilenceStore, createSilenceLookup, type SilenceStore } from './silences';
import { createChatbotSink } from './sinks/chatbot';
import { createConsoleSink } from './sinks/console';
import { createPagerDutySink, type PagerDutyScope } from './sinks/pagerduty';
import { createSnsSink } from './sinks/sns';
import type { AlertSink } from './types';

/** Clients and overrides for {@link createAlertPipelineFromConfig}; each defaults to a real client. */
export interface AlertWiringDeps {
  logger: DispatchLogger;
  dynamodb?: Pick<DynamoDBClient, 'send'>;
  sns?: SNSClient;
  secrets?: SecretResolver;
  fetch?: typeof globalThis.fetch;
  /** Allow `env:` secret references (the CLI); deployed functions must not. Default false. */
  allowEnvSecrets?: boolean;
  env?: Readonly<Record<string, string | undefined>>;
  recentChanges?: RecentChangesLookup;
  /** Where the pipeline counts its degraded modes (IncidentStoreUnavailable, PageLost, ...). */
  metrics?: AlertMetrics;
  /** The destinations, when the caller built them already ({@link createAlertSinks}). */
  sinks?: readonly AlertSink[];
}

export const NO_TABLE_WARNING =
  'No incident table configured (SENTINEL_INCIDENT_TABLE): incident state is kept in memory for this container only, so a page may repeat after a cold start';
export const NO_SINK_WARNING =
  'No alert destination configured (SENTINEL_ALERT_TOPIC_ARN, SENTINEL_PAGERDUTY_ROUTING_KEY, SENTINEL_CHATBOT_TOPIC_ARN): alerts are only written to the log';

/** Where {@link createAlertSinks} takes its clients from; each defaults to a real client. */
export type AlertSinkDeps = Pick<AlertWiringDeps, 'sns' | 'secrets' | 'fetch' | 'allowEnvSecrets' | 'env'> & {
  /** The deployment's AWS account and stage: PagerDuty's `dedup_key` and `source` carry them. */
  scope?: PagerDutyScope;
};

/**
 * The configured destinations (PagerDuty, the SNS report topic, the Chatbot topic), in that order;
 * empty when none is configured. Throws ConfigError for an `env:` routing key in a function.
 */
export const createAlertSinks = (alerts: AlertsConfig, deps: AlertSinkDeps = {}): AlertSink[] => {
  const sinks: AlertSink[] = [];
  if (alerts.pagerDuty !== undefined) {
    const ref = alerts.pagerDuty.routingKey;
    if (ref.store === 'env' && deps.allowEnvSecrets !== true)
      throw new ConfigError(
        `alerts.pagerDuty.routingKey: ${formatSecretRef(ref)}: a deployed function reads the routing key from secretsmanager: or ssm:, not from a variable`,
      );
    const secrets =
      deps.secrets ??
      createAwsSecretResolver({
        ...(deps.env === undefined ? {} : { env: deps.env }),
        allowEnv: deps.allowEnvSecrets === true,
      });
    const scope = deps.scope ?? toPagerDutyScope(alerts);
    sinks.push(
      createPagerDutySink({
        routingKey: () => secrets.get(ref),
        ...(deps.fetch === undefined ? {} : { fetch: deps.fetch }),
        ...(alerts.pagerDuty.endpoint === undefined ? {} : { endpoint: alerts.pagerDuty.endpoint }),
        ...(scope === undefined ? {} : { scope }),
        attemptTimeoutMs: PAGERDUTY_BUDGET.attemptTimeoutMs,
        timeBudgetMs: alerts.pagerDuty.timeBudgetMs ?? PAGERDUTY_BUDGET.timeBudgetMs,
      }),
    );
  }
  const sns =
    alerts.snsTopicArn !== undefined || alerts.chatbotTopicArn !== undefined
      ? (deps.sns ?? new SNSClient(awsClientOptions('alertPublish')))
      : undefined;
  if (sns !== undefined && alerts.snsTopicArn !== undefined)
    sinks.push(createSnsSink({ client: sns, topicArn: alerts.snsTopicArn }));
  if (sns !== undefined && alerts.chatbotTopicArn !== undefined)
    sinks.push(createChatbotSink({ client: sns, topicArn: alerts.chatbotTopicArn }));
  return sinks;
};

/** The account and stage a deployed function's config names, when it names them. */
const toPagerDutyScope = (alerts: AlertsConfig): PagerDutyScope | undefined =>
  alerts.accountId === undefined && alerts.stage === undefined
    ? undefined
    : {
        ...(alerts.accountId === undefined ? {} : { accountId: alerts.accountId }),
        ...(alerts.stage === undefined ? {} : { stage: alerts.stage }),
      };

/** The pipeline for a validated alerts config. Throws ConfigError for an `env:` routing key in a function. */
export const createAlertPipelineFromConfig = (alerts: AlertsConfig, deps: AlertWiringDeps): AlertPipeline => {
  const { logger } = deps;
  const warnings: string[] = [];
  let store: IncidentStore;
  let silenceStore: SilenceStore | undefined;
  if (alerts.incidentTable !== undefined) {
    const client = deps.dynamodb ?? new DynamoDBClient(awsClientOptions('incidentStore'));
    store = createDynamoDbIncidentStore({ client, tableName: alerts.incidentTable });
    silenceStore = createDynamoDbSilenceStore({ client, tableName: alerts.incidentTable });
  } else {
    store = createMemoryIncidentStore();
    warnings.push(NO_TABLE_WARNING);
  }

  const sinks = [...(deps.sinks ?? createAlertSinks(alerts, deps))];
  if (sinks.length === 0) {
    sinks.push(createConsoleSink({ write: (text) => logger.info('Alert', { report: text }) }));
    warnings.push(NO_SINK_WARNING);
  }

  return createAlertPipeline({
    store,
    sinks,
    policy: toIncidentPolicy(alerts),
    logger,
    ...(alerts.runbookBaseUrl === undefined ? {} : { runbookBaseUrl: alerts.runbookBaseUrl }),
    ...(alerts.dashboardUrl === undefined ? {} : { dashboardUrl: alerts.dashboardUrl }),
    ...toAcknowledge(alerts, deps.env ?? process.env),
    ...(deps.recentChanges === undefined ? {} : { recentChanges: deps.recentChanges }),
    ...(deps.metrics === undefined ? {} : { metrics: deps.metrics }),
    silences: createSilenceLookup(silenceStore, alerts.maintenanceWindows),
    ...(warnings.length === 0 ? {} : { startupWarning: warnings.join('. ') }),
  });
};

/**
 * Where the pages' `cognito-sentinel ack` command finds the incident: only when PagerDuty is not
 * used (it acknowledges on its own) and the incident is kept in a table of a known stage.
 */
const toAcknowledge = (
  alerts: AlertsConfig,
  env: Readonly<Record<string, string | undefined>>,
): { acknowledge?: AckTarget } => {
  const { stage, incidentTable } = alerts;
  if (alerts.pagerDuty !== undefined || stage === undefined || incidentTable === undefined) return {};
  const region = env.AWS_REGION?.trim();
  return {
    acknowledge: {
      stage,
      ...(region ? { region } : {}),
      ...(incidentTable === incidentTableName(stage) ? {} : { table: incidentTable }),
    },
  };
};

/** Where a function writes its run records (the incident table), or `undefined` without a table. */
export const createRunRecorder = (
  alerts: AlertsConfig,
  dynamodb?: Pick<DynamoDBClient, 'send'>,
): RunRecorder | undefined =>
  alerts.incidentTable === undefined
    ? undefined
    : createDynamoDbRunRecords({
        client: dynamodb ?? new DynamoDBClient(awsClientOptions('incidentStore')),
        tableName: alerts.incidentTable,
      });

/**
 * The alerts config of a deployed function: the `alerts` section of the deployed
 * sentinel.config.yml (with `deployment.runbookBaseUrl` as the runbook base when `alerts` has
 * none), when a config is present, and the stack variables over it (`SENTINEL_ALERT_TOPIC_ARN`,
 * `SENTINEL_CHATBOT_TOPIC_ARN`, `SENTINEL_INCIDENT_TABLE`, `SENTINEL_PAGERDUTY_ROUTING_KEY`, ...).
 */
export const loadAlertsConfig = (
  env: Readonly<Record<string, string | undefined>> = process.env,
  embedded: string | undefined = embeddedSentinelConfig(),
): AlertsConfig => {
  const hasConfig = (env[CONFIG_ENV_OVERRIDE] ?? '').trim() !== '' || embedded !== undefined;
  let base: AlertsConfig = {};
  if (hasConfig) {
    const config = loadDeployedSentinelConfig(env, embedded);
    const runbookBaseUrl = config.alerts.runbookBaseUrl ?? config.deployment?.runbookBaseUrl;
    // Already validated with the rest of the file.
    base = { ...config.alerts, ...(runbookBaseUrl === undefined ? {} : { runbookBaseUrl }) };
  }
  return applyAlertsEnv(base, env);
};
