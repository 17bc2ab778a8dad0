/**
 * `cognito-sentinel test-page [--stage NAME] [--config FILE] [--region REGION] [--function-name NAME]
 * [--format text|json]`
 *
 * Sends a clearly marked test trigger and its resolve through every configured destination
 * (PagerDuty, the SNS report topic, the Chatbot topic) and reports each delivery. With `--stage` it
 * asks the deployed incident-sweep function to send it (Lambda Invoke), so the deployed path is
 * proven, the function's IAM role and the routing key it reads included. Without `--stage` it sends
 * from this machine through the destinations in the config file, with your own credentials.
 */
import { randomUUID } from 'node:crypto';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { SNSClient } from '@aws-sdk/client-sns';
import { isTestPageDelivered, sendTestPage, type TestPageReport } from '../alerts/test-page';
import type { AlertSink } from '../alerts/types';
import { createAlertSinks } from '../alerts/wiring';
import { applyAlertsEnv } from '../config/alerts-config';
import { configFilePath, readSentinelConfigFile } from '../config/load';
import type { SecretResolver } from '../config/secrets';
import { redactThenClip } from '../redaction/redact';
import { awsClientOptions } from '../runtime/aws-client-options';
import { ConfigError } from '../runtime/errors';
import { type CommandRun, parseCommandArgs, printUsage, textOrJsonFormat } from './command-args';
import { EXIT, UsageError } from './usage-error';

export const TEST_PAGE_USAGE = `Usage: cognito-sentinel test-page [--stage NAME] [options]

Sends a clearly marked TEST PAGE and its resolve through every configured destination (PagerDuty,
the SNS report topic, the Chatbot topic) and says which ones took it. With --stage it goes through
the deployed monitor (the incident-sweep function sends it, with its own IAM role and secrets), so
it proves the path a real page takes. Without --stage it sends from here, with your credentials,
through the destinations in the config file.

Options:
  --stage NAME          the deployed stage to send through (function cognito-sentinel-<stage>-incidentSweep)
  --config FILE         the config (default: $SENTINEL_CONFIG_FILE, else configs/<stage>.yml when it
                        exists, else sentinel.config.yml)
  --region REGION       the deployment's region (default: AWS_REGION, else the first pool's region)
  --function-name NAME  the function to invoke instead of cognito-sentinel-<stage>-incidentSweep
  --format json|text    text (default on a terminal) or one JSON object
  -h, --help            show this help

Exit codes: 0 every destination took the trigger and the resolve, 1 one did not (or none is
configured), 2 bad usage. Uses the standard AWS credential chain.`;

/** Clients for tests; each defaults to a real client with the CLI's budgets. */
export interface TestPageDeps {
  lambda?: (region: string) => Pick<LambdaClient, 'send'>;
  sns?: (region: string) => SNSClient;
  secrets?: SecretResolver;
  fetch?: typeof globalThis.fetch;
  newId?: () => string;
  now?: () => Date;
}

/** The deployed function that sends test pages: the incident sweep of the stage. */
export const testPageFunctionName = (stage: string): string => `cognito-sentinel-${stage}-incidentSweep`;

const regionOfTopic = (arn: string | undefined): string | undefined => arn?.split(':')[3];

const formatReport = (report: TestPageReport, through: string): string => {
  const lines = [`Test page ${report.id} ${through}:`];
  if (report.deliveries.length === 0) {
    lines.push(
      '  no destination is configured: set alerts.pagerDuty, alerts.snsTopicArn or alerts.chatbotTopicArn (or deploy with the stack topic)',
    );
    return `${lines.join('\n')}\n`;
  }
  const width = Math.max(...report.deliveries.map((delivery) => delivery.sink.length));
  for (const delivery of report.deliveries) {
    lines.push(
      `  ${delivery.sink.padEnd(width)}  trigger: ${delivery.trigger}  resolve: ${delivery.resolve}`,
    );
  }
  const failed = report.deliveries.filter(
    (delivery) => delivery.trigger !== 'delivered' || delivery.resolve !== 'delivered',
  ).length;
  lines.push(
    failed === 0
      ? `Every destination (${report.deliveries.length}) took the test trigger and its resolve. Check that the people on call saw it.`
      : `${failed} of ${report.deliveries.length} destinations did not take the test page; see above.`,
  );
  return `${lines.join('\n')}\n`;
};

