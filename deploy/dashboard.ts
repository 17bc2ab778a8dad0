/**
 * The CloudWatch dashboard of a deployment (`AWS::CloudWatch::Dashboard`, on unless
 * `deployment.dashboard: false`): per configured pool, canary sign-in success and latency per step;
 * trigger-log findings and incident activity; open incidents; the monitor's own errors and the
 * failed-invocations queue. Pure: names are known at packaging time (stage, region, service), so
 * the body is a plain JSON string without intrinsics.
 *
 * Price: $3.00 a month per dashboard beyond the account's three free ones (CloudWatch pricing);
 * its widgets read metrics the functions already publish.
 */
import type { SentinelConfig } from '../config/sentinel-config';
import { CANARY_STEPS } from '../detectors/canary-observations';

/** The parts of the stack context the dashboard needs. */
export interface DashboardContext {
  service: string;
  stage: string;
  region: string;
}

const NAMESPACE = 'CognitoSentinel';

/** `sign-in` → `SignIn`: the metric names the canary publishes (`SignInSuccess`, `SignInLatency`). */
const metricStep = (step: string): string =>
  step
    .split('-')
    .map((part) => `${part.charAt(0).toUpperCase()}${part.slice(1)}`)
    .join('');

/** The dashboard's name: `<service>-<stage>`. */
export const toDashboardName = (ctx: DashboardContext): string => `${ctx.service}-${ctx.stage}`;

/** The console URL of the dashboard (a stack output, and the link every page carries). */
export const toDashboardUrl = (ctx: DashboardContext): string =>
  `https://${ctx.region}.console.aws.amazon.com/cloudwatch/home?region=${ctx.region}#dashboards:name=${toDashboardName(ctx)}`;

type Widget = Record<string, unknown>;

const search = (expression: string, stat: string, id: string, label: string) => ({
  expression: `SEARCH('${expression}', '${stat}', 300)`,
  id,
  label,
});

const metricWidget = (
  title: string,
  metrics: unknown[],
  region: string,
  extra: Record<string, unknown> = {},
): Widget => ({
  type: 'metric',
  width: 12,
  height: 6,
  properties: { title, region, view: 'timeSeries', stacked: false, metrics, period: 300, ...extra },
});

/** The dashboard body (JSON text). Pure. */
export const toDashboardBody = (config: SentinelConfig, ctx: DashboardContext): string => {
  const { region } = ctx;
  const fn = (name: string) => `${ctx.service}-${ctx.stage}-${name}`;
  const widgets: Widget[] = [];
  config.pools.forEach((pool, index) => {
    const id = pool.userPoolId;
    widgets.push(
      metricWidget(
        `Canary sign-in success: ${id}`,
        [
          [
            search(
              `Namespace="${NAMESPACE}" MetricName="SignInSuccess" UserPool="${id}"`,
              'Average',
              `s${index}`,
              'success',
            ),
          ],
        ],
        region,
        { yAxis: { left: { min: 0, max: 1 } } },
      ),
      metricWidget(
        `Canary latency per step (p50): ${id}`,
        CANARY_STEPS.map((step, s) => [
          search(
            `Namespace="${NAMESPACE}" MetricName="${metricStep(step)}Latency" UserPool="${id}"`,
            'p50',
            `l${index}x${s}`,
            step,
          ),
        ]),
        region,
      ),
    );
  });
  widgets.push(
    metricWidget(
      'Trigger-log findings and lines read',
      [
        [search(`Namespace="${NAMESPACE}" MetricName="Findings"`, 'Sum', 'f', 'findings')],
        [search(`Namespace="${NAMESPACE}" MetricName="CanaryFindings"`, 'Sum', 'c', 'canary findings')],
      ],
      region,
    ),
    {
      type: 'log',
      width: 12,
      height: 6,
      properties: {
        title: 'Incident activity by detector, pool and trigger (dedup key)',
        region,
        view: 'table',
        query: `SOURCE '/aws/lambda/${fn('triggerLogs')}' | SOURCE '/aws/lambda/${fn('canary')}' | SOURCE '/aws/lambda/${fn('incidentSweep')}' | filter message = "Incident" | stats count(*) as runs by dedupKey, action | sort runs desc | limit 50`,
      },
    },
    metricWidget(
      'Active incidents (each sweep)',
      [[search(`Namespace="${NAMESPACE}" MetricName="ActiveIncidents"`, 'Maximum', 'a', 'active incidents')]],
      region,
    ),
    metricWidget(
      "The monitor's own errors",
      ['canary', 'triggerLogs', 'incidentSweep'].map((name) => [
        'AWS/Lambda',
        'Errors',
        'FunctionName',
        fn(name),
        { stat: 'Sum' },
      ]),
      region,
    ),
    metricWidget(
      'Failed invocations queue and degraded alert path',
      [
        [
          'AWS/SQS',
          'ApproximateNumberOfMessagesVisible',
          'QueueName',
          `cognito-sentinel-${ctx.stage}-failed-invocations`,
          { stat: 'Maximum' },
        ],
        [
          search(
            `Namespace="${NAMESPACE}" MetricName="IncidentStoreUnavailable"`,
            'Sum',
            'u',
            'store unavailable',
          ),
        ],
        [search(`Namespace="${NAMESPACE}" MetricName="PageLost"`, 'Sum', 'p', 'pages lost')],
        [search(`Namespace="${NAMESPACE}" MetricName="PagesSilenced"`, 'Sum', 'h', 'pages held by silences')],
      ],
      region,
    ),
  );
  return JSON.stringify({ widgets });
};

/** The dashboard resource and its URL output, or nothing when `deployment.dashboard` is false. */
export const toDashboardResources = (
  config: SentinelConfig,
  ctx: DashboardContext,
): { resources: Record<string, unknown>; outputs: Record<string, unknown> } => {
  if (!config.deployment.dashboard) return { resources: {}, outputs: {} };
  return {
    resources: {
      MonitorDashboard: {
        Type: 'AWS::CloudWatch::Dashboard',
        Properties: { DashboardName: toDashboardName(ctx), DashboardBody: toDashboardBody(config, ctx) },
      },
    },
    outputs: {
      DashboardUrl: {
        Description: 'The monitor dashboard (every page links to it)',
        Value: toDashboardUrl(ctx),
      },
    },
  };
};
