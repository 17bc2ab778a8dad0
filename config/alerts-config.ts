/**
 * The alert destinations and incident rules: the `alerts` part of sentinel.config.yml, and the
 * stack variables that override it in a deployed function. Every key is optional; the defaults
 * live in the code that uses them (`DEFAULT_INCIDENT_POLICY`, the PagerDuty sink), so a config
 * without an `alerts` section gets the same behaviour as one that spells every default out.
 *
 * ```yaml
 * alerts:
 *   snsTopicArn: arn:aws:sns:us-east-1:123456789012:oncall-email   # plain-text reports
 *   chatbotTopicArn: arn:aws:sns:us-east-1:123456789012:oncall-chat # Chatbot custom notifications
 *   pagerDuty:
 *     routingKey: secretsmanager:cognito-sentinel/pagerduty#routingKey
 *   reminderIntervalMinutes: 240     # 0: no reminders
 *   resolve: { canaryPasses: 2, logQuietWindowMinutes: 15 }
 *   flapping: { maxReopens: 3, windowMinutes: 60 }
 * ```
 */
import * as z from 'zod';
import { ConfigError } from '../runtime/errors';
import { lazySchema } from '../runtime/lazy-schema';
import { DEFAULT_INCIDENT_POLICY, type IncidentPolicy } from './incident-policy';
import { parseSecretRef, type SecretRef } from './secret-ref';

/** The message for a bad secret reference; it never repeats the value, which may be the secret itself. */
const SECRET_REF_HINT = 'expected secretsmanager:NAME[#key] or ssm:PATH (the value is not repeated here)';

/**
 * Where the PagerDuty routing key lives. Unlike the generic secret-reference schema, a bad value
 * is not repeated in the error: a routing key pasted in plain text must not reach a log line.
 */
export const routingKeyRefSchema = lazySchema(() =>
  z.string().transform((text, ctx): SecretRef => {
    const parsed = parseSecretRef(text);
    if ('error' in parsed) {
      ctx.addIssue({ code: 'custom', message: SECRET_REF_HINT });
      return z.NEVER;
    }
    return parsed;
  }),
);

export const snsTopicArnSchema = lazySchema(() =>
  z.string().regex(/^arn:aws[\w-]*:sns:[\w-]+:\d{12}:[\w-]+$/, 'expected an SNS topic ARN'),
);

export const dynamoDbTableNameSchema = lazySchema(() =>
  z
    .string()
    .regex(/^[A-Za-z0-9_.-]{3,255}$/, 'expected a DynamoDB table name (3-255 letters, digits, _ . -)'),
);

export const accountIdSchema = lazySchema(() =>
  z.string().regex(/^\d{12}$/, 'expected a 12-digit AWS account id'),
);

export const stageSchema = lazySchema(() =>
  z.string().regex(/^[A-Za-z0-9-]{1,40}$/, 'expected a stage name: letters, digits and -, at most 40'),
);

const httpUrlSchema = lazySchema(() => z.url({ protocol: /^https?$/, error: 'expected an http(s) URL' }));

/** Where PagerDuty Events API v2 is, and where its routing key lives. */
export const pagerDutyConfigSchema = lazySchema(() =>
  z.strictObject({
    /** The integration's 32-character routing key: `secretsmanager:NAME[#key]` or `ssm:PATH` (never plain text). */
    routingKey: routingKeyRefSchema,
    /** Events API endpoint. Default `https://events.pagerduty.com/v2/enqueue` (EU accounts: events.eu.pagerduty.com). */
    endpoint: httpUrlSchema.optional(),
    /** Time one event may take, retries included, in ms. Default 8000. */
    timeBudgetMs: z.int().min(500).max(60_000).optional(),
  }),
);

const WINDOW_DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;

/**
 * A recurring maintenance window (UTC): while it is open, pages about its pools are held like a
 * silence set from the CLI, and go out when it closes if the incident is still open.
 *
 * ```yaml
 * maintenanceWindows:
 *   - name: weekly-deploy
 *     pools: [eu-west-1_AbCdEf123]
 *     days: [tue]
 *     start: "09:00"          # UTC
 *     durationMinutes: 60
 *     reason: weekly Cognito/trigger deploy
 * ```
 */
export const maintenanceWindowSchema = lazySchema(() =>
  z.strictObject({
    /** Names the window in held-page logs and pages. */
    name: z.string().regex(/^[\w-]{1,64}$/, 'expected a name of letters, digits, _ and -'),
    /** The pools it silences (at least one; a window never silences the monitor's own alarms). */
    pools: z.array(z.string().min(1)).min(1),
    /** Only this detector, when set. */
    detector: z.string().optional(),
    /** Only this app client, when set. */
    client: z.string().optional(),
    /** Days it starts on (UTC). */
    days: z.array(z.enum(WINDOW_DAYS)).min(1),
    /** Start time, `HH:MM` UTC. */
    start: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected HH:MM (UTC)'),
    /** Length in minutes, at most a day. */
    durationMinutes: z
      .int()
      .min(1)
      .max(24 * 60),
    /** Why: shown in the held-page log and in the next page. */
    reason: z.string().min(1).max(200),
  }),
);

