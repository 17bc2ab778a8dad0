import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateTopicCommand, SNSClient } from '@aws-sdk/client-sns';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { incidentTableDefinition } from '../../alerts/incident-store';
import {
  createAlertPipelineFromConfig,
  loadAlertsConfig,
  NO_SINK_WARNING,
  NO_TABLE_WARNING,
} from '../../alerts/wiring';
import type { SecretRef } from '../../config/secret-ref';
import { awsClientConfig, readSnsNotifications } from '../../demo/local/moto';
import { ConfigError } from '../../runtime/errors';
import { startMotoForFile } from '../support/moto';
import { type PagerDutyServer, ROUTING_KEY, startPagerDutyServer } from '../support/pagerduty-server';
import { at, logsReport, recordingLogger, seedAt } from './support';

const TOPIC = 'arn:aws:sns:us-east-1:123456789012:cognito-sentinel-alerts';
const config = {
  pools: [
    {
      userPoolId: 'us-east-1_AbC123xyz',
      region: 'us-east-1',
      clients: [{ clientId: '4i2oaatugssocd44d40kb55kni' }],
    },
  ],
  alerts: { snsTopicArn: TOPIC, resolve: { canaryPasses: 3 } },
  deployment: { runbookBaseUrl: 'https://github.com/acme/cognito-sentinel/blob/main/docs/runbook.md' },
};

describe('loadAlertsConfig', () => {
  it('reads only the stack variables when no config is deployed', () => {
    expect(loadAlertsConfig({ SENTINEL_INCIDENT_TABLE: 'incidents-table' }, undefined)).toEqual({
      incidentTable: 'incidents-table',
    });
  });

  it('takes the config file’s alerts section and runbook base, with the stack variables over them', () => {
    expect(
      loadAlertsConfig(
        {
          SENTINEL_CONFIG: JSON.stringify(config),
          SENTINEL_INCIDENT_TABLE: 'incidents-table',
          SENTINEL_PAGERDUTY_ROUTING_KEY: 'secretsmanager:cognito-sentinel/pagerduty',
        },
        undefined,
      ),
    ).toEqual({
      snsTopicArn: TOPIC,
      resolve: { canaryPasses: 3 },
      runbookBaseUrl: 'https://github.com/acme/cognito-sentinel/blob/main/docs/runbook.md',
      incidentTable: 'incidents-table',
      pagerDuty: { routingKey: { store: 'secretsmanager', name: 'cognito-sentinel/pagerduty' } },
    });
  });
});

describe('createAlertPipelineFromConfig', () => {
  it('works with nothing configured: state in memory, pages in the log, and says so once', async () => {
    const { logger, lines } = recordingLogger();
    const pipeline = createAlertPipelineFromConfig({}, { logger });
    const findings = [seedAt(0)];
    await pipeline.handle({ source: 'trigger-logs', findings, passed: [], now: at(1_000) });
    await pipeline.handle({ source: 'trigger-logs', findings: [seedAt(5_000)], passed: [], now: at(6_000) });
    expect(lines.filter((line) => line.level === 'warn').map((line) => line.message)).toEqual([
      `${NO_TABLE_WARNING}. ${NO_SINK_WARNING}`,
    ]);
    const pages = lines.filter((line) => line.message === 'Alert');
    expect(pages).toHaveLength(1);
    expect(String(pages[0]?.extra[0]?.report)).toMatch(/^CRITICAL: PreSignUp returned autoConfirmUser/);
  });

  it('refuses an env: routing key in a deployed function', () => {
    const routingKey: SecretRef = { store: 'env', name: 'PD_KEY' };
    expect(() =>
      createAlertPipelineFromConfig({ pagerDuty: { routingKey } }, { logger: recordingLogger().logger }),
    ).toThrow(ConfigError);
  });

  describe('with PagerDuty', () => {
    let pd: PagerDutyServer;
    beforeAll(async () => {
      pd = await startPagerDutyServer();
    });
    afterAll(async () => pd.close());

    it('reads the routing key through the secret resolver, once per container', async () => {
      const asked: string[] = [];
      const pipeline = createAlertPipelineFromConfig(
        {
          pagerDuty: {
            routingKey: { store: 'secretsmanager', name: 'cognito-sentinel/pagerduty' },
            endpoint: pd.endpoint,
          },
        },
        {
          logger: recordingLogger().logger,
          secrets: {
            get: async (ref) => {
              asked.push(ref.name);
              return ROUTING_KEY;
            },
          },
        },
      );
      await pipeline.handle({ source: 'trigger-logs', findings: [seedAt(0)], passed: [], now: at(1_000) });
      expect(asked).toEqual(['cognito-sentinel/pagerduty']);
      expect(pd.accepted('trigger')).toHaveLength(1);
      expect(pd.accepted()[0]?.routing_key).toBe(ROUTING_KEY);
    });
  });
});

