import { CreateTopicCommand, SNSClient } from '@aws-sdk/client-sns';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { AlertSinkError } from '../../../alerts/errors';
import { sealAlert, toDraft } from '../../../alerts/seal';
import {
  createSnsSink,
  SNS_MAX_PUBLISH_BYTES,
  toSnsPublishInput,
  toSnsSubject,
  truncateUtf8,
} from '../../../alerts/sinks/sns';
import { toAlerts } from '../../../alerts/to-alerts';
import type { Alert } from '../../../alerts/types';
import {
  awsClientConfig,
  MotoUnavailableError,
  readSnsNotifications,
  startMoto,
} from '../../../demo/local/moto';
import { startMotoForFile } from '../../support/moto';
import { POOL, presignupFinding, SEED_TITLE, TOPIC_NAME } from '../findings';

const TOPIC_ARN = `arn:aws:sns:us-east-1:123456789012:${TOPIC_NAME}`;
const bytes = (text: string) => Buffer.byteLength(text, 'utf8');

const alertFor = (overrides: Parameters<typeof presignupFinding>[0] = {}): Alert => {
  const [alert] = toAlerts([presignupFinding(overrides)]);
  if (alert === undefined) throw new Error('no alert');
  return alert;
};

const withReport = (alert: Alert, report: string): Alert => ({ ...alert, report });

describe('toSnsPublishInput', () => {
  it('publishes the report with a severity-prefixed subject and filterable attributes', () => {
    const alert = alertFor();
    expect(toSnsPublishInput(alert, TOPIC_ARN)).toEqual({
      TopicArn: TOPIC_ARN,
      Subject: `[CRITICAL] ${SEED_TITLE}`,
      Message: alert.report,
      MessageAttributes: {
        severity: { DataType: 'String', StringValue: 'critical' },
        detector: { DataType: 'String', StringValue: 'trigger-response-invalid' },
        action: { DataType: 'String', StringValue: 'trigger' },
        pool: { DataType: 'String', StringValue: POOL },
      },
    });
  });

  it.each([
    [
      'a reminder',
      'remind',
      '[CRITICAL] Reminder: PreSignUp returned autoConfirmUser as a string ("true"), Cognito expects a...',
    ],
    ['a resolve', 'resolve', `[RESOLVED] ${SEED_TITLE}`],
  ] as const)('says so in the subject and the action attribute for %s', (_name, action, subject) => {
    const alert = sealAlert({ ...toDraft(alertFor()), action });
    const input = toSnsPublishInput(alert, TOPIC_ARN);
    expect(input.Subject).toBe(subject);
    expect(input.Subject?.length).toBeLessThan(100);
    expect(input.MessageAttributes?.action).toEqual({ DataType: 'String', StringValue: action });
    expect(input.Message).toBe(alert.report);
  });

  it('omits the pool attribute when the pool is unknown', () => {
    const input = toSnsPublishInput(alertFor({ userPoolId: undefined }), TOPIC_ARN);
    expect(Object.keys(input.MessageAttributes ?? {})).toEqual(['severity', 'detector', 'action']);
  });
});

describe('toSnsSubject', () => {
  it.each([
    ['folds accents', 'Échec de connexion à la réserve', 'Echec de connexion a la reserve'],
    ['replaces other non-ASCII characters', 'PreSignUp → “true” 🚨', 'PreSignUp ? ?true? ?'],
    ['turns line breaks into spaces', 'line one\nline two\r\nline three', 'line one line two line three'],
    ['removes control characters', 'tab\there\u0007bell', 'tab here bell'],
    ['falls back when nothing printable is left', '\n\t', 'cognito-sentinel alert'],
  ])('%s', (_name, input, expected) => {
    expect(toSnsSubject(input)).toBe(expected);
  });

  it('cuts a 300-character title to under 100 characters with an ellipsis', () => {
    const subject = toSnsSubject(
      `[ERROR] ${'PreSignUp returned autoConfirmUser as a string '.repeat(7)}`.slice(0, 300),
    );
    expect(subject.length).toBeLessThan(100);
    expect(subject.endsWith('...')).toBe(true);
    expect(subject).toMatch(/^[\x20-\x7e]+$/);
  });

  it('cuts a title without spaces at the limit', () => {
    const subject = toSnsSubject('x'.repeat(300));
    expect(subject).toBe(`${'x'.repeat(96)}...`);
  });

  it.each([
    ['a 300-character title', 'x '.repeat(150)],
    ['a title with newlines and emoji', '🚨 PreSignUp\nfailed\u2028for everyone ✓'],
  ])('keeps the subject printable ASCII, one line, under 100 characters for %s', (_name, title) => {
    const { Subject } = toSnsPublishInput({ ...alertFor(), title }, TOPIC_ARN);
    expect(Subject).toMatch(/^[\x20-\x7e]{1,99}$/);
  });
});

