import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { CreateTopicCommand, SNSClient } from '@aws-sdk/client-sns';
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { beforeEach, describe, expect, it } from 'vitest';
import type { TestPageReport } from '../../alerts/test-page';
import { createAlertSinks } from '../../alerts/wiring';
import { testPage } from '../../cli/test-page';
import { parseAlertsConfig } from '../../config/alerts-config';
import { createSecretResolver } from '../../config/secrets';
import { startLambdaInvokeServer } from '../../demo/local/lambda-invoke-server';
import { awsClientConfig, readSnsNotifications } from '../../demo/local/moto';
import { createHandler, sendTestPageFromConfig } from '../../functions/incident-sweep';
import { captureIo } from '../support/capture-io';
import { startMotoForFile } from '../support/moto';
import { ROUTING_KEY, startPagerDutyServerForFile } from '../support/pagerduty-server';
import { runMain, usageRefusal } from '../support/run-main';

const ROUTING_KEY_PARAMETER = '/cognito-sentinel/pagerduty/routing-key';
const ACCOUNT = '111122223333';

describe('test-page usage', () => {
  it('refuses --function-name without --stage', async () => {
    expect(await runMain(['test-page', '--function-name', 'x'])).toMatchObject(
      usageRefusal(/--function-name goes with --stage/),
    );
  });

  it('names a missing config file and exits 2', async () => {
    expect(await runMain(['test-page', '--config', '/nonexistent/sentinel.yml'])).toMatchObject(
      usageRefusal(/\/nonexistent\/sentinel.yml: no such file/),
    );
  });
});

const moto = await startMotoForFile();
const pagerDuty = await startPagerDutyServerForFile();

