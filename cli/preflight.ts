/**
 * `cognito-sentinel preflight [--config FILE] [--stage NAME] [--region REGION]`: checks, before
 * `osls deploy`, that the deployment can subscribe to every configured trigger log group.
 *
 * A log group takes at most two subscription filters (a quota AWS does not raise), and trigger log
 * groups often carry a forwarder already. CloudFormation would fail on the third filter with a bare
 * `LimitExceededException`; this names the log group, the filters in the way, and what to do. In
 * account-policy mode no per-group slot is needed; the check is that no other account-level
 * subscription filter policy is in place. Exit codes: 0 ready, 1 something blocks the deploy,
 * 2 bad usage or an unreadable config.
 */

import {
  CloudWatchLogsClient,
  DescribeAccountPoliciesCommand,
  DescribeSubscriptionFiltersCommand,
  type SubscriptionFilter,
} from '@aws-sdk/client-cloudwatch-logs';
import { configFilePath, readSentinelConfigFile } from '../config/load';
import { type SentinelConfig, toSubscriptionMode } from '../config/sentinel-config';
import {
  assertDeployable,
  FUNCTION_KEYS,
  type StackContext,
  toFunctionName,
  toSubscriptionName,
} from '../deploy/stack';
import { awsClientOptions } from '../runtime/aws-client-options';
import { ConfigError } from '../runtime/errors';
import { type CommandRun, parseCommandArgs, printUsage, textOrJsonFormat } from './command-args';
import { EXIT, UsageError } from './usage-error';

export const PREFLIGHT_USAGE = `Usage: cognito-sentinel preflight [options]

Checks that the deployment can subscribe to every trigger log group in the config: each log group
exists and has a free subscription-filter slot (two per log group, a quota AWS does not raise),
or, in account-policy mode, that no other account-level subscription filter policy is in place.

Options:
  --config FILE     the config (default $SENTINEL_CONFIG_FILE or ./sentinel.config.yml)
  --stage NAME      the stage you will deploy (default dev); recognises this deployment's own filters
  --region REGION   the region you will deploy to (default the first pool's)
  --format json|text  json: one line per log group (default text on a terminal)
  -h, --help        show this help

Exit codes: 0 ready to deploy, 1 something blocks the deploy (the message says what to do),
2 bad usage or an unreadable config. Uses the standard AWS credential chain.`;

/** A log group allows this many subscription filters; the quota cannot be raised. */
export const FILTERS_PER_LOG_GROUP = 2;

export const SLOT_STATES = ['ours', 'free', 'full', 'missing', 'not-needed'] as const;
export type SlotState = (typeof SLOT_STATES)[number];

/** What preflight found for one log group (or, in account-policy mode, for the account). */
export interface SlotCheck {
  logGroup: string;
  state: SlotState;
  /** Filters already on the log group, by name and destination. */
  filters: { name: string; destination: string }[];
  /** What to do, for the states that block the deploy. */
  advice?: string;
}

export interface PreflightReport {
  mode: 'log-group' | 'account-policy';
  checks: SlotCheck[];
  /** Problems that are not about one log group (another account policy, region mismatch). */
  problems: string[];
  ok: boolean;
}

/** Client factory: one CloudWatch Logs client per region (tests inject clients on moto). */
export type LogsClientFor = (region: string) => Pick<CloudWatchLogsClient, 'send'>;

const describeFilters = (filters: readonly SubscriptionFilter[]) =>
  filters.map((filter) => ({ name: filter.filterName ?? '', destination: filter.destinationArn ?? '' }));

/** Classifies one log group's subscription filters. Pure. */
export const toSlotCheck = (
  logGroup: string,
  filters: readonly SubscriptionFilter[] | undefined,
  ours: { filterName: string; functionName: string },
): SlotCheck => {
  if (filters === undefined) {
    return {
      logGroup,
      state: 'missing',
      filters: [],
      advice: `the log group does not exist. Check the name in triggerLogGroups; a function's log group appears after its first invocation (or create it: aws logs create-log-group --log-group-name ${logGroup})`,
    };
  }
  const listed = describeFilters(filters);
  const isOurs = (filter: { name: string; destination: string }) =>
    filter.name === ours.filterName || filter.destination.endsWith(`:function:${ours.functionName}`);
  if (listed.some(isOurs)) return { logGroup, state: 'ours', filters: listed };
  if (listed.length < FILTERS_PER_LOG_GROUP) return { logGroup, state: 'free', filters: listed };
  return {
    logGroup,
    state: 'full',
    filters: listed,
    advice: `both subscription-filter slots are taken (${listed.map((filter) => `${filter.name} -> ${filter.destination}`).join(', ')}) and AWS does not raise that quota. Either set deployment.subscriptions.mode: account-policy in the config (an account-level subscription filter policy has its own slot), or remove one of these filters, or merge it with another forwarder (e.g. point two forwarders at one Kinesis/Firehose fan-out)`,
  };
};

