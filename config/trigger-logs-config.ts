/**
 * The trigger-log function's view of sentinel.config.yml: which log groups it reads, which pool and
 * trigger each serves, the detectors' budgets and where alerts go. Built once per container from
 * the config embedded at package time (or `SENTINEL_CONFIG` in tests), plus the ARNs of resources
 * the stack creates, which serverless.yml passes as environment variables.
 */
import { TRIGGERS, type TriggerName } from '../contracts/triggers';
import { DEFAULT_DETECTOR_CONFIG, type DetectorConfig } from '../detectors/types';
import { ConfigError } from '../runtime/errors';
import type { MetricSet } from '../runtime/metric-set';
import { loadDeployedSentinelConfig, type SentinelConfig, toSubscriptionMode } from './sentinel-config';

/** What the deployment knows about a log group (from pool LambdaConfig discovery or `--trigger-map`). */
export interface LogGroupInfo {
  trigger?: TriggerName;
  userPoolId?: string;
  region?: string;
}

export type ResolveLogGroup = (logGroup: string) => LogGroupInfo | undefined;

/** Stack-created values serverless.yml passes to the functions (they are not in the config file). */
export const STACK_ENV = {
  alertTopicArn: 'SENTINEL_ALERT_TOPIC_ARN',
  chatbotTopicArn: 'SENTINEL_CHATBOT_TOPIC_ARN',
  incidentTable: 'SENTINEL_INCIDENT_TABLE',
  stage: 'SENTINEL_STAGE',
} as const;

export interface TriggerLogsConfig {
  logGroups: Readonly<Record<string, LogGroupInfo>>;
  resolveLogGroup: ResolveLogGroup;
  detectors: DetectorConfig;
  /** SNS topics to publish reports to: the stack's alert topic and `alerts.snsTopicArn` when set. */
  alertTopicArn?: string;
  /**
   * Skip batches from log groups the config does not list. True when the function is fed by the
   * account-level subscription policy, which sends every log group in the account.
   */
  ignoreUnlistedLogGroups?: boolean;
  /** The custom metrics published (`deployment.metrics`); absent means `lean`. */
  metricSet?: MetricSet;
}

/** Parses `--trigger-map`-style `LOGGROUP=Trigger` pairs into log-group info. */
export const toLogGroupMap = (pairs: readonly string[]): Record<string, LogGroupInfo> => {
  const map: Record<string, LogGroupInfo> = {};
  for (const pair of pairs) {
    const at = pair.lastIndexOf('=');
    const logGroup = pair.slice(0, at).trim();
    const trigger = pair.slice(at + 1).trim();
    if (at <= 0 || logGroup === '')
      throw new ConfigError(`--trigger-map "${pair}": expected LOGGROUP=Trigger`);
    const known = TRIGGERS.find((name) => name.toLowerCase() === trigger.toLowerCase());
    if (!known)
      throw new ConfigError(
        `--trigger-map "${pair}": unknown trigger "${trigger}"; expected one of ${TRIGGERS.join(', ')}`,
      );
    map[logGroup] = { trigger: known };
  }
  return map;
};

/** Builds the resolver the log parser uses from a log-group map. */
export const toResolveLogGroup =
  (logGroups: Readonly<Record<string, LogGroupInfo>>): ResolveLogGroup =>
  (logGroup) =>
    Object.hasOwn(logGroups, logGroup) ? logGroups[logGroup] : undefined;

/** Every configured trigger log group with its pool, region and trigger. */
export const toConfiguredLogGroups = (config: SentinelConfig): Record<string, LogGroupInfo> => {
  const map: Record<string, LogGroupInfo> = {};
  for (const pool of config.pools) {
    for (const [logGroup, trigger] of Object.entries(pool.triggerLogGroups ?? {})) {
      map[logGroup] = { trigger, userPoolId: pool.userPoolId, region: pool.region };
    }
  }
  return map;
};

/** The trigger-log function's config from a validated sentinel config and the stack's variables. */
export const toTriggerLogsConfig = (
  config: SentinelConfig,
  env: Readonly<Record<string, string | undefined>> = {},
): TriggerLogsConfig => {
  const logGroups = toConfiguredLogGroups(config);
  const alertTopicArn = env[STACK_ENV.alertTopicArn] || config.alerts.snsTopicArn;
  const detectors: DetectorConfig = { ...DEFAULT_DETECTOR_CONFIG };
  return {
    logGroups,
    resolveLogGroup: toResolveLogGroup(logGroups),
    detectors,
    ...(alertTopicArn ? { alertTopicArn } : {}),
    ...(toSubscriptionMode(config) === 'account-policy' ? { ignoreUnlistedLogGroups: true } : {}),
    metricSet: config.deployment.metrics,
  };
};

/**
 * Reads and validates the trigger-log function's configuration (once per container): the embedded
 * sentinel.config.yml, or `SENTINEL_CONFIG` when set. Throws ConfigError naming the key.
 */
export const loadTriggerLogsConfig = (
  env: Readonly<Record<string, string | undefined>> = process.env,
  embedded?: string,
): TriggerLogsConfig =>
  toTriggerLogsConfig(
    embedded === undefined ? loadDeployedSentinelConfig(env) : loadDeployedSentinelConfig(env, embedded),
    env,
  );
