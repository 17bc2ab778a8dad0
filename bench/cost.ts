/**
 * The monthly cost of one deployment, line by line, from the figures `npm run bench` measured
 * (bench/figures.json) and AWS's published us-east-1 prices. `npm run docs:cost` renders it into
 * docs/cost.md; a test keeps that page in step with this file and the figures.
 */
import { readFileSync } from 'node:fs';
import type { MetricSet } from '../runtime/metric-set';

/**
 * The alarms the stack declares on the monitor itself, read from serverless.yml (the names after
 * `cognito-sentinel-<stage>-`), so the cost page counts what is really deployed.
 */
export const STACK_ALARMS: readonly string[] = [
  ...readFileSync(new URL('../serverless.yml', import.meta.url), 'utf8').matchAll(
    /AlarmName: cognito-sentinel-\$\{sls:stage\}-([a-z-]+)/g,
  ),
].map((match) => match[1] ?? '');

/** us-east-1 list prices (USD) the page uses; sources are linked on the page. */
export const PRICES = {
  /** Lambda arm64 compute, per GB-second. */
  lambdaGbSecond: 0.0000133334,
  /** Lambda requests, per request. */
  lambdaRequest: 0.2 / 1e6,
  /** CloudWatch custom metric, per metric per month (first 10,000). */
  metric: 0.3,
  /** CloudWatch standard-resolution alarm, per alarm metric per month. */
  alarm: 0.1,
  /** CloudWatch Logs ingestion (standard class), per GB. */
  logsGb: 0.5,
  /** DynamoDB on-demand read request unit. */
  readUnit: 0.125 / 1e6,
  /** DynamoDB on-demand write request unit. */
  writeUnit: 0.625 / 1e6,
  /** CloudWatch dashboard per month, beyond the account's three free ones. */
  dashboard: 3,
  /** Secrets Manager, per secret per month. */
  secret: 0.4,
  /** SSM Parameter Store standard parameter (SecureString included), per month. */
  ssmParameter: 0,
} as const;

/** Minutes in the 30-day month the page uses. */
export const MINUTES_PER_MONTH = 43_200;

/** What `npm run bench -- --json` measured that the cost depends on. */
export interface CostFigures {
  /** Canary: Cognito calls per cycle and its own overhead per cycle (ms), from bench/canary-overhead. */
  canaryCallsPerCycle: number;
  canaryOverheadMs: number;
  /** Trigger-log pipeline: ms to read a ~1 MB batch, from bench/trigger-logs-throughput (healthy). */
  triggerLogsMsPerMb: number;
}

/** The deployment whose cost is computed. */
export interface CostScenario {
  pools: number;
  clientsPerPool: number;
  metricSet: MetricSet;
  secretStore: 'ssm' | 'secretsmanager';
  /** Trigger-log batches a month (depends on sign-up and sign-in traffic). */
  triggerLogBatches: number;
}

/** Assumptions that cannot be measured on a laptop; stated on the page. */
export const ASSUMPTIONS = {
  /** Latency of one Cognito call from Lambda in the same region, ms. */
  cognitoCallMs: 100,
  /** Lambda's own per-invocation overhead billed with the run, ms. */
  invocationOverheadMs: 20,
  /** Memory of the functions, GB (the config's default 256 MB). */
  memoryGb: 0.25,
  /** One pool's config audit: four Describe/List calls and a snapshot read and write, ms (not measured). */
  auditMs: 500,
  /** The sweep's run: a query of the incident table and nothing to do, ms. */
  sweepMs: 100,
  /** Bytes the monitor logs per canary run (START, END, REPORT, one structured line, EMF). */
  canaryLogBytes: 1_500,
  /** Bytes logged per sweep run and per trigger-log batch. */
  otherLogBytes: 800,
  /** A typical trigger-log batch is a few KB, not 1 MB. */
  triggerLogBatchMb: 0.005,
  /** The stack's alarms on the monitor itself (read from serverless.yml). */
  alarms: STACK_ALARMS.length,
} as const;