/** Runs the checks against CloudWatch Logs. */
export const runPreflight = async (
  config: SentinelConfig,
  ctx: StackContext,
  logsFor: LogsClientFor,
): Promise<PreflightReport> => {
  const problems: string[] = [];
  try {
    assertDeployable(config, ctx);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    problems.push(error.message);
  }
  const mode = toSubscriptionMode(config);
  const ours = { filterName: toSubscriptionName(ctx), functionName: toFunctionName(ctx, 'triggerLogs') };
  const checks: SlotCheck[] = [];

  if (mode === 'account-policy') {
    const { accountPolicies = [] } = await logsFor(ctx.region).send(
      new DescribeAccountPoliciesCommand({ policyType: 'SUBSCRIPTION_FILTER_POLICY' }),
    );
    const others = accountPolicies.filter((policy) => policy.policyName !== ours.filterName);
    if (others.length > 0) {
      problems.push(
        `the account already has an account-level subscription filter policy in ${ctx.region} (${others.map((policy) => policy.policyName).join(', ')}); a log group takes at most one account-level subscription filter. Use deployment.subscriptions.mode: log-group, or exclude the trigger log groups from that policy and from ours`,
      );
    }
  }

  for (const pool of config.pools) {
    const client = logsFor(pool.region);
    for (const logGroup of Object.keys(pool.triggerLogGroups ?? {})) {
      let filters: SubscriptionFilter[] | undefined;
      try {
        ({ subscriptionFilters: filters = [] } = await client.send(
          new DescribeSubscriptionFiltersCommand({ logGroupName: logGroup }),
        ));
      } catch (error) {
        if ((error as Error).name !== 'ResourceNotFoundException') throw error;
        filters = undefined;
      }
      const check = toSlotCheck(logGroup, filters, ours);
      // The account policy needs no per-group slot; a missing log group is still worth knowing.
      if (mode === 'account-policy' && check.state !== 'missing')
        checks.push({ logGroup, state: 'not-needed', filters: check.filters });
      else if (mode === 'account-policy') checks.push({ ...check, state: 'missing' });
      else checks.push(check);
    }
  }
  const blocking = checks.filter(
    (check) => check.state === 'full' || (check.state === 'missing' && mode === 'log-group'),
  );
  return { mode, checks, problems, ok: problems.length === 0 && blocking.length === 0 };
};

const STATE_TEXT: Record<SlotState, [label: string, note: string]> = {
  ours: ['ok', 'already subscribed by this deployment'],
  free: ['ok', 'free slot'],
  full: ['FULL', 'no free slot'],
  missing: ['MISSING', 'no such log group'],
  'not-needed': ['ok', 'account policy: no slot needed'],
};

/** The human report. Pure. */
export const renderPreflight = (report: PreflightReport): string => {
  const lines = [`Subscription mode: ${report.mode}`];
  for (const check of report.checks) {
    const [label, note] = STATE_TEXT[check.state];
    lines.push(
      `  ${label.padEnd(8)}${check.logGroup}  (${check.filters.length}/${FILTERS_PER_LOG_GROUP} filters)  ${note}`,
    );
    if (check.advice && (check.state === 'full' || report.mode === 'log-group'))
      lines.push(`          ${check.advice}`);
    if (check.state === 'missing' && report.mode === 'account-policy')
      lines.push('          the account policy covers it once it exists; check the name in triggerLogGroups');
  }
  if (report.checks.length === 0) {
    lines.push(
      '  no trigger log groups in the config: list them under pools[].triggerLogGroups to read trigger logs',
    );
  }
  for (const problem of report.problems) lines.push(`  PROBLEM  ${problem}`);
  lines.push(
    report.ok
      ? 'Ready: npx osls deploy --stage <account-name>'
      : 'Not ready: fix the items above, then run preflight again.',
  );
  return `${lines.join('\n')}\n`;
};

export interface PreflightDeps {
  logsFor?: LogsClientFor;
}

export const preflight: CommandRun<PreflightDeps> = async (argv, io, deps = {}) => {
  const { values } = parseCommandArgs(argv, {
    config: { type: 'string' },
    stage: { type: 'string' },
    region: { type: 'string' },
    format: { type: 'string' },
  });
  if (values.help) return printUsage(io, PREFLIGHT_USAGE);
  const format = textOrJsonFormat(values.format, io);
  let config: SentinelConfig;
  try {
    ({ config } = readSentinelConfigFile(configFilePath(values.config, io.env, values.stage)));
  } catch (error) {
    if (error instanceof ConfigError) throw new UsageError(error.message);
    throw error;
  }
  const region = values.region ?? config.pools[0]?.region ?? 'us-east-1';
  const ctx: StackContext = {
    service: 'cognito-sentinel',
    stage: values.stage ?? 'dev',
    region,
    functions: FUNCTION_KEYS,
  };
  const clients = new Map<string, Pick<CloudWatchLogsClient, 'send'>>();
  const logsFor =
    deps.logsFor ??
    ((clientRegion: string) => {
      let client = clients.get(clientRegion);
      if (!client) {
        client = new CloudWatchLogsClient({ ...awsClientOptions('logs'), region: clientRegion });
        clients.set(clientRegion, client);
      }
      return client;
    });
  const report = await runPreflight(config, ctx, logsFor);
  if (format === 'json') {
    for (const check of report.checks) io.stdout(`${JSON.stringify(check)}\n`);
    for (const problem of report.problems) io.stdout(`${JSON.stringify({ problem })}\n`);
  } else {
    io.stdout(renderPreflight(report));
  }
  return report.ok ? EXIT.ok : EXIT.found;
};

/** The `preflight` command, as the CLI loads it. */
export const COMMAND = { run: preflight, usage: PREFLIGHT_USAGE };