export type MaintenanceWindow = z.infer<typeof maintenanceWindowSchema>;

export const alertsConfigSchema = lazySchema(() =>
  z.strictObject({
    /** Topic for the plain-text report (email subscribers, filter policies on severity/detector/pool/action). */
    snsTopicArn: snsTopicArnSchema.optional(),
    /** Topic subscribed by AWS Chatbot (Amazon Q Developer in chat applications): custom-notification JSON. */
    chatbotTopicArn: snsTopicArnSchema.optional(),
    pagerDuty: pagerDutyConfigSchema.optional(),
    /** DynamoDB table holding incident state. Normally created by the stack (SENTINEL_INCIDENT_TABLE). */
    incidentTable: dynamoDbTableNameSchema.optional(),
    /** Base URL of the published docs/runbook.md; links point at `<base>#<section>`. */
    runbookBaseUrl: httpUrlSchema.optional(),
    /**
     * The AWS account the deployment runs in. Normally set by the stack (SENTINEL_ACCOUNT_ID); PagerDuty's
     * `dedup_key` and `source` carry it, so pages from many accounts reach one service without colliding.
     */
    accountId: accountIdSchema.optional(),
    /** The deployment's stage (one per account and region). Normally set by the stack (SENTINEL_STAGE). */
    stage: stageSchema.optional(),
    /**
     * Console URL of the monitor's CloudWatch dashboard; every page links to it. Normally set by the
     * stack (SENTINEL_DASHBOARD_URL), absent when `deployment.dashboard` is false.
     */
    dashboardUrl: httpUrlSchema.optional(),
    /** Minutes between reminders while an incident keeps failing; 0 turns them off. Default 240. */
    reminderIntervalMinutes: z
      .int()
      .min(0)
      .max(7 * 24 * 60)
      .optional(),
    resolve: z
      .strictObject({
        /** Consecutive passing canary / config-audit runs that resolve their incident. Default 2. */
        canaryPasses: z.int().min(1).max(100).optional(),
        /** Minutes without a recurrence that resolve a trigger-log incident. Default 15. */
        logQuietWindowMinutes: z
          .int()
          .min(1)
          .max(24 * 60)
          .optional(),
      })
      .optional(),
    /** Recurring windows during which pages are held (see {@link maintenanceWindowSchema}). */
    maintenanceWindows: z.array(maintenanceWindowSchema).max(50).optional(),
    flapping: z
      .strictObject({
        /** Re-openings within the window that hold an incident open instead of paging again. Default 3. */
        maxReopens: z.int().min(1).max(100).optional(),
        /** The flap window, in minutes. Default 60. */
        windowMinutes: z
          .int()
          .min(1)
          .max(24 * 60)
          .optional(),
      })
      .optional(),
  }),
);

export type AlertsConfig = z.infer<typeof alertsConfigSchema>;

/**
 * Stack variables (serverless.yml sets them from resources it creates) and their config keys. A
 * variable that is set wins over the config file.
 */
export const ALERTS_ENV = {
  snsTopicArn: 'SENTINEL_ALERT_TOPIC_ARN',
  chatbotTopicArn: 'SENTINEL_CHATBOT_TOPIC_ARN',
  incidentTable: 'SENTINEL_INCIDENT_TABLE',
  pagerDutyRoutingKey: 'SENTINEL_PAGERDUTY_ROUTING_KEY',
  pagerDutyEndpoint: 'SENTINEL_PAGERDUTY_ENDPOINT',
  runbookBaseUrl: 'SENTINEL_RUNBOOK_BASE_URL',
  accountId: 'SENTINEL_ACCOUNT_ID',
  stage: 'SENTINEL_STAGE',
  dashboardUrl: 'SENTINEL_DASHBOARD_URL',
  reminderIntervalMinutes: 'SENTINEL_REMINDER_INTERVAL_MINUTES',
  canaryPasses: 'SENTINEL_RESOLVE_CANARY_PASSES',
  logQuietWindowMinutes: 'SENTINEL_RESOLVE_QUIET_MINUTES',
} as const;

const fromEnv = <T>(
  env: Readonly<Record<string, string | undefined>>,
  variable: string,
  schema: z.ZodType<T>,
  { secret = false } = {},
): T | undefined => {
  const text = env[variable];
  if (text === undefined || text.trim() === '') return undefined;
  const parsed = schema.safeParse(text.trim());
  if (!parsed.success)
    throw new ConfigError(
      `${variable}: ${secret ? SECRET_REF_HINT : parsed.error.issues.map((issue) => issue.message).join('; ')}`,
    );
  return parsed.data;
};

