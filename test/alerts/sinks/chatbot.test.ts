import { CreateTopicCommand, SNSClient } from '@aws-sdk/client-sns';
import { beforeEach, describe, expect, it } from 'vitest';
import { AlertSinkError } from '../../../alerts/errors';
import { sealAlert, toDraft } from '../../../alerts/seal';
import {
  CHATBOT_MAX_DESCRIPTION_CHARS,
  createChatbotSink,
  toChatbotNotification,
  toChatbotPublishInput,
} from '../../../alerts/sinks/chatbot';
import { toAlerts } from '../../../alerts/to-alerts';
import type { Alert } from '../../../alerts/types';
import { awsClientConfig, readSnsNotifications } from '../../../demo/local/moto';
import { startMotoForFile } from '../../support/moto';
import { FUNCTION, POOL, presignupFinding, REQUEST_ID, SEED_TITLE } from '../findings';

const RUNBOOK_BASE = 'https://github.com/acme/cognito-sentinel/blob/main/docs/runbook.md';
const KEY = `trigger-response-invalid:${POOL}:PreSignUp:response.autoConfirmUser`;

const alertFor = (overrides: Parameters<typeof presignupFinding>[0] = {}): Alert => {
  const [alert] = toAlerts([presignupFinding(overrides)], { runbookBaseUrl: RUNBOOK_BASE });
  if (alert === undefined) throw new Error('no alert');
  return alert;
};

describe('toChatbotNotification', () => {
  it('builds the custom notification for the seed incident, threaded by the dedup key', () => {
    const notification = toChatbotNotification(alertFor());
    expect(notification).toEqual({
      version: '1.0',
      source: 'custom',
      id: `${KEY}:trigger:1`,
      content: {
        textType: 'client-markdown',
        title: `CRITICAL: ${SEED_TITLE}`,
        description: [
          '*Evidence*: `response.autoConfirmUser` expected boolean, got string "true"',
          '```',
          `2024-06-03T09:35:12.345Z\t${REQUEST_ID}\tINFO\tresponse { autoConfirmUser: 'true', autoVerifyEmail: false, autoVerifyPhone: false }`,
          '```',
          `*Where*: pool \`${POOL}\`, us-east-1, client \`4i2oaatugssocd44d40kb55kni\`, trigger PreSignUp, function \`${FUNCTION}\``,
          '*Since* 2024-06-03T09:35:12.345Z, seen once',
          `*Runbook*: <${RUNBOOK_BASE}#trigger-response-invalid-presignup|PreSignUp returned a response that breaks Cognito's contract>`,
          [
            `<https://us-east-1.console.aws.amazon.com/cognito/v2/idp/user-pools/${POOL}?region=us-east-1|Cognito user pool ${POOL}>`,
            `<https://us-east-1.console.aws.amazon.com/lambda/home?region=us-east-1#/functions/${FUNCTION}|Lambda function ${FUNCTION}>`,
            '<https://us-east-1.console.aws.amazon.com/cloudwatch/home?region=us-east-1#logsV2:log-groups/log-group/$252Faws$252Flambda$252Fshop-presignup|Log group /aws/lambda/shop-presignup>',
          ].join(' · '),
          `Incident \`${KEY}\``,
        ].join('\n'),
        nextSteps: expect.any(Array),
        keywords: ['critical', 'trigger-response-invalid', 'PreSignUp'],
      },
      metadata: {
        threadId: KEY,
        summary: SEED_TITLE,
        eventType: 'cognito-sentinel.trigger',
        additionalContext: {
          incident: KEY,
          detector: 'trigger-response-invalid',
          severity: 'critical',
          action: 'trigger',
          userPoolId: POOL,
          region: 'us-east-1',
          trigger: 'PreSignUp',
        },
      },
    });
    const steps = notification.content.nextSteps ?? [];
    expect(steps.length).toBeGreaterThanOrEqual(2);
    expect(steps.length).toBeLessThanOrEqual(6);
    expect(steps[0]).toContain(
      `\`aws cognito-idp describe-user-pool --user-pool-id ${POOL} --region us-east-1`,
    );
    expect(steps.at(-1)).toContain(`npx cognito-sentinel check --user-pool-id ${POOL}`);
  });

  it('threads the resolve under the same id, without next steps', () => {
    const resolve = sealAlert({
      ...toDraft(alertFor()),
      action: 'resolve',
      incident: {
        status: 'resolved',
        firstSeen: '2024-06-03T09:35:12.345Z',
        lastSeen: '2024-06-03T09:45:00.000Z',
        count: 1_000,
        episode: 1,
        reopens: 0,
        resolvedAt: '2024-06-03T10:00:00.000Z',
        resolution: 'no recurrence for 15 min',
      },
    });
    const notification = toChatbotNotification(resolve);
    expect(notification.content.title).toBe(`RESOLVED: ${SEED_TITLE}`);
    expect(notification.content).not.toHaveProperty('nextSteps');
    expect(notification.metadata).toMatchObject({ threadId: KEY, eventType: 'cognito-sentinel.resolve' });
    expect(notification.content.description.split('\n')[0]).toBe(
      '*Resolved* at 2024-06-03T10:00:00.000Z: no recurrence for 15 min.',
    );
    expect(notification.content.description).toContain(
      '*Open* from 2024-06-03T09:35:12.345Z to 2024-06-03T10:00:00.000Z, seen 1000 times',
    );
  });

  it('keeps a command with backticks whole, in a code block', () => {
    const alert = alertFor({
      detector: 'token-invalid',
      field: 'aud',
      trigger: undefined,
      runbook: 'token-invalid',
    });
    const steps = toChatbotNotification(alert).content.nextSteps ?? [];
    const withBackticks = steps.find((step) => step.includes('ClientSecret != `null`'));
    expect(withBackticks).toMatch(/\n```\n.*ClientSecret != `null`.*\n```$/s);
  });

  it('caps the title and the description', () => {
    const long = alertFor({ title: `PreSignUp ${'broken '.repeat(100)}`, evidence: ['x'.repeat(2_000)] });
    const { content } = toChatbotNotification({
      ...long,
      recentChanges: Array.from({ length: 10 }, () => 'c'.repeat(300)),
    });
    expect(content.title.length).toBeLessThanOrEqual(250);
    expect(content.description.length).toBeLessThanOrEqual(CHATBOT_MAX_DESCRIPTION_CHARS);
  });
});