const isReport = (value: unknown): value is TestPageReport =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as TestPageReport).id === 'string' &&
  Array.isArray((value as TestPageReport).deliveries);

export const testPage: CommandRun<TestPageDeps> = async (argv, io, deps = {}) => {
  const { values } = parseCommandArgs(argv, {
    stage: { type: 'string' },
    config: { type: 'string' },
    region: { type: 'string' },
    'function-name': { type: 'string' },
    format: { type: 'string' },
  });
  if (values.help) return printUsage(io, TEST_PAGE_USAGE);
  const format = textOrJsonFormat(values.format, io);
  if (values['function-name'] && !values.stage)
    throw new UsageError(
      '--function-name goes with --stage (it names the deployed function to send through)',
    );
  const id = (deps.newId ?? randomUUID)();
  const now = (deps.now ?? (() => new Date()))();
  const stage = values.stage;
  const path = configFilePath(values.config, io.env, stage);
  // With --stage the config is only needed for the region, and may well not be on this machine.
  const loadConfig = () => {
    try {
      return readSentinelConfigFile(path).config;
    } catch (error) {
      if (error instanceof ConfigError) throw new UsageError(error.message);
      throw error;
    }
  };

  let report: TestPageReport;
  let through: string;
  if (stage !== undefined) {
    const region =
      values.region ??
      io.env.AWS_REGION ??
      io.env.AWS_DEFAULT_REGION ??
      loadConfig().pools[0]?.region ??
      'us-east-1';
    const functionName = values['function-name'] ?? testPageFunctionName(stage);
    through = `through the deployed function ${functionName} (${region})`;
    const endpoint = io.env.AWS_ENDPOINT_URL_LAMBDA ?? io.env.AWS_ENDPOINT_URL;
    const lambda = (
      deps.lambda ??
      ((r) =>
        new LambdaClient({ ...awsClientOptions('invoke'), region: r, ...(endpoint ? { endpoint } : {}) }))
    )(region);
    const answer = await lambda.send(
      new InvokeCommand({
        FunctionName: functionName,
        Payload: new TextEncoder().encode(
          JSON.stringify({ cognitoSentinel: 'test-page', id, via: 'cognito-sentinel test-page --stage' }),
        ),
      }),
    );
    const text = answer.Payload ? new TextDecoder().decode(answer.Payload) : '';
    let payload: unknown;
    try {
      payload = JSON.parse(text);
    } catch {
      payload = undefined;
    }
    if (answer.FunctionError || !isReport(payload)) {
      const message =
        typeof (payload as { errorMessage?: unknown } | undefined)?.errorMessage === 'string'
          ? (payload as { errorMessage: string }).errorMessage
          : text;
      io.stderr(
        `The deployed function ${functionName} did not send the test page: ${redactThenClip(message.replace(/\s+/g, ' '), 300)}\n` +
          `(a function from before test-page existed answers with a sweep result: deploy again)\n`,
      );
      return EXIT.found;
    }
    report = payload;
  } else {
    const config = loadConfig();
    const alerts = applyAlertsEnv(config.alerts, io.env);
    const snsRegion =
      regionOfTopic(alerts.snsTopicArn) ?? regionOfTopic(alerts.chatbotTopicArn) ?? config.pools[0]?.region;
    const sinks: AlertSink[] = createAlertSinks(alerts, {
      env: io.env,
      allowEnvSecrets: true,
      ...(deps.secrets === undefined ? {} : { secrets: deps.secrets }),
      ...(deps.fetch === undefined ? {} : { fetch: deps.fetch }),
      ...(snsRegion === undefined
        ? {}
        : {
            sns: (deps.sns ?? ((r) => new SNSClient({ ...awsClientOptions('alertPublish'), region: r })))(
              snsRegion,
            ),
          }),
      scope: { stage: 'local' },
    });
    through = `from this machine through the destinations in ${path}`;
    report = await sendTestPage(sinks, { id, now, stage: 'local', via: 'cognito-sentinel test-page' });
  }

  io.stdout(format === 'json' ? `${JSON.stringify(report)}\n` : formatReport(report, through));
  return isTestPageDelivered(report) ? EXIT.ok : EXIT.found;
};

/** The `test-page` command, as the CLI loads it. */
export const COMMAND = { run: testPage, usage: TEST_PAGE_USAGE };
