/**
 * The one configuration of a deployment (sentinel.config.yml): pools to watch, where alerts go and
 * how the monitor itself is deployed. Validated with zod; a bad file fails packaging, a CLI command
 * or a function's first invocation with the key path named (e.g. `pools.0.clients.1.clientId:
 * expected an app client id`).
 *
 * This module holds the schema and the loader the deployed functions use. It never imports the
 * YAML parser: the functions receive the config as JSON embedded at package time (see
 * {@link loadDeployedSentinelConfig}); reading `sentinel.config.yml` from disk lives in `./load`.
 */
import * as z from 'zod';
import { ConfigError } from '../runtime/errors';
import { lazySchema } from '../runtime/lazy-schema';
import { METRIC_SETS } from '../runtime/metric-set';
import { alertsConfigSchema } from './alerts-config';
import { poolConfigSchema } from './pool-config';

/** The retention values CloudWatch Logs accepts, in days. */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

/**
 * How the trigger-log function is subscribed to the trigger log groups:
 * - `log-group`: one subscription filter per log group (uses one of its two slots);
 * - `account-policy`: one account-level subscription filter policy (its own slot, additive to the
 *   two per-group filters), which sends every log group in the account and region except the
 *   excluded ones; the function ignores log groups the config does not list;
 * - `auto`: `log-group` up to `maxLogGroupFilters` log groups, `account-policy` above.
 */
export const SUBSCRIPTION_MODES = ['auto', 'log-group', 'account-policy'] as const;
export type SubscriptionMode = (typeof SUBSCRIPTION_MODES)[number];

const RATE_PATTERN = /^rate\((?:1 (minute|hour|day)|([2-9]|[1-9]\d+) (minutes|hours|days))\)$/;

/** Minutes between two runs of an EventBridge `rate(...)` expression, or undefined when it is not one. */
export const toRateMinutes = (expression: string): number | undefined => {
  const match = RATE_PATTERN.exec(expression);
  if (!match) return undefined;
  const unit = match[1] ?? match[3] ?? '';
  const count = match[2] === undefined ? 1 : Number(match[2]);
  const perUnit = unit.startsWith('minute') ? 1 : unit.startsWith('hour') ? 60 : 1440;
  return count * perUnit;
};

const rateSchema = lazySchema(() =>
  z
    .string()
    .refine(
      (text) => toRateMinutes(text) !== undefined,
      'expected an EventBridge rate such as rate(1 minute), rate(5 minutes) or rate(1 hour)',
    ),
);

/**
 * Default filter pattern of the account-level policy: the lines the trigger-log detectors read
 * (trigger events and responses carry `triggerSource`; the middleware's report lines name
 * cognito-sentinel), and Lambda's error, timeout and init-failure lines. `REPORT` lines are left
 * out because every function in the account writes one per invocation, so `trigger-slow` works in
 * `log-group` mode only unless you add `?REPORT`.
 */
export const DEFAULT_ACCOUNT_POLICY_FILTER_PATTERN =
  '?triggerSource ?"trigger-contract/v1" ?"cognito-sentinel" ?"Invoke Error" ?"Task timed out" ?"Uncaught Exception" ?"Unhandled Promise Rejection" ?"Runtime exited" ?"Runtime." ?timeout ?"Status: error"';