describe('toChatbotPublishInput', () => {
  it('publishes the notification as JSON with the filter attributes and no subject', () => {
    const alert = alertFor();
    const input = toChatbotPublishInput(alert, 'arn:aws:sns:us-east-1:123456789012:chat');
    expect(input).toEqual({
      TopicArn: 'arn:aws:sns:us-east-1:123456789012:chat',
      Message: JSON.stringify(toChatbotNotification(alert)),
      MessageAttributes: {
        severity: { DataType: 'String', StringValue: 'critical' },
        detector: { DataType: 'String', StringValue: 'trigger-response-invalid' },
        action: { DataType: 'String', StringValue: 'trigger' },
        pool: { DataType: 'String', StringValue: POOL },
      },
    });
  });
});

const moto = await startMotoForFile();

describe.runIf(moto)('createChatbotSink against moto_server', () => {
  const endpoint = moto?.endpoint ?? '';
  const client = new SNSClient(awsClientConfig(endpoint));
  beforeEach(async () => moto?.reset());

  it('publishes a notification the topic receives as valid JSON', async () => {
    const { TopicArn } = await client.send(new CreateTopicCommand({ Name: 'cognito-sentinel-chat' }));
    await createChatbotSink({ client, topicArn: TopicArn ?? '' }).send(alertFor());
    const [notification, ...rest] = await readSnsNotifications(endpoint);
    expect(rest).toEqual([]);
    expect(JSON.parse(notification?.message ?? '{}')).toMatchObject({
      version: '1.0',
      source: 'custom',
      content: { textType: 'client-markdown', title: `CRITICAL: ${SEED_TITLE}` },
      metadata: { threadId: KEY },
    });
  });

  it('rejects with AlertSinkError naming the sink when the topic does not exist', async () => {
    const sent = createChatbotSink({ client, topicArn: 'arn:aws:sns:us-east-1:123456789012:gone' }).send(
      alertFor(),
    );
    await expect(sent).rejects.toBeInstanceOf(AlertSinkError);
    await expect(sent).rejects.toThrow(/chatbot:gone could not deliver alert/);
  });
});