const moto = await startMotoForFile();

describe.runIf(moto)('createAlertPipelineFromConfig with the incident table (moto_server)', () => {
  it('keeps incident state across containers, so a cold start does not page again', async () => {
    const dynamodb = new DynamoDBClient(awsClientConfig(moto?.endpoint ?? ''));
    await dynamodb.send(new CreateTableCommand(incidentTableDefinition('incidents-table')));
    const container = () => {
      const recorded = recordingLogger();
      return {
        ...recorded,
        pipeline: createAlertPipelineFromConfig(
          { incidentTable: 'incidents-table' },
          { logger: recorded.logger, dynamodb },
        ),
      };
    };
    const first = container();
    await first.pipeline.handle(logsReport([seedAt(0)], 1_000));
    const second = container();
    await second.pipeline.handle(logsReport([seedAt(60_000)], 61_000));
    expect(first.lines.filter((line) => line.message === 'Alert')).toHaveLength(1);
    expect(second.lines.filter((line) => line.message === 'Alert')).toHaveLength(0);
    expect(second.lines.some((line) => line.message.startsWith('No incident table'))).toBe(false);
  });
});

describe.runIf(moto)('every page links to the dashboard (moto_server, PagerDuty stand-in)', () => {
  const DASHBOARD =
    'https://us-east-1.console.aws.amazon.com/cloudwatch/home?region=us-east-1#dashboards:name=cognito-sentinel-prod';
  let pd: PagerDutyServer;
  beforeAll(async () => {
    pd = await startPagerDutyServer();
  });
  afterAll(async () => pd.close());

  it('puts the SENTINEL_DASHBOARD_URL in the PagerDuty links and the SNS and Chatbot bodies', async () => {
    const endpoint = moto?.endpoint ?? '';
    const sns = new SNSClient(awsClientConfig(endpoint));
    const topic = async (Name: string) => (await sns.send(new CreateTopicCommand({ Name }))).TopicArn ?? '';
    const [email, chat] = [await topic('dashboard-email'), await topic('dashboard-chat')];
    const alerts = loadAlertsConfig(
      {
        SENTINEL_ALERT_TOPIC_ARN: email,
        SENTINEL_CHATBOT_TOPIC_ARN: chat,
        SENTINEL_PAGERDUTY_ROUTING_KEY: 'secretsmanager:cognito-sentinel/pagerduty',
        SENTINEL_PAGERDUTY_ENDPOINT: pd.endpoint,
        SENTINEL_DASHBOARD_URL: DASHBOARD,
      },
      undefined,
    );
    const pipeline = createAlertPipelineFromConfig(alerts, {
      logger: recordingLogger().logger,
      sns,
      secrets: { get: async () => ROUTING_KEY },
    });
    await pipeline.handle({ source: 'trigger-logs', findings: [seedAt(0)], passed: [], now: at(1_000) });

    const [event] = pd.accepted('trigger');
    expect(event?.links).toEqual(
      expect.arrayContaining([{ href: DASHBOARD, text: 'Monitor dashboard (CloudWatch)' }]),
    );
    const published = await readSnsNotifications(endpoint);
    const body = published.find((n) => n.topicArn === email)?.message ?? '';
    expect(body).toContain(`Monitor dashboard (CloudWatch): ${DASHBOARD}`);
    const notification = JSON.parse(published.find((n) => n.topicArn === chat)?.message ?? '{}') as {
      content?: { description?: string };
    };
    expect(notification.content?.description).toContain(`<${DASHBOARD}|Monitor dashboard (CloudWatch)>`);
  });
});
