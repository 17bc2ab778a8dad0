import { CreateTopicCommand, SNSClient } from '@aws-sdk/client-sns';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { AlertDeliveryError } from '../../alerts/errors';
import { createMemoryIncidentStore, type IncidentStore } from '../../alerts/incident-store';
import { createAlertPipeline } from '../../alerts/pipeline';
import { createSnsSink } from '../../alerts/sinks/sns';
import type { Alert, AlertSink } from '../../alerts/types';
import { loadTriggerLogsConfig } from '../../config/trigger-logs-config';
import { awsClientConfig, readSnsNotifications, startMoto } from '../../demo/local/moto';
import { MAX_COLLAPSED_EXCERPTS } from '../../detectors/collapse';
import { DEFAULT_DETECTOR_CONFIG } from '../../detectors/types';
import { createHandler } from '../../functions/trigger-logs';
import { ConfigError } from '../../runtime/errors';
import type { Log, MetricsRecorder } from '../../runtime/telemetry';
import {
  BASE_TIMESTAMP_MS,
  encodeSubscriptionData,
  endLine,
  invokeErrorLine,
  reportLine,
  startLine,
  textLine,
  toSubscriptionEvent,
} from '../support/log-payloads';
import {
  PRESIGNUP_LOG_GROUP as LOG_GROUP,
  SHOP_POOL as POOL,
  recordingAlertHandler,
  triggerLogsConfig,
  triggerLogsContext,
} from '../support/trigger-logs-handler';

const REQUEST_A = '6f1c0a52-3b7e-4c1e-9a51-1f2d3c4b5a6e';
const REQUEST_B = '0b9d8c7e-6f5a-4b3c-8d2e-1a0f9e8d7c6b';

const seedEvent = (autoConfirmUser: unknown) => ({
  version: '1',
  region: 'us-east-1',
  userPoolId: POOL,
  userName: 'mary_major2',
  callerContext: { awsSdkVersion: 'aws-sdk-unknown-unknown', clientId: '1example23456789' },
  triggerSource: 'PreSignUp_SignUp',
  request: {
    userAttributes: { email: 'mary_major@example.com', phone_number: '+12065551212' },
    validationData: null,
  },
  response: { autoConfirmUser, autoVerifyEmail: false, autoVerifyPhone: false },
});

const invocation = (requestId: string, autoConfirmUser: unknown) => [
  startLine(requestId),
  textLine(requestId, 'INFO', `Returning ${JSON.stringify(seedEvent(autoConfirmUser))}`),
  endLine(requestId),
  reportLine({ requestId, durationMs: 41.2 }),
];