/** One line of the table. */
export interface CostLine {
  item: string;
  arithmetic: string;
  usd: number;
}

const usd = (value: number) => `$${value < 0.01 && value > 0 ? value.toFixed(4) : value.toFixed(2)}`;
const count = (value: number) => Math.round(value).toLocaleString('en-US');

/** The lines of one scenario, every one included, and their total. */
export const toCostLines = (figures: CostFigures, scenario: CostScenario): CostLine[] => {
  const targets = scenario.pools * scenario.clientsPerPool;
  const canaryRuns = MINUTES_PER_MONTH;
  const sweepRuns = MINUTES_PER_MONTH / 5;
  const auditRuns = (MINUTES_PER_MONTH / 15) * scenario.pools;
  const cycleMs = figures.canaryCallsPerCycle * ASSUMPTIONS.cognitoCallMs + figures.canaryOverheadMs;
  const canaryRunMs = targets * cycleMs + ASSUMPTIONS.invocationOverheadMs;
  const batchMs =
    figures.triggerLogsMsPerMb * ASSUMPTIONS.triggerLogBatchMb + ASSUMPTIONS.invocationOverheadMs;
  const gbSeconds = (runs: number, ms: number) => runs * (ms / 1000) * ASSUMPTIONS.memoryGb;
  const metricsPerTarget = scenario.metricSet === 'lean' ? 2 : 2 + 5 * 2;
  const sharedMetrics = scenario.metricSet === 'lean' ? 0 : 2 + 4;
  const metrics = targets * metricsPerTarget + sharedMetrics;
  const secrets = scenario.pools + 1;
  const secretPrice = scenario.secretStore === 'ssm' ? PRICES.ssmParameter : PRICES.secret;
  const logBytes =
    canaryRuns * ASSUMPTIONS.canaryLogBytes * Math.max(1, targets / 2) +
    (sweepRuns + scenario.triggerLogBatches) * ASSUMPTIONS.otherLogBytes;
  const reads = canaryRuns + sweepRuns;
  const lines: CostLine[] = [
    {
      item: 'canary Lambda compute',
      arithmetic: `${count(canaryRuns)} runs × ${(canaryRunMs / 1000).toFixed(2)} s × ${ASSUMPTIONS.memoryGb} GB × $${PRICES.lambdaGbSecond}`,
      usd: gbSeconds(canaryRuns, canaryRunMs) * PRICES.lambdaGbSecond,
    },
    {
      item: 'canary Lambda requests',
      arithmetic: `${count(canaryRuns)} × $0.20 / 1M`,
      usd: canaryRuns * PRICES.lambdaRequest,
    },
    {
      item: 'incident-sweep Lambda (every 5 min)',
      arithmetic: `${count(sweepRuns)} runs × ${ASSUMPTIONS.sweepMs / 1000} s × ${ASSUMPTIONS.memoryGb} GB, + requests`,
      usd:
        gbSeconds(sweepRuns, ASSUMPTIONS.sweepMs) * PRICES.lambdaGbSecond + sweepRuns * PRICES.lambdaRequest,
    },
    {
      item: 'config-audit Lambda (every 15 min)',
      arithmetic: `${count(auditRuns)} runs × ${ASSUMPTIONS.auditMs / 1000} s × ${ASSUMPTIONS.memoryGb} GB, + requests; its Describe/List calls are free`,
      usd:
        gbSeconds(auditRuns, ASSUMPTIONS.auditMs) * PRICES.lambdaGbSecond + auditRuns * PRICES.lambdaRequest,
    },
    {
      item: 'trigger-log Lambda',
      arithmetic: `${count(scenario.triggerLogBatches)} batches × ${(batchMs / 1000).toFixed(3)} s × ${ASSUMPTIONS.memoryGb} GB, + requests`,
      usd:
        gbSeconds(scenario.triggerLogBatches, batchMs) * PRICES.lambdaGbSecond +
        scenario.triggerLogBatches * PRICES.lambdaRequest,
    },
    {
      item: 'DynamoDB on demand',
      arithmetic: `one query per canary and sweep run: ${count(reads)} RRU × $0.125 / 1M; quiet log batches read nothing; writes only when an incident changes`,
      usd: reads * PRICES.readUnit,
    },
    {
      item: 'CloudWatch Logs ingestion',
      arithmetic: `${(logBytes / 1e6).toFixed(0)} MB × $0.50 / GB`,
      usd: (logBytes / 1e9) * PRICES.logsGb,
    },
    {
      item: 'CloudWatch alarms',
      arithmetic: `${ASSUMPTIONS.alarms} standard alarms × $0.10`,
      usd: ASSUMPTIONS.alarms * PRICES.alarm,
    },
    {
      item: `custom metrics (EMF, \`metrics: ${scenario.metricSet}\`)`,
      arithmetic:
        scenario.metricSet === 'lean'
          ? `${targets} pool/client pair${targets === 1 ? '' : 's'} × (success, latency) = ${metrics} × $0.30; problem counts only in months they happen`
          : `${targets} × (5 steps × (success, latency) + success, latency) + 6 shared = ${metrics} × $0.30`,
      usd: metrics * PRICES.metric,
    },
    {
      item:
        scenario.secretStore === 'ssm'
          ? 'secrets (SSM SecureString, standard tier)'
          : 'secrets (Secrets Manager)',
      arithmetic: `${secrets} (a canary password per pool, the PagerDuty routing key) × ${usd(secretPrice)}`,
      usd: secrets * secretPrice,
    },
    {
      item: 'run records for the weekly report (DynamoDB)',
      arithmetic: `one small write per canary run: ${count(canaryRuns)} WRU × $0.625 / 1M (35-day TTL); trigger-log batches write one only when they found something`,
      usd: canaryRuns * PRICES.writeUnit,
    },
    {
      item: 'CloudWatch dashboard (`deployment.dashboard`)',
      arithmetic: `free within the account's three free dashboards; ${usd(PRICES.dashboard)} a month beyond them`,
      usd: 0,
    },
    {
      item: 'SNS, EventBridge schedules',
      arithmetic: 'a few alert messages (first 1M publishes free); scheduled rules are not charged',
      usd: 0,
    },
  ];
  return lines;
};