const intFromText = (min: number, max: number) => z.coerce.number().pipe(z.int().min(min).max(max));

/** The entries of `values` that are not `undefined`. */
const definedOnly = <T extends object>(values: T): Partial<T> =>
  Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined)) as Partial<T>;

/** `base` with the defined `overrides` applied over it; `base` itself when none is defined. */
const withDefined = <T extends object>(base: T | undefined, overrides: Partial<T>): T | undefined => {
  const defined = definedOnly(overrides);
  return Object.keys(defined).length === 0 ? base : ({ ...base, ...defined } as T);
};

/**
 * The alerts config with the stack variables applied over `base` (the config file's `alerts`
 * section, or `{}`). Throws ConfigError naming the variable when one is malformed, e.g. a
 * routing key given as plain text instead of `secretsmanager:NAME`.
 */
export const applyAlertsEnv = (
  base: AlertsConfig,
  env: Readonly<Record<string, string | undefined>>,
): AlertsConfig => {
  const snsTopicArn = fromEnv(env, ALERTS_ENV.snsTopicArn, snsTopicArnSchema);
  const chatbotTopicArn = fromEnv(env, ALERTS_ENV.chatbotTopicArn, snsTopicArnSchema);
  const incidentTable = fromEnv(env, ALERTS_ENV.incidentTable, dynamoDbTableNameSchema);
  const routingKey = fromEnv(env, ALERTS_ENV.pagerDutyRoutingKey, routingKeyRefSchema, { secret: true });
  const endpoint = fromEnv(env, ALERTS_ENV.pagerDutyEndpoint, httpUrlSchema);
  const runbookBaseUrl = fromEnv(env, ALERTS_ENV.runbookBaseUrl, httpUrlSchema);
  const accountId = fromEnv(env, ALERTS_ENV.accountId, accountIdSchema);
  const stage = fromEnv(env, ALERTS_ENV.stage, stageSchema);
  const dashboardUrl = fromEnv(env, ALERTS_ENV.dashboardUrl, httpUrlSchema);
  const reminderIntervalMinutes = fromEnv(
    env,
    ALERTS_ENV.reminderIntervalMinutes,
    intFromText(0, 7 * 24 * 60),
  );
  const canaryPasses = fromEnv(env, ALERTS_ENV.canaryPasses, intFromText(1, 100));
  const logQuietWindowMinutes = fromEnv(env, ALERTS_ENV.logQuietWindowMinutes, intFromText(1, 24 * 60));
  if (endpoint !== undefined && routingKey === undefined && base.pagerDuty === undefined)
    throw new ConfigError(
      `${ALERTS_ENV.pagerDutyEndpoint} is set but no routing key is configured (${ALERTS_ENV.pagerDutyRoutingKey})`,
    );
  const pagerDuty = withDefined(base.pagerDuty, { routingKey, endpoint });
  const resolve = withDefined(base.resolve, { canaryPasses, logQuietWindowMinutes });
  return {
    ...base,
    ...definedOnly({
      snsTopicArn,
      chatbotTopicArn,
      incidentTable,
      runbookBaseUrl,
      accountId,
      stage,
      dashboardUrl,
      reminderIntervalMinutes,
      pagerDuty,
      resolve,
    }),
  };
};

/** Validates an `alerts` object (as written in the config file); throws ConfigError naming the key. */
export const parseAlertsConfig = (raw: unknown, source = 'alerts'): AlertsConfig => {
  const parsed = alertsConfigSchema.safeParse(raw ?? {});
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (issue) => `${[source, ...issue.path].join('.')}: ${issue.message}`,
    );
    throw new ConfigError(problems.join('; '));
  }
  return parsed.data;
};

const MINUTE_MS = 60_000;

/** The incident rules this config asks for, defaults filled in. */
export const toIncidentPolicy = (alerts: AlertsConfig): IncidentPolicy => ({
  ...DEFAULT_INCIDENT_POLICY,
  ...(alerts.reminderIntervalMinutes === undefined
    ? {}
    : { reminderIntervalMs: alerts.reminderIntervalMinutes * MINUTE_MS }),
  ...(alerts.resolve?.canaryPasses === undefined ? {} : { passesToResolve: alerts.resolve.canaryPasses }),
  ...(alerts.resolve?.logQuietWindowMinutes === undefined
    ? {}
    : { quietWindowMs: alerts.resolve.logQuietWindowMinutes * MINUTE_MS }),
  ...(alerts.flapping?.maxReopens === undefined ? {} : { flapMaxReopens: alerts.flapping.maxReopens }),
  ...(alerts.flapping?.windowMinutes === undefined
    ? {}
    : { flapWindowMs: alerts.flapping.windowMinutes * MINUTE_MS }),
});