describe.runIf(moto)('test-page against moto (SNS, SSM) and the PagerDuty stand-in', () => {
  const config = awsClientConfig(moto?.endpoint ?? '');
  const sns = new SNSClient(config);
  const ssm = new SSMClient(config);
  const dir = mkdtempSync(join(tmpdir(), 'sentinel-test-page-'));
  const configFile = join(dir, 'sentinel.config.yml');
  let emailTopic = '';
  let chatTopic = '';

  beforeEach(async () => {
    await moto?.reset();
    pagerDuty.reset();
    emailTopic = (await sns.send(new CreateTopicCommand({ Name: 'oncall-email' }))).TopicArn ?? '';
    chatTopic = (await sns.send(new CreateTopicCommand({ Name: 'oncall-chat' }))).TopicArn ?? '';
    await ssm.send(
      new PutParameterCommand({ Name: ROUTING_KEY_PARAMETER, Type: 'SecureString', Value: ROUTING_KEY }),
    );
    writeFileSync(
      configFile,
      [
        'pools:',
        '  - userPoolId: us-east-1_AbCdEf123',
        '    region: us-east-1',
        '    clients: [{ clientId: 1example23456789abcdefghij }]',
        'alerts:',
        `  snsTopicArn: ${emailTopic}`,
        `  chatbotTopicArn: ${chatTopic}`,
        '  pagerDuty:',
        `    routingKey: ssm:${ROUTING_KEY_PARAMETER}`,
        `    endpoint: ${pagerDuty.endpoint}`,
        '',
      ].join('\n'),
    );
  });

  const secrets = () => createSecretResolver({ ssm });
  const published = async () => readSnsNotifications(moto?.endpoint ?? '');

  it('delivers one trigger and one resolve per destination from the config file, and says so', async () => {
    const { io, out } = captureIo();

    const code = await testPage(['--config', configFile, '--format', 'json'], io, {
      sns: () => sns,
      secrets: secrets(),
    });

    expect(code).toBe(0);
    const report = JSON.parse(out()) as TestPageReport;
    expect(report.deliveries).toEqual([
      { sink: 'pagerduty', trigger: 'delivered', resolve: 'delivered' },
      { sink: 'sns:oncall-email', trigger: 'delivered', resolve: 'delivered' },
      { sink: 'chatbot:oncall-chat', trigger: 'delivered', resolve: 'delivered' },
    ]);
    const [trigger] = pagerDuty.accepted('trigger');
    const [resolve] = pagerDuty.accepted('resolve');
    expect(pagerDuty.accepted()).toHaveLength(2);
    expect(String((trigger?.payload as { summary?: string } | undefined)?.summary)).toMatch(
      /^TEST PAGE from cognito-sentinel/,
    );
    expect(resolve?.dedup_key).toBe(trigger?.dedup_key);
    expect(pagerDuty.alerts.get(String(trigger?.dedup_key))?.status).toBe('resolved');
    const messages = await published();
    const byTopic = (arn: string) => messages.filter((message) => message.topicArn === arn);
    expect(byTopic(emailTopic).map((message) => message.subject)).toEqual([
      expect.stringMatching(/^\[CRITICAL\] TEST PAGE from cognito-sentinel/),
      expect.stringMatching(/^\[RESOLVED\] TEST PAGE from cognito-sentinel/),
    ]);
    expect(byTopic(chatTopic)).toHaveLength(2);
    expect(byTopic(emailTopic)[0]?.messageAttributes.detector?.Value).toBe('test-page');
    expect(out()).not.toContain(ROUTING_KEY);
  });

  it('reports the destination that refused the page, still delivers through the others, and exits 1', async () => {
    pagerDuty.mode = '400';
    const { io, out } = captureIo();

    const code = await testPage(['--config', configFile, '--format', 'text'], io, {
      sns: () => sns,
      secrets: secrets(),
    });

    expect(code).toBe(1);
    expect(out()).toMatch(/pagerduty +trigger: .*400.* resolve: not sent/);
    expect(out()).toMatch(/sns:oncall-email +trigger: delivered {2}resolve: delivered/);
    expect(out()).toMatch(/1 of 3 destinations did not take the test page/);
    expect(out()).not.toContain(ROUTING_KEY);
  });

  it('with --stage, has the deployed function send it (Lambda Invoke), the account in the dedup key and source', async () => {
    const alerts = {
      ...parseAlertsConfig({
        snsTopicArn: emailTopic,
        pagerDuty: { routingKey: `ssm:${ROUTING_KEY_PARAMETER}`, endpoint: pagerDuty.endpoint },
      }),
      accountId: ACCOUNT,
      stage: 'acme-prod',
    };
    const sinks = createAlertSinks(alerts, { sns, secrets: secrets() });
    const quiet = { debug() {}, info() {}, warn() {}, error() {} };
    const invoke = await startLambdaInvokeServer({
      functions: {
        'cognito-sentinel-acme-prod-incidentSweep': {
          timeoutMs: 60_000,
          handler: createHandler({
            alerts: {
              sweep: async () => {
                throw new Error('a test page must not sweep');
              },
            },
            logger: quiet,
            testPage: (request, now) => sendTestPageFromConfig(alerts, sinks, request, now, 'us-east-1'),
          }),
        },
      },
    });
    try {
      const { io, out, err } = captureIo();
      const lambda = new LambdaClient({ ...awsClientConfig(invoke.endpoint) });

      const code = await testPage(['--stage', 'acme-prod', '--region', 'us-east-1', '--format', 'text'], io, {
        lambda: () => lambda,
      });

      expect(err()).toBe('');
      expect(code).toBe(0);
      expect(out()).toContain(
        'through the deployed function cognito-sentinel-acme-prod-incidentSweep (us-east-1)',
      );
      expect(out()).toMatch(/pagerduty +trigger: delivered {2}resolve: delivered/);
      expect(out()).toMatch(/sns:oncall-email +trigger: delivered {2}resolve: delivered/);
      const [trigger] = pagerDuty.accepted('trigger');
      const [resolve] = pagerDuty.accepted('resolve');
      expect(String(trigger?.dedup_key)).toMatch(new RegExp(`^${ACCOUNT}:test-page:acme-prod:`));
      expect(resolve?.dedup_key).toBe(trigger?.dedup_key);
      expect(String((trigger?.payload as { source?: string } | undefined)?.source)).toBe(
        `${ACCOUNT}/cognito-sentinel`,
      );
      expect(String((trigger?.payload as { summary?: string } | undefined)?.summary)).toContain(
        `stage acme-prod, account ${ACCOUNT}`,
      );
      expect((await published()).filter((message) => message.topicArn === emailTopic)).toHaveLength(2);
    } finally {
      await invoke.stop();
    }
  });

  it('with --stage, says so when the deployed function is one from before test-page', async () => {
    const invoke = await startLambdaInvokeServer({
      functions: {
        'cognito-sentinel-old-incidentSweep': {
          handler: async () => ({ incidents: 0, resolved: 0, delivered: 0, failed: 0 }),
        },
      },
    });
    try {
      const { io, err } = captureIo();
      const lambda = new LambdaClient({ ...awsClientConfig(invoke.endpoint) });

      const code = await testPage(['--stage', 'old', '--region', 'us-east-1'], io, { lambda: () => lambda });

      expect(code).toBe(1);
      expect(err()).toMatch(/did not send the test page.*\n.*deploy again/);
    } finally {
      await invoke.stop();
    }
  });
});
