/**
 * The alert pipeline on real local parts: incident state in DynamoDB and delivery to SNS (moto_server),
 * PagerDuty through the local Events API stand-in.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateTopicCommand } from '@aws-sdk/client-sns';
import { beforeEach, describe, expect, it } from 'vitest';
import { AlertDeliveryError } from '../../alerts/errors';
import { createDynamoDbIncidentStore } from '../../alerts/incident-store';
import { createAlertPipeline } from '../../alerts/pipeline';
import { createChatbotSink } from '../../alerts/sinks/chatbot';
import { createPagerDutySink } from '../../alerts/sinks/pagerduty';
import { createSnsSink } from '../../alerts/sinks/sns';
import { awsClientConfig, readSnsNotifications } from '../../demo/local/moto';
import { incidentTableOnMoto } from '../support/incident-table-moto';
import { startMotoForFile } from '../support/moto';
import { ROUTING_KEY, startPagerDutyServerForFile } from '../support/pagerduty-server';
import { at, fastPagerDutySink, logsReport, recordingLogger, SEED_DEDUP_KEY, seedAt } from './support';

const TABLE = 'cognito-sentinel-incidents';
const MINUTE = 60_000;

const moto = await startMotoForFile();
const pd = await startPagerDutyServerForFile();

describe.runIf(moto)('alert pipeline on DynamoDB and SNS (moto_server)', () => {
  const { endpoint, dynamodb, sns, freshStart } = incidentTableOnMoto(moto);
  let reportTopic = '';
  let chatTopic = '';

  beforeEach(async () => {
    pd.reset();
    [reportTopic = '', chatTopic = ''] = await freshStart(
      TABLE,
      'cognito-sentinel-alerts',
      'cognito-sentinel-chat',
    );
  });

  /** A pipeline as one Lambda container builds it: its own store client, the shared table. */
  const container = (topic = reportTopic) => {
    const { logger, lines } = recordingLogger();
    const pipeline = createAlertPipeline({
      store: createDynamoDbIncidentStore({
        client: new DynamoDBClient(awsClientConfig(endpoint)),
        tableName: TABLE,
      }),
      sinks: [
        fastPagerDutySink(pd.endpoint),
        createSnsSink({ client: sns, topicArn: topic }),
        createChatbotSink({ client: sns, topicArn: chatTopic }),
      ],
      logger,
    });
    return { pipeline, lines };
  };

  const published = async () => {
    const notifications = await readSnsNotifications(endpoint);
    return {
      reports: notifications.filter((n) => n.topicArn === reportTopic),
      chat: notifications.filter((n) => n.topicArn === chatTopic),
    };
  };

  it('pages once for 1,000 findings over ten minutes and resolves once, on every sink', async () => {
    const { pipeline } = container();
    for (let batch = 0; batch < 50; batch += 1) {
      const findings = Array.from({ length: 20 }, (_, i) => seedAt(batch * 12_000 + i * 100));
      await pipeline.handle(logsReport(findings, batch * 12_000 + 5_000));
    }
    await pipeline.sweep(at(30 * MINUTE));
    await pipeline.sweep(at(31 * MINUTE));

    expect(pd.accepted('trigger')).toHaveLength(1);
    expect(pd.accepted('resolve')).toHaveLength(1);
    const { reports, chat } = await published();
    expect(reports.map((n) => n.messageAttributes.action?.Value)).toEqual(['trigger', 'resolve']);
    expect(reports[0]?.subject).toBe(
      '[CRITICAL] PreSignUp returned autoConfirmUser as a string ("true"), Cognito expects a boolean',
    );
    expect(reports[1]?.subject).toBe(
      '[RESOLVED] PreSignUp returned autoConfirmUser as a string ("true"), Cognito expects a boolean',
    );
    expect(reports[1]?.message).toContain('seen 1000 times');
    expect(chat.map((n) => JSON.parse(n.message).metadata)).toEqual([
      expect.objectContaining({ threadId: SEED_DEDUP_KEY, eventType: 'cognito-sentinel.trigger' }),
      expect.objectContaining({ threadId: SEED_DEDUP_KEY, eventType: 'cognito-sentinel.resolve' }),
    ]);
    const stored = await createDynamoDbIncidentStore({ client: dynamodb, tableName: TABLE }).get(
      SEED_DEDUP_KEY,
    );
    expect(stored).toMatchObject({ status: 'resolved', count: 1_000, active: false });
    expect(Object.keys(stored?.notified ?? {}).sort()).toEqual([
      'chatbot:cognito-sentinel-chat',
      'pagerduty',
      'sns:cognito-sentinel-alerts',
    ]);
  });

  it('pages once when concurrent invocations race on a new incident (conditional writes)', async () => {
    const containers = Array.from({ length: 6 }, () => container().pipeline);
    await Promise.all(containers.map((pipeline, i) => pipeline.handle(logsReport([seedAt(i * 10)], 1_000))));
    expect(pd.accepted('trigger')).toHaveLength(1);
    const { reports, chat } = await published();
    expect(reports).toHaveLength(1);
    expect(chat).toHaveLength(1);
    const stored = await createDynamoDbIncidentStore({ client: dynamodb, tableName: TABLE }).get(
      SEED_DEDUP_KEY,
    );
    expect(stored?.count).toBe(6);
  });

  it('fails the invocation when SNS and PagerDuty are both down, and the retry pages once', async () => {
    // A topic that does not exist yet: SNS answers NotFound until the test creates it.
    const lateTopic = 'arn:aws:sns:us-east-1:123456789012:cognito-sentinel-late';
    const deployment = () =>
      createAlertPipeline({
        store: createDynamoDbIncidentStore({ client: dynamodb, tableName: TABLE }),
        sinks: [
          createPagerDutySink({
            routingKey: ROUTING_KEY,
            endpoint: pd.endpoint,
            timeBudgetMs: 300,
            backoffMs: 10,
          }),
          createSnsSink({ client: sns, topicArn: lateTopic }),
        ],
        logger: recordingLogger().logger,
      });
    pd.mode = '500';
    const batch = logsReport([seedAt(0)], 1_000);
    const error = (await deployment()
      .handle(batch)
      .catch((caught: unknown) => caught)) as AlertDeliveryError;
    expect(error).toBeInstanceOf(AlertDeliveryError);
    expect(error.message).toContain(`No sink delivered 1 alert: alert ${SEED_DEDUP_KEY}`);
    expect(error.message).toMatch(/sns:cognito-sentinel-late: AlertSinkError: .*NotFoundException/);
    expect(error.message).toMatch(/pagerduty: AlertSinkError: .*HTTP 500/);

    pd.mode = '202';
    await sns.send(new CreateTopicCommand({ Name: 'cognito-sentinel-late' }));
    // Lambda's retry of the same event, then a redelivery of it on another container.
    await deployment().handle({ ...batch, now: at(MINUTE) });
    await deployment().handle({ ...batch, now: at(2 * MINUTE) });
    expect(pd.accepted('trigger')).toHaveLength(1);
    const notifications = await readSnsNotifications(endpoint);
    expect(notifications.filter((n) => n.topicArn === lateTopic)).toHaveLength(1);
  });
});