describe('message size', () => {
  it('keeps a report under the limit unchanged', () => {
    const report = 'ünïcödé report ✓\n'.repeat(100);
    expect(toSnsPublishInput(withReport(alertFor(), report), TOPIC_ARN).Message).toBe(report);
  });

  it.each([
    ['two-byte characters', 'é'],
    ['three-byte characters', '✓'],
    ['four-byte characters', '🚨'],
    ['mixed text', 'aé✓🚨'],
  ])('truncates a 300 KB report of %s to fit 256 KB without splitting a character', (_name, unit) => {
    const report = unit.repeat(Math.ceil(300_000 / bytes(unit)));
    const input = toSnsPublishInput(withReport(alertFor(), report), TOPIC_ARN);
    const message = input.Message ?? '';
    const attributeBytes = Object.entries(input.MessageAttributes ?? {}).reduce(
      (sum, [name, value]) =>
        sum + bytes(name) + bytes(value.DataType ?? '') + bytes(value.StringValue ?? ''),
      0,
    );
    expect(bytes(message) + attributeBytes + bytes(input.Subject ?? '')).toBeLessThanOrEqual(
      SNS_MAX_PUBLISH_BYTES,
    );
    expect(message).not.toContain('\uFFFD');
    expect(message).toContain('[Report truncated: it was');
    expect(message).toContain('trigger-response-invalid-presignup');
    const body = message.slice(0, message.indexOf('\n\n[Report truncated'));
    expect(body.endsWith('…')).toBe(true);
    expect(report.startsWith(body.slice(0, -1))).toBe(true);
    expect(bytes(body)).toBeGreaterThan(SNS_MAX_PUBLISH_BYTES - 1_000);
  });

  it('replaces lone surrogates, which cannot be sent as UTF-8', () => {
    const message = toSnsPublishInput(withReport(alertFor(), 'bad \uD800 text'), TOPIC_ARN).Message;
    expect(message).toBe('bad \uFFFD text');
  });

  it.each([
    ['ASCII', 'abcdef', 4, 'abcd'],
    ['a two-byte character at the cut', 'aé', 2, 'a'],
    ['a four-byte character at the cut', 'a🚨b', 4, 'a'],
    ['an exact fit', 'a🚨', 5, 'a🚨'],
  ])('truncateUtf8 handles %s', (_name, text, max, expected) => {
    expect(truncateUtf8(text, max)).toBe(expected);
  });
});

const moto = await startMotoForFile();

describe.runIf(moto)('createSnsSink against moto_server', () => {
  const endpoint = moto?.endpoint ?? '';
  const client = new SNSClient(awsClientConfig(endpoint));

  beforeEach(async () => {
    await moto?.reset();
  });

  it('publishes the alert, and the topic receives its subject, message and attributes', async () => {
    const { TopicArn } = await client.send(new CreateTopicCommand({ Name: TOPIC_NAME }));
    const alert = alertFor();
    await createSnsSink({ client, topicArn: TopicArn ?? '' }).send(alert);

    const notifications = await readSnsNotifications(endpoint);
    expect(notifications).toHaveLength(1);
    expect(notifications[0]).toMatchObject({
      topicArn: TopicArn,
      subject: `[CRITICAL] ${SEED_TITLE}`,
      message: alert.report,
      messageAttributes: {
        severity: { Type: 'String', Value: 'critical' },
        detector: { Type: 'String', Value: 'trigger-response-invalid' },
        pool: { Type: 'String', Value: POOL },
      },
    });
  });

  it('rejects with AlertSinkError naming the sink when the topic does not exist', async () => {
    const sink = createSnsSink({ client, topicArn: 'arn:aws:sns:us-east-1:123456789012:missing-topic' });
    const sent = sink.send(alertFor());
    await expect(sent).rejects.toBeInstanceOf(AlertSinkError);
    await expect(sent).rejects.toThrow(/sns:missing-topic could not deliver alert trigger-response-invalid:/);
  });
});

describe('startMoto without moto_server on PATH', () => {
  const withoutMoto = async (requireMoto: string | undefined) => {
    const saved = { PATH: process.env.PATH, REQUIRE_MOTO: process.env.REQUIRE_MOTO };
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    process.env.PATH = '';
    if (requireMoto === undefined) delete process.env.REQUIRE_MOTO;
    else process.env.REQUIRE_MOTO = requireMoto;
    try {
      return { result: await startMoto().catch((error: unknown) => error), warnings: warn.mock.calls.length };
    } finally {
      process.env.PATH = saved.PATH;
      if (saved.REQUIRE_MOTO === undefined) delete process.env.REQUIRE_MOTO;
      else process.env.REQUIRE_MOTO = saved.REQUIRE_MOTO;
      warn.mockRestore();
    }
  };

  it('prints a notice and resolves undefined so suites can skip', async () => {
    expect(await withoutMoto(undefined)).toEqual({ result: undefined, warnings: 1 });
  });

  it('fails with a clear error when REQUIRE_MOTO=1', async () => {
    const { result } = await withoutMoto('1');
    expect(result).toBeInstanceOf(MotoUnavailableError);
    expect(String(result)).toContain('REQUIRE_MOTO=1 but moto_server is not on PATH');
  });
});