const logGroupNameSchema = lazySchema(() =>
  z.string().regex(/^[\w#./-]{1,512}$/, 'expected a log group name such as /aws/lambda/fn'),
);

/** Stage-independent settings of the monitor's own deployment. Every key has a default. */
export const deploymentConfigSchema = lazySchema(() =>
  z
    .strictObject({
      canary: z
        .strictObject({
          /** How often the canary runs (EventBridge rule). Default `rate(1 minute)`. */
          schedule: rateSchema.default('rate(1 minute)'),
          /** Turn the schedule off without removing the function. Default true. */
          enabled: z.boolean().default(true),
          /** Memory of the canary function, in MB. Default 256. */
          memorySize: z.int().min(128).max(10_240).default(256),
          /** Timeout of one canary run, in seconds; must fit in the schedule interval. Default 30. */
          timeoutSeconds: z.int().min(3).max(900).default(55),
        })
        .default({ schedule: 'rate(1 minute)', enabled: true, memorySize: 256, timeoutSeconds: 55 }),
      configAudit: z
        .strictObject({
          /** How often the config audit runs (EventBridge rule); CloudTrail events run it in between. Default `rate(15 minutes)`. */
          schedule: rateSchema.default('rate(15 minutes)'),
          /** Turn the schedule off without removing the function. Default true. */
          enabled: z.boolean().default(true),
          /** Run the audit within seconds of a CloudTrail-recorded change to a watched pool or trigger function. Default true. */
          onChange: z.boolean().default(true),
          /** Memory of the config-audit function, in MB. Default 256. */
          memorySize: z.int().min(128).max(10_240).default(256),
          /** Timeout of one audit run, in seconds. Default 60. */
          timeoutSeconds: z.int().min(30).max(900).default(60),
          /**
           * Hours a change that can break sign-in keeps its incident open unless reverted (then it is
           * the new baseline); 0 reports every change once. Default 24.
           */
          holdDriftHours: z.number().min(0).max(720).default(24),
        })
        .default({
          schedule: 'rate(15 minutes)',
          enabled: true,
          onChange: true,
          memorySize: 256,
          timeoutSeconds: 60,
          holdDriftHours: 24,
        }),
      triggerLogs: z
        .strictObject({
          /** Memory of the trigger-log function, in MB. Default 256. */
          memorySize: z.int().min(128).max(10_240).default(256),
          /** Timeout of one batch, in seconds. Default 60. */
          timeoutSeconds: z.int().min(3).max(900).default(60),
        })
        .default({ memorySize: 256, timeoutSeconds: 60 }),
      /** Retention of the monitor's own log groups, in days (one of CloudWatch's values). Default 30. */
      logRetentionDays: z
        .union(
          LOG_RETENTION_DAYS.map((days) => z.literal(days)),
          `expected one of CloudWatch Logs' retention values: ${LOG_RETENTION_DAYS.join(', ')}`,
        )
        .default(30),
      subscriptions: z
        .strictObject({
          /** `auto` (default), `log-group` or `account-policy`; see SUBSCRIPTION_MODES. */
          mode: z.enum(SUBSCRIPTION_MODES).default('auto'),
          /** In `auto` mode, the most log groups subscribed one filter each. Default 20. */
          maxLogGroupFilters: z.int().min(1).max(100).default(20),
          /** Filter pattern of the per-log-group filters. Default `""` (every line: trigger log groups are small). */
          filterPattern: z.string().max(1024).default(''),
          /**
           * Filter pattern of the account-level policy. It sees every log group in the account, so the
           * default keeps only the lines the detectors read: trigger events and responses, the
           * middleware's report lines, errors, timeouts and init failures.
           */
          accountPolicyFilterPattern: z.string().max(1024).default(DEFAULT_ACCOUNT_POLICY_FILTER_PATTERN),
          /** Further log groups the account-level policy must not send (the monitor's own are always excluded). */
          excludeLogGroups: z.array(logGroupNameSchema).max(40).default([]),
        })
        .default({
          mode: 'auto',
          maxLogGroupFilters: 20,
          filterPattern: '',
          accountPolicyFilterPattern: DEFAULT_ACCOUNT_POLICY_FILTER_PATTERN,
          excludeLogGroups: [],
        }),
      alarms: z
        .strictObject({
          /** Alarms on the monitor itself (dead-man's switch, errors, DLQ). Default true. */
          enabled: z.boolean().default(true),
          /** Consecutive schedule intervals without a canary invocation before the dead-man's switch fires. Default 5. */
          canaryMissedRuns: z.int().min(1).max(60).default(5),
          /** Consecutive intervals with a canary function error before it alarms. Default 3. */
          canaryErrorRuns: z.int().min(1).max(60).default(3),
          /** Trigger-log function errors within 5 minutes before it alarms. Default 1. */
          triggerLogErrors: z.int().min(1).default(1),
        })
        .default({ enabled: true, canaryMissedRuns: 5, canaryErrorRuns: 3, triggerLogErrors: 1 }),
      /**
       * The custom metrics published: `lean` (default: one success and one latency metric per pool
       * and app client, problem counts only when not zero) or `full` (per canary step, every count).
       */
      metrics: z.enum(METRIC_SETS).default('lean'),
      /** Create the CloudWatch dashboard (about $3 a month beyond the account's three free ones). Default true. */
      dashboard: z.boolean().default(true),
      /** Create a second SNS topic for AWS Chatbot custom notifications. Default false. */
      chatbotTopic: z.boolean().default(false),
      /**
       * Package linked source maps and run the functions with `--enable-source-maps`, so stack traces
       * in the monitor's own logs name TypeScript files and lines. Default false: Node reads the
       * maps while the module loads, which made cold starts about a fifth slower.
       */
      sourceMaps: z.boolean().default(false),
      /** Base URL of a published runbook; alert links point at `<base>#<section>`. */
      runbookBaseUrl: z.url({ protocol: /^https?$/, error: 'expected an http(s) URL' }).optional(),
      /**
       * Encryption at rest of the stack's alert topic: `aws-managed` (default: the AWS-managed key
       * `alias/aws/sns`), `none`, or a customer-managed key ARN. CloudWatch alarms cannot publish to
       * a topic under the AWS-managed key, so with it the monitor's own alarms get a separate topic;
       * with a customer key, its key policy must let `cloudwatch.amazonaws.com` use it.
       */
      alertTopicKmsKey: z
        .union([
          z.literal('aws-managed'),
          z.literal('none'),
          z.string().regex(/^arn:aws[\w-]*:kms:[a-z0-9-]+:\d{12}:key\/[\w-]+$/, 'expected a KMS key ARN'),
        ])
        .default('aws-managed'),
      /** Customer-managed KMS keys that encrypt the configured secrets or SecureString parameters (kms:Decrypt is granted on them only). */
      kmsKeyArns: z
        .array(
          z.string().regex(/^arn:aws[\w-]*:kms:[a-z0-9-]+:\d{12}:key\/[\w-]+$/, 'expected a KMS key ARN'),
        )
        .default([]),
    })
    .superRefine((deployment, ctx) => {
      const minutes = toRateMinutes(deployment.canary.schedule) ?? 1;
      if (deployment.canary.timeoutSeconds > minutes * 60) {
        ctx.addIssue({
          code: 'custom',
          path: ['canary', 'timeoutSeconds'],
          message: `${deployment.canary.timeoutSeconds} s is longer than the schedule interval (${minutes * 60} s); runs would overlap`,
        });
      }
      // CloudWatch refuses alarms whose evaluation window (period x periods) is longer than one day.
      if (minutes * Math.max(deployment.alarms.canaryMissedRuns, deployment.alarms.canaryErrorRuns) > 1440) {
        ctx.addIssue({
          code: 'custom',
          path: ['alarms', 'canaryMissedRuns'],
          message: `the schedule interval (${minutes} min) times the runs to wait is over one day, the longest window a CloudWatch alarm evaluates`,
        });
      }
    }),
);

export type DeploymentConfig = z.infer<typeof deploymentConfigSchema>;

export const sentinelConfigSchema = lazySchema(() =>
  z
    .strictObject({
      pools: z.array(poolConfigSchema).min(1, 'list at least one user pool'),
      alerts: alertsConfigSchema.default({}),
      deployment: deploymentConfigSchema.default(deploymentConfigSchema.parse({}, { jitless: true })),
    })
    .superRefine((config, ctx) => {
      const seen = new Map<string, number>();
      config.pools.forEach((pool, index) => {
        for (const logGroup of Object.keys(pool.triggerLogGroups ?? {})) {
          const first = seen.get(logGroup);
          if (first !== undefined) {
            ctx.addIssue({
              code: 'custom',
              path: ['pools', index, 'triggerLogGroups', logGroup],
              message: `already listed under pools.${first}.triggerLogGroups; a log group serves one pool`,
            });
          } else seen.set(logGroup, index);
        }
      });
    }),
);

/** The validated config. */
export type SentinelConfig = z.infer<typeof sentinelConfigSchema>;
/** The config as written (before defaults and transforms): what is embedded in the functions. */
export type SentinelConfigInput = z.input<typeof sentinelConfigSchema>;

/** Every trigger log group the config lists, in pool order. */
export const listTriggerLogGroups = (config: SentinelConfig): string[] =>
  config.pools.flatMap((pool) => Object.keys(pool.triggerLogGroups ?? {}));

/** The subscription mode in effect: `auto` resolves by the number of trigger log groups. */
export const toSubscriptionMode = (config: SentinelConfig): Exclude<SubscriptionMode, 'auto'> => {
  const { mode, maxLogGroupFilters } = config.deployment.subscriptions;
  if (mode !== 'auto') return mode;
  return listTriggerLogGroups(config).length > maxLogGroupFilters ? 'account-policy' : 'log-group';
};

const formatIssues = (source: string, error: z.ZodError): string =>
  `${source}: ${error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`).join('; ')}`;

/** Validates an already-parsed config object; throws ConfigError naming `source` and every bad key. */
export const validateSentinelConfig = (raw: unknown, source: string): SentinelConfig => {
  // Jitless: a config is parsed once per process, and compiling zod's fast path for each of its
  // objects cost more than the parse (most of a function's init beyond the SDK).
  const parsed = sentinelConfigSchema.safeParse(raw, { jitless: true });
  if (!parsed.success) throw new ConfigError(formatIssues(source, parsed.error));
  return parsed.data;
};

/** Variable the functions read the config from instead of the embedded copy (tests, local runs). JSON. */
export const CONFIG_ENV_OVERRIDE = 'SENTINEL_CONFIG';

// Replaced at package time by esbuild's `define` (serverless.yml custom.esbuild.define) with the
// JSON text of the validated sentinel.config.yml. Undeclared under tsx and vitest: `typeof` is safe.
declare const __SENTINEL_CONFIG__: string | undefined;

/** The config JSON embedded at package time, or undefined outside a packaged function. */
export const embeddedSentinelConfig = (): string | undefined =>
  typeof __SENTINEL_CONFIG__ === 'string' ? __SENTINEL_CONFIG__ : undefined;

/**
 * The deployed functions' config: `SENTINEL_CONFIG` (JSON, for tests and local runs) when set,
 * otherwise the copy of sentinel.config.yml embedded in the bundle at package time. Throws
 * ConfigError naming the source and the bad keys.
 */
// A function's wiring reads the config more than once at init (its own section, then alerts):
// the same text is parsed and validated once.
let lastLoaded: { text: string; source: string; config: SentinelConfig } | undefined;

export const loadDeployedSentinelConfig = (
  env: Readonly<Record<string, string | undefined>> = process.env,
  embedded: string | undefined = embeddedSentinelConfig(),
): SentinelConfig => {
  const override = env[CONFIG_ENV_OVERRIDE];
  const [text, source] =
    override !== undefined && override.trim() !== ''
      ? [override, CONFIG_ENV_OVERRIDE]
      : [embedded, 'the sentinel.config.yml embedded at package time'];
  if (text === undefined) {
    throw new ConfigError(
      `No configuration: package with osls (it embeds sentinel.config.yml) or set ${CONFIG_ENV_OVERRIDE} to the config as JSON`,
    );
  }
  if (lastLoaded !== undefined && lastLoaded.text === text && lastLoaded.source === source)
    return lastLoaded.config;
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`${source}: not valid JSON: ${(error as Error).message}`, { cause: error });
  }
  const config = validateSentinelConfig(raw, source);
  lastLoaded = { text, source, config };
  return config;
};