const recorder = () => {
  const logs: { level: string; message: string; extra: Record<string, unknown>[] }[] = [];
  const metrics: Record<string, number> = {};
  let published = 0;
  const log =
    (level: string) =>
    (message: string, ...extra: Record<string, unknown>[]) => {
      logs.push({ level, message, extra });
    };
  const logger: Log = { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
  const recorderMetrics: MetricsRecorder = {
    count: (name, value) => {
      metrics[name] = (metrics[name] ?? 0) + value;
    },
    publish: () => {
      published++;
    },
  };
  return { logs, metrics, logger, recorderMetrics, published: () => published };
};

const recordingSink = (): AlertSink & { alerts: Alert[] } => {
  const alerts: Alert[] = [];
  return { name: 'recording', alerts, send: async (alert) => void alerts.push(alert) };
};

const failingSink = (name: string): AlertSink => ({
  name,
  send: async () => {
    throw new Error(`${name} is down`);
  },
});

const context = triggerLogsContext();

/** The handler over the production alert pipeline, with incident state in memory. */
/** The store with every call's name recorded, to prove which runs touch incident state. */
const countingStore = (store: IncidentStore, calls: string[]): IncidentStore =>
  new Proxy(store, {
    get: (target, property, receiver) => {
      const value = Reflect.get(target, property, receiver);
      return typeof value === 'function'
        ? (...args: unknown[]) => {
            calls.push(String(property));
            return value.apply(target, args);
          }
        : value;
    },
  });

const build = (
  sinks: AlertSink[],
  {
    store = createMemoryIncidentStore(),
    now = () => new Date('2024-05-01T12:05:00Z'),
    ignoreUnlistedLogGroups = false,
  } = {} as {
    store?: IncidentStore;
    now?: () => Date;
    ignoreUnlistedLogGroups?: boolean;
  },
) => {
  const rec = recorder();
  const handler = createHandler({
    config: {
      ...triggerLogsConfig(),
      ...(ignoreUnlistedLogGroups ? { ignoreUnlistedLogGroups } : {}),
    },
    alerts: createAlertPipeline({ store, sinks, logger: rec.logger }),
    logger: rec.logger,
    metrics: rec.recorderMetrics,
    now,
  });
  return { handler, store, ...rec };
};

describe('trigger-logs handler', () => {
  describe('fed by the account-level subscription policy', () => {
    it('does not read log groups the config does not list, and counts them as ignored', async () => {
      const sink = recordingSink();
      const { handler, metrics } = build([sink], { ignoreUnlistedLogGroups: true });
      const other = toSubscriptionEvent({
        logGroup: '/aws/lambda/unrelated-app',
        lines: [...invocation(REQUEST_A, 'true'), '{"not": "closed"'],
      });

      const result = await handler(other, context);

      expect(result).toMatchObject({
        logGroup: '/aws/lambda/unrelated-app',
        lines: 5,
        quiet: 5,
        findings: 0,
      });
      expect(result.unreadable).toBe(0);
      expect(metrics.IgnoredBatches).toBe(1);
      expect(sink.alerts).toEqual([]);
    });

    it('still reads and pages for the log groups it lists', async () => {
      const sink = recordingSink();
      const { handler } = build([sink], { ignoreUnlistedLogGroups: true });

      await handler(
        toSubscriptionEvent({ logGroup: LOG_GROUP, lines: invocation(REQUEST_A, 'true') }),
        context,
      );

      expect(sink.alerts.map((alert) => alert.detector)).toEqual(['trigger-response-invalid']);
    });
  });

  it('pages once for the seed incident with the field, trigger and runbook section', async () => {
    const sink = recordingSink();
    const { handler } = build([sink]);
    const event = toSubscriptionEvent({
      logGroup: LOG_GROUP,
      lines: [
        ...invocation(REQUEST_A, true),
        ...invocation(REQUEST_B, 'true'),
        ...invocation(REQUEST_A.replace('6f', '7f'), 'true'),
      ],
    });

    const result = await handler(event, context);

    expect(result).toMatchObject({ lines: 12, unreadable: 0, findings: 2, alerts: 1, logGroup: LOG_GROUP });
    expect(sink.alerts).toHaveLength(1);
    const [alert] = sink.alerts;
    expect(alert?.finding).toMatchObject({
      detector: 'trigger-response-invalid',
      trigger: 'PreSignUp',
      field: 'response.autoConfirmUser',
      expected: 'boolean',
      actual: 'string "true"',
      userPoolId: POOL,
      runbook: 'trigger-response-invalid-presignup',
    });
    expect(alert?.occurrences).toBe(2);
    expect(alert?.report).toContain('describe-user-pool --user-pool-id us-east-1_Sh0pP00l');
    // Personal data in the logged event never reaches the page.
    expect(alert?.report).not.toContain('mary_major@example.com');
    expect(alert?.report).not.toContain('+12065551212');
  });

  it('raises nothing for healthy traffic: valid responses, input events and normal platform lines', async () => {
    const sink = recordingSink();
    const { handler, metrics } = build([sink]);
    const inputEvent = seedEvent(false);
    const event = toSubscriptionEvent({
      logGroup: LOG_GROUP,
      lines: [
        startLine(REQUEST_A),
        textLine(REQUEST_A, 'INFO', `Received ${JSON.stringify(inputEvent)}`),
        textLine(
          REQUEST_A,
          'INFO',
          'response { autoConfirmUser: true, autoVerifyEmail: false, autoVerifyPhone: false }',
        ),
        endLine(REQUEST_A),
        reportLine({ requestId: REQUEST_A, durationMs: 112.5, initDurationMs: 201.3 }),
      ],
    });

    const result = await handler(event, context);

    expect(result).toMatchObject({ lines: 5, findings: 0, alerts: 0, unreadable: 0 });
    expect(sink.alerts).toEqual([]);
    expect(metrics).toMatchObject({ LogLinesRead: 5, UnreadableLogLines: 0, Findings: 0 });
  });

  it('counts the reports of quick, successful invocations as quiet and still pages a slow one', async () => {
    const sink = recordingSink();
    const { handler } = build([sink]);
    const slowMs = DEFAULT_DETECTOR_CONFIG.slowThresholdMs + 400;
    const event = toSubscriptionEvent({
      logGroup: LOG_GROUP,
      lines: [
        startLine(REQUEST_A),
        endLine(REQUEST_A),
        reportLine({ requestId: REQUEST_A, durationMs: 41.2 }),
        startLine(REQUEST_B),
        endLine(REQUEST_B),
        reportLine({ requestId: REQUEST_B, durationMs: slowMs }),
      ],
    });

    const result = await handler(event, context);

    // The quick report is read (a line of the batch) but builds nothing: only the slow one is signal.
    expect(result).toMatchObject({ lines: 6, withSignal: 1, quiet: 5, unreadable: 0, findings: 1 });
    expect(sink.alerts.map((alert) => [alert.detector, alert.finding.requestId])).toEqual([
      ['trigger-slow', REQUEST_B],
    ]);
  });

  it('counts and reports unreadable lines while still paging from the rest of the batch', async () => {
    const sink = recordingSink();
    const { handler, logs, metrics, published } = build([sink]);
    const event = toSubscriptionEvent({
      logGroup: LOG_GROUP,
      lines: [
        `{"level":"INFO","message":"truncated json`,
        textLine(REQUEST_A, 'INFO', `x${'a'.repeat(300 * 1024)}`),
        textLine(REQUEST_B, 'INFO', JSON.stringify({ ...seedEvent(true), triggerSource: 'Teleport_SignUp' })),
        ...invocation(REQUEST_A, 'true'),
        invokeErrorLine(REQUEST_B, {
          errorType: 'TypeError',
          errorMessage: "Cannot read properties of undefined (reading 'email')",
        }),
      ],
    });

    const result = await handler(event, context);

    expect(result.unreadable).toBe(3);
    expect(result.lines).toBe(8);
    expect(metrics.UnreadableLogLines).toBe(3);
    expect(published()).toBe(1);
    const warning = logs.find((entry) => entry.level === 'warn');
    expect(warning?.extra[0]).toMatchObject({ unreadable: 3, logGroup: LOG_GROUP });
    const examples = (warning?.extra[0]?.examples ?? []) as string[];
    expect(examples.join('\n')).toMatch(/256 KB|262144|too long/i);
    expect(examples.join('\n')).toContain('Teleport_SignUp');
    expect(sink.alerts.map((alert) => alert.detector).sort()).toEqual([
      'trigger-error',
      'trigger-response-invalid',
    ]);
  });

  it.each([
    ['invalid base64', { awslogs: { data: '%%% not base64 %%%' } }, /base64/i],
    [
      'truncated gzip',
      { awslogs: { data: encodeSubscriptionData({ a: 1 }).awslogs.data.slice(0, 20) } },
      /gzip/i,
    ],
    [
      'a payload that is not JSON',
      { awslogs: { data: Buffer.from('not json').toString('base64') } },
      /gzip|json/i,
    ],
  ])('reports %s without throwing', async (_name, event, message) => {
    const sink = recordingSink();
    const { handler, logs } = build([sink]);

    const result = await handler(event, context);

    expect(result).toMatchObject({ unreadable: 1, findings: 0 });
    const warning = logs.find((entry) => entry.level === 'warn');
    expect(((warning?.extra[0]?.examples ?? []) as string[]).join('\n')).toMatch(message);
  });

  it('skips CONTROL_MESSAGE payloads', async () => {
    const sink = recordingSink();
    const { handler } = build([sink]);
    const event = toSubscriptionEvent({
      logGroup: 'testLogGroup',
      lines: ['CWL CONTROL MESSAGE: Checking health of destination Firehose.'],
      messageType: 'CONTROL_MESSAGE',
    });

    const result = await handler(event, context);

    expect(result).toMatchObject({ controlMessages: 1, findings: 0, unreadable: 0 });
  });

  it('delivers through the sink that works when another sink fails', async () => {
    const sink = recordingSink();
    const { handler, logs } = build([failingSink('pagerduty'), sink]);

    await handler(
      toSubscriptionEvent({ logGroup: LOG_GROUP, lines: invocation(REQUEST_A, 'true') }),
      context,
    );

    expect(sink.alerts).toHaveLength(1);
    expect(logs.some((entry) => entry.level === 'error' || entry.level === 'warn')).toBe(true);
  });

  it('fails the invocation when no sink can deliver, so Lambda retries and keeps the alert', async () => {
    const { handler, published } = build([failingSink('sns'), failingSink('pagerduty')]);

    const run = handler(
      toSubscriptionEvent({ logGroup: LOG_GROUP, lines: invocation(REQUEST_A, 'true') }),
      context,
    );

    await expect(run).rejects.toBeInstanceOf(AlertDeliveryError);
    await expect(run).rejects.toThrow(
      /trigger-response-invalid:us-east-1_Sh0pP00l:PreSignUp:response.autoConfirmUser/,
    );
    expect(published()).toBe(1);
  });
});

describe('trigger-logs handler and incident state', () => {
  const seedBatch = () => toSubscriptionEvent({ logGroup: LOG_GROUP, lines: invocation(REQUEST_A, 'true') });

  /** A handler whose alert path records the check reports it is handed. */
  const recordingHandler = (now?: () => Date) => {
    const { reports, handler: alerts } = recordingAlertHandler(() => 1);
    const rec = recorder();
    const handler = createHandler({
      config: triggerLogsConfig(),
      alerts,
      logger: rec.logger,
      metrics: rec.recorderMetrics,
      ...(now ? { now } : {}),
    });
    return { reports, handler };
  };

  it('hands the alert path a trigger-logs check report with no passed checks and the run time', async () => {
    const { reports, handler } = recordingHandler(() => new Date('2024-05-01T12:05:00Z'));
    await handler(seedBatch(), context);
    expect(reports).toHaveLength(1);
    expect(reports[0]).toMatchObject({
      source: 'trigger-logs',
      passed: [],
      now: new Date('2024-05-01T12:05:00Z'),
    });
    expect(reports[0]?.findings.map((finding) => finding.detector)).toEqual(['trigger-response-invalid']);
  });

  it('collapses an incident batch into one finding per dedup key, with the count, first and last seen and a few excerpts', async () => {
    const { reports, handler } = recordingHandler();
    const requests = Array.from({ length: 40 }, (_, i) => REQUEST_A.replace(/^.{4}/, String(1000 + i)));
    const lines = requests.flatMap((request, i) =>
      invocation(request, 'true').map((message) => ({ message, timestamp: BASE_TIMESTAMP_MS + i * 1_000 })),
    );
    const result = await handler(toSubscriptionEvent({ logGroup: LOG_GROUP, lines }), context);
    const findings = reports[0]?.findings ?? [];
    expect(findings).toHaveLength(1);
    const [finding] = findings;
    expect(finding).toMatchObject({
      detector: 'trigger-response-invalid',
      occurrences: 40,
      requestId: requests[0],
    });
    expect(Date.parse(finding?.lastSeen ?? '') - Date.parse(finding?.firstSeen ?? '')).toBe(39_000);
    // The violation line plus the distinct excerpts of the first MAX_COLLAPSED_EXCERPTS occurrences
    // (these 40 lines differ only outside the excerpt's window, so one excerpt remains).
    expect(finding?.evidence[0]).toBe('response.autoConfirmUser: expected boolean, got string "true"');
    expect(finding?.evidence.length).toBeGreaterThanOrEqual(2);
    expect(finding?.evidence.length).toBeLessThanOrEqual(1 + MAX_COLLAPSED_EXCERPTS);
    expect(result).toMatchObject({ findings: 40, alerts: 1 });
  });

  it('pages once when CloudWatch Logs or Lambda delivers the same batch again', async () => {
    const sink = recordingSink();
    const { handler, store } = build([sink]);
    await handler(seedBatch(), context);
    await handler(seedBatch(), context);
    expect(sink.alerts).toHaveLength(1);
    expect(
      (await store.get(`trigger-response-invalid:${POOL}:PreSignUp:response.autoConfirmUser`))?.count,
    ).toBe(1);
  });

  it('pages once for the incident across batches; quiet batches touch no state, the sweep resolves it past the window', async () => {
    const sink = recordingSink();
    const store = createMemoryIncidentStore();
    const at = (minutes: number) => () => new Date(Date.parse('2024-05-01T12:05:00Z') + minutes * 60_000);
    await build([sink], { store, now: at(0) }).handler(seedBatch(), context);
    await build([sink], { store, now: at(1) }).handler(
      toSubscriptionEvent({ logGroup: LOG_GROUP, lines: invocation(REQUEST_B, 'true') }),
      context,
    );
    const healthy = toSubscriptionEvent({
      logGroup: LOG_GROUP,
      lines: invocation(REQUEST_B.replace('0b', '1b'), true),
    });
    const calls: string[] = [];
    const counted = countingStore(store, calls);
    await build([sink], { store: counted, now: at(10) }).handler(healthy, context);
    await build([sink], { store: counted, now: at(17) }).handler(healthy, context);
    expect(calls).toEqual([]);
    expect(sink.alerts.map((alert) => alert.action)).toEqual(['trigger']);
    await createAlertPipeline({ store: counted, sinks: [sink], clock: at(17) }).sweep();
    expect(calls.length).toBeGreaterThan(0);
    expect(sink.alerts.map((alert) => alert.action)).toEqual(['trigger', 'resolve']);
    expect(sink.alerts[1]?.report).toContain('no recurrence for 15 min');
  });

  it('fails, and pages on the retry, when every sink was down the first time', async () => {
    const sink = recordingSink();
    const down: AlertSink = {
      name: sink.name,
      send: async () => {
        throw new Error('SNS: Throttling');
      },
    };
    const store = createMemoryIncidentStore();
    await expect(build([down], { store }).handler(seedBatch(), context)).rejects.toBeInstanceOf(
      AlertDeliveryError,
    );
    await build([sink], { store }).handler(seedBatch(), context);
    expect(sink.alerts.map((alert) => alert.action)).toEqual(['trigger']);
  });
});

describe('trigger-logs configuration', () => {
  const config = {
    pools: [
      {
        userPoolId: POOL,
        region: 'us-east-1',
        clients: [{ clientId: '1example23456789' }],
        triggerLogGroups: { [LOG_GROUP]: 'PreSignUp' },
      },
    ],
  };

  it('reads log groups from the config and the topic from the stack', () => {
    const loaded = loadTriggerLogsConfig({
      SENTINEL_CONFIG: JSON.stringify(config),
      SENTINEL_ALERT_TOPIC_ARN: 'arn:aws:sns:us-east-1:123456789012:cognito-sentinel-alerts',
    });
    expect(loaded.resolveLogGroup(LOG_GROUP)).toEqual({
      trigger: 'PreSignUp',
      userPoolId: POOL,
      region: 'us-east-1',
    });
    expect(loaded.resolveLogGroup('/aws/lambda/other')).toBeUndefined();
    expect(loaded.detectors).toEqual(DEFAULT_DETECTOR_CONFIG);
    expect(loaded.alertTopicArn).toBe('arn:aws:sns:us-east-1:123456789012:cognito-sentinel-alerts');
  });

  it.each([
    [{ SENTINEL_CONFIG: '{not json' }, /SENTINEL_CONFIG: not valid JSON/],
    [
      {
        SENTINEL_CONFIG: JSON.stringify({
          pools: [{ ...config.pools[0], triggerLogGroups: { '/aws/lambda/x': 'PreSignup' } }],
        }),
      },
      /pools\.0\.triggerLogGroups\.\/aws\/lambda\/x/,
    ],
    [{}, /No configuration/],
  ])('fails at start-up naming the bad key: %j', (env, message) => {
    expect(() => loadTriggerLogsConfig(env)).toThrow(ConfigError);
    expect(() => loadTriggerLogsConfig(env)).toThrow(message);
  });
});

const moto = await startMoto();

describe.runIf(moto)('trigger-logs handler with the SNS sink against moto_server', () => {
  afterAll(async () => moto?.stop());
  beforeEach(async () => moto?.reset());

  it('publishes the seed incident report to SNS with filterable attributes', async () => {
    const endpoint = moto?.endpoint ?? '';
    const client = new SNSClient(awsClientConfig(endpoint));
    const { TopicArn } = await client.send(new CreateTopicCommand({ Name: 'cognito-sentinel-alerts' }));
    const { handler } = build([createSnsSink({ client, topicArn: TopicArn ?? '' })]);

    await handler(
      toSubscriptionEvent({ logGroup: LOG_GROUP, lines: invocation(REQUEST_A, 'true') }),
      context,
    );

    const [notification, ...rest] = await readSnsNotifications(endpoint);
    expect(rest).toEqual([]);
    expect(notification?.subject).toMatch(/^[\x20-\x7e]{1,99}$/);
    expect(notification?.subject).toContain('PreSignUp');
    expect(notification?.message).toContain('response.autoConfirmUser');
    expect(notification?.message).not.toContain('mary_major@example.com');
    expect(notification?.messageAttributes).toMatchObject({
      detector: { Type: 'String', Value: 'trigger-response-invalid' },
      severity: { Type: 'String', Value: 'critical' },
      pool: { Type: 'String', Value: POOL },
    });
  });
});
