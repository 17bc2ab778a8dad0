/**
 * Runtime configuration of the trigger-log function, read once per container from environment
 * variables that serverless.yml fills in. Validated with zod: a bad value fails at start-up with
 * the variable named.
 */
import { z } from 'zod';
import { TRIGGERS } from '../../contracts/triggers';
import { DEFAULT_DETECTOR_CONFIG, type DetectorConfig } from '../../detectors/types';
import type { LogGroupInfo, ResolveLogGroup } from '../logs/types';

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

const logGroupInfoSchema = z.strictObject({
  trigger: z.enum(TRIGGERS).optional(),
  userPoolId: z
    .string()
    .regex(/^[\w-]+_[0-9A-Za-z]+$/, 'a user pool id such as us-east-1_AbC123')
    .optional(),
  region: z
    .string()
    .regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'an AWS region such as us-east-1')
    .optional(),
});

const positiveMs = z.coerce.number().int().positive().max(900_000);

const envSchema = z.object({
  /** JSON object: log group name → { trigger, userPoolId?, region? }. */
  SENTINEL_LOG_GROUPS: z
    .string()
    .optional()
    .transform((text, ctx) => {
      if (text === undefined || text.trim() === '') return {};
      try {
        return JSON.parse(text) as unknown;
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: `is not valid JSON (${(error as Error).message})` });
        return z.NEVER;
      }
    })
    .pipe(z.record(z.string().min(1), logGroupInfoSchema)),
  /** Warning budget for trigger duration, in ms. Default 3000. */
  SENTINEL_SLOW_THRESHOLD_MS: positiveMs.optional(),
  /** SNS topic ARN for alert reports; optional. */
  SENTINEL_ALERT_TOPIC_ARN: z
    .string()
    .regex(/^arn:aws[\w-]*:sns:[\w-]+:\d{12}:[\w-]+$/, 'an SNS topic ARN')
    .optional(),
});

export interface TriggerLogsConfig {
  logGroups: Readonly<Record<string, LogGroupInfo>>;
  resolveLogGroup: ResolveLogGroup;
  detectors: DetectorConfig;
  alertTopicArn?: string;
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
    logGroups[logGroup];

/** Reads and validates the trigger-log function's configuration; throws ConfigError naming the variable. */
export const loadTriggerLogsConfig = (
  env: Readonly<Record<string, string | undefined>>,
): TriggerLogsConfig => {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration: ${problems.join('; ')}`);
  }
  const {
    SENTINEL_LOG_GROUPS: logGroups,
    SENTINEL_SLOW_THRESHOLD_MS,
    SENTINEL_ALERT_TOPIC_ARN,
  } = parsed.data;
  const detectors = {
    ...DEFAULT_DETECTOR_CONFIG,
    ...(SENTINEL_SLOW_THRESHOLD_MS ? { slowThresholdMs: SENTINEL_SLOW_THRESHOLD_MS } : {}),
  };
  if (detectors.slowThresholdMs >= detectors.cognitoTimeoutMs) {
    throw new ConfigError(
      `Invalid configuration: SENTINEL_SLOW_THRESHOLD_MS: ${detectors.slowThresholdMs} must be under Cognito's ${detectors.cognitoTimeoutMs} ms wait`,
    );
  }
  return {
    logGroups,
    resolveLogGroup: toResolveLogGroup(logGroups),
    detectors,
    ...(SENTINEL_ALERT_TOPIC_ARN ? { alertTopicArn: SENTINEL_ALERT_TOPIC_ARN } : {}),
  };
};