export const totalOf = (lines: readonly CostLine[]): number => lines.reduce((sum, line) => sum + line.usd, 0);

/** A Markdown table with padded columns, as the formatter (Biome) writes it. */
const markdownTable = (header: readonly string[], rows: readonly (readonly string[])[]): string => {
  const widths = header.map((cell, column) =>
    Math.max(3, cell.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: readonly string[]) =>
    `| ${cells.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join(' | ')} |`;
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join('\n');
};

const table = (lines: readonly CostLine[]): string =>
  markdownTable(
    ['item', 'arithmetic', 'per month'],
    [
      ...lines.map((line) => [line.item, line.arithmetic, usd(line.usd)]),
      ['**total**', '', `**${usd(totalOf(lines))}**`],
    ],
  );

/** The measured figures the page is built from (bench/figures.json). */
export interface BenchFigures {
  cost: CostFigures;
  bundles: {
    name: string;
    bytes: number;
    gzipBytes: number;
    /** The import alone. */
    initMs: number;
    /** The import plus the wiring the first invocation does (config check, clients). */
    wiredInitMs: number;
    sdkOnlyInitMs: number;
  }[];
}

const BATCHES = 100_000;

/** docs/cost.md. */
export const toCostPage = (figures: BenchFigures): string => {
  const base: CostScenario = {
    pools: 1,
    clientsPerPool: 1,
    metricSet: 'lean',
    secretStore: 'ssm',
    triggerLogBatches: BATCHES,
  };
  const scenarios: [string, CostScenario][] = [
    ['One pool, one app client (the defaults)', base],
    ['Ten pools, one app client each', { ...base, pools: 10, triggerLogBatches: 10 * BATCHES }],
    [
      'One pool, one app client, `metrics: full` and Secrets Manager',
      { ...base, metricSet: 'full', secretStore: 'secretsmanager' },
    ],
  ];
  const bundles = markdownTable(
    [
      'function',
      'bundle',
      'module init',
      'cold start (init + first-invocation wiring)',
      'a bundle of only its AWS SDK clients, built at init',
    ],
    figures.bundles
      .filter((bundle) => bundle.name !== 'bare handler')
      .map((bundle) => [
        bundle.name,
        `${(bundle.bytes / 1024 / 1024).toFixed(1)} MB (${(bundle.gzipBytes / 1024).toFixed(0)} KB gzip)`,
        `${bundle.initMs.toFixed(0)} ms`,
        `${bundle.wiredInitMs.toFixed(0)} ms`,
        `${bundle.sdkOnlyInitMs.toFixed(0)} ms`,
      ]),
  );
  return `<!-- Generated by \`npm run docs:cost\` from bench/figures.json (written by \`npm run bench -- --json bench/figures.json\`) and bench/cost.ts. Do not edit by hand. -->

# What it costs

One deployment, us-east-1 list prices, arm64 Lambda, a 30-day month, one-minute canary cadence,
everything included and no free tier (except the dashboard, which fits in the three free
dashboards of an account that has no others; $3.00 a month otherwise). Prices: [Lambda](https://aws.amazon.com/lambda/pricing/),
[CloudWatch](https://aws.amazon.com/cloudwatch/pricing/) (metrics, alarms, logs),
[DynamoDB on demand](https://aws.amazon.com/dynamodb/pricing/on-demand/),
[Secrets Manager](https://aws.amazon.com/secrets-manager/pricing/),
[Parameter Store](https://aws.amazon.com/systems-manager/pricing/) (standard parameters, SecureString
included, cost nothing).

## Measured (\`npm run bench\`, this development machine)

- A canary cycle makes ${figures.cost.canaryCallsPerCycle} Cognito calls; the monitor's own work per cycle is
  ${figures.cost.canaryOverheadMs.toFixed(2)} ms. Cognito's latency from Lambda cannot be measured here: the table
  assumes ${ASSUMPTIONS.cognitoCallMs} ms a call, plus ${ASSUMPTIONS.invocationOverheadMs} ms per invocation.
- The trigger-log pipeline reads a 1 MB batch in ${figures.cost.triggerLogsMsPerMb.toFixed(1)} ms; typical batches are a few KB.
  A batch without findings makes no DynamoDB call.
- Bundles and module init (a cold start; a one-minute schedule keeps the canary warm, so it is paid
  a few times a day):

${bundles}

## Assumptions

- Secrets: the canary password and the PagerDuty routing key as SSM SecureString parameters
  (standard tier, no monthly charge); each in Secrets Manager instead costs $0.40 a month.
- Custom metrics: \`deployment.metrics: lean\` (the default) publishes \`CanarySuccess\` and
  \`CanaryLatency\` per pool and app client, and problem counts (\`UnreadableLogLines\`, \`Findings\`,
  \`CanaryTargetsNotChecked\`, the alert path's degraded modes) only when they are not zero, so they
  cost only in months something happened. \`full\` adds a success and latency metric per canary step
  and every count on every run.
- ${count(BATCHES)} trigger-log batches a month per pool (sign-up and sign-in traffic decides this).
- ${ASSUMPTIONS.alarms} alarms on the monitor itself (${STACK_ALARMS.join(', ')}).

${scenarios.map(([title, scenario]) => `## ${title}\n\n${table(toCostLines(figures.cost, scenario))}`).join('\n\n')}

For comparison, one CloudWatch Synthetics canary at the same cadence costs 43,200 runs × $0.0012 =
$51.84 a month before its own Lambda, S3 and logs.
`;
};
